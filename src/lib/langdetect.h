/* langdetect.h -- tell Vietnamese from English text. */
#ifndef CS_LANGDETECT_H
#define CS_LANGDETECT_H

#include <stddef.h>

/* Returns "vi" or "en" (static strings) for `len` bytes of UTF-8: Vietnamese
 * when a sizeable share of letters carry Vietnamese-only marks (ă â đ ê ô ơ ư
 * and tone marks), or, for text typed without marks, when common Vietnamese
 * function syllables dominate. Empty or undecidable text gives "en". */
const char *cs_detect_lang(const char *text, size_t len);

#endif
