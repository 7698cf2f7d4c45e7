/* index_layout.c -- generations, shards and the writer lock of an index folder. */
#include "index_layout.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define STUB_NAME "XAPIANDB"
#define LOCK_NAME "write.lock"

/* Joins dir and name into a malloc'd path. */
static char *path_join(const char *dir, const char *name)
{
    char *p;
    if (asprintf(&p, "%s/%s", dir, name) < 0)
        return NULL;
    return p;
}

static int file_exists(const char *dir, const char *name)
{
    char *p = path_join(dir, name);
    struct stat st;
    int ok = p && stat(p, &st) == 0;
    free(p);
    return ok;
}

/* mkdir -p. */
static int make_dirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) < 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0777) < 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return rc;
}

/* The generation named by a shard path "gen-NNNNNN/shardK" (relative). */
static void generation_of(const char *rel, char out[32])
{
    out[0] = '\0';
    if (strncmp(rel, "gen-", 4) == 0) {
        size_t n = strcspn(rel, "/");
        if (n < 32) {
            memcpy(out, rel, n);
            out[n] = '\0';
        }
    }
}

/* Parse the stub: "auto PATH" lines (also "glass PATH"); '#' comments. */
static int read_stub(const char *dir, cs_layout *l, char *errbuf, size_t errlen)
{
    char *stub = path_join(dir, STUB_NAME);
    FILE *f = stub ? fopen(stub, "r") : NULL;
    if (!f) {
        snprintf(errbuf, errlen, "cannot read %s: %s", stub ? stub : dir, strerror(errno));
        free(stub);
        return -1;
    }
    char line[4096];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char kind[16], path[4000];
        if (line[0] == '#' || sscanf(line, "%15s %3999s", kind, path) != 2)
            continue;
        if (strcmp(kind, "auto") != 0 && strcmp(kind, "glass") != 0) {
            snprintf(errbuf, errlen, "%s lists a %s shard, which cannot be written here",
                     stub, kind);
            rc = -1;
        } else if (l->nshards == CS_MAX_SHARDS) {
            snprintf(errbuf, errlen, "%s lists more than %d shards", stub, CS_MAX_SHARDS);
            rc = -1;
        } else {
            if (l->nshards == 0)
                generation_of(path, l->generation);
            if (!(l->shard[l->nshards++] =
                      path[0] == '/' ? strdup(path) : path_join(dir, path)))
                rc = -1;
        }
    }
    fclose(f);
    if (rc == 0 && l->nshards == 0) {
        snprintf(errbuf, errlen, "%s lists no shard", stub);
        rc = -1;
    }
    free(stub);
    return rc;
}

int cs_layout_read(const char *dir, cs_layout *l, char *errbuf, size_t errlen)
{
    memset(l, 0, sizeof *l);
    if (file_exists(dir, "iamglass")) {
        l->nshards = 1;
        l->shard[0] = strdup(dir);
        return l->shard[0] ? 0 : -1;
    }
    if (!file_exists(dir, STUB_NAME))
        return 1;
    if (read_stub(dir, l, errbuf, errlen) == 0)
        return 0;
    cs_layout_free(l);
    return -1;
}

/* The highest generation number among dir's gen-NNNNNN folders (0 if none). */
static long max_generation(const char *dir)
{
    long max = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        char *end;
        if (strncmp(de->d_name, "gen-", 4) != 0)
            continue;
        long g = strtol(de->d_name + 4, &end, 10);
        if (*end == '\0' && g > max)
            max = g;
    }
    if (d)
        closedir(d);
    return max;
}

int cs_layout_new_generation(const char *dir, unsigned nshards, cs_layout *l,
                             char *errbuf, size_t errlen)
{
    memset(l, 0, sizeof *l);
    if (make_dirs(dir) < 0) {
        snprintf(errbuf, errlen, "cannot create index folder %s: %s", dir, strerror(errno));
        return -1;
    }
    if (nshards == 0 || nshards > CS_MAX_SHARDS)
        nshards = 2;
    snprintf(l->generation, sizeof l->generation, "gen-%06ld", max_generation(dir) + 1);
    char *gen = path_join(dir, l->generation);
    /* A leftover folder of a crashed run with this number: start it over. */
    int made = gen && (mkdir(gen, 0777) == 0 || errno == EEXIST);
    free(gen);
    if (!made) {
        snprintf(errbuf, errlen, "cannot create %s/%s: %s", dir, l->generation, strerror(errno));
        return -1;
    }
    for (unsigned i = 0; i < nshards; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s/shard%u", l->generation, i);
        if (!(l->shard[l->nshards++] = path_join(dir, name))) {
            cs_layout_free(l);
            return -1;
        }
    }
    return 0;
}

/* fsync `path` (a file or a folder). 0, or -1 with errno set. */
static int sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int cs_layout_write_stub(const char *dir, const cs_layout *l, char *errbuf,
                         size_t errlen)
{
    char *tmp = path_join(dir, STUB_NAME ".tmp");
    char *stub = path_join(dir, STUB_NAME);
    FILE *f = tmp ? fopen(tmp, "w") : NULL;
    int rc = -1;
    if (f) {
        size_t dl = strlen(dir);
        for (unsigned i = 0; i < l->nshards; i++) {
            /* Relative to the folder when inside it: the index can move. */
            const char *p = l->shard[i];
            if (strncmp(p, dir, dl) == 0 && p[dl] == '/')
                p += dl + 1;
            fprintf(f, "auto %s\n", p);
        }
        rc = fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;
        if (fclose(f) != 0)
            rc = -1;
        if (rc == 0)
            rc = rename(tmp, stub);
        /* The folder too: until its entry is on disk a crash can bring the
         * previous stub back, so the caller must keep what that one names. */
        if (rc == 0 && sync_path(dir) < 0)
            rc = 1;
    }
    if (rc < 0) {
        snprintf(errbuf, errlen, "cannot write %s: %s", stub ? stub : dir, strerror(errno));
        if (tmp)
            unlink(tmp);
    }
    free(tmp);
    free(stub);
    return rc;
}

/* rm -r of a generation folder (only files and folders we made). */
static int remove_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *p = path_join(path, de->d_name);
        struct stat st;
        if (p && lstat(p, &st) == 0)
            S_ISDIR(st.st_mode) ? remove_tree(p) : unlink(p);
        free(p);
    }
    if (d)
        closedir(d);
    return rmdir(path);
}

/* fsync the regular files in folder `dir`, then the folder. */
static int sync_folder(const char *dir, char *errbuf, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(errbuf, errlen, "cannot read %s: %s", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    char path[4096];
    while (rc == 0 && (de = readdir(d))) {
        struct stat st;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        int err = 0;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= sizeof path)
            err = ENAMETOOLONG;
        else if (lstat(path, &st) < 0 || (S_ISREG(st.st_mode) && sync_path(path) < 0))
            err = errno;
        if (err) {
            snprintf(errbuf, errlen, "cannot sync %s/%s: %s", dir, de->d_name, strerror(err));
            rc = -1;
        }
    }
    closedir(d);
    if (rc == 0 && sync_path(dir) < 0) {
        snprintf(errbuf, errlen, "cannot sync %s: %s", dir, strerror(errno));
        rc = -1;
    }
    return rc;
}

int cs_layout_sync(const cs_layout *l, char *errbuf, size_t errlen)
{
    for (unsigned i = 0; i < l->nshards; i++)
        if (sync_folder(l->shard[i], errbuf, errlen) < 0)
            return -1;
    /* The generation folder holds the shard folders' entries, and the
     * index folder the generation's. */
    char path[4096];
    snprintf(path, sizeof path, "%s", l->nshards && l->generation[0] ? l->shard[0] : "");
    for (int up = 0; up < 2 && path[0]; up++) {
        char *slash = strrchr(path, '/');
        if (!slash)
            break;
        *slash = '\0';
        if (path[0] && sync_path(path) < 0) {
            snprintf(errbuf, errlen, "cannot sync %s: %s", path, strerror(errno));
            return -1;
        }
    }
    return 0;
}

int cs_layout_cleanup(const char *dir, const char *keep, const char *keep2)
{
    int removed = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (strncmp(de->d_name, "gen-", 4) != 0 ||
            (keep && strcmp(de->d_name, keep) == 0) ||
            (keep2 && strcmp(de->d_name, keep2) == 0))
            continue;
        char *p = path_join(dir, de->d_name);
        if (p && remove_tree(p) == 0)
            removed++;
        free(p);
    }
    if (d)
        closedir(d);
    return removed;
}

int cs_layout_lock(const char *dir, int wait, char *errbuf, size_t errlen)
{
    if (make_dirs(dir) < 0) {
        snprintf(errbuf, errlen, "cannot create index folder %s: %s", dir, strerror(errno));
        return -1;
    }
    char *p = path_join(dir, LOCK_NAME);
    int fd = p ? open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0666) : -1;
    if (fd < 0) {
        snprintf(errbuf, errlen, "cannot open %s: %s", p ? p : dir, strerror(errno));
        free(p);
        return -1;
    }
    if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
        char pid[32] = "";
        ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        snprintf(errbuf, errlen,
                 "index %s is being written by another job (pid %s); "
                 "use --wait to wait for it", dir, *pid ? pid : "unknown");
        close(fd);
        free(p);
        return -1;
    }
    /* Record our pid for the next job's message. The lock itself is the
     * flock, released by the kernel if we die, so a stale pid is harmless. */
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) < 0) {
        /* Only the message for others suffers; the lock holds. */
    }
    free(p);
    return fd;
}

void cs_layout_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}

int cs_layout_stat_stub(const char *dir, struct stat *st)
{
    char *p = path_join(dir, STUB_NAME);
    int rc = p ? stat(p, st) : -1;
    free(p);
    return rc;
}

void cs_layout_free(cs_layout *l)
{
    for (unsigned i = 0; i < l->nshards; i++)
        free(l->shard[i]);
    l->nshards = 0;
}
