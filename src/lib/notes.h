/* notes.h -- the notes a search adds to its results, in English and in Vietnamese.
 *
 * A search that read its query in a best-effort way, or found nothing to
 * search for, or showed damaged articles, says so in one note
 * (cs_results.note): its parts joined by "; ", in English, as the CLI and
 * the JSON API give it. The web page in Vietnamese shows the same note
 * translated part by part (cs_note_translate). Both languages live in one
 * table (notes.c), so a note cannot be added in one and forgotten in the
 * other without the unit test noticing.
 */
#ifndef CS_NOTES_H
#define CS_NOTES_H

/* The notes. The first CS_NOTE_PARSER_COUNT are the query parser's, in the
 * order of its note bits (query_parser.c). Some are printf formats: their
 * English and Vietnamese texts take the same arguments in the same order. */
typedef enum cs_note_id {
    CS_NOTE_UNBALANCED_QUOTE,
    CS_NOTE_EMPTY_PHRASE,
    CS_NOTE_DANGLING_OR,
    CS_NOTE_DANGLING_AND,
    CS_NOTE_DANGLING_NOT,
    CS_NOTE_LONE_MINUS,
    CS_NOTE_DOUBLE_NOT,
    CS_NOTE_UNMATCHED_RPAREN,
    CS_NOTE_MISSING_RPAREN,
    CS_NOTE_EMPTY_GROUP,
    CS_NOTE_SHORT_PREFIX,
    CS_NOTE_TOO_DEEP,
    CS_NOTE_TOO_MANY_WORDS,
    CS_NOTE_FIELD_NO_TARGET,
    CS_NOTE_UNKNOWN_FIELD,      /* %s: the field's name (ASCII letters) */
    CS_NOTE_PARSER_COUNT,
    CS_NOTE_NO_WORDS = CS_NOTE_PARSER_COUNT,
    CS_NOTE_UNREADABLE,         /* %zu: how many hits; %s: a CS_NOTE_HINT_* */
    CS_NOTE_HINT_REBUILD,
    CS_NOTE_HINT_REINDEX,
    CS_NOTE_COUNT
} cs_note_id;

/* The English formats, as literals so that printf's argument checks see
 * them where they are used. */
#define CS_NOTE_UNKNOWN_FIELD_EN "unknown field '%s:' read as text"
#define CS_NOTE_UNREADABLE_EN                                                          \
    "%zu of the articles shown could not be read from the index (their stored text is " \
    "damaged): %s to repair them"

/* The English text (or format) of a note; NULL for an id out of range. */
const char *cs_note_text(cs_note_id id);

/* The Vietnamese text (or format) of a note; NULL for an id out of range. */
const char *cs_note_text_vi(cs_note_id id);

/* `note` (parts joined by "; ", as a search gives it) in language `lang`:
 * for "vi", each part that is one of the notes above (a format's arguments
 * carried over) in Vietnamese, any other part as it is; for any other
 * language, a copy. malloc'd; NULL when out of memory or note is NULL. */
char *cs_note_translate(const char *note, const char *lang);

#endif
