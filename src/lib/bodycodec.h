/* bodycodec.h -- article bodies compressed with a dictionary shared by the index.
 *
 * Xapian compresses document data with zlib, one document at a time: news
 * articles are short, so zlib keeps 41% of a body (baomoi). Zstandard with a
 * dictionary trained on the corpus keeps 33% (held-out baomoi articles), which
 * is most of the difference between our compacted index and omindex's. The
 * dictionary is trained when an index generation is first filled and stored
 * in every shard's metadata (CS_ZDICT_KEY); it never changes for that
 * generation, so every compressed body stays readable.
 *
 * A compressed body is a Zstandard frame, recognised by its magic number: a
 * raw body is valid UTF-8 and can never start with those bytes. A codec is
 * not thread-safe: one per thread.
 */
#ifndef CS_BODYCODEC_H
#define CS_BODYCODEC_H

#include <stddef.h>

#define CS_ZDICT_KEY "cs:zdict"
/* Dictionary size: 64 KiB kept 32.6% of held-out baomoi bodies, 110 KiB
 * 32.3%; a smaller one is quicker to load in every searcher. */
#define CS_ZDICT_BYTES (64 * 1024)
/* Train once this much body text has been seen (or at the end of a run):
 * the first articles wait for it. On baomoi, 2 MB (~600 articles, 0.15 s
 * to train) kept 32.9% of held-out bodies, 7 MB 32.7%. */
#define CS_ZDICT_SAMPLE_BYTES (2u * 1024u * 1024u)

typedef struct cs_codec cs_codec;

/* A codec for the dictionary dict[0..len). len 0: no dictionary, bodies
 * are stored and read raw (an index too small to train one). NULL when out
 * of memory (errno ENOMEM) or when the dictionary is not a Zstandard
 * dictionary. */
cs_codec *cs_codec_new(const void *dict, size_t len);
void cs_codec_free(cs_codec *c);
int cs_codec_has_dict(const cs_codec *c);

/* Train a dictionary from n samples (sample i: samples[i], lens[i] bytes).
 * *dict malloc'd, *dict_len its size. -1 when there is too little to learn
 * from (or out of memory): then the index stores bodies raw. */
int cs_codec_train(const char *const *samples, const size_t *lens, size_t n,
                   char **dict, size_t *dict_len);

/* The body in its stored form: compressed with the dictionary, or the raw
 * bytes when the codec has none or compressing would not help. *out
 * malloc'd, *out_len bytes. 0, or -1 out of memory. */
int cs_codec_pack(cs_codec *c, const char *body, size_t len, char **out, size_t *out_len);

/* The body from its stored form; NUL-terminated, *out_len bytes. -1 with
 * errno EINVAL when it is compressed and cannot be read with this codec
 * (no dictionary, the wrong one, corrupt data), ENOMEM when out of memory. */
int cs_codec_unpack(cs_codec *c, const char *data, size_t len, char **out, size_t *out_len);

#endif
