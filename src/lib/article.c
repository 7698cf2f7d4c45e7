/* article.c -- freeing the article record the readers hand to the indexer. */
#include <stdlib.h>
#include "article.h"

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
    free(a);
}
