"""The real ``secretdesk`` program: users, items, copies, handovers, books and entries."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CLI_NOW, PASSPHRASE, run_cli

APPROVER_PASSPHRASE = "approver passphrase 2026"
TODAY = CLI_NOW.astimezone().date()  # the CLI's fixed clock in these tests
YEAR = str(TODAY.year)


class Cli:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run_cli(
            "--data-dir",
            str(self.data_dir),
            "--user",
            "admin",
            *args,
            env={"SECRETDESK_PASSPHRASE": PASSPHRASE, **env},
        )

    def json(self, *args: str, **env: str) -> Any:
        result = self.run("--json", *args, **env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    data = tmp_path / "vault"
    init = run_cli(
        "--data-dir",
        str(data),
        "init",
        "--unit-name",
        "Sở Tư pháp tỉnh Quảng Ngãi",
        "--unit-code",
        "STP-QNG",
        "--admin",
        "admin",
        env={"SECRETDESK_PASSPHRASE": PASSPHRASE},
    )
    assert init.returncode == 0, init.stderr
    return Cli(data)


def register_args(*extra: str) -> list[str]:
    return [
        "item",
        "register",
        "--book",
        "outgoing",
        "--level",
        "toi-mat",
        "--number-symbol",
        "15/KH-STP",
        "--date",
        TODAY.strftime("%d/%m/%Y"),
        "--doc-type",
        "Kế hoạch",
        "--summary",
        "Kế hoạch bảo vệ bí mật nhà nước năm 2026",
        "--copies",
        "2",
        *extra,
    ]


def test_users_items_tuyet_mat_refusal_and_search_without_diacritics(cli: Cli) -> None:
    added = cli.run(
        "user",
        "add",
        "giamdoc",
        "--role",
        "approver",
        "--max-level",
        "toi mat",
        "--full-name",
        "Phạm Văn Hùng",
        SECRETDESK_NEW_PASSPHRASE=APPROVER_PASSPHRASE,
    )
    assert added.returncode == 0, added.stderr
    assert "giamdoc" in added.stdout
    users = {u["username"]: u for u in cli.json("user", "list")}
    assert users["giamdoc"]["role"] == "approver" and users["giamdoc"]["max_level"] == "toi-mat"

    item = cli.json(*register_args())
    assert item["register"] == f"outgoing 1/{YEAR}" and item["level"] == "toi-mat"

    refused = cli.run(
        "item",
        "register",
        "--book",
        "incoming",
        "--level",
        "tuyet-mat",
        "--number-symbol",
        "7-TB/TU",
        "--date",
        TODAY.isoformat(),
        "--summary",
        "Phương án bảo vệ mục tiêu",
        "--summary-consent",
        "--copies",
        "1",
    )
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert refused.stderr.startswith("Lỗi: ") and "Tuyệt mật" in refused.stderr
    assert "trích yếu" in refused.stderr  # Vietnamese, the default language
    assert refused.stdout == ""

    found = cli.json("item", "list", "--search", "ke hoach BAO VE bi mat")
    assert [f["number_symbol"] for f in found] == ["15/KH-STP"]
    assert cli.json("item", "list", "--search", "tuyet mat") == []  # nothing was stored


def test_copies_handovers_books_entries_and_audit(cli: Cli) -> None:
    cli.run(
        "user",
        "add",
        "giamdoc",
        "--role",
        "approver",
        "--max-level",
        "toi-mat",
        SECRETDESK_NEW_PASSPHRASE=APPROVER_PASSPHRASE,
    )
    item = cli.json(*register_args())
    copies = cli.json("item", "show", str(item["id"]))["copies"]
    assert [c["label"] for c in copies] == ["Bản số 1", "Bản số 2"]

    request = cli.json(
        "copy", "request", "--source", str(copies[1]["id"]), "--count", "2", "--form", "sao-y"
    )
    approved = cli.json(
        "copy",
        "approve",
        str(request["id"]),
        "--approver",
        "giamdoc",
        "--count",
        "1",
        SECRETDESK_APPROVER_PASSPHRASE=APPROVER_PASSPHRASE,
    )
    assert (approved["status"], approved["authorised_count"]) == ("approved", 1)
    made = cli.json(
        "copy", "record", str(request["id"]), "--made", "1", "--by", "Trần Thị Lan",
        "--on", TODAY.isoformat(),
    )  # fmt: skip
    assert [m["label"] for m in made] == ["Bản sao số 1"]

    sent = cli.json(
        "handover", "create", "--kind", "dispatch", "--copies", str(copies[0]["id"]),
        "--to", "Bộ Tư pháp", "--courier", "Trần Thị Lan",
    )  # fmt: skip
    number = sent["number"].split("/")[0]
    assert sent["status"] == "open" and "B (Tối mật)" in sent["marks"]
    later = (TODAY + timedelta(days=30)).isoformat()
    overdue = cli.json("handover", "overdue", "--on", later)
    assert [o["number"] for o in overdue] == [sent["number"]]
    receipt = cli.json(
        "handover", "receipt", number, "--received-by", "Nguyễn Thị Hà",
        "--at", TODAY.isoformat(),  # a day alone: "that day", kept without a time
    )  # fmt: skip
    assert receipt["status"] == "closed" and receipt["receipt_by"] == "Nguyễn Thị Hà"
    assert cli.json("handover", "overdue", "--on", later) == []

    cancelled = cli.json(
        "entry", "cancel", "outgoing", "1", "--year", YEAR, "--reason", "Ghi sai độ mật"
    )
    assert cancelled["cancelled"] and cancelled["number"] == 1
    locked = cli.json("book", "lock", "outgoing", "--year", YEAR)
    assert locked["locked"]
    refused = cli.run(*register_args())
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "khóa" in refused.stderr  # "Sổ ... đã khóa"
    english = cli.run("--lang", "en", *register_args())
    assert "is locked" in english.stderr

    verify = cli.run("audit", "verify")
    assert verify.returncode == 0, verify.stderr
    events = cli.json("audit", "list", "--limit", "100")
    actions = [e["action"] for e in events]
    for action in (
        "user.added",
        "item.registered",
        "copy.approved",
        "copy.recorded",
        "handover.created",
        "handover.receipt",
        "entry.cancelled",
        "book.locked",
    ):
        assert action in actions
