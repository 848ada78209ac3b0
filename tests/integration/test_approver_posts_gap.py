"""The approver-post check is opt-in until the unit gives a post (issue 14): the gap is made
visible by the self-test, ``approver posts`` and the dashboard, in both languages, and
approvals on the 2026 basis stay possible meanwhile (README "Approver posts")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.legal import PostRefused
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.maintenance import APPROVER_POSTS
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli
from tests.integration.test_legal_fidelity import APPROVER_PASS, approver


def posts_check(app: app_module.App):  # type: ignore[no-untyped-def]
    return next(c for c in app.maintenance.self_test().checks if c.name == APPROVER_POSTS)


def test_the_self_test_warns_until_a_post_is_given_in_both_languages(tmp_path: Path) -> None:
    app = new_app(tmp_path / "v", fixed_clock(2026, 6, 2))[0]
    check = posts_check(app)
    assert not check.ok and check.warning_only
    vi, en = check.detail.render("vi"), check.detail.render("en")
    assert "Luật Bảo vệ bí mật nhà nước 2025" in vi and "Điều 11" in vi
    assert "chưa người duyệt nào được giao chức danh" in vi
    assert "secretdesk approver set USER POST" in vi and "secretdesk approver posts" in vi
    assert "no approver has a post yet" in en and "Art. 11" in en
    approver(app, "so", "so-ban-nganh")
    assert posts_check(app).ok and app.approvers.gap() is None


def test_approvals_on_the_2026_basis_go_on_without_posts_until_the_first_is_given(
    tmp_path: Path,
) -> None:
    """The decision (README "Approver posts"): not refused; warned instead."""
    app = new_app(tmp_path / "v", fixed_clock(2026, 6, 2))[0]
    early = approver(app, "early", None)
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "1/BC", date(2026, 6, 1), 1)
    )
    source = app.items.show(item.id).copies[0].id
    assert app.copies.approve(app.copies.request(source, 1, "sao-y").id, early).status == "approved"
    approver(app, "so", "so-ban-nganh")  # the first post: from now on every approval checks it
    with pytest.raises(PostRefused, match="not given them a post"):
        app.copies.approve(app.copies.request(source, 1, "sao-y").id, early)


def test_a_post_the_new_basis_no_longer_names_is_warned(tmp_path: Path) -> None:
    data = tmp_path / "v"
    app = new_app(data, fixed_clock(2025, 6, 2))[0]
    approver(app, "huyen", "huyen")  # a district post of the 2020 basis
    assert app.approvers.gap() is None
    app.close()
    later = app_module.unlock(data, "admin", PASSPHRASE, fixed_clock(2026, 6, 2))
    gap = later.approvers.gap()
    assert gap is not None and "huyen (huyen)" in gap.render("vi")
    assert "không còn quy định chức danh" in gap.render("vi")
    later.close()


def test_approver_posts_says_how_to_give_them_in_both_languages(tmp_path: Path) -> None:
    app = new_app(tmp_path / "v", fixed_clock(2026, 11, 2))[0]
    app.users.add("so", Role.APPROVER, APPROVER_PASS, max_level=Level.TOI_MAT)
    app.close()
    base = ("--data-dir", str(tmp_path / "v"), "--user", "admin")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    vietnamese = run_cli("--lang", "vi", *base, "approver", "posts", env=env)
    assert vietnamese.returncode == 0
    assert "chưa người duyệt nào được giao chức danh" in vietnamese.stdout
    assert "giao chức danh cho từng người duyệt: secretdesk approver set USER POST" in (
        vietnamese.stdout
    )
    assert "Chỉ theo Điều 16" in vietnamese.stdout
    prime_minister = next(line for line in vietnamese.stdout.splitlines() if "thu-tuong" in line)
    assert "Thủ tướng Chính phủ" in prime_minister and prime_minister.rstrip().endswith("✓")
    english = run_cli("--lang", "en", *base, "approver", "posts", env=env)
    assert "no approver has a post yet" in english.stdout
    assert "Give each approver their post: secretdesk approver set USER POST" in english.stdout
    assert run_cli(*base, "approver", "set", "so", "so-ban-nganh", env=env).returncode == 0
    after = run_cli("--lang", "en", *base, "approver", "posts", env=env)
    assert "Give each approver their post: secretdesk approver set USER POST" in after.stdout
    assert "no approver has a post yet" not in after.stdout
