"""Pinning unit keys at the office: trust, untrust (retire) and rotate.

A unit key is pinned only under the unit code and with the fingerprint both typed from the
unit's paper report (the comment line of unit.pub is not signed: it may only agree); a key
pinned by mistake is retired (``untrust``, audited, the row kept) and no longer used.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from secretdesk.crypto import minisign
from secretdesk.crypto.signing import fingerprint
from secretdesk.domain.roles import Permission
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import ServiceContext
from secretdesk.services.office.errors import (
    FingerprintMismatch,
    RotationRefused,
    TrustRefused,
    UntrustRefused,
)
from secretdesk.services.package_v1 import parse_unit_pub_comment, read_signed, unit_pub_comment
from secretdesk.storage import office
from secretdesk.storage.office import TrustedUnit
from secretdesk.transfer.rotation import (
    MAX_STATEMENT_BYTES,
    ROTATION_SIGNATURE,
    ROTATION_STATEMENT,
    StatementInvalid,
    verify_statement,
)
from secretdesk.transfer.verify import verify_package

_UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_HEX = re.compile(r"[0-9A-F]{64}")


def normalise_fingerprint(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


class OfficeKeys:
    """The unit keys the office pins, retires and rotates."""

    ctx: ServiceContext

    def trusted_units(self, *, include_retired: bool = False) -> list[TrustedUnit]:
        return office.trusted_units(self.ctx.read(), include_retired=include_retired)

    def trust(self, pub_text: str, typed_fingerprint: str, *, code: str) -> TrustedUnit:
        """Pin a unit key under ``code``, after the fingerprint typed from the paper report
        matched it. Both the code and the fingerprint come from the paper report: the comment
        line of unit.pub is not signed, so it may only agree with the code, never supply it."""
        unit_code = code.strip()
        if _UNIT_CODE.fullmatch(unit_code) is None:
            raise TrustRefused(
                reason=LazyText(N_("{code} is not a valid unit code."), code=unit_code)
            )
        try:
            key_id, public = minisign.parse_public_key(pub_text)
        except minisign.MalformedKey:
            raise TrustRefused(
                reason=LazyText(N_("the file is not a minisign/signify public key."))
            ) from None
        actual = fingerprint(public)
        typed = normalise_fingerprint(typed_fingerprint)
        if typed != normalise_fingerprint(actual):
            shown = (
                " ".join(typed[i : i + 4] for i in range(0, 64, 4))
                if _HEX.fullmatch(typed)
                else typed_fingerprint.strip()
            )
            raise FingerprintMismatch(typed=shown, actual=actual)
        named = parse_unit_pub_comment(pub_text)
        if named is not None and named[0] != unit_code:
            raise TrustRefused(
                reason=LazyText(
                    N_("the key file is for unit {named}, not {code}."),
                    named=named[0],
                    code=unit_code,
                )
            )
        unit_name = named[1] if named is not None and named[1].strip() else unit_code
        key_id_text = minisign.key_id_text(key_id)
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            existing = office.trusted_unit_matching(change.conn, code=unit_code, fingerprint=actual)
            if existing is not None:
                if existing.code == unit_code and existing.fingerprint == actual:
                    return existing  # pinned already: nothing to do
                raise TrustRefused(
                    reason=LazyText(
                        N_(
                            "unit {code} is already pinned with key {fingerprint}. If that key "
                            "was pinned by mistake, retire it first (office untrust)."
                        ),
                        code=existing.code,
                        fingerprint=existing.fingerprint,
                    )
                )
            pinned = office.insert_trusted_unit(
                change.conn,
                TrustedUnit(
                    unit_code,
                    unit_name,
                    pub_text,
                    key_id_text,
                    actual,
                    change.at_utc,
                    change.actor.username,
                ),
            )
            change.audit(
                "office.unit_trusted",
                "trusted_unit",
                unit_code,
                name=unit_name,
                key_id=key_id_text,
                fingerprint=actual,
            )
            return pinned

    def untrust(self, code: str, *, reason: str) -> TrustedUnit:
        """Retire the key in use for a unit (pinned by mistake, or replaced): its packages are
        no longer accepted and another key may be pinned for the unit. The row is kept."""
        why = " ".join(reason.split())
        if not why:
            raise UntrustRefused(
                reason=LazyText(N_("give the reason for retiring the key (--reason)."))
            )
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            current = office.trusted_unit_for_code(change.conn, code.strip())
            if current is None:
                raise UntrustRefused(
                    reason=LazyText(N_("no key is pinned for unit {code}."), code=code.strip())
                )
            office.retire_trusted_unit(
                change.conn, current.id, change.at_utc, change.actor.username, why
            )
            change.audit(
                "office.unit_untrusted",
                "trusted_unit",
                current.code,
                key_id=current.key_id,
                fingerprint=current.fingerprint,
                pinned_at=current.pinned_at,
                reason=why,
            )
            return replace(
                current,
                retired_at=change.at_utc,
                retired_by=change.actor.username,
                retired_reason=why,
            )

    def rotate(self, code: str, folder: Path, typed_fingerprint: str) -> TrustedUnit:
        """Pin the unit's new key from the rotation statement in a package (``folder``).

        The package must verify under the new key the statement names; the statement must
        verify under the key pinned for ``code``; the fingerprint typed from the package's
        paper report must be the new key's. The old key is then retired (kept), and its
        packages numbered from the statement's first sequence number on are refused."""
        unit_code = code.strip()

        def refused(reason: LazyText) -> RotationRefused:
            return RotationRefused(code=unit_code, reason=reason)

        conn = self.ctx.read()
        current = office.trusted_unit_for_code(conn, unit_code)
        if current is None:
            raise refused(LazyText(N_("no key is pinned for unit {code}."), code=unit_code))
        folder = Path(folder)
        try:
            data = (folder / ROTATION_STATEMENT).read_bytes()[: MAX_STATEMENT_BYTES + 1]
            signature = (folder / ROTATION_SIGNATURE).read_text("ascii")[:4096]
        except (OSError, UnicodeDecodeError):
            raise refused(LazyText(N_("the package carries no key rotation statement."))) from None
        try:
            statement = verify_statement(current.public_key, data, signature)
        except StatementInvalid:
            raise refused(
                LazyText(
                    N_(
                        "the key rotation statement does not verify under the key pinned for "
                        "unit {code} ({fingerprint}): it was altered, or signed by a key this "
                        "office never pinned."
                    ),
                    code=unit_code,
                    fingerprint=current.fingerprint,
                )
            ) from None
        if statement.unit != unit_code or statement.old_fingerprint != current.fingerprint:
            raise refused(LazyText(N_("the statement is for another unit or another key.")))
        new_text = statement.public_key_text(unit_pub_comment(unit_code, current.name))
        verdict = verify_package(folder, keyring={unit_code: new_text})
        signed = read_signed(verdict, new_text, ROTATION_STATEMENT) if verdict.trusted else None
        if signed is None or signed[1] != data or verdict.fields.get("unit") != unit_code:
            raise refused(
                LazyText(N_("the package is not intact, or not signed with the new key."))
            )
        actual = statement.new_fingerprint
        if normalise_fingerprint(typed_fingerprint) != normalise_fingerprint(actual):
            raise FingerprintMismatch(typed=typed_fingerprint.strip(), actual=actual)
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            again = office.trusted_unit_for_code(change.conn, unit_code)
            if again is None or again.id != current.id:
                raise refused(LazyText(N_("the unit's pinned key changed meanwhile.")))
            why = f"rotated by the unit from package {statement.from_seq}"
            office.retire_trusted_unit(
                change.conn, current.id, change.at_utc, change.actor.username, why
            )
            pinned = office.insert_trusted_unit(
                change.conn,
                TrustedUnit(
                    unit_code,
                    current.name,
                    new_text,
                    minisign.key_id_text(statement.new_key_id),
                    actual,
                    change.at_utc,
                    change.actor.username,
                ),
            )
            office.insert_rotation(
                change.conn,
                unit_code=unit_code,
                old_id=current.id,
                new_id=pinned.id,
                from_seq=statement.from_seq,
                statement=data.decode("utf-8"),
                signature=signature,
                at=change.at_utc,
                by=change.actor.username,
            )
            change.audit(
                "office.unit_key_rotated",
                "trusted_unit",
                unit_code,
                old_fingerprint=current.fingerprint,
                new_fingerprint=actual,
                from_seq=statement.from_seq,
                reason=statement.reason,
            )
            return pinned
