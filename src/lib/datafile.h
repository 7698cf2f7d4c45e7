/* datafile.h -- reading a data file (gazetteer, synonyms) given at run time. */
#ifndef CS_DATAFILE_H
#define CS_DATAFILE_H

#include <stddef.h>

/* The whole file at `path` in a malloc'd buffer of *len bytes, followed by
 * a NUL (files may hold NULs too: use *len). NULL with errno set when it
 * cannot be read. The caller frees. */
char *cs_read_file(const char *path, size_t *len);

#endif
