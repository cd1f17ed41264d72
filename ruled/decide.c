/*
 * decide.c: one connection, one verdict.  policy/ picks the rule for the
 * connection's operands (operands.c).  No rule: the user is asked if
 * someone can answer (prompt.c), else the default action.  An unknown
 * process is decided by the rules only when InterceptUnknown says so.
 * No I/O here: the verdict and the event leave through verdicts.c.
 */
#include "compat.h"
#include "policy.h"
#include "ruled.h"

static uint32_t	 decide_map(enum policy_verdict);

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
	struct msg_conn_attr		 ca;
	struct policy_result		 res;
	struct verdict_timing		 t;
	const struct policy_conn	*pc;
	uint32_t			 verdict, reason;
	const char			*rule = NULL;

	t.rule_start_ns = ruled_now_ns();
	msg_get_body(m, &ca, sizeof(ca));
	t.conn_stamp_ns = ca.conn.stamp_ns;
	t.attr_ns = ca.attr_ns;
	if (ca.source >= SRC_MAX)
		fatalx("%s: attribution source %u", __func__, ca.source);
	/* A rule whose time is up must not decide, even within the tick. */
	rules_expire(r);
	/* The first packet again: one connection, one ask, one event. */
	if ((verdict = decided_find(&ca, &reason)) != VERDICT_NONE) {
		r->stats.repeats++;
		verdict_repeat(r, msg_id(m), verdict, reason, NULL, &t);
		return;
	}
	r->stats.conns++;
	r->stats.sources[ca.source]++;
	pc = operands_build(r, m, &ca);
	if (ca.source == SRC_NONE && !r->cfg.intercept_unknown) {
		r->stats.unknown++;
		verdict = r->cfg.default_action;
		reason = REASON_UNKNOWN;
	} else if (policy_match(rules_policy(), pc, &res) == -1) {
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
		/* Held for a person: no stage times. */
		prompt_conn(r, m, &ca, pc);
		return;
	} else {
		/* No rule, nobody to ask: the default action at once. */
		verdict = r->cfg.default_action;
		reason = REASON_DEFAULT;
	}
	verdict_send(r, msg_id(m), &ca, verdict, reason, rule, &t);
	verdict_event(r, m, &ca, pc->host, verdict, reason, rule);
}
