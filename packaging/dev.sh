#!/usr/bin/env bash
# The README's two set-up commands:
#   bash packaging/dev.sh run    install SecretDesk in .venv and start it on a demo vault
#   bash packaging/dev.sh test   install the test extras and the real tools, run the tests
#   (test-install: the install part alone, used by .ci/run before ruff and mypy)
# Debian/Ubuntu packages are installed with apt-get (through sudo when not root).
set -euo pipefail
cd "$(dirname "$0")/.."

QT_RUNTIME="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
 libxcb-xkb1 libfontconfig1 libdbus-1-3 fonts-liberation"
TEST_TOOLS="minisign signify-openbsd poppler-utils xvfb coreutils faketime"

apt_install() {
    command -v apt-get >/dev/null || { echo "no apt-get: install $* by hand" >&2; return 0; }
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    # shellcheck disable=SC2086
    if ! dpkg -s "$@" >/dev/null 2>&1; then
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
    fi
}

venv() {
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
}

case "${1:-}" in
    run)
        # shellcheck disable=SC2086
        apt_install python3-venv $QT_RUNTIME
        venv
        .venv/bin/python -m pip install -q .
        exec .venv/bin/secretdesk --demo
        ;;
    test-install)
        # shellcheck disable=SC2086
        apt_install python3-venv $QT_RUNTIME $TEST_TOOLS
        venv
        .venv/bin/python -m pip install -q -e ".[test]"
        ;;
    test)
        bash "$0" test-install
        # No network at all where the kernel lets an unprivileged user make a network
        # namespace (only a downed loopback, no routes); the in-process guard runs either way.
        if unshare -rn true 2>/dev/null; then
            echo "Running the tests inside unshare -rn (no network)."
            exec unshare -rn .venv/bin/python -m pytest -q -n auto
        fi
        echo "unshare -rn is not allowed on this machine: running the tests with the" \
            "in-process network guard only." >&2
        exec .venv/bin/python -m pytest -q -n auto
        ;;
    *)
        echo "usage: bash packaging/dev.sh run|test" >&2
        exit 2
        ;;
esac
