#!/usr/bin/env bash
# On a CONNECTED build computer: put every wheel SecretDesk needs for one target into a folder
# that is then carried (signed, see release.sh) to the air-gapped computer.
#
#   bash packaging/wheelhouse.sh TARGET DIR     TARGET: linux-x86_64-py3.11, linux-x86_64-py3.12,
#                                               windows-x64-py3.11, windows-x64-py3.12
# DIR receives
#   *.whl              the pinned wheels for TARGET (hash-checked while downloading) and
#                      SecretDesk's own wheel
#   requirements.txt   every wheel with its SHA-256 (pip install --require-hashes)
#   install-offline.sh the install script (Linux); SHA256SUMS of the folder
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TARGET=${1:?usage: wheelhouse.sh TARGET DIR}
DIR=$(realpath -m "${2:?usage: wheelhouse.sh TARGET DIR}")
PYTHON=${PYTHON:-python3}
cd "$ROOT"
read -r PYVER PLATFORMS < <("$PYTHON" packaging/requirements.py --describe "$TARGET")
mkdir -p "$DIR"
find "$DIR" -maxdepth 1 -name '*.whl' -delete
PINS=$(mktemp)
trap 'rm -f "$PINS"' EXIT
"$PYTHON" packaging/requirements.py --for-target "$TARGET" >"$PINS"

platform_args=()
for p in $PLATFORMS; do platform_args+=(--platform "$p"); done
echo "== downloading the wheels for $TARGET"
"$PYTHON" -m pip download -q --require-hashes --no-deps --only-binary :all: \
    --implementation cp --python-version "$PYVER" "${platform_args[@]}" \
    -r "$PINS" -d "$DIR" 2> >(grep -v "is ignored: it is neither" >&2)

echo "== building SecretDesk's own wheel"
"$PYTHON" -m pip wheel -q --no-deps -w "$DIR" "$ROOT" 2> >(grep -v "is ignored: it is neither" >&2)
OWN=$(cd "$DIR" && ls secretdesk-*.whl)
VERSION=${OWN#secretdesk-}
VERSION=${VERSION%%-*}

{
    echo "# SecretDesk $VERSION for $TARGET: pip install --no-index --require-hashes -r requirements.txt"
    cat "$PINS"
    echo "secretdesk==$VERSION \\"
    echo "    --hash=sha256:$(sha256sum "$DIR/$OWN" | cut -d' ' -f1)"
} >"$DIR/requirements.txt"
install -m 0755 "$HERE/install-offline.sh" "$DIR/install-offline.sh"
(cd "$DIR" && rm -f SHA256SUMS && find . -maxdepth 1 -type f ! -name SHA256SUMS ! -name '*.minisig' \
    -printf '%f\n' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
echo "== $DIR: $(ls "$DIR"/*.whl | wc -l) wheels, $(du -sh "$DIR" | cut -f1)"
