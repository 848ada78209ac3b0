"""Regression tests for the export/office review (proof scripts p01, p02, p03, p06, p07, p08,
p09): each test reproduces what a proof showed and checks that it no longer happens."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.cli.main import main
from secretdesk.crypto import minisign
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.crypto.signing import UnitKey, fingerprint, generate_unit_key
from secretdesk.i18n import render_value
from secretdesk.services.exports import (
    MAX_SEQ,
    ExportService,
    NotRemovable,
    checkpoint_text,
    encode_report,
    report_schema,
    schema_errors,
    unit_pub_comment,
    verify_folder,
)
from secretdesk.services.office import (
    NotVerified,
    PackageInvalid,
    PackageUnreadable,
    SequenceGap,
    TrustRefused,
    UnknownUnitKey,
    UntrustRefused,
    find_packages,
    format_range,
)
from secretdesk.services.office import imports as office_service
from secretdesk.services.setup import UnitSetup
from secretdesk.storage import office as office_store
from secretdesk.storage import unit
from secretdesk.storage.sqlite import DatabaseError
from secretdesk.transfer import media
from secretdesk.transfer.layout import format_trusted_comment
from secretdesk.transfer.package import write_package
from secretdesk.transfer.verify import verify_package
from tests.helpers import PASSPHRASE, fixed_clock, run_cli
from tests.unit.test_media import SATA_HOST, USB_HOST, USB_HOST_2, FakeSystem

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


@pytest.fixture
def world(tmp_path: Path):
    out = tmp_path / "stick"
    out.mkdir()
    justice = create(tmp_path / "justice", JUSTICE)
    office = create(tmp_path / "office", OFFICE)
    yield out, justice, office
    for opened in (justice, office):
        if opened.vault.is_open:
            opened.close()


# -- p09: unsigned packages, fail-closed verification, one outcome per folder -----------------
def test_p09_an_unsigned_package_is_never_trusted_and_never_aborts_the_batch(
    world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, justice, office = world
    trust(office, justice)
    real = export(justice, out)
    forged = tmp_path / "SecretDesk_STP-QNG_annual_2026_7"
    forged.mkdir()
    for name in ("report.pdf", "report.json", "checkpoint.txt", "unit.pub", "SHA256SUMS"):
        (forged / name).write_bytes((real / name).read_bytes())
    (forged / "SHA256SUMS.minisig").write_text("untrusted comment: x\n")
    (forged / "SHA256.sig").write_text("untrusted comment: x\n")

    keyring = {u.code: u.public_key for u in office.office.trusted_units()}
    verdict = verify_package(forged, keyring=keyring)
    assert not verdict.ok and not verdict.trusted and verdict.signer is None
    assert {(p.code, p.file) for p in verdict.problems} == {
        ("package.signature_malformed", "SHA256SUMS.minisig"),
        ("package.signature_malformed", "SHA256.sig"),
    }
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "STP-QNG.pub").write_text(keyring["STP-QNG"])
    assert not verify_folder(forged, keyring_dir=keys).ok

    outcomes = office.office.import_packages([real, forged])
    assert [o.accepted for o in outcomes] == [True, False]
    assert isinstance(outcomes[1].reason, PackageInvalid)
    assert "SHA256.sig" in outcomes[1].reason.render("en")
    assert office.audit.verify().ok


def test_p09_a_package_that_cannot_be_read_rejects_only_itself(
    world: tuple[Path, App, App], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, justice, office = world
    trust(office, justice)
    first, second, third = (export(justice, out) for _ in range(3))
    real_scandir = os.scandir
    real_check_report = office_service.check_report

    def unreadable(path: object) -> object:
        if Path(str(path)) == first:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_scandir(path)  # type: ignore[call-overload]

    def failing_stick(verdict, key):  # type: ignore[no-untyped-def]
        if verdict.folder == second:
            raise OSError(errno.EIO, "Input/output error")
        return real_check_report(verdict, key)

    monkeypatch.setattr(os, "scandir", unreadable)
    monkeypatch.setattr(office_service, "check_report", failing_stick)
    outcomes = office.office.import_packages([first, second, third])
    assert [o.accepted for o in outcomes] == [False, False, True]
    assert isinstance(outcomes[0].reason, PackageInvalid)
    assert "could not be read (Permission denied)" in outcomes[0].reason.render("en")
    assert isinstance(outcomes[1].reason, PackageUnreadable)
    assert "Input/output error" in outcomes[1].reason.render("en")
    assert outcomes[1].reason.render("vi").startswith("không đọc được gói dữ liệu")
    assert [type(w) for w in outcomes[2].warnings] == [SequenceGap]


def test_p09_the_import_rejects_a_verdict_without_a_signer(
    world: tuple[Path, App, App], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail closed in the office too, whatever verify_package says."""
    out, justice, office = world
    trust(office, justice)
    folder = export(justice, out)
    real_verify = office_service.verify_package

    def no_signer(folder, keyring):  # type: ignore[no-untyped-def]
        return replace(real_verify(folder, keyring=keyring), signer=None)

    monkeypatch.setattr(office_service, "verify_package", no_signer)
    (rejected,) = office.office.import_packages([folder])
    assert not rejected.accepted and isinstance(rejected.reason, NotVerified)


def test_p09_find_packages_survives_an_unreadable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()

    def refused(self: Path) -> object:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", refused)
    assert find_packages([stick]) == [stick]


# -- p01: a crash after the final rename never makes a number be used twice ----------------
CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from secretdesk import app as app_module
    from secretdesk.services.exports import ExportService
    from secretdesk.transfer.package import FileOps
    from tests.helpers import PASSPHRASE, fixed_clock

    base, crash_on = Path(sys.argv[1]), sys.argv[2]
    opened = app_module.unlock(base / "justice", "admin", PASSPHRASE, fixed_clock())

    class Killed(FileOps):
        def fsync_folder(self, path):
            super().fsync_folder(path)
            if (crash_on == "parent") == (path == base / "stick"):
                os._exit(137)  # as if SIGKILL or a power cut here

    ExportService(opened.ctx, ops=Killed()).export(
        "annual", "2026", base / "stick", explicitly_chosen_folder=True
    )
    sys.exit(0)
    """
)


def crashed_export(base: Path, crash_on: str) -> None:
    script = CHILD.format(repo=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", script, str(base), crash_on], capture_output=True, timeout=120
    )
    assert done.returncode == 137, done.stderr


def test_p01_a_crash_after_the_final_rename_leaves_a_gap_never_a_reused_number(
    world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, justice, office = world
    justice.close()
    crashed_export(tmp_path, "parent")  # killed right after the final rename
    justice = app_module.unlock(tmp_path / "justice", "admin", PASSPHRASE, fixed_clock())
    try:
        stale = out / "SecretDesk_STP-QNG_annual_2026_1"
        assert verify_folder(stale).ok
        assert office_store.last_export_seq(justice.vault.connection) == 1
        (started,) = justice.exports.unconfirmed()
        assert (started.seq, started.kind, started.period) == (1, "annual", "2026")
        check = next(
            c for c in justice.maintenance.self_test().checks if c.name == "Exports confirmed"
        )
        detail = render_value(check.detail, "en")
        assert not check.ok and check.warning_only and "package 1 (annual 2026)" in detail

        again = justice.exports.export("registers", "2026", out, explicitly_chosen_folder=True)
        assert again.seq == 2
        trust(office, justice)
        outcomes = office.office.import_packages([stale, again.folder])
        assert [(o.accepted, o.seq, o.warnings) for o in outcomes] == [
            (True, 1, ()),
            (True, 2, ()),
        ]
    finally:
        justice.close()

    # The CLI lists the unconfirmed export after the next one.
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    export_args = ("export", "--kind", "audit", "--period", "2026", "--to", str(out), "--folder")
    result = run_cli("--lang", "en", "--data-dir", str(tmp_path / "justice"), *export_args, env=env)
    assert result.returncode == 0, result.stderr
    assert "Warning: export 1 (annual 2026)" in result.stdout
    assert "never confirmed as written" in result.stdout


def test_p01_a_crash_before_the_rename_leaves_a_gap_the_office_reports(
    world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, justice, office = world
    justice.close()
    crashed_export(tmp_path, "staging")  # killed while the package was still being written
    justice = app_module.unlock(tmp_path / "justice", "admin", PASSPHRASE, fixed_clock())
    try:
        assert not (out / "SecretDesk_STP-QNG_annual_2026_1").exists()
        assert [e.seq for e in justice.exports.unconfirmed()] == [1]
        second = export(justice, out)
        assert second.name.endswith("_2")
        trust(office, justice)
        (accepted,) = office.office.import_packages([second])
        assert accepted.accepted and [type(w) for w in accepted.warnings] == [SequenceGap]
        assert "packages 1 of unit STP-QNG" in accepted.warnings[0].render("en")
    finally:
        justice.close()


# -- p02: the unit code comes from the paper report; a wrong pin is retired ------------------
def test_p02_trust_needs_the_code_and_refuses_a_comment_naming_another_unit(
    world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, _justice, office = world
    police = create(tmp_path / "police", POLICE)
    try:
        pub = police.exports.public_key_text()
        lying = pub.replace(
            "SecretDesk unit key CA-QNG (Công an tỉnh Quảng Ngãi)",
            "SecretDesk unit key STP-QNG (Sở Tư pháp tỉnh Quảng Ngãi)",
        )
        fingerprint = police.unit_info().key_fingerprint
        with pytest.raises(TypeError):
            office.office.trust(lying, fingerprint)  # type: ignore[call-arg]
        with pytest.raises(TrustRefused) as raised:
            office.office.trust(lying, fingerprint, code="CA-QNG")
        assert "the key file is for unit STP-QNG, not CA-QNG" in raised.value.render("en")
        with pytest.raises(TrustRefused):
            office.office.trust(pub, fingerprint, code="bad code!")
        assert office.office.trusted_units() == []

        # a key file without SecretDesk's comment is pinned under the code typed
        bare = "untrusted comment: minisign public key\n" + pub.split("\n", 1)[1]
        pinned = office.office.trust(bare, fingerprint, code="CA-QNG")
        assert (pinned.code, pinned.name) == ("CA-QNG", "CA-QNG")
        assert office.office.import_packages([export(police, out)])[0].accepted
    finally:
        police.close()


def test_p02_a_wrong_pin_is_retired_and_the_right_key_pinned(
    world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, justice, office = world
    police = create(tmp_path / "police", POLICE)
    try:
        # the clerk mistakenly pins the police key as STP-QNG (a key file without a comment)
        police_pub = police.exports.public_key_text()
        bare = "untrusted comment: minisign public key\n" + police_pub.split("\n", 1)[1]
        office.office.trust(bare, police.unit_info().key_fingerprint, code="STP-QNG")
        with pytest.raises(TrustRefused) as raised:
            trust(office, justice)
        assert "office untrust" in raised.value.render("en")
        assert "office untrust" in raised.value.render("vi")
        forged = resign(tmp_path, export(police, out), unit_key(police), code="STP-QNG", seq=1)

        with pytest.raises(UntrustRefused):
            office.office.untrust("STP-QNG", reason="   ")
        with pytest.raises(UntrustRefused):
            office.office.untrust("XX-QNG", reason="no such unit")
        retired = office.office.untrust("STP-QNG", reason="  pinned the police key  by mistake ")
        assert retired.retired and retired.retired_reason == "pinned the police key by mistake"
        event = office.audit.events(limit=1, action_prefix="office.")[0]
        assert event.action == "office.unit_untrusted"
        assert event.detail["reason"] == "pinned the police key by mistake"
        assert event.detail["fingerprint"] == police.unit_info().key_fingerprint

        # the retired key is no longer used; the right one can now be pinned
        (rejected,) = office.office.import_packages([forged])
        assert isinstance(rejected.reason, UnknownUnitKey)
        trust(office, justice)
        assert [u.fingerprint for u in office.office.trusted_units()] == [
            justice.unit_info().key_fingerprint
        ]
        every = office.office.trusted_units(include_retired=True)
        assert [(u.code, u.retired) for u in every] == [("STP-QNG", True), ("STP-QNG", False)]
        assert office.office.import_packages([export(justice, out)])[0].accepted
        assert office.audit.verify().ok
    finally:
        police.close()


def test_p02_pinned_keys_are_never_changed_except_retired_once(
    world: tuple[Path, App, App],
) -> None:
    _out, justice, office = world
    trust(office, justice)
    office.office.untrust("STP-QNG", reason="replaced")
    conn = office.vault.connection
    for sql in (
        "UPDATE trusted_unit SET code = 'CA-QNG'",
        "UPDATE trusted_unit SET retired_reason = 'other'",
        "UPDATE trusted_unit SET retired_at = NULL, retired_by = NULL, retired_reason = NULL",
        "DELETE FROM trusted_unit",
    ):
        with pytest.raises(DatabaseError), office.vault.transaction():
            conn.execute(sql)
    assert [u.retired_reason for u in office.office.trusted_units(include_retired=True)] == [
        "replaced"
    ]


def test_p02_keys_sharing_a_key_id_are_each_tried(
    world: tuple[Path, App, App], tmp_path: Path
) -> None:
    """A key id is chosen by the key's owner: a second unit may use the first one's."""
    out, justice, office = world
    trust(office, justice)
    genuine = export(justice, out)
    other = generate_unit_key()
    twin = UnitKey(other.private, other.public, unit_key(justice).key_id)
    twin_pub = minisign.public_key_file(twin, unit_pub_comment("CA-QNG", POLICE.name))
    office.office.trust(twin_pub, fingerprint(twin.public), code="CA-QNG")
    assert {u.key_id for u in office.office.trusted_units()} == {minisign.key_id_text(twin.key_id)}
    twin_package = resign(tmp_path, genuine, twin, code="CA-QNG", seq=1)
    outcomes = office.office.import_packages([genuine, twin_package])
    assert [(o.accepted, o.unit_code) for o in outcomes] == [(True, "STP-QNG"), (True, "CA-QNG")]


# -- p03: the target must be on the stick's own file system ---------------------------------
@pytest.fixture
def fake(tmp_path: Path) -> FakeSystem:
    system = FakeSystem(tmp_path / "fake")
    sda = system.disk(SATA_HOST, "sda")
    system.partition(sda, "sda1", "8:1")
    system.partition(sda, "sda3", "8:3")
    system.mount("/dev/sda1", "/", "ext4")
    sdb = system.disk(USB_HOST, "sdb")
    system.partition(sdb, "sdb1", "8:17", label="STICK")
    return system


def test_p03_an_over_mounted_stick_is_not_offered(fake: FakeSystem) -> None:
    usb = fake.mounted_dir("/dev/sdb1", "usb", "vfat")
    assert [v.device for v in fake.volumes()] == ["/dev/sdb1"]
    fake.mount("/dev/sda3", str(usb), "ext4")  # an internal partition mounted over the stick
    assert fake.volumes() == []
    fake.mount("/dev/sdb1", str(usb), "vfat")  # the stick mounted again on top
    assert [v.device for v in fake.volumes()] == ["/dev/sdb1"]


def test_p03_a_file_system_mounted_inside_the_stick_is_refused(
    fake: FakeSystem, tmp_path: Path
) -> None:
    usb = fake.mounted_dir("/dev/sdb1", "usb", "vfat")
    inner = usb / "data"
    (inner / "deeper").mkdir(parents=True)
    (usb / "reports").mkdir()
    fake.mount("/dev/sda3", str(inner), "ext4")
    (volume,) = fake.volumes()
    assert volume.inner_mounts == (inner,)
    opened = create(tmp_path / "justice", JUSTICE)
    try:
        service = ExportService(opened.ctx, volumes=fake.volumes)
        for target in (inner, inner / "deeper"):
            with pytest.raises(NotRemovable):
                service.removable_volume(target)
        assert service.removable_volume(usb / "reports").device == "/dev/sdb1"
    finally:
        opened.close()


def test_p03_the_longest_mount_point_wins_and_the_device_must_match(
    fake: FakeSystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outer = fake.mounted_dir("/dev/sdb1", "usb", "vfat")
    sdc = fake.disk(USB_HOST_2, "sdc")
    fake.partition(sdc, "sdc1", "8:33")
    nested = outer / "second"
    nested.mkdir()
    fake.mount("/dev/sdc1", str(nested), "vfat")  # a second stick mounted inside the first
    (outer / "reports").mkdir()
    (nested / "reports").mkdir()
    (outer / "link").symlink_to(outer / "reports")
    opened = create(tmp_path / "justice", JUSTICE)
    try:
        service = ExportService(opened.ctx, volumes=fake.volumes)
        assert service.removable_volume(nested / "reports").device == "/dev/sdc1"
        assert service.removable_volume(outer / "reports").device == "/dev/sdb1"
        # written to the resolved path, not through the link
        result = service.export("annual", "2026", outer / "link", explicitly_chosen_folder=False)
        assert result.folder.parent == (outer / "reports").resolve()

        real_stat = os.stat
        victim = os.fspath((outer / "reports").resolve())

        def elsewhere(path: object, *args: object, **kwargs: object) -> os.stat_result:
            found = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
            if isinstance(path, str | os.PathLike) and os.fspath(path) == victim:
                values = list(found)
                values[2] = found.st_dev + 1  # st_dev: another file system
                return os.stat_result(values)
            return found

        monkeypatch.setattr(os, "stat", elsewhere)
        with pytest.raises(NotRemovable):
            service.removable_volume(outer / "reports")
    finally:
        opened.close()


# -- p07: a huge signed sequence number -----------------------------------------------------
def test_p07_the_schema_bounds_sequence_numbers() -> None:
    schema = report_schema()
    assert schema["properties"]["seq"]["maximum"] == MAX_SEQ == 2**53 - 1
    assert schema["$defs"]["chainHead"]["properties"]["seq"]["maximum"] == MAX_SEQ
    assert format_range(2, 2) == "2" and format_range(2, 10**15) == f"2-{10**15}"


def test_p07_a_huge_sequence_number_is_a_gap_or_a_rejection_never_a_crash(
    world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, justice, office = world
    trust(office, justice)
    good = export(justice, out, kind="registers")
    genuine = export(justice, out)
    key = unit_key(justice)
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
    huge = resign(tmp_path / "a", genuine, key, code="STP-QNG", seq=10**15, name="huge")
    report = json.loads((huge / "report.json").read_text(encoding="utf-8"))
    assert schema_errors(report) == []
    too_big = resign(tmp_path / "b", genuine, key, code="STP-QNG", seq=2**53, name="too-big")
    odd = resign(tmp_path / "c", genuine, key, code="STP-QNG", seq="²", report_seq=2, name="odd")

    outcomes = office.office.import_packages([good, too_big, odd, huge])
    assert [o.accepted for o in outcomes] == [True, False, False, True]
    assert isinstance(outcomes[1].reason, PackageInvalid)
    assert "9007199254740991" in outcomes[1].reason.render("en")
    assert outcomes[1].seq is None and outcomes[2].seq is None
    (gap,) = outcomes[3].warnings
    assert f"packages 2-{10**15 - 1} of unit STP-QNG" in gap.render("en")


# -- p08: a failed eject does not turn a written export into a failure ----------------------
def test_p08_a_failed_eject_is_a_warning_after_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    create(tmp_path / "justice", JUSTICE).close()
    stick = tmp_path / "stick"
    stick.mkdir()
    volume = media.Volume(stick, "/dev/sdz1", "vfat", "STICK", 10**9, 10**9)
    monkeypatch.setattr(ExportService, "removable_volume", lambda self, target: volume)
    failed = media.EjectResult(False, "unmount", 1, "target is busy")
    monkeypatch.setattr(media, "eject", lambda volume: failed)
    monkeypatch.setenv("SECRETDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SECRETDESK_INSECURE_FAST_KDF", "1")
    monkeypatch.setenv("SECRETDESK_LOG_DIR", str(tmp_path / "log"))
    base = ["--lang", "en", "--data-dir", str(tmp_path / "justice")]
    export_args = ["export", "--kind", "annual", "--period", "2026", "--to", str(stick)]

    assert main([*base, "--json", *export_args, "--eject"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["seq"] == 1 and payload["ejected"] is False
    assert payload["eject_error"]["code"] == "media.eject_failed"
    assert "target is busy" in payload["eject_error"]["message"]
    assert verify_folder(Path(payload["folder"])).ok

    assert main([*base, *export_args, "--eject"]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0].startswith("Package written and verified:")
    warning = next(i for i, line in enumerate(text) if line.startswith("Warning:"))
    assert "could not be ejected safely (target is busy)" in text[warning]
    assert text[warning + 1] == "To remove the stick safely, eject it first:"


# -- p06: clear messages for output that cannot be written ----------------------------------
@pytest.mark.slow
def test_p06_summary_into_a_missing_folder_is_a_clear_message(tmp_path: Path) -> None:
    office = tmp_path / "office"
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}

    def cli(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
        result = run_cli("--lang", lang, "--data-dir", str(office), *args, env=env)
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
        return result

    init = ("office", "init", "--name", "Office", "--code", "OFF", "--admin", "admin")
    assert cli(*init).returncode == 0
    missing = tmp_path / "nope" / "summary.pdf"
    result = cli("office", "summary", "--period", "2026", "--out", str(missing))
    assert result.returncode == 1
    assert f"The file {missing} could not be written" in result.stderr
    assert "does not exist" in result.stderr
    result = cli("office", "summary", "--period", "2026", "--out", str(missing), lang="vi")
    assert result.returncode == 1 and f"Không ghi được tệp {missing}" in result.stderr
    audit = cli("--json", "audit", "list")
    assert "office.summary" not in audit.stdout  # refused before the summary was made

    folder_as_file = tmp_path / "taken"
    folder_as_file.mkdir()
    result = cli("office", "summary", "--period", "2026", "--out", str(folder_as_file))
    assert result.returncode == 1 and f"The file {folder_as_file} could not be written" in (
        result.stderr
    )
