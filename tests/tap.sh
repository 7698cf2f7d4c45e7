# tap.sh -- a tiny TAP producer for the shell tests (sourced).
# ok/fail counting, plus helpers that compare values and explain failures.
_tap_n=0
_tap_failed=0

# check DESCRIPTION COMMAND...: one test case; passes when COMMAND succeeds.
check() {
    local desc=$1
    shift
    _tap_n=$((_tap_n + 1))
    if "$@"; then
        echo "ok $_tap_n - $desc"
    else
        echo "not ok $_tap_n - $desc"
        _tap_failed=$((_tap_failed + 1))
    fi
}

# skip DESCRIPTION REASON
skip() {
    _tap_n=$((_tap_n + 1))
    echo "ok $_tap_n - $1 # SKIP $2"
}

# eq ACTUAL EXPECTED: string equality, printing both on mismatch.
eq() {
    if [[ "$1" == "$2" ]]; then return 0; fi
    echo "#   expected: $2" >&2
    echo "#   actual:   $1" >&2
    return 1
}

# contains HAYSTACK NEEDLE
contains() {
    if [[ "$1" == *"$2"* ]]; then return 0; fi
    echo "#   expected to contain: $2" >&2
    echo "#   actual: ${1:0:400}" >&2
    return 1
}

not_contains() {
    if [[ "$1" != *"$2"* ]]; then return 0; fi
    echo "#   expected not to contain: $2" >&2
    return 1
}

# need_dir DIR WHAT: data from ../shared is optional outside CI (the whole
# test is skipped) and required under CI=true (bail out). Exits unless DIR is there.
need_dir() {
    [[ -d $1 ]] && return 0
    if [[ "${CI:-}" == "true" ]]; then
        echo "Bail out! $2 missing at $1 (required under CI)"
        exit 1
    fi
    skip "$2" "no $1 (outside CI)"
    done_testing
    exit 0
}

done_testing() {
    echo "1..$_tap_n"
    [[ $_tap_failed -eq 0 ]]
}
