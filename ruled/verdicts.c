/*
 * verdicts.c: what ruled says about a connection once it is decided:
 * the verdict to packetd (counted, and remembered for the retransmits
 * of its first packet) and the event to the clients that watch.  The
 * decision (decide.c) and the asks (prompt.c) both end here.
 */
#include <string.h>
#include <time.h>

#include "compat.h"
#include "ruled.h"

/* When the oldest event held for promptd was decided. */
static uint64_t	 events_since_ns;

/*
 * A connection's verdict to packetd, counted, and remembered for the
 * retransmits of its first packet (decided.c).  t: the stage times of
 * a connection decided as it came, NULL for one held for an answer.
 */
void
verdict_send(struct ruled *r, uint32_t id, const struct msg_conn_attr *ca,
    uint32_t verdict, uint32_t reason, const char *rule,
    const struct verdict_timing *t)
{
	verdict_repeat(r, id, verdict, reason, rule, t);
	r->stats.verdicts[verdict]++;
	r->stats.reasons[reason]++;
	if (rule != NULL)
		ruled_stats_rule_hit(rule);
	if (reason != REASON_FAILMODE)
		decided_add(ca, verdict, reason);
}

/* The message alone: a retransmit's verdict is not counted again. */
void
verdict_repeat(struct ruled *r, uint32_t id, uint32_t verdict,
    uint32_t reason, const char *rule, const struct verdict_timing *t)
{
	struct msg_verdict	 v;
	struct msg		 m;

	memset(&v, 0, sizeof(v));
	v.verdict = verdict;
	v.reason = reason;
	if (t != NULL && t->conn_stamp_ns != 0) {
		v.conn_stamp_ns = t->conn_stamp_ns;
		v.attr_ns = t->attr_ns;
		v.rule_ns = ruled_now_ns() - t->rule_start_ns;
	}
	msg_init(&m, MSG_VERDICT, id);
	msg_set_body(&m, &v, sizeof(v));
	if (rule != NULL)
		msg_add_str(&m, ATTR_RULE_NAME, rule);
	if (chan_send(&r->chans[C_PARENT], &m) == -1)
		fatal("%s: to packetd", __func__);
}

/*
 * Events wait for promptd a little (up to EVENT_HOLD_MS, or until
 * MAX_EVENTS_HELD are waiting, or until anything else goes to promptd):
 * one wake-up for many connections instead of one each, taken off the
 * path of the connections that follow.  Returns the milliseconds until
 * the held events are due, -1 when none are held.
 */
int
verdict_events_timeout(struct ruled *r)
{
	struct chan	*c = &r->chans[C_PROMPT];
	uint64_t	 due, now;

	if (chan_held(c) == 0)
		return -1;
	now = ruled_now_ns();
	due = events_since_ns + EVENT_HOLD_MS * 1000000ull;
	if (now < due)
		return (int)((due - now) / 1000000ull) + 1;
	if (chan_release(c) == -1)
		log_debug("%s: promptd is gone", __func__);
	return -1;
}

/* Tell the clients that want events what was decided, and why. */
void
verdict_event(struct ruled *r, const struct msg *src,
    const struct msg_conn_attr *ca, const char *host, uint32_t verdict,
    uint32_t reason, const char *rule)
{
	struct msg_event	 e;
	struct msg		 m;
	struct timespec		 ts;

	if (r->listeners == 0)
		return;
	memset(&e, 0, sizeof(e));
	e.ca = *ca;
	e.verdict = verdict;
	e.reason = reason;
	clock_gettime(CLOCK_REALTIME, &ts);
	e.time_ns = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	msg_init(&m, MSG_EVENT, msg_id(src));
	msg_set_body(&m, &e, sizeof(e));
	if (msg_copy_attrs(&m, src, ATTR_CONN_ATTRS) == -1 ||
	    (host != NULL && host[0] != '\0' &&
	    msg_add_str(&m, ATTR_HOST, host) == -1) ||
	    (rule != NULL && msg_add_str(&m, ATTR_RULE_NAME, rule) == -1)) {
		log_debug("%s: event does not fit a message", __func__);
		return;
	}
	/* Events may be lost when promptd lags; verdicts never are. */
	if (chan_held(&r->chans[C_PROMPT]) == 0)
		events_since_ns = ruled_now_ns();
	if (chan_send_later(&r->chans[C_PROMPT], &m) == -1)
		return;
	if (chan_held(&r->chans[C_PROMPT]) >= MAX_EVENTS_HELD &&
	    chan_release(&r->chans[C_PROMPT]) == -1)
		log_debug("%s: promptd is gone", __func__);
}
