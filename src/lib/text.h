/* text.h -- turning raw bytes from the corpus into clean, NFC UTF-8. */
#ifndef CS_TEXT_H
#define CS_TEXT_H

#include <stddef.h>

/* What cs_text_clean() found and changed, for warnings. Offsets are byte
 * offsets in the raw input. */
typedef struct cs_clean_report {
    size_t invalid_sequences;     /* invalid UTF-8 sequences replaced by U+FFFD */
    size_t first_invalid_offset;
    size_t control_chars;         /* NUL and C0/C1 controls removed (not \t \n) */
    size_t first_control_offset;
    int had_bom;                  /* a leading UTF-8 BOM was dropped */
    int had_crlf;                 /* CRLF or lone CR turned into LF */
    int changed_by_nfc;           /* NFC normalisation changed the text */
} cs_clean_report;

/* Clean `len` raw bytes: drop a leading BOM, turn CRLF/CR into LF, replace
 * invalid UTF-8 with U+FFFD, remove NUL and control characters other than
 * tab and newline (replaced by a space when between words), map typographic
 * apostrophe U+2019 to ' inside words, and normalise to NFC (ICU).
 * Returns a malloc'd NUL-terminated string (*out_len bytes, may be NULL) and
 * fills `rep` (may be NULL). Returns NULL only when out of memory or ICU
 * fails. */
char *cs_text_clean(const char *in, size_t len, size_t *out_len,
                    cs_clean_report *rep);

/* Non-zero if `len` bytes look like a binary file rather than text: NUL
 * bytes, or a high share of invalid UTF-8 or control bytes in the first
 * 64 KiB. */
int cs_text_looks_binary(const char *in, size_t len);

/* Non-zero if `len` bytes are valid UTF-8. */
int cs_utf8_valid(const char *s, size_t len);

#endif
