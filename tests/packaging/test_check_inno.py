"""packaging/check_inno.py: the Inno Setup script is checked for syntax and every file it names."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.packaging.helpers import PACKAGING, load

inno = load("check_inno")
SCRIPT = PACKAGING / "windows" / "secretdesk.iss"


@pytest.fixture
def build(tmp_path: Path) -> Path:
    """A stand-in for the Windows one-folder build."""
    folder = tmp_path / "secretdesk"
    (folder / "_internal" / "secretdesk").mkdir(parents=True)
    (folder / "secretdesk.exe").write_bytes(b"MZ")
    (folder / "_internal" / "python312.dll").write_bytes(b"MZ")
    return folder


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = SCRIPT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.iss"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_the_shipped_script_passes_against_a_windows_build(build: Path) -> None:
    report = inno.check(SCRIPT, build_dir=build)
    assert report.problems == []


def test_a_linux_build_stands_in_only_when_asked(build: Path) -> None:
    (build / "secretdesk.exe").rename(build / "secretdesk")
    assert inno.check(SCRIPT, build_dir=build, linux=True).problems == []
    problems = inno.check(SCRIPT, build_dir=build).problems
    assert any("missing file" in p and "secretdesk.exe" in p for p in problems)


def test_without_a_build_every_build_file_is_reported(tmp_path: Path) -> None:
    problems = inno.check(SCRIPT, build_dir=tmp_path / "nothing").problems
    assert any("_internal" in p for p in problems)
    assert any("is not installed by [Files]" in p for p in problems)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("[Files]", "[Filez]", "unknown section [Filez]"),
        ("DefaultDirName=", "DefaultDir=", "[Setup] lacks DefaultDirName"),
        ("AppVersion={#AppVersion}", "AppVersion={#Version}", "{#Version} is not defined"),
        ("WizardStyle=modern", "WizzardStyle=modern", "unknown [Setup] directive WizzardStyle"),
        ('DestDir: "{app}"; Flags', 'DestDri: "{app}"; Flags', "[Files] has no parameter DestDri"),
        ("Flags: ignoreversion\n", "Flags: ignoreversoin\n", "[Files] has no flag ignoreversoin"),
        ('Description: "Start SecretDesk"', 'Description: "Start SecretDesk', "unterminated quote"),
        ("{autopf}\\SecretDesk", "{programfiles64}\\SecretDesk", "unknown constant"),
        (
            'Filename: "{app}\\secretdesk.exe"; WorkingDir',
            'Filename: "{app}\\secretdsk.exe"; WorkingDir',
            "{app}\\secretdsk.exe is not installed",
        ),
        ('"compiler:Default.isl"', '"Vietnamese.isl"', "MessagesFile names a missing file"),
        (
            'Name: "english"; MessagesFile',
            'Name: "english" MessagesFile',
            "text after the quoted value of Name",
        ),
    ],
)
def test_each_kind_of_mistake_is_named(
    tmp_path: Path, build: Path, old: str, new: str, expected: str
) -> None:
    problems = inno.check(variant(tmp_path, old, new), build_dir=build).problems
    assert any(expected in p for p in problems), problems


def test_split_entry_reads_doubled_quotes_and_bare_values() -> None:
    pairs = inno.split_entry('Filename: "{cmd}"; Parameters: "/k ""a b"" c"; Flags: nowait x')
    assert pairs == [("Filename", "{cmd}"), ("Parameters", '/k "a b" c'), ("Flags", "nowait x")]
    with pytest.raises(ValueError, match="text after the quoted value"):
        inno.split_entry('Name: "a" b')


def test_main_exits_1_and_names_the_line(
    tmp_path: Path, build: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = variant(tmp_path, "[Icons]", "[Icon]")
    assert inno.main([str(bad), "--build-dir", str(build)]) == 1
    assert "unknown section [Icon]" in capsys.readouterr().out
    assert inno.main([str(SCRIPT), "--build-dir", str(build)]) == 0
