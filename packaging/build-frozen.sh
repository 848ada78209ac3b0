#!/usr/bin/env bash
# Build the one-folder frozen application (PyInstaller) from the hash-pinned requirements.
#
#   bash packaging/build-frozen.sh [OUT_DIR]        default: packaging/build/out
#
# Writes OUT_DIR/secretdesk/ (the program: run OUT_DIR/secretdesk/secretdesk) and
# OUT_DIR/secretdesk.SHA256SUMS (every file of the folder; `sha256sum -c` from OUT_DIR).
#
# Environment:
#   PYTHON       interpreter the build venv is made from (default: python3); its X.Y picks
#                packaging/requirements/build-linux-x86_64-pyX.Y.txt
#   BUILD_VENV   the build venv (default: packaging/build/venv-pyX.Y); created and filled
#                with `pip install --require-hashes` from the pinned file, then reused
#   SOURCE_DATE_EPOCH  default: the time of the last commit (git), so two builds of one
#                commit carry the same timestamps
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$(realpath -m "${1:-packaging/build/out}")
PYTHON=${PYTHON:-python3}
PYVER=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
REQUIREMENTS=packaging/requirements/build-linux-x86_64-py$PYVER.txt
VENV=$(realpath -m "${BUILD_VENV:-packaging/build/venv-py$PYVER}")
[ -f "$REQUIREMENTS" ] || { echo "no pinned requirements for Python $PYVER: $REQUIREMENTS" >&2; exit 1; }

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 315532800)}
export PYTHONHASHSEED=0 TZ=UTC LC_ALL=C.UTF-8 PYTHONDONTWRITEBYTECODE=1
umask 022

stamp="$VENV/.installed-$(sha256sum "$REQUIREMENTS" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    echo "== build venv $VENV from $REQUIREMENTS"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --require-hashes --only-binary :all: --no-deps \
        -r "$REQUIREMENTS" 2> >(grep -v "is ignored: it is neither" >&2)
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi

echo "== PyInstaller (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/secretdesk-pyinstaller.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
rm -rf "$OUT/secretdesk" "$OUT/secretdesk.SHA256SUMS"
mkdir -p "$OUT"
(cd "$ROOT" && "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$OUT" --workpath "$WORK/build" packaging/secretdesk.spec) \
    2> >(grep -v -E "required via ctypes not found|libqgtk3.so'|^\s*$" >&2)

# Every file with the same time, so the tarball and the .deb do not depend on the build hour.
find "$OUT/secretdesk" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
(cd "$OUT" && find secretdesk -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) \
    >"$OUT/secretdesk.SHA256SUMS"
echo "== built $OUT/secretdesk ($(du -sh "$OUT/secretdesk" | cut -f1)," \
    "$(wc -l <"$OUT/secretdesk.SHA256SUMS") files)"
