/* query_parser.h -- the user's query string -> a small syntax tree.
 *
 * Syntax (what a journalist types):
 *   bac giang            all words must match (implicit AND)
 *   "khoa học công nghệ" phrase: words adjacent, in order
 *   a OR b               either (OR binds tighter than the implicit AND:
 *                        "x a OR b" is x AND (a OR b)); AND may be written
 *   NOT a, -a            exclude
 *   ( ... )              grouping
 *   title:word           restrict a word, phrase, prefix or group to a field;
 *                        field names are the caller's list ("title", ...)
 *   pref*                words beginning with "pref"
 * Operators are recognised only in upper case; "or", "not" are words.
 *
 * The parser never fails on odd input: it reads it the best way it can and
 * says what it did in a note (unbalanced quote -> phrase to the end, lone or
 * trailing operator -> ignored, unmatched parenthesis -> ignored, missing
 * ')' -> closed at the end, unknown field "foo:bar" -> the text "foo:bar"). Words are kept as typed;
 * the searcher turns them into terms with the tokenizer, so a word such as
 * "57-NQ/TW" becomes a phrase of its tokens there.
 */
#ifndef CS_QUERY_PARSER_H
#define CS_QUERY_PARSER_H

#include <stddef.h>

typedef enum cs_qkind {
    CS_Q_WORD,     /* text[0] */
    CS_Q_PHRASE,   /* text[0..ntext) one entry per whitespace-separated word */
    CS_Q_PREFIX,   /* text[0] without the '*' */
    CS_Q_AND,      /* kids[0..nkids) */
    CS_Q_OR,       /* kids[0..nkids) */
    CS_Q_NOT       /* kids[0]: documents NOT matching it */
} cs_qkind;

typedef struct cs_qnode {
    cs_qkind kind;
    const char *field;        /* NULL, or one of the caller's field names (not copied) */
    char **text;              /* owned, NUL-terminated UTF-8 */
    size_t ntext;
    struct cs_qnode **kids;   /* owned */
    size_t nkids;
} cs_qnode;

/* Parse `q` (UTF-8, NUL-terminated). `fields` is a NULL-terminated list of
 * accepted field names (may be NULL). Returns the tree, or NULL for a query
 * with nothing to search (empty, only spaces or punctuation). *note, when
 * `note` is not NULL, gets a malloc'd explanation of any best-effort reading
 * or NULL when the query was read as written. On invalid UTF-8 returns NULL
 * and sets *note to the reason. Out of memory: NULL, *note NULL. */
cs_qnode *cs_query_parse(const char *q, const char *const *fields,
                         char **note);

void cs_qnode_free(cs_qnode *n);

/* A canonical string form for tests and debugging, e.g.
 * AND(WORD(bac) OR(WORD(a) WORD(b)) NOT(PHRASE(x y)) title:PREFIX(ab)).
 * malloc'd. */
char *cs_qnode_describe(const cs_qnode *n);

#endif
