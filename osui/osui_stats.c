/*
 * osui_stats.c: the Statistics OpenSnitch's UI shows.  tattle's stats
 * reply gives the counters; the by_* tables and the event list are built here
 * from tattle's events, bounded as OpenSnitch bounds them: a full table
 * forgets its least-hit key, a full event list its oldest event.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "osui.h"

static void	 stats_tally_event(struct osui_stats *,
		    const struct osui_event *);

void
osui_stats_init(struct osui_stats *s)
{
	memset(s, 0, sizeof(*s));
}

void
osui_stats_free(struct osui_stats *s)
{
	size_t	 i, j;

	osui_stats_clear_events(s);
	for (i = 0; i < OSUI_BY_MAX; i++)
		for (j = 0; j < s->by[i].n; j++)
			free(s->by[i].key[j]);
	free(s->version);
	memset(s, 0, sizeof(*s));
}

void
osui_tally_add(struct osui_tally *t, const char *key)
{
	size_t	 i, low = 0;
	char	*k;

	if (key == NULL || key[0] == '\0')
		return;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->key[i], key) == 0) {
			t->hits[i]++;
			return;
		}
	if ((k = osui_strdup(key)) == NULL)
		return;
	if (t->n == MAX_OSUI_STATS) {
		for (i = 1; i < t->n; i++)
			if (t->hits[i] < t->hits[low])
				low = i;
		free(t->key[low]);
		t->key[low] = k;
		t->hits[low] = 1;
		return;
	}
	t->key[t->n] = k;
	t->hits[t->n++] = 1;
}

static void
stats_tally_event(struct osui_stats *s, const struct osui_event *e)
{
	char	 num[16];

	osui_tally_add(&s->by[OSUI_BY_PROTO], e->conn.protocol);
	osui_tally_add(&s->by[OSUI_BY_ADDR], e->conn.dst_ip);
	osui_tally_add(&s->by[OSUI_BY_HOST], e->conn.host);
	snprintf(num, sizeof(num), "%u", (unsigned int)e->conn.dst_port);
	osui_tally_add(&s->by[OSUI_BY_PORT], num);
	if (e->conn.has_uid) {
		snprintf(num, sizeof(num), "%u", (unsigned int)e->conn.uid);
		osui_tally_add(&s->by[OSUI_BY_UID], num);
	}
	if (e->conn.has_process)
		osui_tally_add(&s->by[OSUI_BY_EXE], e->conn.path);
}

/*
 * Take e (its strings now belong to s).  The UI tells events apart by
 * their stamp, so two in the same nanosecond get consecutive ones.
 */
void
osui_stats_add_event(struct osui_stats *s, struct osui_event *e)
{
	stats_tally_event(s, e);
	if (e->unixnano <= s->last_nano)
		e->unixnano = s->last_nano + 1;
	s->last_nano = e->unixnano;
	if (s->nevents == MAX_OSUI_EVENTS) {
		osui_event_free(&s->events[0]);
		memmove(&s->events[0], &s->events[1],
		    (MAX_OSUI_EVENTS - 1) * sizeof(s->events[0]));
		s->nevents--;
	}
	s->events[s->nevents++] = *e;
	memset(e, 0, sizeof(*e));
}

void
osui_stats_clear_events(struct osui_stats *s)
{
	size_t	 i;

	for (i = 0; i < s->nevents; i++)
		osui_event_free(&s->events[i]);
	s->nevents = 0;
}

/* OpenSnitch's Event.time: "2006-01-02 15:04:05", local time. */
int
osui_event_time(int64_t unixnano, char *out, size_t len)
{
	struct tm	 tm;
	time_t		 t = (time_t)(unixnano / 1000000000);

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%d %H:%M:%S", &tm) == 0) {
		if (len > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}
