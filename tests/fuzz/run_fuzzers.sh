#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset) and runs each for a fixed time.
#   tests/fuzz/run_fuzzers.sh [SECONDS_PER_TARGET] [TARGET_REGEX]
# Default 20 s per target, every target. Each run starts from the seeds in tests/fuzz/corpus/<target>
# plus what earlier runs found (build/fuzz/fuzz-corpus/<target>, never written back into the
# source tree). Exits non-zero when any target crashes, fails a property, leaks, runs out of
# memory or times out, and prints the reproducer to run again.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-20}
only=${2:-.}
build=build/fuzz
max_len=8192     # bytes per input: well above the seeds (<= 4 KiB of body), small enough to stay fast
rss_limit_mb=2048
timeout_s=25     # one input taking longer than this is a hang

[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "usage: $0 [SECONDS_PER_TARGET] [TARGET_REGEX]" >&2; exit 2; }

[ -f "$build/CMakeCache.txt" ] || cmake --preset fuzz
cmake --build --preset fuzz

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export QT_QPA_PLATFORM=offscreen

targets=()
for seeds in tests/fuzz/corpus/*/; do
    t=$(basename "$seeds")
    [[ "$t" =~ $only ]] && targets+=("$t")
done
[ ${#targets[@]} -gt 0 ] || { echo "run_fuzzers: no target matches '$only'" >&2; exit 2; }

failed=()
for t in "${targets[@]}"; do
    bin="$build/tests/fuzz/$t"
    [ -x "$bin" ] || { echo "run_fuzzers: $bin was not built" >&2; failed+=("$t (not built)"); continue; }
    work="$build/fuzz-corpus/$t"
    artifacts="$build/fuzz-artifacts/$t"
    mkdir -p "$work" "$artifacts"
    log="$artifacts/last-run.log"
    stamp="$artifacts/.started"
    touch "$stamp"
    echo "run_fuzzers: $t for ${seconds} s"
    status=0
    "$bin" -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb="$rss_limit_mb" \
        -timeout="$timeout_s" -print_final_stats=1 -artifact_prefix="$artifacts/" \
        "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | sed 's/^/    /' || true
    # crash-*, leak-*, timeout-*, oom-*: whatever libFuzzer wrote during this run.
    mapfile -t repro < <(find "$artifacts" -maxdepth 1 -type f -newer "$stamp" ! -name last-run.log | sort)
    if [ "$status" -ne 0 ] || [ ${#repro[@]} -gt 0 ]; then
        echo "run_fuzzers: $t FAILED (exit $status); the log's end:" >&2
        grep -E 'ERROR|FUZZ PROPERTY|SUMMARY|runtime error|Test unit written' "$log" | head -n 20 | sed 's/^/    /' >&2 || true
        for r in "${repro[@]}"; do
            echo "    reproducer: $r" >&2
            echo "    run again:  $bin $r" >&2
        done
        echo "    full log:   $log" >&2
        failed+=("$t")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "run_fuzzers: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "run_fuzzers: ${#targets[@]} targets, ${seconds} s each, no crash, leak or timeout"
