/* strbuf.h -- a growable byte buffer for building strings. */
#ifndef CS_STRBUF_H
#define CS_STRBUF_H

#include <stddef.h>

/* A zeroed cs_buf is an empty buffer. After an allocation failure `oom` is
 * set and further appends are ignored, so callers check once at the end. */
typedef struct cs_buf {
    char *p;       /* NUL-terminated when len > 0 or after cs_buf_cstr */
    size_t len;
    size_t cap;
    int oom;
} cs_buf;

void cs_buf_append(cs_buf *b, const char *s, size_t n);
void cs_buf_puts(cs_buf *b, const char *s);
void cs_buf_putc(cs_buf *b, char c);
void cs_buf_printf(cs_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends `n` bytes with &, <, >, " and ' escaped for HTML. */
void cs_buf_append_html(cs_buf *b, const char *s, size_t n);
/* Never NULL unless out of memory: "" for an empty buffer. Owned by b. */
const char *cs_buf_cstr(cs_buf *b);
/* Hands the string to the caller (free() it) and resets the buffer. NULL
 * on out-of-memory. */
char *cs_buf_release(cs_buf *b);
void cs_buf_reset(cs_buf *b);   /* len = 0, keeps the memory */
void cs_buf_free(cs_buf *b);

#endif
