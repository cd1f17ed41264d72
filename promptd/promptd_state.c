/*
 * promptd_state.c: what all of promptd's files share and call back
 * into: the process's state (channels, configuration, counters) and its
 * clock.  It calls nothing, so no file's calls come back round to the
 * file that made them.
 */
#include <time.h>

#include "compat.h"
#include "promptd.h"

struct promptd_state	 pds;

uint64_t
promptd_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
