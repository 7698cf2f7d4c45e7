/* docformat.c -- encoding articles into Xapian document data and back. */
#include "docformat.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Sets key to the string, or to null when the string is absent. */
static int set_str(json_t *o, const char *key, const char *val)
{
    json_t *v = val ? json_string(val) : json_null();
    if (!v)
        return -1;
    return json_object_set_new(o, key, v);
}

char *cs_doc_data_encode(const cs_article *a, size_t *len)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = set_str(o, "id", a->id) | set_str(o, "title", a->title) |
              set_str(o, "url", a->url) | set_str(o, "date", a->date) |
              set_str(o, "lang", a->lang) | set_str(o, "source", a->source);
    json_t *body = json_stringn(a->body ? a->body : "", a->body ? a->body_len : 0);
    if (!body || json_object_set_new(o, "body", body) < 0)
        bad = 1;
    char *s = bad ? NULL : json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (s && len)
        *len = strlen(s);
    return s;
}

/* A malloc'd copy of o[key] if it is a string, else NULL. */
static char *get_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return NULL;
    return strndup(json_string_value(v), json_string_length(v));
}

cs_article *cs_doc_data_decode(const char *data, size_t len)
{
    json_t *o = json_loadb(data, len, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return NULL;
    }
    cs_article *a = calloc(1, sizeof *a);
    if (!a) {
        json_decref(o);
        return NULL;
    }
    a->id = get_str(o, "id");
    a->title = get_str(o, "title");
    a->url = get_str(o, "url");
    a->date = get_str(o, "date");
    a->lang = get_str(o, "lang");
    a->source = get_str(o, "source");
    json_t *body = json_object_get(o, "body");
    if (json_is_string(body)) {
        a->body_len = json_string_length(body);
        a->body = malloc(a->body_len + 1);
        if (a->body) {
            memcpy(a->body, json_string_value(body), a->body_len);
            a->body[a->body_len] = '\0';
        }
    } else {
        a->body = strdup("");
    }
    if (!a->title)
        a->title = strdup("");
    json_decref(o);
    if (!a->id || !a->title || !a->body) {
        cs_article_free(a);
        return NULL;
    }
    return a;
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
