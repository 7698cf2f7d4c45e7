/* idset.h -- a set of strings (article ids), for pruning what a run did not see. */
#ifndef CS_IDSET_H
#define CS_IDSET_H

#include <stddef.h>

typedef struct cs_idset {
    char **slots;      /* open addressing; NULL = empty */
    size_t cap, n;
} cs_idset;

/* Adds a copy of s. 1 if added, 0 if already there, -1 out of memory. */
int cs_idset_add(cs_idset *set, const char *s, size_t len);
int cs_idset_has(const cs_idset *set, const char *s, size_t len);
void cs_idset_free(cs_idset *set);

#endif
