"""Vaults written by the released program of every past schema open, migrate and keep it all.

tests/fixtures/vault-v4 … vault-v11 were written by the program of the commit named in
tests/fixtures/make_history_vaults.py (COMMITS), through its own services, with the same
small register (tests/fixtures/write_history_vault.py). A copy of each is opened with the
current program: it migrates to ``migrations.LATEST_VERSION`` (a backup first) and must keep
every record with its register number, level and custody, the audit log and the old schema's
backup, and go on working. The values asserted are the ones the writer put in.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.services import maintenance
from secretdesk.storage import backup_manifest, migrations
from secretdesk.storage import unit as unit_storage
from secretdesk.storage import vault as vault_module
from secretdesk.storage.errors import VaultDamaged
from secretdesk.storage.keyslots import KeySlots, user_slot_id
from secretdesk.system.clock import FixedClock
from tests.helpers import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
VERSIONS = list(range(4, 12))  # every fixture written by write_history_vault.py
PASSPHRASE = "fixture passphrase"
EARLY = {1: "fixture passphrase v1", 2: PASSPHRASE, 3: PASSPHRASE}  # older writers' passphrases
# Two days after the fixtures were written (22/11/2026 09:00 UTC): nothing new before them.
CLOCK = FixedClock(datetime(2026, 11, 24, 8, 30, tzinfo=UTC))

STORE = "Kho lưu trữ"
# (register, year, number, number and symbol, level): [(copy, custody state, holder)]
ITEMS = {
    ("outgoing", 2026, 1, "7/QĐ-PTP", Level.TOI_MAT): [
        ("Bản số 1", "out_of_storage", "Phan Văn Hùng"),  # take-out permit #1
        ("Bản số 2", "delivered", "UBND tỉnh Quảng Ngãi"),  # handover 1/2026, receipt back
        ("Bản số 3", "destroyed", STORE),  # destruction case 1/2026
        ("Bản sao số 1", "issued", "Đinh Văn Đức"),  # the reproduction, handover 5/2026
    ],
    ("incoming", 2026, 1, "2/KH-UBND", Level.TUYET_MAT): [("Bản số 1", "in_storage", STORE)],
    ("internal", 2026, 1, "15/BC-PTP", Level.MAT): [
        ("Bản số 1", "issued", "Đinh Văn Đức"),  # handover 2/2026
        ("Bản số 2", "in_storage", STORE),  # proposed for destruction (case 2/2026)
        ("Bản số 3", "in_storage", STORE),  # provision permit #2 requested
    ],
    ("incoming", 2026, 2, "45/CV-STP", Level.MAT): [
        ("Bản số 1", "in_storage", STORE),  # issued (3/2026) and returned (4/2026)
        ("Bản số 2", "lost_or_leaked", STORE),  # incident #1
    ],
}
# label: (kind, status, recipient, [copies])
HANDOVERS = {
    "1/2026": ("dispatch", "closed", "UBND tỉnh Quảng Ngãi", [("7/QĐ-PTP", "Bản số 2")]),
    "2/2026": ("issue", "open", "Đinh Văn Đức", [("15/BC-PTP", "Bản số 1")]),
    "3/2026": ("issue", "closed", "Lê Thị Hoa", [("45/CV-STP", "Bản số 1")]),
    "4/2026": ("return", "closed", "Lê Thị Hoa", [("45/CV-STP", "Bản số 1")]),
    "5/2026": ("issue", "open", "Đinh Văn Đức", [("7/QĐ-PTP", "Bản sao số 1")]),
}
USERS = {
    "admin": ("admin", "Võ Thị Thu"),
    "kiemtra": ("auditor", "Trần Văn Kiểm"),
    "truongphong": ("approver", "Đinh Văn Đức"),
    "vanthu": ("clerk", "Lê Thị Hoa"),
}


def cases(version: int) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    found = {
        "1/2026": ("done", [("7/QĐ-PTP", "Bản số 3")]),
        "2/2026": ("proposed", [("15/BC-PTP", "Bản số 2")]),
    }
    if version >= 11:  # withdrawal came with schema 11
        found["3/2026"] = ("withdrawn", [("45/CV-STP", "Bản số 2")])
    return found


def old_events(version: int) -> list[str]:
    """The audit actions the writer's steps left, in order (what the old log must keep)."""
    bound = ["key.slot_bound"] if version >= 11 else []  # slots bound when added since then
    users = ["user.added", "rules.updated", *bound] + ["user.added", *bound] * 3
    events = ["vault.created", *users, "book.opened", "item.registered", "book.opened"]
    events += ["item.registered", "item.viewed", "book.opened", "item.registered"]
    events += ["item.registered", "copy.requested", "copy.approved", "book.opened"]
    events += ["copy.recorded", "book.opened", "handover.created", "handover.receipt"]
    events += ["handover.created"] * 3 + ["handover.closed_by_return", "handover.created"]
    events += ["book.opened", "destruction.proposed", "destruction.approved"]
    events += ["destruction.recorded", "destruction.proposed"]
    if version >= 11:
        events += ["destruction.proposed", "destruction.withdrawn"]
    events += ["permit.requested", "permit.approved", "permit.requested"]
    if version >= 11:
        events += ["permit.requested"]
    events += ["book.opened"]
    events += ["draft.added", "draft.superseded", "draft.added", "draft.destroyed"]
    events += ["incident.reported"] * 2
    if version >= 10:  # scans came with schema 10
        events += ["attachment.added"] * 2
    if version >= 7:  # approver posts came with schema 7
        events += ["approver.post"]
    if version >= 9:  # unit key rotation came with schema 9
        events += ["unit.key_rotated"]
    return events


def assert_database_and_audit_sound(app: App) -> None:
    """The full self-test's database and audit checks pass (the page and structure checks
    included)."""
    checks = {check.name: check for check in app.maintenance.self_test(full=True).checks}
    names = (
        maintenance.CIPHER,
        maintenance.PRAGMAS,
        maintenance.INTEGRITY,
        maintenance.AUDIT_CHAIN,
    )
    for name in names:
        assert checks[name].ok, (name, checks[name].detail)


def copy_names(app: App) -> dict[int, tuple[str, str]]:
    """Every copy's id -> (number and symbol of its item, copy label)."""
    return {
        copy.id: (item.number_symbol, copy.label)
        for item in app.items.search("")
        for copy in app.items.show(item.id).copies
    }


def cli(data_dir: Path, *args: str, lang: str = "en") -> tuple[int, str, str]:
    result = run_cli(
        "--data-dir", str(data_dir), "--user", "admin", "--lang", lang, *args,
        env={"SECRETDESK_PASSPHRASE": PASSPHRASE}, clock=CLOCK,
    )  # fmt: skip
    return result.returncode, result.stdout, result.stderr


def test_every_fixture_vault_is_tested() -> None:
    """A fixture added for a new schema fails here until it is in VERSIONS (or EARLY)."""
    found = sorted(int(p.name.removeprefix("vault-v")) for p in FIXTURES.glob("vault-v*"))
    assert found == sorted([*EARLY, *VERSIONS])


@pytest.mark.parametrize("version", VERSIONS, ids=[f"v{v}" for v in VERSIONS])
def test_each_fixture_is_at_the_schema_it_is_named_for(tmp_path: Path, version: int) -> None:
    """Written by the program of that schema, not by a later one (read without migrating)."""
    copy = tmp_path / "vault"
    shutil.copytree(FIXTURES / f"vault-v{version}", copy)
    slots = KeySlots.load(copy / vault_module.KEYS_FILE)
    conn = vault_module._connect(
        copy / vault_module.DB_FILE, slots.open(user_slot_id("admin"), PASSPHRASE), new=False
    )
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert conn.execute("SELECT count(*) FROM item").fetchone()[0] == len(ITEMS)
    finally:
        conn.close()
    assert sorted(slots.usernames()) == sorted(USERS)


class Migrated:
    def __init__(self, version: int, data_dir: Path, app: App) -> None:
        self.version, self.data_dir, self.app = version, data_dir, app
        self.names = copy_names(app)


@pytest.fixture(scope="module", params=VERSIONS, ids=[f"v{v}" for v in VERSIONS])
def migrated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Migrated]:
    """A copy of the fixture of one schema, opened (and so migrated) by the current code."""
    version: int = request.param
    data_dir = tmp_path_factory.mktemp(f"v{version}") / "vault"
    shutil.copytree(FIXTURES / f"vault-v{version}", data_dir)
    with app_module.unlock(data_dir, "admin", PASSPHRASE, CLOCK) as app:
        yield Migrated(version, data_dir, app)


def test_the_vault_is_at_the_latest_schema_and_sound(migrated: Migrated) -> None:
    assert migrated.app.vault.schema_version() == migrations.LATEST_VERSION
    assert migrated.app.unit_info().name == "Phòng Tư pháp huyện Bình Sơn"
    assert migrated.app.unit_info().code == "PTP-BS"
    assert_database_and_audit_sound(migrated.app)


def test_every_item_keeps_its_register_number_level_and_copies(migrated: Migrated) -> None:
    app = migrated.app
    found = {
        (item.book_kind, item.year, item.number, item.number_symbol, item.level): [
            (copy.label, copy.state.value, copy.holder) for copy in app.items.show(item.id).copies
        ]
        for item in app.items.search("")
    }
    assert found == ITEMS
    assert not any(item.cancelled for item in app.items.search(""))
    (reproduction,) = app.copies.list()
    assert (reproduction.status, reproduction.form) == ("recorded", "sao-y")


def test_every_handover_keeps_its_number_kind_state_and_copies(migrated: Migrated) -> None:
    found = {
        h.label: (
            h.kind,
            h.status,
            h.recipient_body or h.recipient_person,
            [migrated.names[c] for c in h.copy_ids],
        )
        for h in migrated.app.handovers.list()
    }
    assert found == HANDOVERS


def test_every_destruction_case_keeps_its_number_state_and_copies(migrated: Migrated) -> None:
    destruction = migrated.app.destruction
    found = {
        case.label: (
            case.status,
            [(c.number_symbol, c.copy_label) for c in destruction.copies(case.id)],
        )
        for case in destruction.list()
    }
    assert found == cases(migrated.version)
    done = destruction.find(2026, 1)
    assert done.decision_ref == "Quyết định số 4/QĐ-PTP"
    assert (done.place, done.method) == ("Kho lưu trữ Phòng Tư pháp", "Nghiền nhỏ")


def test_the_minutes_of_the_destruction_are_kept(migrated: Migrated) -> None:
    minutes = migrated.app.destruction.minutes(migrated.app.destruction.find(2026, 1).id)
    assert (minutes.grounds, minutes.decision_ref, minutes.approved_by) == (
        "Hết giá trị sử dụng",
        "Quyết định số 4/QĐ-PTP",
        "truongphong",
    )
    assert (minutes.place, minutes.method) == ("Kho lưu trữ Phòng Tư pháp", "Nghiền nhỏ")
    assert minutes.destroyed_at.astimezone(UTC) == datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    assert [(s.name, s.role, s.position) for s in minutes.council] == [
        ("Hoàng Thị Hường", "chair", "Phó Trưởng phòng"),
        ("Lý Văn Ủy", "member", "Chuyên viên"),
    ]
    assert [(c.number_symbol, c.copy_label, c.level) for c in minutes.copies] == [
        ("7/QĐ-PTP", "Bản số 3", Level.TOI_MAT)
    ]
    # schema 7 brought the council decision (Law 2018 Art. 23.4); older cases have none
    expected = "Quyết định số 3/QĐ-PTP" if migrated.version >= 7 else ""
    assert minutes.council_decision == expected


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("kiem tra", ["7/QĐ-PTP"]),  # the summary, without its diacritics
        ("tình hình", ["15/BC-PTP"]),
        ("rà soát", ["45/CV-STP"]),
        ("Sở Tư pháp", ["45/CV-STP"]),  # the issuer
        ("KH-UBND", ["2/KH-UBND"]),  # the number and symbol
    ],
    ids=["summary-unaccented", "summary", "summary-2", "issuer", "number"],
)
def test_the_register_search_finds_the_old_items(
    migrated: Migrated, words: str, found: list[str]
) -> None:
    # schema 8 indexes the search text: the migration indexes what older vaults hold
    assert [item.number_symbol for item in migrated.app.items.search(words)] == found


def test_permits_drafts_and_incidents_are_kept(migrated: Migrated) -> None:
    app, names = migrated.app, migrated.names
    permits = [
        (p.id, p.kind, p.status, p.requester, [names[c] for c in p.copy_ids])
        for p in app.permits.list()
    ]
    expected = [
        (1, "take-out", "approved", "Phan Văn Hùng", [("7/QĐ-PTP", "Bản số 1")]),
        (2, "provision", "requested", "Ngô Văn Tra", [("15/BC-PTP", "Bản số 3")]),
    ]
    if migrated.version >= 11:  # provision to a foreign body came with schema 11
        expected.append((3, "provision", "requested", "John Smith", [("45/CV-STP", "Bản số 1")]))
    assert sorted(permits) == expected
    drafts = sorted(
        (d.id, d.version, d.title, d.status, d.proposed_level) for d in app.drafts.list()
    )
    assert drafts == [
        (1, 1, "Dự thảo kế hoạch kiểm tra năm 2027", "destroyed", Level.MAT),
        (2, 2, "Dự thảo kế hoạch kiểm tra năm 2027 (lần 2)", "working", Level.MAT),
    ]
    incidents = sorted(
        (i.id, i.kind, names.get(i.copy_id) if i.copy_id else None, i.description)
        for i in app.incidents.list()
    )
    assert incidents == [
        (1, "loss", ("45/CV-STP", "Bản số 2"), "Bản số 2 không tìm thấy khi kiểm kê"),
        (2, "tampering", None, "Bì thư có dấu hiệu bị bóc"),
    ]


def test_the_legal_records_of_schema_7_on_are_kept(migrated: Migrated) -> None:
    app, since_7 = migrated.app, migrated.version >= 7
    (decision,) = [i for i in app.items.search("") if i.number_symbol == "7/QĐ-PTP"]
    legal = app.items.show(decision.id).legal
    assert (legal.list_decision, legal.list_entry, legal.file_copy_holder) == (
        ("Quyết định số 1722/QĐ-TTg", "Mục 3", "Văn thư Phòng Tư pháp") if since_7 else ("", "", "")
    )
    take_out = app.permits.document(1).legal
    found = (take_out.requester_unit, take_out.requester_position) if take_out else ("", "")
    assert found == (("Phòng Tư pháp", "Chuyên viên") if since_7 else ("", ""))
    posts = [(row.username, row.post) for row in app.approvers.list()]
    assert posts == ([("truongphong", "phong")] if since_7 else [])
    if migrated.version >= 11:
        foreign = app.permits.document(3).foreign
        assert foreign is not None
        assert (foreign.nationality, foreign.passport) == ("Anh", "123456789")


def test_the_unit_key_rotation_of_schema_9_on_is_kept(migrated: Migrated) -> None:
    conn = migrated.app.vault.connection
    rotation = unit_storage.latest_rotation(conn)
    if migrated.version < 9:
        assert rotation is None
        return
    assert rotation is not None and rotation.reason == "Định kỳ"
    record = unit_storage.get(conn)
    assert record is not None and record.signing_public == rotation.new_public
    assert rotation.old_public != rotation.new_public


def test_users_keep_their_roles_and_clearance(migrated: Migrated) -> None:
    users = {u.username: (u.role.value, u.full_name) for u in migrated.app.users.list()}
    assert users == USERS
    clearance = {u.username: u.clearance for u in migrated.app.users.list()}
    # schema 6 brought clearance; older vaults clear everyone for Tuyệt mật (the old reach)
    assert clearance["vanthu"] is (Level.TOI_MAT if migrated.version >= 6 else Level.TUYET_MAT)
    assert clearance["truongphong"] is Level.TUYET_MAT


def test_scans_are_kept_from_schema_10(migrated: Migrated) -> None:
    attachments = migrated.app.attachments
    on_handover = attachments.list("handover", "1/2026")
    on_incident = attachments.list("incident", "2")
    if migrated.version < 10:
        assert on_handover == [] and on_incident == []
        return
    assert [row.filename for row in on_handover] == ["phieu-1.png"]
    assert [row.filename for row in on_incident] == ["bien-ban.png"]
    row, data = attachments.content(on_handover[0].id)
    assert data.startswith(b"\x89PNG") and hashlib.sha256(data).hexdigest() == row.sha256


def test_the_audit_log_keeps_every_old_event_and_verifies(migrated: Migrated) -> None:
    expected = old_events(migrated.version)
    events = migrated.app.audit.events(limit=1000)
    assert [e.action for e in events[: len(expected)]] == expected
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    # what the migration and this session added comes after, never in between
    assert all(
        e.action not in ("vault.created", "item.registered") for e in events[len(expected) :]
    )
    code, out, err = cli(migrated.data_dir, "--json", "audit", "verify")
    assert code == 0, err
    assert json.loads(out)["ok"] is True


def test_the_backup_made_before_the_migration_opens_at_the_old_schema(migrated: Migrated) -> None:
    backup = migrated.app.vault.backup_made
    if migrated.version == migrations.LATEST_VERSION:
        assert backup is None  # nothing to migrate, nothing copied
        return
    assert backup is not None and backup.parent == migrated.data_dir / "backups"
    manifest = backup_manifest.read(backup)
    assert manifest is not None and manifest.schema_version == migrated.version
    data_key = KeySlots.load(backup / vault_module.KEYS_FILE).open(
        user_slot_id("admin"), PASSPHRASE
    )
    # the database as the backup keeps it, at the old schema: opened without migrating
    conn = vault_module._connect(backup / vault_module.DB_FILE, data_key, new=False)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrated.version
        numbers = conn.execute("SELECT number_symbol FROM item ORDER BY id").fetchall()
        assert [row[0] for row in numbers] == ["7/QĐ-PTP", "2/KH-UBND", "15/BC-PTP", "45/CV-STP"]
        kept = conn.execute("SELECT seq, action, hash FROM audit_event ORDER BY seq").fetchall()
    finally:
        conn.close()
    assert [action for _, action, _ in kept] == old_events(migrated.version)
    # the migrated log goes on from the very same events, hash for hash
    now = migrated.app.audit.events(limit=1000)[: len(kept)]
    assert [(e.seq, e.action, e.hash) for e in now] == [tuple(row) for row in kept]


@pytest.mark.parametrize("version", VERSIONS, ids=[f"v{v}" for v in VERSIONS])
def test_work_goes_on_after_the_migration(tmp_path: Path, version: int) -> None:
    data_dir = tmp_path / "vault"
    shutil.copytree(FIXTURES / f"vault-v{version}", data_dir)
    with app_module.unlock(data_dir, "admin", PASSPHRASE, CLOCK) as app:
        item = app.items.register(
            Registration(
                Direction.OUTGOING,
                Level.MAT,
                "9/CV-PTP",
                date(2026, 11, 24),
                1,
                doc_type="Công văn",
                summary="Về việc báo cáo công tác năm 2026",
            )
        )
        assert (item.book_kind, item.year, item.number) == ("outgoing", 2026, 2)
        (copy,) = app.items.show(item.id).copies
        handover = app.handovers.create(
            "dispatch", [copy.id], recipient_body="Sở Tư pháp tỉnh Quảng Ngãi"
        )
        assert handover.label == "6/2026"
        assert app.items.show(item.id).copies[0].state.value == "in_transit"
        assert app.audit.verify().ok
    code, _, err = cli(data_dir, "audit", "verify")
    assert code == 0, err


OLDER = [v for v in VERSIONS if v < migrations.LATEST_VERSION]


@pytest.mark.parametrize("offset", [100, 5000, -3000], ids=["header", "page-2", "last-page"])
@pytest.mark.parametrize("version", OLDER, ids=[f"v{v}" for v in OLDER])
def test_a_vault_flipped_in_one_byte_is_refused_untouched(
    tmp_path: Path, version: int, offset: int
) -> None:
    data_dir = tmp_path / "vault"
    shutil.copytree(FIXTURES / f"vault-v{version}", data_dir)
    db = data_dir / vault_module.DB_FILE
    damaged = bytearray(db.read_bytes())
    damaged[offset] ^= 0x01
    db.write_bytes(bytes(damaged))
    with pytest.raises(VaultDamaged) as refused:
        app_module.unlock(data_dir, "admin", PASSPHRASE, CLOCK)
    assert "is damaged" in str(refused.value) and "restore the latest backup" in str(refused.value)
    code, _, err = cli(data_dir, "audit", "verify")
    assert code != 0 and "is damaged" in err and "Traceback" not in err
    code, _, err = cli(data_dir, "audit", "verify", lang="vi")
    assert code != 0 and "bị hỏng" in err and "khôi phục bản sao lưu gần nhất" in err
    assert db.read_bytes() == bytes(damaged)  # not repaired, not migrated
    assert sorted(p.name for p in data_dir.iterdir()) == ["secretdesk.db", "secretdesk.keys"]


# The fixtures of schemas 1 to 3 (test_fixture_vaults.py checks what they hold) go the same way.


@pytest.mark.parametrize("version", sorted(EARLY), ids=[f"v{v}" for v in sorted(EARLY)])
def test_the_early_vaults_migrate_keep_their_log_and_go_on(tmp_path: Path, version: int) -> None:
    data_dir = tmp_path / "vault"
    shutil.copytree(FIXTURES / f"vault-v{version}", data_dir)
    with app_module.unlock(data_dir, "admin", EARLY[version], CLOCK) as app:
        assert app.vault.schema_version() == migrations.LATEST_VERSION
        backup = app.vault.backup_made
        assert backup is not None
        data_key = KeySlots.load(backup / vault_module.KEYS_FILE).open(
            user_slot_id("admin"), EARLY[version]
        )
        conn = vault_module._connect(backup / vault_module.DB_FILE, data_key, new=False)
        try:
            assert conn.execute("PRAGMA user_version").fetchone()[0] == version
            kept = conn.execute("SELECT seq, action, hash FROM audit_event ORDER BY seq").fetchall()
        finally:
            conn.close()
        assert kept and kept[0][1] == "vault.created"
        now = app.audit.events(limit=1000)[: len(kept)]
        assert [(e.seq, e.action, e.hash) for e in now] == [tuple(row) for row in kept]
        assert_database_and_audit_sound(app)
        before = [i for i in app.items.search("") if i.book_kind == "outgoing"]
        item = app.items.register(
            Registration(Direction.OUTGOING, Level.MAT, "9/CV-PTP", date(2026, 11, 24), 1)
        )
        assert (item.book_kind, item.number) == ("outgoing", len(before) + 1)
        handover = app.handovers.create(
            "dispatch", [app.items.show(item.id).copies[0].id], recipient_body="Sở Tư pháp"
        )
        assert handover.status == "open"
    result = run_cli(
        "--data-dir", str(data_dir), "--user", "admin", "--lang", "en", "audit", "verify",
        env={"SECRETDESK_PASSPHRASE": EARLY[version]}, clock=CLOCK,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
