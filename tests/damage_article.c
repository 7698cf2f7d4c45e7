/* damage_article.c -- test helper: damages one stored article in place.
 *
 * usage: damage_article INDEX ID header|body
 *
 * Rewrites the stored article of ID, in whichever shard of the index in
 * folder INDEX holds it, the way bit rot or a bad copy would: "header"
 * makes the whole stored article unreadable JSON; "body" keeps the header
 * and replaces the body with a Zstandard frame that is cut short. Terms,
 * values and docid stay: the article still matches what it matched. Exit
 * 0 when done, 2 when no shard holds ID, 1 on an error (said on stderr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docformat.h"
#include "index_layout.h"
#include "xapian_c.h"

static int fail(const char *what, const xc_error *e)
{
    fprintf(stderr, "damage_article: %s: %s\n", what, e ? e->message : "bad arguments");
    return 1;
}

/* The damaged copy of stored article `data` (malloc'd, *out_len bytes). */
static char *damage(const char *data, size_t len, int header, size_t *out_len)
{
    static const char garbled[] = "{\"id\": not json at all";
    static const char cut_frame[] = "\x28\xb5\x2f\xfd" "cut short";   /* zstd magic */
    const char *nl = memchr(data, '\n', len);
    size_t keep = header || !nl ? 0 : (size_t)(nl - data) + 1;
    const char *tail = header ? garbled : cut_frame;
    size_t tl = header ? sizeof garbled - 1 : sizeof cut_frame - 1;
    char *out = malloc(keep + tl);
    if (out) {
        memcpy(out, data, keep);
        memcpy(out + keep, tail, tl);
        *out_len = keep + tl;
    }
    return out;
}

/* Damages ID's stored article in `shard` (mode "header" or "body"): 0
 * when done, 2 when the shard does not hold ID, 1 on an error (said). */
static int damage_in(const char *shard, const char *id, const char *mode)
{
    char term[CS_MAX_TERM_BYTES + 8];
    if (cs_idterm(id, term, sizeof term) < 0)
        return fail("bad id", NULL);
    xc_error e;
    xc_error_clear(&e);
    xc_wdb *db = xc_wdb_open(shard, XC_DB_OPEN, &e);
    if (!db)
        return fail(shard, &e);
    xc_docid did;
    int found = xc_wdb_find_term(db, term, strlen(term), &did, &e);
    if (found <= 0) {
        xc_wdb_close(db);
        return found < 0 ? fail("find", &e) : 2;
    }
    xc_document *doc = NULL;
    char *data = NULL, *bad = NULL;
    size_t len = 0, bad_len = 0;
    int in_value = 0, rc = 1;
    if (xc_wdb_get_document(db, did, &doc, &e) < 0 ||
        xc_document_get_value(doc, CS_SLOT_ARTICLE, &data, &len, &e) < 0)
        goto out;
    in_value = len > 0;
    if (!in_value) {
        free(data);
        data = NULL;
        if (xc_document_get_data(doc, &data, &len, &e) < 0)
            goto out;
    }
    if (!(bad = damage(data, len, strcmp(mode, "header") == 0, &bad_len))) {
        snprintf(e.message, sizeof e.message, "out of memory");
        goto out;
    }
    if ((in_value ? xc_document_add_value(doc, CS_SLOT_ARTICLE, bad, bad_len, &e)
                  : xc_document_set_data(doc, bad, bad_len, &e)) == 0 &&
        xc_wdb_replace_by_term(db, term, strlen(term), doc, NULL, &e) == 0 &&
        xc_wdb_commit(db, &e) == 0)
        rc = 0;
out:
    if (rc)
        fail(id, &e);
    free(bad);
    free(data);
    xc_document_free(doc);
    xc_wdb_close(db);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[3], "header") != 0 && strcmp(argv[3], "body") != 0))
        return fail("usage: damage_article INDEX ID header|body", NULL);
    cs_layout l;
    char why[256] = "";
    if (cs_layout_read(argv[1], &l, why, sizeof why) != 0) {
        fprintf(stderr, "damage_article: %s: %s\n", argv[1], *why ? why : "no index there");
        return 1;
    }
    int rc = 2;
    for (unsigned i = 0; rc == 2 && i < l.nshards; i++)
        rc = damage_in(l.shard[i], argv[2], argv[3]);
    cs_layout_free(&l);
    return rc;
}
