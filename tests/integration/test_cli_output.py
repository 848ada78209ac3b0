"""What a clerk reads on the command line: labels and dd/mm/yyyy, not internal values.

Plain text shows translated labels and Vietnamese dates; ``--json`` keeps the raw values
(slugs, ISO dates) for scripts.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from secretdesk import demo_vault
from tests.helpers import run_cli

DMY = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("cli-output") / "demo"
    result = run_cli("demo", "--to", str(target))
    assert result.returncode == 0, result.stderr
    return target


def clerk(demo: Path, *args: str) -> str:
    result = run_cli(
        "--data-dir",
        str(demo),
        "--user",
        demo_vault.DEMO_USER,
        *args,
        env={"SECRETDESK_PASSPHRASE": demo_vault.DEMO_PASSPHRASE},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_item_show_is_a_readable_block_and_json_stays_raw(demo: Path) -> None:
    text = clerk(demo, "item", "show", "1")
    assert "Sổ đến số 1/" in text and "Độ mật:" in text and "Thời hạn bảo vệ đến:" in text
    assert DMY.search(text) and not ISO.search(text)
    for raw in ("in_storage", "True", "False", "{", "'"):
        assert raw not in text
    assert all(line == line.rstrip() for line in text.splitlines())
    english = clerk(demo, "--lang", "en", "item", "show", "1")
    assert "Incoming register no. 1/" in english and "Protected until:" in english
    data = json.loads(clerk(demo, "--json", "item", "show", "1"))
    assert data["register"].startswith("incoming 1/")
    assert ISO.fullmatch(data["doc_date"]) and ISO.fullmatch(data["expiry"])
    assert data["level"] in ("mat", "toi-mat", "tuyet-mat")
    assert data["copies"][0]["state"] == "in_storage"


def test_tables_show_labels_and_dates_not_internal_values(demo: Path) -> None:
    handovers = clerk(demo, "handover", "list")
    assert "Gửi đi" in handovers and "Đã hoàn tất" in handovers
    for raw in ("dispatch", "closed", " issue "):
        assert raw not in handovers
    raw_handovers = json.loads(clerk(demo, "--json", "handover", "list"))
    assert {"dispatch", "issue"} <= {h["kind"] for h in raw_handovers}

    users = clerk(demo, "user", "list")
    assert "văn thư" in users and "Tối mật" in users
    for raw in ("toi-mat", "clerk", "True", "False"):
        assert raw not in users
    raw_users = json.loads(clerk(demo, "--json", "user", "list"))
    assert "toi-mat" in {u["max_level"] for u in raw_users}
    assert {False} <= {u["disabled"] for u in raw_users}

    books = clerk(demo, "book", "list")
    assert "Văn bản đi" in books and DMY.search(books) and not ISO.search(books)
    assert "outgoing" not in books and "True" not in books

    destruction = clerk(demo, "destroy", "list")
    assert "đã tiêu hủy" in destruction and " done " not in destruction

    audit = clerk(demo, "audit", "list", "--limit", "3")
    assert DMY.search(audit.splitlines()[1])
    for text in (handovers, users, books, destruction, audit):
        assert all(line == line.rstrip() for line in text.splitlines())


def test_copy_list_and_item_list_limit(demo: Path) -> None:
    copies = clerk(demo, "copy", "list")
    assert "đã sao, chụp" in copies and "recorded" not in copies
    pending = clerk(demo, "copy", "list", "--pending")
    assert "chờ duyệt" in pending and "requested" not in pending
    raw = json.loads(clerk(demo, "--json", "copy", "list", "--pending"))
    assert raw and {r["status"] for r in raw} == {"requested"}

    listing = clerk(demo, "item", "list", "--limit", "2")
    assert "--limit" in listing.splitlines()[-1] and len(listing.splitlines()) == 4
    assert "toi-mat" not in listing
    refused = run_cli(
        "--data-dir", str(demo), "--user", demo_vault.DEMO_USER, "item", "list", "--limit", "0"
    )
    assert refused.returncode != 0 and "--limit" in refused.stderr
