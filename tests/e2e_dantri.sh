#!/usr/bin/env bash
# e2e_dantri.sh -- the dantri corpus (2,653 dated articles from ../shared,
# unpacked by test.sh): every indexed article's date equals its "# date"
# header, and facets count all of them.
# usage: e2e_dantri.sh /path/to/corpsearch
set -uo pipefail
CS=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tap.sh"
data=${CS_DATA_DIR:-/tmp/data}/vi-news-dantri
need_dir "$data" "dantri corpus"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CORPSEARCH_INDEX=$tmp/index
"$CS" index --quiet "$data" 2>"$tmp/err"
rc=$?
check "dantri indexes (exit 0 or 3: a few stray control characters are repaired)" \
    eq "$(( rc == 0 || rc == 3 ))" 1
n=$(ls "$data"/*.txt | wc -l)
check "every article is in the index" eq "$("$CS" stats --json | jq .articles)" "$n"

# Dates: headers say "# date = YYYYMMDD"; the index must hold the same day.
# (The ids are the doc_id headers.)
grep -H -m1 '^# date = ' "$data"/*.txt |
    sed -E 's|.*/([^/]+)\.txt:# date = ([0-9]{4})([0-9]{2})([0-9]{2}).*|\1 \2-\3-\4|' | sort >"$tmp/expected"
: >"$tmp/actual"
for page in $(seq 0 100 $((n - 1))); do
    "$CS" search --json --all --limit 100 --offset "$page" --lang vi |
        jq -r '.hits[] | "\(.id) \(.date)"' >>"$tmp/actual"
done
sort -o "$tmp/actual" "$tmp/actual"
check "all $n dates listed" eq "$(wc -l <"$tmp/actual")" "$n"
check "every article's date equals its header" eq "$(diff "$tmp/expected" "$tmp/actual" | head -3)" ""

f=$("$CS" search --json --facets --limit 1 --lang vi)
check "the year facet counts every article" eq "$(jq '[.facets.year[].count] | add' <<<"$f")" "$n"
hn=$(jq '[.facets.province[] | select(.value == "Hà Nội") | .count] | add' <<<"$f")
check "province facet: Hà Nội is the most frequent province, in over 100 articles" \
    eq "$(jq -r '.facets.province[0].value' <<<"$f"):$(( hn > 100 ))" "Hà Nội:1"
check "province:\"ha noi\" (no diacritics) filters to exactly the facet's count" \
    eq "$("$CS" search --json --all --limit 1 'province:"ha noi"' | jq .total)" "$hn"

# A ranked pass split in two threads (searcher.c, full_mset: past 40,000
# articles, forced here) gives what one pass gives: hits, order, snippets,
# scores (to 6 decimals: Xapian adds a filtered query's weights in another
# order, so the last bits may differ), and the same total when one pass
# counts it exactly (an estimate may differ, or become a count). --explain
# says how many passes were split. The queries: words with and without
# diacritics, phrases, OR, NOT, a synonym phrase, a title word, a second page.
queries=('giá xăng' 'gia xang' 'thủ tướng chính phủ' '"Hà Nội"' '"ha noi"' 'bóng đá'
         'học sinh OR sinh viên' 'công an -xe' 'Ho Chi Minh City' 'title:bão' 'tai nạn giao thông'
         '"không biết"' 'nghị quyết' 'kinh tế việt nam' 'flood' 'người dân')
without='del(.took_ms, .total, .total_exact, .split_passes) | .hits[].score |= (. * 1e6 | round)'
same_total='if .[0].total_exact then .[1].total_exact and .[1].total == .[0].total else true end'
same=0 hits=0 splits=0 unsplit=0
for q in "${queries[@]}"; do
    for page in 0 10; do
        one=$("$CS" search --json --explain --limit 10 --offset $page -- "$q")
        two=$(CORPSEARCH_SPLIT_FROM=0 "$CS" search --json --explain --limit 10 --offset $page -- "$q")
        [[ $(jq -c "$without" <<<"$one") == "$(jq -c "$without" <<<"$two")" &&
           $(jq -s "$same_total" <<<"$one$two") == true ]] && same=$((same + 1))
        (( $(jq '.hits | length' <<<"$one") > 0 )) && hits=$((hits + 1))
        splits=$((splits + $(jq .split_passes <<<"$two")))
        unsplit=$((unsplit + $(jq .split_passes <<<"$one")))
    done
done
check "a ranked pass split in two ranks as one pass (${#queries[@]} queries, 2 pages)" \
    eq "$same" $(( 2 * ${#queries[@]} ))
check "... and most of them have hits" eq "$(( hits >= 2 * ${#queries[@]} - 4 ))" 1
check "... every search was split (at least one pass each), none below 40,000 articles" \
    eq "$(( splits >= 2 * ${#queries[@]} )):$unsplit" "1:0"
done_testing
