/* bodycodec.c -- article bodies compressed with a dictionary shared by the index. */
#include "bodycodec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zdict.h>
#include <zstd.h>

/* Level 3 (Zstandard's default): with a dictionary, higher levels kept
 * under 1% more of baomoi and cost several times the CPU. */
#define LEVEL 3

struct cs_codec {
    ZSTD_CDict *cdict;
    ZSTD_DDict *ddict;
    ZSTD_CCtx *cctx;
    ZSTD_DCtx *dctx;
};

cs_codec *cs_codec_new(const void *dict, size_t len)
{
    cs_codec *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (len == 0)
        return c;
    if (ZDICT_getDictID(dict, len) == 0 ||
        !(c->cdict = ZSTD_createCDict(dict, len, LEVEL)) ||
        !(c->ddict = ZSTD_createDDict(dict, len)) || !(c->cctx = ZSTD_createCCtx()) ||
        !(c->dctx = ZSTD_createDCtx()) ||
        /* A checksum per body (4 bytes): a damaged one is an error, never
         * a silently different article. */
        ZSTD_isError(ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_checksumFlag, 1)) ||
        ZSTD_isError(ZSTD_CCtx_refCDict(c->cctx, c->cdict))) {
        cs_codec_free(c);
        return NULL;
    }
    return c;
}

void cs_codec_free(cs_codec *c)
{
    if (!c)
        return;
    ZSTD_freeCDict(c->cdict);
    ZSTD_freeDDict(c->ddict);
    ZSTD_freeCCtx(c->cctx);
    ZSTD_freeDCtx(c->dctx);
    free(c);
}

int cs_codec_has_dict(const cs_codec *c)
{
    return c && c->cdict;
}

int cs_codec_train(const char *const *samples, const size_t *lens, size_t n,
                   char **dict, size_t *dict_len)
{
    *dict = NULL;
    *dict_len = 0;
    size_t total = 0, used = 0;
    for (size_t i = 0; i < n; i++)
        total += lens[i];
    /* Zstandard wants ~100x the dictionary size; with much less than 10x,
     * a dictionary is noise. */
    if (n < 16 || total < 8 * (size_t)CS_ZDICT_BYTES)
        return -1;
    char *buf = malloc(total);
    size_t *sizes = malloc(n * sizeof *sizes);
    char *d = malloc(CS_ZDICT_BYTES);
    int rc = -1;
    if (buf && sizes && d) {
        for (size_t i = 0; i < n; i++) {
            memcpy(buf + used, samples[i], lens[i]);
            used += lens[i];
            sizes[i] = lens[i];
        }
        size_t r = ZDICT_trainFromBuffer(d, CS_ZDICT_BYTES, buf, sizes, (unsigned)n);
        if (!ZDICT_isError(r)) {
            *dict = d;
            *dict_len = r;
            d = NULL;
            rc = 0;
        }
    }
    free(d);
    free(sizes);
    free(buf);
    return rc;
}

int cs_codec_pack(cs_codec *c, const char *body, size_t len, char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (cs_codec_has_dict(c)) {
        size_t cap = ZSTD_compressBound(len);
        char *z = malloc(cap);
        if (!z)
            return -1;
        size_t n = ZSTD_compress2(c->cctx, z, cap, body, len);
        if (!ZSTD_isError(n) && n < len) {
            *out = z;
            *out_len = n;
            return 0;
        }
        free(z);
    }
    if (!(*out = malloc(len ? len : 1)))
        return -1;
    memcpy(*out, body, len);
    *out_len = len;
    return 0;
}

/* Non-zero if data starts with a Zstandard frame's magic number. */
static int is_frame(const char *data, size_t len)
{
    static const unsigned char magic[4] = {0x28, 0xB5, 0x2F, 0xFD};
    return len >= 4 && memcmp(data, magic, 4) == 0;
}

int cs_codec_unpack(cs_codec *c, const char *data, size_t len, char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (!is_frame(data, len)) {
        if (!(*out = malloc(len + 1)))
            return -1;
        memcpy(*out, data, len);
        (*out)[len] = '\0';
        *out_len = len;
        return 0;
    }
    unsigned long long n = ZSTD_getFrameContentSize(data, len);
    /* Bodies are at most a few MB (text.c's limit): refuse anything else. */
    if (!cs_codec_has_dict(c) || n == ZSTD_CONTENTSIZE_UNKNOWN ||
        n == ZSTD_CONTENTSIZE_ERROR || n > (64ull << 20)) {
        errno = EINVAL;
        return -1;
    }
    char *b = malloc((size_t)n + 1);
    if (!b)
        return -1;
    size_t r = ZSTD_decompress_usingDDict(c->dctx, b, (size_t)n, data, len, c->ddict);
    if (ZSTD_isError(r) || r != n) {
        free(b);
        errno = EINVAL;
        return -1;
    }
    b[n] = '\0';
    *out = b;
    *out_len = (size_t)n;
    return 0;
}
