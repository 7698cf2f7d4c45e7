/* strbuf.c -- a growable byte buffer for building strings. */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Make room for `extra` more bytes plus a NUL. Returns 0, or -1 (and sets
 * oom) when memory runs out. */
static int buf_reserve(cs_buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (extra > ((size_t)-1) / 2 - b->len) {
        b->oom = 1;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void cs_buf_append(cs_buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n) < 0)
        return;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void cs_buf_puts(cs_buf *b, const char *s)
{
    cs_buf_append(b, s, strlen(s));
}

void cs_buf_putc(cs_buf *b, char c)
{
    cs_buf_append(b, &c, 1);
}

void cs_buf_printf(cs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        cs_buf_append(b, small, (size_t)n);
        return;
    }
    if (buf_reserve(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void cs_buf_append_html(cs_buf *b, const char *s, size_t n)
{
    size_t run = 0;   /* start of the pending run of plain bytes */
    for (size_t i = 0; i < n; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '"': esc = "&quot;"; break;
        case '\'': esc = "&#39;"; break;
        default: continue;
        }
        cs_buf_append(b, s + run, i - run);
        cs_buf_puts(b, esc);
        run = i + 1;
    }
    cs_buf_append(b, s + run, n - run);
}

const char *cs_buf_cstr(cs_buf *b)
{
    if (buf_reserve(b, 0) < 0)
        return NULL;
    b->p[b->len] = '\0';
    return b->p;
}

char *cs_buf_release(cs_buf *b)
{
    if (!cs_buf_cstr(b)) {
        cs_buf_free(b);
        return NULL;
    }
    char *p = b->p;
    memset(b, 0, sizeof *b);
    return p;
}

void cs_buf_reset(cs_buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

void cs_buf_free(cs_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}
