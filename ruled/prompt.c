/*
 * prompt.c: asking the user.  A connection no rule decides is held
 * while someone who can answer is connected; connections of the same
 * user, executable and command line to the same destination join the
 * ask that is open.  An answer decides those of them its rule (or, for
 * "once", its match list) covers; the rest stay held and are asked
 * again.  The answer's rule is in force before the held connections are
 * released.  No answer in time: the default action for those
 * connections alone, and no rule.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "policy.h"
#include "ruled.h"

struct ask {
	uint32_t		 id;
	int64_t			 deadline;	/* ruled_now_ms */
	struct ask_info		 info;
	struct msg		*first;		/* the CONN_ATTR that asked */
	uint32_t		 conns[MAX_ASK_CONNS];
	struct msg_conn_attr	 bodies[MAX_ASK_CONNS];
	size_t			 nconns;
};

static struct ask	*asks[MAX_ASKS];
static uint32_t		 next_ask_id = 1;

static void	 prompt_info(struct ask_info *, const struct msg *,
		    const struct msg_conn_attr *, const struct policy_conn *);
static struct ask *prompt_find(const struct ask_info *);
static struct ask *prompt_by_id(uint32_t, size_t *);
static void	 prompt_send_ask(struct ruled *, const struct ask *,
		    const char *);
static size_t	 prompt_close(struct ruled *, size_t, uint32_t, uint32_t,
		    uint32_t, const char *, uint32_t);
static int	 prompt_covers(const struct ask *, size_t, uint32_t);
static void	 prompt_again(struct ruled *, size_t);

static void
prompt_info(struct ask_info *i, const struct msg *m,
    const struct msg_conn_attr *ca, const struct policy_conn *pc)
{
	const char	*s;

	memset(i, 0, sizeof(*i));
	if ((s = msg_get_str(m, ATTR_PROC_PATH)) != NULL)
		strlcpy(i->path, s, sizeof(i->path));
	if ((s = msg_get_str(m, ATTR_PROC_CMDLINE)) != NULL)
		strlcpy(i->command, s, sizeof(i->command));
	strlcpy(i->host, pc->host != NULL ? pc->host : "", sizeof(i->host));
	policy_ip_format(&pc->dst, i->ip, sizeof(i->ip));
	strlcpy(i->proto, pc->proto, sizeof(i->proto));
	i->port = pc->dport;
	i->uid = pc->uid;
}

/*
 * The same user, executable and command line to the same destination:
 * one question.  What a rule made from the answer can match is then the
 * same for all of them but the address, when a name joined several.
 */
static struct ask *
prompt_find(const struct ask_info *i)
{
	size_t	 k;

	for (k = 0; k < MAX_ASKS; k++)
		if (asks[k] != NULL && asks[k]->info.port == i->port &&
		    asks[k]->info.uid == i->uid &&
		    strcmp(asks[k]->info.path, i->path) == 0 &&
		    strcmp(asks[k]->info.command, i->command) == 0 &&
		    strcmp(asks[k]->info.proto, i->proto) == 0 &&
		    strcmp(asks[k]->info.host, i->host) == 0 &&
		    (i->host[0] != '\0' ||
		    strcmp(asks[k]->info.ip, i->ip) == 0))
			return asks[k];
	return NULL;
}

static struct ask *
prompt_by_id(uint32_t id, size_t *slot)
{
	size_t	 k;

	for (k = 0; k < MAX_ASKS; k++)
		if (asks[k] != NULL && asks[k]->id == id) {
			*slot = k;
			return asks[k];
		}
	return NULL;
}

static void
prompt_send_ask(struct ruled *r, const struct ask *a, const char *host)
{
	struct msg_ask	 body;
	struct msg	 m;

	memset(&body, 0, sizeof(body));
	body.ca = a->bodies[0];
	body.timeout_ms = r->cfg.prompt_timeout_ms;
	msg_init(&m, MSG_ASK, a->id);
	msg_set_body(&m, &body, sizeof(body));
	if (msg_copy_attrs(&m, a->first, ATTR_CONN_ATTRS) == -1 ||
	    (host[0] != '\0' && msg_add_str(&m, ATTR_HOST, host) == -1))
		fatalx("%s: ask does not fit a message", __func__);
	if (chan_send(&r->chans[C_PROMPT], &m) == -1)
		fatal("%s: to promptd", __func__);
}

/* No rule decides this connection, and someone can answer. */
void
prompt_conn(struct ruled *r, const struct msg *m,
    const struct msg_conn_attr *ca, const struct policy_conn *pc)
{
	struct ask_info	 info;
	struct ask	*a;
	size_t		 k;

	prompt_info(&info, m, ca, pc);
	if ((a = prompt_find(&info)) != NULL) {
		if (a->nconns < MAX_ASK_CONNS) {
			a->conns[a->nconns] = msg_id(m);
			a->bodies[a->nconns++] = *ca;
			r->stats.prompt_joined++;
			return;
		}
	} else {
		for (k = 0; k < MAX_ASKS && asks[k] != NULL; k++)
			;
		if (k < MAX_ASKS) {
			if ((a = calloc(1, sizeof(*a))) == NULL ||
			    (a->first = malloc(sizeof(*a->first))) == NULL)
				fatal(NULL);
			memcpy(a->first, m, sizeof(*m));
			a->id = next_ask_id++;
			a->deadline = ruled_now_ms() +
			    (int64_t)r->cfg.prompt_timeout_ms *
			    ruled_time_scale;
			a->info = info;
			a->conns[0] = msg_id(m);
			a->bodies[0] = *ca;
			a->nconns = 1;
			asks[k] = a;
			r->stats.prompts++;
			prompt_send_ask(r, a, info.host);
			return;
		}
	}
	/* Too many questions open: this one gets the default action. */
	r->stats.prompt_overflow++;
	verdict_send(r, msg_id(m), ca, r->cfg.default_action, REASON_DEFAULT,
	    NULL, NULL);
	verdict_event(r, m, ca, pc->host, r->cfg.default_action,
	    REASON_DEFAULT, NULL);
}

/*
 * Whether an answer matching what `match` names covers joined
 * connection i.  The ask's key (user, executable, command line,
 * protocol, port, host) is the same for every connection that joined;
 * only the address may differ, when a name stood for several.
 */
static int
prompt_covers(const struct ask *a, size_t i, uint32_t match)
{
	const struct conn_tuple	*t0 = &a->bodies[0].conn.t;
	const struct conn_tuple	*t = &a->bodies[i].conn.t;

	/* No name: a rule on the host matches the address (answer_rule.c). */
	if ((match & MATCH_HOST) && a->info.host[0] == '\0')
		match |= MATCH_IP;
	if ((match & MATCH_IP) == 0)
		return 1;
	return t->family == t0->family &&
	    memcmp(t->daddr, t0->daddr, sizeof(t->daddr)) == 0;
}

/*
 * The connections an answer did not cover, left in the ask by
 * prompt_close(): asked again, as a new question about the first of
 * them.  After the answer's result, so that its client reads the
 * result first.
 */
static void
prompt_again(struct ruled *r, size_t slot)
{
	struct ask		*a = asks[slot];
	struct policy_ip	 ip;

	if (a == NULL)
		return;
	a->id = next_ask_id++;
	a->deadline = ruled_now_ms() +
	    (int64_t)r->cfg.prompt_timeout_ms * ruled_time_scale;
	operands_ip(&ip, a->bodies[0].conn.t.family, a->bodies[0].conn.t.daddr);
	policy_ip_format(&ip, a->info.ip, sizeof(a->info.ip));
	r->stats.prompts++;
	r->stats.prompt_again++;
	prompt_send_ask(r, a, a->info.host);
}

/*
 * Close an ask: every waiting connection that `match` covers gets the
 * verdict (MATCH_ALL: all of them) and the prompters are told it is
 * gone.  Returns how many are left: they stay in the slot, for
 * prompt_again().
 */
static size_t
prompt_close(struct ruled *r, size_t slot, uint32_t verdict, uint32_t reason,
    uint32_t gone, const char *rule, uint32_t match)
{
	struct ask		*a = asks[slot];
	struct msg_ask_gone	 g;
	struct msg		 m;
	size_t			 i, left = 0;

	for (i = 0; i < a->nconns; i++) {
		if (!prompt_covers(a, i, match)) {
			a->conns[left] = a->conns[i];
			a->bodies[left++] = a->bodies[i];
			continue;
		}
		verdict_send(r, a->conns[i], &a->bodies[i], verdict, reason,
		    rule, NULL);
		verdict_event(r, a->first, &a->bodies[i], a->info.host,
		    verdict, reason, rule);
	}
	memset(&g, 0, sizeof(g));
	g.reason = gone;
	msg_init(&m, MSG_ASK_GONE, a->id);
	msg_set_body(&m, &g, sizeof(g));
	if (chan_send(&r->chans[C_PROMPT], &m) == -1)
		fatal("%s: to promptd", __func__);
	if ((a->nconns = left) > 0)
		return left;
	free(a->first);
	free(a);
	asks[slot] = NULL;
	return 0;
}

/* A prompter's answer (id: the ask). */
void
prompt_answer(struct ruled *r, const struct msg *m)
{
	struct msg_answer	 ans;
	char			*json;
	struct policy_err	 err;
	struct ask		*a;
	const char		*why;
	char			 name[POLICY_NAME_MAX + 1], line[1024];
	size_t			 slot;

	msg_get_body(m, &ans, sizeof(ans));
	if ((a = prompt_by_id(msg_id(m), &slot)) == NULL) {
		request_result(r, msg_id(m), ans.client, RES_GONE, NULL, NULL,
		    "the question was already decided");
		return;
	}
	if (ans.verdict == VERDICT_NONE || ans.verdict >= VERDICT_MAX ||
	    answer_duration_name(ans.duration) == NULL || ans.match == 0 ||
	    (ans.match & ~MATCH_ALL) != 0) {
		request_result(r, msg_id(m), ans.client, RES_BAD_REQUEST, NULL,
		    NULL, "bad action, duration or match");
		return;
	}
	if (ans.duration == DUR_ONCE) {
		prompt_close(r, slot, ans.verdict, REASON_ANSWER,
		    GONE_ANSWERED, NULL, ans.match);
		request_result(r, msg_id(m), ans.client, RES_OK, NULL, NULL,
		    NULL);
		prompt_again(r, slot);
		return;
	}
	if (answer_rule(&a->info, &ans, msg_get_str(m, ATTR_RULE_NAME),
	    &json, name, sizeof(name), &why) == -1) {
		request_result(r, msg_id(m), ans.client, strcmp(why,
		    "bad rule name") == 0 ? RES_BAD_NAME : RES_BAD_REQUEST,
		    NULL, NULL, why);
		return;
	}
	/* In force before the held connections go. */
	if (policy_load_rule(rules_policy(), NULL, json, strlen(json),
	    ruled_now_ms(), &err) == -1) {
		free(json);
		policy_err_format(&err, line, sizeof(line));
		request_result(r, msg_id(m), ans.client, RES_BAD_REQUEST, NULL,
		    NULL, line);
		return;
	}
	free(json);
	rules_changed(r);
	log_info("rule %s from an answer (%s, %s)", name,
	    answer_verdict_name(ans.verdict),
	    answer_duration_name(ans.duration));
	prompt_close(r, slot, ans.verdict, REASON_ANSWER, GONE_ANSWERED, name,
	    ans.match);
	if (ans.duration == DUR_ALWAYS)
		(void)request_save(r, ans.client, msg_id(m), name, NULL, NULL,
		    0);
	else
		request_result(r, msg_id(m), ans.client, RES_OK, name, NULL,
		    NULL);
	prompt_again(r, slot);
}

/* promptd says who is connected; nobody to answer: decide now. */
void
prompt_clients(struct ruled *r, const struct msg *m)
{
	struct msg_clients	 c;
	size_t			 k;

	msg_get_body(m, &c, sizeof(c));
	r->prompters = c.prompters;
	r->listeners = c.listeners;
	if (r->prompters > 0)
		return;
	for (k = 0; k < MAX_ASKS; k++)
		if (asks[k] != NULL)
			prompt_close(r, k, r->cfg.default_action,
			    REASON_DEFAULT, GONE_NO_PROMPTER, NULL, MATCH_ALL);
}

void
prompt_expire(struct ruled *r)
{
	int64_t	 now = ruled_now_ms();
	size_t	 k;

	for (k = 0; k < MAX_ASKS; k++)
		if (asks[k] != NULL && asks[k]->deadline <= now) {
			r->stats.prompt_timeouts++;
			prompt_close(r, k, r->cfg.default_action,
			    REASON_TIMEOUT, GONE_TIMEOUT, NULL, MATCH_ALL);
		}
}

int64_t
prompt_next_deadline(void)
{
	int64_t	 next = INT64_MAX;
	size_t	 k;

	for (k = 0; k < MAX_ASKS; k++)
		if (asks[k] != NULL && asks[k]->deadline < next)
			next = asks[k]->deadline;
	return next;
}
