"""Removable volumes: finding them, staying inside them, ejecting them.

Linux: a mounted block device counts as removable when its sysfs path (the real path of
``/sys/class/block/<dev>``) passes through a ``usb<N>`` node, or when its disk says
``removable`` = 1. Many USB SSDs say 0 there, hence the first test (RELIABILITY.md
"Removable media"). The disk holding ``/`` or ``/boot`` is never offered, nor a volume whose
mount point is hidden by a later mount (on it or on a folder above it). Other file systems
mounted on folders inside a volume are listed in ``Volume.inner_mounts``: they are not the
stick, whatever their path says.

Windows: ``GetDriveTypeW`` = DRIVE_REMOVABLE, or a fixed drive on a USB/SD bus.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from secretdesk.system.hardening import child_environment
from secretdesk.transfer.errors import UnsafeTargetPath

SYSTEM_MOUNT_POINTS = ("/", "/boot", "/boot/efi")
_USB_NODE = re.compile(r"usb\d+")
_MOUNT_ESCAPE = re.compile(r"\\([0-7]{3})")
_UDEV_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")
EJECT_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Volume:
    mount_point: Path
    device: str
    fs_type: str
    label: str | None
    free_bytes: int
    total_bytes: int
    read_only: bool = False
    inner_mounts: tuple[Path, ...] = ()  # other file systems mounted inside this one


@dataclass(frozen=True)
class Mount:
    device: str
    mount_point: str
    fs_type: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class EjectResult:
    ok: bool
    step: str  # the command that failed (or the last one run): "unmount", "power-off"
    returncode: int | None
    output: str


def list_removable_volumes(
    proc_mounts: Path = Path("/proc/self/mounts"),
    sys_root: Path = Path("/sys"),
    udev_data: Path = Path("/run/udev/data"),
) -> list[Volume]:
    """Mounted removable volumes, in mount order; the paths let tests use fake trees."""
    if sys.platform == "win32":
        return _windows_removable_volumes()
    return _linux_removable_volumes(proc_mounts, sys_root, udev_data)


def read_mounts(text: str) -> list[Mount]:
    """Parse /proc/self/mounts (octal escapes such as ``\\040`` for a space are decoded)."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        device, mount_point, fs_type, options = (_unescape_mount(f) for f in fields[:4])
        mounts.append(Mount(device, mount_point, fs_type, tuple(options.split(","))))
    return mounts


def resolve_target(volume_mount: Path, relative: str) -> Path:
    """``relative`` inside the volume, refusing ``..``, absolute paths and symlinks out."""
    mount = Path(volume_mount).resolve()
    parts = re.split(r"[\\/]", relative)
    absolute = PurePosixPath(relative).is_absolute() or PureWindowsPath(relative).anchor != ""
    if absolute or ".." in parts or "\x00" in relative:
        raise UnsafeTargetPath(path=relative, volume=mount)
    candidate = (mount / relative).resolve()
    if candidate != mount and mount not in candidate.parents:
        raise UnsafeTargetPath(path=relative, volume=mount)
    return candidate


def eject_commands(volume: Volume) -> list[list[str]]:
    """The commands that unmount the volume and power its drive off (not run here)."""
    if sys.platform == "win32":
        return []
    return [
        ["udisksctl", "unmount", "--block-device", volume.device, "--no-user-interaction"],
        ["udisksctl", "power-off", "--block-device", volume.device, "--no-user-interaction"],
    ]


def eject(
    volume: Volume,
    run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run,
) -> EjectResult:
    """Unmount then power off; stop at the first failure and say which step failed."""
    commands = eject_commands(volume)
    if not commands:
        return EjectResult(ok=False, step="unsupported", returncode=None, output="")
    result = EjectResult(ok=True, step="", returncode=0, output="")
    for command in commands:
        step = command[1]
        try:
            done = run(
                command,
                capture_output=True,
                text=True,
                timeout=EJECT_TIMEOUT_SECONDS,
                check=False,
                stdin=subprocess.DEVNULL,
                env=child_environment(),
            )
        except (OSError, subprocess.SubprocessError) as error:
            return EjectResult(ok=False, step=step, returncode=None, output=str(error))
        output = (done.stdout + done.stderr).strip()
        result = EjectResult(done.returncode == 0, step, done.returncode, output)
        if not result.ok:
            return result
    return result


# --- Linux -----------------------------------------------------------------------------------


def _linux_removable_volumes(proc_mounts: Path, sys_root: Path, udev_data: Path) -> list[Volume]:
    mounts = read_mounts(proc_mounts.read_text(encoding="utf-8", errors="surrogateescape"))
    system_disks = {
        disk
        for mount in mounts
        if mount.mount_point in SYSTEM_MOUNT_POINTS
        for disk in _backing_disks(mount.device, sys_root)
    }
    volumes: list[Volume] = []
    seen: set[str] = set()
    for index, mount in enumerate(mounts):
        if _hidden(mount, mounts[index + 1 :]):
            continue
        disks = _backing_disks(mount.device, sys_root)
        if not disks or mount.device in seen or system_disks.intersection(disks):
            continue
        if not any(_is_removable(disk) for disk in disks):
            continue
        try:
            usage = shutil.disk_usage(mount.mount_point)
        except OSError:
            continue  # gone, or not readable: nothing to write to
        seen.add(mount.device)
        volumes.append(
            Volume(
                mount_point=Path(mount.mount_point),
                device=mount.device,
                fs_type=mount.fs_type,
                label=_udev_label(mount.device, sys_root, udev_data),
                free_bytes=usage.free,
                total_bytes=usage.total,
                read_only="ro" in mount.options,
                inner_mounts=_inner_mounts(index, mounts),
            )
        )
    return volumes


def _under(path: PurePosixPath, folder: PurePosixPath) -> bool:
    return path == folder or folder in path.parents


def _hidden(mount: Mount, later: list[Mount]) -> bool:
    """A later mount on the same mount point, or on a folder above it, hides this one."""
    point = PurePosixPath(mount.mount_point)
    return any(_under(point, PurePosixPath(other.mount_point)) for other in later)


def _inner_mounts(index: int, mounts: list[Mount]) -> tuple[Path, ...]:
    """Mount points (still visible) strictly inside the mount point of ``mounts[index]``."""
    point = PurePosixPath(mounts[index].mount_point)
    return tuple(
        Path(other.mount_point)
        for number, other in enumerate(mounts)
        if number != index
        and PurePosixPath(other.mount_point) != point
        and _under(PurePosixPath(other.mount_point), point)
        and not _hidden(other, mounts[number + 1 :])
    )


def _sysfs_node(device: str, sys_root: Path) -> Path | None:
    if not device.startswith("/dev/"):
        return None
    node = sys_root / "class" / "block" / Path(os.path.realpath(device)).name
    return Path(os.path.realpath(node)) if node.exists() else None


def _backing_disks(device: str, sys_root: Path) -> list[Path]:
    """Real sysfs paths of the whole disks under a device (through LUKS or LVM layers)."""
    node = _sysfs_node(device, sys_root)
    return list(_disks_of(node, depth=0)) if node is not None else []


def _disks_of(node: Path, depth: int) -> Iterator[Path]:
    slaves = node / "slaves"
    lower = sorted(slaves.iterdir()) if slaves.is_dir() and depth < 4 else []
    if lower:
        for slave in lower:
            yield from _disks_of(Path(os.path.realpath(slave)), depth + 1)
    else:
        yield node.parent if (node / "partition").exists() else node


def _is_removable(disk: Path) -> bool:
    if any(_USB_NODE.fullmatch(part) for part in disk.parts):
        return True
    try:
        return (disk / "removable").read_text().strip() == "1"
    except OSError:
        return False


def _udev_label(device: str, sys_root: Path, udev_data: Path) -> str | None:
    node = _sysfs_node(device, sys_root)
    try:
        number = (node / "dev").read_text().strip() if node else ""
        properties = (udev_data / f"b{number}").read_text(errors="replace") if number else ""
    except OSError:
        return None
    values = dict(
        line[2:].partition("=")[::2] for line in properties.splitlines() if line.startswith("E:")
    )
    if values.get("ID_FS_LABEL_ENC"):
        label = values["ID_FS_LABEL_ENC"]
        return _UDEV_ESCAPE.sub(lambda match: chr(int(match[1], 16)), label)
    return values.get("ID_FS_LABEL") or None


def _unescape_mount(field: str) -> str:
    return _MOUNT_ESCAPE.sub(lambda match: chr(int(match[1], 8)), field)


# --- Windows (not exercised by the Linux test suite) -----------------------------------------

_DRIVE_REMOVABLE = 2
_DRIVE_FIXED = 3
_REMOVABLE_BUSES = frozenset({7, 12, 13})  # BusTypeUsb, BusTypeSd, BusTypeMmc
_IOCTL_STORAGE_QUERY_PROPERTY = 0x2D1400
_BUS_TYPE_OFFSET = 28  # STORAGE_DEVICE_DESCRIPTOR.BusType


def _windows_removable_volumes() -> list[Volume]:
    if sys.platform != "win32":
        return []
    import ctypes

    kernel32 = ctypes.windll.kernel32
    drives = kernel32.GetLogicalDrives()
    volumes = []
    for index in range(26):
        if not drives & (1 << index):
            continue
        root = f"{chr(ord('A') + index)}:\\"
        kind = kernel32.GetDriveTypeW(root)
        if kind != _DRIVE_REMOVABLE and not (kind == _DRIVE_FIXED and _windows_usb_bus(root)):
            continue
        label = ctypes.create_unicode_buffer(261)
        fs_type = ctypes.create_unicode_buffer(261)
        if not kernel32.GetVolumeInformationW(root, label, 261, None, None, None, fs_type, 261):
            continue  # no medium in the drive
        try:
            usage = shutil.disk_usage(root)
        except OSError:
            continue
        volumes.append(
            Volume(
                Path(root), root[:2], fs_type.value, label.value or None, usage.free, usage.total
            )
        )
    return volumes


def _windows_usb_bus(root: str) -> bool:
    """Ask the storage driver which bus the drive hangs on (some USB sticks say FIXED)."""
    if sys.platform != "win32":
        return False
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.windll.kernel32
    kernel32.CreateFileW.restype = wintypes.HANDLE
    share = 0x1 | 0x2  # FILE_SHARE_READ | FILE_SHARE_WRITE
    handle = kernel32.CreateFileW(f"\\\\.\\{root[:2]}", 0, share, None, 3, 0, None)
    if handle in (None, wintypes.HANDLE(-1).value):
        return False
    try:
        query = (ctypes.c_ulong * 3)(0, 0, 0)  # StorageDeviceProperty, PropertyStandardQuery
        descriptor = ctypes.create_string_buffer(512)
        returned = wintypes.DWORD()
        if not kernel32.DeviceIoControl(
            wintypes.HANDLE(handle),
            _IOCTL_STORAGE_QUERY_PROPERTY,
            query,
            ctypes.sizeof(query),
            descriptor,
            ctypes.sizeof(descriptor),
            ctypes.byref(returned),
            None,
        ):
            return False
        if returned.value < _BUS_TYPE_OFFSET + 4:
            return False
        bus = int.from_bytes(descriptor.raw[_BUS_TYPE_OFFSET : _BUS_TYPE_OFFSET + 4], "little")
        return bus in _REMOVABLE_BUSES
    finally:
        kernel32.CloseHandle(wintypes.HANDLE(handle))
