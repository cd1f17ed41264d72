/*
 * ruled_stats.c: ruled's counters, for `tattle stats`: connections by verdict,
 * by reason, by attribution source, by rule; DNS; prompts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "policy.h"
#include "ruled.h"
#include "stattext.h"

struct rule_hits {
	char		*name;
	uint64_t	 hits;
};

static struct rule_hits	 hits[MAX_RULE_STATS];
static uint64_t		 hits_dropped;	/* rules past the table */

static void	 ruled_stats_key(char *, size_t, const char *);

/* Counted by name in a bounded table; the rest in one sum. */
void
ruled_stats_rule_hit(const char *name)
{
	size_t	 i;

	for (i = 0; i < MAX_RULE_STATS && hits[i].name != NULL; i++)
		if (strcmp(hits[i].name, name) == 0) {
			hits[i].hits++;
			return;
		}
	if (i == MAX_RULE_STATS || (hits[i].name = strdup(name)) == NULL) {
		hits_dropped++;
		return;
	}
	hits[i].hits = 1;
}

/* A rule name as a key: printable ASCII kept, the rest as \xNN. */
static void
ruled_stats_key(char *out, size_t size, const char *name)
{
	size_t	 o = strlcpy(out, "by_rule.", size);
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p != '\0' && o + 5 < size;
	    p++) {
		if (*p > 0x20 && *p < 0x7f && *p != '\\')
			out[o++] = *p;
		else
			o += snprintf(out + o, size - o, "\\x%02x", *p);
	}
	out[o] = '\0';
}

void
ruled_stats_send(struct ruled *r, const struct msg *req)
{
	static const char *const vname[VERDICT_MAX] = {
		[VERDICT_ALLOW] = "allowed", [VERDICT_DENY] = "denied",
		[VERDICT_REJECT] = "rejected" };
	static const char *const rname[REASON_MAX] = {
		[REASON_RULE] = "by_reason.rule",
		[REASON_DEFAULT] = "by_reason.default",
		[REASON_ANSWER] = "by_reason.answer",
		[REASON_TIMEOUT] = "by_reason.timeout",
		[REASON_UNKNOWN] = "by_reason.unknown",
		[REASON_FAILMODE] = "by_reason.fail-mode" };
	static const char *const sname[SRC_MAX] = {
		[SRC_NONE] = "attribution.unknown",
		[SRC_FTRACE] = "attribution.ftrace",
		[SRC_SOCKDIAG] = "attribution.sock_diag",
		[SRC_PROC] = "attribution.proc" };
	static struct stattext	 st;
	struct ruled_stats	*s = &r->stats;
	struct msg_stats_req	 q;
	struct msg		 m;
	char			 key[256];
	size_t			 i;

	msg_get_body(req, &q, sizeof(q));
	stattext_init(&st);
	stattext_num(&st, "connections", s->conns);
	for (i = VERDICT_ALLOW; i < VERDICT_MAX; i++)
		stattext_num(&st, vname[i], s->verdicts[i]);
	for (i = REASON_RULE; i < REASON_MAX; i++)
		stattext_num(&st, rname[i], s->reasons[i]);
	for (i = 0; i < SRC_MAX; i++)
		stattext_num(&st, sname[i], s->sources[i]);
	stattext_num(&st, "unknown_processes", s->unknown);
	stattext_num(&st, "rules",
	    policy_rule_count(rules_policy()));
	stattext_num(&st, "rule_errors", s->rule_errors);
	stattext_num(&st, "prompts", s->prompts);
	stattext_num(&st, "prompt_joined", s->prompt_joined);
	stattext_num(&st, "prompt_timeouts",
	    s->prompt_timeouts);
	stattext_num(&st, "prompt_overflow",
	    s->prompt_overflow);
	stattext_num(&st, "prompt_again", s->prompt_again);
	stattext_num(&st, "dns_replies", s->dns_replies);
	stattext_num(&st, "dns_untrusted", s->dns_untrusted);
	stattext_num(&st, "dns_bad", s->dns_bad);
	stattext_num(&st, "dns_queries", s->dns_queries);
	stattext_num(&st, "dns_named", s->dns_named);
	stattext_num(&st, "host_unknown", s->host_unknown);
	stattext_num(&st, "ruled_fail_mode", s->failmode);
	stattext_num(&st, "repeats", s->repeats);
	stattext_num(&st, "by_rule_other", hits_dropped);
	for (i = 0; i < MAX_RULE_STATS && hits[i].name != NULL; i++) {
		ruled_stats_key(key, sizeof(key), hits[i].name);
		stattext_num(&st, key, hits[i].hits);
	}
	msg_init(&m, MSG_STATS, msg_id(req));
	msg_set_body(&m, &q, sizeof(q));
	msg_add_attr(&m, ATTR_STATS, st.buf, st.len);
	if (chan_send(&r->chans[C_PROMPT], &m) == -1)
		fatal("%s: to promptd", __func__);
}
