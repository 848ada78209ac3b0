"""Verification without a vault (the ``verify`` command): keys, keyring and the unit checks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from secretdesk.crypto import minisign
from secretdesk.i18n import N_, LazyText
from secretdesk.services.exports.errors import KeyFileUnusable, UnitLabelMismatch
from secretdesk.services.package_v1 import _read_limited, check_report
from secretdesk.transfer.errors import PackageProblem
from secretdesk.transfer.layout import MINISIGN_SIGNATURE, UNIT_PUB
from secretdesk.transfer.verify import MAX_SIGNED_LIST_BYTES, Verdict, verify_package


def load_keyring(folder: Path) -> dict[str, str]:
    """A folder of ``<unit code>.pub`` files -> {unit code: public key text}."""
    folder = Path(folder)
    if not folder.is_dir():
        raise KeyFileUnusable(path=folder, reason=LazyText(N_("it is not a folder of .pub files.")))
    keyring = {}
    for path in sorted(folder.glob("*.pub")):
        keyring[path.stem] = _read_key(path)
    if not keyring:
        raise KeyFileUnusable(path=folder, reason=LazyText(N_("it holds no .pub file.")))
    return keyring


def _read_key(path: Path) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
        minisign.parse_public_key(text)
    except (OSError, UnicodeDecodeError) as error:
        raise KeyFileUnusable(path=path, reason=str(error)) from error
    except minisign.MalformedKey:
        raise KeyFileUnusable(
            path=path, reason=LazyText(N_("it is not a minisign/signify public key."))
        ) from None
    return text


def verify_folder(
    folder: Path, *, key_file: Path | None = None, keyring_dir: Path | None = None
) -> Verdict:
    """Verify a package with a pinned key, a keyring folder, or (neither) its own unit.pub.

    Beyond the signatures and checksums: with a keyring, the signed ``unit=`` must be the
    label of the key that signed; report.json must follow the schema and repeat the signed
    description.
    """
    folder = Path(folder)
    keyring: dict[str, str] = {}
    if key_file is not None:
        key_text = _read_key(key_file)
        verdict = verify_package(folder, public_key_text=key_text)
    elif keyring_dir is not None:
        keyring = load_keyring(keyring_dir)
        verdict = verify_package(folder, keyring=keyring)
        key_text = keyring.get(verdict.signer or "", "")
    else:
        verdict = verify_package(folder)
        key_text = ""
        if verdict.ok:  # unit.pub was a plain file the signatures hold for: read it again
            try:
                key_text = _read_limited(folder / UNIT_PUB, MAX_SIGNED_LIST_BYTES).decode()
            except (OSError, UnicodeDecodeError):
                key_text = ""
    return with_unit_checks(verdict, key_text)


def with_unit_checks(verdict: Verdict, public_key_text: str) -> Verdict:
    """Add what the signatures alone do not show: the signer is the unit the package names
    (keyring), and report.json agrees with the signed description."""
    problems: list[PackageProblem] = []
    claimed = verdict.fields.get("unit")
    if verdict.ok and verdict.signer is not None and claimed != verdict.signer:
        problems.append(
            UnitLabelMismatch(file=MINISIGN_SIGNATURE, claimed=claimed, signer=verdict.signer)
        )
    problems.extend(check_report(verdict, public_key_text)[1])
    return replace(verdict, problems=(*verdict.problems, *problems)) if problems else verdict
