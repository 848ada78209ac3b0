"""The manifest of a backup folder (issue 13): what ``backup`` wrote, checked by ``restore``.

MANIFEST.json lists each file of the backup with its size and SHA-256, the schema version, the
audit tree head at backup time and when the backup was made. It is written inside the folder
before the folder gets its final name, so a backup has its manifest or is not a backup yet.
It is not signed: it catches a damaged, truncated or swapped file, not a forger (the log
check and the exported tree heads do that).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from secretdesk.i18n import N_
from secretdesk.system.atomic import write_atomic

MANIFEST_FILE = "MANIFEST.json"
FORMAT = "secretdesk-backup/1"
_CHUNK = 1 << 20
_MAX_MANIFEST_BYTES = 64 << 10


@dataclass(frozen=True)
class Manifest:
    files: dict[str, tuple[int, str]]  # name -> (size, sha256 hex)
    schema_version: int
    tree_head: str
    created_at: str


class ManifestProblem(Exception):
    """Why a backup folder does not match its manifest: a message id and its parameters,
    translated where it is shown."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.params = params


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write(
    folder: Path, names: list[str], *, schema_version: int, tree_head: str, created_at: str
) -> Manifest:
    files = {name: ((folder / name).stat().st_size, sha256_of(folder / name)) for name in names}
    document = {
        "format": FORMAT,
        "schema_version": schema_version,
        "tree_head": tree_head,
        "created_at": created_at,
        "files": [{"name": n, "size": s, "sha256": h} for n, (s, h) in sorted(files.items())],
    }
    write_atomic(folder / MANIFEST_FILE, (json.dumps(document, indent=2) + "\n").encode())
    return Manifest(files, schema_version, tree_head, created_at)


def read(folder: Path) -> Manifest | None:
    """The manifest, None when the folder has none (a backup made before manifests)."""
    path = folder / MANIFEST_FILE
    if not path.exists():
        return None
    if not path.is_file() or path.is_symlink() or path.stat().st_size > _MAX_MANIFEST_BYTES:
        raise ManifestProblem(N_("the manifest is not a plain file of sane size"))
    try:
        document = json.loads(path.read_bytes())
        if document.get("format") != FORMAT:
            raise ManifestProblem(N_("the manifest has an unknown format"))
        files: dict[str, tuple[int, str]] = {}
        for entry in document["files"]:
            name, size, digest = entry["name"], entry["size"], entry["sha256"]
            if not (
                isinstance(name, str)
                and "/" not in name
                and name not in ("", ".", "..")
                and isinstance(size, int)
                and not isinstance(size, bool)
                and size >= 0
                and isinstance(digest, str)
                and len(digest) == 64
            ):
                raise ManifestProblem(N_("the manifest lists a malformed file entry"))
            files[name] = (size, digest.lower())
        return Manifest(
            files,
            int(document["schema_version"]),
            str(document["tree_head"]),
            str(document["created_at"]),
        )
    except ManifestProblem:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ManifestProblem(N_("the manifest cannot be read")) from error


def check(folder: Path, manifest: Manifest, required: tuple[str, ...]) -> None:
    """Every required file listed; every listed file present with its size and hash."""
    for name in required:
        if name not in manifest.files:
            raise ManifestProblem(N_("the manifest does not list {name}"), name=name)
    for name, (size, digest) in sorted(manifest.files.items()):
        path = folder / name
        if not path.is_file() or path.is_symlink():
            raise ManifestProblem(N_("{name} is missing"), name=name)
        found = path.stat().st_size
        if found != size:
            raise ManifestProblem(
                N_("{name} has {found} bytes, the manifest says {size}"),
                name=name,
                found=found,
                size=size,
            )
        if sha256_of(path) != digest:
            raise ManifestProblem(
                N_("{name} does not match its SHA-256 in the manifest"), name=name
            )


# The high-water mark: the largest audit tree head that left the vault (in an export package
# or a backup), kept in a small file beside the database, outside it. A vault whose database
# lost its last transactions (a deleted -wal file, a truncated file, an old copy put back by
# hand) loses the audit events that recorded those exports too; this file does not.
HEAD_FILE = "last-head.json"


@dataclass(frozen=True)
class RecordedHead:
    size: int
    root: str  # hex
    source: str  # "export" or "backup"


def recorded_head(data_dir: Path) -> RecordedHead | None:
    """The mark beside the vault, or the head in the manifest of its own newest backup
    (``backups/``), whichever is larger; None when neither is there or readable."""
    found: list[RecordedHead] = []
    path = data_dir / HEAD_FILE
    try:
        document = json.loads(path.read_bytes()[:_MAX_MANIFEST_BYTES])
        found.append(
            RecordedHead(int(document["size"]), str(document["root"]), str(document["source"]))
        )
    except (OSError, ValueError, KeyError, TypeError):
        pass
    for manifest_path in (data_dir / "backups").glob(f"*/{MANIFEST_FILE}"):
        try:
            manifest = read(manifest_path.parent)
        except ManifestProblem:
            continue
        size, _, root = manifest.tree_head.partition(":") if manifest else ("", "", "")
        if size.isdigit() and root:
            found.append(RecordedHead(int(size), root, "backup"))
    return max(found, key=lambda head: head.size, default=None)


def record_head(data_dir: Path, size: int, root: str, source: str, *, force: bool = False) -> None:
    """Raise the mark to this head (never lower it unless ``force``: a restore sets it to
    the restored head), atomically and privately."""
    path = data_dir / HEAD_FILE
    try:
        if force:
            raise ValueError
        current = json.loads(path.read_bytes()[:_MAX_MANIFEST_BYTES])
        if int(current["size"]) >= size:
            return
    except (OSError, ValueError, KeyError, TypeError):
        pass
    document = {"size": size, "root": root, "source": source}
    write_atomic(path, (json.dumps(document) + "\n").encode())
