"""Provision to a foreign body or person (issue 14): Art. 16 of each law names its own
deciders, changed in 2025. A clock in 2025 puts Law 2018 in force (Tuyệt mật: the Prime
Minister only; Tối mật and Mật: the Art. 11.1 posts except point e), a clock in 2026 Law
2025 (Tuyệt mật: General Secretary, President, Prime Minister, NA Chairman; Tối mật and Mật:
heads and deputies of points a to k, Ministers and Deputy Ministers of Defence and Public
Security). Refusals name the article in both languages; the approved decision prints."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.legal import PostRefused
from secretdesk.domain.levels import Level
from secretdesk.services.errors import InvalidRequest
from tests.helpers import fixed_clock, new_app
from tests.integration.test_legal_fidelity import APPROVER_PASS, approver

LAW = "Luật Bảo vệ bí mật nhà nước"
ACT = "of the Law on Protection of State Secrets"
BASES = {
    2025: (f"Điều 16 {LAW} 2018", f"Art. 16 {ACT} 2018"),
    2026: (f"Điều 16 {LAW} 2025", f"Art. 16 {ACT} 2025"),
}


def foreign_request(app: App, level: Level, symbol: str) -> int:
    item = app.items.register(Registration(Direction.INCOMING, level, symbol, app.ctx.today(), 1))
    copy = app.items.show(item.id).copies[0].id
    return app.permits.request(
        "provision",
        [copy],
        requester="John Smith",
        purpose="Chương trình hợp tác quốc tế về phòng, chống tội phạm",
        requesting_body="Cơ quan Phòng chống ma túy Ôx-trây-li-a",
        commitment="Bảo vệ theo pháp luật Việt Nam và điều ước quốc tế",
        foreign=True,
        requester_position="Trưởng đoàn chuyên gia",
        nationality="Ôx-trây-li-a",
        passport="PA1234567",
    ).id


@pytest.mark.parametrize("year", [2025, 2026])
def test_tuyet_mat_goes_abroad_only_by_the_posts_of_article_16(tmp_path: Path, year: int) -> None:
    vi, en = BASES[year]
    app = new_app(tmp_path / "v", fixed_clock(year, 6, 2))[0]
    minister = approver(app, "bo", "bo-truong")  # may copy Tuyệt mật, not send it abroad
    prime_minister = approver(app, "tt", "thu-tuong")
    permit = foreign_request(app, Level.TUYET_MAT, "1/BC")
    with pytest.raises(PostRefused) as refused:
        app.permits.approve(permit, minister)
    assert vi in refused.value.render("vi") and "Thủ tướng Chính phủ" in refused.value.render("vi")
    assert en in refused.value.render("en") and "Prime Minister" in refused.value.render("en")
    assert ("Tổng Bí thư" in refused.value.render("vi")) is (year == 2026)  # changed in 2025
    assert app.permits.approve(permit, prime_minister).status == "approved"
    # a post only Article 16 names approves nothing else (copying: Article 11)
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "2/BC", app.ctx.today(), 1)
    )
    source = app.items.show(item.id).copies[0].id
    request = app.copies.request(source, 1, "sao-y")
    with pytest.raises(PostRefused, match="only decides provision to foreign"):
        app.copies.approve(request.id, prime_minister)


@pytest.mark.parametrize("year", [2025, 2026])
def test_toi_mat_and_mat_abroad_courts_and_deputies_differ_by_basis(
    tmp_path: Path, year: int
) -> None:
    vi, _ = BASES[year]
    app = new_app(tmp_path / "v", fixed_clock(year, 6, 2))[0]
    court = approver(app, "toa", "toa-an-vks-cap-cao-tinh")  # Art. 11.1 point e
    province = approver(app, "so", "so-ban-nganh")  # a Tối mật copy authority only
    for level, symbol in ((Level.TOI_MAT, "3/BC"), (Level.MAT, "4/BC")):
        permit = foreign_request(app, level, symbol)
        with pytest.raises(PostRefused) as refused:
            app.permits.approve(permit, province)
        assert vi in refused.value.render("vi")
        if year == 2025:  # 2018: points a, b, c, d, đ, g, h, i and k: not e
            with pytest.raises(PostRefused):
                app.permits.approve(permit, court)
        else:  # 2025: points a to k, e included
            assert app.permits.approve(permit, court).status == "approved"
    if year == 2025:  # deputies and Deputy Ministers came in 2025
        with pytest.raises(InvalidRequest, match="names no post cap-pho-dieu-11-1"):
            app.approvers.assign(
                "so", "cap-pho-dieu-11-1", app.users.countersign("toa", APPROVER_PASS)
            )
    else:
        deputy = approver(app, "thutruong", "thu-truong-qp-ca")
        assert app.permits.approve(foreign_request(app, Level.TOI_MAT, "5/BC"), deputy)


def test_a_foreign_provision_request_cites_article_16(tmp_path: Path) -> None:
    app = new_app(tmp_path / "v", fixed_clock(2026, 6, 2))[0]
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "6/BC", app.ctx.today(), 1)
    )
    copy = app.items.show(item.id).copies[0].id
    with pytest.raises(InvalidRequest) as no_commitment:
        app.permits.request(
            "provision", [copy], requester="John Smith", purpose="Hợp tác",
            requesting_body="Cơ quan X", foreign=True,
        )  # fmt: skip
    assert "Điều 16 Luật Bảo vệ bí mật nhà nước 2025" in no_commitment.value.render("vi")
    assert "Art. 16" in no_commitment.value.render("en")
    with pytest.raises(InvalidRequest) as no_passport:
        app.permits.request(
            "provision", [copy], requester="John Smith", purpose="Hợp tác",
            requesting_body="Cơ quan X", commitment="Bảo vệ", foreign=True,
            requester_position="Chuyên gia", nationality="Ôx-trây-li-a",
        )  # fmt: skip
    assert no_passport.value.code == "permit.foreign_representative_incomplete"
    assert "số hộ chiếu" in no_passport.value.render("vi")
    assert "Art. 16" in no_passport.value.render("en")
    with pytest.raises(InvalidRequest) as take_out:
        app.permits.request("take-out", [copy], requester="A", purpose="B", foreign=True)
    assert take_out.value.code == "permit.foreign_only_provision"
    assert "Điều 16" in take_out.value.render("vi")


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_approved_foreign_provision_prints_its_decision(tmp_path: Path, year: int) -> None:
    vi, _ = BASES[year]
    app = new_app(tmp_path / "v", fixed_clock(year, 6, 2))[0]
    prime_minister = approver(app, "tt", "thu-tuong")
    permit = foreign_request(app, Level.TUYET_MAT, "7/BC")
    app.permits.approve(permit, prime_minister)
    pdf = tmp_path / "permit.pdf"
    pdf.write_bytes(app.printing.permit(permit))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    flat = " ".join(text.split())
    assert text == unicodedata.normalize("NFC", text)
    assert "cho cơ quan, tổ chức, cá nhân nước ngoài" in flat
    assert "Cơ quan Phòng chống ma túy Ôx-trây-li-a" in flat and "John Smith" in flat
    assert "Cam kết bảo vệ bí mật nhà nước: Bảo vệ theo pháp luật" in flat
    assert "chức vụ: Trưởng đoàn chuyên gia, quốc tịch: Ôx-trây-li-a, số hộ chiếu: PA1234567" in (
        flat
    )
    assert f"Người quyết định: Thủ tướng Chính phủ ({vi})" in flat
    assert "ra khỏi nơi lưu giữ" not in flat  # not the take-out wording


def test_cli_records_a_foreign_provision_and_refuses_a_foreign_take_out(tmp_path: Path) -> None:
    import json

    from tests.helpers import PASSPHRASE, run_cli

    app = new_app(tmp_path / "v", fixed_clock(2026, 11, 2))[0]
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "8/BC", app.ctx.today(), 1)
    )
    copy = str(app.items.show(item.id).copies[0].id)
    app.close()
    base = ("--json", "--data-dir", str(tmp_path / "v"), "--user", "admin")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    request = ("permit", "request", "--copies", copy, "--requester", "John Smith")
    request += ("--purpose", "Hợp tác quốc tế", "--foreign", "--nationality", "Pháp")
    request += ("--passport", "12AB34567", "--requester-position", "Tham tán")
    refused = run_cli(*base, *request, "--kind", "take-out", env=env)
    assert json.loads(refused.stdout)["error"]["code"] == "permit.foreign_only_provision"
    made = run_cli(
        *base, *request, "--kind", "provision", "--requesting-body", "Cơ quan X",
        "--commitment", "Bảo vệ theo quy định", env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    permit = json.loads(made.stdout)["id"]
    reopened = app_module_unlock(tmp_path / "v")
    document = reopened.permits.document(permit)
    assert document.legal is not None and document.legal.abroad  # the foreign variant
    assert document.foreign is not None
    assert (document.foreign.nationality, document.foreign.passport) == ("Pháp", "12AB34567")
    reopened.close()


def app_module_unlock(data: Path) -> App:
    from secretdesk import app as app_module
    from tests.helpers import PASSPHRASE

    return app_module.unlock(data, "admin", PASSPHRASE, fixed_clock(2026, 11, 2))
