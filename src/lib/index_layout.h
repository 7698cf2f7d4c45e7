/* index_layout.h -- generations, shards and the writer lock of an index folder.
 *
 * An index folder holds:
 *   XAPIANDB        a Xapian stub file naming the current generation's shards
 *                   ("auto gen-000002/shard0"), relative to the folder;
 *   gen-NNNNNN/     generations, each with its shards (glass databases);
 *   write.lock      the writers' lock (flock), holding the writer's pid.
 * Readers open the folder and Xapian follows the stub, searching all shards as
 * one; they never touch the lock. A rebuild or compaction writes a new
 * generation, then swaps the stub with rename(), so readers see the old index
 * until the new one is complete. A folder that is itself a glass database is
 * a one-shard index (no generations).
 */
#ifndef CS_INDEX_LAYOUT_H
#define CS_INDEX_LAYOUT_H

#include <stddef.h>
#include <sys/stat.h>

#define CS_MAX_SHARDS 16

typedef struct cs_layout {
    unsigned nshards;
    char *shard[CS_MAX_SHARDS];   /* paths (dir-relative ones joined to dir), malloc'd */
    char generation[32];          /* "gen-000002", or "" for a bare glass database */
} cs_layout;

/* Read the layout of the index in `dir`. Returns 0, 1 when there is no index
 * there (no stub, not a glass database), or -1 with a message (e.g. the stub
 * names a remote shard, which cannot be written). */
int cs_layout_read(const char *dir, cs_layout *out, char *errbuf, size_t errlen);

/* Plan a new generation, one past the highest in `dir`, with `nshards`
 * shards, and create its folder (the shards themselves are created by
 * opening them for writing). Creates `dir` if needed. 0 or -1 with message. */
int cs_layout_new_generation(const char *dir, unsigned nshards, cs_layout *out,
                             char *errbuf, size_t errlen);

/* Write the stub for `l` atomically (temp file, fsync, rename, fsync of
 * the folder), so a reader sees either the old or the new stub. Returns 0;
 * 1 when the new stub is in place but the folder could not be synced (a
 * crash may bring the old one back: keep the generation it names); or -1
 * with a message, the old stub still in place. */
int cs_layout_write_stub(const char *dir, const cs_layout *l, char *errbuf,
                         size_t errlen);

/* fsync every file of every shard of `l`, each shard folder, the
 * generation folder and the index folder: what a writer opened with
 * XC_DB_NO_SYNC wrote is on disk when this returns 0. -1 with a message
 * (naming the file) on error. */
int cs_layout_sync(const cs_layout *l, char *errbuf, size_t errlen);

/* Remove generation folders other than `keep` and `keep2` (either may be
 * NULL or ""). Readers still holding an old generation open keep reading it
 * (open files outlive unlinking), so only generations older than the one
 * just replaced are removed. Returns the number removed. */
int cs_layout_cleanup(const char *dir, const char *keep, const char *keep2);

/* Take the writers' lock of `dir` (creating the folder if needed). With
 * `wait`, block until it is free; else fail at once naming the holder's
 * pid. Returns a descriptor to pass to cs_layout_unlock, or -1 with a
 * message. */
int cs_layout_lock(const char *dir, int wait, char *errbuf, size_t errlen);
void cs_layout_unlock(int fd);

/* stat() of the index's stub file: readers compare it to notice a swapped
 * generation. 0, or -1 (errno set) when there is none. */
int cs_layout_stat_stub(const char *dir, struct stat *st);

void cs_layout_free(cs_layout *l);

#endif
