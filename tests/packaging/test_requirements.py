"""packaging/requirements.py: the hash-pinned files agree with pyproject.toml (offline)."""

from __future__ import annotations

import pytest

from tests.packaging.helpers import load

req = load("requirements")
HASH = "0" * 64


def test_the_committed_files_are_complete_hashed_and_agree_with_pyproject(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert req.check() == 0, capsys.readouterr().out
    names = sorted(p.name for p in req.OUT_DIR.glob("*.txt"))
    assert len(names) == len(req.TARGETS) * len(req.PURPOSES) == 8


def test_each_target_is_compiled_for_its_own_platform_with_hashes_and_wheels_only() -> None:
    windows = req.target("windows-x64-py3.12")
    command = req.compile_command("uv", windows, "build")
    joined = " ".join(command)
    assert "--python-platform x86_64-pc-windows-msvc" in joined
    assert "--python-version 3.12" in joined
    assert "--generate-hashes" in command and "--only-binary :all:" in joined
    assert command[-2:] == ["--extra", "build"]
    assert "--extra" not in req.compile_command("uv", windows, "runtime")
    with pytest.raises(SystemExit):
        req.target("macos-arm64-py3.12")


def test_windows_build_files_carry_the_windows_only_dependencies() -> None:
    text = req.target("windows-x64-py3.12").file("build").read_text(encoding="utf-8")
    names = {p.name for p in req.parse(text)}
    assert {"pyinstaller", "pywin32-ctypes", "pefile", "sqlcipher3", "pyside6"} <= names


def test_parse_reads_pins_markers_and_hashes() -> None:
    text = (
        f"# header\nsqlcipher3==0.6.4 \\\n    --hash=sha256:{HASH}\n"
        f"pyside6==6.11.3 ; python_full_version < '3.12' \\\n"
        f"    --hash=sha256:{HASH} \\\n    --hash=sha256:{'1' * 64}\n"
        "    # via secretdesk\n"
    )
    pins = req.parse(text)
    assert [(p.name, p.version, len(p.hashes)) for p in pins] == [
        ("sqlcipher3", "0.6.4", 1),
        ("pyside6", "6.11.3", 2),
    ]
    assert pins[1].marker == "python_full_version < '3.12'"


@pytest.mark.parametrize(
    "text, message",
    [
        ("sqlcipher3==0.6.4\n", "no --hash for sqlcipher3"),
        ("sqlcipher3>=0.6\n    --hash=sha256:" + HASH + "\n", "not an exact pin"),
        ("--hash=sha256:" + HASH + "\n", "no requirement before it"),
        ("-e .\n", "not an exact pin"),
    ],
)
def test_parse_refuses_what_require_hashes_would_refuse(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        req.parse(text)


def test_problems_name_a_missing_or_out_of_range_pin() -> None:
    linux = req.target("linux-x86_64-py3.11")
    good = linux.file("runtime").read_text(encoding="utf-8")
    assert req.problems(linux, "runtime", good) == []
    without = good.replace("sqlcipher3==", "sqlcipher4==")
    assert "sqlcipher3 is not pinned" in req.problems(linux, "runtime", without)
    old = good.replace("reportlab==5.1.0", "reportlab==3.0")
    assert any("reportlab==3.0 is outside" in p for p in req.problems(linux, "runtime", old))
    assert "pyinstaller is not pinned" in req.problems(linux, "build", good)


def test_the_python_312_files_pin_a_pyside6_allowed_there() -> None:
    # PySide6's pin differs by Python version (pyproject.toml): both files must satisfy theirs.
    for name in ("linux-x86_64-py3.11", "linux-x86_64-py3.12"):
        tgt = req.target(name)
        assert req.problems(tgt, "runtime", tgt.file("runtime").read_text("utf-8")) == []


def test_upgrade_is_asked_for_only_on_purpose() -> None:
    linux = req.target("linux-x86_64-py3.11")
    assert "--upgrade" not in req.compile_command("uv", linux, "runtime")
    assert "--upgrade" in req.compile_command("uv", linux, "runtime", upgrade=True)


def test_for_target_decides_markers_for_the_target_not_this_computer() -> None:
    py311 = req.parse(req.for_target(req.target("linux-x86_64-py3.11"), "runtime"))
    py312 = req.parse(req.for_target(req.target("linux-x86_64-py3.12"), "runtime"))
    assert all(not p.marker and p.hashes for p in py311 + py312)
    pyside = {p.name: p.version for p in py311}["pyside6"]
    assert not pyside.startswith("6.12")  # PYSIDE-3474: 6.12.0 aborts on Python 3.11
    assert "pyside6" in {p.name for p in py312}
    windows_build = req.parse(req.target("windows-x64-py3.12").file("build").read_text("utf-8"))
    assert any(p.marker == "sys_platform == 'win32'" for p in windows_build)


def test_the_linux_files_need_no_newer_glibc_than_debian_12() -> None:
    # Debian 12 has glibc 2.36, Ubuntu 24.04 2.39: wheels up to manylinux_2_34 run on both.
    linux = req.target("linux-x86_64-py3.12")
    assert linux.platform == "x86_64-manylinux_2_34"
    assert linux.pip_platforms[0] == "manylinux_2_34_x86_64"
