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

# Highlights: a phrase (quoted, or a synonym of several words) is marked
# where its words stand in a row, as one span, and its words nowhere else
# ("đổi" of "đổi mới" is not "chuyển đổi số").
marks() { "$CS" search --json "$@" | jq -r '[.hits[] | .snippet, .title_html] | join(" ")' |
              grep -o '<mark>[^<]*</mark>' | sort -u | tr '\n' '|'; }
check "highlight: synonym phrase 'chuyển đổi số' of 'digital transformation' marked whole, and only it" \
    eq "$(marks --lang vi 'digital transformation')" "<mark>Chuyển đổi số</mark>|<mark>chuyển đổi số</mark>|"
check "highlight: a quoted phrase is one span, its words alone are not marked" \
    eq "$(marks '"đổi mới sáng tạo"')" "<mark>đổi mới sáng tạo</mark>|"
check "highlight: the same words unquoted are marked one by one" \
    contains "$(marks 'đổi mới sáng tạo')" "<mark>đổi</mark>|"

# Totals: a count when the matcher saw every match (or facets counted them),
# else Xapian's estimate, said to be one ("total_exact": false; the CLI says
# "about"). 3000 articles, 2572 of them with "lúa gạo tăng giá".
tdir=$tmp/totals
mkdir -p "$tdir"
awk 'BEGIN { for (i = 1; i <= 3000; i++) { b = "Bản tin số " i " về nông nghiệp.";
    for (k = 0; k < i % 7; k++) b = b " Lúa gạo tăng giá.";
    printf "{\"id\": \"t-%04d\", \"title\": \"Tin %d\", \"body\": \"%s\"}\n", i, i, b } }' >"$tdir/t.jsonl"
"$CS" index --quiet --index "$tdir/index" "$tdir/t.jsonl" 2>/dev/null
tot() { "$CS" search --index "$tdir/index" --json "$@" | jq -c '[.total, .total_exact]'; }
check "totals: every article matches: counted, exact" eq "$(tot 'nông nghiệp')" "[3000,true]"
check "totals: the matcher stopped early: an estimate, not called exact" \
    eq "$(tot 'lúa gạo' | jq '.[1]')" false
check "... and the CLI says about" \
    contains "$("$CS" search --index "$tdir/index" 'lúa gạo' | head -1)" "about "
check "... with facets the matches are counted" eq "$(tot --facets 'lúa gạo')" "[2572,true]"
check "... a phrase too" eq "$(tot --facets '"lúa gạo tăng"')" "[2572,true]"
check "... a count is not called about" \
    eq "$("$CS" search --index "$tdir/index" --facets 'lúa gạo' | grep -c 'about ')" 0

# Synonym terms (synonyms.h): the index holds each multi-word entry an
# article contains as one term, found with the rules of query words (marks
# must agree, English plurals), and searches look alternatives up as those
# terms while every article has the ones of the searching program's
# dictionary; with another dictionary they are phrases again.
other_syn=$tmp/other-synonyms.tsv
{ cat "$src/data/synonyms.tsv"; echo "zebra crossing | vạch kẻ đường"; } >"$other_syn"
sdir=$tmp/synterms
mkdir -p "$sdir"
cat >"$sdir/feed.jsonl" <<'JSONL'
{"id": "sec", "title": "Hội nghị Tỉnh ủy", "date": "2024-03-01", "body": "Bí thư Tỉnh ủy phát biểu tại hội nghị."}
{"id": "revoked", "title": "Thu hồi giấy phép", "date": "2024-03-02", "body": "Giấy phép của công ty bị thu hồi vì vi phạm."}
{"id": "kcn", "title": "Khu công nghiệp mới", "date": "2024-03-03", "body": "Tỉnh mở thêm hai khu công nghiệp ở phía bắc."}
{"id": "parks", "title": "New zones for investors", "date": "2024-03-04", "body": "The province opens two industrial parks in the north."}
JSONL
"$CS" index --quiet --index "$sdir/index" "$sdir" 2>/dev/null
sids() {   # sids INDEX QUERY-ARGS...: the ids found, sorted
    local ix=$1
    shift
    "$CS" search --index "$ix" --json "$@" | jq -r '[.hits[].id] | sort | join(" ")'
}
check "synonym terms: stats says the index has them" \
    eq "$("$CS" stats --index "$sdir/index" --json | jq .synonym_terms)" true
check "... 'Party secretary' finds Bí thư, not 'bị thu hồi' (same letters, other marks)" \
    eq "$(sids "$sdir/index" 'Party secretary')" "sec"
check "... 'khu công nghiệp' finds the English article that says 'industrial parks'" \
    eq "$(sids "$sdir/index" 'khu công nghiệp')" "kcn parks"
check "... and its snippet marks the plural it was found by" \
    eq "$("$CS" search --index "$sdir/index" --json 'khu công nghiệp' | jq -r '.hits[] | select(.id == "parks") | .snippet')" \
    "The province opens two <mark>industrial parks</mark> in the north."
check "with another dictionary: stats says synonyms are searched as phrases" \
    eq "$(CORPSEARCH_SYNONYMS=$other_syn "$CS" stats --index "$sdir/index" --json | jq .synonym_terms)" false
check "... and the phrase 'bi thu' matches both spellings" \
    eq "$(CORPSEARCH_SYNONYMS=$other_syn sids "$sdir/index" 'Party secretary')" "revoked sec"
out=$(CORPSEARCH_SYNONYMS=$tmp/missing.tsv "$CS" index --index "$sdir/index" "$sdir" 2>&1)
check "a synonym dictionary that cannot be loaded stops indexing, and the index keeps its terms" \
    eq "$?:$(grep -c "cannot read synonyms $tmp/missing.tsv" <<<"$out"):$("$CS" stats --index "$sdir/index" --json | jq -c '[.articles, .synonym_terms]')" "1:1:[4,true]"
CORPSEARCH_SYNONYMS=$other_syn "$CS" index --quiet --index "$sdir/index-other" "$sdir" 2>/dev/null
check "an index built with another dictionary is searched with phrases" \
    eq "$("$CS" stats --index "$sdir/index-other" --json | jq .synonym_terms)/$(sids "$sdir/index-other" 'khu công nghiệp')" "false/kcn"
out=$("$CS" index --index "$sdir/index-other" "$sdir" 2>&1)
check "... and the next run with this one reindexes every article and gives them theirs" \
    eq "$(grep -o '[0-9]* updated' <<<"$out")/$("$CS" stats --index "$sdir/index-other" --json | jq .synonym_terms)" "4 updated/true"
# A run over part of the corpus after a dictionary change: the articles it
# did not read keep the other dictionary's marker, so searches stay on
# phrases (the plural is then not found) until they are read too.
pdir=$tmp/synterms-part
mkdir -p "$pdir"
grep -e '"sec"' -e '"kcn"' "$sdir/feed.jsonl" >"$pdir/a.jsonl"
grep -e '"revoked"' -e '"parks"' "$sdir/feed.jsonl" >"$pdir/b.jsonl"
CORPSEARCH_SYNONYMS=$other_syn "$CS" index --quiet --index "$pdir/index" "$pdir" 2>/dev/null
out=$("$CS" index --index "$pdir/index" "$pdir/a.jsonl" 2>&1)
check "a run over half the articles with this dictionary leaves searches on phrases" \
    eq "$(grep -o '[0-9]* updated' <<<"$out")/$("$CS" stats --index "$pdir/index" --json | jq .synonym_terms)/$(sids "$pdir/index" 'khu công nghiệp')" \
    "2 updated/false/kcn"
out=$("$CS" index --index "$pdir/index" "$pdir/b.jsonl" 2>&1)
check "... and a run over the other half turns the terms on" \
    eq "$(grep -o '[0-9]* updated' <<<"$out")/$("$CS" stats --index "$pdir/index" --json | jq .synonym_terms)/$(sids "$pdir/index" 'khu công nghiệp')" \
    "2 updated/true/kcn parks"

# Synonym phrases are first matched as ANDs of their words and checked on
# the best candidates only (searcher.c, pool_mset): never an article with
# the words scattered. Two corpora of 150 articles with the phrase
# "thành phố Hồ Chí Minh" (a synonym of "Ho Chi Minh City") and 150
# with its words apart: in the first the scattered ones repeat the words
# (they are the best AND matches, so the check falls back to the full
# query), in the second the phrase articles repeat it (the shortcut holds;
# five scattered articles that repeat the words still rank above them as
# ANDs, and must not show).
relax_corpus() {   # relax_corpus FILE SCATTER_REPEAT PHRASE_REPEAT
    awk -v sr="$2" -v pr="$3" 'BEGIN {
        for (i = 1; i <= 150; i++) {
            b = "";
            for (k = 0; k < pr; k++) b = b "Hội thảo số " i " tại thành phố Hồ Chí Minh bàn về kinh tế. ";
            printf "{\"id\": \"p-%03d\", \"title\": \"Hội thảo %d\", \"date\": \"2024-01-%02d\", \"body\": \"%s\"}\n", i, i, i % 28 + 1, b;
            b = "";
            for (k = 0; k < (i <= 5 ? 12 : sr); k++) b = b "Thành công số " i " lớn. Phố cổ đông. Hồ nước trong. Ý chí mạnh. Minh bạch tài chính. ";
            printf "{\"id\": \"s-%03d\", \"title\": \"Tin vắn %d\", \"date\": \"2024-02-%02d\", \"body\": \"%s\"}\n", i, i, i % 28 + 1, b;
        }
        # Articles without the words, so that they weigh something.
        for (i = 1; i <= 900; i++)
            printf "{\"id\": \"f-%03d\", \"title\": \"Thời tiết %d\", \"date\": \"2023-12-%02d\", \"body\": \"Trời nắng ráo, mưa rào %d nơi.\"}\n", i, i, i % 28 + 1, i;
    }' >"$1"
}
for regime in "5 1 scattered articles rank first relaxed" "1 3 phrase articles rank first relaxed"; do
    read -r sr pr label <<<"$regime"
    rdir=$tmp/relax-$sr
    mkdir -p "$rdir"
    relax_corpus "$rdir/feed.jsonl" "$sr" "$pr"
    "$CS" index --quiet --index "$rdir/index" "$rdir" 2>/dev/null
    # As synonym terms, then as phrases (another dictionary searching).
    for mode in terms phrases; do
        [ "$mode" = phrases ] && export CORPSEARCH_SYNONYMS=$other_syn
        out=$("$CS" search --index "$rdir/index" --json --all --facets 'Ho Chi Minh City')
        check "synonym $mode ($label): 10 hits, all with the phrase" \
            eq "$(jq '[.hits[].id | select(startswith("p-"))] | length' <<<"$out")/$(jq '.hits | length' <<<"$out")" 10/10
        check "... and the count is the 150 with the phrase" eq "$(jq .total <<<"$out")" 150
        out=$("$CS" search --index "$rdir/index" --json --all --offset 20 'Ho Chi Minh City')
        check "... the third page too" \
            eq "$(jq '[.hits[].id | select(startswith("p-"))] | length' <<<"$out")" 10
        out=$("$CS" search --index "$rdir/index" --json --all --sort date --limit 40 'Ho Chi Minh City')
        check "... newest first, only articles with the phrase" \
            eq "$(jq '[.hits[].id | select(startswith("p-"))] | length' <<<"$out")" 40
        unset CORPSEARCH_SYNONYMS
    done
done

done_testing
