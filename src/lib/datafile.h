/* datafile.h -- reading a data file (gazetteer, synonyms) given at run time. */
#ifndef CS_DATAFILE_H
#define CS_DATAFILE_H

#include <stddef.h>

/* The whole file at `path` in a malloc'd buffer (not NUL-terminated; *len
 * bytes). NULL with errno set when it cannot be read. The caller frees. */
char *cs_read_file(const char *path, size_t *len);

#endif
