#!/usr/bin/env bash
# Gather the release files into one folder, list them in SHA256SUMS and sign that list with
# the RELEASE key (minisign). The release key is SecretDesk's own, kept offline by the
# release manager; it is never a unit's signing key.
#
#   MINISIGN_KEY=/path/release.key bash packaging/release.sh RELEASE_DIR FILE_OR_DIR...
#
# Writes RELEASE_DIR/SHA256SUMS (sha256sum format, every file below RELEASE_DIR) and
# RELEASE_DIR/SHA256SUMS.minisig. minisign asks for the key's password on the terminal;
# with MINISIGN_PASSWORD_FILE (CI's throwaway key only) the password is read from that file.
# The receiving IT officer checks the folder with stock minisign (README: "Install on an
# air-gapped computer").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$(realpath -m "${1:?usage: release.sh RELEASE_DIR FILE_OR_DIR...}")
shift
KEY=${MINISIGN_KEY:?set MINISIGN_KEY to the release secret key file}
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)
COMMIT=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
mkdir -p "$DIR"
for item in "$@"; do
    cp -a "$item" "$DIR/"
done
rm -f "$DIR/SHA256SUMS" "$DIR/SHA256SUMS.minisig"
SUMS=$(cd "$DIR" && find . -type f ! -name '*.minisig' -printf '%P\n' | LC_ALL=C sort |
    xargs -d '\n' sha256sum)
printf '%s\n' "$SUMS" >"$DIR/SHA256SUMS"
COMMENT="SecretDesk $VERSION release, commit $COMMIT, $(wc -l <"$DIR/SHA256SUMS") files"
if [ -n "${MINISIGN_PASSWORD_FILE:-}" ]; then
    minisign -S -s "$KEY" -m "$DIR/SHA256SUMS" -t "$COMMENT" <"$MINISIGN_PASSWORD_FILE" >/dev/null
else
    minisign -S -s "$KEY" -m "$DIR/SHA256SUMS" -t "$COMMENT"
fi
echo "== signed $DIR/SHA256SUMS ($COMMENT)"
