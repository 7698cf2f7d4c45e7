/* xapian_c.cc -- implementation of the C API in xapian_c.h over Xapian 1.4.
 *
 * Every extern "C" function funnels its body through guard() (or does no
 * work that can throw), so no C++ exception ever crosses into C: Xapian
 * errors become an xc_status plus "ErrorType: message" in the caller's
 * xc_error. Handles are thin structs around Xapian's own reference-counted
 * handle classes.
 */
#include "xapian_c.h"

#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

/* ---- handle structs ------------------------------------------------------ */

/* The items of one multi-valued slot for every document of one shard, in
 * memory: counting a match is then an array walk instead of a value stream
 * read (the stream read was 0.7 ms of a 3.5 ms median facet search on
 * baomoi). Built from the stream once the counts at one revision of the
 * shard have read as many values as building it would (shard_column); a
 * new revision drops it. About 4 bytes per document and per item. */
struct FacetColumn {
    Xapian::valueno slot;
    char sep;
    Xapian::rev rev;
    std::vector<uint32_t> start;      /* items of docid d: [start[d-1], start[d]) */
    std::vector<uint32_t> items;      /* ids into names */
    std::vector<std::string> names;
};

struct ShardCache {
    Xapian::rev rev = 0;
    Xapian::valueno slot = Xapian::BAD_VALUENO;   /* what the passes counted */
    char sep = 0;
    unsigned passes = 0;              /* counting passes over the shard at rev */
    uint64_t reads = 0;               /* documents whose values they read */
    std::unique_ptr<FacetColumn> col;
};

/* `shards`: the shards as separate handles when opened from a list
 * (xc_database_open_shards); they share their internals with `db`, so a
 * reopen of `db` moves them too. Empty when opened from a path. `cache`:
 * one per shard (or one for a single database), for xc_facet_count. */
struct xc_database {
    Xapian::Database db;
    std::vector<Xapian::Database> shards;
    std::vector<ShardCache> cache;
    unsigned col_after = 1;           /* see shard_column */
    unsigned col_pct = 100;
};
struct xc_wdb { Xapian::WritableDatabase db; };
struct xc_document { Xapian::Document doc; };
struct xc_query { Xapian::Query q; };
/* An mset, or the merge of msets over disjoint docids (xc_mset_merge):
 * then hit i is parts[pick[i].first][pick[i].second] and the counts are
 * the parts' sums. */
struct xc_mset {
    Xapian::MSet m;
    std::vector<Xapian::MSet> parts;
    std::vector<std::pair<size_t, Xapian::doccount>> pick;
    Xapian::doccount lower = 0, estimated = 0, upper = 0;

    bool merged() const { return !parts.empty(); }
    Xapian::doccount size() const { return merged() ? pick.size() : m.size(); }
    Xapian::MSetIterator at(uint32_t i) const {
        return merged() ? parts[pick[i].first][pick[i].second] : m[i];
    }
};
struct xc_stemmer { Xapian::Stem stem; };

/* Calls fn(offset, length) for each distinct non-empty item of v, a list
 * separated by `sep` (0: v is one item). Documents have few items, so a
 * quadratic check beats sorting; `seen` is scratch, reused between calls. */
template <typename F>
static void split_items(const std::string &v, char sep,
                        std::vector<std::pair<size_t, size_t>> &seen, F fn)
{
    seen.clear();
    size_t start = 0;
    while (start <= v.size() && !v.empty()) {
        size_t end = sep ? v.find(sep, start) : std::string::npos;
        if (end == std::string::npos) end = v.size();
        size_t n = end - start;
        bool dup = n == 0;
        for (size_t k = 0; !dup && k < seen.size(); k++)
            dup = seen[k].second == n && v.compare(seen[k].first, n, v, start, n) == 0;
        if (!dup) {
            seen.emplace_back(start, n);
            fn(start, n);
        }
        start = end + 1;
    }
}

/* A MatchSpy counting the items of a multi-valued value slot. The value is a
 * list of items separated by `sep` (0: the whole value is one item). Each
 * distinct item counts once per document, so "Hue|Hue" counts Hue once.
 *
 * In `streamed` mode (xc_facet_count) the spy only notes docids, and
 * tally() reads the values afterwards (value stream or column) in docid
 * order; otherwise (xc_enquire_add_facet) it reads each document's value. Document::get_value() in the spy looks each
 * value up in the B-tree from the root, which was 10% of a facet search
 * (perf); the stream reads each chunk once. */
struct xc_facet : public Xapian::MatchSpy {
    Xapian::valueno slot;
    char sep;
    uint32_t docs_seen = 0;
    std::vector<Xapian::docid> dids;               /* as the matcher saw them */
    std::vector<Xapian::docid> matched;            /* every one counted, whole-database */
    bool matched_known = false;  /* matched holds them (asked for; not a stub's spy) */
    std::unordered_map<std::string, uint32_t> counts;
    std::vector<std::pair<size_t, size_t>> seen;   /* scratch: items of one document */
    std::string key;                               /* scratch: lookup key */

    bool streamed = false;   /* note docids for tally(), else count here */
    uint32_t scale = 1;      /* sampled: every scale-th docid was counted */

    xc_facet(Xapian::valueno s, char c) : slot(s), sep(c) {}

    void operator()(const Xapian::Document &doc, double) override {
        if (streamed) {
            dids.push_back(doc.get_docid());
        } else {
            ++docs_seen;
            add(doc.get_value(slot));
        }
    }

    /* Count the items of one document's value (each distinct one once). */
    void add(const std::string &v) {
        split_items(v, sep, seen, [&](size_t from, size_t n) {
            key.assign(v, from, n);
            ++counts[key];
        });
    }

    /* Count the values of the noted documents of `shard`, a single
     * database (a stub's spy sees shard-local docids, without the shard). */
    void tally(const Xapian::Database &shard) {
        docs_seen += (uint32_t)dids.size();
        /* One shard's matches come in docid order; cheap to make sure. */
        if (!std::is_sorted(dids.begin(), dids.end())) std::sort(dids.begin(), dids.end());
        Xapian::ValueIterator it = shard.valuestream_begin(slot), end = shard.valuestream_end(slot);
        for (Xapian::docid d : dids) {
            if (it == end) break;
            if (it.get_docid() < d) it.skip_to(d);
            if (it == end) break;
            if (it.get_docid() == d) add(*it);
        }
        dids.clear();
    }

    /* Count the noted documents' items from an in-memory column. */
    void tally(const FacetColumn &col) {
        docs_seen += (uint32_t)dids.size();
        std::vector<uint32_t> n(col.names.size());
        size_t ndocs = col.start.size() - 1;
        for (Xapian::docid d : dids)
            if (d <= ndocs)
                for (uint32_t i = col.start[d - 1]; i < col.start[d]; i++) n[col.items[i]]++;
        for (size_t id = 0; id < n.size(); id++)
            if (n[id]) counts[col.names[id]] += n[id];
        dids.clear();
    }

    std::string name() const override { return "xc_facet"; }

    void reset() {
        docs_seen = 0;
        dids.clear();
        matched.clear();
        matched_known = false;
        counts.clear();
    }
};

/* Members are destroyed in reverse order: the Enquire (which holds raw
 * pointers to the spies) goes before the spies it points at. */
struct xc_enquire {
    std::vector<std::unique_ptr<xc_facet>> facets;
    Xapian::Enquire enq;
    explicit xc_enquire(const Xapian::Database &db) : enq(db) {}
};

/* ---- error plumbing ---------------------------------------------------- */

/* Store code and message in err (if any); returns code. */
static int set_error(xc_error *err, xc_status code, const std::string &msg)
{
    if (err) {
        err->code = code;
        std::snprintf(err->message, sizeof err->message, "%s", msg.c_str());
    }
    return code;
}

static int bad_arg(xc_error *err, const char *what)
{
    return set_error(err, XC_ERR_INVALID_ARGUMENT,
                     std::string("InvalidArgumentError: ") + what);
}

/* "Type: message (context)" for a Xapian error, stored with `code`. */
static int set_xapian_error(xc_error *err, xc_status code, const Xapian::Error &e)
{
    std::string msg = std::string(e.get_type()) + ": " + e.get_msg();
    if (!e.get_context().empty()) msg += " (" + e.get_context() + ")";
    return set_error(err, code, msg);
}

/* Called inside a catch block: classify the in-flight exception. Xapian's
 * Error has no virtual functions, so dynamic_cast cannot classify it: the
 * catch clauses do, most derived first. Never throws (building the message
 * could, so that is guarded too). */
static int translate(xc_error *err) noexcept
{
    try {
        try {
            throw;
        } catch (const Xapian::DatabaseLockError &e) {
            return set_xapian_error(err, XC_ERR_DATABASE_LOCK, e);
        } catch (const Xapian::DatabaseModifiedError &e) {
            return set_xapian_error(err, XC_ERR_DATABASE_MODIFIED, e);
        } catch (const Xapian::DatabaseCorruptError &e) {
            return set_xapian_error(err, XC_ERR_DATABASE_CORRUPT, e);
        } catch (const Xapian::DatabaseOpeningError &e) {
            /* Includes DatabaseNotFoundError and DatabaseVersionError. */
            return set_xapian_error(err, XC_ERR_DATABASE_OPENING, e);
        } catch (const Xapian::DatabaseCreateError &e) {
            /* E.g. an unwritable parent directory: "can't open one there". */
            return set_xapian_error(err, XC_ERR_DATABASE_OPENING, e);
        } catch (const Xapian::DatabaseError &e) {
            return set_xapian_error(err, XC_ERR_DATABASE, e);
        } catch (const Xapian::DocNotFoundError &e) {
            return set_xapian_error(err, XC_ERR_DOC_NOT_FOUND, e);
        } catch (const Xapian::QueryParserError &e) {
            return set_xapian_error(err, XC_ERR_QUERY, e);
        } catch (const Xapian::WildcardError &e) {
            return set_xapian_error(err, XC_ERR_QUERY, e);
        } catch (const Xapian::InvalidArgumentError &e) {
            return set_xapian_error(err, XC_ERR_INVALID_ARGUMENT, e);
        } catch (const Xapian::InvalidOperationError &e) {
            return set_xapian_error(err, XC_ERR_INVALID_ARGUMENT, e);
        } catch (const Xapian::NetworkError &e) {
            return set_xapian_error(err, XC_ERR_NETWORK, e);
        } catch (const Xapian::RangeError &e) {
            return set_xapian_error(err, XC_ERR_RANGE, e);
        } catch (const Xapian::Error &e) {
            return set_xapian_error(err, XC_ERR_OTHER, e);
        } catch (const std::bad_alloc &) {
            return set_error(err, XC_ERR_NO_MEMORY, "std::bad_alloc: out of memory");
        } catch (const std::exception &e) {
            return set_error(err, XC_ERR_OTHER, std::string("std::exception: ") + e.what());
        } catch (...) {
            return set_error(err, XC_ERR_OTHER, "unknown exception");
        }
    } catch (...) {
        /* Formatting the message failed (no memory): keep a code. */
        if (err) {
            err->code = XC_ERR_NO_MEMORY;
            std::snprintf(err->message, sizeof err->message,
                          "std::bad_alloc: out of memory");
        }
        return XC_ERR_NO_MEMORY;
    }
}

static void clear(xc_error *err)
{
    if (err) {
        err->code = XC_OK;
        err->message[0] = '\0';
    }
}

/* Run f() (returning an int/long status) with every exception turned into
 * a negative xc_status. Clears err first so success leaves XC_OK. */
template <typename F>
static auto guard(xc_error *err, F f) -> decltype(f())
{
    clear(err);
    try {
        return f();
    } catch (...) {
        return translate(err);
    }
}

/* Like guard() for constructors: NULL on any exception. */
template <typename F>
static auto guard_ptr(xc_error *err, F f) -> decltype(f())
{
    clear(err);
    try {
        return f();
    } catch (...) {
        translate(err);
        return nullptr;
    }
}

/* Copy s into a fresh malloc'd NUL-terminated buffer (*out), length in *len
 * if len is non-NULL. Throws std::bad_alloc when malloc fails. */
static void dup_out(const std::string &s, char **out, size_t *len)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p) throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    *out = p;
    if (len) *len = s.size();
}

/* A (ptr, len) byte string is valid if ptr is non-NULL or len is 0. */
static bool valid_bytes(const char *p, size_t len) { return p || len == 0; }
static std::string bytes(const char *p, size_t len) { return len ? std::string(p, len) : std::string(); }

/* ---- shared read-side helpers (Database and WritableDatabase) ----------- */

static int find_term(const Xapian::Database &db, const char *term, size_t len,
                     xc_docid *docid, xc_error *err)
{
    if (!term || len == 0 || !docid) return bad_arg(err, "find_term: NULL or empty argument");
    return guard(err, [&] {
        Xapian::PostingIterator it = db.postlist_begin(std::string(term, len));
        if (it == db.postlist_end(std::string(term, len))) return 0;
        *docid = *it;
        return 1;
    });
}

static int get_document(const Xapian::Database &db, xc_docid did,
                        xc_document **out, xc_error *err)
{
    if (!out) return bad_arg(err, "get_document: out is NULL");
    *out = nullptr;
    if (did == 0) return set_error(err, XC_ERR_DOC_NOT_FOUND, "DocNotFoundError: docid 0 is invalid");
    return guard(err, [&] {
        std::unique_ptr<xc_document> d(new xc_document{db.get_document(did)});
        *out = d.release();
        return 0;
    });
}

/* ---- misc ---------------------------------------------------------------- */

extern "C" void xc_error_clear(xc_error *err) { clear(err); }

extern "C" const char *xc_version(void) { return Xapian::version_string(); }

/* ---- read-only database -------------------------------------------------- */

extern "C" xc_database *xc_database_open(const char *path, xc_error *err)
{
    if (!path) {
        bad_arg(err, "xc_database_open: path is NULL");
        return nullptr;
    }
    return guard_ptr(err, [&] { return new xc_database{Xapian::Database(path), {}, {}}; });
}

extern "C" xc_database *xc_database_open_shards(const char *const *paths, size_t n,
                                                xc_error *err)
{
    if (!paths || n == 0) {
        bad_arg(err, "xc_database_open_shards: no shards");
        return nullptr;
    }
    for (size_t i = 0; i < n; i++)
        if (!paths[i]) {
            bad_arg(err, "xc_database_open_shards: a path is NULL");
            return nullptr;
        }
    return guard_ptr(err, [&] {
        std::unique_ptr<xc_database> d(new xc_database{Xapian::Database(), {}, {}});
        for (size_t i = 0; i < n; i++) {
            d->shards.emplace_back(paths[i]);
            d->db.add_database(d->shards.back());
        }
        return d.release();
    });
}

extern "C" void xc_database_close(xc_database *db) { delete db; }

extern "C" int xc_database_reopen(xc_database *db, xc_error *err)
{
    if (!db) return bad_arg(err, "xc_database_reopen: db is NULL");
    return guard(err, [&] { return db->db.reopen() ? 1 : 0; });
}

/* How many single-shard databases db is known to read, one by one: its
 * shards when opened from a list, else db itself when it has one
 * sub-database; 0 when neither (a stub path listing several), whose
 * revisions, value streams and docids Xapian does not give shard by shard.
 * The k-th is known_shard(db, k). */
static size_t known_shards(const xc_database *db)
{
    return !db->shards.empty() ? db->shards.size() : db->db.size() == 1 ? 1 : 0;
}

static const Xapian::Database &known_shard(const xc_database *db, size_t k)
{
    return db->shards.empty() ? db->db : db->shards[k];
}

/* Called before every split search (searcher.c): compares in place,
 * copying no handles. */
extern "C" int xc_database_same_revision(xc_database *a, xc_database *b, xc_error *err)
{
    if (!a || !b) return bad_arg(err, "xc_database_same_revision: NULL argument");
    return guard(err, [&] {
        size_t n = known_shards(a);
        if (n == 0 || known_shards(b) == 0)
            throw Xapian::InvalidOperationError(
                "xc_database_same_revision: the shards' revisions are unknown (opened from a stub)");
        if (known_shards(b) != n) return 0;
        for (size_t k = 0; k < n; k++) {
            const Xapian::Database &x = known_shard(a, k), &y = known_shard(b, k);
            if (x.get_uuid() != y.get_uuid() || x.get_revision() != y.get_revision()) return 0;
        }
        return 1;
    });
}

extern "C" int xc_database_stats(xc_database *db, xc_db_stats *out, xc_error *err)
{
    if (!db || !out) return bad_arg(err, "xc_database_stats: NULL argument");
    return guard(err, [&] {
        xc_db_stats s;
        s.doccount = db->db.get_doccount();
        s.lastdocid = db->db.get_lastdocid();
        s.avlength = db->db.get_avlength();
        s.total_length = db->db.get_total_length();
        s.has_positions = db->db.has_positions() ? 1 : 0;
        *out = s;
        return 0;
    });
}

extern "C" int xc_database_termfreq(xc_database *db, const char *term, size_t len,
                                    uint32_t *out, xc_error *err)
{
    if (!db || !term || len == 0 || !out)
        return bad_arg(err, "xc_database_termfreq: NULL or empty argument");
    return guard(err, [&] {
        *out = db->db.get_termfreq(std::string(term, len));
        return 0;
    });
}

extern "C" int xc_database_find_term(xc_database *db, const char *term, size_t len,
                                     xc_docid *docid, xc_error *err)
{
    if (!db) return bad_arg(err, "xc_database_find_term: db is NULL");
    return find_term(db->db, term, len, docid, err);
}

extern "C" int xc_database_get_document(xc_database *db, xc_docid did,
                                        xc_document **out, xc_error *err)
{
    if (!db) return bad_arg(err, "xc_database_get_document: db is NULL");
    return get_document(db->db, did, out, err);
}

extern "C" int xc_database_get_metadata(xc_database *db, const char *key, char **out,
                                        size_t *len, xc_error *err)
{
    if (!db || !key || !out) return bad_arg(err, "xc_database_get_metadata: NULL argument");
    return guard(err, [&] {
        dup_out(db->db.get_metadata(key), out, len);
        return 0;
    });
}

extern "C" int xc_wdb_get_metadata(xc_wdb *db, const char *key, char **out, size_t *len,
                                   xc_error *err)
{
    if (!db || !key || !out) return bad_arg(err, "xc_wdb_get_metadata: NULL argument");
    return guard(err, [&] {
        dup_out(db->db.get_metadata(key), out, len);
        return 0;
    });
}

/* 1 if `db`'s document `did` has terms[0..n) at consecutive positions,
 * the first below `limit`, else 0 (also when it lacks one of them). */
static bool has_phrase_before(const Xapian::Database &db, Xapian::docid did,
                              const std::vector<std::string> &terms, Xapian::termpos limit)
{
    if (terms.empty()) return false;
    std::vector<Xapian::PositionIterator> it;
    const Xapian::PositionIterator end;
    for (const std::string &t : terms) {
        it.push_back(db.positionlist_begin(did, t));
        if (it.back() == end) return false;
    }
    for (; it[0] != end && *it[0] < limit; ++it[0]) {
        Xapian::termpos p = *it[0];
        size_t k = 1;
        for (; k < it.size(); k++) {
            it[k].skip_to(p + (Xapian::termpos)k);
            if (it[k] == end) return false;
            if (*it[k] != p + k) break;
        }
        if (k == it.size()) return true;
    }
    return false;
}

/* 0 when terms[0..n) are n >= 1 strings, else an invalid-argument status
 * (in err) naming `fn`: the phrase_before functions' check. */
static int check_phrase_terms(const char *const *terms, size_t n, const char *fn, xc_error *err)
{
    const char *why = !terms || n == 0 ? "NULL or empty argument" : nullptr;
    for (size_t i = 0; !why && i < n; i++)
        if (!terms[i]) why = "a term is NULL";
    if (!why) return 0;
    char msg[96];
    std::snprintf(msg, sizeof msg, "%s: %s", fn, why);
    return bad_arg(err, msg);
}

/* The terms in a row (at p, p+1, ...) with p < limit, in document did. */
extern "C" int xc_database_phrase_before(xc_database *db, xc_docid did,
                                         const char *const *terms, size_t n,
                                         uint32_t limit, xc_error *err)
{
    if (!db) return bad_arg(err, "xc_database_phrase_before: NULL or empty argument");
    int rc = check_phrase_terms(terms, n, "xc_database_phrase_before", err);
    if (rc < 0) return rc;
    return guard(err, [&]() -> int {
        return has_phrase_before(db->db, did, std::vector<std::string>(terms, terms + n), limit);
    });
}

/* Calls fn for each term of db beginning with prefix (NULL means "": all
 * terms); shared by the read-only and the writable database (a
 * WritableDatabase is a Database). */
static long each_term(const Xapian::Database &db, const char *prefix, xc_term_fn fn, void *ud)
{
    const std::string pfx = prefix ? prefix : "";
    long n = 0;
    for (Xapian::TermIterator it = db.allterms_begin(pfx); it != db.allterms_end(pfx); ++it) {
        const std::string t = *it;
        ++n;
        if (fn(t.data(), t.size(), it.get_termfreq(), ud)) break;
    }
    return n;
}

extern "C" long xc_database_allterms(xc_database *db, const char *prefix, xc_term_fn fn,
                                     void *ud, xc_error *err)
{
    if (!db || !fn) return bad_arg(err, "xc_database_allterms: NULL argument");
    return guard(err, [&]() -> long { return each_term(db->db, prefix, fn, ud); });
}

/* Terms of a writable database (uncommitted changes included). Do not
 * modify the database from fn: collect, then change. */
extern "C" long xc_wdb_allterms(xc_wdb *db, const char *prefix, xc_term_fn fn,
                                void *ud, xc_error *err)
{
    if (!db || !fn) return bad_arg(err, "xc_wdb_allterms: NULL argument");
    return guard(err, [&]() -> long { return each_term(db->db, prefix, fn, ud); });
}

extern "C" int xc_database_spelling(xc_database *db, const char *word, unsigned max_edit,
                                    char **out, xc_error *err)
{
    if (!db || !word || !out) return bad_arg(err, "xc_database_spelling: NULL argument");
    return guard(err, [&] {
        dup_out(db->db.get_spelling_suggestion(word, max_edit), out, nullptr);
        return 0;
    });
}

/* ---- writable database ------------------------------------------------- */

extern "C" xc_wdb *xc_wdb_open(const char *path, int mode, xc_error *err)
{
    int action;
    switch (mode & ~XC_DB_NO_SYNC) {
    case XC_DB_CREATE_OR_OPEN: action = Xapian::DB_CREATE_OR_OPEN; break;
    case XC_DB_CREATE_OR_OVERWRITE: action = Xapian::DB_CREATE_OR_OVERWRITE; break;
    case XC_DB_OPEN: action = Xapian::DB_OPEN; break;
    default:
        bad_arg(err, "xc_wdb_open: unknown mode");
        return nullptr;
    }
    if (!path) {
        bad_arg(err, "xc_wdb_open: path is NULL");
        return nullptr;
    }
    return guard_ptr(err, [&] {
        int flags = (mode & XC_DB_NO_SYNC) ? Xapian::DB_NO_SYNC : 0;
        return new xc_wdb{Xapian::WritableDatabase(path, action | flags | Xapian::DB_BACKEND_GLASS)};
    });
}

extern "C" void xc_wdb_close(xc_wdb *db)
{
    if (!db) return;
    try {
        db->db.commit();
    } catch (...) {
        /* Documented: errors on close are dropped. */
    }
    try {
        db->db.close();
    } catch (...) {
    }
    delete db;
}

/* Adds `idterm` as a boolean term when the document lacks it, so the next
 * replace by the same term finds this document (no duplicates). */
extern "C" int xc_wdb_replace_by_term(xc_wdb *db, const char *idterm, size_t len,
                                      const xc_document *doc, xc_docid *did,
                                      xc_error *err)
{
    if (!db || !idterm || len == 0 || !doc)
        return bad_arg(err, "xc_wdb_replace_by_term: NULL or empty argument");
    return guard(err, [&] {
        const std::string term(idterm, len);
        Xapian::Document d = doc->doc;  /* shares the caller's document */
        Xapian::TermIterator t = d.termlist_begin();
        t.skip_to(term);
        if (t == d.termlist_end() || *t != term) d.add_boolean_term(term);
        Xapian::docid id = db->db.replace_document(term, d);
        if (did) *did = id;
        return 0;
    });
}

extern "C" int xc_wdb_delete_by_term(xc_wdb *db, const char *idterm, size_t len,
                                     xc_error *err)
{
    if (!db || !idterm || len == 0)
        return bad_arg(err, "xc_wdb_delete_by_term: NULL or empty argument");
    return guard(err, [&] {
        db->db.delete_document(std::string(idterm, len));
        return 0;
    });
}

extern "C" int xc_wdb_commit(xc_wdb *db, xc_error *err)
{
    if (!db) return bad_arg(err, "xc_wdb_commit: db is NULL");
    return guard(err, [&] {
        db->db.commit();
        return 0;
    });
}

/* An empty value (len 0) deletes the key. */
extern "C" int xc_wdb_set_metadata(xc_wdb *db, const char *key, const char *value,
                                   size_t len, xc_error *err)
{
    if (!db || !key || !valid_bytes(value, len))
        return bad_arg(err, "xc_wdb_set_metadata: NULL argument");
    return guard(err, [&] {
        db->db.set_metadata(key, bytes(value, len));
        return 0;
    });
}

extern "C" int xc_wdb_add_spelling(xc_wdb *db, const char *word, size_t len,
                                   unsigned freqinc, xc_error *err)
{
    if (!db || !word || len == 0)
        return bad_arg(err, "xc_wdb_add_spelling: NULL or empty argument");
    return guard(err, [&] {
        db->db.add_spelling(std::string(word, len), freqinc);
        return 0;
    });
}

extern "C" int xc_wdb_find_term(xc_wdb *db, const char *term, size_t len,
                                xc_docid *docid, xc_error *err)
{
    if (!db) return bad_arg(err, "xc_wdb_find_term: db is NULL");
    return find_term(db->db, term, len, docid, err);
}

extern "C" int xc_wdb_get_document(xc_wdb *db, xc_docid did, xc_document **out,
                                   xc_error *err)
{
    if (!db) return bad_arg(err, "xc_wdb_get_document: db is NULL");
    return get_document(db->db, did, out, err);
}

extern "C" int xc_wdb_doccount(xc_wdb *db, uint32_t *out, xc_error *err)
{
    if (!db || !out) return bad_arg(err, "xc_wdb_doccount: NULL argument");
    return guard(err, [&] {
        *out = db->db.get_doccount();
        return 0;
    });
}

/* Docids are renumbered: shard i's documents follow shard i-1's. */
extern "C" int xc_compact(const char *const *srcs, size_t n, const char *dest,
                          xc_error *err)
{
    if (!srcs || n == 0 || !dest) return bad_arg(err, "xc_compact: no sources or no dest");
    for (size_t i = 0; i < n; i++)
        if (!srcs[i]) return bad_arg(err, "xc_compact: NULL source path");
    return guard(err, [&] {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++) all.add_database(Xapian::Database(srcs[i]));
        all.compact(dest, Xapian::DBCOMPACT_MULTIPASS | Xapian::DB_BACKEND_GLASS);
        return 0;
    });
}

/* ---- documents ------------------------------------------------------------ */

extern "C" xc_document *xc_document_new(xc_error *err)
{
    return guard_ptr(err, [] { return new xc_document{Xapian::Document()}; });
}

extern "C" void xc_document_free(xc_document *doc) { delete doc; }

extern "C" int xc_document_set_data(xc_document *doc, const char *data, size_t len,
                                    xc_error *err)
{
    if (!doc || !valid_bytes(data, len)) return bad_arg(err, "xc_document_set_data: NULL argument");
    return guard(err, [&] {
        doc->doc.set_data(bytes(data, len));
        return 0;
    });
}

extern "C" int xc_document_get_data(const xc_document *doc, char **out, size_t *len,
                                    xc_error *err)
{
    if (!doc || !out) return bad_arg(err, "xc_document_get_data: NULL argument");
    return guard(err, [&] {
        dup_out(doc->doc.get_data(), out, len);
        return 0;
    });
}

extern "C" int xc_document_add_posting(xc_document *doc, const char *term, size_t len,
                                       uint32_t pos, uint32_t wdfinc, xc_error *err)
{
    if (!doc || !term || len == 0)
        return bad_arg(err, "xc_document_add_posting: NULL or empty argument");
    return guard(err, [&] {
        doc->doc.add_posting(std::string(term, len), pos, wdfinc);
        return 0;
    });
}

extern "C" int xc_document_add_term(xc_document *doc, const char *term, size_t len,
                                    uint32_t wdfinc, xc_error *err)
{
    if (!doc || !term || len == 0)
        return bad_arg(err, "xc_document_add_term: NULL or empty argument");
    return guard(err, [&] {
        doc->doc.add_term(std::string(term, len), wdfinc);
        return 0;
    });
}

extern "C" int xc_document_add_boolean_term(xc_document *doc, const char *term,
                                            size_t len, xc_error *err)
{
    if (!doc || !term || len == 0)
        return bad_arg(err, "xc_document_add_boolean_term: NULL or empty argument");
    return guard(err, [&] {
        doc->doc.add_boolean_term(std::string(term, len));
        return 0;
    });
}

/* Sets (replaces) the value in `slot`; an empty value clears it. */
extern "C" int xc_document_add_value(xc_document *doc, xc_slot slot, const char *val,
                                     size_t len, xc_error *err)
{
    if (!doc || !valid_bytes(val, len) || slot == Xapian::BAD_VALUENO)
        return bad_arg(err, "xc_document_add_value: NULL argument or bad slot");
    return guard(err, [&] {
        doc->doc.add_value(slot, bytes(val, len));
        return 0;
    });
}

extern "C" int xc_document_get_value(const xc_document *doc, xc_slot slot, char **out,
                                     size_t *len, xc_error *err)
{
    if (!doc || !out || slot == Xapian::BAD_VALUENO)
        return bad_arg(err, "xc_document_get_value: NULL argument or bad slot");
    return guard(err, [&] {
        dup_out(doc->doc.get_value(slot), out, len);
        return 0;
    });
}

/* 0 for a NULL or never-stored document. */
extern "C" xc_docid xc_document_docid(const xc_document *doc)
{
    if (!doc) return 0;
    try {
        return doc->doc.get_docid();
    } catch (...) {
        return 0;
    }
}

/* Reports each term's wdf (within-document frequency) as the count: a
 * document being built has no term frequencies yet. NULL prefix = "". */
extern "C" long xc_document_terms(const xc_document *doc, const char *prefix,
                                  xc_term_fn fn, void *ud, xc_error *err)
{
    if (!doc || !fn) return bad_arg(err, "xc_document_terms: NULL argument");
    return guard(err, [&]() -> long {
        const std::string pfx = prefix ? prefix : "";
        long n = 0;
        Xapian::TermIterator it = doc->doc.termlist_begin();
        if (!pfx.empty()) it.skip_to(pfx);
        for (; it != doc->doc.termlist_end(); ++it) {
            const std::string t = *it;
            if (t.compare(0, pfx.size(), pfx) != 0) break;
            ++n;
            if (fn(t.data(), t.size(), it.get_wdf(), ud)) break;
        }
        return n;
    });
}

/* ---- queries ---------------------------------------------------------------- */

extern "C" xc_query *xc_query_term(const char *term, size_t len, uint32_t wqf,
                                   uint32_t pos, xc_error *err)
{
    /* Xapian reads an empty term as "match all": refuse it instead. */
    if (!term || len == 0) {
        bad_arg(err, "xc_query_term: NULL or empty term");
        return nullptr;
    }
    return guard_ptr(err, [&] { return new xc_query{Xapian::Query(std::string(term, len), wqf, pos)}; });
}

/* Takes the operator as a plain int: a C caller may pass any number, and
 * reading an out-of-range value as the C++ enum type is undefined. */
static bool map_op(int op, Xapian::Query::op *out)
{
    switch (op) {
    case XC_OP_AND: *out = Xapian::Query::OP_AND; return true;
    case XC_OP_OR: *out = Xapian::Query::OP_OR; return true;
    case XC_OP_AND_NOT: *out = Xapian::Query::OP_AND_NOT; return true;
    case XC_OP_AND_MAYBE: *out = Xapian::Query::OP_AND_MAYBE; return true;
    case XC_OP_FILTER: *out = Xapian::Query::OP_FILTER; return true;
    case XC_OP_PHRASE: *out = Xapian::Query::OP_PHRASE; return true;
    case XC_OP_NEAR: *out = Xapian::Query::OP_NEAR; return true;
    case XC_OP_SYNONYM: *out = Xapian::Query::OP_SYNONYM; return true;
    case XC_OP_ELITE_SET: *out = Xapian::Query::OP_ELITE_SET; return true;
    case XC_OP_MAX: *out = Xapian::Query::OP_MAX; return true;
    }
    return false;
}

/* 1 if q has a PHRASE or NEAR anywhere in it. */
static bool has_positional(const Xapian::Query &q)
{
    Xapian::Query::op t = q.get_type();
    if (t == Xapian::Query::OP_PHRASE || t == Xapian::Query::OP_NEAR) return true;
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        if (has_positional(q.get_subquery(i))) return true;
    return false;
}

/* "first, boosted by the rest" when first has positional filters: as
 * AND(first, OR(rest, 0 * MatchAll)), which matches and weighs exactly as
 * AND_MAYBE does. Xapian checks a phrase's positions only on candidates
 * whose weight could still make the results (SelectPostList::vet), but
 * AND_MAYBE lowers the weight it asks of its first by the most the rest
 * could add, which for boosts on common words leaves nothing to skip on:
 * every article holding the phrase's words gets its positions read. Inside
 * the AND the phrase is asked for the full weight, boosts included. On
 * 350k synthetic articles, "tù những người" with its exact-form and title
 * boosts, top 32: 121 ms as AND_MAYBE, 36 ms this way, the same results
 * and weights. (Without positions there is nothing to skip, and AND_MAYBE
 * stays.) */
static Xapian::Query boosted(const std::vector<Xapian::Query> &qs)
{
    using Q = Xapian::Query;
    if (qs.size() < 2 || !has_positional(qs[0]))
        return Q(Q::OP_AND_MAYBE, qs.begin(), qs.end());
    std::vector<Q> rest(qs.begin() + 1, qs.end());
    rest.push_back(Q(Q::OP_SCALE_WEIGHT, Q::MatchAll, 0));
    return Q(Q::OP_AND, qs[0], Q(Q::OP_OR, rest.begin(), rest.end()));
}

/* Xapian's n-ary constructor already gives the documented meanings:
 * AND_NOT = first minus any other, AND_MAYBE = first boosted by the rest,
 * FILTER = AND weighted by the first only. `window` is passed only to the
 * operators that take a parameter (Xapian rejects it elsewhere); for
 * ELITE_SET it is the set size. */
extern "C" xc_query *xc_query_combine(xc_op op, xc_query *const *subs, size_t n,
                                      uint32_t window, xc_error *err)
{
    static_assert(sizeof(xc_op) == sizeof(int), "xc_op is int-sized");
    int raw;
    std::memcpy(&raw, &op, sizeof raw);
    Xapian::Query::op xop;
    if (!map_op(raw, &xop)) {
        bad_arg(err, "xc_query_combine: unknown operator");
        return nullptr;
    }
    if (n > 0 && !subs) {
        bad_arg(err, "xc_query_combine: subs is NULL");
        return nullptr;
    }
    for (size_t i = 0; i < n; i++) {
        if (!subs[i]) {
            bad_arg(err, "xc_query_combine: NULL subquery");
            return nullptr;
        }
    }
    return guard_ptr(err, [&] {
        std::vector<Xapian::Query> qs;
        qs.reserve(n);
        for (size_t i = 0; i < n; i++) qs.push_back(subs[i]->q);
        if (raw == XC_OP_AND_MAYBE) return new xc_query{boosted(qs)};
        bool takes_param = raw == XC_OP_PHRASE || raw == XC_OP_NEAR || raw == XC_OP_ELITE_SET;
        return new xc_query{Xapian::Query(xop, qs.begin(), qs.end(), takes_param ? window : 0)};
    });
}

extern "C" xc_query *xc_query_wildcard(const char *prefix, size_t len,
                                       uint32_t max_expansion, xc_error *err)
{
    /* An empty prefix would expand to every term in the database. */
    if (!prefix || len == 0) {
        bad_arg(err, "xc_query_wildcard: NULL or empty prefix");
        return nullptr;
    }
    /* With LIMIT_MOST_FREQUENT a limit of 0 keeps no terms at all, so
     * "unlimited" has to use the plain mode (where 0 means no limit). */
    int limit_type = max_expansion ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
                                   : Xapian::Query::WILDCARD_LIMIT_ERROR;
    return guard_ptr(err, [&] {
        return new xc_query{Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(prefix, len),
                                          max_expansion, limit_type, Xapian::Query::OP_SYNONYM)};
    });
}

extern "C" xc_query *xc_query_value_range(xc_slot slot, const char *lo, const char *hi,
                                          xc_error *err)
{
    if (slot == Xapian::BAD_VALUENO) {
        bad_arg(err, "xc_query_value_range: bad slot");
        return nullptr;
    }
    return guard_ptr(err, [&] {
        using Q = Xapian::Query;
        if (lo && hi) return new xc_query{Q(Q::OP_VALUE_RANGE, slot, lo, hi)};
        if (lo) return new xc_query{Q(Q::OP_VALUE_GE, slot, lo)};
        if (hi) return new xc_query{Q(Q::OP_VALUE_LE, slot, hi)};
        return new xc_query{Q::MatchAll};
    });
}

/* A PostingSource over a fixed set of documents, for OP_FILTER. Xapian
 * runs a posting source once per shard (on a clone, init() given that
 * shard), with shard-local docids; the set holds global docids of the
 * whole (stub) database, which interleaves its shards: global = (local-1)
 * * nshards + shard + 1. A shard is recognised by its UUID, the whole
 * database's UUID being its shards' UUIDs joined by ':'. */
class DocidSetSource : public Xapian::PostingSource {
    std::shared_ptr<const std::vector<Xapian::docid>> global;   /* sorted */
    std::shared_ptr<const std::vector<std::string>> shards;     /* UUIDs */
    std::vector<Xapian::docid> local;
    size_t pos = 0;
    bool started = false;
    Xapian::doccount count = 0;   /* local.size(), for the frequency bounds */

  public:
    DocidSetSource(std::shared_ptr<const std::vector<Xapian::docid>> g,
                   std::shared_ptr<const std::vector<std::string>> s)
        : global(std::move(g)), shards(std::move(s)) {}

    void init(const Xapian::Database &db) override {
        size_t n = shards->size(), k = 0;
        if (n > 1) {
            const std::string uuid = db.get_uuid();
            while (k < n && (*shards)[k] != uuid) k++;
            if (k == n) throw Xapian::InvalidOperationError("docid set: unknown shard " + uuid);
        }
        local.clear();
        for (Xapian::docid g : *global)
            if (n <= 1) local.push_back(g);
            else if ((g - 1) % n == k) local.push_back((g - 1) / n + 1);
        pos = 0;
        started = false;
        set_maxweight(0);
        count = local.size();
    }
    Xapian::doccount get_termfreq_min() const override { return 0; }   /* some may be gone */
    Xapian::doccount get_termfreq_est() const override { return count; }
    Xapian::doccount get_termfreq_max() const override { return count; }
    void next(double) override {
        if (started) pos++;
        started = true;
    }
    void skip_to(Xapian::docid did, double) override {
        started = true;
        pos = std::lower_bound(local.begin() + pos, local.end(), did) - local.begin();
    }
    bool at_end() const override { return started && pos >= local.size(); }
    Xapian::docid get_docid() const override { return local[pos]; }
    DocidSetSource *clone() const override { return new DocidSetSource(global, shards); }
    /* Named and serialisable so that a query holding the set can be copied
     * for another thread (xc_query_copy_deep, with query_registry()). */
    std::string name() const override { return "xc:docids"; }
    std::string get_description() const override {
        return "xc:docids(" + std::to_string(global->size()) + ")";
    }
    std::string serialise() const override;
    DocidSetSource *unserialise(const std::string &data) const override;
};

/* Appends v as a varint: 7 bits a byte, low bits first, the top bit set
 * on every byte but the last. */
static void put_varint(std::string &out, uint64_t v)
{
    for (; v >= 0x80; v >>= 7) out += (char)(0x80 | (v & 0x7f));
    out += (char)v;
}

/* The varint at *p (advanced past it); throws on a truncated one or one
 * past 64 bits. */
static uint64_t get_varint(const char *&p, const char *end)
{
    uint64_t v = 0;
    for (unsigned shift = 0; p < end && shift < 64; shift += 7) {
        unsigned char c = (unsigned char)*p++;
        if (shift == 63 && (c & 0x7e)) break;   /* bits past the 64th */
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) return v;
    }
    throw Xapian::SerialisationError("bad varint in a serialised posting source");
}

/* Appends v as its count, then each string's length and bytes. */
static void put_strings(std::string &out, const std::vector<std::string> &v)
{
    put_varint(out, v.size());
    for (const std::string &s : v) {
        put_varint(out, s.size());
        out += s;
    }
}

/* The strings put_strings wrote at *p (advanced past them), at least
 * `min` of them. Throws SerialisationError with `bad_count` for a count
 * below min or past the data's size (end - start, the whole serialised
 * source), with `bad_string` for a string running past end. */
static std::shared_ptr<std::vector<std::string>>
get_strings(const char *&p, const char *start, const char *end, uint64_t min,
            const char *bad_count, const char *bad_string)
{
    uint64_t n = get_varint(p, end);
    if (n < min || n > (uint64_t)(end - start)) throw Xapian::SerialisationError(bad_count);
    auto v = std::make_shared<std::vector<std::string>>();
    for (uint64_t i = 0; i < n; i++) {
        uint64_t len = get_varint(p, end);
        if (len > (uint64_t)(end - p)) throw Xapian::SerialisationError(bad_string);
        v->emplace_back(p, (size_t)len);
        p += len;
    }
    return v;
}

/* Serialised: the number of docids, their gaps, the number of shards, and
 * each shard's UUID (its length, then its bytes), all numbers as varints. */
std::string DocidSetSource::serialise() const
{
    std::string out;
    put_varint(out, global->size());
    Xapian::docid prev = 0;
    for (Xapian::docid d : *global) {
        put_varint(out, d - prev);
        prev = d;
    }
    put_strings(out, *shards);
    return out;
}

DocidSetSource *DocidSetSource::unserialise(const std::string &data) const
{
    const char *p = data.data(), *end = p + data.size();
    uint64_t n = get_varint(p, end);
    if (n > data.size()) throw Xapian::SerialisationError("docid set: bad count");
    auto g = std::make_shared<std::vector<Xapian::docid>>();
    g->reserve(n);
    uint64_t d = 0;
    for (uint64_t i = 0; i < n; i++) {
        /* Ascending, distinct, no docid 0, within 32 bits: what the
         * constructor's callers rely on (lower_bound, the shard split). */
        uint64_t gap = get_varint(p, end);
        if (gap == 0 || gap > UINT32_MAX - d)
            throw Xapian::SerialisationError("docid set: docids not ascending or too big");
        d += gap;
        g->push_back((Xapian::docid)d);
    }
    auto s = get_strings(p, data.data(), end, 0, "docid set: bad shard count",
                         "docid set: bad UUID");
    if (p != end) throw Xapian::SerialisationError("docid set: trailing bytes");
    return new DocidSetSource(g, s);
}

/* The documents holding a phrase that starts below a position (corpsearch
 * numbers the title's words from 0 and the body's from 256: a phrase in
 * the title), weightless, for FILTER. In an AND, Xapian asks it about the
 * other subqueries' candidates (check()); driven on its own, it walks the
 * first term's posting list.
 *
 * A check costs ~4 us a document for two words, ten times what Xapian's
 * own phrase check does (bench/position_cost on baomoi's shard: 3.6 against
 * 0.4 us a candidate of "nha bao"): every position list the public API
 * opens (Database::positionlist_begin, and PostingIterator's too) starts a
 * cursor of its own from the root, two preads a word (three at 1M
 * articles), where Xapian's matcher keeps one cursor per word across
 * documents (0.01 preads a candidate). Xapian 1.4 gives no public way to
 * keep one, so the caller should ask it only about documents that already
 * hold the phrase somewhere (query_builder.c). */
class PhraseBeforeSource : public Xapian::PostingSource {
    std::shared_ptr<const std::vector<std::string>> terms;
    Xapian::termpos limit;
    Xapian::Database db;
    Xapian::PostingIterator pl;
    Xapian::docid cur = 0;
    bool started = false, done = false;
    bool valid = false;   /* cur holds the phrase (not after a failed check) */
    Xapian::doccount freq = 0;

    /* Moves to the first match >= from. */
    void advance_from(Xapian::docid from) {
        const Xapian::PostingIterator end;
        started = true;
        pl.skip_to(from);
        while (pl != end && !has_phrase_before(db, *pl, *terms, limit)) ++pl;
        done = pl == end;
        valid = !done;
        if (!done) cur = *pl;
    }

  public:
    PhraseBeforeSource(std::shared_ptr<const std::vector<std::string>> t, Xapian::termpos l)
        : terms(std::move(t)), limit(l) {}

    void init(const Xapian::Database &d) override {
        db = d;
        cur = 0;
        started = done = false;
        set_maxweight(0);
        /* Every document, as far as Xapian's estimates go: in an AND it
         * then never leads, and leaves the AND's estimate that of the rest
         * (which it nearly always matches; its first term's frequency would
         * have divided that estimate by the term's share of the index). */
        freq = db.get_doccount();
        if (terms->empty()) done = started = true;
        else pl = db.postlist_begin((*terms)[0]);
    }
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return freq; }
    Xapian::doccount get_termfreq_max() const override { return freq; }
    std::string get_description() const override {
        std::string d = "xc:phrase-before(";
        for (const std::string &t : *terms) d += t + " ";
        return d + "<" + std::to_string(limit) + ")";
    }
    void next(double) override { advance_from(started ? cur + 1 : 1); }
    void skip_to(Xapian::docid did, double) override {
        if (!started || did > cur) advance_from(did);
        else if (!valid) advance_from(cur + 1);
    }
    /* `did` exists (Xapian's promise): say whether it holds the phrase;
     * when not, next() and skip_to() go on after it. */
    bool check(Xapian::docid did, double) override {
        started = true;
        cur = did;
        valid = has_phrase_before(db, did, *terms, limit);
        return valid;
    }
    bool at_end() const override { return done; }
    Xapian::docid get_docid() const override { return cur; }
    PhraseBeforeSource *clone() const override { return new PhraseBeforeSource(terms, limit); }
    std::string name() const override { return "xc:phrase-before"; }
    std::string serialise() const override {
        std::string out;
        put_varint(out, limit);
        put_strings(out, *terms);
        return out;
    }
    PhraseBeforeSource *unserialise(const std::string &data) const override {
        const char *p = data.data(), *end = p + data.size();
        uint64_t l = get_varint(p, end);
        if (l > UINT32_MAX) throw Xapian::SerialisationError("phrase-before: bad limit or count");
        auto t = get_strings(p, data.data(), end, 1, "phrase-before: bad limit or count",
                             "phrase-before: bad term");
        if (p != end) throw Xapian::SerialisationError("phrase-before: trailing bytes");
        return new PhraseBeforeSource(t, (Xapian::termpos)l);
    }
};

/* The registry that unserialises queries holding the wrapper's named
 * posting sources (docid sets, phrases before a position). */
static const Xapian::Registry &query_registry()
{
    static const Xapian::Registry reg = [] {
        Xapian::Registry r;
        r.register_posting_source(
            DocidSetSource(std::make_shared<std::vector<Xapian::docid>>(),
                           std::make_shared<std::vector<std::string>>()));
        r.register_posting_source(
            PhraseBeforeSource(std::make_shared<std::vector<std::string>>(), 0));
        return r;
    }();
    return reg;
}

/* The shared part of a posting source over a set of docids that a rule
 * gives (no list): `Rule` has first_from(did), the first docid >= did in
 * the set (past `end` when none), and bounds(db), which sets `end`, the
 * last docid that can be in it, and `count`, how many are. Xapian runs a
 * clone per shard, init() given that shard, with its local docids. The
 * rule is called directly (CRTP): next() and skip_to() run per candidate. */
template <typename Rule>
class RuleSource : public Xapian::PostingSource {
  protected:
    Xapian::docid end = 0, cur = 0;
    Xapian::doccount count = 0;
    bool started = false;

  public:
    void init(const Xapian::Database &db) override {
        static_cast<Rule *>(this)->bounds(db);
        cur = 0;
        started = false;
        set_maxweight(0);
    }
    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return count; }
    Xapian::doccount get_termfreq_max() const override { return count; }
    void next(double) override {
        cur = static_cast<const Rule *>(this)->first_from(started ? cur + 1 : 1);
        started = true;
    }
    void skip_to(Xapian::docid did, double) override {
        if (!started || did > cur)
            cur = static_cast<const Rule *>(this)->first_from(did > 1 ? did : 1);
        started = true;
    }
    bool at_end() const override { return started && cur > end; }
    Xapian::docid get_docid() const override { return cur; }
    std::string name() const override { return std::string(); }
};

/* Every stride-th document of a database (docids stride, 2*stride, ...),
 * for counting facets over a sample of a huge match set. */
class StrideSource : public RuleSource<StrideSource> {
    Xapian::docid stride;

  public:
    explicit StrideSource(Xapian::docid s) : stride(s) {}
    void bounds(const Xapian::Database &db) {
        end = db.get_lastdocid();
        count = end / stride;
    }
    Xapian::docid first_from(Xapian::docid did) const {
        return (did + stride - 1) / stride * stride;
    }
    StrideSource *clone() const override { return new StrideSource(stride); }
};

/* A database's docids cut into `blocks` equal runs, of which one in
 * `every` is kept (1 in 16 of 256 runs: 16 runs spread over it). Unlike a stride,
 * whose every skip lands in the same chunk of a posting list, a run costs
 * one seek and reads only its own stretch of the lists: a sixteenth of the
 * docids costs about a sixteenth of a pass. */
class RunsSource : public RuleSource<RunsSource> {
    Xapian::docid blocks, every, run = 1;

  public:
    RunsSource(Xapian::docid nblocks, Xapian::docid keep_every)
        : blocks(nblocks), every(keep_every) {}
    void bounds(const Xapian::Database &db) {
        end = db.get_lastdocid();
        run = end / blocks + 1;
        count = 0;
        for (Xapian::docid b = 0; b * run < end; b += every)
            count += std::min<Xapian::docid>(run, end - b * run);
    }
    /* The first docid >= did in a kept run (past end when none). */
    Xapian::docid first_from(Xapian::docid did) const {
        Xapian::docid b = (did - 1) / run;
        if (b % every == 0) return did;
        b = (b / every + 1) * every;
        return b * run + 1;
    }
    RunsSource *clone() const override { return new RunsSource(blocks, every); }
};

/* Part `part` of `nparts` equal stretches of a database's docids (on each
 * shard, of its own docids), for counting facets in parts, one thread
 * each: a part's posting lists are read from its own stretch on. */
class PartSource : public RuleSource<PartSource> {
    unsigned part, nparts;
    Xapian::docid lo = 1;

  public:
    PartSource(unsigned p, unsigned n) : part(p), nparts(n) {}
    void bounds(const Xapian::Database &db) {
        uint64_t last = db.get_lastdocid();
        lo = (Xapian::docid)(last * part / nparts) + 1;
        end = (Xapian::docid)(last * (part + 1) / nparts);
        count = end >= lo ? end - lo + 1 : 0;
    }
    Xapian::docid first_from(Xapian::docid did) const { return did > lo ? did : lo; }
    PartSource *clone() const override { return new PartSource(part, nparts); }
};

/* q over part `part` of `nparts` (PartSource). */
static Xapian::Query in_part(const Xapian::Query &q, unsigned part, unsigned nparts)
{
    return Xapian::Query(Xapian::Query::OP_FILTER, q,
                         Xapian::Query((new PartSource(part, nparts))->release()));
}

extern "C" xc_query *xc_query_part(const xc_query *q, unsigned part, unsigned nparts,
                                   xc_error *err)
{
    if (!q || nparts == 0 || part >= nparts) {
        bad_arg(err, "xc_query_part: NULL query or bad part");
        return nullptr;
    }
    return guard_ptr(err, [&] { return new xc_query{in_part(q->q, part, nparts)}; });
}

/* The documents with the given (global) docids; unknown ones match nothing. */
extern "C" xc_query *xc_query_docids(xc_database *db, const xc_docid *ids, size_t n,
                                     xc_error *err)
{
    if (!db || (!ids && n)) {
        bad_arg(err, "xc_query_docids: NULL argument");
        return nullptr;
    }
    return guard_ptr(err, [&] {
        auto g = std::make_shared<std::vector<Xapian::docid>>(ids, ids + n);
        std::sort(g->begin(), g->end());
        g->erase(std::unique(g->begin(), g->end()), g->end());
        if (!g->empty() && g->front() == 0) g->erase(g->begin());   /* no docid 0 */
        auto s = std::make_shared<std::vector<std::string>>();
        size_t nshards = db->db.size();
        if (nshards > 1) {
            const std::string all = db->db.get_uuid();
            size_t start = 0;
            while (start <= all.size()) {
                size_t end = all.find(':', start);
                if (end == std::string::npos) end = all.size();
                s->push_back(all.substr(start, end - start));
                start = end + 1;
            }
            if (s->size() != nshards)
                throw Xapian::InvalidOperationError("docid set: shards without UUIDs");
        } else {
            s->push_back(std::string());
        }
        DocidSetSource *src = new DocidSetSource(g, s);
        return new xc_query{Xapian::Query(src->release())};
    });
}

extern "C" xc_query *xc_query_phrase_before(const char *const *terms, size_t n,
                                            uint32_t limit, xc_error *err)
{
    if (check_phrase_terms(terms, n, "xc_query_phrase_before", err) < 0) return nullptr;
    return guard_ptr(err, [&] {
        auto t = std::make_shared<const std::vector<std::string>>(terms, terms + n);
        return new xc_query{Xapian::Query((new PhraseBeforeSource(t, limit))->release())};
    });
}

extern "C" xc_query *xc_query_scale(const xc_query *q, double factor, xc_error *err)
{
    if (!q || !(factor >= 0) || std::isinf(factor)) {
        bad_arg(err, "xc_query_scale: NULL query or factor not finite and >= 0");
        return nullptr;
    }
    return guard_ptr(err, [&] {
        return new xc_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor)};
    });
}

extern "C" xc_query *xc_query_match_all(xc_error *err)
{
    return guard_ptr(err, [] { return new xc_query{Xapian::Query::MatchAll}; });
}

/* 1 for the empty query (matches nothing) and for NULL. */
extern "C" int xc_query_is_empty(const xc_query *q)
{
    return !q || q->q.empty();
}

/* NULL on a NULL query or out of memory. */
extern "C" char *xc_query_describe(const xc_query *q)
{
    if (!q) return nullptr;
    try {
        char *out;
        dup_out(q->q.get_description(), &out, nullptr);
        return out;
    } catch (...) {
        return nullptr;
    }
}

extern "C" xc_query *xc_query_copy_deep(const xc_query *q, xc_error *err)
{
    if (!q) {
        bad_arg(err, "xc_query_copy_deep: NULL query");
        return nullptr;
    }
    return guard_ptr(err, [&] {
        return new xc_query{Xapian::Query::unserialise(q->q.serialise(), query_registry())};
    });
}

extern "C" void xc_query_free(xc_query *q) { delete q; }

/* ---- searching -------------------------------------------------------------- */

extern "C" xc_enquire *xc_enquire_new(xc_database *db, xc_error *err)
{
    if (!db) {
        bad_arg(err, "xc_enquire_new: db is NULL");
        return nullptr;
    }
    return guard_ptr(err, [&] { return new xc_enquire(db->db); });
}

extern "C" void xc_enquire_free(xc_enquire *enq) { delete enq; }

extern "C" int xc_enquire_set_query(xc_enquire *enq, const xc_query *q, xc_error *err)
{
    if (!enq || !q) return bad_arg(err, "xc_enquire_set_query: NULL argument");
    return guard(err, [&] {
        enq->enq.set_query(q->q);
        return 0;
    });
}

/* Negative or NaN parameters, or b > 1, are refused (Xapian would silently
 * clamp them, hiding a caller's bug). */
extern "C" int xc_enquire_set_bm25(xc_enquire *enq, double k1, double k2, double k3,
                                   double b, double min_normlen, xc_error *err)
{
    if (!enq) return bad_arg(err, "xc_enquire_set_bm25: enq is NULL");
    if (!(k1 >= 0 && k2 >= 0 && k3 >= 0 && b >= 0 && b <= 1 && min_normlen >= 0))
        return bad_arg(err, "xc_enquire_set_bm25: parameters must be >= 0, b <= 1");
    return guard(err, [&] {
        enq->enq.set_weighting_scheme(Xapian::BM25Weight(k1, k2, k3, b, min_normlen));
        return 0;
    });
}

extern "C" int xc_enquire_set_sort_by_value(xc_enquire *enq, xc_slot slot, int reverse,
                                            xc_error *err)
{
    if (!enq || slot == Xapian::BAD_VALUENO)
        return bad_arg(err, "xc_enquire_set_sort_by_value: NULL enquire or bad slot");
    return guard(err, [&] {
        enq->enq.set_sort_by_value_then_relevance(slot, reverse != 0);
        return 0;
    });
}

extern "C" int xc_enquire_set_sort_by_relevance(xc_enquire *enq, xc_error *err)
{
    if (!enq) return bad_arg(err, "xc_enquire_set_sort_by_relevance: enq is NULL");
    return guard(err, [&] {
        enq->enq.set_sort_by_relevance();
        return 0;
    });
}

/* max == 0 turns collapsing off. */
extern "C" int xc_enquire_set_collapse_key(xc_enquire *enq, xc_slot slot, uint32_t max,
                                           xc_error *err)
{
    if (!enq || slot == Xapian::BAD_VALUENO)
        return bad_arg(err, "xc_enquire_set_collapse_key: NULL enquire or bad slot");
    return guard(err, [&] {
        if (max == 0)
            enq->enq.set_collapse_key(Xapian::BAD_VALUENO);
        else
            enq->enq.set_collapse_key(slot, max);
        return 0;
    });
}

extern "C" xc_facet *xc_enquire_add_facet(xc_enquire *enq, xc_slot slot, char sep,
                                          xc_error *err)
{
    if (!enq || slot == Xapian::BAD_VALUENO) {
        bad_arg(err, "xc_enquire_add_facet: NULL enquire or bad slot");
        return nullptr;
    }
    return guard_ptr(err, [&] {
        /* Make room first so the push_back after add_matchspy cannot throw
         * and leave the Enquire pointing at a freed spy. */
        enq->facets.reserve(enq->facets.size() + 1);
        std::unique_ptr<xc_facet> f(new xc_facet(slot, sep));
        enq->enq.add_matchspy(f.get());
        enq->facets.push_back(std::move(f));
        return enq->facets.back().get();
    });
}

/* Most frequent first, ties by item bytes ascending. fn returning non-zero
 * stops the walk. Returns the number of items reported, or a negative
 * xc_status (NULL argument, out of memory). */
extern "C" long xc_facet_top(const xc_facet *f, size_t max, xc_facet_fn fn, void *ud)
{
    if (!f || !fn) return XC_ERR_INVALID_ARGUMENT;
    try {
        using Item = std::pair<const std::string *, uint32_t>;
        std::vector<Item> items;
        items.reserve(f->counts.size());
        for (const auto &kv : f->counts) items.emplace_back(&kv.first, kv.second);
        auto before = [](const Item &a, const Item &b) {
            if (a.second != b.second) return a.second > b.second;
            return *a.first < *b.first;
        };
        size_t k = (max == 0 || max > items.size()) ? items.size() : max;
        std::partial_sort(items.begin(), items.begin() + k, items.end(), before);
        long n = 0;
        for (size_t i = 0; i < k; i++) {
            ++n;
            if (fn(items[i].first->data(), items[i].first->size(), items[i].second, ud)) break;
        }
        return n;
    } catch (...) {
        return XC_ERR_NO_MEMORY;
    }
}

/* Read the whole value stream of `slot` in `shard` into a column. */
static std::unique_ptr<FacetColumn> build_column(const Xapian::Database &shard,
                                                 Xapian::valueno slot, char sep)
{
    std::unique_ptr<FacetColumn> c(new FacetColumn{slot, sep, shard.get_revision(), {}, {}, {}});
    std::unordered_map<std::string, uint32_t> ids;
    c->start.reserve(shard.get_lastdocid() + 1);
    c->start.push_back(0);
    std::string item;
    std::vector<std::pair<size_t, size_t>> seen;
    for (auto it = shard.valuestream_begin(slot); it != shard.valuestream_end(slot); ++it) {
        while (c->start.size() < it.get_docid()) c->start.push_back((uint32_t)c->items.size());
        const std::string v = *it;
        split_items(v, sep, seen, [&](size_t from, size_t n) {
            item.assign(v, from, n);
            auto ins = ids.emplace(item, (uint32_t)c->names.size());
            if (ins.second) c->names.push_back(item);
            c->items.push_back(ins.first->second);
        });
        c->start.push_back((uint32_t)c->items.size());
    }
    return c;
}

/* The column of `shard` for (slot, sep) when it is worth having, or NULL:
 * read the stream this time. Renting or buying: a column costs about one
 * read of the whole stream, so it is built once the passes at this
 * revision have read the values of as many documents as the shard has
 * (with at least db->col_after passes before; db->col_pct percent of the
 * documents; xc_database_set_facet_cache). A one-off search (the CLI)
 * never pays for it; a shard being written, whose revision moves at every
 * commit, pays at most about twice what reading the stream would have
 * cost. (A sampled pass reads only every k-th document's values but may
 * touch most of the stream, so it counts for less than it cost: the
 * column comes later there, never sooner.) Until this rule the column
 * waited for a revision 5 s old, which a benchmark of a few seconds never
 * reached. */
static const FacetColumn *shard_column(const xc_database *db, ShardCache &sc,
                                       const Xapian::Database &shard, Xapian::valueno slot,
                                       char sep)
{
    Xapian::rev rev = shard.get_revision();
    if (rev != sc.rev || slot != sc.slot || sep != sc.sep || !db->col_after) {
        sc.rev = rev;
        sc.slot = slot;
        sc.sep = sep;
        sc.passes = 0;
        sc.reads = 0;
        sc.col.reset();
    }
    if (!sc.col && db->col_after && sc.passes >= db->col_after &&
        sc.reads * 100 >= (uint64_t)db->col_pct * shard.get_doccount())
        sc.col = build_column(shard, slot, sep);
    sc.passes++;
    return sc.col.get();
}

/* Count f's noted docids, local to `shard` (db's k-th of db->cache.size()),
 * from the shard's column when it is worth having, else its value stream,
 * and note them in f.matched as the whole database numbers them (Xapian
 * interleaves its shards: of n, the k-th's docid d is (d - 1) * n + k + 1). */
static void tally_shard(xc_database *db, size_t k, const Xapian::Database &shard, xc_facet &f)
{
    size_t n = db->cache.size();
    if (f.matched_known)
        for (Xapian::docid d : f.dids) f.matched.push_back((Xapian::docid)((d - 1) * n + k + 1));
    const FacetColumn *col = shard_column(db, db->cache[k], shard, f.slot, f.sep);
    if (col) {
        f.tally(*col);
    } else {
        db->cache[k].reads += f.dids.size();
        f.tally(shard);
    }
}

/* probe_matches counts one docid in PROBE_ONE_IN (in runs of them). */
#define PROBE_ONE_IN 16

/* The matches of q, estimated by counting them on one docid in
 * PROBE_ONE_IN (RunsSource: a weightless pass over a sixteenth of the
 * candidates). For a phrase, Xapian's estimate is a fixed share of the
 * articles holding all its words, far too high for a rare phrase ("cong
 * dung" at 350k synthetic articles: 60,000 for 1,829), and acting on it
 * cost twice an exact count: a sample, then a second pass for the docids
 * off the stride, each walking the words' posting lists about as far as
 * one pass over all does. On five such phrases (bench_query with facets),
 * 191 ms at the median before, 115 ms with the probe; 96 ms counting them
 * in one pass without one. The probe is only run on an estimate above the
 * limit: below it, its ~10 ms on a 30 ms count was not worth it. */
static Xapian::doccount probe_matches(const Xapian::Database &db, const Xapian::Query &q)
{
    /* Xapian runs the source on each shard, with that shard's docids. */
    Xapian::Enquire e(db);
    e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q,
                              Xapian::Query((new RunsSource(256, PROBE_ONE_IN))->release())));
    e.set_weighting_scheme(Xapian::BoolWeight());
    return e.get_mset(0, 0, db.get_doccount()).get_matches_lower_bound() * PROBE_ONE_IN;
}

/* One weightless pass per shard, so the spy's docids name documents of a
 * known shard and the values come from that shard (column or value
 * stream). A database opened from a stub path (shards unknown) gets one
 * pass over the whole with each value looked up by the spy.
 *
 * Past max_docs matches (Xapian's estimate, which costs no pass; for a
 * phrase above max_docs, a count on a sixteenth of the docids instead:
 * probe_matches), only every k-th docid is looked at (k = estimate /
 * max_docs, rounded up) and the counts are multiplied by k: a query
 * matching most of a million articles would otherwise visit them all.
 * Docids follow indexing order, which has nothing to do with the facets,
 * so the stride is a fair sample.
 * When the sample shows the estimate was far off (k times what it saw is
 * within max_docs), the matches are counted exactly after all: the sample
 * already holds every k-th docid's, so a second pass counts the others.
 * That pass filters by the docids off the stride (FILTER, so Xapian checks
 * phrase positions only on those; a query AND_NOT the stride checks them
 * on every candidate). The two passes together cost about twice one pass
 * over all, which is why phrases are probed first. */
extern "C" xc_facet *xc_facet_count(xc_database *db, const xc_query *q, xc_slot slot,
                                    char sep, uint32_t max_docs, xc_error *err)
{
    return xc_facet_count_part(db, q, slot, sep, max_docs, 0, 1, 0, err);
}

/* A part is counted as a whole database would be, over its stretch of the
 * docids (PartSource) with its share of max_docs: the estimate, the probe,
 * the sample and the exact recount all see only the part. */
extern "C" xc_facet *xc_facet_count_part(xc_database *db, const xc_query *q, xc_slot slot,
                                         char sep, uint32_t max_docs, unsigned part,
                                         unsigned nparts, int keep_docids, xc_error *err)
{
    if (!db || !q || slot == Xapian::BAD_VALUENO || nparts == 0 || part >= nparts) {
        bad_arg(err, "xc_facet_count: NULL argument, bad slot or bad part");
        return nullptr;
    }
    return guard_ptr(err, [&] {
        std::unique_ptr<xc_facet> f(new xc_facet(slot, sep));
        f->matched_known = keep_docids;
        const Xapian::Query base = nparts == 1 ? q->q : in_part(q->q, part, nparts);
        Xapian::Query query = base;
        max_docs = max_docs ? (max_docs + nparts - 1) / nparts : 0;
        /* The estimate is a pass of its own (it opens every posting list):
         * not worth it when the whole part fits the limit. */
        if (max_docs && db->db.get_doccount() / nparts > max_docs) {
            Xapian::Enquire e(db->db);
            e.set_query(query);
            e.set_weighting_scheme(Xapian::BoolWeight());
            Xapian::doccount est = e.get_mset(0, 0).get_matches_estimated();
            if (est > max_docs && has_positional(query))
                est = probe_matches(db->db, query);
            if (est > max_docs) {
                f->scale = (est + max_docs - 1) / max_docs;
                query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                      Xapian::Query((new StrideSource(f->scale))->release()));
            }
        }
        auto pass = [&](const Xapian::Database &d) {
            Xapian::Enquire e(d);
            e.set_query(query);
            e.set_weighting_scheme(Xapian::BoolWeight());
            e.add_matchspy(f.get());
            e.get_mset(0, 0, d.get_doccount());
        };
        auto count_all = [&] {
            size_t n = known_shards(db);
            if (n == 0) {
                /* Over several databases, Xapian 1.4 gives the spy
                 * documents numbered as their own database numbers them:
                 * which one is not known, so neither are the matches. */
                f->streamed = false;
                f->matched_known = false;
                pass(db->db);
                return;
            }
            f->streamed = true;
            db->cache.resize(n);
            for (size_t k = 0; k < n; k++) {
                pass(known_shard(db, k));
                tally_shard(db, k, known_shard(db, k), *f);
            }
        };
        count_all();
        /* The estimate can be far too high (phrases of common words): when
         * the sample shows the matches fit the limit after all, count them
         * exactly. */
        if (f->scale > 1 && (uint64_t)f->docs_seen * f->scale <= max_docs) {
            Xapian::Query others(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                                 Xapian::Query((new StrideSource(f->scale))->release()));
            query = Xapian::Query(Xapian::Query::OP_FILTER, base, others);
            f->scale = 1;
            count_all();
        }
        if (f->scale > 1) {
            f->docs_seen *= f->scale;
            for (auto &kv : f->counts) kv.second *= f->scale;
            std::vector<Xapian::docid>().swap(f->matched);   /* only a sample's */
        } else if (f->matched.size() > 1) {   /* the shards' in turn */
            std::sort(f->matched.begin(), f->matched.end());
        }
        return f.release();
    });
}

extern "C" int xc_query_positional(const xc_query *q) { return q && has_positional(q->q); }

extern "C" uint32_t xc_facet_sample(const xc_facet *f) { return f ? f->scale : 0; }

extern "C" long xc_facet_docids(const xc_facet *f, const xc_docid **ids)
{
    bool known = f && f->scale == 1 && f->matched_known;
    if (ids) *ids = known && !f->matched.empty() ? f->matched.data() : nullptr;
    return known ? (long)f->matched.size() : -1;
}

extern "C" int xc_facet_merge(xc_facet *into, const xc_facet *from, xc_error *err)
{
    if (!into || !from) return bad_arg(err, "xc_facet_merge: NULL argument");
    return guard(err, [&] {
        for (const auto &kv : from->counts) into->counts[kv.first] += kv.second;
        into->docs_seen += from->docs_seen;
        into->scale = std::max(into->scale, from->scale);
        into->matched_known = into->matched_known && from->matched_known;
        if (into->scale > 1 || !into->matched_known) {
            std::vector<Xapian::docid>().swap(into->matched);
        } else {
            size_t mid = into->matched.size();
            into->matched.insert(into->matched.end(), from->matched.begin(), from->matched.end());
            std::inplace_merge(into->matched.begin(), into->matched.begin() + mid,
                               into->matched.end());
        }
        return 0;
    });
}

extern "C" void xc_database_set_facet_cache(xc_database *db, unsigned after_counts,
                                            unsigned percent)
{
    if (!db) return;
    db->col_after = after_counts;
    db->col_pct = percent;
}

extern "C" int xc_database_keeps_docids(const xc_database *db)
{
    return db && known_shards(db) > 0;
}

extern "C" uint32_t xc_database_facet_columns(const xc_database *db)
{
    uint32_t n = 0;
    if (db)
        for (const auto &sc : db->cache) n += sc.col != nullptr;
    return n;
}

extern "C" void xc_facet_free(xc_facet *f) { delete f; }

extern "C" uint32_t xc_facet_docs_seen(const xc_facet *f) { return f ? f->docs_seen : 0; }

/* Facet counts restart with each call, so they describe this search only. */
extern "C" xc_mset *xc_enquire_get_mset(xc_enquire *enq, uint32_t first,
                                        uint32_t maxitems, uint32_t checkatleast,
                                        xc_error *err)
{
    if (!enq) {
        bad_arg(err, "xc_enquire_get_mset: enq is NULL");
        return nullptr;
    }
    return guard_ptr(err, [&] {
        for (auto &f : enq->facets) f->reset();
        std::unique_ptr<xc_mset> m(new xc_mset);
        m->m = enq->enq.get_mset(first, maxitems, checkatleast);
        return m.release();
    });
}

extern "C" void xc_mset_free(xc_mset *m) { delete m; }

extern "C" uint32_t xc_mset_size(const xc_mset *m) { return m ? m->size() : 0; }

extern "C" uint32_t xc_mset_estimated(const xc_mset *m)
{
    return !m ? 0 : m->merged() ? m->estimated : m->m.get_matches_estimated();
}

extern "C" uint32_t xc_mset_lower_bound(const xc_mset *m)
{
    return !m ? 0 : m->merged() ? m->lower : m->m.get_matches_lower_bound();
}

extern "C" uint32_t xc_mset_upper_bound(const xc_mset *m)
{
    return !m ? 0 : m->merged() ? m->upper : m->m.get_matches_upper_bound();
}

/* Hits compare as Xapian ranks them by relevance: weight, then docid. */
extern "C" xc_mset *xc_mset_merge(xc_mset *a, xc_mset *b, uint32_t n, xc_error *err)
{
    if (a == b) {   /* one mset twice: freed once */
        delete a;
        bad_arg(err, "xc_mset_merge: the same mset twice");
        return nullptr;
    }
    std::unique_ptr<xc_mset> pa(a), pb(b);
    if (!a || !b || a->merged() || b->merged()) {
        bad_arg(err, "xc_mset_merge: NULL or merged mset");
        return nullptr;
    }
    return guard_ptr(err, [&] {
        std::unique_ptr<xc_mset> out(new xc_mset);
        out->parts = {a->m, b->m};
        const Xapian::MSet &x = a->m, &y = b->m;
        Xapian::doccount i = 0, j = 0;
        while (out->pick.size() < n && (i < x.size() || j < y.size())) {
            bool take_x = j == y.size();
            if (!take_x && i < x.size()) {
                double wx = x[i].get_weight(), wy = y[j].get_weight();
                take_x = wx > wy || (wx == wy && *x[i] < *y[j]);
            }
            out->pick.emplace_back(take_x ? 0 : 1, take_x ? i++ : j++);
        }
        for (const Xapian::MSet *p : {&x, &y}) {
            out->lower += p->get_matches_lower_bound();
            out->estimated += p->get_matches_estimated();
            out->upper += p->get_matches_upper_bound();
        }
        return out.release();
    });
}

/* XC_ERR_RANGE when i >= xc_mset_size(m). */
extern "C" int xc_mset_hit(const xc_mset *m, uint32_t i, xc_hit *out, xc_error *err)
{
    if (!m || !out) return bad_arg(err, "xc_mset_hit: NULL argument");
    if (i >= m->size()) return set_error(err, XC_ERR_RANGE, "RangeError: hit index out of range");
    return guard(err, [&] {
        Xapian::MSetIterator it = m->at(i);
        xc_hit h;
        h.docid = *it;
        h.rank = m->merged() ? i : it.get_rank();
        h.weight = it.get_weight();
        h.collapse_count = it.get_collapse_count();
        h.percent = it.get_percent();
        *out = h;
        return 0;
    });
}

extern "C" int xc_mset_document(const xc_mset *m, uint32_t i, xc_document **out,
                                xc_error *err)
{
    if (!m || !out) return bad_arg(err, "xc_mset_document: NULL argument");
    *out = nullptr;
    if (i >= m->size()) return set_error(err, XC_ERR_RANGE, "RangeError: hit index out of range");
    return guard(err, [&] {
        std::unique_ptr<xc_document> d(new xc_document{m->at(i).get_document()});
        *out = d.release();
        return 0;
    });
}

/* ---- stemming ------------------------------------------------------------ */

extern "C" xc_stemmer *xc_stemmer_new(const char *language, xc_error *err)
{
    if (!language) {
        bad_arg(err, "xc_stemmer_new: language is NULL");
        return nullptr;
    }
    return guard_ptr(err, [&] { return new xc_stemmer{Xapian::Stem(language)}; });
}

extern "C" void xc_stemmer_free(xc_stemmer *s) { delete s; }

extern "C" int xc_stem(xc_stemmer *s, const char *word, size_t len, char *buf,
                       size_t bufsize, xc_error *err)
{
    if (!s || !valid_bytes(word, len) || !buf || bufsize == 0)
        return bad_arg(err, "xc_stem: NULL argument or empty buffer");
    return guard(err, [&] {
        const std::string st = s->stem(bytes(word, len));
        if (st.size() + 1 > bufsize || st.size() > INT32_MAX)
            return set_error(err, XC_ERR_RANGE, "RangeError: stem does not fit in buffer");
        std::memcpy(buf, st.data(), st.size());
        buf[st.size()] = '\0';
        return static_cast<int>(st.size());
    });
}
