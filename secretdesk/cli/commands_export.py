"""Signed report packages: export, verify, and the supervising office's commands.

``verify DIR [--key unit.pub | --keyring KEYS_DIR]`` needs no vault. The keyring is a folder
holding one pinned public key per unit, named ``<unit code>.pub`` (the unit.pub of a package,
renamed after its fingerprint was checked against the paper report). Exit 0 only when the
package is intact, correctly signed, and its report agrees with its signature; without a key
or keyring the package's own unit.pub is used, which proves integrity but not origin, and a
warning says so.

``export --eject``: the package is written, verified and recorded before the stick is ejected,
so a failed eject does not undo the export: the result is printed, then the eject failure as
a warning (with the commands to eject by hand), and the exit code is still 0. With ``--json``
the result says ``"ejected": false`` and gives ``"eject_error"``. Exports started earlier but
never confirmed (the program stopped while writing) are listed after every export.

``office trust UNIT_PUB --code CODE --fingerprint "..."``: both the code and the fingerprint
are typed from the unit's paper report; the comment line of unit.pub is not signed, so it is
never taken as the unit's code. ``office untrust CODE --reason TEXT`` retires a key pinned by
mistake (audited; the key is kept but no longer used), after which the right key can be pinned.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from secretdesk.cli import parsing
from secretdesk.cli.commands_vault import create_and_show
from secretdesk.cli.context import CliContext
from secretdesk.cli.progress import on_terminal
from secretdesk.domain.export_kinds import EXPORT_KINDS
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.system.atomic import write_atomic


class OutputNotWritten(SecretDeskError):
    code = "output.not_written"
    message = N_("The file {path} could not be written ({reason}). Choose another place.")


def register(commands: Any) -> None:
    export = commands.add_parser(
        "export", help=_("write a signed report package for the supervising office")
    )
    export.add_argument(
        "--kind", required=True, choices=EXPORT_KINDS, help=_("what the report holds")
    )
    export.add_argument(
        "--period", required=True, help=_("the year (YYYY); for an inventory the date (YYYY-MM-DD)")
    )
    export.add_argument(
        "--to", required=True, type=Path, metavar="DIR", help=_("a folder on the USB stick")
    )
    export.add_argument(
        "--folder",
        action="store_true",
        help=_("DIR is a plain folder chosen on purpose, not on a USB stick"),
    )
    export.add_argument(
        "--eject",
        action="store_true",
        help=_("eject the stick when done (a failed eject is a warning: the export stands)"),
    )
    export.add_argument(
        "--with-scans",
        action="store_true",
        help=_("also carry the scans attached in the period (they can be large)"),
    )
    export.set_defaults(handler=run_export)

    verify = commands.add_parser(
        "verify", help=_("verify a signed report package (no vault needed)")
    )
    verify.add_argument("package", type=Path, metavar="DIR", help=_("the package folder"))
    keys = verify.add_mutually_exclusive_group()
    keys.add_argument(
        "--key", type=Path, metavar="FILE", help=_("the unit's pinned public key (unit.pub)")
    )
    keys.add_argument(
        "--keyring",
        type=Path,
        metavar="KEYS_DIR",
        help=_("a folder of pinned keys, one <unit code>.pub file per unit"),
    )
    verify.set_defaults(handler=run_verify)

    office = commands.add_parser(
        "office", help=_("the supervising office: pin unit keys, import packages, consolidate")
    )
    sub = office.add_subparsers(dest="office_command", metavar="ACTION", required=True)
    init = sub.add_parser("init", help=_("create the office's vault and its administrator"))
    init.add_argument("--name", required=True, help=_("full name of the office"))
    init.add_argument("--code", required=True, help=_("short code of the office"))
    init.add_argument("--admin", required=True, help=_("user name of the administrator"))
    init.add_argument("--admin-name", default="", help=_("full name of the administrator"))
    init.add_argument("--superior-body", default="", help=_("the office's superior body"))
    init.add_argument("--place", default="", help=_("place name printed on forms"))
    init.set_defaults(handler=run_office_init)

    trust = sub.add_parser(
        "trust", help=_("pin a unit's key after checking its fingerprint on the paper report")
    )
    trust.add_argument("unit_pub", type=Path, metavar="UNIT_PUB", help=_("the unit.pub file"))
    trust.add_argument(
        "--fingerprint", required=True, help=_("the fingerprint as printed on the paper report")
    )
    trust.add_argument(
        "--code", required=True, help=_("the unit's code as printed on the paper report")
    )
    trust.set_defaults(handler=run_office_trust)

    untrust = sub.add_parser(
        "untrust", help=_("retire a unit key pinned by mistake (it is kept, no longer used)")
    )
    untrust.add_argument("code", metavar="CODE", help=_("the unit's code"))
    untrust.add_argument(
        "--reason", required=True, help=_("why the key is retired (kept in the audit log)")
    )
    untrust.set_defaults(handler=run_office_untrust)

    rotate = sub.add_parser(
        "rotate",
        help=_("pin a unit's new key from the rotation statement its old key signed"),
    )
    rotate.add_argument("code", metavar="CODE", help=_("the unit's code"))
    rotate.add_argument(
        "package", type=Path, metavar="DIR", help=_("the package carrying the rotation statement")
    )
    rotate.add_argument(
        "--fingerprint",
        required=True,
        help=_("the new fingerprint as printed on that package's paper report"),
    )
    rotate.set_defaults(handler=run_office_rotate)

    imports = sub.add_parser("import", help=_("verify and store report packages"))
    imports.add_argument(
        "folders",
        nargs="+",
        type=Path,
        metavar="DIR",
        help=_("package folders, or folders holding them (such as the stick)"),
    )
    imports.set_defaults(handler=run_office_import)

    summary = sub.add_parser("summary", help=_("annual statistics summed over the units"))
    summary.add_argument("--period", required=True, help=_("the year (YYYY)"))
    summary.add_argument("--out", type=Path, metavar="FILE.pdf", help=_("write the PDF here"))
    summary.set_defaults(handler=run_office_summary)

    reconcile = sub.add_parser(
        "reconcile", help=_("handovers between units that only one side recorded")
    )
    reconcile.add_argument("--period", required=True, help=_("the year (YYYY)"))
    reconcile.set_defaults(handler=run_office_reconcile)

    unit_key = commands.add_parser(
        "unit-key", help=_("the unit's signing key: rotate it (countersigned)")
    )
    unit_sub = unit_key.add_subparsers(dest="unit_key_command", metavar="ACTION", required=True)
    rotate_unit = unit_sub.add_parser(
        "rotate",
        help=_("a new unit signing key; the old key signs the statement for the office"),
    )
    rotate_unit.add_argument("--reason", default="", help=_("why (kept in the audit log)"))
    parsing.add_approver_options(rotate_unit)
    rotate_unit.set_defaults(handler=run_unit_key_rotate)


# -- the unit ------------------------------------------------------------------------------
def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    from secretdesk.services.exports import EjectFailed  # reportlab: only for this command

    opened = ctx.unlock()
    result = opened.exports.export(
        args.kind,
        args.period,
        args.to,
        explicitly_chosen_folder=args.folder,
        with_scans=args.with_scans,
        progress=on_terminal(),
    )
    commands = result.eject_commands()
    lines = [
        _("Package written and verified: {path}").format(path=result.folder),
        _("Sequence number: {seq}").format(seq=result.seq),
        _("Audit chain head: {head}").format(head=result.head),
        _("Unit key fingerprint: {fingerprint}").format(fingerprint=result.fingerprint),
    ]
    ejected = False
    eject_error: EjectFailed | None = None
    if commands and args.eject:
        try:
            opened.exports.eject(result)
            ejected = True
        except EjectFailed as error:  # the export itself succeeded: only warn
            eject_error = error
    if ejected:
        lines.append(_("The stick was ejected: it can be removed now."))
    elif commands:
        if eject_error is not None:
            lines.append(_("Warning: {warning}").format(warning=eject_error.render()))
        lines.append(_("To remove the stick safely, eject it first:"))
        lines.extend(f"    {command}" for command in commands)
    unconfirmed = opened.exports.unconfirmed()
    for started in unconfirmed:
        lines.append(
            _(
                "Warning: export {seq} ({kind} {period}), started {at}, was never confirmed "
                "as written: look for its package on the stick used then. If it is not there, "
                "the office will report number {seq} as never received."
            ).format(
                seq=started.seq, kind=started.kind, period=started.period, at=started.started_at
            )
        )
    data = {
        "folder": str(result.folder),
        "seq": result.seq,
        "head": str(result.head),
        "key_fingerprint": result.fingerprint,
        "removable": result.volume is not None,
        "eject_commands": commands,
        "ejected": ejected,
        "eject_error": None
        if eject_error is None
        else {"code": eject_error.code, "message": eject_error.render()},
        "unconfirmed": [
            {"seq": e.seq, "kind": e.kind, "period": e.period, "started_at": e.started_at}
            for e in unconfirmed
        ],
    }
    ctx.output.result(data, "\n".join(lines))
    return 0


EXIT_KEY_NOT_PINNED = 3


def run_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    from secretdesk.services.exports import verify_folder

    verdict = verify_folder(args.package, key_file=args.key, keyring_dir=args.keyring)
    problems = [
        {"code": problem.code, "file": problem.file, "message": problem.render()}
        for problem in verdict.problems
    ]
    lines = []
    if verdict.ok and verdict.key_pinned:
        lines.append(
            _("VALID: {folder} is intact and signed by the pinned key.").format(
                folder=verdict.folder
            )
        )
    elif verdict.ok:
        lines.append(
            _("INTACT: {folder} is intact and signed by the key it carries.").format(
                folder=verdict.folder
            )
        )
        lines.append(
            _(
                "WARNING: no pinned key was given, so this does not prove who made it. Compare "
                "the fingerprint below with the one on the unit's paper report, or verify "
                "with --key or --keyring."
            )
        )
        lines.append(_("Signature valid, key not pinned (exit code 3)."))
    else:
        lines.append(
            translate(
                plural(
                    len(problems),
                    N_("NOT VALID: {folder} has {count} problem:"),
                    N_("NOT VALID: {folder} has {count} problems:"),
                )
            ).format(folder=verdict.folder, count=len(problems))
        )
        lines.extend(f"  - {problem['message']}" for problem in problems)
    if verdict.trusted_comment:
        lines.append(_("Signed description: {comment}").format(comment=verdict.trusted_comment))
    if verdict.signer:
        lines.append(_("Signed with the key pinned for: {unit}").format(unit=verdict.signer))
    if verdict.fingerprint:
        lines.append(_("Key fingerprint: {fingerprint}").format(fingerprint=verdict.fingerprint))
    data = {
        "folder": str(verdict.folder),
        "ok": verdict.ok,
        "trusted": verdict.trusted,
        "key_pinned": verdict.key_pinned,
        "key_id": verdict.key_id,
        "fingerprint": verdict.fingerprint,
        "signer": verdict.signer,
        "fields": dict(verdict.fields),
        "files": list(verdict.files),
        "problems": problems,
    }
    ctx.output.result(data, "\n".join(lines))
    if verdict.ok and not verdict.key_pinned:
        return EXIT_KEY_NOT_PINNED  # signature valid, key not pinned: proves no origin
    return 0 if verdict.ok else 1


# -- the office ----------------------------------------------------------------------------
def run_office_init(args: argparse.Namespace, ctx: CliContext) -> int:
    from secretdesk.services.setup import UnitSetup

    create_and_show(
        ctx,
        UnitSetup(args.name, args.code, args.superior_body, args.place, office=True),
        args.admin,
        args.admin_name,
        code_key="office",
        headline=_("Office vault created in {path}.").format(path=ctx.data_dir),
        next_step=_("Next: pin each unit's key with office trust, then import its packages."),
    )
    return 0


def run_office_trust(args: argparse.Namespace, ctx: CliContext) -> int:
    from secretdesk.services.office import TrustRefused

    opened = ctx.unlock()
    try:
        text = args.unit_pub.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TrustRefused(reason=str(error)) from error
    pinned = opened.office.trust(text, args.fingerprint, code=args.code)
    data = {
        "unit": pinned.code,
        "name": pinned.name,
        "key_id": pinned.key_id,
        "fingerprint": pinned.fingerprint,
        "pinned_at": pinned.pinned_at,
    }
    text_out = _("Key of unit {unit} ({name}) pinned: fingerprint {fingerprint}.").format(
        unit=pinned.code, name=pinned.name, fingerprint=pinned.fingerprint
    )
    ctx.output.result(data, text_out)
    return 0


def run_unit_key_rotate(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    approver = parsing.countersign(args, ctx, opened)
    rotation = opened.users.rotate_unit_key(approver, args.reason)
    fingerprint = opened.unit_info().key_fingerprint
    data = {"rotated": True, "fingerprint": fingerprint, "from_seq": rotation.from_seq}
    text = _(
        "The unit has a new signing key, fingerprint {fingerprint}. The old key signed the "
        "rotation statement; it travels in the next package (number {seq}), whose paper report "
        "prints the new fingerprint for the office."
    ).format(fingerprint=fingerprint, seq=rotation.from_seq)
    ctx.output.result(data, text)
    return 0


def run_office_rotate(args: argparse.Namespace, ctx: CliContext) -> int:
    pinned = ctx.unlock().office.rotate(args.code, args.package, args.fingerprint)
    data = {"unit": pinned.code, "key_id": pinned.key_id, "fingerprint": pinned.fingerprint}
    text = _(
        "New key of unit {unit} pinned: fingerprint {fingerprint}. Packages signed with its "
        "retired key from the rotation on are refused."
    ).format(unit=pinned.code, fingerprint=pinned.fingerprint)
    ctx.output.result(data, text)
    return 0


def run_office_untrust(args: argparse.Namespace, ctx: CliContext) -> int:
    retired = ctx.unlock().office.untrust(args.code, reason=args.reason)
    data = {
        "unit": retired.code,
        "key_id": retired.key_id,
        "fingerprint": retired.fingerprint,
        "retired_at": retired.retired_at,
        "reason": retired.retired_reason,
    }
    text = _(
        "Key of unit {unit} retired (fingerprint {fingerprint}): its packages are no longer "
        "accepted. Pin the right key with office trust."
    ).format(unit=retired.code, fingerprint=retired.fingerprint)
    ctx.output.result(data, text)
    return 0


def run_office_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from secretdesk.services.office import find_packages

    opened = ctx.unlock()
    outcomes = opened.office.import_packages(find_packages(args.folders), on_terminal())
    lines = []
    for outcome in outcomes:
        if outcome.accepted:
            lines.append(
                _("ACCEPTED  {folder}: unit {unit}, package {seq} ({kind} {period})").format(
                    folder=outcome.folder.name,
                    unit=outcome.unit_code,
                    seq=outcome.seq,
                    kind=outcome.kind,
                    period=outcome.period,
                )
            )
            lines.extend(
                "          " + _("Warning: {warning}").format(warning=w.render())
                for w in outcome.warnings
            )
        else:
            assert outcome.reason is not None
            mark = "!!! " if outcome.alarm else ""
            lines.append(
                mark
                + _("REJECTED  {folder}: {reason}").format(
                    folder=outcome.folder.name, reason=outcome.reason.render()
                )
            )
    accepted = sum(1 for o in outcomes if o.accepted)
    lines.append(
        translate(
            plural(
                len(outcomes),
                N_("{accepted} of {total} package accepted."),
                N_("{accepted} of {total} packages accepted."),
            )
        ).format(accepted=accepted, total=len(outcomes))
    )
    ctx.output.result([o.to_json() for o in outcomes], "\n".join(lines))
    return 0 if accepted == len(outcomes) else 1


def run_office_summary(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.out and not args.out.parent.is_dir():  # before the summary is made and audited
        raise OutputNotWritten(
            path=args.out,
            reason=_("the folder {folder} does not exist").format(folder=args.out.parent),
        )
    summary = ctx.unlock().office.summary(args.period)
    if args.out:
        try:
            write_atomic(args.out, summary.pdf)
        except OSError as error:
            raise OutputNotWritten(path=args.out, reason=error.strerror or str(error)) from error
    data = summary.to_json()
    if args.out:
        data["pdf"] = str(args.out)
    lines = [
        translate(
            plural(
                len(summary.units),
                N_("Annual statistics {period} ({start} to {end}), {count} unit:"),
                N_("Annual statistics {period} ({start} to {end}), {count} units:"),
            )
        ).format(
            period=summary.period,
            start=summary.window_start,
            end=summary.window_end,
            count=len(summary.units),
        )
    ]
    for row in summary.units:
        held = sum(row.held_by_level.values())
        lines.append(
            "  "
            + translate(
                plural(
                    held,
                    N_("{code} ({name}): report {seq}, {held} copy held"),
                    N_("{code} ({name}): report {seq}, {held} copies held"),
                )
            ).format(code=row.code, name=row.name, seq=row.seq, held=held)
        )
    for kind, counts in summary.events.items():
        lines.append(f"  {kind}: " + ", ".join(f"{level}={n}" for level, n in counts.items()))
    if summary.missing:
        lines.append(
            _("No annual report received from: {units}.").format(units=", ".join(summary.missing))
        )
    if args.out:
        lines.append(_("PDF written: {path}").format(path=args.out))
    ctx.output.result(data, "\n".join(lines))
    return 0


def run_office_reconcile(args: argparse.Namespace, ctx: CliContext) -> int:
    found = ctx.unlock().office.reconcile(args.period)
    if found:
        lines = [
            translate(
                plural(len(found), N_("{count} discrepancy:"), N_("{count} discrepancies:"))
            ).format(count=len(found))
        ]
        lines.extend(f"  - {d.describe()}" for d in found)
    else:
        lines = [_("No discrepancy found.")]
    ctx.output.result([d.to_json() for d in found], "\n".join(lines))
    return 0
