#!/usr/bin/env bash
# e2e_jobs.sh -- batch reindexing: incremental runs, --prune, --dry-run,
# --rebuild swapped in atomically under a searching reader, one writer at a
# time (--wait), kill -9 mid-run then rerun equals a clean build, compaction,
# stdin feeds, stats --json, phrase pairs kept from run to run.
# usage: e2e_jobs.sh /path/to/corpsearch /path/to/damage_article
set -uo pipefail
CS=$1
DAMAGE=${2:?usage: $0 /path/to/corpsearch /path/to/damage_article}   # tests/damage_article.c
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tap.sh"
src=${CS_SOURCE_DIR:-$here/..}

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT
export CORPSEARCH_INDEX=$tmp/index
corpus=$tmp/corpus
cp -r "$src/corpus" "$corpus"
rm -f "$corpus/README.md"
total=$(( $(ls "$corpus"/en/*.txt "$corpus"/vi/*.txt | wc -l) + $(cat "$corpus"/feeds/*.jsonl | wc -l) ))

articles() { "$CS" stats --json | jq .articles; }
summary() { "$CS" index --json "$@" 2>"$tmp/err"; }
field() { jq -r ".$1" <<<"$2"; }

s=$(summary "$corpus")
check "first run adds every article ($total)" eq "$(field added "$s")" "$total"
check "stats counts them" eq "$(articles)" "$total"
st=$("$CS" stats --json)
check "stats --json has generation and updated" \
    eq "$(jq -r '[.generation != null, .updated != null, .shards >= 1] | all' <<<"$st")" true

s=$(summary "$corpus")
check "second run: everything unchanged" eq "$(field unchanged "$s"):$(field added "$s"):$(field updated "$s")" "$total:0:0"

# Change one file, add one, delete one; JSONL: drop a line.
f_changed=$corpus/en/hue-tourism-heritage.txt
echo "Added paragraph: the citadel reopened its western gate." >>"$f_changed"
printf 'Kon Tum coffee harvest\n\nFarmers in Kon Tum picked coffee early this year.\n' >"$corpus/en/new-kon-tum.txt"
rm "$corpus/en/lao-cai-flash-flood.txt"
sed -i '$d' "$corpus/feeds/en-wire.jsonl"

s=$(summary --dry-run --prune "$corpus")
check "dry run reports 1 added, 1 updated, 2 removed" \
    eq "$(field added "$s"):$(field updated "$s"):$(field removed "$s")" "1:1:2"
check "dry run wrote nothing" eq "$(articles)" "$total"

s=$(summary "$corpus")
check "without --prune nothing is removed" eq "$(field removed "$s"):$(articles)" "0:$((total + 1))"
s=$(summary --prune "$corpus")
check "--prune removes the deleted file and the dropped JSON line" \
    eq "$(field removed "$s"):$(articles)" "2:$((total - 1))"
check "the changed article is searchable" \
    eq "$("$CS" search --json 'western gate' | jq -r '.hits[0].id')" "en/hue-tourism-heritage"
check "the deleted article is gone" eq "$("$CS" search --json 'lao cai flash flood' --limit 50 | jq '[.hits[].id] | index("en/lao-cai-flash-flood")')" null

# Pruning is scoped to the roots given: indexing another folder with --prune
# does not remove the corpus.
mkdir -p "$tmp/other"
printf 'Ca Mau shrimp\n\nShrimp farms in Ca Mau expand.\n' >"$tmp/other/ca-mau.txt"
s=$(summary --prune "$tmp/other")
check "--prune on another root keeps the corpus" eq "$(field removed "$s"):$(articles)" "0:$total"

# stdin feed.
echo '{"id": "stdin-1", "title": "Gia Lai wind farm", "body": "A wind farm opened in Gia Lai."}' |
    "$CS" index --quiet - 2>/dev/null
check "JSON Lines from stdin" eq "$("$CS" search --json 'gia lai wind' | jq -r '.hits[0].id')" stdin-1

# One writer at a time.
big=$tmp/big
mkdir -p "$big"
for i in $(seq 1 3000); do
    printf 'Article %d about Binh Duong\n\nIndustrial parks in Binh Duong, number %d, grow.\n' "$i" "$i" >"$big/a$i.txt"
done
# The first writer ends with a feed on stdin that stays open until fd 7 is
# closed, so it holds the lock for as long as the checks need (it indexes
# the folder in 0.2 s on a fast disk: a sleep was not enough).
mkfifo "$tmp/feed"
"$CS" index --quiet --batch 200 "$big" - <"$tmp/feed" 2>/dev/null &
writer=$!
exec 7>"$tmp/feed"
for _ in $(seq 1 100); do [[ $(cat "$CORPSEARCH_INDEX/write.lock" 2>/dev/null) == "$writer" ]] && break; sleep 0.05; done
"$CS" index --quiet "$tmp/other" 2>"$tmp/lockerr" 7>&-
rc=$?
check "second writer fails at once (exit 1)" eq "$rc" 1
check "... naming the holder's pid" contains "$(cat "$tmp/lockerr")" "pid $writer"
"$CS" index --quiet --wait "$tmp/other" 2>/dev/null 7>&- &
waiter=$!
sleep 0.5
check "--wait waits while the first job runs" eq "$(kill -0 $waiter 2>/dev/null && echo waiting)" waiting
# In a subshell: if the writer died, the write's SIGPIPE ends it, not the script.
(echo '{"id": "feed-1", "title": "Binh Duong feed", "body": "Industrial parks in Binh Duong."}' >&7) 2>/dev/null
exec 7>&-
wait $writer
check "first writer finished fine" eq "$?" 0
wait $waiter
check "... then the waiting one succeeds" eq "$?" 0
n_all=$(articles)

# Atomic rebuild under a reader searching in a loop.
( fails=0; empties=0; runs=0
  while [[ ! -f $tmp/stop ]]; do
      out=$("$CS" search --json "binh duong" 2>/dev/null) || fails=$((fails + 1))
      [[ $(jq .total <<<"$out" 2>/dev/null) -gt 0 ]] || empties=$((empties + 1))
      runs=$((runs + 1))
  done
  echo "$fails $empties $runs" >"$tmp/reader" ) &
reader=$!
gen_before=$("$CS" stats --json | jq -r .generation)
s=$(summary --rebuild "$corpus" "$big" "$tmp/other")
gen_after=$("$CS" stats --json | jq -r .generation)
sleep 0.5
touch "$tmp/stop"
wait $reader
check "rebuild made a new generation" eq "$([[ $gen_before != "$gen_after" ]] && echo yes)" yes
read -r r_fails r_empties r_runs <"$tmp/reader"
check "reader searched during the rebuild ($r_runs searches)" eq "$(( r_runs >= 3 ))" 1
check "reader saw no error and never an empty index during the rebuild" eq "$r_fails $r_empties" "0 0"
check "rebuild holds what was given (the two stdin articles dropped)" eq "$(articles)" "$((n_all - 2))"
check "old generations are cleaned up (at most 2 remain)" \
    eq "$(( $(ls -d "$CORPSEARCH_INDEX"/gen-* | wc -l) <= 2 ))" 1

# Kill -9 mid-run, after a batch commit and with articles not yet
# committed; rerun; equals a clean build. The job reads a feed on a FIFO
# that stays open, so it is caught mid-run (a folder of small articles is
# indexed in 0.2 s on a fast disk, before any poll sees a commit). The
# articles are 8 KB, so 2 MB of them train the body dictionary and the
# rest of the run goes on without waiting (bodycodec.h); with 300 over 2
# shards and batches of 100, each shard commits once and holds the rest.
feed=$tmp/crash.jsonl
sentences=$(printf 'Industrial parks in Binh Duong grow, and so do their workers. %.0s' $(seq 1 130))
for i in $(seq 1 300); do
    printf '{"id": "c%d", "title": "Article %d about Binh Duong", "body": "Number %d. %s"}\n' \
        "$i" "$i" "$i" "$sentences"
done >"$feed"
rm -rf "$tmp/crash"
mkfifo "$tmp/crashfeed"
CORPSEARCH_INDEX=$tmp/crash "$CS" index --quiet --batch 100 - <"$tmp/crashfeed" 2>/dev/null &
victim=$!
exec 8>"$tmp/crashfeed"
(cat "$feed" >&8) 2>/dev/null   # a subshell, as for fd 7 above
for _ in $(seq 1 200); do
    n=$(CORPSEARCH_INDEX=$tmp/crash "$CS" stats --json 2>/dev/null | jq .articles 2>/dev/null)
    [[ ${n:-0} -ge 100 ]] && break
    sleep 0.05
done
kill -9 $victim 2>/dev/null
wait $victim 2>/dev/null
exec 8>&-
n_crash=$(CORPSEARCH_INDEX=$tmp/crash "$CS" stats --json | jq .articles)
check "after kill -9 mid-run the index opens and holds the committed batches only" \
    eq "$(( n_crash >= 100 && n_crash < 300 ))" 1
CORPSEARCH_INDEX=$tmp/crash "$CS" index --quiet --batch 100 - <"$feed" 2>/dev/null
CORPSEARCH_INDEX=$tmp/clean "$CS" index --quiet - <"$feed" 2>/dev/null
ids() { CORPSEARCH_INDEX=$1 "$CS" search --json --limit 1000 'binh duong' | jq -r '.hits[].id' | sort; }
check "rerun after the crash equals a clean build (same ids)" \
    eq "$(ids "$tmp/crash" | md5sum)" "$(ids "$tmp/clean" | md5sum)"
check "... and the same count" \
    eq "$(CORPSEARCH_INDEX=$tmp/crash "$CS" stats --json | jq .articles)" 300

# Compaction swaps in a new generation and keeps every article.
before=$(articles)
"$CS" compact >/dev/null 2>&1
check "compact succeeds" eq "$?" 0
check "compact keeps every article" eq "$(articles)" "$before"
check "compacted index still searches" eq "$("$CS" search --json 'western gate' | jq -r '.hits[0].id')" "en/hue-tourism-heritage"
check "... from one shard (merged)" eq "$("$CS" stats --json | jq .shards):$(wc -l <"$CORPSEARCH_INDEX/XAPIANDB")" "1:1"
cur=$(awk 'NR == 1 {split($2, p, "/"); print p[1]}' "$CORPSEARCH_INDEX/XAPIANDB")
fbytes() { find "$@" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }
prev=$(fbytes $(ls -d "$CORPSEARCH_INDEX"/gen-* | grep -v "/$cur\$"))
check "stats: the size is the new generation's; the folder also holds the one it replaced" \
    eq "$("$CS" stats --json | jq "[.bytes == $(fbytes "$CORPSEARCH_INDEX/$cur"), .folder_bytes - .bytes >= $prev, $prev > 0]")" \
    "$(jq -n '[true, true, true]')"
hue=$(grep -l 'western gate' -ri "$corpus" | head -1)
cp "$hue" "$tmp/hue.bak"
printf '\nA lantern parade now closes the festival.\n' >>"$hue"
"$CS" index --quiet "$corpus" 2>/dev/null
check "an incremental run after compaction updates in place" \
    eq "$("$CS" search --json 'lantern parade' | jq -r '.hits[0].id'):$(articles)" "en/hue-tourism-heritage:$before"
cp "$tmp/hue.bak" "$hue"
"$CS" index --quiet --rebuild "$corpus" 2>/dev/null
check "a rebuild after compaction shards again" \
    eq "$("$CS" stats --json | jq .shards)" 2
check "... and the edit is gone with the source's" eq "$("$CS" search --json 'lantern parade' | jq .total)" 0

# Bodies are stored compressed with a dictionary trained on the first
# articles of a generation (bodycodec.h): every body reads back as written,
# incremental runs keep the dictionary, a rebuild trains its own (the same
# bytes when given the same articles: training is deterministic). (The
# tiny articles above are too little to train on: stored raw, read above.)
zc=$tmp/zcorpus
zix=$tmp/zindex
mkdir -p "$zc"
mapfile -t paras < <(grep -hv -e '^$' -e '^#' "$src"/corpus/vi/*.txt "$src"/corpus/en/*.txt)
for i in $(seq 1 400); do
    { echo "Bài số $i"; echo
      for k in 0 1 2 3 4 5 6 7; do echo "${paras[$(( (i * 7 + k * 13) % ${#paras[@]} ))]} Số $i-$k."; done
    } >"$zc/z$i.txt"
done
zdict() { xapian-metadata get "$zix/$(awk 'NR == 1 {print $2}' "$zix/XAPIANDB")" cs:zdict | md5sum; }
CORPSEARCH_INDEX=$zix "$CS" index --quiet "$zc" 2>"$tmp/err"
check "a corpus big enough gets a body dictionary" \
    eq "$(( $(xapian-metadata get "$zix/$(awk 'NR == 1 {print $2}' "$zix/XAPIANDB")" cs:zdict | wc -c) > 1000 ))" 1
d1=$(zdict)
body_ok() { eq "$(CORPSEARCH_INDEX=$zix "$CS" show --json "z$1" | jq -r .text)" "$(tail -n +3 "$zc/z$1.txt")"; }
# Where the article is kept (docformat.h, CS_SLOT_ARTICLE): in an index
# with a body dictionary, in value 8 and no document data (Xapian would
# deflate the compressed body again); without one, in the data.
delve_did() { xapian-delve -1 -t "Q$2" "$1" | tail -n 1; }
stored_in() {
    local did data value
    did=$(delve_did "$1" "$2")
    data=$(xapian-delve -r "$did" -d "$1" | sed -n '/^Data for record/{n;p;q}')
    value=$(xapian-delve -r "$did" -V8 "$1" | grep -c "\"id\":\"$2\"")
    echo "data:$(( ${#data} > 0 )) value:$value"
}
check "a compressed article is kept in value 8, the document data empty" \
    eq "$(stored_in "$zix" z1)" "data:0 value:1"
check "an article stored raw is kept in the data" \
    eq "$(stored_in "$CORPSEARCH_INDEX" en/hue-tourism-heritage)" "data:1 value:0"
check "a compressed body reads back as written (z1)" body_ok 1
check "... and z400" body_ok 400
check "snippets come from compressed bodies" \
    contains "$(CORPSEARCH_INDEX=$zix "$CS" search --json 'số 17-3' | jq -r '.hits[0].snippet')" "<mark>17-3</mark>"
# Facets counted in parts (searcher.c, facets_start; past 40,000 articles,
# forced here) are the counts of one pass.
zfacets() { CORPSEARCH_INDEX=$zix "$CS" search --json --facets --limit 3 "$1" | jq -c 'del(.took_ms)'; }
check "facets counted in parts equal one count" \
    eq "$(CORPSEARCH_FACET_PARTS_FROM=0 zfacets 'bài số')" "$(zfacets 'bài số')"
check "... also for a phrase" \
    eq "$(CORPSEARCH_FACET_PARTS_FROM=0 zfacets '"số 17"')" "$(zfacets '"số 17"')"
# A phrase's facets counted in parts come first, and the ranked pass looks
# only at the matches they found (searcher.c, facets_first): the same hits,
# scores, counts and facets as ranking the whole index, on any page, with
# filters, and for no match.
zpage() {
    CORPSEARCH_INDEX=$zix "$CS" search --json --facets "$@" |
        jq -c 'del(.took_ms) | .hits[].score |= (. * 1e6 | round)'
}
zfirst() {
    CORPSEARCH_INDEX=$zix CORPSEARCH_FACET_PARTS_FROM=0 "$CS" search --json --facets --explain \
        --limit 1 "$@" | jq .facets_first
}
check "a phrase with facets in parts is ranked over the matches they found" \
    eq "$(zfirst '"khu công nghiệp"'):$(zfirst 'khu công nghiệp'):$(zfirst --sort date '"ha noi"')" \
    "true:false:false"
# ... also split in two threads over those matches (forced here, as the
# index is small): --explain says how many passes were (the first
# argument; a page past the first, ranked without a pool, is one pass).
zsplit() {
    CORPSEARCH_INDEX=$zix CORPSEARCH_FACET_PARTS_FROM=0 CORPSEARCH_SPLIT_FROM=0 "$CS" search \
        --json --facets --explain --limit 1 "$@" | jq -c '[.facets_first, .split_passes]'
}
zsame() {
    local splits=$1
    shift
    check "... the same results as ranked over the whole index: $*" \
        eq "$(zfirst "$@"):$(CORPSEARCH_FACET_PARTS_FROM=0 zpage "$@")" "true:$(zpage "$@")"
    check "... and as many split passes as can be ($splits): $*" \
        eq "$(zsplit "$@"):$(CORPSEARCH_FACET_PARTS_FROM=0 CORPSEARCH_SPLIT_FROM=0 zpage "$@")" \
        "[true,$splits]:$(zpage "$@")"
}
zsame 1 '"khu công nghiệp"'
zsame 1 --offset 10 '"ha noi"'
zsame 1 --all --offset 3 '"the province"'
zsame 0 --all --offset 3 'title:"bài số"'   # no phrase boost: ranked without a pool
zsame 1 'title:"bài số"'   # over docids and the title check (both copied for the split)
zsame 1 --province bac-giang '"ha noi"'
zsame 1 --lang en '"the province"'
zsame 1 '"số 17 bài"'
check "... and there were hits to compare" \
    eq "$(zpage --offset 10 '"ha noi"' | jq '[.total, (.hits | length)] | @csv')" '"206,10"'
# Past FACET_EXACT_MAX matches (40,000; CORPSEARCH_FACET_EXACT_MAX lowers
# it here) facets are counted on the matches among every k-th docid of
# each shard and multiplied by k (xc_facet_count): the counts and the total say they are estimates, and
# the hits are those of an exact count. A phrase's sampled count keeps no
# docids, so it is ranked over the whole index after all (facets_first
# false), split in two.
zhits() { jq -c '[.hits[] | [.id, (.score * 1e6 | round)]]'; }
zsampled() { CORPSEARCH_INDEX=$zix CORPSEARCH_FACET_EXACT_MAX=$1 "$CS" search --json --facets "${@:2}"; }
zexact() { CORPSEARCH_INDEX=$zix "$CS" search --json --facets "$@"; }
gcd='def gcd(a; b): if b == 0 then a else gcd(b; a % b) end;'
out=$(zsampled 50 'bài số')
check "facets past the exact limit: counts and total marked as estimates" \
    eq "$(jq -c '[.facets_exact, .total_exact, (.total >= 300 and .total <= 500)]' <<<"$out")" \
    "[false,false,true]"
check "... each count a multiple of the sampling step" \
    eq "$(jq "$gcd [.facets[][].count] | reduce .[] as \$c (0; gcd(.; \$c)) > 1" <<<"$out")" true
check "... the same hits as counted exactly" \
    eq "$(zhits <<<"$out")" "$(zexact 'bài số' | zhits)"
check "... the exact count's facets were not multiples of one step" \
    eq "$(zexact 'bài số' | jq -c "$gcd [.facets_exact, ([.facets[][].count] | reduce .[] as \$c (0; gcd(.; \$c)))]")" \
    "[true,1]"
out=$(CORPSEARCH_INDEX=$zix CORPSEARCH_FACET_EXACT_MAX=50 "$CS" search --facets 'bài số')
check "... and a person reading the CLI is told" \
    eq "$(grep -c -e '^about [0-9]* results for' -e '^(facet counts estimated from a sample of the matches)$' <<<"$out")" 2
facet_lines() { grep -E '^(province|resolution|year|month|lang) '; }
check "... each count marked ~, none unmarked" \
    eq "$(( $(facet_lines <<<"$out" | grep -o '(~[0-9]*)' | wc -l) > 10 )):$(facet_lines <<<"$out" | grep -o '([0-9]*)' | wc -l)" "1:0"
check "... where an exact count's are not" \
    eq "$(CORPSEARCH_INDEX=$zix "$CS" search --facets 'bài số' | facet_lines | grep -c '(~')" 0
out=$(CORPSEARCH_FACET_PARTS_FROM=0 CORPSEARCH_SPLIT_FROM=0 zsampled 8 --explain '"ha noi"')
check "a phrase whose facet count is sampled is ranked over the whole index, split" \
    eq "$(jq -c '[.facets_first, .facets_exact, .total_exact, .split_passes]' <<<"$out")" \
    "[false,false,false,1]"
check "... with the hits of an exact count" eq "$(zhits <<<"$out")" "$(zexact '"ha noi"' | zhits)"
echo "Một đoạn mới." >>"$zc/z5.txt"
CORPSEARCH_INDEX=$zix "$CS" index --quiet "$zc" 2>/dev/null
check "an incremental run keeps the dictionary" eq "$(zdict)" "$d1"
check "... and the updated body reads back" body_ok 5
CORPSEARCH_INDEX=$zix "$CS" index --quiet --rebuild "$zc" 2>/dev/null
check "a rebuild (new generation) trains its own dictionary" \
    eq "$(awk 'NR == 1 {print $2}' "$zix/XAPIANDB"):$(( $(xapian-metadata get "$zix/$(awk 'NR == 1 {print $2}' "$zix/XAPIANDB")" cs:zdict | wc -c) > 1000 ))" "gen-000002/shard0:1"
check "... and its bodies read back" body_ok 5

# Stored articles that cannot be read are a clear error for show, and a
# marked hit in a search, which goes on: the other hits are fine, and the
# damaged one's id says what to repair. First every body at once (the
# dictionary's metadata overwritten in a copy)...
cp -r "$zix" "$tmp/zbroken"
for sh in $(awk '{print $2}' "$tmp/zbroken/XAPIANDB"); do
    xapian-metadata set "$tmp/zbroken/$sh" cs:zdict "not a dictionary"
done
out=$(CORPSEARCH_INDEX=$tmp/zbroken "$CS" show z5 2>&1)
check "an unreadable stored article: show fails" eq "$?" 1
check "... saying so, and how to repair it" \
    contains "$out" "article z5 has unreadable stored data (its stored text is damaged): rebuild the index (corpsearch index --rebuild) to repair it"
# A bare Xapian database (one shard of it, copied out) cannot be rebuilt in
# place: the hint says to index again into a new folder.
cp -r "$tmp/zbroken/$(awk 'NR == 1 {print $2}' "$tmp/zbroken/XAPIANDB")" "$tmp/zbare"
bare_id=$("$CS" search --json --index "$tmp/zbare" 'bài số' | jq -r '.hits[0].id')
out=$(CORPSEARCH_INDEX=$tmp/zbare "$CS" show "$bare_id" 2>&1)
check "... in a bare Xapian database: show fails, saying to index again into a new folder" \
    eq "$?:$(grep -c "article $bare_id has unreadable stored data (its stored text is damaged): index the articles again into a new folder" <<<"$out")" "1:1"
zsearch() { CORPSEARCH_INDEX=$1 "$CS" search --json --limit 20 'bài số'; }
good=$(zsearch "$zix")
out=$(zsearch "$tmp/zbroken")
check "a search over unreadable bodies succeeds" eq "$?" 0
check "... with the same hits, in the same order" \
    eq "$(jq -c '[.hits[].id], .total' <<<"$out")" "$(jq -c '[.hits[].id], .total' <<<"$good")"
check "... every one marked unreadable, its title read from the header" \
    eq "$(jq -c '[.hits[] | .unreadable == true and (.title | startswith("Bài số"))] | unique' <<<"$out")" "[true]"
check "... the note says how many and how to repair them" \
    contains "$(jq -r .note <<<"$out")" "20 of the articles shown could not be read from the index (their stored text is damaged): rebuild the index (corpsearch index --rebuild)"
check "... and readable hits carry no mark" eq "$(jq '[.hits[] | has("unreadable")] | any' <<<"$good"):$(jq 'has("note")' <<<"$good")" "false:false"

# ... then one header and one body, damaged in place (tests/damage_article.c).
cp -r "$zix" "$tmp/zdamaged"
hid=$(jq -r '.hits[2].id' <<<"$good")
bid=$(jq -r '.hits[5].id' <<<"$good")
"$DAMAGE" "$tmp/zdamaged" "$hid" header && "$DAMAGE" "$tmp/zdamaged" "$bid" body
check "two articles damaged ($hid's header, $bid's body)" eq "$?" 0
out=$(zsearch "$tmp/zdamaged")
check "a search showing them succeeds, same hits and total" \
    eq "$?:$(jq -c '[.hits[].id], .total' <<<"$out")" "0:$(jq -c '[.hits[].id], .total' <<<"$good")"
check "... the damaged header: id from its Q term, no title or snippet" \
    eq "$(jq -c '.hits[2] | [.unreadable, .title, .snippet, .date]' <<<"$out")" '[true,"","",null]'
check "... the damaged body: the header's title and date, no snippet" \
    eq "$(jq -c '.hits[5] | [.unreadable, .title, .snippet, .date]' <<<"$out")" \
       "$(jq -c '.hits[5] | [true, .title, "", .date]' <<<"$good")"
check "... the others as in the healthy index" \
    eq "$(jq -c 'del(.took_ms, .note) | .hits |= del(.[2], .[5])' <<<"$out")" \
       "$(jq -c 'del(.took_ms) | .hits |= del(.[2], .[5])' <<<"$good")"
check "... the note counts two" contains "$(jq -r .note <<<"$out")" "2 of the articles shown could not"
out=$(CORPSEARCH_INDEX=$tmp/zdamaged "$CS" search --limit 20 'bài số' 2>&1)
check "human output: exit 0, the note, each damaged hit marked" \
    eq "$?:$(grep -c '^note: 2 of the articles shown' <<<"$out"):$(grep -c '(its stored text is damaged' <<<"$out")" "0:1:2"
out=$(CORPSEARCH_INDEX=$tmp/zdamaged "$CS" show "$bid" 2>&1)
check "show of the damaged body fails, saying so" \
    eq "$?:$(grep -c "article $bid has unreadable stored data" <<<"$out")" "1:1"
CORPSEARCH_INDEX=$tmp/zdamaged "$CS" index --quiet --rebuild "$zc" 2>/dev/null
check "a rebuild repairs them" \
    eq "$(zsearch "$tmp/zdamaged" | jq -c 'del(.took_ms)')" "$(jq -c 'del(.took_ms)' <<<"$good")"

# Phrase pairs (--phrase-pairs): chosen when an index is built, kept by
# incremental runs and rebuilds, same results as without them.
pc=$tmp/pcorpus
cp -r "$src/corpus" "$pc"
rm -f "$pc/README.md"
nwords=$(grep -vc -e '^#' -e '^$' "$src/data/pair-words.txt")
"$CS" index --quiet --index "$tmp/pplain" "$pc" 2>/dev/null
"$CS" index --quiet --phrase-pairs --index "$tmp/ppairs" "$pc" 2>/dev/null
check "--phrase-pairs: stats names the pair list's $nwords words" \
    eq "$("$CS" stats --json --index "$tmp/ppairs" | jq .phrase_pair_words):$("$CS" stats --json --index "$tmp/pplain" | jq .phrase_pair_words)" "$nwords:0"
phrases=('"của tỉnh"' '"ủy ban nhân dân"' '"người dân"' '"of the"' '"trong năm"' 'title:"nghị quyết" tỉnh'
         'title:"chính thức"')
# Every phrase, with facets, as JSON without timings, scores to 6 places
# (FILTER changes the order Xapian adds weights in: the 16th digit): one
# line each.
phrase_results() {
    for q in "${phrases[@]}"; do
        "$CS" search --json --facets --limit 50 --index "$1" -- "$q" |
            jq -c 'del(.took_ms) | .hits[].score |= (. * 1000000 | round)'
    done
}
plain=$(phrase_results "$tmp/pplain")
check "... the phrases find articles" eq "$(jq -s 'map(.total > 0) | all' <<<"$plain")" true
check "... same hits, scores, snippets, facets and totals as without pairs" \
    eq "$(phrase_results "$tmp/ppairs")" "$plain"
check "... a phrase of pair words is filtered by its pairs" \
    contains "$("$CS" search --explain --index "$tmp/ppairs" '"ủy ban nhân dân"')" "FILTER XBnhan dan"
check "... not in an index without them" \
    not_contains "$("$CS" search --explain --index "$tmp/pplain" '"ủy ban nhân dân"')" "XB"
printf 'Nhà báo mới ở Cà Mau\n\nMột nhà báo mới của tỉnh viết về người dân ven biển.\n' >"$pc/vi/nha-bao-moi.txt"
"$CS" index --quiet --index "$tmp/ppairs" "$pc" 2>/dev/null
check "an incremental run gives new articles their pairs: the phrase finds one" \
    eq "$("$CS" search --json --index "$tmp/ppairs" '"nhà báo mới của tỉnh"' | jq -c '[.hits[].id]')" '["vi/nha-bao-moi"]'
"$CS" index --quiet --no-phrase-pairs --index "$tmp/ppairs" "$pc" 2>"$tmp/err"
check "--no-phrase-pairs on an index with them, without --rebuild: exit 1, saying how" \
    eq "$?:$(grep -c 'built with phrase pairs: drop them with --rebuild --no-phrase-pairs' "$tmp/err")" "1:1"
"$CS" index --quiet --dry-run --no-phrase-pairs --index "$tmp/ppairs" "$pc" 2>/dev/null
check "... a dry run says so too" eq "$?" 1
"$CS" index --quiet --phrase-pairs --index "$tmp/pplain" "$pc" 2>"$tmp/err"
check "--phrase-pairs on an index without them: exit 1, saying how" \
    eq "$?:$(grep -c 'built without phrase pairs: add them with --rebuild --phrase-pairs' "$tmp/err")" "1:1"
check "... neither run changed its index" \
    eq "$("$CS" stats --json --index "$tmp/pplain" | jq -c '[.articles, .phrase_pair_words]')" "[$total,0]"
# A bare Xapian database (one shard, copied out) cannot be rebuilt in
# place: the hint says to index into a new folder instead.
cp -r "$tmp/pplain/$(awk 'NR == 1 {print $2}' "$tmp/pplain/XAPIANDB")" "$tmp/pbare"
"$CS" index --quiet --phrase-pairs --index "$tmp/pbare" "$pc" 2>"$tmp/err"
check "... on a bare Xapian database: exit 1, saying to index into a new folder" \
    eq "$?:$(grep -c 'without phrase pairs: a bare Xapian database cannot be rebuilt in place; index into a new folder with --phrase-pairs' "$tmp/err")" "1:1"
"$CS" index --quiet --rebuild --index "$tmp/ppairs" "$pc" 2>/dev/null
"$CS" compact --index "$tmp/ppairs" >/dev/null 2>&1
check "a rebuild, then a compaction, keep the pairs" \
    eq "$("$CS" stats --json --index "$tmp/ppairs" | jq -c '[.shards, .phrase_pair_words]'):$("$CS" search --json --index "$tmp/ppairs" '"nhà báo mới của tỉnh"' | jq .total)" "[1,$nwords]:1"
"$CS" index --quiet --rebuild --no-phrase-pairs --index "$tmp/ppairs" "$pc" 2>/dev/null
check "--rebuild --no-phrase-pairs drops them, and phrases still match" \
    eq "$("$CS" stats --json --index "$tmp/ppairs" | jq .phrase_pair_words):$("$CS" search --json --index "$tmp/ppairs" '"nhà báo mới của tỉnh"' | jq .total)" "0:1"
"$CS" index --quiet --rebuild --phrase-pairs --no-phrase-pairs --index "$tmp/ppairs" "$pc" 2>"$tmp/err"
check "--phrase-pairs with --no-phrase-pairs: a usage error (exit 2), index unchanged" \
    eq "$?:$(grep -c 'cannot be used together' "$tmp/err"):$("$CS" stats --json --index "$tmp/ppairs" | jq .phrase_pair_words)" "2:1:0"
# A rebuild is also the repair of an index it cannot read: it goes on,
# without the pairs it cannot know of, and says so as a warning.
"$CS" index --quiet --rebuild --phrase-pairs --index "$tmp/ppairs" "$pc" 2>/dev/null
rm "$tmp/ppairs/$(awk 'NR == 1 {print $2}' "$tmp/ppairs/XAPIANDB")/iamglass"
"$CS" index --quiet --rebuild --index "$tmp/ppairs" "$pc" 2>"$tmp/err"
check "a rebuild of an index it cannot read: exit 0, one warning (no failure), no pairs" \
    eq "$?:$(grep -c '^corpsearch: warning: .*cannot read the index being rebuilt' "$tmp/err"):$(grep -c 'failed' "$tmp/err"):$("$CS" stats --json --index "$tmp/ppairs" | jq -c '[.articles, .phrase_pair_words]')" "0:1:0:[$((total + 1)),0]"

# Bad input mid-corpus: the job goes on, names the file, exits 3.
printf 'Bad \xff file\n\nbody\n' >"$corpus/en/zz-bad.txt"
head -c 2048 /bin/ls >"$corpus/en/zz-binary.txt"
"$CS" index --quiet "$corpus" 2>"$tmp/err"
check "bad input mid-corpus: exit 3" eq "$?" 3
check "... naming the file" contains "$(cat "$tmp/err")" "zz-binary.txt"

# title:"a b" is the phrase in the title, not both words somewhere in the
# title and the phrase in the body (tp1: "Nội ... Hà Tĩnh" over "Hà Nội").
tp=$tmp/titlephrase
mkdir -p "$tp/c"
printf '# doc_id = tp1\nNội dung cuộc họp ở Hà Tĩnh\n\nCác đại biểu đến từ Hà Nội và Huế.\n' >"$tp/c/tp1.txt"
printf '# doc_id = tp2\nHà Nội đón mưa lớn\n\nMưa lớn kéo dài ở thủ đô.\n' >"$tp/c/tp2.txt"
printf '# doc_id = tp3\nMưa lớn ở Hà Tĩnh\n\nNội dung: mưa ở Hà Nội và Hà Tĩnh.\n' >"$tp/c/tp3.txt"
CORPSEARCH_INDEX=$tp/ix "$CS" index --quiet "$tp/c" 2>/dev/null
tids() { CORPSEARCH_INDEX=$tp/ix "$CS" search --json --facets "$@" | jq -r '[.hits[].id] | join(" ")'; }
check 'title:"ha noi" matches the phrase in the title only' eq "$(tids 'title:"ha noi"')" "tp2"
check '... and counts it so' \
    eq "$(CORPSEARCH_INDEX=$tp/ix "$CS" search --json 'title:"Hà Nội"' | jq .total)" 1
check '... where the words apart in the title match' \
    eq "$(tids --sort date 'title:ha title:noi' | tr ' ' '\n' | sort | xargs)" "tp1 tp2"
check '... and the phrase anywhere all three' \
    eq "$(tids --sort date '"ha noi"' | tr ' ' '\n' | sort | xargs)" "tp1 tp2 tp3"
done_testing
