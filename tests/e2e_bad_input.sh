#!/usr/bin/env bash
# e2e_bad_input.sh -- the indexer and searcher with bad input: every kind of
# broken file gets one clear message naming it, the rest is indexed, the exit
# status is 3, and nothing already in the index is lost. Malformed queries
# and command lines get sensible answers, never a crash.
# usage: e2e_bad_input.sh /path/to/corpsearch
set -uo pipefail
CS=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tap.sh"

tmp=$(mktemp -d)
trap 'chmod -R u+rwX "$tmp"; rm -rf "$tmp"' EXIT
export CORPSEARCH_INDEX=$tmp/index

good=$tmp/good
mkdir -p "$good"
printf 'Lào Cai đón khách du lịch\n\nSa Pa, Lào Cai đón hơn một triệu lượt khách trong năm.\n' >"$good/a.txt"
printf 'Quang Ninh coal exports rise\n\nHa Long, Quang Ninh province reported higher coal exports.\n' >"$good/b.txt"
"$CS" index --quiet "$good" 2>/dev/null
check "good corpus indexes" eq "$("$CS" stats --json | jq .articles)" 2

bad=$tmp/bad
mkdir -p "$bad"
printf 'Caf\xe9 in Hanoi\n\nA valid line, then an invalid byte \xff here.\n' >"$bad/invalid-utf8.txt"
printf '\xef\xbb\xbfBOM title about Hue\r\n\r\nBody with CRLF lines about Hue.\r\n' >"$bad/bom-crlf.txt"
printf 'Control chars title\n\nNUL\x00 and bell\x07 in Can Tho text.\n' >"$bad/controls.txt"
: >"$bad/empty.txt"
printf '   \n\n  \n' >"$bad/blank.txt"
head -c 4096 /bin/ls >"$bad/binary.txt"
printf '\xff\xfeH\x00i\x00\n\x00' >"$bad/utf16.txt"
head -c $((9 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$bad/huge.txt"
{
    echo '{"id": "j1", "title": "Da Nang bridge", "body": "The Dragon Bridge in Da Nang.", "lang": "en"}'
    echo '{"id": "j2", "title": "broken json"'
    echo '["not", "an", "object"]'
    echo '{"title": "no id here", "body": "x"}'
    echo '{"id": 42, "title": "Cần Thơ chợ nổi", "body": "Chợ nổi Cái Răng ở Cần Thơ.", "date": "2021-03-05"}'
} >"$bad/feed.jsonl"
echo "ignored" >"$bad/notes.md"

"$CS" index "$bad" >"$tmp/out" 2>"$tmp/err"
rc=$?
err=$(cat "$tmp/err")
check "bad input: exit status 3 (something skipped)" eq "$rc" 3
check "invalid UTF-8 warned with file and byte offset" contains "$err" "invalid-utf8.txt"
check "invalid UTF-8 message says where" contains "$(grep invalid-utf8 "$tmp/err")" "byte"
check "empty file named" contains "$err" "empty.txt"
check "whitespace-only file named" contains "$err" "blank.txt"
check "binary file named" contains "$err" "binary.txt"
check "UTF-16 file named" contains "$err" "utf16.txt"
check "huge article named" contains "$err" "huge.txt"
check "bad JSON line named with its line number" contains "$err" "feed.jsonl:2"
check "non-object JSON line named" contains "$err" "feed.jsonl:3"
check "JSON line without id named" contains "$err" "feed.jsonl:4"
check "BOM/CRLF file is not an error" not_contains "$err" "bom-crlf"
check "one line per problem, no more" eq "$(grep -c invalid-utf8 "$tmp/err")" 1
n=$("$CS" stats --json | jq .articles)
check "nothing lost: 2 old + 5 readable new articles" eq "$n" 7
check "repaired article is searchable" contains "$("$CS" search --json hanoi | jq -r '.hits[].id')" "invalid-utf8"
check "U+FFFD stands where the bad byte was" contains "$("$CS" show invalid-utf8)" $'\xef\xbf\xbd'
check "integer JSON id works" eq "$("$CS" search --json 'chợ nổi' | jq -r '.hits[0].id')" 42
check "JSON date kept" eq "$("$CS" show --json 42 | jq -r .date)" 2021-03-05
check "CRLF stripped from stored text" not_contains "$("$CS" show bom-crlf)" $'\r'
check "control bytes removed" eq "$("$CS" search --json 'bell' | jq -r '.hits[0].id')" controls
check "old articles still there" eq "$("$CS" search --json 'lào cai' | jq -r '.hits[0].id')" a

s=$("$CS" index --json --dry-run "$bad" 2>/dev/null)
check "JSON summary: skips tallied by reason" \
    eq "$(jq -c '[.skipped_reasons["binary file"], .skipped_reasons["empty article"]]' <<<"$s")" "[1,2]"
check "JSON summary: the reasons add up to the skipped count" \
    eq "$(jq '[.skipped_reasons[]] | add' <<<"$s")" "$(jq .skipped <<<"$s")"

# Unreadable input, missing paths.
"$CS" index "$tmp/does-not-exist" >/dev/null 2>"$tmp/err"
check "missing path: exit 3 and named" eq "$?:$(grep -c does-not-exist "$tmp/err")" "3:1"
check "still 7 articles" eq "$("$CS" stats --json | jq .articles)" 7

# Malformed queries: answered, never a crash.
for q in '"unbalanced' 'OR' 'a OR' 'NOT' '-' '((((' ')' 'title:' '*' '"' '-bac' \
         'AND OR NOT' '"" ""' "$(printf 'x%.0s' {1..5000})" '!!! ???' 'title:(a OR' \
         'title:""' 'title:"hue' "title:\"$(printf 'hue %.0s' {1..400})\""; do
    out=$("$CS" search --json -- "$q" 2>"$tmp/qerr")
    rc=$?
    check "malformed query '${q:0:20}' answered (exit 0, JSON)" \
        eq "$rc:$(jq -r 'has("hits")' <<<"$out" 2>/dev/null)" "0:true"
done
check "unbalanced quote gets a note" contains "$("$CS" search --json -- '"lao cai')" '"note"'
out=$("$CS" search --json -- $'bad \xff utf8' 2>"$tmp/qerr")
check "invalid UTF-8 query: exit 1 with a message" eq "$?:$(grep -c UTF-8 "$tmp/qerr")" "1:1"
out=$("$CS" search --json -- '-quang')
check "pure NOT query returns the others" \
    eq "$(jq -r '.hits | map(.id) | index("b")' <<<"$out")" null

# Command-line errors.
"$CS" >/dev/null 2>&1; check "no command: usage error 2" eq "$?" 2
"$CS" frobnicate >/dev/null 2>&1; check "unknown command: 2" eq "$?" 2
"$CS" search >/dev/null 2>&1; check "search without query: 2" eq "$?" 2
"$CS" search --limit x a >/dev/null 2>&1; check "bad --limit: 2" eq "$?" 2
"$CS" index >/dev/null 2>&1; check "index without path: 2" eq "$?" 2
"$CS" show nope >/dev/null 2>&1; check "show unknown id: 1" eq "$?" 1
"$CS" search --from 02/2023 x >/dev/null 2>"$tmp/err"
check "malformed --from: exit 1, says the date format" eq "$?:$(grep -c 'YYYY-MM-DD' "$tmp/err")" "1:1"
check "--from 2021 --to 2021 (whole year) finds the 2021 JSON article" \
    eq "$("$CS" search --json --from 2021 --to 2021 'chợ nổi' | jq -r '.hits[0].id')" 42
"$CS" search --index "$tmp/none" x >/dev/null 2>"$tmp/err"
check "missing index: exit 1, says to index first" eq "$?:$(grep -c 'corpsearch index' "$tmp/err")" "1:1"
check "--help exits 0" eq "$("$CS" search --help >/dev/null; echo $?)" 0

done_testing
