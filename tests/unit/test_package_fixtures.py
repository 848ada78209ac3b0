"""The committed package fixtures: valid/ passes, each tampered case fails for its reason."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from secretdesk.transfer.verify import Verdict, verify_package

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "packages"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_fixtures = _load_script()
UNIT_PUB = make_fixtures.public_key_text(make_fixtures.UNIT_KEY_FILE)
OTHER_PUB = make_fixtures.public_key_text(make_fixtures.OTHER_KEY_FILE)

EXPECTED = {
    "byte-flipped": {("package.hash_mismatch", "report.pdf")},
    "file-added": {("package.unexpected_file", "notes.txt")},
    "file-removed": {("package.file_missing", "report.json")},
    "file-renamed": {
        ("package.file_missing", "report.json"),
        ("package.unexpected_file", "report-old.json"),
    },
    "comment-edited": {("package.trusted_comment_altered", "SHA256SUMS.minisig")},
    "truncated-signature": {("package.signature_malformed", "SHA256SUMS.minisig")},
    "key-swapped": {
        ("package.unit_key_swapped", "unit.pub"),
        ("package.key_mismatch", "SHA256SUMS.minisig"),
        ("package.key_mismatch", "SHA256.sig"),
    },
}


def _problems(verdict: Verdict) -> set[tuple[str, str]]:
    return {(problem.code, problem.file) for problem in verdict.problems}


def test_every_case_has_an_expectation() -> None:
    assert set(make_fixtures.CASES) == {"valid", *EXPECTED}


def test_valid_package_passes_with_the_pinned_key() -> None:
    verdict = verify_package(FIXTURES / "valid", public_key_text=UNIT_PUB)
    assert verdict.ok and verdict.trusted, verdict.describe("en")
    assert verdict.fields == {key: str(value) for key, value in make_fixtures.FIELDS.items()}
    assert verdict.trusted_comment == make_fixtures.TRUSTED_COMMENT
    key = json.loads(make_fixtures.UNIT_KEY_FILE.read_text())
    assert verdict.fingerprint == key["fingerprint"]
    assert verdict.files == ("checkpoint.txt", "report.json", "report.pdf", "unit.pub")


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_tampered_case_fails_naming_the_file(case: str) -> None:
    verdict = verify_package(FIXTURES / case, public_key_text=UNIT_PUB)
    assert not verdict.ok
    assert _problems(verdict) == EXPECTED[case]
    for problem in verdict.problems:
        assert problem.file in problem.render("en")
        assert problem.file in problem.render("vi")


@pytest.mark.parametrize("case", sorted(set(EXPECTED) - {"key-swapped"}))
def test_tampered_case_fails_even_without_a_pinned_key(case: str) -> None:
    verdict = verify_package(FIXTURES / case)
    assert _problems(verdict) == EXPECTED[case]
    assert not verdict.key_pinned


def test_key_swapped_package_is_intact_but_not_from_the_pinned_unit() -> None:
    unpinned = verify_package(FIXTURES / "key-swapped")
    assert unpinned.ok and not unpinned.key_pinned and not unpinned.trusted
    other = json.loads(make_fixtures.OTHER_KEY_FILE.read_text())
    assert unpinned.fingerprint == other["fingerprint"]

    only_ours = verify_package(FIXTURES / "key-swapped", keyring={"TEST01": UNIT_PUB})
    assert _problems(only_ours) == {
        ("package.unknown_key", "SHA256SUMS.minisig"),
        ("package.unknown_key", "SHA256.sig"),
    }

    both = verify_package(
        FIXTURES / "key-swapped", keyring={"TEST01": UNIT_PUB, "TEST99": OTHER_PUB}
    )
    assert both.trusted and both.signer == "TEST99"
    assert both.fields["unit"] == "TEST01"  # the importer must compare signer and unit


def test_committed_fixtures_match_the_script(tmp_path: Path) -> None:
    make_fixtures.build(tmp_path)
    for case in make_fixtures.CASES:
        fresh = {path.name: path.read_bytes() for path in (tmp_path / case).iterdir()}
        committed = {path.name: path.read_bytes() for path in (FIXTURES / case).iterdir()}
        assert fresh == committed, f"run tests/fixtures/packages/make_fixtures.py ({case})"
