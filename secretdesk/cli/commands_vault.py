"""Commands about the vault itself: init, passwd, recover, self-test."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from secretdesk import app as app_module
from secretdesk.cli import parsing
from secretdesk.cli.context import CliContext
from secretdesk.cli.parsing import APPROVER_VARIABLE
from secretdesk.cli.secrets_input import SecretSource
from secretdesk.i18n import _, current_language, render_value, translate
from secretdesk.services import restore
from secretdesk.services.setup import UnitSetup


def register(commands: Any) -> None:
    init = commands.add_parser("init", help=_("create the vault, the unit key and the admin"))
    init.add_argument("--unit-name", required=True, help=_("full name of the unit"))
    init.add_argument("--unit-code", required=True, help=_("short code of the unit"))
    init.add_argument("--admin", required=True, help=_("user name of the administrator"))
    init.add_argument("--admin-name", default="", help=_("full name of the administrator"))
    init.add_argument("--superior-body", default="", help=_("the unit's superior body"))
    init.add_argument("--place", default="", help=_("place name printed on forms"))
    init.set_defaults(handler=run_init)

    passwd = commands.add_parser("passwd", help=_("change your passphrase"))
    passwd.set_defaults(handler=run_passwd)

    recover = commands.add_parser(
        "recover", help=_("set a new passphrase with the printed recovery code")
    )
    recover.add_argument(
        "--name",
        required=True,
        help=_("full name of the person using the recovery code (kept in the audit log)"),
    )
    recover.set_defaults(handler=run_recover)

    rekey = commands.add_parser(
        "rekey",
        help=_("new data key, every key slot sealed again, a new recovery code (countersigned)"),
    )
    rekey.add_argument("--reason", default="", help=_("why (kept in the audit log)"))
    parsing.add_approver_options(rekey)
    rekey.set_defaults(handler=run_rekey)

    self_test = commands.add_parser(
        "self-test", help=_("check encryption, settings, integrity and the audit chain")
    )
    which = self_test.add_mutually_exclusive_group()  # a fresh vault has nothing to check in full
    which.add_argument(
        "--fresh",
        action="store_true",
        help=_(
            "check the installed program on a new temporary vault (create, reopen, wrong "
            "passphrase, PDF, export and verify, air gap); the data folder is not used"
        ),
    )
    which.add_argument(
        "--full",
        action="store_true",
        help=_(
            "also check the structure of every table and index (about 35 s more at a million"
            " items); every page is authenticated either way"
        ),
    )
    self_test.set_defaults(handler=run_self_test)

    backup = commands.add_parser(
        "backup", help=_("copy the encrypted vault (database and key file) into a folder")
    )
    backup.add_argument("--to", required=True, type=Path, help=_("where the copy goes"))
    backup.set_defaults(handler=run_backup)

    restore = commands.add_parser(
        "restore", help=_("put a backup back in place of the vault (the vault is kept aside)")
    )
    restore.add_argument("backup", metavar="BACKUP", type=Path, help=_("the backup folder"))
    restore.add_argument(
        "--accept-older",
        action="store_true",
        help=_(
            "restore a backup older than the last exported head anyway (countersigned by "
            "--approver)"
        ),
    )
    parsing.add_approver_options(restore, required=False)
    restore.set_defaults(handler=run_restore)


def run_init(args: argparse.Namespace, ctx: CliContext) -> int:
    create_and_show(
        ctx,
        UnitSetup(args.unit_name, args.unit_code, args.superior_body, args.place),
        args.admin,
        args.admin_name,
        code_key="unit",
        headline=_("Vault created in {path}.").format(path=ctx.data_dir),
        next_step=_("Unit key fingerprint: {fingerprint}"),
    )
    return 0


def create_and_show(
    ctx: CliContext,
    setup: UnitSetup,
    admin: str,
    admin_name: str,
    *,
    code_key: str,
    headline: str,
    next_step: str,
) -> None:
    """Create a vault (a unit's or the office's) and show its recovery code once.

    ``next_step`` may use ``{fingerprint}``, the new key's fingerprint."""
    passphrase = ctx.secrets.ask(_("New passphrase for {user}: ").format(user=admin), confirm=True)
    opened, recovery_code = app_module.create(
        ctx.data_dir, setup, admin, passphrase, admin_full_name=admin_name, clock=ctx.clock
    )
    ctx.keep(opened)
    info = opened.unit_info()
    data = {
        "data_dir": str(ctx.data_dir),
        code_key: info.code,
        "admin": admin,
        "key_fingerprint": info.key_fingerprint,
        "recovery_code": recovery_code,
    }
    text = "\n".join(
        [
            headline,
            next_step.format(fingerprint=info.key_fingerprint),
            "",
            _("RECOVERY CODE (shown only once; print it and keep it in the safe):"),
            f"    {recovery_code}",
        ]
    )
    ctx.output.result(data, text)


def run_passwd(args: argparse.Namespace, ctx: CliContext) -> int:
    username = ctx.resolve_username()
    old = ctx.secrets.ask(_("Current passphrase for {user}: ").format(user=username))
    new = ctx.secrets.ask(_("New passphrase: "), env_var="SECRETDESK_NEW_PASSPHRASE", confirm=True)
    opened = ctx.keep(app_module.unlock(ctx.data_dir, username, old, ctx.clock))
    opened.users.change_own_passphrase(old, new)
    ctx.output.result({"user": username, "changed": True}, _("Passphrase changed."))
    return 0


def run_recover(args: argparse.Namespace, ctx: CliContext) -> int:
    username = ctx.resolve_username()
    code = ctx.secrets.ask(_("Recovery code: "), env_var="SECRETDESK_RECOVERY_CODE")
    new = ctx.secrets.ask(
        _("New passphrase for {user}: ").format(user=username),
        env_var="SECRETDESK_NEW_PASSPHRASE",
        confirm=True,
    )
    opened = ctx.keep(
        app_module.recover(ctx.data_dir, username, code, new, ctx.clock, person=args.name)
    )
    show_new_recovery_code(
        ctx,
        {"user": username, "recovered": True},
        _("New passphrase set. The used recovery code no longer works."),
        opened.new_recovery_code or "",
    )
    return 0


def show_new_recovery_code(ctx: CliContext, data: dict[str, Any], headline: str, code: str) -> None:
    text = "\n".join(
        [
            headline,
            "",
            _("RECOVERY CODE (shown only once; print it and keep it in the safe):"),
            f"    {code}",
        ]
    )
    ctx.output.result({**data, "recovery_code": code}, text)


def run_rekey(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    approver = parsing.countersign(args, ctx, opened)
    code = opened.users.rekey(approver, args.reason)
    ctx.warn_set_aside(opened)
    show_new_recovery_code(
        ctx,
        {"rekeyed": True},
        _("The vault was re-keyed: key slots kept in older backups no longer open it."),
        code,
    )
    return 0


def run_self_test(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.fresh:
        from secretdesk.cli import fresh_test  # exports and printing: only when asked

        report = fresh_test.run_fresh()
    else:
        opened = ctx.unlock()
        report = opened.maintenance.self_test(opened.restore_leftovers, full=args.full)
    rows = [
        {
            "check": translate(check.name),
            "result": _("OK") if check.ok else (_("WARNING") if check.warning_only else _("FAIL")),
            "detail": render_value(check.detail),
            "seconds": round(check.seconds, 3),
        }
        for check in report.checks
    ]
    if ctx.output.as_json:
        ctx.output.result({"ok": report.ok, "checks": rows})
    else:
        comma = current_language() == "vi"  # Vietnamese writes 0,25 for 0.25
        for row in rows:
            figure = f"{row['seconds']:.2f}"
            row["seconds"] = f"{figure.replace('.', ',') if comma else figure} s"  # SI symbol
        ctx.output.table(
            rows,
            [
                ("check", _("Check")),
                ("result", _("Result")),
                ("detail", _("Detail")),
                ("seconds", _("Time")),
            ],
        )
    return 0 if report.ok else 1


def run_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    username = ctx.resolve_username()
    passphrase = ctx.secrets.ask(_("Passphrase for {user}: ").format(user=username))
    accept_older = None
    if args.accept_older:
        approver = args.approver or "-"
        if args.approver_passphrase_fd is not None:
            source = SecretSource(fd=args.approver_passphrase_fd, env_var=APPROVER_VARIABLE)
        else:
            source = ctx.secrets
        prompt = _("Passphrase of approver {user}: ").format(user=approver)
        secret = source.ask(prompt, env_var=APPROVER_VARIABLE) if args.approver else ""
        accept_older = (approver, secret)
    result = restore.restore(
        ctx.data_dir, args.backup, username, passphrase, ctx.clock, accept_older=accept_older
    )
    data = {
        "restored_from": str(result.restored_from),
        "kept_aside": str(result.kept_aside),
        "tree_head": result.tree_head,
        "disabled_again": list(result.disabled_again),
    }
    headline = _("Restored from {backup}; the vault it replaced is kept in {aside}.").format(
        backup=result.restored_from, aside=result.kept_aside
    )
    if result.recovery_code:
        show_new_recovery_code(ctx, data, headline, result.recovery_code)
    else:
        ctx.output.result(data, headline)
    return 0


def run_backup(args: argparse.Namespace, ctx: CliContext) -> int:
    folder = ctx.unlock().maintenance.backup(args.to)
    ctx.output.result(
        {"folder": str(folder)},
        _("Backup written to {path}. Open it with --data-dir to check or restore it.").format(
            path=folder
        ),
    )
    return 0
