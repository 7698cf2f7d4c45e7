#!/usr/bin/env bash
# run.sh -- the main job: install what is missing, build, index the bundled
# corpus/ into index/, and serve the web search box (prints its URL).
#   ./run.sh                 everything, then serve on 127.0.0.1:8080
#   PORT=9000 ./run.sh       another port
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh
[[ -f build/build.ninja ]] || meson setup build --buildtype=release >/dev/null
ninja -C build >/dev/null

export CORPSEARCH_INDEX="$PWD/index"
rc=0
build/src/cli/corpsearch index corpus/ || rc=$?
# 3 = some input was skipped (already reported above); anything else is fatal.
if [[ $rc -ne 0 && $rc -ne 3 ]]; then
    exit "$rc"
fi
build/src/cli/corpsearch stats

if build/src/cli/corpsearch serve --help >/dev/null 2>&1; then
    exec build/src/cli/corpsearch serve --listen "127.0.0.1:${PORT:-8080}"
fi
echo
echo "Try: build/src/cli/corpsearch search \"bac giang\""
