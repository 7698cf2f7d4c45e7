/* extract_internal.h -- private to the extraction modules (gazetteer.c,
 * extract_province.c, extract_resolution.c, extract_date.c): the gazetteer's
 * layout, a fast word scanner and per-code-point case/diacritic folding.
 *
 * Why not the ICU tokenizer: extraction runs over every article at index
 * time and must cost a small fraction of indexing. Matching names needs only
 * word boundaries and two forms of each word, which a table lookup per code
 * point gives at hundreds of MB/s. The table is built from ICU once per
 * process with the same definitions as tokenizer.h (lower case; fold = NFD,
 * drop non-spacing marks, đ -> d), so the folded forms agree with the index.
 */
#ifndef CS_EXTRACT_INTERNAL_H
#define CS_EXTRACT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "extract.h"

/* ---- code points ------------------------------------------------------------ */

enum { CS_CH_OTHER = 0, CS_CH_ALNUM = 1, CS_CH_MARK = 2 };

/* Table entry for a code point below CS_CPTAB_SIZE. */
typedef struct cs_cpinfo {
    uint16_t lower;   /* simple lower case */
    uint16_t fold;    /* lower case without diacritics; 0 for a combining mark */
    uint8_t cls;      /* CS_CH_* */
} cs_cpinfo;

#define CS_CPTAB_SIZE 0x2000

/* The table, after cs_chars_ready() returned 0. */
extern cs_cpinfo cs_cptab[CS_CPTAB_SIZE];

/* Build the table once per process (thread-safe). 0, or -1 if ICU failed. */
int cs_chars_ready(void);

/* Decode one code point at s (s < end). Returns its length in bytes (>= 1);
 * invalid or truncated sequences give U+FFFD and length 1. */
static inline size_t cs_utf8_next(const unsigned char *s, const unsigned char *end,
                                  uint32_t *cp) {
    unsigned c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || n > 4 || (size_t)(end - s) < n) { *cp = 0xFFFD; return 1; }
    uint32_t v = c & (0x3F >> (n - 1));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = 0xFFFD; return 1; }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
        (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return n;
}

/* Class, lower case and fold of any code point (outside the table: letters
 * and digits are ALNUM and fold to themselves). */
void cs_cp_slow(uint32_t cp, uint32_t *lower, uint32_t *fold, int *cls);

static inline void cs_cp_info(uint32_t cp, uint32_t *lower, uint32_t *fold, int *cls) {
    if (cp < CS_CPTAB_SIZE) {
        const cs_cpinfo *e = &cs_cptab[cp];
        *lower = e->lower;
        *fold = e->fold;
        *cls = e->cls;
    } else {
        cs_cp_slow(cp, lower, fold, cls);
    }
}

/* Fold `len` bytes into an ASCII-ish lower-case string without diacritics
 * (code points that do not fold to ASCII are written as '?'), writing at most
 * cap-1 bytes and a NUL into out. off[i] (when off is not NULL, cap entries)
 * is the input offset of out[i]. Returns the output length. Used to look for
 * keywords ("cập nhật", "nghị quyết") without caring about case or accents. */
size_t cs_fold_ascii(const char *s, size_t len, char *out, size_t cap, size_t *off);

/* ---- words ------------------------------------------------------------------ */

enum {
    CS_W_UPPER = 1,   /* starts with an upper-case letter */
    CS_W_DIAC = 2,    /* carries diacritics */
    CS_W_BREAK = 4,   /* the gap before it is more than spaces, hyphens, dashes, dots */
    CS_W_ADJ = 8,     /* the gap before it is only spaces */
    CS_W_DIGIT = 16,  /* starts with a digit */
    CS_W_ALPHA = 32,  /* contains a letter */
};

typedef struct cs_word {
    uint32_t start, end;   /* byte offsets in the scanned text */
    uint64_t fh;           /* hash of the folded form */
    uint64_t eh;           /* hash of the lower-case form with diacritics */
    unsigned flags;        /* CS_W_* */
} cs_word;

/* A growable array of words; zero-initialised is empty. */
typedef struct cs_wordvec {
    cs_word *v;
    size_t n, cap;
} cs_wordvec;

/* Append the words of `len` bytes (runs of letters, digits and combining
 * marks) to wv; offsets are relative to s, and the first word has
 * CS_W_BREAK set. Returns 0, or -1 when out of memory (wv keeps what it
 * had; free wv->v in any case). */
int cs_scan_words(const char *s, size_t len, cs_wordvec *wv);

/* Hash of one folded ASCII word, the same as cs_word.fh of that word. */
uint64_t cs_word_hash(const char *ascii_lower);

/* Hash of one word as written (UTF-8), the same as cs_word.eh of it. */
uint64_t cs_exact_hash(const char *word);

/* ---- the gazetteer ------------------------------------------------------------ */

enum {
    CS_AL_WEAK = 1,      /* "~": not counted after a name word */
    CS_AL_RESOLVE = 2,   /* "^": resolve only, not looked for in text */
    CS_AL_STOP = 4,      /* an X row: consumed, counted for nothing */
    CS_AL_CONTEXT = 16,  /* "!": counts only next to a place word or when the
                            article names its province otherwise */
    CS_AL_WEAK_FOLDED = 8, /* weak when matched without diacritics: some weak
                              alias of the province folds the same ("Huế" in
                              English text is "Hue", which is also a name) */
};

#define CS_ALIAS_MAX_WORDS 8

typedef struct cs_alias_word {
    uint64_t fh, eh;
    int upper;            /* must start with a capital in the text */
} cs_alias_word;

typedef struct cs_alias {
    int prov;             /* index in provs, -1 for a stop phrase */
    unsigned flags;       /* CS_AL_* */
    unsigned nwords;
    size_t first;         /* index of the first word in words[] */
    uint64_t phrase;      /* hash of the folded words in order, for resolve */
} cs_alias;

typedef struct cs_province {
    const char *name;     /* canonical pre-2025 name */
    const char *unit;     /* the 2025 unit */
} cs_province;

/* First-word index: aliases whose first word has folded hash `key`, longest
 * first, are cand[start .. start+count). */
typedef struct cs_gz_bucket {
    uint64_t key;
    uint32_t start, count;
} cs_gz_bucket;

struct cs_gazetteer {
    char *text;                 /* private NUL-split copy of the data */
    cs_province *provs;
    size_t nprovs;
    cs_alias *aliases;
    size_t naliases;
    cs_alias_word *words;
    size_t nwords;
    uint32_t *cand;             /* alias indices, grouped by first word */
    cs_gz_bucket *buckets;      /* open addressing, key 0 = empty */
    size_t nbuckets;            /* a power of two */
    uint64_t *namewords;        /* N rows: folded hashes, sorted */
    size_t nnamewords;
    uint64_t first_bits[1024];  /* bit (fh & 0xFFFF) set if some alias starts
                                   with a word of that hash: most words of a
                                   text are rejected without a probe */
};

/* The aliases whose first word folds to `fh` (longest first); *n = 0 when
 * none. */
const uint32_t *cs_gz_probe(const cs_gazetteer *g, uint64_t fh, size_t *n);

static inline const uint32_t *cs_gz_candidates(const cs_gazetteer *g, uint64_t fh, size_t *n) {
    if (!(g->first_bits[(fh >> 6) & 1023] & (1ULL << (fh & 63)))) {
        *n = 0;
        return NULL;
    }
    return cs_gz_probe(g, fh, n);
}

/* Non-zero if a folded word hash is an N-row word. */
int cs_gz_is_nameword(const cs_gazetteer *g, uint64_t fh);

/* Index of the province an input names (any alias, folded, case-insensitive,
 * with "province"/"tỉnh"/"city" around it ignored), or -1. */
int cs_gz_lookup(const cs_gazetteer *g, const char *name, size_t len);

/* ---- the extractors ------------------------------------------------------------- */

/* Provinces into m->provinces (sorted, best first). 0, or -1 when out of
 * memory. */
int cs_extract_provinces(const cs_gazetteer *g, const char *title,
                         const char *body, size_t body_len,
                         const char *province_hint, cs_meta *m);

/* Resolution and document numbers into m->resolutions / m->documents.
 * 0, or -1 when out of memory. */
int cs_extract_resolutions(const char *title, const char *body, size_t body_len,
                           cs_meta *m);

/* The publication date into m->date / m->date_source (the title only to
 * tell a body line repeating it from a dateline). */
void cs_extract_date(const char *title, const char *body, size_t body_len, const char *url,
                     const char *given_date, cs_meta *m);

/* Non-zero if y-m-d is a real calendar day with 1990 <= y <= 2100. */
int cs_valid_ymd(int y, int m, int d);

#endif
