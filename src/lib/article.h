/* article.h -- one article as the readers produce it and the indexer takes it. */
#ifndef CS_ARTICLE_H
#define CS_ARTICLE_H

#include <stddef.h>

/* All strings are clean UTF-8 (see text.h), NUL-terminated and owned by the
 * article. Optional fields are NULL when absent. */
typedef struct cs_article {
    char *id;         /* stable id: doc_id/id, else path relative to root sans extension */
    char *title;      /* never NULL; "" when the article has none */
    char *body;       /* never NULL; may be "" */
    size_t body_len;
    char *url;        /* optional */
    char *date;       /* optional, "YYYY-MM-DD" as given by a header or JSON field */
    char *province;   /* optional, as given by a JSON field */
    char *lang;       /* optional, "vi" or "en" as given; NULL -> detect */
    char *source;     /* where it came from, for messages: "path" or "path:line" */
    /* Filled from the index (stored data), not by the readers: */
    char **provinces;     /* provinces the article names, main one first */
    size_t nprovinces;
    char **resolutions;   /* canonical resolution numbers */
    size_t nresolutions;
    char **documents;     /* other legal documents (decrees, decisions...) */
    size_t ndocuments;
} cs_article;

/* Frees a list of n strings and the list. */
void cs_strlist_free(char **list, size_t n);

/* Frees every field and the article itself. NULL is a no-op. */
void cs_article_free(cs_article *a);

#endif
