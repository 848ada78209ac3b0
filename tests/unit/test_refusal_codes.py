"""One stable code per refusal (issue 9): scripts reading --json tell refusals apart."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from secretdesk import i18n
from secretdesk.services.errors import InvalidRequest
from secretdesk.services.refusal_codes import GENERIC, REFUSAL_CODES
from tests.helpers import PASSPHRASE, new_app, run_cli

ROOT = Path(__file__).resolve().parents[2]


def raised_reasons() -> dict[str, str]:
    """The message id of every ``InvalidRequest(reason=LazyText(N_("...")))`` in secretdesk/."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "secretdesk").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None)
            if not (isinstance(node, ast.Call) and getattr(name, "id", "") == "InvalidRequest"):
                continue
            for sub in ast.walk(node):
                if (
                    isinstance(sub, ast.Call)
                    and getattr(sub.func, "id", "") == "N_"
                    and isinstance(sub.args[0], ast.Constant)
                ):
                    found.setdefault(sub.args[0].value, path.relative_to(ROOT).as_posix())
                    break
    return found


def test_every_refusal_raised_has_its_own_code() -> None:
    missing = {m: where for m, where in raised_reasons().items() if m not in REFUSAL_CODES}
    assert not missing, f"add these to services/refusal_codes.py: {missing}"
    codes = list(REFUSAL_CODES.values())
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z]+\.[a-z0-9_]+", code) for code in codes)
    assert GENERIC not in codes


def readme_table() -> str:
    """The README's table of refusal codes: ``python -m tests.unit.test_refusal_codes``."""
    rows = ["| code | English | Tiếng Việt |", "|---|---|---|"]
    for message, code in sorted(REFUSAL_CODES.items(), key=lambda kv: kv[1]):
        vi = i18n.translate(message, "vi")
        rows.append(f"| `{code}` | {message.replace('|', '/')} | {vi.replace('|', '/')} |")
    return "\n".join(rows) + "\n"


def test_every_code_is_listed_in_the_readme_with_both_languages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, (
        "README's refusal table: python -m tests.unit.test_refusal_codes"
    )
    for message in REFUSAL_CODES:
        assert i18n.translate(message, "vi") != message, message  # translated


def test_the_code_follows_the_reason_not_the_class() -> None:
    known = next(message for message in REFUSAL_CODES if "{" not in message)
    assert InvalidRequest(reason=i18n.LazyText(known)).code == REFUSAL_CODES[known]
    assert InvalidRequest(reason=i18n.LazyText("Something new.")).code == GENERIC


def test_json_refusals_of_three_rules_carry_three_codes(tmp_path: Path) -> None:
    new_app(tmp_path / "v")[0].close()
    base = ("--json", "--data-dir", str(tmp_path / "v"), "--user", "admin")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    attempts = [
        ("user", "disable", "admin"),  # one's own account
        ("entry", "cancel", "incoming", "1", "--year", "2026", "--reason", " "),  # no reason
        ("handover", "create", "--kind", "issue", "--copies", "1", "--person", " "),
    ]
    codes = []
    for attempt in attempts:
        result = run_cli(*base, *attempt, env=env)
        assert result.returncode == 1, result.stderr
        codes.append(json.loads(result.stdout)["error"]["code"])
    assert len(set(codes)) == 3 and GENERIC not in codes, codes


if __name__ == "__main__":
    print(readme_table(), end="")
