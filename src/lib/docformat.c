/* docformat.c -- the stored article's encoding, id terms and slug terms. */
#include "docformat.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "tokenizer.h"

/* Sets key to the string; an absent string is left out (one article in
 * two has no URL or date: leaving out the empty fields saved ~1 MB of
 * baomoi's compacted index). */
static int set_str(json_t *o, const char *key, const char *val)
{
    json_t *v = val ? json_string(val) : NULL;
    if (!val)
        return 0;
    if (!v)
        return -1;
    return json_object_set_new(o, key, v);
}

/* Sets key to a JSON array of the n strings; none: left out. */
static int set_list(json_t *o, const char *key, char *const *list, size_t n)
{
    if (n == 0)
        return 0;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        if (json_array_append_new(arr, json_string(list[i])) < 0) {
            json_decref(arr);
            return -1;
        }
    return arr ? json_object_set_new(o, key, arr) : -1;
}

char *cs_doc_data_encode(const cs_article *a, cs_codec *codec, size_t *len)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = set_str(o, "id", a->id) | set_str(o, "title", a->title) |
              set_str(o, "url", a->url) | set_str(o, "date", a->date) |
              set_str(o, "lang", a->lang) | set_str(o, "source", a->source) |
              set_list(o, "provinces", a->provinces, a->nprovinces) |
              set_list(o, "resolutions", a->resolutions, a->nresolutions) |
              set_list(o, "documents", a->documents, a->ndocuments);
    char *head = bad ? NULL : json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!head)
        return NULL;
    /* The header line, then the body as raw bytes: compact JSON escapes
     * newlines, so the first '\n' ends the header, and reading a hit does
     * not have to unescape a whole article. */
    char *body = NULL;
    size_t hl = strlen(head), bl = 0;
    if (cs_codec_pack(codec, a->body ? a->body : "", a->body ? a->body_len : 0, &body, &bl) < 0) {
        free(head);
        return NULL;
    }
    char *out = malloc(hl + 1 + bl + 1);
    if (out) {
        memcpy(out, head, hl);
        out[hl] = '\n';
        if (bl)
            memcpy(out + hl + 1, body, bl);
        out[hl + 1 + bl] = '\0';
        if (len)
            *len = hl + 1 + bl;
    }
    free(body);
    free(head);
    return out;
}

/* A malloc'd copy of o[key] if it is a string, else NULL. */
static char *get_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return NULL;
    return strndup(json_string_value(v), json_string_length(v));
}

/* The strings of array o[key] as a malloc'd list (NULL and 0 if absent). */
static char **get_list(json_t *o, const char *key, size_t *n)
{
    json_t *arr = json_object_get(o, key);
    *n = 0;
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return NULL;
    char **list = calloc(json_array_size(arr), sizeof *list);
    for (size_t i = 0; list && i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
        if (json_is_string(v) && (list[*n] = strdup(json_string_value(v))))
            (*n)++;
    }
    return list;
}

/* The header of stored `data` (up to its first '\n', or all of it) as an
 * article with every field but the body; *nl at the '\n' (NULL when there
 * is none) and *o the parsed header, which the caller drops with
 * json_decref. NULL (and *o NULL) when the header is not a JSON object or
 * out of memory. */
static cs_article *decode_header(const char *data, size_t len, const char **nl, json_t **o)
{
    *nl = memchr(data, '\n', len);
    size_t hl = *nl ? (size_t)(*nl - data) : len;
    *o = json_loadb(data, hl, 0, NULL);
    cs_article *a = json_is_object(*o) ? calloc(1, sizeof *a) : NULL;
    if (!a) {
        json_decref(*o);
        *o = NULL;
        return NULL;
    }
    a->id = get_str(*o, "id");
    a->title = get_str(*o, "title");
    a->url = get_str(*o, "url");
    a->date = get_str(*o, "date");
    a->lang = get_str(*o, "lang");
    a->source = get_str(*o, "source");
    a->provinces = get_list(*o, "provinces", &a->nprovinces);
    a->resolutions = get_list(*o, "resolutions", &a->nresolutions);
    a->documents = get_list(*o, "documents", &a->ndocuments);
    if (!a->title)
        a->title = strdup("");
    return a;
}

/* a, or NULL (a freed) when it lacks an id, title or body. */
static cs_article *complete(cs_article *a)
{
    if (a && (!a->id || !a->title || !a->body)) {
        cs_article_free(a);
        return NULL;
    }
    return a;
}

/* errno for a failed decode: ENOMEM when an allocation failed on the way
 * (malloc and friends set it), else EINVAL: the data is not ours. */
static cs_article *failed(void)
{
    if (errno != ENOMEM)
        errno = EINVAL;
    return NULL;
}

cs_article *cs_doc_data_decode(const char *data, size_t len, cs_codec *codec)
{
    const char *nl;
    json_t *o;
    errno = 0;
    cs_article *a = decode_header(data, len, &nl, &o);
    if (!a)
        return failed();
    json_t *body = json_object_get(o, "body");
    if (nl) {
        size_t hl = (size_t)(nl - data);
        if (cs_codec_unpack(codec, nl + 1, len - hl - 1, &a->body, &a->body_len) < 0)
            a->body = NULL;   /* unreadable: not ours, as documented */
    } else if (json_is_string(body)) {   /* the first format: body inside */
        a->body_len = json_string_length(body);
        a->body = malloc(a->body_len + 1);
        if (a->body) {
            memcpy(a->body, json_string_value(body), a->body_len);
            a->body[a->body_len] = '\0';
        }
    } else {
        a->body = strdup("");
    }
    json_decref(o);
    return (a = complete(a)) ? a : failed();
}

cs_article *cs_doc_data_salvage(const char *data, size_t len)
{
    const char *nl;
    json_t *o;
    errno = 0;
    cs_article *a = decode_header(data, len, &nl, &o);
    json_decref(o);
    if (a)
        a->body = strdup("");
    return (a = complete(a)) ? a : failed();
}

int cs_idterm(const char *id, char *buf, size_t bufsize)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > CS_MAX_ID_BYTES || n + 2 > bufsize)
        return -1;
    buf[0] = 'Q';
    memcpy(buf + 1, id, n + 1);
    return (int)(n + 1);
}

int cs_slug_term(const char *prefix, const char *name, char *buf, size_t bufsize)
{
    char folded[CS_MAX_TERM_BYTES];
    long n = cs_fold(name, strlen(name), folded, sizeof folded);
    size_t pl = strlen(prefix), out = pl;
    if (n < 0 || pl + 2 > bufsize)
        return -1;
    memcpy(buf, prefix, pl);
    int letters = 0, dash = 0;
    for (long i = 0; i < n; i++) {
        unsigned char c = (unsigned char)folded[i];
        /* Multi-byte characters (non-Latin letters) are kept as they are. */
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (!alnum) {
            dash = out > pl;
            continue;
        }
        if (out + 3 > bufsize)
            return -1;
        if (dash)
            buf[out++] = '-';
        dash = 0;
        buf[out++] = (char)c;
        letters = 1;
    }
    buf[out] = '\0';
    return letters ? (int)out : -1;
}
