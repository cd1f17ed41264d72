/*
 * decide.c: one connection, one verdict.
 */
#include <string.h>

#include "compat.h"
#include "ruled.h"

static void	 decide_send(struct ruled *, uint32_t, uint32_t, uint32_t,
		    const char *);

static void
decide_send(struct ruled *r, uint32_t id, uint32_t verdict, uint32_t reason,
    const char *rule)
{
	struct msg_verdict	 v;
	struct msg		 m;

	memset(&v, 0, sizeof(v));
	v.verdict = verdict;
	v.reason = reason;
	msg_init(&m, MSG_VERDICT, id);
	msg_set_body(&m, &v, sizeof(v));
	if (rule != NULL)
		msg_add_str(&m, ATTR_RULE_NAME, rule);
	if (chan_send(&r->chans[C_PARENT], &m) == -1)
		fatal("%s: to packetd", __func__);
	r->stats.verdicts[verdict]++;
	r->stats.reasons[reason]++;
}

void
decide_conn(struct ruled *r, const struct msg *m)
{
	struct msg_conn_attr	 ca;

	msg_get_body(m, &ca, sizeof(ca));
	r->stats.conns++;
	decide_send(r, msg_id(m), r->cfg.default_action, REASON_DEFAULT, NULL);
}
