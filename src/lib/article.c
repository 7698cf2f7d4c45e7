/* article.c -- freeing the article record the readers hand to the indexer. */
#include <stdlib.h>
#include "article.h"

void cs_strlist_free(char **list, size_t n)
{
    for (size_t i = 0; list && i < n; i++)
        free(list[i]);
    free(list);
}

/* Frees every field and the article itself. NULL is a no-op. */
void cs_article_free(cs_article *a)
{
    if (a == NULL)
        return;
    free(a->id);
    free(a->title);
    free(a->body);
    free(a->url);
    free(a->date);
    free(a->province);
    free(a->lang);
    free(a->source);
    cs_strlist_free(a->provinces, a->nprovinces);
    cs_strlist_free(a->resolutions, a->nresolutions);
    cs_strlist_free(a->documents, a->ndocuments);
    free(a);
}
