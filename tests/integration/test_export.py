"""The unit's signed report packages on a real vault: contents, sequence, failures, targets."""

from __future__ import annotations

import errno
import json
import os
from datetime import date
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.crypto.signing import UnitKey
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.services.context import Change
from secretdesk.services.exports import (
    ExportNotRecorded,
    ExportRefused,
    ExportService,
    NotRemovable,
    ReportDisagrees,
    ReportUnreadable,
    check_report,
    schema_errors,
    unit_pub_comment,
    verify_folder,
)
from secretdesk.storage import items, office, unit
from secretdesk.transfer.errors import ExportFailed, FileChanged, MediumError
from secretdesk.transfer.layout import format_trusted_comment
from secretdesk.transfer.media import Volume
from secretdesk.transfer.package import FileOps, write_package
from secretdesk.transfer.verify import verify_package
from tests.helpers import fixed_clock, new_app
from tests.integration.two_vaults import JUSTICE, create
from tests.unit.test_media import SATA_HOST, USB_HOST, USB_HOST_2, FakeSystem

KINDS = [("annual", "2026"), ("inventory", "2026-11-02"), ("registers", "2026"), ("audit", "2026")]


@pytest.fixture
def unit_app(tmp_path: Path):
    opened, _code = new_app(tmp_path / "vault")
    outgoing = opened.items.register(
        Registration(
            direction=Direction.OUTGOING,
            level=Level.TOI_MAT,
            number_symbol="12/QĐ-STP",
            doc_date=date(2026, 10, 1),
            copies=2,
            summary="Quyết định về việc kiện toàn Đội bảo vệ bí mật nhà nước",
        )
    )
    opened.items.register(
        Registration(
            direction=Direction.INCOMING,
            level=Level.MAT,
            number_symbol="5/CV-UBND",
            doc_date=date(2026, 9, 1),
            copies=1,
            issuer="Ủy ban nhân dân tỉnh Quảng Ngãi",
        )
    )
    copy = items.copies_of(opened.vault.connection, outgoing.id)[0]
    opened.handovers.create("dispatch", [copy.id], recipient_body="Công an tỉnh Quảng Ngãi")
    yield opened
    opened.close()


@pytest.fixture
def target(tmp_path: Path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder


def public_key_file(opened: App, folder: Path) -> Path:
    path = folder.parent / "pinned-unit.pub"
    path.write_text(opened.exports.public_key_text(), encoding="utf-8")
    return path


def packages_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def last_seq(opened: App) -> int:
    return office.last_export_seq(opened.vault.connection)


def test_annual_package_verifies_and_its_report_follows_the_schema(
    unit_app: App, target: Path
) -> None:
    head_before = unit_app.audit.verify().head
    tree_before = unit_app.audit.verify().tree
    result = unit_app.exports.export("annual", "2026", target, explicitly_chosen_folder=True)

    assert result.folder == target / "SecretDesk_STP-QNG_annual_2026_1"
    assert result.seq == 1 and result.head == head_before and result.volume is None
    assert result.fingerprint == unit_app.unit_info().key_fingerprint
    verdict = verify_folder(result.folder, key_file=public_key_file(unit_app, target))
    assert verdict.trusted, verdict.describe()
    assert dict(verdict.fields) == {
        "unit": "STP-QNG",
        "kind": "annual",
        "period": "2026",
        "seq": "1",
        "head": str(head_before),
        "tree": str(tree_before),
    }
    assert set(verdict.files) == {"report.pdf", "report.json", "checkpoint.txt", "unit.pub"}
    report = json.loads((result.folder / "report.json").read_text(encoding="utf-8"))
    assert schema_errors(report) == []
    assert report["unit"]["name"] == "Sở Tư pháp tỉnh Quảng Ngãi"
    assert report["chain_head"] == {"seq": head_before.seq, "hash": head_before.hash}
    assert report["statistics"]["events"]["registered_outgoing"]["toi-mat"] == 1
    assert report["dispatched"] == [
        {
            "number": "1/2026",
            "date": "2026-11-02",
            "to_body": "Công an tỉnh Quảng Ngãi",
            "number_symbols": ["12/QĐ-STP"],
            "levels": ["toi-mat"],
            "copies": [1],
        }
    ]
    assert [(r["issuer"], r["number_symbol"]) for r in report["received"]] == [
        ("Ủy ban nhân dân tỉnh Quảng Ngãi", "5/CV-UBND")
    ]
    checkpoint = (result.folder / "checkpoint.txt").read_text(encoding="utf-8")
    assert "unit: STP-QNG\n" in checkpoint
    assert f"chain_head: {head_before}\n" in checkpoint
    assert f"key_fingerprint: {result.fingerprint}\n" in checkpoint
    assert (result.folder / "report.pdf").read_bytes().startswith(b"%PDF")
    pub = (result.folder / "unit.pub").read_text(encoding="utf-8")
    assert pub.splitlines()[0] == "untrusted comment: " + unit_pub_comment(
        "STP-QNG", "Sở Tư pháp tỉnh Quảng Ngãi"
    )
    # the number is reserved first (export.started, right after the head the package
    # carries), and the export is confirmed once the package was written and verified
    started, event = unit_app.audit.events(limit=2, action_prefix="export.")
    assert (started.action, started.seq) == ("export.started", head_before.seq + 1)
    assert started.detail == {
        "seq": 1,
        "kind": "annual",
        "period": "2026",
        "tree_size": tree_before.size,
        "tree_root": tree_before.root.hex(),
    }
    assert (event.action, event.seq) == ("export.written", head_before.seq + 2)
    assert event.detail == {
        "seq": 1,
        "kind": "annual",
        "period": "2026",
        "folder": str(result.folder),
        "head": str(head_before),
    }
    assert unit_app.audit.verify().ok
    assert unit_app.exports.unconfirmed() == []


@pytest.mark.parametrize(("kind", "period"), KINDS)
def test_every_kind_of_report_exports_and_validates(
    unit_app: App, target: Path, kind: str, period: str
) -> None:
    result = unit_app.exports.export(kind, period, target, explicitly_chosen_folder=True)
    assert verify_folder(result.folder).ok
    report = json.loads((result.folder / "report.json").read_text(encoding="utf-8"))
    assert schema_errors(report) == []
    assert report["kind"] == kind and report["period"] == period
    if kind == "inventory":
        assert {row["number_symbol"] for row in report["inventory"]["rows"]} == {
            "12/QĐ-STP",
            "5/CV-UBND",
        }
    if kind == "registers":
        books = {(e["book"], e["number"]) for e in report["registers"]}
        assert books == {("outgoing", 1), ("incoming", 1), ("handovers", 1)}
        assert {"report-outgoing.pdf", "report-handovers.pdf"} <= set(packages_in(result.folder))
    if kind == "audit":
        seqs = [e["seq"] for e in report["audit"]["events"]]
        assert seqs == list(range(1, report["chain_head"]["seq"] + 1))


def test_a_tuyet_mat_summary_never_leaves_in_the_register_export(tmp_path: Path) -> None:
    """Under the 2020 rules a consented Tuyệt mật summary is recorded, but never exported."""
    opened, _code = new_app(tmp_path / "vault-2025", fixed_clock(2025, 11, 3))
    with opened:
        opened.items.register(
            Registration(
                direction=Direction.OUTGOING,
                level=Level.TUYET_MAT,
                number_symbol="1/KH-STP",
                doc_date=date(2025, 10, 5),
                copies=1,
                summary="Kế hoạch bí danh ĐẠI BÀNG XANH",
                summary_consent=True,
                summary_consent_by="Giám đốc Sở",
            )
        )
        result = opened.exports.export("registers", "2025", tmp_path, explicitly_chosen_folder=True)
    text = (result.folder / "report.json").read_text(encoding="utf-8")
    assert "1/KH-STP" in text and "ĐẠI BÀNG" not in text


def test_sequence_numbers_increase_one_by_one(unit_app: App, target: Path) -> None:
    results = [
        unit_app.exports.export(kind, period, target, explicitly_chosen_folder=True)
        for kind, period in (("annual", "2026"), ("audit", "2026"), ("annual", "2026"))
    ]
    assert [r.seq for r in results] == [1, 2, 3]
    assert [r.folder.name for r in results] == [
        "SecretDesk_STP-QNG_annual_2026_1",
        "SecretDesk_STP-QNG_audit_2026_2",
        "SecretDesk_STP-QNG_annual_2026_3",
    ]
    heads = [r.head.seq for r in results]
    assert heads == sorted(set(heads))  # each export is itself an event: heads strictly grow
    assert last_seq(unit_app) == 3


class BrokenStick(FileOps):
    """The third file's fsync reports an I/O error, as a pulled or faulty stick does."""

    def __init__(self) -> None:
        self.fsyncs = 0

    def fsync(self, fd: int) -> None:
        self.fsyncs += 1
        if self.fsyncs == 3:
            raise OSError(errno.EIO, "Input/output error")
        super().fsync(fd)


def test_a_failed_write_leaves_no_package_and_a_gap(unit_app: App, target: Path) -> None:
    """The number was reserved before writing: it is never used again (the office sees a
    gap), and the audit log says the export failed."""
    events_before = unit_app.audit.verify().events
    broken = ExportService(unit_app.ctx, ops=BrokenStick())
    with pytest.raises(MediumError) as raised:
        broken.export("annual", "2026", target, explicitly_chosen_folder=True)
    assert "Nothing was exported" in raised.value.render("en")
    assert packages_in(target) == []  # neither the package nor its staging folder
    assert last_seq(unit_app) == 1
    assert unit_app.audit.verify().events == events_before + 2
    failed = unit_app.audit.events(limit=1, action_prefix="export.")[0]
    assert failed.action == "export.failed"
    assert failed.detail == {
        "seq": 1,
        "kind": "annual",
        "period": "2026",
        "reason": "export.io_error",
        "leftover": None,
    }
    assert unit_app.exports.unconfirmed() == []
    # the next export takes number 2
    assert unit_app.exports.export("annual", "2026", target, explicitly_chosen_folder=True).seq == 2


def test_a_missing_target_folder_fails_cleanly(unit_app: App, tmp_path: Path) -> None:
    with pytest.raises(ExportFailed):
        unit_app.exports.export(
            "annual", "2026", tmp_path / "absent", explicitly_chosen_folder=True
        )
    assert last_seq(unit_app) == 0


def test_a_number_that_cannot_be_reserved_writes_nothing(
    unit_app: App, target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(conn: object, seq: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(office, "set_last_export_seq", full_disk)
    with pytest.raises(OSError):
        unit_app.exports.export("annual", "2026", target, explicitly_chosen_folder=True)
    assert packages_in(target) == []
    monkeypatch.undo()
    assert last_seq(unit_app) == 0
    assert unit_app.audit.events(limit=1, action_prefix="export.") == []


def test_a_package_that_cannot_be_recorded_is_taken_back(
    unit_app: App, target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_audit = Change.audit

    def full_disk(self: Change, action: str, *args: object, **detail: object) -> object:
        if action == "export.written":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_audit(self, action, *args, **detail)  # type: ignore[arg-type]

    monkeypatch.setattr(Change, "audit", full_disk)
    with pytest.raises(ExportNotRecorded) as raised:
        unit_app.exports.export("annual", "2026", target, explicitly_chosen_folder=True)
    assert "It was removed" in raised.value.render("en")
    assert packages_in(target) == []
    monkeypatch.undo()
    assert last_seq(unit_app) == 1  # reserved: a gap, never a second package 1
    assert unit_app.audit.events(limit=1, action_prefix="export.")[0].action == "export.failed"


def test_a_plain_folder_is_refused_unless_chosen_explicitly(unit_app: App, target: Path) -> None:
    service = ExportService(unit_app.ctx, volumes=lambda: [])
    with pytest.raises(NotRemovable) as raised:
        service.export("annual", "2026", target, explicitly_chosen_folder=False)
    assert "--folder" in raised.value.render("en")
    assert packages_in(target) == [] and last_seq(unit_app) == 0
    assert service.export("annual", "2026", target, explicitly_chosen_folder=True).seq == 1


def _volume(mount: Path, *, read_only: bool = False) -> Volume:
    return Volume(mount, "/dev/sdz1", "vfat", "STICK", 10**9, 2 * 10**9, read_only)


def test_a_folder_on_a_removable_volume_is_accepted(unit_app: App, tmp_path: Path) -> None:
    stick = tmp_path / "media" / "STICK"
    (stick / "reports").mkdir(parents=True)
    outside = tmp_path / "home"
    outside.mkdir()
    os.symlink(outside, stick / "escape")
    service = ExportService(unit_app.ctx, volumes=lambda: [_volume(stick)])

    result = service.export("annual", "2026", stick / "reports", explicitly_chosen_folder=False)
    assert result.volume is not None and result.volume.mount_point == stick
    assert result.eject_commands() == [
        "udisksctl unmount --block-device /dev/sdz1 --no-user-interaction",
        "udisksctl power-off --block-device /dev/sdz1 --no-user-interaction",
    ]
    for wrong in (outside, stick / "escape", stick / ".." / "home"):
        with pytest.raises(NotRemovable):
            service.export("annual", "2026", wrong, explicitly_chosen_folder=False)
    assert packages_in(outside) == []
    read_only = ExportService(unit_app.ctx, volumes=lambda: [_volume(stick, read_only=True)])
    with pytest.raises(ExportRefused):
        read_only.export("annual", "2026", stick, explicitly_chosen_folder=False)
    assert last_seq(unit_app) == 1


@pytest.mark.parametrize(
    ("kind", "period"), [("annual", "26"), ("inventory", "2026"), ("weekly", "2026")]
)
def test_bad_kinds_and_periods_are_refused(
    unit_app: App, target: Path, kind: str, period: str
) -> None:
    with pytest.raises(ExportRefused):
        unit_app.exports.export(kind, period, target, explicitly_chosen_folder=True)
    assert packages_in(target) == []


def test_a_changed_report_fails_verification(unit_app: App, target: Path) -> None:
    result = unit_app.exports.export("annual", "2026", target, explicitly_chosen_folder=True)
    path = result.folder / "report.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"mat": 1', '"mat": 0'), "utf-8")
    verdict = verify_folder(result.folder, key_file=public_key_file(unit_app, target))
    assert not verdict.ok
    assert [type(p) for p in verdict.problems] == [FileChanged]
    assert verdict.problems[0].file == "report.json"


def test_a_report_that_contradicts_its_signature_fails_verification(
    unit_app: App, target: Path
) -> None:
    """Signed correctly, but report.json names another sequence number than the signature."""
    result = unit_app.exports.export("annual", "2026", target, explicitly_chosen_folder=True)
    report = json.loads((result.folder / "report.json").read_text(encoding="utf-8"))
    report["seq"] = 7
    record = unit.get(unit_app.vault.connection)
    assert record is not None
    key = UnitKey(record.signing_private, record.signing_public, record.signing_key_id)
    tree = report["tree"]
    comment = format_trusted_comment(
        {
            "unit": "STP-QNG",
            "kind": "annual",
            "period": "2026",
            "seq": 8,
            "head": str(result.head),
            "tree": f"{tree['size']}:{tree['root']}",
        }
    )
    files = {
        "report.json": json.dumps(report, ensure_ascii=False).encode("utf-8"),
        "report.pdf": (result.folder / "report.pdf").read_bytes(),
        "checkpoint.txt": (result.folder / "checkpoint.txt").read_bytes(),
    }
    forged = write_package(
        target, "forged", files, key, comment, unit_pub_comment="SecretDesk unit key STP-QNG (x)"
    )
    verdict = verify_folder(forged, key_file=public_key_file(unit_app, target))
    assert [(type(p), p.file) for p in verdict.problems] == [
        (ReportDisagrees, "report.json"),
        (ReportDisagrees, "checkpoint.txt"),
    ]
    assert "seq" in verdict.describe("en")[0]


def test_a_report_swapped_after_verification_is_not_trusted(unit_app: App, target: Path) -> None:
    """A stick that returns other bytes on a second read: what is parsed is proven again."""
    result = unit_app.exports.export("annual", "2026", target, explicitly_chosen_folder=True)
    key = unit_app.exports.public_key_text()
    verdict = verify_package(result.folder, public_key_text=key)
    assert verdict.trusted
    signed, problems = check_report(verdict, key)
    assert signed is not None and signed.report["seq"] == 1 and problems == []
    path = result.folder / "report.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"seq": 1', '"seq": 9'), "utf-8")
    signed, problems = check_report(verdict, key)
    assert signed is None and [type(p) for p in problems] == [ReportUnreadable]
    assert "changed while it was being read" in problems[0].render("en")


# -- the target must be on the stick's own file system (review p03) ----------------------
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


def test_an_over_mounted_stick_is_not_offered(fake: FakeSystem) -> None:
    usb = fake.mounted_dir("/dev/sdb1", "usb", "vfat")
    assert [v.device for v in fake.volumes()] == ["/dev/sdb1"]
    fake.mount("/dev/sda3", str(usb), "ext4")  # an internal partition mounted over the stick
    assert fake.volumes() == []
    fake.mount("/dev/sdb1", str(usb), "vfat")  # the stick mounted again on top
    assert [v.device for v in fake.volumes()] == ["/dev/sdb1"]


def test_a_file_system_mounted_inside_the_stick_is_refused(
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


def test_the_longest_mount_point_wins_and_the_device_must_match(
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
