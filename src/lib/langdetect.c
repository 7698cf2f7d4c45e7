/* langdetect.c -- tell Vietnamese from English text, in one pass over bytes.
 *
 * Two signals, both cheap:
 *  1. Marked letters. Vietnamese writes tone and vowel marks on a large share
 *     of its letters (20-35% in the baomoi corpus); English articles about
 *     Vietnam carry a few marked place names at most (under 0.5% in the seed
 *     articles). Letters with the marks Vietnamese uses (à á â ã è é ê ì í ò
 *     ó ô õ ù ú ý ă đ ĩ ũ ơ ư, both cases, and the Latin Extended Additional
 *     letters U+1EA0-U+1EF9) count as marked; at 3% of all letters or more,
 *     the text is Vietnamese.
 *  2. For text typed without marks: the share of words that are common
 *     Vietnamese syllables; 8% or more is Vietnamese (baomoi articles
 *     stripped of their marks score about 20%, the English seed articles at
 *     most 1%). The list leaves out syllables that are English words ("an",
 *     "hay", "rat") or parts of names that English articles about Vietnam
 *     repeat ("Viet Nam", "Ha Tinh", "Son La", "Gia Lai", "Da Nang", "Ho Chi
 *     Minh", "Binh Duong", "Viet Cong"), so those articles stay English.
 * Against both, English function words ("the", "of", "is"...): where they
 * make up 15% of the words or more (about a quarter of English prose, none
 * of Vietnamese), the text is English whatever else it holds. That keeps a
 * short English sentence with one marked name ("Bắc Giang is famous for its
 * lychees") English, although its marked share is above 3%.
 */
#include "langdetect.h"

#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define MARKED_PERCENT 3   /* marked letters per 100 letters for "vi" */
#define SYLLABLE_PERCENT 8  /* listed syllables per 100 words for "vi" */
#define EN_WORD_PERCENT 15  /* English function words per 100 words */
#define MAX_WORD 6          /* longest word in the lists below */

/* Common Vietnamese syllables as typed without marks. */
static const char *const vi_syllables[] = {
    "va",   "cua",   "cac",  "nhung", "duoc", "nguoi", "trong", "khong",
    "mot",  "cho",   "voi",  "tai",   "nhu",  "nay",   "cung",  "khi",
    "ve",   "nhieu", "ngay", "sau",   "neu",  "dang",  "tren",  "nhan",
    "phai", "nhat",  "thi",  "vao",   "bi",   "viec",  "cuoc",  "chung",
    "ngoai", "hien", "dau",  "tuy",   "dieu", "truoc", "moi",   "khac",
    "tich", "thuc",  "giua", "nhom",  "doanh", "nghiep", "nuoc", "huyen",
    "hoat", "trien", "chuc", "duoi",
};

/* English function words that are not Vietnamese syllables too ("an",
 * "a", "do", "no" are). */
static const char *const en_words[] = {
    "the",  "of",   "and",  "to",    "in",   "is",   "for",  "on",
    "with", "that", "by",   "was",   "are",  "as",   "at",   "from",
    "this", "be",   "has",  "have",  "it",   "its",  "were", "which",
    "will", "their", "been", "or",   "after", "said",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Non-zero if the lower-case ASCII word w[0..n) is in list[0..count). */
static int in_list(const char *const *list, size_t count, const char *w,
                   size_t n) {
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0) return 1;
    return 0;
}

/* Non-zero if c is a Latin letter with a mark Vietnamese uses. */
static int is_vi_marked(UChar32 c) {
    if (c >= 0x1EA0 && c <= 0x1EF9) return 1;
    /* c | 0x20 equals one of these only for c itself or its capital (C0-DF);
     * the multiplication and division signs (D7, F7) are not listed. */
    switch (c | 0x20) {
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: /* à á â ã */
    case 0xE8: case 0xE9: case 0xEA:            /* è é ê */
    case 0xEC: case 0xED:                       /* ì í */
    case 0xF2: case 0xF3: case 0xF4: case 0xF5: /* ò ó ô õ */
    case 0xF9: case 0xFA: case 0xFD:            /* ù ú ý */
        return 1;
    }
    switch (c) {
    case 0x102: case 0x103: /* Ă ă */
    case 0x110: case 0x111: /* Đ đ */
    case 0x128: case 0x129: /* Ĩ ĩ */
    case 0x168: case 0x169: /* Ũ ũ */
    case 0x1A0: case 0x1A1: /* Ơ ơ */
    case 0x1AF: case 0x1B0: /* Ư ư */
        return 1;
    }
    return 0;
}

/* Counts gathered in the one pass. */
typedef struct lang_counts {
    size_t letters, marked;   /* letters, and those with Vietnamese marks */
    size_t words;             /* words (runs of letters) */
    size_t syllables, en;     /* words in vi_syllables, in en_words */
} lang_counts;

/* Close the current word: an all-ASCII word of at most MAX_WORD letters
 * is looked up in the word lists. */
static void end_word(lang_counts *lc, const char *w, size_t n, int ascii) {
    if (n == 0) return;
    lc->words++;
    if (!ascii || n > MAX_WORD) return;
    if (in_list(vi_syllables, COUNT(vi_syllables), w, n))
        lc->syllables++;
    else if (in_list(en_words, COUNT(en_words), w, n))
        lc->en++;
}

const char *cs_detect_lang(const char *text, size_t len) {
    lang_counts lc = {0, 0, 0, 0, 0};
    char word[MAX_WORD];
    size_t wlen = 0;  /* letters in the current word */
    int ascii = 1;    /* the current word is all ASCII so far */
    const uint8_t *p = (const uint8_t *)text;
    size_t i = 0;

    if (!text) return "en";
    while (i < len) {
        UChar32 c = p[i];
        if (c < 0x80) {
            i++;
            if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
                lc.letters++;
                if (wlen < MAX_WORD) word[wlen] = (char)(c | 0x20);
                wlen++;
                continue;
            }
        } else {
            /* Decode over a window so offsets stay within int32_t. */
            int32_t j = 0, n = (int32_t)(len - i < 4 ? len - i : 4);
            U8_NEXT(p + i, j, n, c);
            i += (size_t)j;
            if (c >= 0 && u_isalpha(c)) {
                lc.letters++;
                if (is_vi_marked(c)) lc.marked++;
                wlen++;
                ascii = 0;
                continue;
            }
        }
        /* Not a letter: apostrophes stay inside words ("people's"). */
        if (c == '\'' && wlen > 0) {
            ascii = 0;
            continue;
        }
        end_word(&lc, word, wlen, ascii);
        wlen = 0;
        ascii = 1;
    }
    end_word(&lc, word, wlen, ascii);

    if (lc.letters == 0) return "en";
    if (lc.en * 100 >= lc.words * EN_WORD_PERCENT) return "en";
    if (lc.marked * 100 >= lc.letters * MARKED_PERCENT) return "vi";
    if (lc.words > 0 && lc.syllables * 100 >= lc.words * SYLLABLE_PERCENT)
        return "vi";
    return "en";
}
