#!/usr/bin/env bash
# test.sh -- run every test: installs what is missing, builds with
# AddressSanitizer + UndefinedBehaviorSanitizer, runs the whole meson test
# suite, and ends with a line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

scripts/install-deps.sh --test || exit 1
builddir=build-test
if [[ ! -f $builddir/build.ninja ]]; then
    meson setup "$builddir" -Db_sanitize=address,undefined -Db_lundef=false \
        -Dtests=enabled >/dev/null || exit 1
fi
ninja -C "$builddir" || exit 1

# The real corpora from ../shared, unpacked once into the build folder (never
# into the source tree). Tests that need them skip outside CI when absent.
shared=../shared/corpus
if [[ -d $shared && ! -f $builddir/data/.unpacked ]]; then
    mkdir -p "$builddir/data"
    for t in "$shared"/*.tar.xz; do
        tar xJf "$t" -C "$builddir/data" || exit 1
    done
    touch "$builddir/data/.unpacked"
fi

# The browser test's driver (playwright-core only; it drives /usr/bin/chromium).
if [[ ! -d tests/browser/node_modules/playwright-core ]] && command -v npm >/dev/null; then
    (cd tests/browser && npm ci --no-audit --no-fund --silent) || exit 1
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
meson test -C "$builddir" --no-rebuild --print-errorlogs --num-processes 2 "$@"
status=$?
python3 scripts/test-summary.py "$builddir/meson-logs/testlog.json" || status=1
exit $status
