#!/bin/sh
# Install the unpacked SecretDesk tarball for the current user: the program stays where it was
# unpacked; a menu entry and the icon go into ~/.local/share. No network is needed.
#   sh install.sh            (from the unpacked folder)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$DATA/applications" "$DATA/icons/hicolor/scalable/apps"
sed "s|^Exec=.*|Exec=$HERE/secretdesk/secretdesk|" "$HERE/secretdesk.desktop" \
    >"$DATA/applications/secretdesk.desktop"
cp "$HERE/secretdesk.svg" "$DATA/icons/hicolor/scalable/apps/secretdesk.svg"
echo "SecretDesk is in the menu. Check this computer with:"
echo "    $HERE/secretdesk/secretdesk self-test --fresh"
