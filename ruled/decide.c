/*
 * decide.c: one connection, one verdict.  The connection's operands
 * come from packetd (the tuple, the socket's uid), attributord (the
 * process) and the DNS names ruled trusts; policy/ picks the rule.
 * No rule: the user is asked if someone can answer, else the default
 * action.  An unknown process is decided by the rules only when
 * InterceptUnknown says so.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <string.h>
#include <time.h>

#include "compat.h"
#include "policy.h"
#include "ruled.h"

#define DECIDE_MAX_PARENTS	64
#define DECIDE_MAX_ENV		MAX_ATTRS

struct decide_ctx {
	struct policy_conn	 pc;
	const char		*parents[DECIDE_MAX_PARENTS];
	struct policy_env	 env[DECIDE_MAX_ENV];
	char			 envbuf[MAX_MSGSIZE];
};

static void	 decide_build(struct ruled *, struct decide_ctx *,
		    const struct msg *, const struct msg_conn_attr *);
static uint32_t	 decide_map(enum policy_verdict);
static void	 decide_verdict(struct ruled *, uint32_t, uint32_t, uint32_t,
		    const char *);

static uint64_t
decide_now_ns(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The stage times of the connection being decided now, if any. */
static struct msg_verdict	 timing;

/* When the oldest event held for promptd was decided. */
static uint64_t			 events_since_ns;

/*
 * A connection's verdict to packetd, counted, and remembered for the
 * retransmits of its first packet (decided.c).
 */
void
decide_send(struct ruled *r, uint32_t id, const struct msg_conn_attr *ca,
    uint32_t verdict, uint32_t reason, const char *rule)
{
	decide_verdict(r, id, verdict, reason, rule);
	r->stats.verdicts[verdict]++;
	r->stats.reasons[reason]++;
	if (rule != NULL)
		stats_rule_hit(rule);
	if (reason != REASON_FAILMODE)
		decided_add(ca, verdict, reason);
}

/* The message alone: a retransmit's verdict is not counted again. */
static void
decide_verdict(struct ruled *r, uint32_t id, uint32_t verdict,
    uint32_t reason, const char *rule)
{
	struct msg_verdict	 v;
	struct msg		 m;

	v = timing;
	memset(&timing, 0, sizeof(timing));
	v.verdict = verdict;
	v.reason = reason;
	if (v.conn_stamp_ns != 0)
		v.rule_ns = decide_now_ns() - v.rule_ns;
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
decide_events_timeout(struct ruled *r)
{
	struct chan	*c = &r->chans[C_PROMPT];
	uint64_t	 due, now;

	if (chan_held(c) == 0)
		return -1;
	now = decide_now_ns();
	due = events_since_ns + EVENT_HOLD_MS * 1000000ull;
	if (now < due)
		return (int)((due - now) / 1000000ull) + 1;
	if (chan_release(c) == -1)
		log_debug("%s: promptd is gone", __func__);
	return -1;
}

/* Tell the clients that want events what was decided, and why. */
void
decide_event(struct ruled *r, const struct msg *src,
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
		events_since_ns = decide_now_ns();
	if (chan_send_later(&r->chans[C_PROMPT], &m) == -1)
		return;
	if (chan_held(&r->chans[C_PROMPT]) >= MAX_EVENTS_HELD &&
	    chan_release(&r->chans[C_PROMPT]) == -1)
		log_debug("%s: promptd is gone", __func__);
}

/* IPv4-mapped IPv6 addresses are IPv4, as Go prints them. */
void
decide_ip(struct policy_ip *ip, uint8_t family, const uint8_t *a)
{
	static const uint8_t	 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				    0xff, 0xff };

	memset(ip, 0, sizeof(*ip));
	if (family == AF_INET) {
		ip->family = 4;
		memcpy(ip->addr, a, 4);
	} else if (memcmp(a, mapped, sizeof(mapped)) == 0) {
		ip->family = 4;
		memcpy(ip->addr, a + 12, 4);
	} else {
		ip->family = 6;
		memcpy(ip->addr, a, 16);
	}
}

static void
decide_build(struct ruled *r, struct decide_ctx *d, const struct msg *m,
    const struct msg_conn_attr *ca)
{
	struct policy_conn	*pc = &d->pc;
	const struct msg_conn	*c = &ca->conn;
	const char		*kv, *eq;
	size_t			 i, n, off = 0, l;

	memset(pc, 0, sizeof(*pc));
	pc->path = msg_get_str(m, ATTR_PROC_PATH);
	pc->command = msg_get_str(m, ATTR_PROC_CMDLINE);
	n = msg_attr_count(m, ATTR_PROC_PARENT);
	for (i = 0; i < n && i < DECIDE_MAX_PARENTS; i++)
		d->parents[i] = msg_get_str_n(m, ATTR_PROC_PARENT, i);
	pc->parents = d->parents;
	pc->nparents = i;
	pc->attrs_cut = i < n;
	n = msg_attr_count(m, ATTR_PROC_ENV);
	for (i = 0; i < n; i++) {
		kv = msg_get_str_n(m, ATTR_PROC_ENV, i);
		if ((eq = strchr(kv, '=')) == NULL)
			continue;
		l = eq - kv;
		if (pc->nenv == DECIDE_MAX_ENV || off + l + 1 >
		    sizeof(d->envbuf)) {
			pc->attrs_cut = 1;
			break;
		}
		memcpy(d->envbuf + off, kv, l);
		d->envbuf[off + l] = '\0';
		d->env[pc->nenv].name = d->envbuf + off;
		d->env[pc->nenv++].value = eq + 1;
		off += l + 1;
	}
	pc->env = d->env;
	/* What attributord could not send whole (policy.h). */
	pc->command_cut = (ca->flags & CONN_F_CMDLINE_CUT) != 0;
	if (ca->flags & CONN_F_ATTRS_CUT)
		pc->attrs_cut = 1;
	/* Gone before /proc was read: what is missing is unknown, not "". */
	if (ca->flags & CONN_F_RACED) {
		if (pc->command == NULL)
			pc->command_cut = 1;
		pc->attrs_cut = 1;
	}
	/* A path that is not the host's: unknown (issue 15 item 1). */
	pc->path_unsure = (ca->flags & CONN_F_PATH_UNSURE) != 0;
	pc->md5 = msg_get_str(m, ATTR_PROC_MD5);
	pc->sha1 = msg_get_str(m, ATTR_PROC_SHA1);
	pc->pid = ca->pid;
	/* As OpenSnitch: the socket's owner from the queue, else the
	 * process's uid, else unknown. */
	if (c->uid != CONN_UID_UNKNOWN)
		pc->uid = c->uid;
	else if (ca->pid != 0)
		pc->uid = ca->puid;
	else
		pc->uid = -1;
	pc->proto = conn_proto_name(&c->t);
	decide_ip(&pc->src, c->t.family, c->t.saddr);
	decide_ip(&pc->dst, c->t.family, c->t.daddr);
	pc->sport = c->t.sport;
	pc->dport = c->t.dport;
	pc->host = names_host(r, c);
	pc->iface_in = msg_get_str(m, ATTR_IFACE_IN);
	pc->iface_out = msg_get_str(m, ATTR_IFACE_OUT);
}

static uint32_t
decide_map(enum policy_verdict v)
{
	switch (v) {
	case POLICY_ALLOW:
		return VERDICT_ALLOW;
	case POLICY_REJECT:
		return VERDICT_REJECT;
	default:
		return VERDICT_DENY;
	}
}

void
decide_conn(struct ruled *r, const struct msg *m)
{
	static struct decide_ctx d;
	struct msg_conn_attr	 ca;
	struct policy_result	 res;

	uint32_t		 verdict, reason;
	const char		*rule = NULL;

	/* rule_ns holds the start until decide_send() subtracts it. */
	timing.rule_ns = decide_now_ns();
	msg_get_body(m, &ca, sizeof(ca));
	timing.conn_stamp_ns = ca.conn.stamp_ns;
	timing.attr_ns = ca.attr_ns;
	if (ca.source >= SRC_MAX)
		fatalx("%s: attribution source %u", __func__, ca.source);
	/* A rule whose time is up must not decide, even within the tick. */
	rules_expire(r);
	/* The first packet again: one connection, one ask, one event. */
	if ((verdict = decided_find(&ca, &reason)) != VERDICT_NONE) {
		r->stats.repeats++;
		decide_verdict(r, msg_id(m), verdict, reason, NULL);
		return;
	}
	r->stats.conns++;
	r->stats.sources[ca.source]++;
	decide_build(r, &d, m, &ca);
	if (ca.source == SRC_NONE && !r->cfg.intercept_unknown) {
		r->stats.unknown++;
		verdict = r->cfg.default_action;
		reason = REASON_UNKNOWN;
	} else if (policy_match(rules_policy(), &d.pc, &res) == -1) {
		/* Out of memory: fail closed for this connection. */
		log_warnx("%s: out of memory; connection dropped", __func__);
		r->stats.failmode++;
		verdict = VERDICT_DENY;
		reason = REASON_FAILMODE;
	} else if (res.verdict != POLICY_NONE) {
		verdict = decide_map(res.verdict);
		reason = REASON_RULE;
		rule = res.rule;
	} else if (r->prompters > 0) {
		/* Held for a person: not a stage time. */
		memset(&timing, 0, sizeof(timing));
		prompt_conn(r, m, &ca, &d.pc);
		return;
	} else {
		/* No rule, nobody to ask: the default action at once. */
		verdict = r->cfg.default_action;
		reason = REASON_DEFAULT;
	}
	decide_send(r, msg_id(m), &ca, verdict, reason, rule);
	decide_event(r, m, &ca, d.pc.host, verdict, reason, rule);
}
