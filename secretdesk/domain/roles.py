"""Roles and what each may do (DOMAIN.md §1, §5)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from secretdesk.domain.errors import DomainError
from secretdesk.domain.levels import Level
from secretdesk.i18n import N_, LazyText, translate


class Role(StrEnum):
    CLERK = "clerk"  # văn thư / cán bộ quản lý BMNN
    APPROVER = "approver"  # người có thẩm quyền
    COUNCIL = "council"  # thành viên hội đồng
    AUDITOR = "auditor"  # kiểm tra
    ADMIN = "admin"  # quản trị

    def label(self, language: str | None = None) -> str:
        return translate(_ROLE_LABELS[self], language)


_ROLE_LABELS = {
    Role.CLERK: N_("clerk"),
    Role.APPROVER: N_("approver"),
    Role.COUNCIL: N_("council member"),
    Role.AUDITOR: N_("auditor"),
    Role.ADMIN: N_("administrator"),
}


class Permission(StrEnum):
    READ = "read"
    RECORD = "record"  # register, hand over, copy, print, export
    APPROVE = "approve"
    SIT_ON_COUNCIL = "sit_on_council"
    MANAGE_USERS = "manage_users"
    VERIFY = "verify"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset({Permission.READ, Permission.RECORD, Permission.VERIFY}),
    Role.APPROVER: frozenset(
        {Permission.READ, Permission.APPROVE, Permission.SIT_ON_COUNCIL, Permission.VERIFY}
    ),
    Role.COUNCIL: frozenset({Permission.READ, Permission.SIT_ON_COUNCIL}),
    Role.AUDITOR: frozenset({Permission.READ, Permission.VERIFY}),
    Role.ADMIN: frozenset(
        {Permission.READ, Permission.RECORD, Permission.MANAGE_USERS, Permission.VERIFY}
    ),
}


class NotPermitted(DomainError):
    code = "auth.not_permitted"
    message = N_("{user} ({role}) may not {permission}.")


class ApprovalRefused(DomainError):
    code = "auth.approval_refused"
    message = N_("{user} cannot approve this: {reason}.")


_PERMISSION_LABELS = {
    Permission.READ: N_("read the register"),
    Permission.RECORD: N_("record changes in the register"),
    Permission.APPROVE: N_("approve requests"),
    Permission.SIT_ON_COUNCIL: N_("sign as a council member"),
    Permission.MANAGE_USERS: N_("manage users"),
    Permission.VERIFY: N_("verify the audit log"),
}


@dataclass(frozen=True)
class Actor:
    """A user of the vault: the person acting (who unlocked it, or who countersigned), and
    what the user service lists. ``User`` is the same type under the register's noun."""

    user_id: int
    username: str
    full_name: str
    role: Role
    max_level: Level | None
    disabled: bool = False
    # The highest level this person may see (distinct from the level they may approve).
    clearance: Level = Level.TUYET_MAT

    def to_json(self) -> dict[str, Any]:
        """The user in ``--json`` output (README "JSON output"): ``username`` str,
        ``full_name`` str, ``role`` a Role value, ``max_level`` a Level value or "" (the highest
        level they may approve), ``clearance`` a Level value, ``disabled`` bool."""
        return {
            "username": self.username,
            "full_name": self.full_name,
            "role": self.role.value,
            "max_level": self.max_level.value if self.max_level else "",
            "clearance": self.clearance.value,
            "disabled": self.disabled,
        }

    def covers(self, level: Level) -> bool:
        """The authority of this person (the highest level they may approve) covers
        ``level``; False for someone who approves nothing. Rule 3, at a decision and again at
        the act it allows."""
        return self.max_level is not None and self.max_level.covers(level)

    def may_see(self, level: Level) -> bool:
        return self.clearance.covers(level)

    def hidden_levels(self) -> tuple[Level, ...]:
        """Levels above this person's clearance, whose records are left out for them."""
        return tuple(level for level in Level if not self.clearance.covers(level))

    def can(self, permission: Permission) -> bool:
        return not self.disabled and permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise NotPermitted(
                user=self.username,
                role=LazyText(_ROLE_LABELS[self.role]),
                permission=LazyText(_PERMISSION_LABELS[permission]),
            )

    def require_approval_of(self, level: Level, requested_by: str) -> None:
        """Rule 3: the approver's authority covers the level, and nobody approves their own."""
        self.require(Permission.APPROVE)
        if self.username == requested_by:
            raise ApprovalRefused(
                user=self.username, reason=LazyText(N_("nobody approves their own request"))
            )
        if not self.covers(level):
            raise ApprovalRefused(
                user=self.username,
                reason=LazyText(N_("their authority does not cover {level}"), level=level.label_vi),
            )


# A user of the vault, as the user service lists them: the same type as the person acting.
User = Actor
