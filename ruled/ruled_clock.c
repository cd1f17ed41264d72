/*
 * ruled_clock.c: ruled's two clocks.  ruled_now_ms() ages rules, asks,
 * DNS entries and verdicts kept for retransmits; test builds may run it
 * faster (TATTLE_TEST_TIME_SCALE) so that a 30 s rule expires in a
 * test.  ruled_now_ns() is real time, never scaled: the stage times
 * packetd counts and the short waits (events held for promptd, a
 * connection waiting for a DNS copy).
 */
#include <stdlib.h>
#include <time.h>

#include "compat.h"
#include "ruled.h"

unsigned int	 ruled_time_scale = 1;

void
ruled_clock_init(void)
{
#ifdef TATTLE_TEST_HOOKS
	if (getenv("TATTLE_TEST_TIME_SCALE") != NULL &&
	    atoi(getenv("TATTLE_TEST_TIME_SCALE")) > 0)
		ruled_time_scale = atoi(getenv("TATTLE_TEST_TIME_SCALE"));
#endif
}

uint64_t
ruled_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000) *
	    ruled_time_scale;
}

uint64_t
ruled_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
