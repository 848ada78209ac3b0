"""The import boundaries of DESIGN.md §1, checked by walking every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "secretdesk"

# Heavy libraries and the one package allowed to import each.
OWNERS = {
    "sqlcipher3": "storage",
    "cryptography": "crypto",
    "reportlab": "reports",
    "PySide6": "gui",
    "PIL": "imaging",
    "pypdfium2": "imaging",
    "zxingcpp": "imaging",
}
NETWORK_MODULES = {
    "socket",
    "ssl",
    "http",
    "urllib",
    "ftplib",
    "smtplib",
    "poplib",
    "imaplib",
    "telnetlib",
    "xmlrpc",
    "socketserver",
    "asyncio",
    "requests",
    "httpx",
    "aiohttp",
    "PySide6.QtNetwork",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
}
# Which of our own packages each layer may import (besides itself).
ALLOWED_INTERNAL = {
    "domain": {"domain", "errors", "i18n"},
    "crypto": {"crypto", "errors", "i18n"},
    "system": {"system", "errors", "i18n"},
    "storage": {"storage", "domain", "crypto", "system", "errors", "i18n"},
    "reports": {"reports", "domain", "errors", "i18n", "resources"},
    "imaging": {"imaging", "domain", "errors", "i18n"},
    "transfer": {"transfer", "crypto", "system", "domain", "errors", "i18n", "resources"},
    "services": {
        "services",
        "domain",
        "storage",
        "reports",
        "imaging",
        "transfer",
        "crypto",
        "system",
        "errors",
        "i18n",
        "resources",
    },
    "gui": {
        "gui",
        "app",
        "demo_vault",
        "services",
        "domain",
        "system",
        "errors",
        "i18n",
        "resources",
        "paths",
        "log",
    },
    # cli.main.main is the program's entry under the name the tests call (a lazy import).
    "cli": {
        "cli",
        "app",
        "demo_vault",
        "services",
        "domain",
        "system",
        "errors",
        "i18n",
        "paths",
        "log",
        "entry",
    },
    # The one entry (issue 9) sets the process up and runs the CLI or the GUI; nothing more.
    "entry": {"cli", "gui", "system", "i18n", "log"},
    "__main__": {"entry"},
}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_resources" not in p.parts)


def layer_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imported_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_every_module_is_checked() -> None:
    assert len(modules()) > 20


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_import_boundaries(path: Path) -> None:
    layer = layer_of(path)
    problems = []
    for name in imported_names(path):
        top = name.split(".")[0]
        owner = OWNERS.get(top)
        if owner is not None and layer != owner:
            problems.append(f"{name} may only be imported in secretdesk/{owner}/")
        if name in NETWORK_MODULES or top in NETWORK_MODULES:
            problems.append(f"{name} is network code; SecretDesk has none")
        if top == "secretdesk" and "." in name:
            target = name.split(".")[1]
            allowed = ALLOWED_INTERNAL.get(layer)
            if allowed is not None and target not in allowed and not target.startswith("__"):
                problems.append(f"{layer}/ may not import secretdesk.{target}")
    assert not problems, "\n".join(problems)


def test_front_ends_write_no_sql() -> None:
    keywords = ("INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE")
    for path in modules():
        if layer_of(path) in ("gui", "cli"):
            text = path.read_text(encoding="utf-8")
            assert not any(k in text for k in keywords), f"SQL in front end {path}"


def test_no_thread_check_disabled_or_pickle() -> None:
    for path in modules():
        text = path.read_text(encoding="utf-8")
        assert "check_same_thread" not in text, path
        assert "pickle" not in text, path
        assert "loadUiType" not in text, path


def test_the_composition_root_holds_no_use_case() -> None:
    """app.py opens the vault and builds the services; what happens in a session (rules
    sync, recovery, failed unlocks) is a service call with its permission check and audit."""
    path = PACKAGE / "app.py"
    source = path.read_text(encoding="utf-8")
    assert ".audit(" not in source and "audit.append" not in source
    assert ".transaction(" not in source and ".change(" not in source
    assert not {n for n in imported_names(path) if n.startswith("secretdesk.storage.audit")}
