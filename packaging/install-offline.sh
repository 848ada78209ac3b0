#!/usr/bin/env bash
# On the AIR-GAPPED computer: install SecretDesk from this wheelhouse folder, with no index
# and no network, into a virtual environment, then check it.
#
#   bash install-offline.sh [VENV]     default VENV: ~/.local/share/secretdesk/venv
#
# Needs Python 3.11 or 3.12 with venv (Debian/Ubuntu: python3-venv), matching the wheelhouse.
# Every wheel is checked against requirements.txt (--require-hashes); nothing else is accepted.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VENV=${1:-${XDG_DATA_HOME:-$HOME/.local/share}/secretdesk/venv}
PYTHON=${PYTHON:-python3}
if command -v sha256sum >/dev/null; then
    (cd "$HERE" && sha256sum --quiet -c SHA256SUMS) || { echo "the wheelhouse is damaged" >&2; exit 1; }
fi
"$PYTHON" -m venv "$VENV"
PIP_CONFIG_FILE=/dev/null "$VENV/bin/python" -m pip install --quiet --no-index \
    --find-links "$HERE" --require-hashes --only-binary :all: -r "$HERE/requirements.txt"
echo "Installed: $VENV/bin/secretdesk"
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$VENV/bin/secretdesk" self-test --fresh
