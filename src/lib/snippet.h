/* snippet.h -- choosing and marking the passage of an article that matches a query. */
#ifndef CS_SNIPPET_H
#define CS_SNIPPET_H

#include <stddef.h>
#include "tokenizer.h"

/* Words that are marked only where they all stand in a row, in order: a
 * quoted phrase, or a synonym of several words ("sinh viên" for "học
 * sinh", whose "viên" alone is in every "giáo viên"). */
typedef struct cs_match_phrase {
    char **words;    /* folded */
    size_t n;        /* 2 .. CS_MATCH_PHRASE_MAX */
} cs_match_phrase;

#define CS_MATCH_PHRASE_MAX 32

/* What to highlight: folded words, folded prefixes (from prefix* queries),
 * English stems and phrases. Built by the searcher from the query. */
typedef struct cs_match_set {
    char **words;    size_t nwords;
    char **prefixes; size_t nprefixes;
    char **stems;    size_t nstems;
    cs_match_phrase *phrases; size_t nphrases;
    unsigned long long typed;   /* bit i: words[i] is a word of the query as
                                   typed (not a synonym, not in a field) */
    unsigned long long typed_phrases;   /* bit i: phrases[i] was typed */
    char **seq;      size_t nseq;   /* those words in order, when 2 or more */
} cs_match_set;

void cs_match_set_free(cs_match_set *m);
/* Adds a copy of s to one of the lists; duplicates are skipped. 0 or -1. */
int cs_match_set_add(char ***list, size_t *n, const char *s);
/* Adds s to the words as a word typed in the query. 0 or -1. */
int cs_match_set_add_typed(cs_match_set *m, const char *s);
/* Appends s to the sequence (duplicates kept). 0 or -1. */
int cs_match_set_add_seq(cs_match_set *m, const char *s);
/* Adds a copy of the phrase words[0..n) (folded), typed or not (a quoted
 * phrase of the query as typed, or a synonym / a fielded phrase). A phrase
 * already there is not added again, but becomes typed if this one is. n
 * outside 2..CS_MATCH_PHRASE_MAX: nothing is added. 0, or -1 out of memory. */
int cs_match_set_add_phrase(cs_match_set *m, const char *const *words, size_t n, int typed);

typedef struct cs_span {
    size_t start, len;     /* byte range inside the snippet text */
} cs_span;

typedef struct cs_snippet {
    char *text;            /* plain UTF-8, with "…" where it was cut */
    cs_span *spans;        /* matched words, in order */
    size_t nspans;
} cs_snippet;

/* Pick the window of about `target` bytes of `text` with the most distinct
 * matched words (ties: the earliest), cut at word boundaries; the first
 * window with every typed word and phrase ends the search (m->typed,
 * m->typed_phrases). Matching is on folded forms, so "bac giang" marks
 * "Bắc Giang" as written; a phrase's words are marked as one span where
 * they stand in a row (the tokens the index gives adjacent positions), and
 * nowhere else. With no match, the start of the text. `stem` (may be NULL) stems folded words for the
 * stems list. Returns 0, or -1 on failure (out of memory, ICU). */
struct xc_stemmer;
int cs_make_snippet(cs_tokenizer *tk, struct xc_stemmer *stem,
                    const cs_match_set *m, const char *text, size_t len,
                    size_t target, cs_snippet *out);

/* Marks every matched word of a whole short text (a title). Same output. */
int cs_mark_all(cs_tokenizer *tk, struct xc_stemmer *stem,
                const cs_match_set *m, const char *text, size_t len,
                cs_snippet *out);

void cs_snippet_free(cs_snippet *s);

/* Render with `open`/`close` around matches; html != 0 escapes the text for
 * HTML. malloc'd; NULL on out of memory. */
char *cs_snippet_render(const cs_snippet *s, const char *open,
                        const char *close, int html);

#endif
