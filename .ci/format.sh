#!/usr/bin/env bash
# Formats the C++ sources with the repository's .clang-format. `--check` reports without changing.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=(-i)
[ "${1:-}" = "--check" ] && mode=(--dry-run --Werror)
git ls-files -- 'app/*.cpp' 'app/*.h' 'widgets/*.cpp' 'widgets/*.h' 'models/*.cpp' 'models/*.h' \
    'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h' 'translations/*.cpp' 'translations/*.h' |
    xargs -r clang-format "${mode[@]}"
