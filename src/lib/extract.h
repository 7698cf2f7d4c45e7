/* extract.h -- metadata the articles carry only in their text: provinces,
 * resolution (and other legal document) numbers, publication date.
 *
 * Pure functions over an article's title, body, url and given date; no
 * Xapian. The indexer turns the result into terms and facet values.
 */
#ifndef CS_EXTRACT_H
#define CS_EXTRACT_H

#include <stddef.h>

/* ---- the gazetteer ---------------------------------------------------------- */

/* Vietnam's provinces and centrally-run cities: the 63 before 1 July 2025, the
 * 34 units after the merger, their names with and without diacritics and in
 * English, and cities/towns that name their province. Loaded from the data
 * file data/gazetteer.tsv (embedded in the program at build time; see
 * cs_gazetteer_default). */
typedef struct cs_gazetteer cs_gazetteer;

/* The built-in gazetteer (parsed once, thread-safe, never freed by the
 * caller). NULL only if the embedded data is broken (a build error). If the
 * environment variable CORPSEARCH_GAZETTEER names a file, that file is used
 * instead (NULL and a message on stderr if it cannot be parsed). */
const cs_gazetteer *cs_gazetteer_default(void);

/* Parse gazetteer text (the data file's format). NULL with a message naming
 * the line on error. Free with cs_gazetteer_free. */
cs_gazetteer *cs_gazetteer_parse(const char *text, size_t len, char *errbuf,
                                 size_t errlen);
void cs_gazetteer_free(cs_gazetteer *g);

/* Resolve what a user typed as a province filter ("bac giang", "Bắc Giang",
 * "HCMC", "hue", "Bắc Ninh (2025)", "bac ninh 2025") to canonical province
 * names (pre-2025 names with diacritics as the data file gives them, e.g.
 * "Bắc Giang", "Hồ Chí Minh", "Thừa Thiên Huế"). A name asked for as
 * a 2025 unit expands to every pre-2025 province merged into it (and the
 * unit's own name). Returns the number of names written to out[0..max), 0 if
 * the name is unknown. The strings are owned by the gazetteer. */
size_t cs_gazetteer_resolve(const cs_gazetteer *g, const char *name,
                            const char **out, size_t max);

/* The 2025 unit a canonical pre-2025 province belongs to (itself when it was
 * not merged), or NULL for an unknown name. Owned by the gazetteer. */
const char *cs_gazetteer_unit2025(const cs_gazetteer *g, const char *province);

/* ---- extraction ---------------------------------------------------------------- */

typedef struct cs_province_hit {
    const char *name;       /* canonical pre-2025 name (owned by the gazetteer) */
    const char *unit2025;   /* the 2025 unit it belongs to (owned by the gazetteer) */
    unsigned mentions;      /* counted outside trailing boilerplate */
    double score;           /* mentions weighted by position: title, lead, body, noise */
} cs_province_hit;

typedef struct cs_meta {
    cs_province_hit *provinces;   /* best first: provinces[0] is the main one */
    size_t nprovinces;
    char **resolutions;     /* canonical NQ numbers: "57-NQ/TW", "03/NQ-CP", bare "57" */
    size_t nresolutions;
    char **documents;       /* other kinds, canonical: "100/2019/NĐ-CP", "5755/KH-UBND" */
    size_t ndocuments;
    char date[11];          /* "YYYY-MM-DD", or "" when none */
    const char *date_source;/* "header", "dateline", "url", or NULL */
} cs_meta;

/* Extract metadata. `given_date` is a date header/JSON field already
 * normalised to "YYYY-MM-DD" (or NULL); `province_hint` a JSON "province"
 * field (or NULL), counted as a strong mention. Returns 0, or -1 when out of
 * memory (then *out is empty). Free with cs_meta_free. */
int cs_extract_meta(const cs_gazetteer *g, const char *title, const char *body,
                    size_t body_len, const char *url, const char *given_date,
                    const char *province_hint, cs_meta *out);
void cs_meta_free(cs_meta *m);

/* Canonical form of a resolution number typed by a user ("57-nq/tw",
 * "Nghị quyết 57", "resolution 57", "57") into buf: "57-NQ/TW", or the bare
 * number "57". Returns the length, or -1 if it is not a resolution number. */
long cs_resolution_normalize(const char *s, char *buf, size_t bufsize);

#endif
