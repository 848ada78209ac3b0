"""The lifecycle commands through the real ``secretdesk`` program: permits, destruction,
classification, incidents, inventory and muster, with countersigned approvals."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from secretdesk import app as app_module
from secretdesk.domain.custody import CopyState
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level, add_years
from secretdesk.domain.roles import Role
from secretdesk.storage import items
from secretdesk.system.clock import FixedClock
from tests.helpers import CLI_NOW, PASSPHRASE, new_app, run_cli, run_cli_process

HEAD_PASS = "head passphrase 2026"
DEPUTY_PASS = "deputy passphrase 2026"
NOW = CLI_NOW.astimezone().replace(tzinfo=None)  # local time, as a clerk types it
TODAY = NOW.date()


@pytest.fixture
def vault(tmp_path: Path) -> dict[str, Any]:
    """A vault with two approvers, a Mật item (copies 1-3) and a Tối mật item (copies 4-5)."""
    data = tmp_path / "v"
    opened, _ = new_app(data, FixedClock(CLI_NOW - timedelta(hours=1)))
    with opened:
        opened.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
        head = opened.users.countersign("head", HEAD_PASS)
        opened.users.add("deputy", Role.APPROVER, DEPUTY_PASS, max_level=Level.MAT, approver=head)
        ids = {}
        for level, symbol, copies in ((Level.MAT, "12/QĐ-UBND", 3), (Level.TOI_MAT, "7/BC", 2)):
            item = opened.items.register(
                Registration(Direction.INCOMING, level, symbol, TODAY - timedelta(days=30), copies)
            )
            ids[symbol] = (item.id, [c.id for c in opened.items.show(item.id).copies])
    return {"dir": data, "mat": ids["12/QĐ-UBND"], "toi_mat": ids["7/BC"]}


def cli(vault: dict[str, Any], *args: str, approver: str | None = None, **kwargs: Any):
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    if approver is not None:
        env["SECRETDESK_APPROVER_PASSPHRASE"] = approver
    run = run_cli_process if kwargs else run_cli  # a passphrase file descriptor needs a process
    return run(
        "--lang",
        "en",
        "--json",
        "--data-dir",
        str(vault["dir"]),
        "--user",
        "admin",
        *args,
        env=env,
        **kwargs,
    )


def ok(result) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def states(vault: dict[str, Any], *copy_ids: int) -> list[CopyState]:
    with app_module.unlock(vault["dir"], "admin", PASSPHRASE) as opened:
        assert opened.audit.verify().ok
        found = [items.get_copy(opened.vault.connection, c) for c in copy_ids]
        return [c.state for c in found if c is not None]


def audit_actions(vault: dict[str, Any], prefix: str) -> list[str]:
    with app_module.unlock(vault["dir"], "admin", PASSPHRASE) as opened:
        return [e.action for e in opened.audit.events(limit=200, action_prefix=prefix)]


TAKE_OUT = [
    "--requester",
    "Nguyễn Văn Cán Bộ",
    "--purpose",
    "Họp giao ban",
    "--place",
    "UBND tỉnh",
    "--from",
    (NOW - timedelta(hours=1)).isoformat(),
    "--until",
    (NOW + timedelta(hours=8)).isoformat(),
    "--protection",
    "Cặp có khóa",
]


def test_take_out_permit_request_approve_close(vault: dict[str, Any]) -> None:
    _, (c1, c2, _) = vault["mat"]
    permit = ok(
        cli(vault, "permit", "request", "--kind", "take-out", "--copies", f"{c1},{c2}", *TAKE_OUT)
    )
    assert permit["status"] == "requested" and permit["copy_ids"] == [c1, c2]
    approved = ok(
        cli(vault, "permit", "approve", str(permit["id"]), "--approver", "head", approver=HEAD_PASS)
    )
    assert approved["status"] == "approved" and approved["approved_by"] == "head"
    assert states(vault, c1, c2) == [CopyState.OUT_OF_STORAGE] * 2
    closed = ok(cli(vault, "permit", "close", str(permit["id"]), "--report", "Đã dùng, trả đủ"))
    assert closed["status"] == "closed"
    assert states(vault, c1, c2) == [CopyState.IN_STORAGE] * 2
    assert audit_actions(vault, "permit.") == [
        "permit.requested",
        "permit.approved",
        "permit.closed",
    ]


def test_permit_approval_rule_3_and_passphrase_sources(vault: dict[str, Any]) -> None:
    _, (secret_copy, _) = vault["toi_mat"]
    permit = ok(
        cli(
            vault,
            "permit",
            "request",
            "--kind",
            "provision",
            "--copies",
            str(secret_copy),
            "--requester",
            "Phạm Văn Đại Diện",
            "--purpose",
            "Điều tra",
            "--requesting-body",
            "Công an tỉnh",
            "--commitment",
            "Cam kết bảo vệ",
        )
    )
    number = str(permit["id"])
    low = cli(vault, "permit", "approve", number, "--approver", "deputy", approver=DEPUTY_PASS)
    assert low.returncode == 1 and "does not cover" in low.stderr
    wrong = cli(vault, "permit", "approve", number, "--approver", "head", approver="not it at all")
    assert wrong.returncode == 1 and "Wrong user name or passphrase" in wrong.stderr
    clerk = cli(vault, "permit", "approve", number, "--approver", "admin", approver=PASSPHRASE)
    assert clerk.returncode == 1 and "may not approve" in clerk.stderr
    read, write = os.pipe()
    os.write(write, (HEAD_PASS + "\n").encode())
    os.close(write)
    try:
        via_fd = cli(
            vault,
            "permit",
            "approve",
            number,
            "--approver",
            "head",
            "--approver-passphrase-fd",
            str(read),
            pass_fds=(read,),
        )
    finally:
        os.close(read)
    assert ok(via_fd)["status"] == "approved"
    assert states(vault, secret_copy) == [CopyState.IN_STORAGE]  # a provision moves nothing

    def close() -> Any:
        return run_cli(
            "--data-dir",
            str(vault["dir"]),
            "--user",
            "admin",
            "permit",
            "close",
            number,
            "--report",
            "Đã chuyển giao theo phiếu gửi",
            env={"SECRETDESK_PASSPHRASE": PASSPHRASE},
        )

    assert close().returncode == 0  # a provision is closed by its report; it moved nothing
    vietnamese = close()  # closing twice is refused, in Vietnamese, without a traceback
    assert vietnamese.returncode == 1 and vietnamese.stderr.startswith("Lỗi: ")
    assert "Traceback" not in vietnamese.stderr


def test_destruction_propose_approve_record_minutes(vault: dict[str, Any]) -> None:
    _, (c1, c2, c3) = vault["mat"]
    council = [
        "--council",
        "Trần Văn Thủ Trưởng:chair:Giám đốc",
        "--council",
        "Nguyễn Thị Văn Thư:holder:Văn thư",
    ]
    case = ok(
        cli(
            vault,
            "destroy",
            "propose",
            "--copies",
            f"{c1},{c2}",
            "--grounds",
            "Hết giá trị",
            *council,
        )
    )
    label = f"{case['number']}/{case['year']}"
    assert case["status"] == "proposed" and len(case["council"]) == 2
    bad = cli(
        vault,
        "destroy",
        "propose",
        "--copies",
        str(c3),
        "--grounds",
        "x",
        "--council",
        "Chỉ một người:chair:",
    )
    assert bad.returncode == 1 and "at least one other" in bad.stderr
    approved = ok(
        cli(
            vault,
            "destroy",
            "approve",
            label,
            "--approver",
            "head",
            "--decision-ref",
            "QĐ 45/QĐ-STP",
            approver=HEAD_PASS,
        )
    )
    assert approved["status"] == "approved"
    done = ok(
        cli(
            vault,
            "destroy",
            "record",
            label,
            "--method",
            "Nghiền và đốt",
            "--place",
            "Phòng văn thư",
            "--at",  # the minute of the approval just made (the CLI's clock is fixed at NOW)
            NOW.isoformat(),
        )
    )
    assert done["status"] == "done"
    assert states(vault, c1, c2, c3) == [CopyState.DESTROYED] * 2 + [CopyState.IN_STORAGE]
    minutes = ok(cli(vault, "destroy", "minutes", label))
    assert minutes["decision_ref"] == "QĐ 45/QĐ-STP" and minutes["method"] == "Nghiền và đốt"
    assert [c["copy_label"] for c in minutes["copies"]] == ["Bản số 1", "Bản số 2"]
    assert [s["role"] for s in minutes["council"]] == ["chair", "holder"]
    again = cli(vault, "destroy", "propose", "--copies", str(c1), "--grounds", "x", *council)
    assert again.returncode == 1 and "destroyed" in again.stderr  # rule 1
    no_report = cli(vault, "destroy", "emergency", "--copies", str(c3))
    assert no_report.returncode == 2
    emergency = ok(
        cli(vault, "destroy", "emergency", "--copies", str(c3), "--report", "Hỏa hoạn, hủy ngay")
    )
    assert emergency["emergency"] is True and emergency["status"] == "done"


def test_level_change_extend_declassify_and_warnings(vault: dict[str, Any]) -> None:
    item, (c1, _, _) = vault["mat"]
    secret_item, (s1, s2) = vault["toi_mat"]
    changed = ok(
        cli(
            vault,
            "level",
            "change",
            str(item),
            "--to",
            "toi-mat",
            "--decided-on",
            TODAY.isoformat(),
            "--by",
            "Người xác định",
            "--reason",
            "Bổ sung",
        )
    )
    assert changed["new_level"] == "toi-mat"
    assert changed["notify_by"] == (TODAY + timedelta(days=15)).isoformat()
    same = cli(
        vault,
        "level",
        "change",
        str(item),
        "--to",
        "Tối mật",
        "--decided-on",
        TODAY.isoformat(),
        "--by",
        "X",
    )
    assert same.returncode == 1 and "already" in same.stderr
    too_long = cli(
        vault,
        "level",
        "extend",
        str(item),
        "--years",
        "21",
        "--decided-on",
        TODAY.isoformat(),
        "--by",
        "Giám đốc",
    )
    assert too_long.returncode == 1 and "at most 20 years" in too_long.stderr
    extended = ok(
        cli(
            vault,
            "level",
            "extend",
            str(item),
            "--years",
            "5",
            "--decided-on",
            TODAY.isoformat(),
            "--by",
            "Giám đốc",
        )
    )
    assert extended["new_expiry"] == add_years(TODAY - timedelta(days=30), 25).isoformat()
    assert ok(cli(vault, "level", "expiring")) == []
    assert ok(cli(vault, "level", "declassify-expired")) == []
    partial = ok(
        cli(
            vault,
            "level",
            "declassify",
            str(secret_item),
            "--kind",
            "list-removal",
            "--partial",
            "--scope",
            "Phụ lục 2",
            "--by",
            "Thủ tướng",
        )
    )
    assert partial["record"]["partial"] is True and partial["copies"] == []
    declassified = ok(
        cli(
            vault,
            "level",
            "declassify",
            str(secret_item),
            "--kind",
            "council",
            "--approver",
            "head",
            approver=HEAD_PASS,
        )
    )
    assert sorted(declassified["copies"]) == [s1, s2]
    assert states(vault, s1, s2, c1) == [CopyState.DECLASSIFIED] * 2 + [CopyState.IN_STORAGE]
    assert audit_actions(vault, "item.")[-4:] == [
        "item.level_changed",
        "item.extended",
        "item.declassified",
        "item.declassified",
    ]


def test_incident_inventory_and_muster(vault: dict[str, Any]) -> None:
    _, (c1, c2, c3) = vault["mat"]
    _, (s1, s2) = vault["toi_mat"]
    incident = ok(
        cli(
            vault,
            "incident",
            "report",
            "--kind",
            "loss",
            "--copy",
            str(c3),
            "--description",
            "Không tìm thấy",
            "--reported-to",
            "Giám đốc",
        )
    )
    assert incident["kind"] == "loss" and incident["copy_id"] == c3
    inventory = ok(cli(vault, "inventory", "--at", TODAY.isoformat()))
    by_copy = {row["copy_id"]: row for row in inventory}
    assert by_copy[c3]["state"] == "lost_or_leaked" and by_copy[c1]["state"] == "in_storage"
    assert len(inventory) == 5
    muster = ok(cli(vault, "muster", "--found", f"{c1},{c2},{c3},{s1}"))
    assert muster["missing"] == [s2] and muster["unexpected"] == [c3]
    assert muster["expected"] == 4
    text = run_cli(
        "--lang",
        "en",
        "--data-dir",
        str(vault["dir"]),
        "--user",
        "admin",
        "muster",
        "--found",
        f"{c1},{c2}",
        env={"SECRETDESK_PASSPHRASE": PASSPHRASE},
    )
    assert text.returncode == 0, text.stderr
    assert "2 missing" in text.stdout and "not expected here" not in text.stdout
    recovered = ok(cli(vault, "incident", "recover", str(c3), "--note", "Tìm thấy"))
    assert recovered["state"] == "in_storage"
    assert [i["kind"] for i in ok(cli(vault, "incident", "list"))] == ["loss"]
    assert audit_actions(vault, "muster.") == ["muster.recorded", "muster.recorded"]


def test_lists_print_the_objects_their_commands_print(vault: dict[str, Any]) -> None:
    """``permit list``, ``destroy list`` and ``incident list`` in ``--json`` give each record
    as its own command gives it (README "JSON output"), not a condensed row."""
    _, (c1, c2, c3) = vault["mat"]
    permit = ok(cli(vault, "permit", "request", "--kind", "take-out", "--copies", str(c1),
                    *TAKE_OUT))  # fmt: skip
    case = ok(cli(vault, "destroy", "propose", "--copies", str(c2), "--grounds", "Hết giá trị",
                  "--council", "Trần Văn Thủ Trưởng:chair:Giám đốc",
                  "--council", "Nguyễn Thị Văn Thư:holder:Văn thư"))  # fmt: skip
    incident = ok(cli(vault, "incident", "report", "--kind", "loss", "--copy", str(c3),
                      "--description", "Không tìm thấy", "--reported-to", "Giám đốc"))  # fmt: skip
    assert ok(cli(vault, "permit", "list")) == [permit]
    (listed,) = ok(cli(vault, "destroy", "list"))
    assert listed == {**case, "label": f"{case['number']}/{case['year']}"}
    assert ok(cli(vault, "incident", "list")) == [incident]
    text = run_cli("--lang", "en", "--data-dir", str(vault["dir"]), "--user", "admin",
                   "permit", "list", env={"SECRETDESK_PASSPHRASE": PASSPHRASE}).stdout  # fmt: skip
    (row,) = [line for line in text.splitlines() if "Nguyễn Văn Cán Bộ" in line]  # the table
    assert row.split()[:4] == [str(permit["id"]), "take-out", "awaiting", "approval"]
    assert f"Nguyễn Văn Cán Bộ  {c1}" in row
