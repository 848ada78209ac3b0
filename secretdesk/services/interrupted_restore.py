"""What a killed ``restore`` leaves beside the vault, found and settled at the next start.

``restore`` (services/restore.py) copies the backup into a hidden folder beside the vault,
``.NAME.restore-<random>``, whose first file is RESTORE_MARKER (the backup it copies and the
name planned for the vault it replaces). The copy is swapped with the vault folder in one
atomic step; the folder then holds the replaced vault (no marker) and is renamed
``NAME.replaced-...``; the restored vault is re-keyed and recorded, and only then is the
marker, which came into the vault folder with the copy, removed. So at any instant:

- a hidden folder with the marker is a copy of a backup that never went in place: it is
  removed when that backup is still there whole (it can be copied again), kept under a
  visible name otherwise;
- a marker in the vault folder means a restored copy in place but not finished (not re-keyed,
  not recorded, its new recovery code never shown): the vault it replaced is swapped back
  (atomically), and the copy is then treated as above;
- a hidden folder without the marker that holds a vault is a vault that was replaced: it is
  never removed, only renamed ``NAME.replaced-interrupted-<random>``;
- an empty one (killed before anything was copied) is removed.

Nothing here needs a key: it runs before the unlock (app.unlock, and restore itself before
it opens anything), and ``self-test`` says what was found.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from secretdesk.i18n import N_, LazyText
from secretdesk.storage import backup_manifest
from secretdesk.storage.vault import DB_FILE, KEYS_FILE
from secretdesk.system.atomic import fsync_directory, write_atomic

RESTORE_MARKER = "RESTORE-COPY.json"


@dataclass(frozen=True)
class Leftover:
    """One thing found, said in the reader's language; ``settled`` when nothing is left to do."""

    text: LazyText
    settled: bool = True


def staging_folder(data_dir: Path) -> Path:
    return data_dir.parent / f".{data_dir.name}.restore-{secrets.token_hex(4)}"


def mark_copy(staging: Path, backup: Path, aside: Path) -> None:
    """The first file of a restore's copy: what it is a copy of (written before any other)."""
    body = {"backup": str(backup.resolve()), "aside": aside.name}
    write_atomic(staging / RESTORE_MARKER, json.dumps(body).encode("utf-8"))
    fsync_directory(staging)


def unmark(data_dir: Path) -> None:
    """The restore is finished: the restored vault is an ordinary vault from now on."""
    with contextlib.suppress(FileNotFoundError):
        (data_dir / RESTORE_MARKER).unlink()
    fsync_directory(data_dir)


def _marker(folder: Path) -> dict[str, Any] | None:
    try:
        found = json.loads((folder / RESTORE_MARKER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}  # a marker cut off while written: still a copy, of an unknown backup
    return found if isinstance(found, dict) else {}


def _holds_vault(folder: Path) -> bool:
    return (folder / DB_FILE).is_file() and (folder / KEYS_FILE).is_file()


def _backup_whole(backup: str) -> bool:
    """Is the backup a copy was made from still there, every file as its manifest says?"""
    if not backup:
        return False
    try:
        manifest = backup_manifest.read(Path(backup))
        if manifest is None:
            return False
        backup_manifest.check(Path(backup), manifest, (DB_FILE, KEYS_FILE))
    except (backup_manifest.ManifestProblem, OSError, ValueError):
        return False
    return True


def _leftovers(data_dir: Path) -> list[Path]:
    pattern = f".{glob.escape(data_dir.name)}.restore-*"
    return sorted(p for p in data_dir.parent.glob(pattern) if p.is_dir() and not p.is_symlink())


def _swap(first: Path, second: Path) -> None:
    from secretdesk.services.restore import _exchange

    if not _exchange(first, second):  # pragma: no cover - systems without renameat2
        middle = first.parent / f".{first.name}.swap-{secrets.token_hex(4)}"
        os.rename(second, middle)
        os.rename(first, second)
        os.rename(middle, first)
    fsync_directory(first.parent)


def tidy(data_dir: Path) -> list[Leftover]:
    """Find what a killed restore left beside ``data_dir`` and settle it (see the module)."""
    data_dir = Path(data_dir)
    try:
        return _tidy(data_dir)
    except OSError as error:
        return [
            Leftover(
                LazyText(
                    N_(
                        "What an interrupted restore left beside {vault} could not be settled "
                        "({detail}). Ask the administrator to look at the hidden folders there."
                    ),
                    vault=str(data_dir),
                    detail=error.strerror or str(error),
                ),
                settled=False,
            )
        ]


def look(data_dir: Path) -> list[Leftover]:
    """What is there now, changing nothing (self-test, while the vault is open)."""
    data_dir = Path(data_dir)
    found: list[Leftover] = []
    if data_dir.is_dir() and _marker(data_dir) is not None:
        found.append(
            Leftover(
                LazyText(
                    N_(
                        "This vault is a restored backup whose restore was interrupted before "
                        "it was re-keyed and recorded. Do not use it: run restore again."
                    )
                ),
                settled=False,
            )
        )
    with contextlib.suppress(OSError):
        for folder in _leftovers(data_dir):
            found.append(
                Leftover(
                    LazyText(
                        N_(
                            "The folder {folder} left by an interrupted restore is still there; "
                            "it is settled at the next unlock."
                        ),
                        folder=folder.name,
                    ),
                    settled=False,
                )
            )
    return found


def _tidy(data_dir: Path) -> list[Leftover]:
    if not data_dir.parent.is_dir():
        return []
    found: list[Leftover] = []
    in_place = _marker(data_dir) if data_dir.is_dir() else None
    if in_place is not None:
        said, copy = _roll_back(data_dir, in_place)
        found.append(said)
        if copy is not None and copy not in _leftovers(data_dir):
            found.append(_settle(data_dir, copy))  # the copy, where the replaced vault was
    for folder in _leftovers(data_dir):
        found.append(_settle(data_dir, folder))
    return found


def _roll_back(data_dir: Path, marker: dict[str, Any]) -> tuple[Leftover, Path | None]:
    """A restored copy in the vault folder, never finished: put the replaced vault back.
    Returns what was said and where the copy went."""
    replaced = [p for p in _leftovers(data_dir) if _marker(p) is None and _holds_vault(p)]
    aside = data_dir.parent / str(marker.get("aside", ""))
    planned = aside.name.startswith(f"{data_dir.name}.replaced-") and aside.is_dir()
    if not replaced and planned and _marker(aside) is None and _holds_vault(aside):
        replaced = [aside]
    if len(replaced) != 1:
        return (
            Leftover(
                LazyText(
                    N_(
                        "A restore into {vault} was interrupted after the backup was put in place "
                        "and before it was re-keyed and recorded, and the vault it replaced was "
                        "not found beside it. Do not use this vault: run restore again from the "
                        "backup."
                    ),
                    vault=str(data_dir),
                ),
                settled=False,
            ),
            None,
        )
    _swap(replaced[0], data_dir)
    said = Leftover(
        LazyText(
            N_(
                "A restore was interrupted after the backup was put in place but before it was "
                "re-keyed and recorded: the vault as it was before the restore is back in "
                "{vault}. Run restore again if the backup is still wanted."
            ),
            vault=str(data_dir),
        )
    )
    return said, replaced[0]


def _settle(data_dir: Path, folder: Path) -> Leftover:
    marker = _marker(folder)
    if marker is not None:
        backup = str(marker.get("backup", ""))
        if _backup_whole(backup):
            shutil.rmtree(folder)
            fsync_directory(folder.parent)
            return Leftover(
                LazyText(
                    N_(
                        "A restore was interrupted before it replaced the vault: its unused "
                        "copy of the backup {backup} ({folder}) was removed. The vault was not "
                        "changed."
                    ),
                    backup=backup,
                    folder=folder.name,
                )
            )
        kept = folder.parent / f"{data_dir.name}.restore-copy-{secrets.token_hex(4)}"
        os.rename(folder, kept)
        fsync_directory(folder.parent)
        return Leftover(
            LazyText(
                N_(
                    "A restore was interrupted before it replaced the vault: its copy of the "
                    "backup was kept as {folder}, because the backup {backup} is no longer "
                    "there whole. The vault was not changed."
                ),
                backup=backup or "-",
                folder=kept.name,
            )
        )
    if _holds_vault(folder):
        kept = folder.parent / f"{data_dir.name}.replaced-interrupted-{secrets.token_hex(4)}"
        os.rename(folder, kept)
        fsync_directory(folder.parent)
        return Leftover(
            LazyText(
                N_(
                    "A restore was interrupted after it replaced the vault: the vault it "
                    "replaced was kept as {folder} (open it with --data-dir to check it)."
                ),
                folder=kept.name,
            )
        )
    if (folder / DB_FILE).exists() or (folder / KEYS_FILE).exists():
        # Half a vault, not made by the copy (which writes the marker first): keep it.
        kept = folder.parent / f"{data_dir.name}.restore-unknown-{secrets.token_hex(4)}"
        os.rename(folder, kept)
        fsync_directory(folder.parent)
        return Leftover(
            LazyText(
                N_("A folder left by an interrupted restore was kept as {folder}."),
                folder=kept.name,
            ),
            settled=False,
        )
    shutil.rmtree(folder)
    fsync_directory(folder.parent)
    return Leftover(
        LazyText(
            N_("An empty folder {folder} left by an interrupted restore was removed."),
            folder=folder.name,
        )
    )
