#!/usr/bin/env bash
# Linux deliverables from a frozen build (packaging/build-frozen.sh OUT_DIR):
#
#   bash packaging/linux/make-packages.sh OUT_DIR
#
# writes into OUT_DIR
#   secretdesk-VERSION-linux-x86_64.tar.gz   the folder, the menu entry, the icon, install.sh
#   secretdesk_VERSION_amd64.deb             installs /opt/secretdesk, /usr/bin/secretdesk and
#                                            the menu entry; needs no network (dpkg -i)
# Both are reproducible for a given SOURCE_DATE_EPOCH (sorted, fixed times and owners).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$(realpath "${1:?usage: make-packages.sh OUT_DIR}")
[ -x "$OUT/secretdesk/secretdesk" ] || { echo "no frozen build in $OUT/secretdesk" >&2; exit 1; }
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct)}
umask 022
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/secretdesk-packages.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

reproducible_tar() {  # reproducible_tar ARCHIVE DIR NAME...
    local archive=$1 dir=$2
    shift 2
    tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
        --format=gnu -C "$dir" -cf - "$@" | gzip -6n >"$archive"
}

# -- tarball ---------------------------------------------------------------------------------
NAME=secretdesk-$VERSION-linux-x86_64
T="$STAGE/tar/$NAME"
mkdir -p "$T"
cp -a "$OUT/secretdesk" "$T/secretdesk"
install -m 0644 "$HERE/secretdesk.desktop" "$HERE/secretdesk.svg" "$T/"
install -m 0755 "$HERE/install-user.sh" "$T/install.sh"
find "$T" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
reproducible_tar "$OUT/$NAME.tar.gz" "$STAGE/tar" "$NAME"

# -- .deb ------------------------------------------------------------------------------------
D="$STAGE/deb"
mkdir -p "$D/DEBIAN" "$D/opt" "$D/usr/bin" "$D/usr/share/applications" \
    "$D/usr/share/icons/hicolor/scalable/apps"
cp -a "$OUT/secretdesk" "$D/opt/secretdesk"
ln -s /opt/secretdesk/secretdesk "$D/usr/bin/secretdesk"
install -m 0644 "$HERE/secretdesk.desktop" "$D/usr/share/applications/secretdesk.desktop"
install -m 0644 "$HERE/secretdesk.svg" "$D/usr/share/icons/hicolor/scalable/apps/secretdesk.svg"
SIZE_KB=$(du -sk --exclude=DEBIAN "$D" | cut -f1)
# The X11 libraries Qt's xcb plugin loads and that PyInstaller leaves to the system; all are
# part of a standard Debian 12 / Ubuntu 24.04 desktop installation.
cat >"$D/DEBIAN/control" <<EOF
Package: secretdesk
Version: $VERSION
Architecture: amd64
Maintainer: SecretDesk team <secretdesk@localhost>
Installed-Size: $SIZE_KB
Depends: libc6 (>= 2.28), libfontconfig1, libfreetype6, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xkb1, libegl1, libgl1, libdbus-1-3, libwayland-client0, libwayland-cursor0, libwayland-egl1
Section: misc
Priority: optional
Description: offline custody register of classified documents
 SecretDesk keeps the custody register of classified documents (tài liệu,
 vật chứa bí mật nhà nước) on a computer that never touches a network.
 This package holds the frozen application (Python, Qt and SQLCipher
 included) under /opt/secretdesk. Check it with: secretdesk self-test --fresh
EOF
find "$D" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
DEB="$OUT/secretdesk_${VERSION}_amd64.deb"
dpkg-deb --root-owner-group -Zgzip -z6 --build "$D" "$DEB" >/dev/null
echo "== $OUT/$NAME.tar.gz ($(du -h "$OUT/$NAME.tar.gz" | cut -f1)), $DEB ($(du -h "$DEB" | cut -f1))"
