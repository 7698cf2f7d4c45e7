/* idset.h -- a set of strings with a count each: article ids (pruning what a
 * run did not see), words (spelling frequencies). */
#ifndef CS_IDSET_H
#define CS_IDSET_H

#include <stddef.h>

typedef struct cs_idset {
    char **slots;      /* open addressing; NULL = empty */
    unsigned *counts;  /* counts[i]: what cs_idset_count added for slots[i] */
    size_t cap, n;
} cs_idset;

/* Adds a copy of s. 1 if added, 0 if already there, -1 out of memory. */
int cs_idset_add(cs_idset *set, const char *s, size_t len);
/* Adds s if needed and adds `inc` to its count. 0, or -1 out of memory. */
int cs_idset_count(cs_idset *set, const char *s, size_t len, unsigned inc);
int cs_idset_has(const cs_idset *set, const char *s, size_t len);
/* Calls fn for each string with its count, in no order, until fn returns
 * non-zero (which is returned). */
int cs_idset_each(const cs_idset *set, int (*fn)(const char *s, unsigned count, void *ud),
                  void *ud);
void cs_idset_free(cs_idset *set);

#endif
