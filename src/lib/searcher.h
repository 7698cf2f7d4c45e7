/* searcher.h -- running a query against the index and collecting results.
 *
 * query string -> query_parser (syntax tree) -> Xapian query built here with
 * the same tokenizer and folding as the indexer -> matching -> hits with
 * snippets. The searcher holds a database handle, so use one per thread.
 */
#ifndef CS_SEARCHER_H
#define CS_SEARCHER_H

#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "article.h"
#include "snippet.h"

typedef struct cs_searcher cs_searcher;

#define CS_MAX_FILTER_VALUES 16

/* Filters: values of one kind OR together, different kinds AND. */
typedef struct cs_search_req {
    const char *query;      /* NULL or "" browses everything (newest first) */
    unsigned offset;
    unsigned limit;         /* 0 -> 10; capped at 1000 */
    int sort_by_date;       /* newest first; default relevance */
    const char *lang;       /* "vi"/"en" filter, or NULL */
    const char *from, *to;  /* "YYYY-MM-DD" inclusive date range, or NULL */
    const char *provinces[CS_MAX_FILTER_VALUES];   /* as typed: "bac giang",
                                "Bắc Ninh (2025)" for today's unit */
    size_t nprovinces;
    const char *resolutions[CS_MAX_FILTER_VALUES]; /* "57-NQ/TW", or "57" */
    size_t nresolutions;
    int facets;             /* count facets over all matching articles */
    int no_synonyms;        /* don't expand with the bilingual synonyms */
    int no_collapse;        /* show near-duplicates instead of collapsing them */
    int explain;            /* fill results->parsed with the Xapian query */
    int titles_only;        /* hits need only titles: no snippets, no spelling
                               (search-box suggestions, one per keystroke) */
    size_t snippet_bytes;   /* 0 -> 240 */
} cs_search_req;

typedef struct cs_facet_value {
    char *value;            /* display form, e.g. "Bắc Giang", "57-NQ/TW", "2023" */
    uint32_t count;
} cs_facet_value;

/* Facets in this order: province, resolution, year, month, lang. */
enum { CS_FACET_PROVINCE, CS_FACET_RESOLUTION, CS_FACET_YEAR, CS_FACET_MONTH,
       CS_FACET_LANG, CS_NFACETS };
extern const char *const cs_facet_names[CS_NFACETS];

typedef struct cs_facet {
    cs_facet_value *values; /* most frequent first */
    size_t n;
} cs_facet;

typedef struct cs_hit {
    unsigned rank;          /* 1-based */
    char *id, *title, *url, *date, *lang;
    char **provinces;       /* names the article is about, main one first */
    size_t nprovinces;
    char **resolutions;     /* canonical resolution numbers */
    size_t nresolutions;
    double score;
    uint32_t similar;       /* near-duplicates collapsed into this hit */
    cs_snippet snippet;     /* from the body */
    cs_snippet title_marks; /* the title with matched words marked */
    int unreadable;         /* its stored text is damaged: only what could
                               be read (the id, maybe the header's fields) */
} cs_hit;

typedef struct cs_results {
    char *query;
    uint32_t total;         /* matching articles, less near-duplicates
                               folded away in the results window */
    int total_exact;        /* they were counted (facets without sampling,
                               or Xapian saw every match); else estimated */
    unsigned offset;
    cs_hit *hits;
    size_t nhits;
    int has_facets;
    int facets_sampled;     /* counts estimated from a sample (huge match sets) */
    cs_facet facets[CS_NFACETS];
    char *note;             /* how a malformed query was read, or NULL */
    char *suggestion;       /* "did you mean" query, or NULL */
    char *parsed;           /* the Xapian query, when req->explain */
    unsigned split_passes;  /* ranked passes run in two halves, in two threads */
    int facets_first;       /* facets were counted first, and the ranked pass
                               looked only at the matches they found */
    double took_ms;
} cs_results;

/* Open the index at `path` (a folder with a stub, a glass database, or a
 * stub file). NULL with a message in errbuf on failure. */
cs_searcher *cs_searcher_open(const char *path, char *errbuf, size_t errlen);
void cs_searcher_close(cs_searcher *s);

/* Pick up a newer committed revision. 1 if it changed, 0 if not, -1 error. */
int cs_searcher_reopen(cs_searcher *s, char *errbuf, size_t errlen);

/* Run a search. Returns 0 and *out (free with cs_results_free), or -1 with
 * a message in errbuf. A malformed query is not an error: it is read the
 * best way possible and results->note says how. Invalid UTF-8 is an error. */
int cs_search(cs_searcher *s, const cs_search_req *req, cs_results **out,
              char *errbuf, size_t errlen);
void cs_results_free(cs_results *r);

/* The JSON form shared by `corpsearch search --json` and the HTTP API:
 * {"query","total","total_exact","offset","hits":[{"rank","id","title","url","date",
 * "lang","score","snippet","title_html","provinces","resolutions"}],
 * "facets"?: {"province": [{"value","count"}], ...}, "note"?, "suggestion"?}. Snippets are HTML-safe: the text is
 * escaped and matched words are wrapped in <mark></mark>. New reference. */
json_t *cs_results_json(const cs_results *r);

/* Completions for a search box: up to `max` titles and province names
 * starting with (or, for titles, containing a word starting with) `prefix`,
 * diacritics-insensitive. *out is a malloc'd array of malloc'd strings
 * (free each and the array); *n its length. 0, or -1 with a message. */
int cs_suggest(cs_searcher *s, const char *prefix, size_t max, char ***out,
               size_t *n, char *errbuf, size_t errlen);

/* Make sure the searcher sees the latest index: picks up new commits and,
 * when the index folder's stub was swapped for a new generation (rebuild,
 * compaction), reopens the whole index. Cheap enough to call per request.
 * 1 if it changed, 0 if not, -1 with a message (the old view still works). */
int cs_searcher_refresh(cs_searcher *s, char *errbuf, size_t errlen);

/* Fetch one article by id. 1 and *out when found, 0 when there is no such
 * article, -1 on error (message in errbuf). */
int cs_searcher_get(cs_searcher *s, const char *id, cs_article **out,
                    char *errbuf, size_t errlen);

/* The JSON form of one article for `show --json` and /api/doc/{id}:
 * {"id","title","url","date","language","lang","provinces","resolutions",
 * "documents","text"}. */
json_t *cs_article_json(const cs_article *a);

typedef struct cs_index_stats {
    uint32_t articles;
    uint64_t terms;          /* distinct terms */
    double avg_length;
    uint64_t bytes;          /* size on disk of the current generation */
    uint64_t folder_bytes;   /* ... of the whole folder (with the generation a
                                rebuild or compaction replaced, kept for readers) */
    char updated[32];        /* ISO 8601 time of the last indexing run, or "" */
    char version[32];        /* Xapian version */
    char generation[32];     /* "gen-000002", or "" */
    unsigned shards;
    unsigned pair_words;     /* words of its phrase pair list (0: built without
                                phrase pairs) */
    int synonym_terms;       /* every article holds the synonym terms of this
                                program's dictionary (synonyms.h): searches
                                use them */
} cs_index_stats;

/* The number of articles (Xapian's document count: cheap, unlike
 * cs_searcher_stats, which walks every term). -1 with a message on error. */
long cs_searcher_articles(cs_searcher *s, char *errbuf, size_t errlen);

int cs_searcher_stats(cs_searcher *s, cs_index_stats *st, char *errbuf,
                      size_t errlen);

#endif
