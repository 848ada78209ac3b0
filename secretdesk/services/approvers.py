"""Who may approve (Law 2018 / Law 2025 Art. 11): the unit gives each approver a post from
the rule file of the basis in force; a post covers its level and the lower ones.

Once the unit has given any post, approvals of copies (Art. 11), of provision to another
body (Art. 15: the copy authority for that level) and of destruction (Art. 23: those who may
authorise copying of Tuyệt mật or Tối mật) check the approver's post; a refusal names the
article. A unit that has given no post yet keeps only the clearance check (rule 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from secretdesk.domain.legal import ApproverPost, check_foreign_post, check_post
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, Permission
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.registry import basis_on
from secretdesk.storage import legal, users

if TYPE_CHECKING:
    from secretdesk.services.users import UserService

# How the unit gives posts: said by the self-test, the dashboard and ``approver posts``.
HOW_TO_SET = N_("secretdesk approver set USER POST (the posts: secretdesk approver posts).")


@dataclass(frozen=True)
class ApproverPostRow:
    username: str
    post: str
    known: ApproverPost | None  # None: the basis in force does not name this post


class ApproverService:
    def __init__(self, ctx: ServiceContext, users: UserService) -> None:
        self.ctx = ctx
        self.users = users  # who countersigns a post

    def available(self) -> tuple[ApproverPost, ...]:
        """The posts of the basis in force, highest level first: those of Art. 11, then
        those only Art. 16 (provision to foreign bodies or persons) names."""
        basis = basis_on(self.ctx.today())
        posts = (*basis.approver_posts, *basis.foreign_posts)
        return tuple(sorted(posts, key=lambda p: -p.level.rank))

    def foreign_only(self) -> tuple[ApproverPost, ...]:
        """The posts only Art. 16 names: they decide provision abroad and nothing else."""
        return basis_on(self.ctx.today()).foreign_posts

    def assign(
        self, username: str, post_code: str, approver: Actor | None = None
    ) -> ApproverPostRow:
        """The post sets the highest level ``username`` may approve: countersigned by another
        approver or administrator, never the actor nor ``username`` (two-person control, as
        in users). Alone only when nobody else could countersign."""
        from secretdesk.services.users import COUNTERSIGNING_ROLES, CountersignatureRequired

        basis = basis_on(self.ctx.today())
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            if approver is None:
                others = [
                    user
                    for user in users.all_users(change.conn)
                    if user.role in COUNTERSIGNING_ROLES
                    and user.username not in (change.actor.username, username)
                ]
                if others:
                    raise CountersignatureRequired()
                second: dict[str, object] = {
                    "countersigned_by": None,
                    "alone": "nobody else could countersign",
                }
            elif approver.username == username:
                raise CountersignatureRequired()
            else:
                second = self.users._second_person(approver)
            if users.by_username(change.conn, username) is None:
                raise NotFound(what=LazyText(N_("user")), ref=username)
            if basis.any_post(post_code) is None:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("{basis} names no post {post}."), basis=basis.title, post=post_code
                    )
                )
            legal.set_post(change.conn, username, post_code, change.at_utc, change.actor.username)
            change.audit(
                "approver.post", "user", username, post=post_code, basis=basis.code, **second
            )
        return ApproverPostRow(username, post_code, basis.any_post(post_code))

    def gap(self) -> LazyText | None:
        """Why approvals are not yet checked against the posts the rules in force name, for
        the self-test and the dashboard; None when they are. The check is opt-in until the
        unit gives a first post (module notes): the gap is shown, never silent."""
        basis = basis_on(self.ctx.today())
        if not basis.approver_posts:
            return None
        given = legal.posts(self.ctx.read())
        if not given:
            return LazyText(
                N_(
                    "{basis} ties approvals to posts ({article}), but no approver has a post"
                    " yet: approvals check only the highest level set on each account. Give"
                    " each approver their post: {how}"
                ),
                basis=basis.title,
                article=basis.cite("copy_authority"),
                how=LazyText(HOW_TO_SET),
            )
        stale = sorted(
            f"{user} ({code})" for user, code in given.items() if not basis.any_post(code)
        )
        if stale:
            return LazyText(
                N_(
                    "{basis} no longer names the posts of {users}: give them a post of the"
                    " rules in force."
                ),
                basis=basis.title,
                users=", ".join(stale),
            )
        return None

    def list(self) -> list[ApproverPostRow]:
        basis = basis_on(self.ctx.today())
        return [
            ApproverPostRow(name, code, basis.any_post(code))
            for name, code in legal.posts(self.ctx.read()).items()
        ]


def require_post(
    ctx: ServiceContext, change: Change, approver: Actor, level: Level, rule: str
) -> None:
    """Check the approver's post when the unit has given posts (see the module notes)."""
    given = legal.posts(change.conn)
    if not given:
        return
    basis = basis_on(ctx.today())
    check_post(basis, approver.username, given.get(approver.username), level, rule)


def require_foreign_post(
    ctx: ServiceContext, change: Change, approver: Actor, level: Level
) -> None:
    """Provision to a foreign body or person: the posts Art. 16 names for ``level``, checked
    when the unit has given posts (see the module notes)."""
    given = legal.posts(change.conn)
    if not given:
        return
    check_foreign_post(
        basis_on(ctx.today()), approver.username, given.get(approver.username), level
    )
