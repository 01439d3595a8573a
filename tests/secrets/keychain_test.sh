#!/bin/sh
# Runs tst_keychainstore in a throwaway HOME and XDG dirs, so no user keyring or file is touched:
#   keychain_test.sh live   BIN CLI   inside a private D-Bus session with gnome-keyring unlocked
#   keychain_test.sh nobus  BIN CLI   with no session bus address at all
#   keychain_test.sh badbus BIN CLI   with a session bus address that points at no socket
#   keychain_test.sh hungbus BIN CLI  with a bus that accepts and never answers (the test binary
#                                     listens on it itself and sets the address)
# Without dbus-run-session or gnome-keyring-daemon, `live` skips (QSKIP with the reason), or fails
# when SLOPSCOPE_CI=1: CI installs both (bootstrap.sh).
set -eu
mode=$1
bin=$2
cli=$3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" \
    XDG_STATE_HOME="$tmp/state" XDG_RUNTIME_DIR="$tmp/run" TMPDIR="$tmp/tmp"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR" "$TMPDIR"
chmod 700 "$XDG_RUNTIME_DIR"
# No X11 autolaunch of a bus, no desktop detection steering QtKeychain to KWallet.
unset DISPLAY WAYLAND_DISPLAY XDG_CURRENT_DESKTOP DESKTOP_SESSION KDE_FULL_SESSION GNOME_KEYRING_CONTROL
export SLOPSCOPE_KEYCHAIN_MODE="$mode" SLOPSCOPE_CLI="$cli" SLOPSCOPE_KEYCHAIN_SCAN="$tmp"

case "$mode" in
live)
    missing=
    for tool in dbus-run-session gnome-keyring-daemon; do
        command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
    done
    if [ -n "$missing" ]; then
        if [ "${SLOPSCOPE_CI:-}" = 1 ]; then
            echo "keychain_test.sh: missing$missing (packages dbus, gnome-keyring); CI must not skip" >&2
            exit 1
        fi
        SLOPSCOPE_KEYCHAIN_SKIP="not installed:$missing (packages dbus, gnome-keyring)" "$bin"
        exit $?
    fi
    # --unlock reads the password on stdin and creates the login keyring (the default
    # collection) in the temporary XDG_DATA_HOME; the daemon leaves with the session bus.
    dbus-run-session -- sh -c '
        printf %s slopscope-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 1
        gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1 || exit 1
        "$0"' "$bin"
    ;;
nobus)
    unset DBUS_SESSION_BUS_ADDRESS
    "$bin"
    ;;
badbus)
    export DBUS_SESSION_BUS_ADDRESS="unix:path=$tmp/no-such-bus"
    "$bin"
    ;;
hungbus)
    unset DBUS_SESSION_BUS_ADDRESS
    "$bin"
    ;;
*)
    echo "keychain_test.sh: unknown mode $mode" >&2
    exit 2
    ;;
esac
