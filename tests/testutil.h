/* testutil.h -- small helpers shared by the cmocka tests. Include after cmocka.h. */
#ifndef CS_TESTUTIL_H
#define CS_TESTUTIL_H

#include <stdlib.h>
#include <string.h>

/* Data from ../shared is optional outside CI and required under CI=true.
 * (cmocka's skip() prints "not ok # SKIP", which meson counts as a failure,
 * so a skipped case passes with a message instead.) */
#define CS_SKIP_UNLESS_CI(what)                                              \
    do {                                                                     \
        const char *ci_ = getenv("CI");                                      \
        if (ci_ && strcmp(ci_, "true") == 0)                                 \
            fail_msg("%s is absent, and it is required under CI=true", (what)); \
        print_message("# %s is absent: skipping\n", (what));                 \
        return;                                                              \
    } while (0)

#endif
