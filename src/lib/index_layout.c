/* index_layout.c -- where the shards of an index folder live. */
#include "index_layout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STUB_NAME "XAPIANDB"

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

/* mkdir -p for the index folder itself. */
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
        } else if (!(l->shard[l->nshards++] =
                         path[0] == '/' ? strdup(path) : path_join(dir, path))) {
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

int cs_layout_load(const char *dir, unsigned nshards, cs_layout *l,
                   char *errbuf, size_t errlen)
{
    memset(l, 0, sizeof *l);
    if (file_exists(dir, "iamglass")) {
        l->nshards = 1;
        l->shard[0] = strdup(dir);
        return l->shard[0] ? 0 : -1;
    }
    if (file_exists(dir, STUB_NAME)) {
        if (read_stub(dir, l, errbuf, errlen) == 0)
            return 0;
        cs_layout_free(l);
        return -1;
    }
    if (make_dirs(dir) < 0) {
        snprintf(errbuf, errlen, "cannot create index folder %s: %s", dir, strerror(errno));
        return -1;
    }
    if (nshards == 0 || nshards > CS_MAX_SHARDS)
        nshards = 2;
    l->is_new = 1;
    char *gen = path_join(dir, "gen-000001");
    int made = gen && make_dirs(gen) == 0;
    free(gen);
    if (!made) {
        snprintf(errbuf, errlen, "cannot create %s/gen-000001: %s", dir, strerror(errno));
        return -1;
    }
    for (unsigned i = 0; i < nshards; i++) {
        char name[64];
        snprintf(name, sizeof name, "gen-000001/shard%u", i);
        if (!(l->shard[l->nshards++] = path_join(dir, name))) {
            cs_layout_free(l);
            return -1;
        }
    }
    return 0;
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

void cs_layout_free(cs_layout *l)
{
    for (unsigned i = 0; i < l->nshards; i++)
        free(l->shard[i]);
    memset(l, 0, sizeof *l);
}
