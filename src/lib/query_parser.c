/* query_parser.c -- the user's query string -> a small syntax tree.
 *
 * Two passes over the string. The lexer turns it into a flat token array
 * (leaf tokens already carry their finished WORD/PHRASE/PREFIX node), and
 * balances parentheses and enforces the limits on the way, so that the
 * recursive-descent parser that follows never sees more than MAX_DEPTH
 * nested groups and never more than MAX_WORDS words. Everything is linear
 * in the length of the query.
 *
 * Grammar (OR binds tighter than the implicit AND):
 *   query    := and_expr
 *   and_expr := or_expr ( [AND] or_expr )*
 *   or_expr  := unary ( OR unary )*
 *   unary    := (NOT | '-')* ( FIELD primary | primary )
 *   primary  := WORD | PHRASE | PREFIX | '(' and_expr ')'
 *
 * Odd input is never an error: whatever cannot be read as written is read
 * the most useful way and a note bit is set; the notes are joined into one
 * message at the end. */
#include "query_parser.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "notes.h"

#define MAX_DEPTH 32    /* nested parentheses kept as groups */
#define MAX_WORDS 256   /* words (phrase words included) kept */

/* ---------------------------------------------------------------- notes */

/* One bit per kind of best-effort reading; the message lists each kind once
 * however often it happened, so a query of 10,000 ')' gets one short note.
 * Bit i is note i (notes.h), whose texts, in both languages, are in notes.c. */
enum {
    N_UNBALANCED_QUOTE = 1u << CS_NOTE_UNBALANCED_QUOTE,
    N_EMPTY_PHRASE     = 1u << CS_NOTE_EMPTY_PHRASE,
    N_DANGLING_OR      = 1u << CS_NOTE_DANGLING_OR,
    N_DANGLING_AND     = 1u << CS_NOTE_DANGLING_AND,
    N_DANGLING_NOT     = 1u << CS_NOTE_DANGLING_NOT,
    N_LONE_MINUS       = 1u << CS_NOTE_LONE_MINUS,
    N_DOUBLE_NOT       = 1u << CS_NOTE_DOUBLE_NOT,
    N_UNMATCHED_RPAREN = 1u << CS_NOTE_UNMATCHED_RPAREN,
    N_MISSING_RPAREN   = 1u << CS_NOTE_MISSING_RPAREN,
    N_EMPTY_GROUP      = 1u << CS_NOTE_EMPTY_GROUP,
    N_SHORT_PREFIX     = 1u << CS_NOTE_SHORT_PREFIX,
    N_TOO_DEEP         = 1u << CS_NOTE_TOO_DEEP,
    N_TOO_MANY_WORDS   = 1u << CS_NOTE_TOO_MANY_WORDS,
    N_FIELD_NO_TARGET  = 1u << CS_NOTE_FIELD_NO_TARGET,
    N_UNKNOWN_FIELD    = 1u << CS_NOTE_UNKNOWN_FIELD,
};

/* ------------------------------------------------------------- UTF-8 */

/* Non-zero if s[0..len) is well-formed UTF-8: no overlong forms, no
 * surrogates, nothing above U+10FFFF. */
static int utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        uint32_t cp, min;
        if (c < 0x80) { i++; continue; }
        else if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; min = 0x10000; }
        else return 0;
        if (len - i <= n) return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += n + 1;
    }
    return 1;
}

/* Decode the code point at p (input already validated, p < end); stores its
 * byte length in *len. */
static uint32_t utf8_at(const char *p, const char *end, size_t *len)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t n = (size_t)(end - p);
    if (s[0] < 0x80) { *len = 1; return s[0]; }
    if ((s[0] & 0xE0) == 0xC0 && n >= 2) {
        *len = 2;
        return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    }
    if ((s[0] & 0xF0) == 0xE0 && n >= 3) {
        *len = 3;
        return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6)
               | (s[2] & 0x3F);
    }
    if (n >= 4) {
        *len = 4;
        return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12)
               | ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    }
    *len = 1;
    return 0xFFFD;
}

/* Unicode White_Space, plus ZERO WIDTH SPACE and the BOM, which arrive in
 * pasted text and separate words just the same. */
static int is_space_cp(uint32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0
           || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x2028
           || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000
           || c == 0xFEFF;
}

/* Straight quote and the typographic ones Vietnamese text uses. */
static int is_quote_cp(uint32_t c)
{
    return c == '"' || c == 0x201C || c == 0x201D;
}

/* Non-zero if a quote character starts at p (p < end). */
static int starts_quote(const char *p, const char *end)
{
    size_t n;
    return is_quote_cp(utf8_at(p, end, &n));
}

/* Ends a word: space, a parenthesis or a quote. */
static int is_delim_cp(uint32_t c)
{
    return is_space_cp(c) || c == '(' || c == ')' || is_quote_cp(c);
}

/* Length in bytes of the whitespace run at p (0 if none). */
static size_t space_len(const char *p, const char *end)
{
    const char *s = p;
    while (s < end) {
        size_t n;
        if (!is_space_cp(utf8_at(s, end, &n))) break;
        s += n;
    }
    return (size_t)(s - p);
}

/* End of the word starting at p: the first delimiter or end. */
static const char *word_end(const char *p, const char *end)
{
    while (p < end) {
        size_t n;
        if (is_delim_cp(utf8_at(p, end, &n))) break;
        p += n;
    }
    return p;
}

/* Number of code points in s[0..len). */
static size_t cp_count(const char *s, size_t len)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) k++;
    return k;
}

/* ------------------------------------------------------------- nodes */

/* A fresh node of `kind`, or NULL when out of memory. */
static cs_qnode *node_new(cs_qkind kind)
{
    cs_qnode *n = calloc(1, sizeof *n);
    if (n) n->kind = kind;
    return n;
}

/* Frees n and everything below it; NULL is fine. */
void cs_qnode_free(cs_qnode *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->ntext; i++) free(n->text[i]);
    free(n->text);
    for (size_t i = 0; i < n->nkids; i++) cs_qnode_free(n->kids[i]);
    free(n->kids);
    free(n);
}

/* Appends a copy of s[0..len) to n->text. Returns 0, or -1 when out of
 * memory (n unchanged). `cap` is the caller's running capacity. */
static int node_add_text(cs_qnode *n, size_t *cap, const char *s, size_t len)
{
    if (n->ntext == *cap) {
        size_t nc = *cap ? *cap * 2 : 1;
        char **t = realloc(n->text, nc * sizeof *t);
        if (!t) return -1;
        n->text = t;
        *cap = nc;
    }
    char *c = strndup(s, len);
    if (!c) return -1;
    n->text[n->ntext++] = c;
    return 0;
}

/* A leaf node of `kind` holding one text s[0..len); NULL when out of
 * memory. */
static cs_qnode *leaf_new(cs_qkind kind, const char *s, size_t len)
{
    cs_qnode *n = node_new(kind);
    size_t cap = 0;
    if (n && node_add_text(n, &cap, s, len) < 0) {
        cs_qnode_free(n);
        return NULL;
    }
    return n;
}

/* Appends kid to n->kids (capacity in *cap). Returns 0, or -1 when out of
 * memory, in which case kid is NOT freed (the caller still owns it). */
static int node_push_kid(cs_qnode *n, size_t *cap, cs_qnode *kid)
{
    if (n->nkids == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        cs_qnode **k = realloc(n->kids, nc * sizeof *k);
        if (!k) return -1;
        n->kids = k;
        *cap = nc;
    }
    n->kids[n->nkids++] = kid;
    return 0;
}

/* --------------------------------------------------------------- lexer */

typedef enum {
    T_END, T_LEAF, T_OR, T_AND, T_NOT, T_LPAREN, T_RPAREN, T_FIELD
} tok_kind;

typedef struct tok {
    tok_kind kind;
    cs_qnode *leaf;       /* T_LEAF: owned until the parser takes it */
    const char *field;    /* T_FIELD: the caller's spelling */
} tok;

typedef struct parser {
    const char *p, *end;            /* lexer cursor */
    const char *const *fields;
    tok *toks;
    size_t ntoks, cap, pos;         /* pos: parser cursor */
    size_t nwords;                  /* words lexed so far */
    int depth;                      /* open groups while lexing */
    size_t ignored_opens;           /* '(' dropped for depth */
    int literal;                    /* next token follows a FIELD */
    unsigned notes;
    char unknown_field[48];         /* first unknown "name:" seen */
    int oom;
} parser;

/* Appends a token; on failure sets ps->oom and frees `leaf`. */
static void push_tok(parser *ps, tok_kind kind, cs_qnode *leaf,
                     const char *field)
{
    if (ps->ntoks == ps->cap) {
        size_t nc = ps->cap ? ps->cap * 2 : 16;
        tok *t = realloc(ps->toks, nc * sizeof *t);
        if (!t) {
            ps->oom = 1;
            cs_qnode_free(leaf);
            return;
        }
        ps->toks = t;
        ps->cap = nc;
    }
    ps->toks[ps->ntoks++] = (tok){kind, leaf, field};
}

/* The caller's field named s[0..len) (ASCII case-insensitive), or NULL. */
static const char *find_field(const parser *ps, const char *s, size_t len)
{
    if (!ps->fields || len == 0) return NULL;
    for (const char *const *f = ps->fields; *f; f++)
        if (strlen(*f) == len && strncasecmp(*f, s, len) == 0) return *f;
    return NULL;
}

/* Remember "name:" of a word that looks like a field reference but names no
 * known field, so the note can say which. Only names made of ASCII letters
 * count, so "10:30" or "http://..." are not reported. */
static void check_unknown_field(parser *ps, const char *s, size_t len,
                                size_t rest)
{
    if (len == 0 || rest == 0 || len >= sizeof ps->unknown_field - 1) return;
    if (s[len + 1] == '/') return;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'))
            return;
    }
    if (!(ps->notes & N_UNKNOWN_FIELD)) {
        memcpy(ps->unknown_field, s, len);
        ps->unknown_field[len] = '\0';
    }
    ps->notes |= N_UNKNOWN_FIELD;
}

/* Makes the leaf for the word s[0..len): PREFIX when it ends in '*' after at
 * least two characters, otherwise WORD. */
static void lex_leaf_word(parser *ps, const char *s, size_t len)
{
    size_t stem = len;
    while (stem > 0 && s[stem - 1] == '*') stem--;
    cs_qnode *n;
    if (stem == len || stem == 0) {
        n = leaf_new(CS_Q_WORD, s, len);      /* no '*', or only stars */
    } else if (cp_count(s, stem) >= 2) {
        n = leaf_new(CS_Q_PREFIX, s, stem);
    } else {
        ps->notes |= N_SHORT_PREFIX;          /* "a*": too many matches */
        n = leaf_new(CS_Q_WORD, s, stem);
    }
    if (!n) { ps->oom = 1; return; }
    ps->nwords++;
    push_tok(ps, T_LEAF, n, NULL);
}

/* Lexes a quoted phrase; ps->p is at the opening quote of `qlen` bytes. */
static void lex_phrase(parser *ps, size_t qlen)
{
    const char *s = ps->p + qlen, *e = s, *next;
    size_t n = 0;
    while (e < ps->end && !is_quote_cp(utf8_at(e, ps->end, &n))) e += n;
    if (e < ps->end) {
        next = e + n;
    } else {
        ps->notes |= N_UNBALANCED_QUOTE;
        next = e;
    }
    ps->p = next;

    cs_qnode *ph = node_new(CS_Q_PHRASE);
    size_t cap = 0;
    if (!ph) { ps->oom = 1; return; }
    while (s < e) {
        s += space_len(s, e);
        if (s == e) break;
        const char *w = s;
        while (s < e) {
            size_t k;
            if (is_space_cp(utf8_at(s, e, &k))) break;
            s += k;
        }
        if (ps->nwords >= MAX_WORDS) {
            ps->notes |= N_TOO_MANY_WORDS;
            break;
        }
        if (node_add_text(ph, &cap, w, (size_t)(s - w)) < 0) {
            ps->oom = 1;
            cs_qnode_free(ph);
            return;
        }
        ps->nwords++;
    }
    if (ph->ntext == 0) {
        if (ps->nwords < MAX_WORDS) ps->notes |= N_EMPTY_PHRASE;
        /* title:"" -- the field must not attach to whatever comes next. */
        if (ps->ntoks > 0 && ps->toks[ps->ntoks - 1].kind == T_FIELD)
            ps->ntoks--;
        cs_qnode_free(ph);
        return;
    }
    push_tok(ps, T_LEAF, ph, NULL);
}

/* Handles '(' and ')', keeping the token stream balanced: opens beyond
 * MAX_DEPTH and their closes are dropped, closes without an open too. */
static void lex_paren(parser *ps, char c)
{
    ps->p++;
    if (c == '(') {
        if (ps->depth >= MAX_DEPTH) {
            ps->ignored_opens++;
            ps->notes |= N_TOO_DEEP;
        } else {
            ps->depth++;
            push_tok(ps, T_LPAREN, NULL, NULL);
        }
    } else if (ps->ignored_opens > 0) {
        ps->ignored_opens--;
    } else if (ps->depth > 0) {
        ps->depth--;
        push_tok(ps, T_RPAREN, NULL, NULL);
    } else {
        ps->notes |= N_UNMATCHED_RPAREN;
    }
}

/* Lexes a word at ps->p: an operator, a field prefix, or a leaf. */
static void lex_word(parser *ps)
{
    const char *s = ps->p, *e = word_end(s, ps->end);
    size_t len = (size_t)(e - s);
    int literal = ps->literal;
    ps->literal = 0;
    ps->p = e;
    if (!literal) {
        if (len == 2 && memcmp(s, "OR", 2) == 0) {
            push_tok(ps, T_OR, NULL, NULL);
            return;
        }
        if (len == 3 && memcmp(s, "AND", 3) == 0) {
            push_tok(ps, T_AND, NULL, NULL);
            return;
        }
        if (len == 3 && memcmp(s, "NOT", 3) == 0) {
            push_tok(ps, T_NOT, NULL, NULL);
            return;
        }
        const char *colon = memchr(s, ':', len);
        if (colon) {
            size_t nlen = (size_t)(colon - s), rest = len - nlen - 1;
            const char *f = find_field(ps, s, nlen);
            if (f && rest > 0) {              /* title:word */
                push_tok(ps, T_FIELD, NULL, f);
                ps->p = colon + 1;
                ps->literal = 1;
                return;
            }
            if (f && e < ps->end && (*e == '(' || starts_quote(e, ps->end))) {
                /* title:( or title:"... */
                push_tok(ps, T_FIELD, NULL, f);
                return;
            }
            if (f) {                          /* "title:" then a space */
                ps->notes |= N_FIELD_NO_TARGET;
                return;
            }
            check_unknown_field(ps, s, nlen, rest);
        }
    }
    lex_leaf_word(ps, s, len);
}

/* Handles '-' at the start of a word: NOT when something follows directly,
 * ignored when alone. Returns 0 when the '-' is part of a word ("--", "-"
 * followed by '-'), so the caller lexes a word. */
static int lex_minus(parser *ps)
{
    const char *n = ps->p + 1;
    if (n == ps->end || *n == ')' || space_len(n, ps->end)) {
        ps->notes |= N_LONE_MINUS;
        ps->p = n;
        return 1;
    }
    if (*n == '-') return 0;
    ps->p = n;
    push_tok(ps, T_NOT, NULL, NULL);
    return 1;
}

/* Turns the whole query into ps->toks. Stops early at MAX_WORDS. */
static void lex(parser *ps)
{
    while (!ps->oom) {
        ps->p += space_len(ps->p, ps->end);
        if (ps->p >= ps->end) break;
        if (ps->nwords >= MAX_WORDS) {
            /* Drop the rest: the note is enough, and the parser closes any
             * groups left open. */
            ps->notes |= N_TOO_MANY_WORDS;
            break;
        }
        size_t qlen;
        uint32_t c = utf8_at(ps->p, ps->end, &qlen);
        int literal = ps->literal;
        if (c == '(' || c == ')') {
            ps->literal = 0;
            lex_paren(ps, (char)c);
        } else if (is_quote_cp(c)) {
            ps->literal = 0;
            lex_phrase(ps, qlen);
        } else if (c == '-' && !literal && lex_minus(ps)) {
            continue;
        } else {
            lex_word(ps);
        }
    }
}

/* -------------------------------------------------------------- parser */

static cs_qnode *parse_and(parser *ps, int depth);

static tok_kind peek(const parser *ps)
{
    return ps->pos < ps->ntoks ? ps->toks[ps->pos].kind : T_END;
}

/* Tokens that can begin a unary expression. */
static int starts_unary(tok_kind k)
{
    return k == T_LEAF || k == T_LPAREN || k == T_FIELD || k == T_NOT;
}

/* Adds kid under list node n (AND or OR), splicing in the kids of a kid of
 * the same kind without a field: (a b) c is AND(a b c). Frees what it cannot
 * keep and sets ps->oom. */
static void list_add(parser *ps, cs_qnode *n, size_t *cap, cs_qnode *kid)
{
    if (!kid) return;
    if (kid->kind == n->kind && !kid->field) {
        for (size_t i = 0; i < kid->nkids; i++) {
            if (node_push_kid(n, cap, kid->kids[i]) < 0) {
                ps->oom = 1;
                cs_qnode_free(kid->kids[i]);
            }
        }
        kid->nkids = 0;
        cs_qnode_free(kid);
        return;
    }
    if (node_push_kid(n, cap, kid) < 0) {
        ps->oom = 1;
        cs_qnode_free(kid);
    }
}

/* Returns n, or its only kid when it has one (freeing n), or NULL when it
 * has none. */
static cs_qnode *list_finish(cs_qnode *n)
{
    if (n->nkids > 1) return n;
    cs_qnode *only = n->nkids ? n->kids[0] : NULL;
    n->nkids = 0;
    cs_qnode_free(n);
    return only;
}

/* primary := LEAF | '(' and_expr ')'. The caller checked the token kind.
 * Returns NULL for an empty group. */
static cs_qnode *parse_primary(parser *ps, int depth)
{
    tok *t = &ps->toks[ps->pos++];
    if (t->kind == T_LEAF) {
        cs_qnode *leaf = t->leaf;
        t->leaf = NULL;
        return leaf;
    }
    cs_qnode *n = parse_and(ps, depth + 1);
    if (peek(ps) == T_RPAREN) ps->pos++;
    else ps->notes |= N_MISSING_RPAREN;
    if (!n && !ps->oom) ps->notes |= N_EMPTY_GROUP;
    return n;
}

/* FIELD primary | primary. A field applies to its node unless the node
 * (a one-element group) already names its own. */
static cs_qnode *parse_fielded(parser *ps, int depth)
{
    const char *field = NULL;
    if (peek(ps) == T_FIELD) field = ps->toks[ps->pos++].field;
    tok_kind k = peek(ps);
    if (k != T_LEAF && k != T_LPAREN) {
        /* Only possible when the lexer stopped right after the field. */
        if (field) ps->notes |= N_FIELD_NO_TARGET;
        return NULL;
    }
    cs_qnode *n = parse_primary(ps, depth);
    if (n && field && !n->field) n->field = field;
    return n;
}

/* unary := (NOT | '-')* fielded. The NOTs are counted in a loop rather than
 * by recursion (a query of 50,000 NOTs must not overflow the stack); an even
 * number cancels out. */
static cs_qnode *parse_unary(parser *ps, int depth)
{
    size_t nots = 0;
    while (peek(ps) == T_NOT) {
        ps->pos++;
        nots++;
    }
    tok_kind k = peek(ps);
    if (k != T_LEAF && k != T_LPAREN && k != T_FIELD) {
        if (nots) ps->notes |= N_DANGLING_NOT;
        return NULL;
    }
    cs_qnode *n = parse_fielded(ps, depth);
    if (!n || nots == 0) return n;
    if (nots > 1) ps->notes |= N_DOUBLE_NOT;
    if (nots % 2 == 0) return n;
    cs_qnode *no = node_new(CS_Q_NOT);
    size_t cap = 0;
    if (!no || node_push_kid(no, &cap, n) < 0) {
        ps->oom = 1;
        cs_qnode_free(no);
        cs_qnode_free(n);
        return NULL;
    }
    return no;
}

/* or_expr := unary (OR unary)*. An OR with nothing usable after it is
 * skipped with a note. */
static cs_qnode *parse_or(parser *ps, int depth)
{
    cs_qnode *n = node_new(CS_Q_OR);
    size_t cap = 0;
    if (!n) { ps->oom = 1; return NULL; }
    list_add(ps, n, &cap, parse_unary(ps, depth));
    while (!ps->oom && peek(ps) == T_OR) {
        ps->pos++;
        if (!starts_unary(peek(ps))) {
            ps->notes |= N_DANGLING_OR;
            continue;
        }
        list_add(ps, n, &cap, parse_unary(ps, depth));
    }
    return list_finish(n);
}

/* and_expr := or_expr ([AND] or_expr)*, up to ')' (inside a group) or the
 * end. Operators with no left operand are skipped with a note. */
static cs_qnode *parse_and(parser *ps, int depth)
{
    cs_qnode *n = node_new(CS_Q_AND);
    size_t cap = 0;
    if (!n) { ps->oom = 1; return NULL; }
    while (!ps->oom) {
        tok_kind k = peek(ps);
        if (k == T_END) break;
        if (k == T_RPAREN) {
            if (depth > 0) break;
            ps->notes |= N_UNMATCHED_RPAREN;  /* the lexer prevents this */
            ps->pos++;
        } else if (k == T_AND) {
            ps->pos++;
            if (n->nkids == 0 || !starts_unary(peek(ps)))
                ps->notes |= N_DANGLING_AND;
        } else if (k == T_OR) {
            ps->pos++;                        /* OR with no left operand */
            ps->notes |= N_DANGLING_OR;
        } else {
            list_add(ps, n, &cap, parse_or(ps, depth));
        }
    }
    return list_finish(n);
}

/* ------------------------------------------------------------ results */

/* Non-zero if any text below n has a letter or digit: a query made only of
 * punctuation has nothing to search. */
static int has_alnum(const cs_qnode *n)
{
    for (size_t i = 0; i < n->ntext; i++) {
        const char *s = n->text[i];
        int32_t len = (int32_t)strlen(s), off = 0;
        while (off < len) {
            UChar32 c;
            U8_NEXT(s, off, len, c);
            if (c >= 0 && u_isalnum(c)) return 1;
        }
    }
    for (size_t i = 0; i < n->nkids; i++)
        if (has_alnum(n->kids[i])) return 1;
    return 0;
}

/* The notes joined by "; ", malloc'd; NULL if none (or out of memory). */
static char *notes_message(const parser *ps)
{
    if (!ps->notes) return NULL;
    size_t cap = 64 + sizeof ps->unknown_field, len = 0;
    for (int i = 0; i < CS_NOTE_PARSER_COUNT; i++)
        cap += strlen(cs_note_text((cs_note_id)i)) + 2;
    char *m = malloc(cap);
    if (!m) return NULL;
    m[0] = '\0';
    for (int i = 0; i < CS_NOTE_PARSER_COUNT; i++) {
        if (!(ps->notes & (1u << i))) continue;
        if (len) len += (size_t)snprintf(m + len, cap - len, "; ");
        if (i != CS_NOTE_UNKNOWN_FIELD)
            len += (size_t)snprintf(m + len, cap - len, "%s", cs_note_text((cs_note_id)i));
        else
            len += (size_t)snprintf(m + len, cap - len, CS_NOTE_UNKNOWN_FIELD_EN,
                                    ps->unknown_field);
    }
    return m;
}

/* See query_parser.h. */
cs_qnode *cs_query_parse(const char *q, const char *const *fields,
                         char **note)
{
    if (note) *note = NULL;
    if (!q) return NULL;
    size_t qlen = strlen(q);
    if (!utf8_valid((const unsigned char *)q, qlen)) {
        if (note) *note = strdup("query is not valid UTF-8");
        return NULL;
    }

    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.p = q;
    ps.end = q + qlen;
    ps.fields = fields;
    lex(&ps);
    cs_qnode *root = ps.oom ? NULL : parse_and(&ps, 0);

    for (size_t i = 0; i < ps.ntoks; i++) cs_qnode_free(ps.toks[i].leaf);
    free(ps.toks);
    if (ps.oom) {
        cs_qnode_free(root);
        return NULL;
    }
    if (root && !has_alnum(root)) {
        cs_qnode_free(root);
        root = NULL;
    }
    if (note) *note = notes_message(&ps);
    return root;
}

/* ----------------------------------------------------------- describe */

typedef struct dbuf {
    char *s;
    size_t len, cap;
    int oom;
} dbuf;

static void dbuf_add(dbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->oom) return;
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 64;
        while (nc < b->len + n + 1) nc *= 2;
        char *t = realloc(b->s, nc);
        if (!t) { b->oom = 1; return; }
        b->s = t;
        b->cap = nc;
    }
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

static void describe_into(dbuf *b, const cs_qnode *n)
{
    static const char *const names[] = {
        "WORD", "PHRASE", "PREFIX", "AND", "OR", "NOT"
    };
    if (n->field) {
        dbuf_add(b, n->field);
        dbuf_add(b, ":");
    }
    dbuf_add(b, (unsigned)n->kind < 6 ? names[n->kind] : "?");
    dbuf_add(b, "(");
    for (size_t i = 0; i < n->ntext; i++) {
        if (i) dbuf_add(b, " ");
        dbuf_add(b, n->text[i]);
    }
    for (size_t i = 0; i < n->nkids; i++) {
        if (i) dbuf_add(b, " ");
        describe_into(b, n->kids[i]);
    }
    dbuf_add(b, ")");
}

/* See query_parser.h. A NULL tree is described as "NULL". Returns NULL only
 * when out of memory. */
char *cs_qnode_describe(const cs_qnode *n)
{
    if (!n) return strdup("NULL");
    dbuf b = {0};
    describe_into(&b, n);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}
