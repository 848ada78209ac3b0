"""Clearance (issue 12), the lists a review found open: permits, destruction cases and the
scans of a record leave out, for a user cleared for Mật, what names a Tối mật record and say
how many were left out; the destruction minutes of such a case are refused (audited)."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.destruction import CouncilSeat
from secretdesk.services.items import NotCleared
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli

CLERK_PASS = "clerk passphrase long"
HEAD_PASS = "head passphrase long"
COUNCIL = [
    CouncilSeat("Nguyễn Văn Chủ Tịch", "chair", "Phó Giám đốc"),
    CouncilSeat("Lê Thị Thành Viên", "member", "Chuyên viên"),
]
OUT = {
    "requester": "Nguyễn Văn Cán Bộ",
    "purpose": "Báo cáo tại cuộc họp giao ban",
    "place": "Trụ sở UBND tỉnh, phòng họp 2",
    "starts_at": datetime(2026, 10, 20, 9, 0),
    "ends_at": datetime(2026, 10, 20, 17, 0),
    "protection": "Cặp có khóa, mang theo người",
}
LEFT_OUT = "Records above your clearance left out: 1."


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """A Mật and a Tối mật item (KH-MAT, KH-TOIMAT), each with a take-out permit, a proposed
    destruction case with a scan of its minutes, and an emergency destruction carried out.
    Cases: 1/2026 Mật proposed, 2/2026 Tối mật proposed, 3/2026 Mật done, 4/2026 Tối mật done."""
    app, _ = new_app(tmp_path / "v")
    with app:
        app.users.add("canbo", Role.CLERK, CLERK_PASS, clearance=Level.MAT)
        app.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
        copies = {}
        for level, symbol in ((Level.MAT, "1/KH-MAT"), (Level.TOI_MAT, "2/KH-TOIMAT")):
            item = app.items.register(
                Registration(Direction.OUTGOING, level, symbol, date(2026, 10, 1), 3)
            )
            copies[level] = [c.id for c in app.items.show(item.id).copies]
        for level in (Level.MAT, Level.TOI_MAT):
            app.permits.request("take-out", [copies[level][0]], **OUT)
        for level in (Level.MAT, Level.TOI_MAT):
            case = app.destruction.propose([copies[level][1]], "Hết giá trị sử dụng", COUNCIL)
            app.attachments.add("destruction", case.label, f"bien-ban-{level.value}.png", png())
        for level in (Level.MAT, Level.TOI_MAT):
            app.destruction.emergency([copies[level][2]], "Cháy kho, hủy ngay", place="Kho")
    return tmp_path / "v"


def clerk(vault: Path) -> App:
    return app_module.unlock(vault, "canbo", CLERK_PASS, fixed_clock())


def cli(vault: Path, user: str, *args: str) -> tuple[int, str, str]:
    password = CLERK_PASS if user == "canbo" else PASSPHRASE
    done = run_cli(
        "--lang",
        "en",
        "--data-dir",
        str(vault),
        "--user",
        user,
        *args,
        env={"SECRETDESK_PASSPHRASE": password},
    )
    return done.returncode, done.stdout, done.stderr


# -- (a) permits ------------------------------------------------------------------------------
def test_the_permit_list_leaves_out_a_permit_above_clearance_and_says_so(vault: Path) -> None:
    with clerk(vault) as app:
        assert [p.id for p in app.permits.list()] == [1]
        assert app.permits.hidden_count() == 1
        assert (
            app.permits.list(status="approved") == []
            and app.permits.hidden_count(status="approved") == 0
        )
    with app_module.unlock(vault, "admin", PASSPHRASE, fixed_clock()) as admin:
        assert len(admin.permits.list()) == 2 and admin.permits.hidden_count() == 0
    code, out, _err = cli(vault, "canbo", "permit", "list")
    assert code == 0 and LEFT_OUT in out
    code, out, _err = cli(vault, "admin", "permit", "list")
    assert code == 0 and "left out" not in out


def test_overdue_permits_above_clearance_are_left_out(vault: Path) -> None:
    with app_module.unlock(vault, "admin", PASSPHRASE, fixed_clock()) as admin:
        for permit in admin.permits.list():
            admin.permits.approve(permit.id, admin.users.countersign("head", HEAD_PASS))
        assert len(admin.permits.overdue()) == 2
    with clerk(vault) as app:
        assert [p.id for p in app.permits.overdue()] == [1]
        assert app.permits.hidden_count(overdue=True) == 1
    code, out, _err = cli(vault, "canbo", "permit", "list", "--overdue")
    assert code == 0 and LEFT_OUT in out


# -- (b) destruction cases --------------------------------------------------------------------
def test_the_destruction_list_leaves_out_cases_above_clearance_and_says_so(
    vault: Path,
) -> None:
    with clerk(vault) as app:
        assert [c.label for c in app.destruction.list()] == ["1/2026", "3/2026"]
        assert app.destruction.hidden_count() == 2
        assert app.destruction.hidden_count(status="proposed") == 1
        assert [c.label for c in app.destruction.emergencies()] == ["3/2026"]
        assert app.destruction.hidden_count(emergency=True) == 1
    code, out, _err = cli(vault, "canbo", "destroy", "list")
    assert code == 0 and "Records above your clearance left out: 2." in out
    assert "2/2026" not in out and "4/2026" not in out
    code, out, _err = cli(vault, "admin", "destroy", "list")
    assert code == 0 and "left out" not in out and "4/2026" in out


def test_showing_a_case_above_clearance_is_refused_and_audited(vault: Path) -> None:
    with clerk(vault) as app:
        mat_case = app.destruction.find(2026, 1)
        assert app.destruction.show(mat_case.id) == mat_case
        assert [c.number_symbol for c in app.destruction.copies(mat_case.id)] == ["1/KH-MAT"]
        top_case = app.destruction.find(2026, 2)
        with pytest.raises(NotCleared):
            app.destruction.show(top_case.id)
        with pytest.raises(NotCleared):
            app.destruction.copies(top_case.id)
        refused = app.audit.events(action_prefix="destruction.view_refused")
        assert [(e.actor, e.entity_id, e.detail["level"]) for e in refused] == [
            ("canbo", str(top_case.id), Level.TOI_MAT.value)
        ] * 2


# -- (c) the destruction minutes as text --------------------------------------------------------
def test_the_minutes_of_a_case_above_clearance_are_refused_on_the_cli(vault: Path) -> None:
    with clerk(vault) as app:
        assert app.destruction.minutes(app.destruction.find(2026, 3).id).copies
        with pytest.raises(NotCleared):
            app.destruction.minutes(app.destruction.find(2026, 4).id)
    code, out, err = cli(vault, "canbo", "destroy", "minutes", "4/2026")
    assert code != 0 and "KH-TOIMAT" not in out + err
    assert "canbo is not cleared to see Tối mật records." in err
    code, out, _err = cli(vault, "canbo", "destroy", "minutes", "3/2026")
    assert code == 0 and "1/KH-MAT" in out
    code, out, _err = cli(vault, "admin", "destroy", "minutes", "4/2026")
    assert code == 0 and "2/KH-TOIMAT" in out
    with clerk(vault) as app:
        refused = app.audit.events(action_prefix="destruction.view_refused")
        assert [e.detail["number"] for e in refused] == ["4/2026", "4/2026"]
        # the printout still records its own refusal
        with pytest.raises(NotCleared):
            app.printing.minutes(app.destruction.find(2026, 4).id)
        (printed,) = app.audit.events(action_prefix="print.refused_clearance")
        assert printed.detail["level"] == Level.TOI_MAT.value


# -- (d) the scans of a record ----------------------------------------------------------------
def test_the_scan_list_of_a_record_above_clearance_leaves_its_files_out(vault: Path) -> None:
    with clerk(vault) as app:
        (kept,) = app.attachments.list("destruction", "1/2026")
        assert kept.filename == "bien-ban-mat.png"
        assert app.attachments.hidden_count("destruction", "1/2026") == 0
        assert app.attachments.list("destruction", "2/2026") == []
        assert app.attachments.hidden_count("destruction", "2/2026") == 1
    code, out, _err = cli(vault, "canbo", "attach", "list", "destruction", "2/2026")
    assert code == 0 and "bien-ban-toi-mat" not in out
    assert "Scans of a record above your clearance left out: 1." in out
    code, out, _err = cli(vault, "admin", "attach", "list", "destruction", "2/2026")
    assert code == 0 and "bien-ban-toi-mat.png" in out and "left out" not in out


def test_the_left_out_notices_read_in_vietnamese(vault: Path) -> None:
    done = run_cli(
        "--lang",
        "vi",
        "--data-dir",
        str(vault),
        "--user",
        "canbo",
        "attach",
        "list",
        "destruction",
        "2/2026",
        env={"SECRETDESK_PASSPHRASE": CLERK_PASS},
    )
    assert done.returncode == 0
    assert "Số bản quét của hồ sơ có độ mật cao hơn mức bạn được xem" in done.stdout


def test_destroy_show_takes_the_case_number_and_refuses_a_case_above_clearance(
    vault: Path,
) -> None:
    code, out, _err = cli(vault, "canbo", "destroy", "show", "1/2026")
    assert code == 0 and "Destruction case 1/2026: proposed" in out and "1/KH-MAT" in out
    with clerk(vault) as app:
        top_id = app.destruction.find(2026, 2).id
    for ref in ("2/2026", str(top_id)):
        code, out, err = cli(vault, "canbo", "destroy", "show", ref)
        assert code != 0 and "KH-TOIMAT" not in out + err
        assert "canbo is not cleared to see Tối mật records." in err
    code, out, _err = cli(vault, "admin", "--json", "destroy", "show", str(top_id))
    assert code == 0 and '"number_symbol": "2/KH-TOIMAT"' in out
    with clerk(vault) as app:
        refused = app.audit.events(action_prefix="destruction.view_refused")
        assert [e.entity_id for e in refused] == [str(top_id)] * 2
    done = run_cli(
        "--lang", "vi", "--data-dir", str(vault), "--user", "canbo", "destroy", "show", "1/2026",
        env={"SECRETDESK_PASSPHRASE": CLERK_PASS},
    )  # fmt: skip
    assert done.returncode == 0 and "Hồ sơ tiêu hủy 1/2026" in done.stdout
