"""Removable volumes on fake /proc/self/mounts and /sys trees; safe targets; eject commands."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from secretdesk.transfer import media
from secretdesk.transfer.errors import UnsafeTargetPath

USB_HOST = "devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0"
USB_HOST_2 = "devices/pci0000:00/0000:00:14.0/usb3/3-2/3-2:1.0/host7/target7:0:0/7:0:0:0"
SATA_HOST = "devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0"
CARD_HOST = "devices/pci0000:00/0000:00:17.0/ata2/host1/target1:0:0/1:0:0:0"
NVME = "devices/pci0000:00/0000:00:1d.0/0000:03:00.0/nvme/nvme0"


class FakeSystem:
    """A /sys tree with disks and partitions, /run/udev/data, and mount points."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sys = root / "sys"
        self.udev = root / "udev"
        (self.sys / "class" / "block").mkdir(parents=True)
        self.udev.mkdir()
        self.mount_lines: list[str] = []

    def disk(self, host: str, disk: str, *, removable: int = 0) -> Path:
        path = self.sys / host / "block" / disk
        path.mkdir(parents=True)
        (path / "removable").write_text(f"{removable}\n")
        self._link(disk, path)
        return path

    def partition(self, disk_path: Path, name: str, dev: str, label: str | None = None) -> Path:
        path = disk_path / name
        path.mkdir()
        (path / "partition").write_text("1\n")
        (path / "dev").write_text(f"{dev}\n")
        self._link(name, path)
        if label is not None:
            encoded = label.replace(" ", "\\x20")
            safe = label.replace(" ", "_")
            (self.udev / f"b{dev}").write_text(
                f"S:disk/by-label/{encoded}\nE:ID_FS_LABEL={safe}\nE:ID_FS_LABEL_ENC={encoded}\n"
            )
        return path

    def mapper(self, name: str, lower: Path) -> None:
        path = self.sys / "devices" / "virtual" / "block" / name
        (path / "slaves").mkdir(parents=True)
        (path / "dev").write_text("253:0\n")
        (path / "slaves" / lower.name).symlink_to(lower)
        self._link(name, path)

    def mount(self, device: str, mount_point: str, fs_type: str, options: str = "rw") -> Path:
        escaped = mount_point.replace(" ", "\\040")
        self.mount_lines.append(f"{device} {escaped} {fs_type} {options} 0 0")
        return Path(mount_point)

    def mounted_dir(self, device: str, name: str, fs_type: str, options: str = "rw") -> Path:
        path = self.root / "mnt" / name
        path.mkdir(parents=True)
        return self.mount(device, str(path), fs_type, options)

    def volumes(self) -> list[media.Volume]:
        mounts = self.root / "mounts"
        mounts.write_text("\n".join(self.mount_lines) + "\n")
        return media.list_removable_volumes(mounts, self.sys, self.udev)

    def _link(self, name: str, target: Path) -> None:
        link = self.sys / "class" / "block" / name
        link.symlink_to(Path("..", "..", target.relative_to(self.sys)))


@pytest.fixture
def system(tmp_path: Path) -> FakeSystem:
    fake = FakeSystem(tmp_path)
    sda = fake.disk(SATA_HOST, "sda")
    fake.partition(sda, "sda1", "8:1")
    fake.partition(sda, "sda2", "8:2")
    fake.partition(sda, "sda3", "8:3")
    fake.mount("/dev/sda2", "/", "ext4", "rw,relatime")
    fake.mount("/dev/sda1", "/boot/efi", "vfat")
    fake.mount("proc", "/proc", "proc")
    fake.mount("tmpfs", "/run", "tmpfs")
    return fake


def test_usb_stick_is_found_with_its_label(system: FakeSystem) -> None:
    sdb = system.disk(USB_HOST, "sdb", removable=0)  # many USB sticks and SSDs say 0
    system.partition(sdb, "sdb1", "8:17", label="KINGSTON USB")
    mount_point = system.mounted_dir("/dev/sdb1", "KINGSTON USB", "vfat", "rw,nosuid")
    (volume,) = system.volumes()
    assert volume.mount_point == mount_point
    assert volume.device == "/dev/sdb1"
    assert volume.fs_type == "vfat"
    assert volume.label == "KINGSTON USB"
    assert volume.total_bytes > 0 and 0 <= volume.free_bytes <= volume.total_bytes
    assert not volume.read_only


def test_removable_flag_counts_without_usb(system: FakeSystem) -> None:
    sdc = system.disk(CARD_HOST, "sdc", removable=1)  # an internal card reader
    system.partition(sdc, "sdc1", "8:33")
    system.mounted_dir("/dev/sdc1", "card", "exfat", "ro,nosuid")
    (volume,) = system.volumes()
    assert volume.device == "/dev/sdc1" and volume.label is None and volume.read_only


def test_whole_disk_without_partitions_is_found(system: FakeSystem) -> None:
    sdb = system.disk(USB_HOST, "sdb")
    (sdb / "dev").write_text("8:16\n")
    system.mounted_dir("/dev/sdb", "raw", "vfat")
    assert [volume.device for volume in system.volumes()] == ["/dev/sdb"]


def test_fixed_disks_and_pseudo_filesystems_are_not_offered(system: FakeSystem) -> None:
    nvme = system.disk(NVME, "nvme0n1")
    system.partition(nvme, "nvme0n1p1", "259:1")
    system.mounted_dir("/dev/nvme0n1p1", "data", "ext4")
    system.mounted_dir("/dev/sda3", "home", "ext4")
    system.mounted_dir("/dev/loop0", "snap", "squashfs")  # no sysfs node here
    system.mounted_dir("//server/share", "cifs", "cifs")
    assert system.volumes() == []


def test_disk_of_the_running_system_is_never_offered(tmp_path: Path) -> None:
    fake = FakeSystem(tmp_path)
    sdb = fake.disk(USB_HOST, "sdb")  # booted from a USB disk
    fake.partition(sdb, "sdb1", "8:17")
    fake.partition(sdb, "sdb2", "8:18")
    fake.mount("/dev/sdb2", "/", "ext4")
    fake.mounted_dir("/dev/sdb1", "other-partition", "vfat")
    assert fake.volumes() == []


def test_each_device_is_listed_once_and_vanished_mounts_are_skipped(system: FakeSystem) -> None:
    sdb = system.disk(USB_HOST, "sdb")
    system.partition(sdb, "sdb1", "8:17")
    first = system.mounted_dir("/dev/sdb1", "stick", "vfat")
    system.mounted_dir("/dev/sdb1", "bind-mount", "vfat")
    sdd = system.disk(USB_HOST_2, "sdd")
    system.partition(sdd, "sdd1", "8:49")
    system.mount("/dev/sdd1", str(system.root / "mnt" / "gone"), "vfat")  # no such folder
    assert [volume.mount_point for volume in system.volumes()] == [first]


def test_encrypted_volume_on_a_usb_disk_is_found(system: FakeSystem) -> None:
    sde = system.disk(USB_HOST_2, "sde")
    sde1 = system.partition(sde, "sde1", "8:65")
    system.mapper("dm-0", sde1)
    system.mounted_dir("/dev/dm-0", "secure", "ext4")
    assert [volume.device for volume in system.volumes()] == ["/dev/dm-0"]


def test_mount_table_escapes_are_decoded() -> None:
    (mount,) = media.read_mounts("/dev/sdb1 /media/a\\040b\\011c\\134d vfat rw,ro 0 0\n")
    assert mount.mount_point == "/media/a b\tc\\d"
    assert mount.options == ("rw", "ro")


# --- targets inside the volume ---------------------------------------------------------------


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    path = tmp_path / "stick"
    (path / "exports").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    return path


def test_relative_paths_resolve_inside_the_volume(stick: Path) -> None:
    assert media.resolve_target(stick, "exports/2026") == stick.resolve() / "exports" / "2026"
    assert media.resolve_target(stick, "") == stick.resolve()
    assert media.resolve_target(stick, "./exports") == stick.resolve() / "exports"


@pytest.mark.parametrize(
    "relative",
    [
        "..",
        "../elsewhere",
        "exports/../../elsewhere",
        "/etc",
        "C:\\x",
        "C:x",
        "a\\..\\..\\x",
        "\\\\srv\\s",
        "a\x00b",
    ],
)
def test_paths_leaving_the_volume_are_refused(stick: Path, relative: str) -> None:
    with pytest.raises(UnsafeTargetPath):
        media.resolve_target(stick, relative)


def test_symlink_out_of_the_volume_is_refused(stick: Path, tmp_path: Path) -> None:
    (stick / "escape").symlink_to(tmp_path / "elsewhere")
    (stick / "inside").symlink_to(stick / "exports")
    with pytest.raises(UnsafeTargetPath):
        media.resolve_target(stick, "escape/package")
    assert media.resolve_target(stick, "inside/x") == stick.resolve() / "exports" / "x"


# --- eject ------------------------------------------------------------------------------------

VOLUME = media.Volume(Path("/media/u/STICK"), "/dev/sdb1", "vfat", "STICK", 10, 20)


def test_eject_commands_unmount_then_power_off() -> None:
    assert media.eject_commands(VOLUME) == [
        ["udisksctl", "unmount", "--block-device", "/dev/sdb1", "--no-user-interaction"],
        ["udisksctl", "power-off", "--block-device", "/dev/sdb1", "--no-user-interaction"],
    ]


class FakeRun:
    def __init__(self, *codes: int) -> None:
        self.codes = list(codes)
        self.commands: list[list[str]] = []

    def __call__(self, command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        assert kwargs["timeout"] and kwargs["check"] is False
        self.commands.append(command)
        code = self.codes.pop(0)
        return subprocess.CompletedProcess(command, code, "done\n", "busy\n" if code else "")


def test_eject_runs_both_steps() -> None:
    run = FakeRun(0, 0)
    result = media.eject(VOLUME, run=run)
    assert result.ok and result.step == "power-off" and len(run.commands) == 2


def test_eject_stops_at_a_failed_unmount() -> None:
    run = FakeRun(1)
    result = media.eject(VOLUME, run=run)
    assert not result.ok and result.step == "unmount" and result.returncode == 1
    assert "busy" in result.output and len(run.commands) == 1


@pytest.mark.parametrize(
    "error", [FileNotFoundError(2, "No such file"), subprocess.TimeoutExpired("udisksctl", 60)]
)
def test_eject_reports_a_missing_or_hung_tool(error: Exception) -> None:
    def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        raise error

    result = media.eject(VOLUME, run=run)
    assert not result.ok and result.step == "unmount" and result.returncode is None
