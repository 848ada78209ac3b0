"""Is this computer connected to anything? Read-only checks, nothing is ever sent.

Not air-gapped when a non-loopback interface is up with a carrier, a default route exists,
or a Wi-Fi or Bluetooth radio is not blocked (RELIABILITY.md, "Air gap and sockets").
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from secretdesk.i18n import N_


@dataclass(frozen=True)
class Finding:
    kind: str  # "interface", "route", "radio"
    name: str
    message: str  # English id, translated by the front end

    def params(self) -> dict[str, str]:
        return {"name": self.name}


INTERFACE_UP = N_("Network interface {name} is up and connected.")
DEFAULT_ROUTE = N_("A default route exists ({name}).")
RADIO_ON = N_("Radio {name} is switched on.")


def check(root: Path = Path("/")) -> list[Finding]:
    """Return what makes this machine not air-gapped; an empty list means none was seen.

    ``root`` lets tests point at a fake /sys and /proc tree.
    """
    if not sys.platform.startswith("linux"):
        return []
    return [*_interfaces(root), *_routes(root), *_radios(root)]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""


def _interfaces(root: Path) -> list[Finding]:
    found: list[Finding] = []
    net = root / "sys/class/net"
    if not net.is_dir():
        return found
    for iface in sorted(net.iterdir()):
        if iface.name == "lo":
            continue
        operstate = _read(iface / "operstate")
        carrier = _read(iface / "carrier")
        if operstate == "up" or carrier == "1":
            found.append(Finding("interface", iface.name, INTERFACE_UP))
    return found


def _routes(root: Path) -> list[Finding]:
    found: list[Finding] = []
    for line in _read(root / "proc/net/route").splitlines()[1:]:
        fields = line.split()
        if len(fields) > 2 and fields[1] == "00000000" and fields[7:8] == ["00000000"]:
            found.append(Finding("route", f"IPv4, {fields[0]}", DEFAULT_ROUTE))
    for line in _read(root / "proc/net/ipv6_route").splitlines():
        fields = line.split()
        is_default = len(fields) >= 10 and fields[0] == "0" * 32 and fields[1] == "00"
        if is_default and fields[9] != "lo":
            found.append(Finding("route", f"IPv6, {fields[9]}", DEFAULT_ROUTE))
    return found


def _radios(root: Path) -> list[Finding]:
    found: list[Finding] = []
    rfkill = root / "sys/class/rfkill"
    if not rfkill.is_dir():
        return found
    for radio in sorted(rfkill.iterdir()):
        kind = _read(radio / "type")
        if kind not in ("wlan", "bluetooth"):
            continue
        if _read(radio / "soft") == "0" and _read(radio / "hard") == "0":
            found.append(Finding("radio", f"{kind} ({radio.name})", RADIO_ON))
    return found
