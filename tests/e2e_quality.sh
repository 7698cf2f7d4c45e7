#!/usr/bin/env bash
# e2e_quality.sh -- search quality on the sample corpus: phrases above
# scattered words, exact accented forms above folded ones, synonyms across
# languages (below the query's own language), "did you mean", and
# near-duplicates collapsed. (tests/eval/ measures quality at scale.)
# usage: e2e_quality.sh /path/to/corpsearch
set -uo pipefail
CS=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tap.sh"
src=${CS_SOURCE_DIR:-$here/..}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CORPSEARCH_INDEX=$tmp/index
"$CS" index --quiet "$src/corpus" 2>/dev/null

ids() { "$CS" search --json --limit 10 "$@" | jq -r '[.hits[].id] | join(" ")'; }
first() { ids "$@" | cut -d' ' -f1; }
rank_of() {   # rank_of ID QUERY-ARGS...: 1-based rank in the top 10, 0 if absent
    local id=$1
    shift
    ids "$@" | tr ' ' '\n' | awk -v id="$id" '$0 == id {print NR; f=1} END {if (!f) print 0}'
}

check "phrase: 'đổi mới sáng tạo' ranks the article with the phrase above one with the words scattered" \
    eq "$(( $(rank_of vi-feed-004 -- 'đổi mới sáng tạo') < $(rank_of vi-tb-ntm-2018 -- 'đổi mới sáng tạo') ))" 1
check "... also typed without diacritics" \
    eq "$(( $(rank_of vi-feed-004 -- 'doi moi sang tao') < $(rank_of vi-tb-ntm-2018 -- 'doi moi sang tao') ))" 1
check "tone marks: 'càng' puts the article with càng first, not the port (cảng)" \
    eq "$(first -- 'càng')" "vi/hue-festival-du-lich"
check "tone marks: 'cảng' puts the port first" eq "$(first -- 'cảng')" "vi-brvt-caimep-2023"
check "exact accented match first: 'Vĩnh Yên' finds the Vietnamese Vĩnh Yên article first" \
    eq "$(first -- 'Vĩnh Yên')" "vi/vinh-phuc-thu-hut-fdi"
check "synonyms: 'lychee' finds the Vietnamese vải thiều article" \
    eq "$(( $(rank_of vi-bg-vaithieu-2020 -- lychee) > 0 ))" 1
check "... ranked below the English lychee story" eq "$(first -- lychee)" "en-bg-lychee-2019"
check "synonyms: 'nông thôn mới' finds the English new-style rural article in the top 3" \
    eq "$(( $(rank_of en/can-tho-rice-new-rural -- 'nông thôn mới') >= 1 && $(rank_of en/can-tho-rice-new-rural -- 'nông thôn mới') <= 3 ))" 1
check "--no-synonyms: 'lychee' finds no Vietnamese article" \
    eq "$("$CS" search --json --no-synonyms --lang vi lychee | jq .total)" 0
check "quoted phrase is not expanded: '\"digital transformation\"' --lang vi finds nothing" \
    eq "$("$CS" search --json --lang vi '"digital transformation"' | jq .total)" 0
check "unquoted: 'digital transformation' --lang vi finds the chuyển đổi số articles" \
    eq "$(( $("$CS" search --json --lang vi 'digital transformation' | jq .total) >= 3 ))" 1

# "did you mean": a misspelt word the index does not have.
s=$("$CS" search --json 'lychees exporrts' | jq -r .suggestion)
check "did you mean: 'exporrts' -> 'exports'" contains "$s" "exports"
check "... leaving words found through their stem alone ('lychees')" contains "$s" "lychees"
check "no suggestion when every word is known" \
    eq "$("$CS" search --json 'lychee exports' | jq -r .suggestion)" null

# Near-duplicates: the same story scraped twice collapses into one hit.
mkdir -p "$tmp/dup"
for n in 1 2 3; do
    printf 'Ninh Binh opens new heritage trail in Trang An\n\nCopy %d of the same story about a trail in Trang An.\n' $n >"$tmp/dup/copy$n.txt"
done
"$CS" index --quiet "$tmp/dup" 2>/dev/null
out=$("$CS" search --json 'trang an heritage trail')
check "duplicates collapse into one hit" eq "$(jq '.hits | length' <<<"$out")" 1
check "... noting 2 similar" eq "$(jq '.hits[0].similar' <<<"$out")" 2
check "--all shows every copy" eq "$("$CS" search --json --all 'trang an heritage trail' | jq '.hits | length')" 3

done_testing
