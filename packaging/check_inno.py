"""Check an Inno Setup script without Inno Setup (which runs only on Windows).

    python packaging/check_inno.py packaging/windows/secretdesk.iss [--build-dir DIR] [--linux]

What is checked: ``#define`` names used as ``{#Name}`` are defined; every section is one
Inno Setup 6 knows; [Setup] directives are known and the required ones are there; every entry
of the other sections parses (``Name: value; Name: "a ""quoted"" word"``), uses only that
section's parameters and flags, and has its required ones; every ``{constant}`` is known;
every file the script names exists (a wildcard must match at least one file), relative to the
script's folder; every shortcut and program to run inside ``{app}`` is a file that [Files]
installs there. ``--build-dir`` replaces the BuildDir define (the one-folder build); with
``--linux`` a Linux build stands in for the Windows one (``X.exe`` is found as ``X``).
Exit 0 when there is nothing to report.
"""

from __future__ import annotations

import argparse
import glob
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath

SECTIONS = {
    "Setup",
    "Types",
    "Components",
    "Tasks",
    "Dirs",
    "Files",
    "Icons",
    "INI",
    "InstallDelete",
    "Languages",
    "Messages",
    "CustomMessages",
    "LangOptions",
    "Registry",
    "Run",
    "UninstallDelete",
    "UninstallRun",
    "Code",
}
SETUP_DIRECTIVES = set(
    [
        "AppId",
        "AppName",
        "AppVersion",
        "AppVerName",
        "AppPublisher",
        "AppPublisherURL",
        "AppSupportURL",
        "AppUpdatesURL",
        "AppCopyright",
        "DefaultDirName",
        "DefaultGroupName",
        "DisableProgramGroupPage",
        "DisableDirPage",
        "OutputDir",
        "OutputBaseFilename",
        "Compression",
        "SolidCompression",
        "ArchitecturesAllowed",
        "ArchitecturesInstallIn64BitMode",
        "PrivilegesRequired",
        "PrivilegesRequiredOverridesAllowed",
        "WizardStyle",
        "UninstallDisplayIcon",
        "UninstallDisplayName",
        "SetupIconFile",
        "LicenseFile",
        "InfoBeforeFile",
        "InfoAfterFile",
        "MinVersion",
        "VersionInfoVersion",
        "ShowLanguageDialog",
        "SourceDir",
        "CloseApplications",
        "RestartApplications",
    ]
)
SETUP_REQUIRED = ("AppName", "DefaultDirName")
SETUP_FILES = ("SetupIconFile", "LicenseFile", "InfoBeforeFile", "InfoAfterFile")
COMMON = {"Languages", "MinVersion", "OnlyBelowVersion", "Check", "Components", "Tasks"}
PARAMETERS: dict[str, tuple[set[str], tuple[str, ...]]] = {
    # section: (allowed parameters, required parameters)
    "Files": (
        COMMON | {"Source", "DestDir", "DestName", "Flags", "Permissions", "Excludes", "Attribs"},
        ("Source", "DestDir"),
    ),
    "Icons": (
        COMMON
        | {"Name", "Filename", "Parameters", "WorkingDir", "IconFilename", "Comment", "Flags"},
        ("Name", "Filename"),
    ),
    "Run": (
        COMMON
        | {
            "Filename",
            "Parameters",
            "WorkingDir",
            "Description",
            "StatusMsg",
            "Flags",
            "RunOnceId",
        },
        ("Filename",),
    ),
    "UninstallRun": (
        COMMON | {"Filename", "Parameters", "WorkingDir", "Flags", "RunOnceId"},
        ("Filename",),
    ),
    "Languages": (
        {"Name", "MessagesFile", "LicenseFile", "InfoBeforeFile"},
        ("Name", "MessagesFile"),
    ),
    "Dirs": (COMMON | {"Name", "Permissions", "Flags", "Attribs"}, ("Name",)),
    "Tasks": (
        COMMON | {"Name", "Description", "GroupDescription", "Flags"},
        ("Name", "Description"),
    ),
    "InstallDelete": (COMMON | {"Type", "Name"}, ("Type", "Name")),
    "UninstallDelete": (COMMON | {"Type", "Name"}, ("Type", "Name")),
}
FLAGS = {
    "Files": set(
        [
            "ignoreversion",
            "recursesubdirs",
            "createallsubdirs",
            "replacesameversion",
            "restartreplace",
            "onlyifdoesntexist",
            "uninsneveruninstall",
            "confirmoverwrite",
            "isreadme",
            "skipifsourcedoesntexist",
            "solidbreak",
            "sortfilesbyextension",
            "nocompression",
            "dontcopy",
        ]
    ),
    "Icons": {"runminimized", "runmaximized", "uninsneveruninstall", "excludefromshowinnewinstall"},
    "Run": set(
        [
            "nowait",
            "postinstall",
            "skipifsilent",
            "unchecked",
            "shellexec",
            "runhidden",
            "runasoriginaluser",
            "waituntilidle",
            "waituntilterminated",
            "hidewizard",
            "runminimized",
        ]
    ),
    "UninstallRun": {"nowait", "runhidden", "shellexec", "waituntilterminated"},
    "Dirs": {"uninsalwaysuninstall", "uninsneveruninstall", "deleteafterinstall"},
    "Tasks": {"unchecked", "exclusive", "checkedonce", "dontinheritcheck", "restart"},
}
CONSTANTS = set(
    [
        "app",
        "win",
        "sys",
        "syswow64",
        "src",
        "sd",
        "commonpf",
        "autopf",
        "commonpf32",
        "commonpf64",
        "commoncf",
        "autocf",
        "tmp",
        "fonts",
        "dao",
        "dotnet20",
        "group",
        "localappdata",
        "userappdata",
        "commonappdata",
        "autoappdata",
        "userdocs",
        "commondocs",
        "autodocs",
        "userdesktop",
        "commondesktop",
        "autodesktop",
        "userprograms",
        "commonprograms",
        "autoprograms",
        "userstartmenu",
        "commonstartmenu",
        "autostartmenu",
        "cmd",
        "computername",
        "username",
        "groupname",
        "uninstallexe",
        "language",
    ]
)
_DEFINE = re.compile(r'^#define\s+(\w+)\s+"([^"]*)"\s*$')
_USE = re.compile(r"\{#(\w+)\}")
_CONSTANT = re.compile(r"\{\{|\{([^}{]*)\}")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def problem(self, line: int, text: str) -> None:
        self.problems.append(f"line {line}: {text}")


def split_entry(text: str) -> list[tuple[str, str]]:
    """``Name: value; Name: "say ""hi"" now"`` into pairs; ValueError on bad quoting."""
    pairs: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        match = re.compile(r"\s*([A-Za-z]\w*)\s*:\s*").match(text, i)
        if not match:
            raise ValueError(f"expected 'Name: value' at {text[i:]!r}")
        name, i = match.group(1), match.end()
        if i < n and text[i] == '"':
            value, i = [], i + 1
            while True:
                if i >= n:
                    raise ValueError(f"unterminated quote in {name}")
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        value.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                value.append(text[i])
                i += 1
            rest = re.compile(r"\s*(;|$)").match(text, i)
            if not rest:
                raise ValueError(f"text after the quoted value of {name}")
            pairs.append((name, "".join(value)))
            i = rest.end()
        else:
            end = text.find(";", i)
            end = n if end < 0 else end
            value_text = text[i:end].strip()
            if '"' in value_text:
                raise ValueError(f"stray quote in {name}")
            pairs.append((name, value_text))
            i = end + 1
    return pairs


def _constants(report: Report, number: int, value: str) -> None:
    for match in _CONSTANT.finditer(value):
        inner = match.group(1)
        if inner is None:  # "{{" is a literal brace
            continue
        name = inner.split(":", 1)[0].split("|", 1)[0]
        if name not in CONSTANTS and not name.startswith(("cm:", "code:", "reg:", "ini:")):
            report.problem(number, f"unknown constant {{{inner}}}")


def _local(base: Path, value: str) -> Path:
    posix = Path(value.replace("\\", "/"))
    return posix if posix.is_absolute() else base / posix


def _matches(base: Path, value: str, linux: bool) -> list[str]:
    pattern = str(_local(base, value))
    found = glob.glob(pattern)
    if not found and linux and pattern.lower().endswith(".exe"):
        found = [p for p in glob.glob(pattern[:-4]) if Path(p).is_file()]
    return found


def check(path: Path, *, build_dir: Path | None = None, linux: bool = False) -> Report:
    report = Report()
    base = path.resolve().parent
    defines: dict[str, str] = {}
    section = ""
    setup: dict[str, str] = {}
    installed: set[str] = set()  # lower-case paths below {app}
    targets: list[tuple[int, str]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        line = raw.strip()
        if section == "Code":
            continue
        if not line or line.startswith(";"):
            continue
        define = _DEFINE.match(line)
        if define:
            defines[define.group(1)] = define.group(2)
            if define.group(1) == "BuildDir" and build_dir is not None:
                defines["BuildDir"] = str(build_dir.resolve())
            continue
        if line.startswith("#"):
            report.problem(number, f"unsupported preprocessor line {line!r}")
            continue
        for name in _USE.findall(line):
            if name not in defines:
                report.problem(number, f"{{#{name}}} is not defined")
        line = _USE.sub(lambda m: defines.get(m.group(1), ""), line)
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            section = header.group(1)
            if section not in SECTIONS:
                report.problem(number, f"unknown section [{section}]")
            continue
        if not section:
            report.problem(number, "text before the first section")
        elif section == "Setup":
            if "=" not in line:
                report.problem(number, f"not a directive: {line!r}")
                continue
            key, value = (part.strip() for part in line.split("=", 1))
            if key not in SETUP_DIRECTIVES:
                report.problem(number, f"unknown [Setup] directive {key}")
            setup[key] = value
            _constants(report, number, value)
            if key in SETUP_FILES and not _matches(base, value, linux):
                report.problem(number, f"{key} names a missing file {value}")
        elif section in PARAMETERS:
            _entry(report, number, section, line, base, linux, installed, targets)
    for key in SETUP_REQUIRED:
        if key not in setup:
            report.problems.append(f"[Setup] lacks {key}")
    if "AppVersion" not in setup and "AppVerName" not in setup:
        report.problems.append("[Setup] lacks AppVersion (or AppVerName)")
    for number, target in targets:
        if target.lower() not in installed:
            report.problem(number, f"{{app}}\\{target} is not installed by [Files]")
    return report


def _entry(
    report: Report,
    number: int,
    section: str,
    line: str,
    base: Path,
    linux: bool,
    installed: set[str],
    targets: list[tuple[int, str]],
) -> None:
    try:
        pairs = split_entry(line)
    except ValueError as error:
        report.problem(number, str(error))
        return
    allowed, required = PARAMETERS[section]
    values = dict(pairs)
    for name, value in pairs:
        if name not in allowed:
            report.problem(number, f"[{section}] has no parameter {name}")
        _constants(report, number, value)
    for name in required:
        if name not in values:
            report.problem(number, f"[{section}] entry lacks {name}")
    flags = values.get("Flags", "").split()
    for flag in flags:
        if flag not in FLAGS.get(section, set()):
            report.problem(number, f"[{section}] has no flag {flag}")
    if section == "Files" and "Source" in values:
        source = values["Source"]
        found = _matches(base, source, linux)
        if not found:
            report.problem(number, f"Source names a missing file {source}")
        dest = values.get("DestDir", "")
        if dest.lower().startswith("{app}") and found:
            below = dest[len("{app}") :].strip("\\")
            if any(ch in PureWindowsPath(source).name for ch in "*?"):
                installed.add((below + "\\*").strip("\\").lower())
            else:
                name = values.get("DestName", PureWindowsPath(source).name)
                installed.add("\\".join(p for p in (below, name) if p).lower())
    if section == "Languages":
        messages = values.get("MessagesFile", "")
        if not messages.startswith("compiler:") and not _matches(base, messages, linux):
            report.problem(number, f"MessagesFile names a missing file {messages}")
    if section in ("Icons", "Run", "UninstallRun"):
        target = values.get("Filename", "")
        if target.lower().startswith("{app}\\"):
            relative = target[len("{app}\\") :]
            folder = relative.rsplit("\\", 1)[0] + "\\*" if "\\" in relative else None
            if folder is None or folder.lower() not in installed:
                targets.append((number, relative))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("script", type=Path)
    parser.add_argument("--build-dir", type=Path, help="the one-folder build (BuildDir)")
    parser.add_argument("--linux", action="store_true", help="a Linux build stands in")
    args = parser.parse_args(argv)
    report = check(args.script, build_dir=args.build_dir, linux=args.linux)
    for problem in report.problems:
        print(f"{args.script}: {problem}")
    if not report.problems:
        print(f"{args.script}: ok")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
