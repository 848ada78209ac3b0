"""Two unit vaults and an office vault for tests of signed packages (export and office).

``create`` makes a vault with cheap key derivation; ``world`` yields (stick, justice, office);
``resign`` forges a package validly signed with a chosen key from a genuine one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.crypto.signing import UnitKey, fingerprint
from secretdesk.services.exports import checkpoint_text, encode_report, unit_pub_comment
from secretdesk.services.setup import UnitSetup
from secretdesk.storage import unit
from secretdesk.transfer.layout import format_trusted_comment
from secretdesk.transfer.package import write_package
from tests.helpers import PASSPHRASE, fixed_clock

REPO = Path(__file__).resolve().parents[2]

JUSTICE = UnitSetup("Sở Tư pháp tỉnh Quảng Ngãi", "STP-QNG", "Ủy ban nhân dân tỉnh Quảng Ngãi")
POLICE = UnitSetup("Công an tỉnh Quảng Ngãi", "CA-QNG", "Bộ Công an")
OFFICE = UnitSetup("Ban Chỉ đạo tỉnh Quảng Ngãi", "BCD-QNG")


def create(folder: Path, setup: UnitSetup) -> App:
    opened, _code = app_module.create(
        folder, setup, "admin", PASSPHRASE, params=TEST_PARAMS, clock=fixed_clock()
    )
    return opened


def unit_key(opened: App) -> UnitKey:
    record = unit.get(opened.vault.connection)
    assert record is not None
    return UnitKey(record.signing_private, record.signing_public, record.signing_key_id)


def trust(office: App, opened: App) -> None:
    info = opened.unit_info()
    office.office.trust(opened.exports.public_key_text(), info.key_fingerprint, code=info.code)


def export(opened: App, out: Path, kind: str = "annual", period: str = "2026") -> Path:
    return opened.exports.export(kind, period, out, explicitly_chosen_folder=True).folder


def resign(
    out: Path,
    genuine: Path,
    key: UnitKey,
    *,
    code: str,
    seq: int | str,
    name: str | None = None,
    report_seq: int | None = None,
) -> Path:
    """A package signed with ``key`` from a genuine one, saying unit ``code`` and ``seq``."""
    report = json.loads((genuine / "report.json").read_text(encoding="utf-8"))
    report["unit"]["code"] = code
    report["unit"]["key_fingerprint"] = fingerprint(key.public)
    report["seq"] = seq if report_seq is None else report_seq
    head = f"{report['chain_head']['seq']}:{report['chain_head']['hash']}"
    fields = {"unit": code, "kind": report["kind"], "period": report["period"], "seq": seq}
    fields["head"] = head
    if "tree" in report:
        fields["tree"] = f"{report['tree']['size']}:{report['tree']['root']}"
    comment = format_trusted_comment(fields)
    files = {n: (genuine / n).read_bytes() for n in ("report.pdf",)}
    files["checkpoint.txt"] = checkpoint_text(
        fields, report["generated_at"], report["unit"]["key_fingerprint"]
    )
    files["report.json"] = encode_report(report)
    folder = name or f"SecretDesk_{code}_{report['kind']}_{report['period']}_{seq}"
    return write_package(
        out, folder, files, key, comment, unit_pub_comment=unit_pub_comment(code, code)
    )


def world(tmp_path: Path) -> Iterator[tuple[Path, App, App]]:
    """(the stick, the justice unit's app, the office's app); closed after the test."""
    out = tmp_path / "stick"
    out.mkdir()
    justice = create(tmp_path / "justice", JUSTICE)
    office = create(tmp_path / "office", OFFICE)
    yield out, justice, office
    for opened in (justice, office):
        if opened.vault.is_open:
            opened.close()
