/* index_layout.h -- where the shards of an index folder live.
 *
 * An index folder holds XAPIANDB, a Xapian stub file with one line per shard
 * ("auto gen-000001/shard0"), paths relative to the folder. Xapian opens the
 * folder through the stub, so readers need nothing from this file; writers
 * use it to find (or create) the shards. A folder that is itself a glass
 * database is a one-shard index.
 */
#ifndef CS_INDEX_LAYOUT_H
#define CS_INDEX_LAYOUT_H

#include <stddef.h>

#define CS_MAX_SHARDS 16

typedef struct cs_layout {
    unsigned nshards;
    char *shard[CS_MAX_SHARDS];   /* absolute or dir-relative paths, malloc'd */
    int is_new;                   /* no index was there: the stub is still to write */
} cs_layout;

/* Find the shards of the index in `dir`, or plan a new one with `nshards`
 * shards in "gen-000001" when there is none. Returns 0, or -1 with a message
 * (e.g. the stub names a remote shard, which cannot be written). */
int cs_layout_load(const char *dir, unsigned nshards, cs_layout *out,
                   char *errbuf, size_t errlen);

/* Write the stub for `l` atomically (temp file, fsync, rename), so a reader
 * sees either the old or the new stub. Returns 0 or -1 with a message. */
int cs_layout_write_stub(const char *dir, const cs_layout *l, char *errbuf,
                         size_t errlen);

void cs_layout_free(cs_layout *l);

#endif
