"""The target of an export: a folder on a removable volume (USB stick), and ejecting it.

Unless the user explicitly chose a plain folder, the target must lie on a removable volume: the
longest mount point of a removable volume that contains the target, on the same file system
(same ``st_dev``) as that mount point, and the package is written to the resolved path.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from secretdesk.i18n import N_, LazyText
from secretdesk.services.exports.errors import ExportRefused, NotRemovable
from secretdesk.transfer import media
from secretdesk.transfer.errors import EjectFailed, TargetMissing

if TYPE_CHECKING:
    from secretdesk.services.exports.writing import ExportResult


class VolumeTargets:
    """Where a package may be written: a folder on a mounted removable volume."""

    _volumes: Callable[[], list[media.Volume]]

    def removable_volume(self, target: Path) -> media.Volume:
        """The mounted removable volume holding ``target``; refuse anything else.

        The volume is the one with the longest mount point containing the resolved target
        (a stick may be mounted inside another); the target must not lie in another file
        system mounted inside it, and must be on the file system mounted there (same
        ``st_dev``, see ``_target_on``). A mount point hidden by a later mount is never
        offered as a volume (``media.list_removable_volumes``).
        """
        try:
            path = target.resolve()
        except (OSError, RuntimeError):  # unreadable, or a symbolic link loop
            raise NotRemovable(target=target) from None
        matching = [
            (volume, mount)
            for volume, mount in ((v, v.mount_point.resolve()) for v in self._volumes())
            if mount == path or mount in path.parents
        ]
        if not matching:
            raise NotRemovable(target=target)
        volume, _mount = max(matching, key=lambda found: len(found[1].parts))
        resolved = _target_on(volume, target)
        inner = (inner_mount.resolve() for inner_mount in volume.inner_mounts)
        if any(mount == resolved or mount in resolved.parents for mount in inner):
            raise NotRemovable(target=target)
        if volume.read_only:
            raise ExportRefused(
                reason=LazyText(
                    N_("The stick at {mount} is mounted read-only."), mount=volume.mount_point
                )
            )
        return volume

    def eject(self, result: ExportResult) -> None:
        """Unmount and power off the stick the package was written to."""
        if result.volume is None:
            return
        outcome = media.eject(result.volume)
        if not outcome.ok:
            raise EjectFailed(device=result.volume.device, detail=outcome.output or outcome.step)


def _target_on(volume: media.Volume, target: Path) -> Path:
    """The resolved ``target``: an existing folder inside the volume's mount point, on the
    file system mounted there (the same ``st_dev`` as the mount point)."""
    try:
        resolved = target.resolve(strict=True)
        mount = volume.mount_point.resolve(strict=True)
        same_device = os.stat(resolved).st_dev == os.stat(mount).st_dev
    except (OSError, RuntimeError):
        raise TargetMissing(target=target) from None
    if resolved != mount and mount not in resolved.parents:
        raise NotRemovable(target=target)
    media.resolve_target(mount, str(resolved.relative_to(mount)))
    if not same_device:
        raise NotRemovable(target=target)
    return resolved
