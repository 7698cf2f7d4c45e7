#!/usr/bin/env bash
# e2e_http.sh -- the HTTP daemon end to end: start `corpsearch serve` on a
# free loopback port over an index of the sample corpus (plus a few hostile
# articles), check status codes, JSON bodies, headers and every kind of bad
# input; reload while searching; stop with SIGTERM. Needs curl and jq.
# usage: e2e_http.sh /path/to/corpsearch /path/to/damage_article
set -uo pipefail
CS=$1
DAMAGE=${2:?usage: $0 /path/to/corpsearch /path/to/damage_article}   # tests/damage_article.c
here=$(cd "$(dirname "$0")" && pwd)
source "$here/tap.sh"
corpus=${CS_SOURCE_DIR:-$here/..}/corpus

if ! "$CS" serve --help >/dev/null 2>&1; then
    skip "HTTP daemon" "this corpsearch has no serve command (libmicrohttpd missing)"
    done_testing
    exit 0
fi

tmp=$(mktemp -d)
pid=
cleanup() {
    [[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
export CORPSEARCH_INDEX=$tmp/index

# Hostile articles: markup in titles and text must never reach the page raw.
mkdir -p "$tmp/evil"
cat >"$tmp/evil/evil.jsonl" <<'EOF'
{"id": "evil/<script>1", "title": "<script>alert('title')</script> Bac Giang lychee", "body": "Bac Giang <img src=x onerror=alert(1)> lychee harvest \" onmouseover=\"alert(2) and <b>bold</b> text.", "url": "javascript:alert(3)", "date": "2021-05-01", "lang": "en"}
{"id": "evil id with spaces & ampersand", "title": "Quotes \"and\" 'apostrophes' in Bac Giang", "body": "Bac Giang text with </p></li></ol><script>alert(4)</script>.", "date": "2022-01-02", "lang": "en"}
EOF
"$CS" index --quiet "$corpus" "$tmp/evil" >/dev/null 2>"$tmp/index.err"
check "sample corpus indexed" eq "$?" 0
narticles=$("$CS" stats --json | jq .articles)
check "index has the 40 sample + 2 hostile articles" eq "$narticles" 42

# ---- starting ------------------------------------------------------------

"$CS" serve --index "$tmp/nothing-here" --listen 127.0.0.1:0 2>"$tmp/noindex.err"
check "serve without an index exits 1" eq "$?" 1
check "... naming the problem" contains "$(cat "$tmp/noindex.err")" "index"
"$CS" serve --listen nonsense:port 2>/dev/null
check "serve with a bad --listen exits 2" eq "$?" 2
"$CS" serve --threads 0 2>/dev/null
check "serve with --threads 0 exits 2" eq "$?" 2

# wait_for_port LOG WHAT: wait (10 s at most) for the daemon just started
# to print its address into LOG, and set $port and $base; when it does not,
# fail the check WHAT, show LOG and stop here.
wait_for_port() {
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$1")
        [[ -n $port ]] && break
        sleep 0.1
    done
    check "$2" test -n "$port"
    if [[ -z $port ]]; then
        cat "$1" >&2
        done_testing
        exit 1
    fi
    base=http://127.0.0.1:$port
}

touch "$tmp/before-serve"
"$CS" serve --listen 127.0.0.1:0 --threads 2 --max-connections 8 --timeout 2 \
    2>"$tmp/server.log" &
pid=$!
wait_for_port "$tmp/server.log" "daemon starts and prints its address"

"$CS" serve --listen "127.0.0.1:$port" 2>"$tmp/inuse.err"
check "a second daemon on the same port exits 1" eq "$?" 1

# req [curl args...] URL: sets $code, $body, $hdrs (lower-cased header text).
req() {
    code=$(curl -s -o "$tmp/body" -D "$tmp/hdrs" -w '%{http_code}' "$@")
    body=$(cat "$tmp/body")
    hdrs=$(tr 'A-Z' 'a-z' <"$tmp/hdrs")
}
# json_err URL...: a JSON error body: {"error": "...", "status": N}
is_json_error() { jq -e '(.error | type == "string") and (.status | type == "number")' \
    <<<"$body" >/dev/null; }

# ---- health and metrics -------------------------------------------------

req "$base/healthz"
check "/healthz is 200" eq "$code" 200
check "/healthz says ok" eq "$(jq -r .status <<<"$body")" ok
check "/healthz counts the articles" eq "$(jq -r .articles <<<"$body")" "$narticles"
check "/healthz has the version" eq "$(jq -r .version <<<"$body")" \
    "$("$CS" --version | awk '{print $2}')"

# ---- /api/search ---------------------------------------------------------

req "$base/api/search?q=bac+giang"
check "search is 200" eq "$code" 200
check "search is JSON with charset" contains "$hdrs" "content-type: application/json; charset=utf-8"
check "search has took_ms" eq "$(jq -r '.took_ms | type' <<<"$body")" number
check "search JSON equals 'corpsearch search --json' (less took_ms)" \
    eq "$(jq -S 'del(.took_ms) | .hits |= map(del(.score))' <<<"$body")" \
       "$("$CS" search --json -- bac giang | jq -S 'del(.took_ms) | .hits |= map(del(.score))')"
check "search finds Bac Giang articles" test "$(jq '.total' <<<"$body")" -ge 3
check "snippets highlight words matched without diacritics" \
    contains "$(jq -r '[.hits[].snippet] | join(" ")' <<<"$body")" "<mark>Bắc</mark>"
check "no facets unless asked" eq "$(jq 'has("facets")' <<<"$body")" false

req "$base/api/search?q=bac+giang&facets=1"
check "facets=1 adds province facet counts" \
    test "$(jq '.facets.province | length' <<<"$body")" -ge 1
check "facet values have value and count" \
    eq "$(jq '[.facets.province[] | has("value") and has("count")] | all' <<<"$body")" true
check "facets include year" test "$(jq '.facets.year | length' <<<"$body")" -ge 1

prov=$(jq -r '.facets.province[0].value' <<<"$body")
pcount=$(jq -r '.facets.province[0].count' <<<"$body")
req -G "$base/api/search" --data-urlencode "q=bac giang" --data-urlencode "province=$prov"
check "province filter keeps only that province ($prov)" \
    eq "$(jq --arg p "$prov" '[.hits[] | .provinces | index($p) != null] | all' <<<"$body")" true
check "province filter total is the facet count" eq "$(jq .total <<<"$body")" "$pcount"
one=$(jq .total <<<"$body")

req -G "$base/api/search" --data-urlencode "q=" --data-urlencode "province=Đà Nẵng"
dn=$(jq .total <<<"$body")
req -G "$base/api/search" --data-urlencode "province=Đà Nẵng" --data-urlencode "province=Lào Cai"
check "repeated province values OR together" test "$(jq .total <<<"$body")" -gt "$dn"
check "... and browsing without q works" eq "$code" 200

req -G "$base/api/search" --data-urlencode "resolution=57-NQ/TW"
check "resolution filter finds the Resolution 57 articles" \
    eq "$(jq '[.hits[] | .resolutions | index("57-NQ/TW") != null] | all and length > 0' <<<"$body")" true

req "$base/api/search?q=digital&per_page=2"
check "per_page=2 gives 2 hits" eq "$(jq '.hits | length' <<<"$body")" 2
req "$base/api/search?q=digital&per_page=2&page=2"
check "page=2 starts at rank 3" eq "$(jq '.hits[0].rank' <<<"$body")" 3
check "page=2 reports offset 2" eq "$(jq '.offset' <<<"$body")" 2

req "$base/api/search?q=province&sort=date&per_page=20"
check "sort=date is newest first" \
    eq "$(jq '[.hits[].date] | map(select(. != null)) | . == (sort | reverse)' <<<"$body")" true
req "$base/api/search?q=province&lang=en&per_page=50"
check "lang=en keeps English articles" eq "$(jq '[.hits[].lang == "en"] | all' <<<"$body")" true
req "$base/api/search?from=2025&to=2025&per_page=50"
check "from/to keep the year asked for" \
    eq "$(jq '[.hits[].date | startswith("2025")] | all and length > 0' <<<"$body")" true
req "$base/api/search?q=zzyzxqq"
check "no hits is 200 with an empty list" eq "$code:$(jq '.hits | length' <<<"$body")" "200:0"
req "$base/api/search?q=%22bac+giang"
check "a malformed query is read with a note, not an error" eq "$code" 200

# ---- /api/doc and /api/suggest ------------------------------------------

req "$base/api/doc/en-bg-lychee-2019"
check "/api/doc/{id} is 200" eq "$code" 200
check "/api/doc returns the article" \
    eq "$(jq -r '[.id, (.title | length > 0), (.text | length > 100)] | @tsv' <<<"$body")" \
       "$(printf 'en-bg-lychee-2019\ttrue\ttrue')"
check "/api/doc has provinces and resolutions" \
    eq "$(jq '(.provinces | type) + (.resolutions | type)' <<<"$body")" '"arrayarray"'
req "$base/api/doc/en/bac-giang-digital-transformation"
check "an id with '/' works as a path" eq "$code:$(jq -r .id <<<"$body")" \
    "200:en/bac-giang-digital-transformation"
req "$base/api/doc/en%2Fbac-giang-digital-transformation"
check "... and percent-encoded" eq "$code" 200
req "$base/api/doc/evil%20id%20with%20spaces%20%26%20ampersand"
check "an id with spaces and & works percent-encoded" eq "$code" 200
req "$base/api/doc/no-such-article"
check "unknown id is 404" eq "$code" 404
check "... with a JSON error" is_json_error
req "$base/api/doc/"
check "empty id is 404" eq "$code" 404
for n in 60 400; do   # 60 x "ạ" is quoted back in the error; 400 x is too long to be an id
    long=$(printf '%%E1%%BA%%A1%.0s' $(seq $n))
    req "$base/api/doc/$long"
    check "an unknown Vietnamese id of $((n * 3)) bytes: 404 with a JSON error, valid UTF-8" \
        eq "$code:$(jq -r '.error | test("no article") and (test("UTF-8") | not)' <<<"$body")" "404:true"
done

req "$base/api/suggest?q=bac+gi"
check "/api/suggest is 200" eq "$code" 200
check "suggest completes a province without diacritics" \
    contains "$(jq -r '.suggestions | join("|")' <<<"$body")" "Bắc Giang"
req "$base/api/suggest?q="
check "suggest with nothing typed is an empty list" eq "$(jq -c .suggestions <<<"$body")" "[]"

# ---- bad input: 400 with a JSON error naming the problem ----------------

bad() {   # bad DESCRIPTION EXPECTED-CODE NEEDLE CURL-ARGS...
    local desc=$1 want=$2 needle=$3
    shift 3
    req "$@"
    check "$desc -> $want" eq "$code" "$want"
    check "$desc: JSON error naming it" \
        bash -c 'jq -e --arg n "$1" "(.error | ascii_downcase | contains(\$n)) and .status == $2" \
                 >/dev/null <<<"$0"' "$body" "$needle" "$want"
}
long=$(head -c 1100 /dev/zero | tr '\0' a)
bad "query over 1 KB" 400 "'q'" "$base/api/search?q=$long"
bad "per_page over 100" 400 "per_page" "$base/api/search?q=a&per_page=101"
bad "per_page 0" 400 "per_page" "$base/api/search?q=a&per_page=0"
bad "negative page" 400 "page" "$base/api/search?q=a&page=-1"
bad "page 0" 400 "page" "$base/api/search?q=a&page=0"
bad "page not a number" 400 "page" "$base/api/search?q=a&page=two"
bad "page too deep" 400 "too deep" "$base/api/search?q=a&page=1001&per_page=10"
bad "huge page number" 400 "page" "$base/api/search?q=a&page=99999999999999999999"
bad "unknown parameter" 400 "unknown parameter 'foo'" "$base/api/search?q=a&foo=1"
bad "malformed from date" 400 "'from'" "$base/api/search?q=a&from=2023-13-01"
bad "impossible day" 400 "'to'" "$base/api/search?q=a&to=2023-02-30"
bad "date as words" 400 "'from'" "$base/api/search?q=a&from=yesterday"
bad "unknown lang" 400 "lang" "$base/api/search?q=a&lang=fr"
bad "unknown sort" 400 "sort" "$base/api/search?q=a&sort=popular"
bad "bad facets value" 400 "facets" "$base/api/search?q=a&facets=maybe"
bad "repeated q" 400 "more than once" "$base/api/search?q=a&q=b"
bad "malformed %-escape" 400 "percent-encoding" "$base/api/search?q=%ZZ"
bad "lone % at the end" 400 "percent-encoding" "$base/api/search?q=abc%"
bad "%00 in a value" 400 "percent-encoding" "$base/api/search?q=a%00b"
bad "invalid UTF-8 (%FF)" 400 "utf-8" "$base/api/search?q=%FF"
bad "truncated UTF-8 sequence" 400 "utf-8" "$base/api/search?q=%E1%BA"
bad "overlong UTF-8" 400 "utf-8" "$base/api/search?q=%C0%AF"
bad "raw invalid UTF-8 bytes" 400 "utf-8" "$base/api/search?q=$(printf '\xff\xfe')"
provs=$(for i in $(seq 17); do printf '&province=p%d' "$i"; done)
bad "17 province values" 400 "province" "$base/api/search?q=a$provs"
bad "invalid UTF-8 in a doc id" 400 "utf-8" "$base/api/doc/%FF%FE"
bad "a parameter on /api/doc" 400 "unknown parameter" "$base/api/doc/x?y=1"
bad "unknown parameter on suggest" 400 "unknown parameter" "$base/api/suggest?q=a&n=3"
bad "suggest prefix over 1 KB" 400 "'q'" "$base/api/suggest?q=$long"

bad "unknown API path" 404 "no such path" "$base/api/nothing"
bad "unknown path" 404 "no such path" "$base/wp-admin.php"
bad "traversal ../ in static" 404 "no such path" --path-as-is "$base/static/../server.c"
bad "encoded traversal" 404 "no such path" "$base/static/..%2f..%2fetc%2fpasswd"
bad "traversal from the root" 404 "no such path" --path-as-is "$base/../../../etc/passwd"
req --path-as-is "$base/api/doc/../../../etc/passwd"
check "traversal as a doc id is 404" eq "$code" 404

bad "POST with a body" 413 "bodies" -X POST --data 'q=a' "$base/api/search"
bad "PUT with a body" 413 "bodies" -X PUT --data-binary @/etc/hostname "$base/api/search"
bad "chunked body" 413 "bodies" -H 'Transfer-Encoding: chunked' --data 'x' "$base/"
bad "POST without a body" 405 "not allowed" -X POST "$base/api/search?q=a"
bad "DELETE" 405 "not allowed" -X DELETE "$base/api/doc/en-bg-lychee-2019"
check "405 says which methods are allowed" contains "$hdrs" "allow: get, head"

code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/search?q=$(head -c 70000 /dev/zero | tr '\0' a)")
check "a URL over the request memory limit is refused with a 4xx ($code)" \
    test "${code:0:1}" = 4

# ---- headers --------------------------------------------------------------

req "$base/"
check "GET / is 200 HTML with charset" contains "$hdrs" "content-type: text/html; charset=utf-8"
check "Content-Security-Policy forbids inline scripts" \
    contains "$hdrs" "content-security-policy: default-src 'self'; script-src 'self';"
check "X-Content-Type-Options: nosniff" contains "$hdrs" "x-content-type-options: nosniff"
check "Referrer-Policy is set" contains "$hdrs" "referrer-policy: no-referrer"
check "the page has no inline script" \
    eq "$(grep -c '<script>' <<<"$body")" 0
check "the page has the search form" contains "$body" '<form class="search"'
req "$base/api/search?q=a"
check "API responses are not cached" contains "$hdrs" "cache-control: no-store"

req "$base/static/app.js"
check "app.js is served as JavaScript" contains "$hdrs" "content-type: text/javascript; charset=utf-8"
etag=$(sed -n 's/^etag: *\(.*\)\r$/\1/p' <<<"$hdrs")
check "app.js has an ETag and a long cache" \
    bash -c '[[ -n "$0" && "$1" == *"max-age=86400"* ]]' "$etag" "$hdrs"
req -H "If-None-Match: $etag" "$base/static/app.js"
check "If-None-Match gives 304" eq "$code" 304
req "$base/static/style.css"
check "style.css is served as CSS" contains "$hdrs" "content-type: text/css; charset=utf-8"
req -I "$base/"   # with -I curl writes the headers where the body would go
check "HEAD / is 200 with headers only" \
    bash -c '[[ $0 == 200 && $1 != *"<html"* && $2 == *"content-length:"* ]]' "$code" "$body" "$hdrs"

# ---- the web page ----------------------------------------------------------

req -H 'Accept-Language: vi-VN,vi;q=0.9,en;q=0.5' "$base/?q=bac+giang"
check "page in Vietnamese for vi browsers" contains "$body" '<html lang="vi">'
check "page results have marks" contains "$body" "<mark>"
check "page results are listed" test "$(grep -o 'class="hit"' <<<"$body" | wc -l)" -ge 3
check "page has the province facet" contains "$body" 'data-facet="province"'
check "page keeps the query in the box" contains "$body" 'value="bac giang"'
req -H 'Accept-Language: en-US,en;q=0.9' "$base/?q=bac+giang"
check "page in English for en browsers" contains "$body" '<html lang="en">'
n=$(curl -s "$base/api/search?q=bac+giang&facets=1" | jq -r 'select(.total_exact) | .total')
check "the page states a counted total as a count" contains "$body" "<p><b>${n:-?}</b> result"
check "... not as an estimate" not_contains "$body" "About <b>"
req -H 'Accept-Language: en-US' "$base/?q=bac+giang&hl=vi"
check "hl=vi overrides the browser" contains "$body" '<html lang="vi">'
req -H 'Accept-Language: vi' "$base/?q=%22bac+giang"
check "the Vietnamese page gives a malformed query's notes in Vietnamese" contains "$body" \
    '<p class="note">thiếu dấu ngoặc kép đóng: cụm từ được đọc đến hết câu tìm kiếm</p>'
req -H 'Accept-Language: en' "$base/?q=%22bac+giang"
check "... and the English page in English" contains "$body" \
    '<p class="note">unbalanced quote: phrase read to the end of the query</p>'
check "the page varies by Accept-Language" contains "$hdrs" "vary: accept-language"
req -H 'Accept-Language: en' "$base/?q=zzyzxqq"
check "no results gets a helpful message" contains "$body" "No articles match"
req -H 'Accept-Language: en' "$base/"
check "empty query gets a welcome with examples" contains "$body" 'class="example"'
req -H 'Accept-Language: en' "$base/?q=a&page=-1"
check "a bad page parameter is a 400 page" eq "$code" 400
check "... saying what is wrong" contains "$body" "page"
req -H 'Accept-Language: en' -H 'Accept: text/html' "$base/no/such/page"
check "unknown page for a browser is an HTML 404" \
    bash -c '[[ $0 == 404 && $1 == *"<h1>Page not found</h1>"* ]]' "$code" "$body"
req -G "$base/" --data-urlencode "q=bac giang" --data-urlencode "province=$prov"
check "filtered page shows a removable chip" contains "$body" 'class="chip"'
# Links on the page are followable: a facet value, then its chip back.
href=$(grep -o 'class="fv" href="[^"]*"' <<<"$body" | head -1 | sed 's/.*href="//; s/"$//; s/&amp;/\&/g')
check "facet links are root-relative query URLs ($href)" \
    bash -c '[[ $0 == "/?q=bac+giang&province="* ]]' "$href"
req "$base$href"
check "following a facet link filters (chip shown)" \
    bash -c '[[ $0 == 200 && $1 == *"class=\"chip\""* ]]' "$code" "$body"
req "$base/?q=bac+giang&utm_source=newsletter"
check "the page ignores unknown parameters (shared links)" eq "$code" 200
req "$base/doc/en-bg-lychee-2019?q=lychee"
check "/doc/{id} shows the article" \
    bash -c '[[ $0 == 200 && $1 == *"<article class=\"doc\">"* && $1 == *"Back to results"* ]]' \
        "$code" "$body"

# Escaping: nothing from the query or the corpus may become markup.
req -G "$base/" --data-urlencode 'q=<script>alert(1)</script>"><img src=x>'
check "query is escaped in the page" \
    bash -c '[[ $0 != *"<script>alert"* && $0 != *"<img src=x"* && $0 == *"&lt;script&gt;"* ]]' "$body"
req "$base/?q=lychee+bac+giang&per_page=50"
check "hostile titles are escaped" \
    bash -c '[[ $0 != *"<script>alert"* && $0 == *"&lt;script&gt;alert"* ]]' "$body"
check "hostile text is escaped" not_contains "$body" "<img src=x onerror"
check "javascript: URLs are not linked" not_contains "$body" 'href="javascript:'
req "$base/doc/evil%20id%20with%20spaces%20%26%20ampersand"
check "hostile article page is escaped" \
    bash -c '[[ $0 == 200 && $1 != *"<script>alert"* && $1 == *"&lt;/p&gt;"* ]]' "$code" "$body"

# ---- limits: connections and timeouts -------------------------------------

fds=()
for _ in $(seq 10); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$port" && fds+=("$fd")
done
sleep 0.3
req "$base/healthz"
check "over --max-connections: 503" eq "$code" 503
check "... with a JSON error and Retry-After" \
    bash -c '[[ $0 == *"too many connections"* && $1 == *"retry-after: 1"* ]]' "$body" "$hdrs"
for fd in "${fds[@]}"; do exec {fd}>&-; done
sleep 0.3
req "$base/healthz"
check "after the crowd leaves: 200 again" eq "$code" 200

exec {slow}<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /healthz HTTP/1.1\r\n' >&"$slow"   # never finishes the request
sleep 3.5
read -r -t 2 -u "$slow" _line
rc=$?
check "an idle half-sent request is closed after --timeout (read rc $rc)" test "$rc" -le 1
exec {slow}>&-

# ---- metrics and the log ----------------------------------------------------

req "$base/metrics"
check "/metrics is 200 Prometheus text" contains "$hdrs" "content-type: text/plain; version=0.0.4"
check "metrics count 200s" contains "$body" 'corpsearch_http_requests_total{code="200"}'
check "metrics count 400s" contains "$body" 'corpsearch_http_requests_total{code="400"}'
check "metrics have a latency histogram" \
    contains "$body" 'corpsearch_http_request_duration_seconds_bucket{le="+Inf"}'
check "metrics give the article count" contains "$body" "corpsearch_index_articles $narticles"
check "metrics give the last reload time" contains "$body" "corpsearch_index_last_reload_timestamp_seconds 1"
check "one log line per request: method, path, status, duration" \
    grep -qE '^[0-9T:Z-]+ GET /api/search 200 [0-9.]+ms$' "$tmp/server.log"
check "log lines cannot be forged through the path" \
    not_contains "$(cat "$tmp/server.log")" $'\xff'
check "the daemon wrote nothing to the index" \
    eq "$(find "$tmp/index" -newer "$tmp/before-serve" | wc -l)" 0

# ---- reload: new articles appear while searching, no request fails --------

mkdir -p "$tmp/new"
for i in $(seq 30); do
    printf '{"id": "reload-%d", "title": "Zqxreload report %d from Bac Giang", "body": "Zqxreload article %d about lychee exports in Bac Giang.", "date": "2024-03-%02d", "lang": "en"}\n' \
        "$i" "$i" "$i" "$(( (i % 28) + 1 ))"
done >"$tmp/new/new.jsonl"
: >"$tmp/codes"
(
    while [[ ! -f $tmp/stop ]]; do
        curl -s -o /dev/null -w '%{http_code}\n' "$base/api/search?q=bac+giang&facets=1" >>"$tmp/codes"
        curl -s -o /dev/null -w '%{http_code}\n' "$base/api/search?q=zqxreload&per_page=50" >>"$tmp/codes"
    done
) &
loop=$!
sleep 0.5
"$CS" index --quiet "$tmp/new" >/dev/null 2>>"$tmp/index.err"
check "indexing while the daemon serves succeeds" eq "$?" 0
seen=0
for _ in $(seq 30); do
    seen=$(curl -s "$base/api/search?q=zqxreload&per_page=50" | jq .total)
    [[ $seen == 30 ]] && break
    sleep 0.1
done
check "the 30 new articles are found without a restart" eq "$seen" 30
"$CS" index --quiet --rebuild "$corpus" "$tmp/evil" >/dev/null 2>>"$tmp/index.err"
check "a rebuild (new generation swapped in) while serving succeeds" eq "$?" 0
for _ in $(seq 30); do
    seen=$(curl -s "$base/api/search?q=zqxreload&per_page=50" | jq .total)
    [[ $seen == 0 ]] && break
    sleep 0.1
done
check "after the rebuild without them, they are gone" eq "$seen" 0
req "$base/healthz"
check "healthz follows the index" eq "$(jq .articles <<<"$body")" "$narticles"
touch "$tmp/stop"
wait "$loop"
n=$(wc -l <"$tmp/codes")
check "searches ran during the reloads ($n)" test "$n" -ge 10
check "no request failed during the reloads" \
    eq "$(grep -vc '^200$' "$tmp/codes")" 0

# ---- near-duplicates ---------------------------------------------------------

mkdir -p "$tmp/dups"
for n in 1 2 3; do
    printf 'Ninh Binh opens new heritage trail in Trang An\n\nCopy %d of the same story.\n' "$n" >"$tmp/dups/c$n.txt"
done
"$CS" index --quiet "$tmp/dups" >/dev/null 2>>"$tmp/index.err"
# Other articles may match too (synonyms); count the copies by id.
copies='[.hits[] | select(.id | test("^c[0-9]$"))] | length'
for _ in $(seq 30); do
    seen=$(curl -s "$base/api/search?q=trang+an+heritage" | jq "$copies")
    [[ $seen == 1 ]] && break
    sleep 0.1
done
check "API: three copies of a story collapse into one hit" eq "$seen" 1
# One worker has seen the new articles; each worker refreshes at most every
# 200 ms, on its next request. Past that, every worker is current.
sleep 0.5
check "API: collapse=0 shows all three" \
    eq "$(curl -s "$base/api/search?q=trang+an+heritage&collapse=0" | jq "$copies")" 3
page=$(curl -s "$base/?q=trang+an+heritage")
check "page: '+2 similar' links to the expanded results" \
    contains "$page" 'href="/?q=trang+an+heritage&amp;collapse=0">+2'
check "page: collapse=0 lists every copy" \
    eq "$(curl -s "$base/?q=trang+an+heritage&collapse=0" | grep -c 'href="/doc/c[0-9]')" 3

# ---- a damaged stored article -------------------------------------------------

# Its hit is still shown, marked, and the search answers 200 with a note
# (tests/damage_article.c rewrites c2's stored article in place).
"$DAMAGE" "$CORPSEARCH_INDEX" c2 body
check "c2 damaged in place" eq "$?" 0
for _ in $(seq 30); do
    req "$base/api/search?q=trang+an+heritage&collapse=0"
    [[ $(jq -c '[.hits[] | select(.unreadable) | .id]' <<<"$body") == '["c2"]' ]] && break
    sleep 0.1
done
check "API: a damaged article is a marked hit, status 200" \
    eq "$code:$(jq -c '[.hits[] | select(.unreadable) | .id]' <<<"$body")" '200:["c2"]'
check "... its title still read from the header" \
    eq "$(jq -r '.hits[] | select(.id == "c2") | .title' <<<"$body")" "Ninh Binh opens new heritage trail in Trang An"
check "... with a note saying how to repair it" \
    contains "$(jq -r .note <<<"$body")" "1 of the articles shown could not be read"
sleep 0.5   # every worker refreshed
page=$(curl -s "$base/?q=trang+an+heritage&collapse=0")
check "page: the hit says its text could not be read" \
    eq "$(grep -c "class=\"damaged\">This article's text could not be read" <<<"$page")" 1
check "page: the damaged hit links to no page of its own (it could not be shown)" \
    eq "$(grep -o 'href="/doc/c[0-9][?"]' <<<"$page" | sort | uniq -c | awk '{print $2 "x" $1}' | tr '\n' ' ')" \
       'href="/doc/c1?x2 href="/doc/c3?x2 '
check "page: the other copies show their text, the damaged one none" \
    eq "$(grep -o 'Copy [0-9] of the same story' <<<"$page" | sort | tr '\n' ,)" "Copy 1 of the same story,Copy 3 of the same story,"

# ---- phrase pairs: rebuilds swap them in and out under the daemon -----------

# A daemon that kept the pair list of a generation swapped out would filter
# phrases by pair terms the new one lacks, and find nothing.
pq=$(jq -rn --arg q '"người dân"' '$q | @uri')
phrase_ids() { curl -s "$base/api/search?q=$pq&per_page=50" | jq -c '[.hits[].id]'; }
# The distinct answers of 8 requests at once: every worker thread serves some.
phrase_ids_all() {
    local pids=()
    for i in $(seq 8); do
        phrase_ids >"$tmp/phrase$i" &
        pids+=($!)
    done
    wait "${pids[@]}"
    sort -u "$tmp"/phrase[1-8]
}
marked() {   # wait (3 s at most) until every worker sees $1 marker articles
    for _ in $(seq 30); do
        [[ $(curl -s "$base/api/search?q=zqxmarker" | jq .total) == "$1" ]] && break
        sleep 0.1
    done
    sleep 0.5
}
before=$(phrase_ids)
check "a phrase of pair words finds articles" test "$(jq length <<<"$before")" -gt 2
mkdir -p "$tmp/marker"
echo '{"id": "marker", "title": "Zqxmarker", "body": "Zqxmarker article.", "lang": "en"}' \
    >"$tmp/marker/m.jsonl"
"$CS" index --quiet --rebuild --phrase-pairs "$corpus" "$tmp/evil" "$tmp/marker" \
    >/dev/null 2>>"$tmp/index.err"
check "a rebuild with --phrase-pairs while serving succeeds" eq "$?" 0
marked 1
check "... the phrase finds the same articles through its pairs" eq "$(phrase_ids_all)" "$before"
"$CS" index --quiet --rebuild --no-phrase-pairs "$corpus" "$tmp/evil" >/dev/null 2>>"$tmp/index.err"
check "a rebuild dropping them while serving succeeds" eq "$?" 0
marked 0
check "... the daemon drops them too: the same articles again" eq "$(phrase_ids_all)" "$before"

# ---- stopping --------------------------------------------------------------

for i in 1 2 3 4; do
    curl -s -o "$tmp/inflight$i" -w '%{http_code}' \
        "$base/api/search?q=province&facets=1&per_page=100" >"$tmp/inflight$i.code" &
done
sleep 0.05
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
wait
check "SIGTERM stops the daemon with status 0 (no leaks under ASan)" eq "$rc" 0
ok_or_refused=1
for i in 1 2 3 4; do
    c=$(cat "$tmp/inflight$i.code")
    if [[ $c == 200 ]]; then
        jq -e .hits "$tmp/inflight$i" >/dev/null || ok_or_refused=0
    elif [[ $c != 000 ]]; then
        ok_or_refused=0
    fi
done
check "requests in flight at SIGTERM complete (or were never accepted)" eq "$ok_or_refused" 1
check "the log says it stopped" contains "$(cat "$tmp/server.log")" "corpsearch: stopped"
curl -s -o /dev/null "$base/healthz"
check "nothing listens after the stop" test "$?" -ne 0

# ---- facets counted from a sample ---------------------------------------

# Past FACET_EXACT_MAX matches (40,000; lowered here through the daemon's
# environment) facets are counted on a sample: the API says so, and the
# page marks each count "~" and the total "About".
CORPSEARCH_FACET_EXACT_MAX=4 "$CS" serve --listen 127.0.0.1:0 --threads 1 2>"$tmp/sampled.log" &
pid=$!
wait_for_port "$tmp/sampled.log" "a daemon with a lower exact limit starts"
# "province": 30 of the 42 articles, far past the limit of 4.
req "$base/api/search?q=province&facets=1"
check "sampled facets: the API says counts and total are estimates" \
    eq "$code:$(jq -c '[.facets_exact, .total_exact, .total > 4]' <<<"$body")" "200:[false,false,true]"
req "$base/?q=province&hl=en"
check "... the page marks each facet count with ~" \
    eq "$code:$(grep -o '<span class="count">[^<]*' <<<"$body" | grep -vc '">~')" "200:0"
check "... (and has counts)" test "$(grep -c '<span class="count">~' <<<"$body")" -gt 0
check "... and says About before the total" contains "$body" "About <b>"
kill -TERM "$pid"
wait "$pid"
check "... and stops with status 0" eq "$?" 0
pid=

done_testing
