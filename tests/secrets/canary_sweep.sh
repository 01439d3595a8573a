#!/bin/bash
# RELIABILITY.md S-1, suite-wide: runs the tests with every Qt debug category on
# (QT_LOGGING_RULES="*.debug=true", the engine's trace included), in fresh HOME, XDG and TMPDIR
# folders, then searches all of their output and every file they left behind for a canary key.
# Tests use keys like sk-CANARY-<uuid> (also pk-/pw-CANARY-…); a test that leaks one through a log,
# an error text or a stray file shows up here even when it checks only its own outputs.
#
#   tests/secrets/canary_sweep.sh BUILD_DIR [ctest arguments, e.g. -j2 -L secrets -E bench]
#
# Exit 0: no hit, all tests passed. 1: a hit outside the allow-list (listed). 2: no hit, but
# tests failed (debug logging must not break a test either). The folder with the logs is kept on
# failure, or always with SWEEP_KEEP=1.
#
# canary_sweep.allow names the tests allowed to print a canary, each with its reason; their hits
# are listed as allowed. Files have no allow-list: no test may leave a canary behind.
set -u

if [ $# -lt 1 ] || [ ! -f "$1/CTestTestfile.cmake" ]; then
    echo "usage: $0 BUILD_DIR [ctest arguments]" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
shift
here=$(cd "$(dirname "$0")" && pwd)
allow_file="$here/canary_sweep.allow"

# Sk-CANARY, pk-CANARY, pw-CANARY …: the forms the tests' canaries take (grep CANARY tests/).
pattern='[A-Za-z][A-Za-z]-CANARY'
# The same in UTF-16 (QString bytes in a file), as SecretScan.h searches.
pattern16='C\x00A\x00N\x00A\x00R\x00Y\x00'

work=$(mktemp -d "${TMPDIR:-/tmp}/canary-sweep.XXXXXX")
for d in tmp home config data cache state run; do mkdir -p "$work/$d"; done
chmod 700 "$work/run"
# A test run as root drops to an unprivileged user to check permissions (tst_storefaults): the
# temporary folder must be reachable as /tmp is, or that user cannot even look.
chmod 755 "$work"
chmod 1777 "$work/tmp"
marker="$work/started"
touch "$marker"

echo "canary sweep: ctest $* in $build, logs in $work"
start=$(date +%s)
(
    export TMPDIR="$work/tmp" HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
        XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state" XDG_RUNTIME_DIR="$work/run"
    export QT_LOGGING_RULES="*.debug=true"
    ctest --test-dir "$build" -V --output-log "$work/ctest.log" "$@" >"$work/console.txt" 2>&1
)
ctest_rc=$?
echo "canary sweep: ctest finished in $(($(date +%s) - start)) s (exit $ctest_rc)," \
    "$(wc -c <"$work/console.txt") bytes of output"

# "NN: line" in -V output is test NN's; "Start NN: name" names it.
allowed_tests=$(grep -v '^[[:space:]]*#' "$allow_file" 2>/dev/null | awk 'NF { print $1 }')
hits=0
allowed=0
while IFS= read -r line; do
    test_name=${line%%$'\t'*}
    text=${line#*$'\t'}
    if [ -n "$test_name" ] && printf '%s\n' "$allowed_tests" | grep -qxF "$test_name"; then
        allowed=$((allowed + 1))
        [ "$allowed" -le 5 ] && echo "  allowed ($test_name): ${text:0:200}"
    else
        hits=$((hits + 1))
        [ "$hits" -le 50 ] && echo "  HIT in output of ${test_name:-ctest}: ${text:0:300}"
    fi
done < <(LC_ALL=C awk -v pat="$pattern" '
    match($0, /^ *Start +[0-9]+: /) { n = $0; sub(/^ *Start +/, "", n); split(n, a, ": "); names[a[1]] = a[2] }
    $0 ~ pat {
        id = ""; if (match($0, /^[0-9]+: /)) id = substr($0, 1, RLENGTH - 2)
        printf "%s\t%s\n", (id in names ? names[id] : ""), $0
    }' "$work/console.txt")

# Files: the fresh folders, and whatever the tests wrote into the build tree during the run
# (ctest's own copies of the output, in Testing/, are the output searched above).
file_hits=$(
    {
        LC_ALL=C grep -rlaE "$pattern" "$work/tmp" "$work/home" "$work/config" "$work/data" "$work/cache" \
            "$work/state" "$work/run" 2>/dev/null
        LC_ALL=C grep -rlaP "$pattern16" "$work/tmp" "$work/home" "$work/config" "$work/data" "$work/cache" \
            "$work/state" "$work/run" 2>/dev/null
        find "$build" -path "$build/Testing" -prune -o -type f -newer "$marker" -print0 2>/dev/null |
            LC_ALL=C xargs -0 -r grep -laE "$pattern" 2>/dev/null
    } | sort -u
)
file_count=0
if [ -n "$file_hits" ]; then
    file_count=$(printf '%s\n' "$file_hits" | wc -l)
    printf '%s\n' "$file_hits" | while IFS= read -r f; do echo "  HIT in file: $f"; done
fi

echo "canary sweep: $hits hit(s) in output, $file_count file(s) holding a canary, $allowed allowed line(s)"
if [ "$hits" -gt 0 ] || [ "$file_count" -gt 0 ]; then
    echo "canary sweep: FAILED; full output in $work/console.txt" >&2
    exit 1
fi
if [ "$ctest_rc" -ne 0 ]; then
    # Name what failed and why here: CI keeps this output, not the folder.
    sed -n '/The following tests FAILED/,$p' "$work/console.txt" >&2
    for id in $(sed -n 's/^[[:space:]]*\([0-9][0-9]*\) - .*/\1/p' "$work/console.txt"); do
        echo "canary sweep: test $id, its failures and last lines without debug output:" >&2
        grep -E "^$id: " "$work/console.txt" | grep -vE "^$id: (QDEBUG|QINFO|[a-z0-9_.]+: )" |
            grep -E -A3 "FAIL!|Loc: |Totals:|Segmentation|Aborted|Timeout|ERROR|AddressSanitizer" | tail -60 >&2
        grep -E "^$id: " "$work/console.txt" | grep -vE "^$id: (QDEBUG|QINFO)" | tail -15 >&2
    done
    echo "canary sweep: no canary found, but tests failed under debug logging; see $work/console.txt" >&2
    exit 2
fi
[ "${SWEEP_KEEP:-0}" = 1 ] || rm -rf "$work"
exit 0
