"""Generate the hash-pinned requirement files from pyproject.toml, one per target and purpose.

    python packaging/requirements.py            regenerate packaging/requirements/*.txt (network)
    python packaging/requirements.py --upgrade  the same, moving every pin to the newest allowed
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
    *(f"manylinux_2_{minor}_x86_64" for minor in (34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 17)),
    "manylinux2014_x86_64",
    "linux_x86_64",
)
TARGETS = (
    Target("linux-x86_64-py3.11", "x86_64-manylinux_2_34", "3.11", _MANYLINUX, "linux"),
    Target("linux-x86_64-py3.12", "x86_64-manylinux_2_34", "3.12", _MANYLINUX, "linux"),
    Target("windows-x64-py3.11", "x86_64-pc-windows-msvc", "3.11", ("win_amd64",), "win32"),
    Target("windows-x64-py3.12", "x86_64-pc-windows-msvc", "3.12", ("win_amd64",), "win32"),
)
PURPOSES = {"runtime": (), "build": ("build",)}


def target(name: str) -> Target:
    for candidate in TARGETS:
        if candidate.name == name:
            return candidate
    raise SystemExit(f"unknown target {name!r}; known: {', '.join(t.name for t in TARGETS)}")


def compile_command(uv: str, tgt: Target, purpose: str, *, upgrade: bool = False) -> list[str]:
    """The ``uv pip compile`` call that writes one requirement file.

    Without ``upgrade`` the pins already in the file are kept when they still satisfy
    pyproject.toml, so a regeneration changes only what has to change."""
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
    if upgrade:
        command.append("--upgrade")
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


def environment(tgt: Target) -> dict[str, str]:
    """The marker environment of the target (not of the computer running this script)."""
    from packaging.markers import default_environment

    return {
        **default_environment(),
        "python_version": tgt.python,
        "python_full_version": f"{tgt.python}.0",
        "sys_platform": tgt.sys_platform,
        "platform_system": "Windows" if tgt.sys_platform == "win32" else "Linux",
        "os_name": "nt" if tgt.sys_platform == "win32" else "posix",
    }


def for_target(tgt: Target, purpose: str) -> str:
    """The pinned file with its markers decided for ``tgt``: the lines that do not apply are
    dropped. ``pip download --platform`` evaluates markers for the running computer, so the
    wheelhouse script feeds it this instead of the file itself."""
    from packaging.markers import Marker

    env = environment(tgt)
    lines = []
    for pin in parse(tgt.file(purpose).read_text(encoding="utf-8")):
        if pin.marker and not Marker(pin.marker).evaluate(env):
            continue
        hashes = "".join(f" \\\n    --hash=sha256:{h}" for h in pin.hashes)
        lines.append(f"{pin.name}=={pin.version}{hashes}\n")
    return "".join(lines)


def problems(tgt: Target, purpose: str, text: str) -> list[str]:
    """Why ``text`` is not a valid pinned file of ``purpose`` for ``tgt`` (empty: it is)."""
    from packaging.requirements import Requirement

    try:
        pins = {p.name: p for p in parse(text)}
    except ValueError as error:
        return [str(error)]
    env = environment(tgt)
    found: list[str] = []
    for line in declared(purpose):
        requirement = Requirement(line)
        if requirement.marker and not requirement.marker.evaluate(env):
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


def generate(names: list[str], *, upgrade: bool = False) -> int:
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if not Path(uv).exists() and not shutil.which(uv):
        raise SystemExit("uv is needed: pip install -e '.[build]'")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for tgt in [target(n) for n in names] if names else TARGETS:
        for purpose in PURPOSES:
            print(f"{tgt.file(purpose).relative_to(ROOT)}", flush=True)
            subprocess.run(compile_command(uv, tgt, purpose, upgrade=upgrade), check=True, cwd=ROOT)
    return check()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="check the files, offline")
    parser.add_argument("--upgrade", action="store_true", help="move every pin to the newest")
    parser.add_argument(
        "--for-target",
        metavar="TARGET",
        help="print the runtime pins with markers decided for TARGET (the wheelhouse uses it)",
    )
    parser.add_argument("targets", nargs="*", help="only these targets (default: all)")
    parser.add_argument(
        "--describe",
        metavar="TARGET",
        help="print TARGET's Python version and pip platform tags on one line",
    )
    args = parser.parse_args(argv)
    if args.describe:
        tgt = target(args.describe)
        print(tgt.python, " ".join(tgt.pip_platforms))
        return 0
    if args.for_target:
        sys.stdout.write(for_target(target(args.for_target), "runtime"))
        return 0
    return check() if args.check else generate(args.targets, upgrade=args.upgrade)


if __name__ == "__main__":
    sys.exit(main())
