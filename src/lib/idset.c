/* idset.c -- a set of strings with counts: open addressing, FNV-1a. */
#include "idset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

/* The slot holding s, or the empty slot where it would go. */
static size_t find(char *const *slots, size_t cap, const char *s, size_t len)
{
    size_t i = hash(s, len) & (cap - 1);
    while (slots[i] && !(strncmp(slots[i], s, len) == 0 && slots[i][len] == '\0'))
        i = (i + 1) & (cap - 1);
    return i;
}

static int grow(cs_idset *set)
{
    size_t cap = set->cap ? set->cap * 2 : 1024;
    char **slots = calloc(cap, sizeof *slots);
    unsigned *counts = calloc(cap, sizeof *counts);
    if (!slots || !counts) {
        free(slots);
        free(counts);
        return -1;
    }
    for (size_t i = 0; i < set->cap; i++)
        if (set->slots[i]) {
            size_t k = find(slots, cap, set->slots[i], strlen(set->slots[i]));
            slots[k] = set->slots[i];
            counts[k] = set->counts[i];
        }
    free(set->slots);
    free(set->counts);
    set->slots = slots;
    set->counts = counts;
    set->cap = cap;
    return 0;
}

/* The slot of s, added if needed; -1 out of memory. */
static long slot_of(cs_idset *set, const char *s, size_t len, int *added)
{
    /* Keep the load under 1/2 so probes stay short. */
    if ((set->n + 1) * 2 > set->cap && grow(set) < 0)
        return -1;
    size_t i = find(set->slots, set->cap, s, len);
    *added = 0;
    if (!set->slots[i]) {
        if (!(set->slots[i] = strndup(s, len)))
            return -1;
        set->n++;
        *added = 1;
    }
    return (long)i;
}

int cs_idset_add(cs_idset *set, const char *s, size_t len)
{
    int added;
    return slot_of(set, s, len, &added) < 0 ? -1 : added;
}

int cs_idset_count(cs_idset *set, const char *s, size_t len, unsigned inc)
{
    int added;
    long i = slot_of(set, s, len, &added);
    if (i < 0)
        return -1;
    set->counts[i] += inc;
    return 0;
}

int cs_idset_each(const cs_idset *set, int (*fn)(const char *s, unsigned count, void *ud),
                  void *ud)
{
    for (size_t i = 0; i < set->cap; i++) {
        int rc = set->slots[i] ? fn(set->slots[i], set->counts[i], ud) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

int cs_idset_has(const cs_idset *set, const char *s, size_t len)
{
    return set->cap && set->slots[find(set->slots, set->cap, s, len)] != NULL;
}

void cs_idset_free(cs_idset *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i]);
    free(set->slots);
    free(set->counts);
    memset(set, 0, sizeof *set);
}
