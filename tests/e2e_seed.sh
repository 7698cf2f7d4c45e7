#!/usr/bin/env bash
# e2e_seed.sh -- index the five seed articles from ../shared and check, by id,
# which articles queries return; re-indexing; JSON shape; delve/quest reading.
# usage: e2e_seed.sh /path/to/corpsearch
set -uo pipefail
CS=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tap.sh"

seed=${CS_SHARED_DIR:-$here/../../shared}/corpus/seed
need_dir "$seed" "seed corpus"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CORPSEARCH_INDEX=$tmp/index

out=$("$CS" index "$seed" 2>"$tmp/err")
check "index seed exits 0" eq "$?" 0
check "index reports 5 added" contains "$out" "5 added"

n=$("$CS" stats --json | jq .articles)
check "stats counts 5 articles" eq "$n" 5

# ids of the hits of a query, space-separated, in rank order
ids() { "$CS" search --json --limit 20 -- "$@" | jq -r '[.hits[].id] | join(" ")'; }
sorted_ids() { "$CS" search --json --limit 20 -- "$@" | jq -r '[.hits[].id] | sort | join(" ")'; }
# the same with options (filters) rather than a query
filtered() { "$CS" search --json --limit 20 "$@" | jq -r '[.hits[].id] | sort | join(" ")'; }

BG="000_62f99bc4b71697fc 003_6fa5c8a9953d549c"
check "phrase \"Bac Giang\" finds exactly the two Bac Giang articles" \
    eq "$(sorted_ids '"Bac Giang"')" "$BG"
top2=$(ids "Bac Giang" | cut -d' ' -f1-2 | tr ' ' '\n' | sort | tr '\n' ' ')
check "Bac Giang ranks the two Bac Giang articles first" eq "$top2" "$BG "
check "Bắc Giang (with diacritics) finds what Bac Giang finds" \
    eq "$(sorted_ids '"Bắc Giang"')" "$BG"
check "bac giang (lower case) finds the same" eq "$(sorted_ids '"bac giang"')" "$BG"
check "BẮC GIANG (upper case) finds the same" eq "$(sorted_ids '"BẮC GIANG"')" "$BG"
check "\"Resolution 57\" finds the article that says it" \
    contains "$(ids '"Resolution 57"')" "003_6fa5c8a9953d549c"
check "57-NQ/TW finds both articles naming it" \
    eq "$(sorted_ids '57-NQ/TW')" "001_5f55ee761faf66c1 003_6fa5c8a9953d549c"
dt=$(sorted_ids "digital transformation")
check "digital transformation finds all five" eq "$(wc -w <<<"$dt")" 5
check "stemming: 'transformations' finds the same five" \
    eq "$(sorted_ids transformations)" "$dt"
check "Vinh Yen finds the Vinh Yen article first" \
    eq "$(ids '"Vinh Yen"' | cut -d' ' -f1)" "002_20e4596e9ffa5474"
check "NOT excludes: \"Bac Giang\" -lychee -\"Resolution 57\"" \
    eq "$(sorted_ids '"Bac Giang" -"Resolution 57"')" "000_62f99bc4b71697fc"
check "OR: \"Vinh Yen\" OR \"Thai Binh\"" \
    eq "$(sorted_ids '"Vinh Yen" OR "Thai Binh"')" "002_20e4596e9ffa5474 004_e9b936b9f84361f5"
check "prefix: innovat* matches" contains "$(ids 'innovat*')" "000_62f99bc4b71697fc"
check "title: restricts to titles" \
    eq "$(sorted_ids 'title:"bac giang"')" "$BG"
check "a word in no article gives no hits" eq "$(ids zzyzxqq)" ""

json=$("$CS" search --json "Bac Giang")
check "JSON has query/total/offset/hits" \
    eq "$(jq -r '[has("query"), has("total"), has("offset"), has("hits")] | all' <<<"$json")" true
check "JSON hit has rank,id,title,url,date,lang,score,snippet" \
    eq "$(jq -r '.hits[0] | [has("rank"), has("id"), has("title"), has("url"), has("date"), has("lang"), has("score"), has("snippet")] | all' <<<"$json")" true
check "JSON hit lang is en for the English seed" eq "$(jq -r '.hits[0].lang' <<<"$json")" en
check "snippet marks the matched words" contains "$(jq -r '.hits[0].snippet' <<<"$json")" "<mark>Bac</mark> <mark>Giang</mark>"
check "Bắc Giang query highlights the unaccented text" \
    contains "$("$CS" search --json 'Bắc Giang' | jq -r '.hits[0].snippet')" "<mark>Bac</mark>"
check "offset pages" eq "$("$CS" search --json --offset 1 --limit 1 "digital" | jq -r '.hits[0].rank')" 2
check "seed 000's title skips its dateline" \
    eq "$("$CS" show --json 000_62f99bc4b71697fc | jq -r .title)" \
    "Bac Giang focuses resources on science-technology and innovation"

# Metadata extracted from the text (issue 3's expectations for the seed).
meta() { "$CS" show --json "$1" | jq -c "[.date, .provinces[0], .resolutions]"; }
check "000: dated 2023-02-08 by its dateline, Bac Giang, 111-NQ/TU" \
    eq "$(meta 000_62f99bc4b71697fc)" '["2023-02-08","Bắc Giang",["111-NQ/TU"]]'
check "001: 2025-08-11, Bac Ninh, 57-NQ/TW" \
    eq "$(meta 001_5f55ee761faf66c1)" '["2025-08-11","Bắc Ninh",["57-NQ/TW"]]'
check "002: no date (a resolution's date is not the article's), Vinh Phuc via Vinh Yen, 57-NQ/TW and 03/NQ-CP, not 111" \
    eq "$(meta 002_20e4596e9ffa5474)" '[null,"Vĩnh Phúc",["57-NQ/TW","03/NQ-CP"]]'
check "003: no date, Bac Giang, 57-NQ/TW" \
    eq "$(meta 003_6fa5c8a9953d549c)" '[null,"Bắc Giang",["57-NQ/TW"]]'
check "004: no date, Thai Binh first, resolution 57" \
    eq "$(meta 004_e9b936b9f84361f5)" '[null,"Thái Bình",["57"]]'
check "--resolution 57 finds 001 to 004" \
    eq "$(filtered --resolution 57)" "001_5f55ee761faf66c1 002_20e4596e9ffa5474 003_6fa5c8a9953d549c 004_e9b936b9f84361f5"
check "--resolution 57-NQ/TW finds 001 to 003" \
    eq "$(filtered --resolution 57-nq/tw)" "001_5f55ee761faf66c1 002_20e4596e9ffa5474 003_6fa5c8a9953d549c"
check "--province 'bac giang' (no diacritics) finds 000 and 003" eq "$(filtered --province 'bac giang')" "$BG"
check "--province 'Bắc Ninh (2025)' includes the former Bac Giang" \
    eq "$(filtered --province 'Bắc Ninh (2025)')" "000_62f99bc4b71697fc 001_5f55ee761faf66c1 003_6fa5c8a9953d549c"
check "repeated --province ORs" \
    eq "$(filtered --province 'Vinh Phuc' --province 'Thai Binh')" "002_20e4596e9ffa5474 004_e9b936b9f84361f5"
check "different filters AND: province:\"thai binh\" resolution:57" \
    eq "$(sorted_ids 'province:"thai binh" resolution:57')" "004_e9b936b9f84361f5"
check "date:2023 finds the one article dated 2023" eq "$(sorted_ids 'date:2023')" "000_62f99bc4b71697fc"
check "--from/--to range" eq "$(filtered --from 2025-01-01 --to 2025-12-31)" "001_5f55ee761faf66c1"
check "facets of a small match set are exact" eq "$("$CS" search --json --facets --lang en | jq -c '.facets_exact')" "true"
f=$("$CS" search --json --facets --lang en | jq -c '.facets')
check "facets over all five: provinces" \
    eq "$(jq -c '[.province[] | [.value, .count]]' <<<"$f")" '[["Bắc Giang",2],["Bắc Ninh",1],["Hà Nội",1],["Thái Bình",1],["Vĩnh Phúc",1]]'
check "facets over all five: resolutions" \
    eq "$(jq -c '[.resolution[] | [.value, .count]]' <<<"$f")" '[["57-NQ/TW",3],["03/NQ-CP",1],["111-NQ/TU",1],["57",1]]'
check "facets over all five: years" eq "$(jq -c '[.year[] | [.value, .count]]' <<<"$f")" '[["2023",1],["2025",1]]'
check "filters only: newest first" eq "$("$CS" search --json --lang en | jq -r '[.hits[].id][0:2] | join(" ")')" "001_5f55ee761faf66c1 000_62f99bc4b71697fc"

# Re-indexing the same articles replaces them; nothing is duplicated.
out=$("$CS" index "$seed" 2>/dev/null)
check "re-index: all 5 unchanged" contains "$out" "5 unchanged"
check "re-index: still 5 articles" eq "$("$CS" stats --json | jq .articles)" 5
cp -r "$seed" "$tmp/seed2"
echo "An added paragraph about Bac Giang lychees." >>"$tmp/seed2/003_6fa5c8a9953d549c.txt"
out=$("$CS" index "$tmp/seed2" 2>/dev/null)
check "changed article is updated, not duplicated" contains "$out" "1 updated"
check "still 5 articles after update" eq "$("$CS" stats --json | jq .articles)" 5
check "the update is searchable" eq "$(ids lychees)" "003_6fa5c8a9953d549c"

# Xapian's own tools read the index (Omega term prefixes).
if command -v xapian-delve >/dev/null; then
    d=$(xapian-delve -t Len "$CORPSEARCH_INDEX" 2>&1)
    check "xapian-delve sees 5 English articles (Len)" contains "$d" "termfreq 5"
    d=$(xapian-delve -t Q003_6fa5c8a9953d549c "$CORPSEARCH_INDEX" 2>&1)
    check "xapian-delve finds the Q id term" contains "$d" "termfreq 1"
else
    skip "xapian-delve" "xapian-tools not installed"
fi
if command -v quest >/dev/null; then
    q=$(quest -d "$CORPSEARCH_INDEX" "lychees" 2>&1)
    check "quest runs a query on the index" contains "$q" "MSet:"
else
    skip "quest" "xapian-tools not installed"
fi

done_testing
