"""Issue 14: the rules an inspector checks, on both legal bases, against a real vault.

A clock in 2025 puts the 2020 basis (Law 2018, ND26, TT24) in force; a clock in 2026 the 2026
basis (Law 2025, ND63). Every refusal that comes from the law names its article in the
language of the message.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.cli.main import main
from secretdesk.domain.errors import ExtensionRefused
from secretdesk.domain.items import ConsentUnnamed, Direction, Registration, SummaryForbidden
from secretdesk.domain.legal import RULE_KEYS, PostRefused, RuleKind
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, Role
from secretdesk.reports.registers import register_layout, register_rows
from secretdesk.resources import resource_path
from secretdesk.services.errors import InvalidRequest
from secretdesk.services.registry import legal_bases
from secretdesk.storage.destruction import CouncilSeat
from secretdesk.storage.sqlite import IntegrityError
from tests.helpers import PASSPHRASE, fixed_clock, new_app

SUMMARY = "Phương án bảo vệ mục tiêu trọng điểm"
CONSENTER = "Bí thư Tỉnh ủy Nguyễn Văn Phúc"
MASK_2020 = "(Không ghi trích yếu: chưa có ý kiến đồng ý của người có thẩm quyền xác định độ mật)"
MASK_2026 = "(Độ Tuyệt mật: không ghi trích yếu)"


def app_2020(tmp_path: Path) -> App:
    return new_app(tmp_path / "v2025", fixed_clock(2025, 6, 2))[0]


def app_2026(tmp_path: Path) -> App:
    return new_app(tmp_path / "v2026", fixed_clock(2026, 6, 2))[0]


def top_secret(symbol: str, **extra: object) -> Registration:
    return Registration(
        Direction.OUTGOING,
        Level.TUYET_MAT,
        symbol,
        date(2025, 5, 20),
        2,
        **extra,  # type: ignore[arg-type]
    )


def summary_cells(app: App, kind: str, year: int) -> list[str]:
    data = app.printing.register_data(kind, year)
    layout = register_layout(data)
    column = [c.field for c in layout.tables["entries"]].index("summary")
    return [row.cells[column] for row in register_rows(data, layout)]


def test_2020_a_consented_summary_is_recorded_with_who_and_when_and_printed(
    tmp_path: Path,
) -> None:
    app = app_2020(tmp_path)
    consented = app.items.register(
        top_secret(
            "1/KH-STP",
            summary=SUMMARY,
            summary_consent=True,
            summary_consent_by=CONSENTER,
            summary_consent_on=date(2025, 5, 30),
            file_copy_holder="Văn thư Sở",
            list_decision="Quyết định số 1722/QĐ-TTg",
            list_entry="Mục 3",
        )
    )
    unconsented = app.items.register(top_secret("2/KH-STP"))
    shown = app.items.show(consented.id).legal
    assert (shown.summary_consent_by, shown.summary_consent_on) == (CONSENTER, "2025-05-30")
    assert (shown.list_decision, shown.list_entry) == ("Quyết định số 1722/QĐ-TTg", "Mục 3")
    assert app.items.show(unconsented.id).legal.summary_consent_by == ""
    entry = app.printing.register_data("outgoing", 2025).entries[0]
    assert entry.cells["summary"] == "" and entry.consented_summary == SUMMARY  # never in cells
    cells = summary_cells(app, "outgoing", 2025)
    assert cells[0] == (
        f"{SUMMARY} (Người có thẩm quyền xác định độ mật đồng ý ghi trích yếu: "
        f"{CONSENTER}, ngày 30/05/2025)"
    )
    assert cells[1] == MASK_2020
    # the consent a recorded summary relies on cannot be removed behind the service's back
    with pytest.raises(IntegrityError, match="consent"):
        app.vault.connection.execute(
            "UPDATE item_legal SET summary_consent_by = '' WHERE item_id = ?", (consented.id,)
        )


def test_2020_consent_defaults_to_the_classifier_and_an_unnamed_consent_is_refused(
    tmp_path: Path,
) -> None:
    app = app_2020(tmp_path)
    with pytest.raises(ConsentUnnamed) as unnamed:
        app.items.register(top_secret("3/KH-STP", summary=SUMMARY, summary_consent=True))
    assert "khoản 1 Điều 4 Nghị định 26/2020/NĐ-CP" in unnamed.value.render("vi")
    assert "Decree 26/2020/ND-CP, Art. 4.1" in unnamed.value.render("en")
    item = app.items.register(
        top_secret("4/KH-STP", summary=SUMMARY, summary_consent=True, classifier=CONSENTER)
    )
    legal = app.items.show(item.id).legal
    assert (legal.summary_consent_by, legal.summary_consent_on) == (CONSENTER, "2025-06-02")
    with pytest.raises(SummaryForbidden) as refused:
        app.items.register(top_secret("5/KH-STP", summary=SUMMARY))
    assert "(khoản 1 Điều 4 Nghị định 26/2020/NĐ-CP)" in refused.value.render("vi")


def test_2026_no_summary_whatever_the_consent_and_the_refusal_names_its_source(
    tmp_path: Path,
) -> None:
    app = app_2026(tmp_path)
    with pytest.raises(SummaryForbidden) as refused:
        app.items.register(
            top_secret("1/KH-STP", summary=SUMMARY, summary_consent=True, classifier=CONSENTER)
        )
    assert "Nghị định 63/2026/NĐ-CP" in refused.value.render("vi")
    assert "Decree 63/2026/ND-CP" in refused.value.render("en")
    app.items.register(top_secret("2/KH-STP"))
    assert summary_cells(app, "outgoing", 2026) == [MASK_2026]


def test_becoming_tuyet_mat_with_a_summary_names_the_article(tmp_path: Path) -> None:
    app = app_2026(tmp_path)
    plain = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "9/CAT", date(2026, 5, 2), 1, summary="Lộ")
    )
    with pytest.raises(InvalidRequest) as refused:
        app.classification.change_level(
            plain.id, Level.TUYET_MAT, decided_on=date(2026, 6, 1), decided_by="Giám đốc"
        )
    assert "Nghị định 63/2026/NĐ-CP" in refused.value.render("vi")


@pytest.mark.parametrize(
    ("clock", "vi", "en"),
    [
        (
            (2025, 6, 2),
            "(Điều 20 Luật Bảo vệ bí mật nhà nước 2018)",
            "(Art. 20 of the Law on Protection of State Secrets 2018)",
        ),
        (
            (2026, 6, 2),
            "Luật Bảo vệ bí mật nhà nước 2025, quy định về gia hạn",
            "The Law on Protection of State Secrets 2025, provision on extension",
        ),
    ],
)
def test_a_late_extension_is_refused_naming_its_source(
    tmp_path: Path, clock: tuple[int, int, int], vi: str, en: str
) -> None:
    app = new_app(tmp_path / "v", fixed_clock(*clock))[0]
    today = date(*clock)
    # a Mật item classified ten years ago less a month: expiry is within the 60 days
    item = app.items.register(
        Registration(
            Direction.INCOMING,
            Level.MAT,
            "7/BC",
            today,
            1,
            classified_on=date(today.year - 10, today.month + 1, 1),
        )
    )
    with pytest.raises(ExtensionRefused) as refused:
        app.classification.extend(item.id, 5, decided_on=today, decided_by="Giám đốc")
    assert vi in refused.value.render("vi") and en in refused.value.render("en")
    assert "60" in refused.value.render("vi")


def test_every_rule_of_both_rule_files_is_marked_law_or_house_policy() -> None:
    bases = legal_bases()
    assert {b.code for b in bases} == {"2020", "2026"}
    for basis in bases:
        assert set(RULE_KEYS) <= set(basis.sources)
        assert basis.sources["warn_days"].kind is RuleKind.HOUSE
        assert basis.sources["self_approval"].kind is RuleKind.HOUSE
        assert basis.sources["copy_authority"].kind is RuleKind.LAW
        assert basis.extension_decision_days_before_expiry == 60
    for name in ("law-2018.json", "law-2025.json"):
        raw = json.loads((resource_path("rules") / name).read_text(encoding="utf-8"))
        assert "extension_notice_days" not in raw
    by_code = {b.code: b for b in bases}
    assert by_code["2020"].cite("copy_authority").render("vi") == (
        "Điều 11 Luật Bảo vệ bí mật nhà nước 2018"
    )
    assert by_code["2026"].cite("copy_authority").render("vi") == (
        "Điều 11 Luật Bảo vệ bí mật nhà nước 2025"
    )
    assert by_code["2026"].cite("list_of_secrets").source.kind is RuleKind.LAW
    assert by_code["2020"].cite("list_of_secrets").source.kind is RuleKind.HOUSE


# -- who may approve: posts per level, a higher level covers the lower ones -----------------
APPROVER_PASS = "approver passphrase 2026"


def approver(app: App, username: str, post: str | None) -> Actor:
    """A new approver; from the second on, countersigned by the first (two-person control)."""
    first = next((a for a in app.users.list() if a.role is Role.APPROVER), None)
    witness = app.users.countersign(first.username, APPROVER_PASS) if first else None
    app.users.add(
        username, Role.APPROVER, APPROVER_PASS, max_level=Level.TUYET_MAT, approver=witness
    )
    if post is not None:
        app.approvers.assign(username, post, witness)
    return app.users.countersign(username, APPROVER_PASS)


def copy_request(app: App, level: Level, symbol: str) -> int:
    item = app.items.register(Registration(Direction.INCOMING, level, symbol, app.ctx.today(), 1))
    source = app.items.show(item.id).copies[0].id
    return app.copies.request(source, 1, "sao-y").id


@pytest.mark.parametrize(
    ("clock", "article", "district_post_known"),
    [
        ((2025, 6, 2), "Điều 11 Luật Bảo vệ bí mật nhà nước 2018", True),
        ((2026, 6, 2), "Điều 11 Luật Bảo vệ bí mật nhà nước 2025", False),
    ],
)
def test_copy_approval_checks_the_approvers_post_on_both_bases(
    tmp_path: Path, clock: tuple[int, int, int], article: str, district_post_known: bool
) -> None:
    app = new_app(tmp_path / "v", fixed_clock(*clock))[0]
    # before the unit gives any post, only the clearance is checked (rule 3)
    early = approver(app, "early", None)
    app.copies.approve(copy_request(app, Level.TOI_MAT, "1/BC"), early)
    office_head = approver(app, "phong", "phong")  # Mật only
    province = approver(app, "so", "so-ban-nganh")  # Tối mật, so Mật too
    minister = approver(app, "bo", "bo-truong")  # Tuyệt mật, so every level
    with pytest.raises(PostRefused) as refused:
        app.copies.approve(copy_request(app, Level.TOI_MAT, "2/BC"), office_head)
    assert article in refused.value.render("vi")
    assert "Tối mật" in refused.value.render("vi")
    with pytest.raises(PostRefused, match="not given them a post"):
        app.copies.approve(copy_request(app, Level.MAT, "3/BC"), early)
    assert app.copies.approve(copy_request(app, Level.MAT, "4/BC"), province).status == "approved"
    assert app.copies.approve(copy_request(app, Level.TOI_MAT, "5/BC"), province)
    with pytest.raises(PostRefused):
        app.copies.approve(copy_request(app, Level.TUYET_MAT, "6/BC"), province)
    assert app.copies.approve(copy_request(app, Level.TUYET_MAT, "7/BC"), minister)
    # district posts are gone in 2026; commune posts came in
    basis = {b.code: b for b in legal_bases()}["2020" if clock[0] == 2025 else "2026"]
    assert (basis.post("huyen") is not None) is district_post_known
    assert (basis.post("xa") is not None) is not district_post_known
    if not district_post_known:
        with pytest.raises(InvalidRequest, match="names no post huyen"):
            app.approvers.assign("phong", "huyen", app.users.countersign("so", APPROVER_PASS))
    assert {r.username: r.post for r in app.approvers.list()} == {
        "phong": "phong",
        "so": "so-ban-nganh",
        "bo": "bo-truong",
    }


def test_destruction_needs_a_post_covering_toi_mat_even_for_a_mat_item(tmp_path: Path) -> None:
    app = app_2026(tmp_path)
    office_head = approver(app, "phong", "phong")
    province = approver(app, "so", "so-ban-nganh")
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "8/BC", date(2026, 5, 1), 1)
    )
    copy = app.items.show(item.id).copies[0].id
    council = [
        CouncilSeat("Trần Văn Thủ Trưởng", "chair", "Giám đốc"),
        CouncilSeat("Nguyễn Thị Văn Thư", "holder", "Văn thư"),
    ]
    case = app.destruction.propose([copy], "Không còn cần thiết", council)
    with pytest.raises(PostRefused) as refused:
        app.destruction.approve(case.id, office_head, "Quyết định số 9/QĐ-STP")
    assert "tiêu hủy" in refused.value.render("vi")
    assert app.destruction.approve(case.id, province, "Quyết định số 9/QĐ-STP").status == "approved"


def test_approver_commands_list_posts_and_give_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "v"
    app = new_app(data, fixed_clock(2026, 6, 2))[0]
    app.users.add("so", Role.APPROVER, APPROVER_PASS, max_level=Level.TOI_MAT)
    app.close()
    monkeypatch.setenv("SECRETDESK_INSECURE_FAST_KDF", "1")
    monkeypatch.setenv("SECRETDESK_LOG_DIR", str(tmp_path / "log"))

    def run(*args: str) -> int:
        monkeypatch.setenv("SECRETDESK_PASSPHRASE", PASSPHRASE)  # read once, then cleared
        return main(["--data-dir", str(data), "--user", "admin", *args])

    assert run("--json", "approver", "posts") == 0
    posts = json.loads(capsys.readouterr().out)
    assert {"code": "xa", "level": "toi-mat"}.items() <= next(
        p for p in posts if p["code"] == "xa"
    ).items()
    assert run("approver", "set", "so", "so-ban-nganh") == 0
    assert "so giữ chức danh Người đứng đầu sở, ban, ngành cấp tỉnh" in capsys.readouterr().out
    assert run("--lang", "en", "approver", "set", "so", "huyen") == 1
    assert "names no post huyen" in capsys.readouterr().err


def test_taking_items_abroad_is_its_own_kind_with_its_own_approvers(tmp_path: Path) -> None:
    from datetime import datetime

    app = app_2026(tmp_path)
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "9/BC", date(2026, 5, 1), 1)
    )
    copy = app.items.show(item.id).copies[0].id
    trip = {
        "requester": "Lê Đức Thắng",
        "purpose": "Đàm phán",
        "place": "Viêng Chăn",
        "starts_at": datetime(2026, 6, 3, 8, 0),
        "ends_at": datetime(2026, 6, 9, 17, 0),
        "protection": "Cặp niêm phong, luôn mang theo người",
        "abroad": True,
    }
    with pytest.raises(InvalidRequest) as unnamed:
        app.permits.request("take-out", [copy], **trip)  # type: ignore[arg-type]
    assert "Trưởng đoàn" in unnamed.value.render("vi")
    with pytest.raises(InvalidRequest):
        app.permits.request("provision", [copy], **{**trip, "delegation_head": "X"})  # type: ignore[arg-type]
    permit = app.permits.request(
        "take-out", [copy], delegation_head="Thứ trưởng Nguyễn Văn A", **trip
    )  # type: ignore[arg-type]
    province = approver(app, "so", "so-ban-nganh")  # may approve Mật copies, not a trip abroad
    with pytest.raises(PostRefused) as refused:
        app.permits.approve(permit.id, province)
    assert "khoản 2 Điều 14" not in refused.value.render("vi")  # 2026: article not yet checked
    assert "mang ra nước ngoài" in refused.value.render("vi")
    minister = approver(app, "bo", "bo-truong")
    assert app.permits.approve(permit.id, minister).status == "approved"
    assert app.permits.document(permit.id).legal.delegation_head == "Thứ trưởng Nguyễn Văn A"


def test_a_2026_layout_masks_even_a_consented_summary() -> None:
    from secretdesk.reports.forms import load_layout
    from secretdesk.reports.model import RegisterData, RegisterEntry, RegisterKind
    from tests import report_samples as samples

    entry = RegisterEntry(
        {"number": "1", "summary": ""},
        Level.TUYET_MAT,
        consent_by=CONSENTER,
        consent_on=date(2025, 5, 30),
        consented_summary=SUMMARY,
    )
    data = RegisterData(
        RegisterKind.OUTGOING, samples.UNIT, 2026, 1, date(2026, 3, 2), None, 1, 1, (entry,)
    )
    for day, expected in ((date(2026, 3, 2), MASK_2026), (date(2025, 1, 2), SUMMARY)):
        layout = load_layout("register_outgoing", day)
        column = [c.field for c in layout.tables["entries"]].index("summary")
        assert register_rows(data, layout)[0].cells[column].startswith(expected)


@pytest.mark.parametrize(
    ("clock", "take_out", "provision"),
    [
        (
            (2025, 6, 2),
            "Điều 5 Nghị định 26/2020/NĐ-CP",
            "Điều 15 Luật Bảo vệ bí mật nhà nước 2018",
        ),
        (
            (2026, 6, 2),
            "mang tài liệu ra khỏi nơi lưu giữ, chưa đối chiếu số điều",
            "Điều 15 Luật Bảo vệ bí mật nhà nước 2025",
        ),
    ],
)
def test_incomplete_requests_name_their_article(
    tmp_path: Path, clock: tuple[int, int, int], take_out: str, provision: str
) -> None:
    from datetime import datetime

    app = new_app(tmp_path / "v", fixed_clock(*clock))[0]
    item = app.items.register(Registration(Direction.INCOMING, Level.MAT, "1/BC", date(*clock), 1))
    copy = app.items.show(item.id).copies[0].id
    with pytest.raises(InvalidRequest) as no_measures:
        app.permits.request(
            "take-out",
            [copy],
            requester="Lê Đức Thắng",
            purpose="Họp",
            place="Phòng họp",
            starts_at=datetime(*clock, 14, 0),
            ends_at=datetime(*clock, 17, 0),
        )
    assert take_out in no_measures.value.render("vi")
    with pytest.raises(InvalidRequest) as no_body:
        app.permits.request("provision", [copy], requester="Đại diện", purpose="Phối hợp")
    assert provision in no_body.value.render("vi")
