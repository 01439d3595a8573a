#!/usr/bin/env bash
# Slopscope's two set-up commands (see README.md):
#   ./bootstrap.sh run            install what is missing, build, launch the GUI on the demo workspace
#   ./bootstrap.sh test           install what is missing, build, run the whole test suite under
#                                 AddressSanitizer + UndefinedBehaviorSanitizer (the asan preset)
#   ./bootstrap.sh test dev       the same without the sanitizers (quicker to build and run)
#   ./bootstrap.sh fuzz [SECONDS] install clang, build the libFuzzer targets, run each for SECONDS (20)
# Debian 12 and Ubuntu 24.04. Other systems: see README.md ("Other platforms").
set -euo pipefail
cd "$(dirname "$0")"

action=${1:-}
case "$action" in
run) preset=${2:-dev} ;;
# The whole suite runs under the sanitizers unless a preset is named: a leak or an overflow
# fails it, and CI (.ci/run) runs this same command.
test) preset=${2:-asan} ;;
fuzz)
    fuzz_seconds=${2:-20}
    ;;
*)
    echo "usage: $0 run | test [asan|dev|release] | fuzz [SECONDS]" >&2
    exit 2
    ;;
esac

packages=(
    cmake ninja-build g++ git pkg-config
    mold # links several times faster than ld.bfd (CMakeLists.txt, SLOPSCOPE_MOLD)
    # Qt Charts's CMake package needs Qt6OpenGL, which qt6-charts-dev does not pull in.
    libqt6opengl6-dev
    qt6-base-dev qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-translations-l10n
    python3 # configuring the tests needs it: the translation check is translations/ts_fill.py
    qt6-qpa-plugins libqt6sql6-sqlite libgl-dev
    qtkeychain-qt6-dev nlohmann-json3-dev libsqlite3-dev libyaml-cpp-dev libdtl-dev
)
if [ "$action" = test ]; then
    # The official-client test of the simulator runs the providers' own Node SDKs.
    command -v node >/dev/null 2>&1 || packages+=(nodejs)
    command -v npm >/dev/null 2>&1 || packages+=(npm)
    # PDF reports are rendered back to pixels (pdftoppm); HTTP/2 is tested through nghttpx.
    packages+=(poppler-utils nghttp2-proxy)
    # code-tests run generated code under bubblewrap (tests/quality/tst_codesandbox).
    packages+=(bubblewrap)
    # The keychain tests run gnome-keyring in a private D-Bus session (tests/secrets).
    packages+=(gnome-keyring dbus)
fi
if [ "$action" = fuzz ]; then
    # libFuzzer: Debian's clang and its runtime libraries (tests/fuzz).
    packages+=(clang libclang-rt-dev)
fi

install_missing() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "bootstrap: not a Debian/Ubuntu system; install Qt 6.4+, CMake, Ninja, nlohmann-json, SQLite," \
            "QtKeychain and yaml-cpp yourself (README.md, 'Other platforms'), then run cmake --preset dev." >&2
        return 0
    fi
    local missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "bootstrap: installing ${missing[*]}"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            echo "bootstrap: installing packages needs root; asking sudo." >&2
            sudo=(sudo)
        else
            echo "bootstrap: these packages are missing and installing them needs root:" >&2
            echo "  apt-get install ${missing[*]}" >&2
            exit 1
        fi
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_node_clients() {
    local dir=tests/sim/official-clients
    [ -f "$dir/package-lock.json" ] || return 0
    [ -d "$dir/node_modules" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ] && return 0
    echo "bootstrap: installing the official provider SDKs for the simulator test (npm ci)"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
}

install_missing
[ "$action" = test ] && install_node_clients

if [ "$action" = fuzz ]; then
    cmake --preset fuzz
    exec tests/fuzz/run_fuzzers.sh "$fuzz_seconds"
fi

# SLOPSCOPE_CMAKE_ARGS: extra configure arguments, e.g. -DSLOPSCOPE_UNITY=ON.
# shellcheck disable=SC2086 # split on purpose: several -D arguments
cmake --preset "$preset" ${SLOPSCOPE_CMAKE_ARGS:-}
cmake --build --preset "$preset"

if [ "$action" = test ]; then
    export QT_QPA_PLATFORM=offscreen
    if [ "${SLOPSCOPE_CANARY_SWEEP:-0}" = 1 ]; then
        # CI (RELIABILITY S-1): the same suite, run once, with every Qt debug category on and all
        # of its output and files searched for canary keys (tests/secrets/canary_sweep.sh).
        exec tests/secrets/canary_sweep.sh "build/$preset" --preset "$preset" -j2 --timeout 300
    fi
    ctest --preset "$preset" -j2
else
    exec "build/$preset/app/slopscope" --workspace demo
fi
