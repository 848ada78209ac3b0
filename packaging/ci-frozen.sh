#!/usr/bin/env bash
# CI for the air-gapped deliverables (called by .ci/run; not part of the pytest run):
#   1. build the frozen one-folder application from the hash-pinned requirements
#   2. check what it holds (no Qt network/web/QML/3D/multimedia module, every Qt library found),
#      the Inno Setup script against it, and the pinned requirement files
#   3. `self-test --fresh` inside the frozen app, also inside `unshare -rn` (no network
#      namespace) where the kernel allows it
#   4. the tarball and the .deb; the .deb unpacked into a scratch root (dpkg -x) and its
#      binary's self-test; the tarball's install.sh and its binary's self-test
#   5. the GUI reaches its unlock window on the real X11 plugin (xvfb) and on offscreen; the
#      time to the unlock window, installed binary against the development install
#   6. a release folder signed with a throwaway minisign key, verified with stock minisign
#   7. the offline wheelhouse installed into a fresh venv with --no-index (WHEELHOUSE=0 skips)
#   8. a second build of the same commit compared file by file (REPRO=0 skips)
# Every failure stops the script with a message and a non-zero exit. Figures are written to
# $OUT/measurements.txt.
#
#   bash packaging/ci-frozen.sh            OUT defaults to packaging/build/ci
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$(realpath -m "${OUT:-packaging/build/ci}")
REPRO=${REPRO:-1}
WHEELHOUSE=${WHEELHOUSE:-1}
trap 'echo "ci-frozen.sh: FAILED (line $LINENO: $BASH_COMMAND)" >&2' ERR
fail() {
    echo "ci-frozen.sh: FAILED: $*" >&2
    exit 1
}
step() { echo "=== $(date -u +%H:%M:%S) $*"; }
started=$(date +%s)

if [ -z "${PYTHON:-}" ]; then
    if [ -x .venv/bin/python ]; then
        PYTHON=$(.venv/bin/python -c 'import sys; print(sys._base_executable)')
    else
        PYTHON=python3
    fi
fi
export PYTHON
for tool in dpkg-deb minisign sha256sum; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
rm -rf "$OUT"
mkdir -p "$OUT"
SCRATCH="$OUT/scratch"
mkdir -p "$SCRATCH/tmp"
export TMPDIR="$SCRATCH/tmp" SECRETDESK_LOG_DIR="$SCRATCH/logs"
MEASURE="$OUT/measurements.txt"
: >"$MEASURE"
note() { echo "$*" | tee -a "$MEASURE"; }

# self_test BINARY [WRAPPER...]: run `self-test --fresh` and require every step to pass.
self_test() {
    local binary=$1
    shift
    local report="$SCRATCH/self-test.json"
    QT_QPA_PLATFORM=offscreen timeout 300 "$@" "$binary" --lang en --json self-test --fresh >"$report" ||
        { cat "$report" >&2; fail "self-test --fresh of $binary ${*:+(under $*)}"; }
    "$PYTHON" - "$report" <<'PY' || fail "self-test report of $binary"
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
steps = [c["check"] for c in report["checks"]]
for wanted in ("Create a new vault", "A wrong passphrase is refused", "Render a register to PDF",
               "Export a signed package", "Verify the package", "Air gap"):
    assert wanted in steps, f"{wanted} missing from {steps}"
bad = [c for c in report["checks"] if c["result"] == "FAIL"]
assert report["ok"] and not bad, bad
print("    self-test --fresh: %d checks, ok" % len(steps))
PY
}

can_unshare=0
if unshare -rn true 2>/dev/null; then can_unshare=1; fi

# -- 1. build -------------------------------------------------------------------------------
step "frozen build"
t0=$(date +%s)
bash packaging/build-frozen.sh "$OUT/build1"
note "frozen build: $(($(date +%s) - t0)) s"
APP="$OUT/build1/secretdesk"
BUILD_PY="${BUILD_VENV:-$ROOT/packaging/build/venv-py$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')}/bin/python"
BIN="$APP/secretdesk"

# -- 2. contents ----------------------------------------------------------------------------
step "contents of the frozen folder"
forbidden=$(cd "$APP/_internal" && find . \( -name 'QtNetwork*' -o -name 'QtWebEngine*' \
    -o -name 'Qt3D*' -o -name 'QtMultimedia*' -o -name 'QtQml*' -o -name 'QtQuick*' \
    -o -name 'libQt6WebEngine*' -o -name 'libQt6Qml*' -o -name 'libQt6Quick*' \
    -o -name 'libQt6Multimedia*' -o -name 'libQt63D*' -o -name 'tkinter' \) -print)
[ -z "$forbidden" ] || fail "modules that must not be shipped: $forbidden"
for needed in platforms/libqxcb.so platforms/libqoffscreen.so platforms/libqwayland.so; do
    [ -f "$APP/_internal/PySide6/Qt/plugins/$needed" ] || fail "missing Qt plugin $needed"
done
[ -f "$APP/_internal/secretdesk/_resources/fonts/LiberationSerif-Regular.ttf" ] ||
    fail "resources/ not shipped"
ls "$APP/_internal/sqlcipher3/"_sqlite3*.so >/dev/null || fail "sqlcipher3's native library missing"
missing=$(find "$APP/_internal" -name '*.so*' -type f -print0 | while IFS= read -r -d '' lib; do
    LD_LIBRARY_PATH="$APP/_internal:$APP/_internal/PySide6/Qt/lib" ldd "$lib" 2>/dev/null |
        grep 'not found' | sed "s|^|${lib#"$APP"/}: |" || true
done)
if awk '{print $2}' <<<"$missing" | grep -E '^(libQt6|libpython|libicu|libshiboken|libpyside)' >/dev/null; then
    fail "libraries of the build not found: $missing"
fi
[ -z "$missing" ] || echo "    left to the system (not shipped): $(sort -u <<<"$missing" | awk '{print $2}' | sort -u | tr '\n' ' ')"
note "frozen folder: $(du -sh "$APP" | cut -f1) ($(du -sk "$APP" | cut -f1) KiB), $(find "$APP" -type f | wc -l) files"

"$BUILD_PY" packaging/check_inno.py packaging/windows/secretdesk.iss --build-dir "$APP" --linux ||
    fail "the Inno Setup script"
"$BUILD_PY" packaging/requirements.py --check || fail "the pinned requirements"

# -- 3. self-test inside the frozen app ------------------------------------------------------
step "self-test --fresh in the frozen app"
self_test "$BIN"
grep -q SecretDesk <<<"$("$BIN" --version)" || fail "--version"
if [ "$can_unshare" = 1 ]; then
    step "self-test --fresh inside unshare -rn (no network namespace)"
    self_test "$BIN" unshare -rn
    note "unshare -rn: self-test passed with no network"
else
    note "unshare -rn: not allowed by this kernel; the network-less run was skipped"
fi

# -- 4. tarball and .deb ---------------------------------------------------------------------
step "tarball and .deb"
bash packaging/linux/make-packages.sh "$OUT/build1"
DEB=$(ls "$OUT"/build1/secretdesk_*_amd64.deb)
TARBALL=$(ls "$OUT"/build1/secretdesk-*-linux-x86_64.tar.gz)
note ".deb: $(du -h "$DEB" | cut -f1) ($(stat -c %s "$DEB") bytes); tarball: $(du -h "$TARBALL" | cut -f1)"
info=$(dpkg-deb --info "$DEB")
contents=$(dpkg-deb --contents "$DEB")
grep -q "Package: secretdesk" <<<"$info" || fail ".deb control"
grep -q "./usr/share/applications/secretdesk.desktop" <<<"$contents" || fail ".deb menu entry"
grep -q "./usr/share/icons/hicolor/scalable/apps/secretdesk.svg" <<<"$contents" || fail ".deb icon"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate packaging/linux/secretdesk.desktop || fail "the .desktop entry is not valid"
fi

step ".deb unpacked into a scratch root (dpkg -x)"
DEBROOT="$SCRATCH/debroot"
dpkg -x "$DEB" "$DEBROOT"
[ "$(readlink "$DEBROOT/usr/bin/secretdesk")" = /opt/secretdesk/secretdesk ] || fail "/usr/bin/secretdesk link"
grep -q "^Exec=/opt/secretdesk/secretdesk" "$DEBROOT/usr/share/applications/secretdesk.desktop" || fail "Exec="
if [ "$can_unshare" = 1 ]; then
    self_test "$DEBROOT/opt/secretdesk/secretdesk" unshare -rn
else
    self_test "$DEBROOT/opt/secretdesk/secretdesk"
fi

step "tarball unpacked, install.sh for one user"
mkdir -p "$SCRATCH/tar" "$SCRATCH/home"
tar -xzf "$TARBALL" -C "$SCRATCH/tar"
TARDIR=$(ls -d "$SCRATCH"/tar/secretdesk-*)
HOME="$SCRATCH/home" XDG_DATA_HOME="$SCRATCH/home/share" sh "$TARDIR/install.sh" >/dev/null
grep -q "^Exec=$TARDIR/secretdesk/secretdesk" "$SCRATCH/home/share/applications/secretdesk.desktop" ||
    fail "install.sh menu entry"
self_test "$TARDIR/secretdesk/secretdesk"

# -- 5. GUI start-up -------------------------------------------------------------------------
step "GUI: time from start to the unlock window"
VAULT="$SCRATCH/vault"
SECRETDESK_INSECURE_FAST_KDF=1 SECRETDESK_PASSPHRASE="correct horse battery staple" \
    "$BIN" --data-dir "$VAULT" init --unit-name "CI" --unit-code CI --admin ci >/dev/null
unlock_time() {  # unlock_time COMMAND...: seconds until the unlock window is shown and closed
    local begin end
    begin=$(date +%s.%N)
    QT_QPA_PLATFORM=offscreen SECRETDESK_EXIT_WHEN_SHOWN=1 timeout 120 "$@" --data-dir "$VAULT" \
        >/dev/null 2>"$SCRATCH/gui.err" || { cat "$SCRATCH/gui.err" >&2; fail "GUI start: $*"; }
    end=$(date +%s.%N)
    "$PYTHON" -c "print(round($end - $begin, 2))"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
installed=$(for _ in 1 2 3; do unlock_time "$DEBROOT/opt/secretdesk/secretdesk"; done | median)
note "start to unlock window, installed .deb binary (median of 3, offscreen): $installed s"
if [ -x .venv/bin/python ]; then
    dev=$(for _ in 1 2 3; do unlock_time .venv/bin/python -m secretdesk; done | median)
    note "start to unlock window, development install (.venv, same run): $dev s"
fi
if command -v xvfb-run >/dev/null; then
    SECRETDESK_EXIT_WHEN_SHOWN=1 QT_QPA_PLATFORM=xcb timeout 120 xvfb-run -a \
        "$BIN" --data-dir "$VAULT" >/dev/null 2>"$SCRATCH/xcb.err" ||
        { cat "$SCRATCH/xcb.err" >&2; fail "the unlock window on X11 (xcb plugin)"; }
    note "unlock window on X11 (xvfb, xcb plugin): shown"
fi

# -- 6. signed release -----------------------------------------------------------------------
step "release folder signed with a throwaway minisign key"
KEYS="$SCRATCH/release-key"
mkdir -p "$KEYS"
printf 'ci-throwaway\n' >"$KEYS/password"
printf 'ci-throwaway\nci-throwaway\n' | minisign -G -p "$KEYS/release.pub" -s "$KEYS/release.key" \
    -c "SecretDesk CI throwaway release key (not the real one)" >/dev/null 2>&1
RELEASE="$OUT/release"
MINISIGN_KEY="$KEYS/release.key" MINISIGN_PASSWORD_FILE="$KEYS/password" \
    bash packaging/release.sh "$RELEASE" "$DEB" "$TARBALL" 2>/dev/null
(cd "$RELEASE" && minisign -Vm SHA256SUMS -p "$KEYS/release.pub" >/dev/null && sha256sum -c --quiet SHA256SUMS) ||
    fail "the signed release does not verify"
cp -a "$RELEASE" "$SCRATCH/tampered"
echo "# added" >>"$SCRATCH/tampered/SHA256SUMS"
if minisign -Vm "$SCRATCH/tampered/SHA256SUMS" -p "$KEYS/release.pub" >/dev/null 2>&1; then
    fail "a changed SHA256SUMS still verifies"
fi
note "release: SHA256SUMS signed (minisign) and verified; a changed list is refused"

# -- 7. wheelhouse ---------------------------------------------------------------------------
if [ "$WHEELHOUSE" = 1 ]; then
    step "offline wheelhouse, installed with --no-index into a fresh venv"
    PYVER=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    bash packaging/wheelhouse.sh "linux-x86_64-py$PYVER" "$OUT/wheelhouse"
    note "wheelhouse linux-x86_64-py$PYVER: $(du -sh "$OUT/wheelhouse" | cut -f1)"
    wrapper=()
    [ "$can_unshare" = 1 ] && wrapper=(unshare -rn)
    env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL PYTHON="$PYTHON" \
        "${wrapper[@]}" bash "$OUT/wheelhouse/install-offline.sh" "$SCRATCH/venv-offline" >/dev/null ||
        fail "the offline install of the wheelhouse"
    self_test "$SCRATCH/venv-offline/bin/secretdesk" "${wrapper[@]}"
    note "wheelhouse: installed with --no-index ${wrapper[*]:+under ${wrapper[*]} }and self-tested"
fi

# -- 8. reproducibility ----------------------------------------------------------------------
if [ "$REPRO" = 1 ]; then
    step "second build of the same commit"
    bash packaging/build-frozen.sh "$OUT/build2" >/dev/null
    if cmp -s "$OUT/build1/secretdesk.SHA256SUMS" "$OUT/build2/secretdesk.SHA256SUMS"; then
        note "reproducible: two builds gave the same SHA256SUMS ($(wc -l <"$OUT/build1/secretdesk.SHA256SUMS") files)"
    else
        differing=$(diff <(sort -k2 "$OUT/build1/secretdesk.SHA256SUMS") \
            <(sort -k2 "$OUT/build2/secretdesk.SHA256SUMS") | grep '^<' | awk '{print $3}')
        note "NOT reproducible: $(wc -l <<<"$differing") files differ between two builds:"
        note "$(head -20 <<<"$differing" | sed 's/^/    /')"
        [ "${REPRO_STRICT:-0}" = 1 ] && fail "the two builds differ"
    fi
    rm -rf "$OUT/build2"
fi

note "ci-frozen.sh: all passed in $(($(date +%s) - started)) s"
rm -rf "$SCRATCH"
