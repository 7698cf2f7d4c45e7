/* synonyms.h -- the bilingual synonym dictionary (data/synonyms.tsv).
 *
 * The dictionary is a list of groups of equivalent terms, English and
 * Vietnamese ("digital transformation | chuyển đổi số"); the format is
 * described at the top of data/synonyms.tsv. Every entry is tokenized with
 * the tokenizer (tokenizer.h) when the dictionary is loaded, so it is
 * compared with a query's tokens in the same forms the index uses:
 * "chuyen doi so", "Chuyển đổi số" and "chuyển đổi số" all match the entry
 * "chuyển đổi số".
 *
 * Given a query's tokens, cs_synonyms_match finds the runs of consecutive
 * tokens that are a dictionary entry (longest first, left to right, runs do
 * not overlap) and returns, for each, the other entries of its group as
 * token sequences: the query builder ORs them in (a multi-word alternative
 * as its synonym term, or as a PHRASE over its folded tokens in an index
 * without those: see below), weighted below the words as typed.
 *
 * A one-word alternative with diacritics ("bão") is better searched by its
 * exact form (the XE term) than by its folded one ("bao" is also báo, bảo,
 * bao): the entry gives both.
 *
 * A parsed dictionary is never modified, so one can be shared by any number
 * of threads.
 */
#ifndef CS_SYNONYMS_H
#define CS_SYNONYMS_H

#include <stddef.h>

typedef struct cs_synonyms cs_synonyms;

/* An entry longer than this many words is refused when parsing. */
#define CS_SYN_MAX_TOKENS 16

/* One term of the dictionary. All pointers are owned by the dictionary and
 * live as long as it does. */
typedef struct cs_syn_entry {
    const char *text;             /* as written in the file: "chuyển đổi số" */
    const char *const *folded;    /* ntokens folded forms: "chuyen" "doi" "so" */
    const char *const *exact;     /* ntokens exact forms: "chuyển" "đổi" "số" */
    size_t ntokens;               /* 1 .. CS_SYN_MAX_TOKENS */
    const char *plural;           /* an English entry's last folded word in the
                                     plural, which running text and queries may
                                     use instead ("parks"), or NULL */
} cs_syn_entry;

/* A run of query tokens that is a dictionary entry. */
typedef struct cs_syn_match {
    size_t start, len;                /* tokens [start, start + len) of the query */
    const cs_syn_entry *entry;        /* the entry they match */
    const cs_syn_entry *const *alts;  /* the other entries of its group(s), never
                                         one with the same folded words */
    size_t nalts;                     /* >= 1 */
} cs_syn_match;

/* The built-in dictionary (data/synonyms.tsv, embedded at build time), or
 * the file named by the environment variable CORPSEARCH_SYNONYMS. Loaded
 * once, thread-safe; never freed. NULL if it cannot be loaded (the reason
 * is printed on stderr once). */
const cs_synonyms *cs_synonyms_default(void);

/* Parses dictionary text (the data file's format; `len` bytes, need not be
 * NUL-terminated). Returns NULL on a malformed line (invalid UTF-8, an empty
 * entry, an entry without words or longer than CS_SYN_MAX_TOKENS words, a
 * group of fewer than two different entries) with a message naming the line
 * in errbuf, or on ICU failure or out of memory. Free with cs_synonyms_free. */
cs_synonyms *cs_synonyms_parse(const char *text, size_t len, char *errbuf,
                               size_t errlen);

/* Frees a parsed dictionary; NULL is fine. Not for cs_synonyms_default(). */
void cs_synonyms_free(cs_synonyms *syn);

/* Number of groups in the dictionary (0 for NULL). */
size_t cs_synonyms_groups(const cs_synonyms *syn);

/* Finds the dictionary entries among a query's tokens.
 *
 * folded[i] is token i's folded form and exact[i] its exact form, as
 * cs_tokenize gives them (cs_token.folded / .exact). exact may be NULL (or
 * an element NULL): that token is then taken as typed without diacritics.
 * Matching compares folded forms, except that
 *   - a word typed with diacritics does not match an entry word that has
 *     other ones ("bảo" does not match "bão"; "bao" matches both), and
 *   - a one-word entry with diacritics ("bão", "tỉnh") only matches when
 *     typed with them: unaccented, such a syllable is too ambiguous.
 * English entries (written in ASCII) also match their plural as the last
 * word ("industrial parks").
 *
 * Scans left to right; at each token takes the longest entry that starts
 * there and continues after it. When several different entries match the
 * same run (e.g. two spellings with the same folded form), each gets its own
 * cs_syn_match. Writes at most `max` matches to `out` and returns how many
 * it wrote (0 when syn or folded is NULL). The pointers in the matches
 * belong to the dictionary. */
size_t cs_synonyms_match(const cs_synonyms *syn, const char *const *folded,
                         const char *const *exact, size_t n, cs_syn_match *out,
                         size_t max);

/* ---- synonym terms (an article's multi-word entries, indexed) ----------------
 *
 * A multi-word alternative is a phrase query, and phrases of common
 * syllables are what make synonym queries slow ("thành phố Hồ Chí Minh",
 * five syllables found in most articles). So the indexer gives each article
 * one term per multi-word entry it contains (cs_syn_entry_term: "XY" and the
 * folded words), found in its text with the rules a query's words are
 * matched with (marks must agree, plural last word), and searches look the
 * alternative up as that one term instead. Only entries that are some
 * other entry's alternative are indexed: the others are never searched. */

/* Non-zero if `folded` (len bytes, a token's folded form) is the first word
 * of an indexed entry: where an entry can start in running text. */
int cs_synonyms_starts(const cs_synonyms *syn, const char *folded, size_t len);

/* The most words of an indexed entry (0 when there is none). */
size_t cs_synonyms_max_words(const cs_synonyms *syn);

/* Calls fn(entry, ud) for each indexed entry whose words are tokens
 * [0, k) of folded/exact for some k <= n (compared as cs_synonyms_match
 * compares them, every length, not only the longest), once per term: of
 * entries with the same folded words (two spellings), only the first that
 * matches. Returns 0, or the first non-zero value fn returned (which stops
 * the calls). */
int cs_synonyms_each_at(const cs_synonyms *syn, const char *const *folded,
                        const char *const *exact, size_t n,
                        int (*fn)(const cs_syn_entry *e, void *ud), void *ud);

/* Writes the term of a multi-word entry into buf: CS_PREFIX_SYNONYM then its
 * folded words joined by ' ' ("XYho chi minh city"), NUL-terminated.
 * Returns its length, or 0 when it would be longer than a term may be (the
 * entry is then neither indexed nor looked up as a term) or does not fit
 * in cap. */
size_t cs_syn_entry_term(const cs_syn_entry *e, char *buf, size_t cap);

/* A fingerprint of what the indexer does with this dictionary: its indexed
 * entries and how they are matched, in no particular order (reordering the
 * file keeps it). Articles indexed with it hold the marker term
 * cs_synonyms_marker gives, and a search uses the terms only while every
 * article of the index holds the marker of its own dictionary. */
unsigned long long cs_synonyms_fingerprint(const cs_synonyms *syn);

/* Writes the marker term ("XYV" and the fingerprint in 16 hex digits) into
 * buf (at least CS_SYN_MARKER_BYTES). Returns its length. */
#define CS_SYN_MARKER_BYTES 24
size_t cs_synonyms_marker(const cs_synonyms *syn, char *buf);

#endif
