"""Generate the hash-pinned requirement files from pyproject.toml, one per target and purpose.

    python packaging/requirements.py            regenerate packaging/requirements/*.txt (network)
    python packaging/requirements.py --check    offline: every file is hashed and agrees with
                                                pyproject.toml (the unit tests run this too)

Each target is an operating system, CPU and Python version (``TARGETS``). For each there is a
runtime file (what the program needs: the wheelhouse and the installed program) and a build
file (runtime plus the ``build`` extra: PyInstaller). The resolution is done by ``uv pip
compile`` for the target platform, so platform markers (``sys_platform == "win32"``) are
evaluated for the target and not for the computer running the script, and only wheels are
accepted (``--only-binary :all:``): an air-gapped computer cannot compile an sdist. Every line
carries the SHA-256 of the released files, so ``pip install --require-hashes`` refuses
anything else.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
OUT_DIR = ROOT / "packaging" / "requirements"
COMPILE_COMMAND = "python packaging/requirements.py"


@dataclass(frozen=True)
class Target:
    name: str  # file name stem, e.g. linux-x86_64-py3.11
    platform: str  # uv --python-platform
    python: str  # X.Y
    pip_platforms: tuple[str, ...]  # pip download --platform (the wheelhouse)
    sys_platform: str  # for evaluating markers offline

    def file(self, purpose: str) -> Path:
        return OUT_DIR / f"{purpose}-{self.name}.txt"


_MANYLINUX = (
    *(f"manylinux_2_{minor}_x86_64" for minor in (28, 27, 26, 24, 17)),
    "manylinux2014_x86_64",
    "linux_x86_64",
)
TARGETS = (
    Target("linux-x86_64-py3.11", "x86_64-manylinux_2_28", "3.11", _MANYLINUX, "linux"),
    Target("linux-x86_64-py3.12", "x86_64-manylinux_2_28", "3.12", _MANYLINUX, "linux"),
    Target("windows-x64-py3.11", "x86_64-pc-windows-msvc", "3.11", ("win_amd64",), "win32"),
    Target("windows-x64-py3.12", "x86_64-pc-windows-msvc", "3.12", ("win_amd64",), "win32"),
)
PURPOSES = {"runtime": (), "build": ("build",)}


def target(name: str) -> Target:
    for candidate in TARGETS:
        if candidate.name == name:
            return candidate
    raise SystemExit(f"unknown target {name!r}; known: {', '.join(t.name for t in TARGETS)}")


def compile_command(uv: str, tgt: Target, purpose: str) -> list[str]:
    """The ``uv pip compile`` call that writes one requirement file."""
    command = [
        uv,
        "pip",
        "compile",
        str(PYPROJECT),
        "--python-platform",
        tgt.platform,
        "--python-version",
        tgt.python,
        "--generate-hashes",
        "--only-binary",
        ":all:",
        "--no-strip-markers",
        "--custom-compile-command",
        COMPILE_COMMAND,
        "--quiet",
        "--output-file",
        str(tgt.file(purpose)),
    ]
    for extra in PURPOSES[purpose]:
        command += ["--extra", extra]
    return command


# -- reading a requirement file back ----------------------------------------------------------
@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: str
    hashes: tuple[str, ...]


_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
_HASH = re.compile(r"^--hash=sha256:([0-9a-f]{64})\s*\\?$")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(text: str) -> list[Pin]:
    """The pins of a hash-pinned file; refuses lines that are neither pins nor hashes."""
    pins: list[Pin] = []
    current: dict[str, object] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        hash_match = _HASH.match(line)
        if hash_match:
            if current is None:
                raise ValueError(f"line {number}: a hash with no requirement before it")
            current["hashes"] = (*current["hashes"], hash_match.group(1))  # type: ignore[misc]
            continue
        pin_match = _PIN.match(line)
        if not pin_match:
            raise ValueError(f"line {number}: not an exact pin: {line!r}")
        current = {
            "name": normalise(pin_match.group(1)),
            "version": pin_match.group(2),
            "marker": (pin_match.group(3) or "").strip(),
            "hashes": (),
        }
        pins.append(current)  # type: ignore[arg-type]
    result = [Pin(**p) for p in pins]  # type: ignore[arg-type]
    unhashed = [p.name for p in result if not p.hashes]
    if unhashed:
        raise ValueError(f"no --hash for {', '.join(unhashed)}")
    return result


def declared(purpose: str) -> list[str]:
    """The requirement strings of pyproject.toml that a file of ``purpose`` must satisfy."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    for extra in PURPOSES[purpose]:
        wanted += project["optional-dependencies"][extra]
    return wanted


def problems(tgt: Target, purpose: str, text: str) -> list[str]:
    """Why ``text`` is not a valid pinned file of ``purpose`` for ``tgt`` (empty: it is)."""
    from packaging.markers import default_environment
    from packaging.requirements import Requirement

    try:
        pins = {p.name: p for p in parse(text)}
    except ValueError as error:
        return [str(error)]
    environment = {
        **default_environment(),
        "python_version": tgt.python,
        "python_full_version": f"{tgt.python}.0",
        "sys_platform": tgt.sys_platform,
        "platform_system": "Windows" if tgt.sys_platform == "win32" else "Linux",
        "os_name": "nt" if tgt.sys_platform == "win32" else "posix",
    }
    found: list[str] = []
    for line in declared(purpose):
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate(environment):
            continue
        pin = pins.get(normalise(requirement.name))
        if pin is None:
            found.append(f"{requirement.name} is not pinned")
        elif not requirement.specifier.contains(pin.version, prereleases=True):
            found.append(f"{requirement.name}=={pin.version} is outside {requirement.specifier}")
    return found


def check() -> int:
    failures = 0
    for tgt in TARGETS:
        for purpose in PURPOSES:
            path = tgt.file(purpose)
            if not path.is_file():
                print(f"{path.name}: missing")
                failures += 1
                continue
            for problem in problems(tgt, purpose, path.read_text(encoding="utf-8")):
                print(f"{path.name}: {problem}")
                failures += 1
    return 1 if failures else 0


def generate(names: list[str]) -> int:
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if not Path(uv).exists() and not shutil.which(uv):
        raise SystemExit("uv is needed: pip install -e '.[build]'")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for tgt in [target(n) for n in names] if names else TARGETS:
        for purpose in PURPOSES:
            print(f"{tgt.file(purpose).relative_to(ROOT)}", flush=True)
            subprocess.run(compile_command(uv, tgt, purpose), check=True, cwd=ROOT)
    return check()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="check the files, offline")
    parser.add_argument("targets", nargs="*", help="only these targets (default: all)")
    args = parser.parse_args(argv)
    return check() if args.check else generate(args.targets)


if __name__ == "__main__":
    sys.exit(main())
