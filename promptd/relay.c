/*
 * relay.c: a client's request becomes a message to ruled (answers,
 * rules.*) or to packetd and ruled (stats); their results come back
 * to the client that asked.  Each request in flight has a token,
 * unique for promptd's life, that travels as the messages' `client`
 * (and, for requests, as the header id); a client that left has its
 * results read and dropped (its slot's generation tells: client_send()
 * to a client that is gone sends nothing).  Asks, their end and events
 * go the other way, to prompters and listeners.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "promptd.h"
#include "asks.h"
#include "control.h"
#include "relay.h"

enum pend_kind {
	PEND_FREE = 0,
	PEND_ANSWER,
	PEND_RULES,		/* add, delete, enable, disable */
	PEND_LIST,
	PEND_STATS,
};

struct pend {
	enum pend_kind		 kind;
	uint32_t		 tok;
	int			 slot;		/* -1: drop the rest */
	uint32_t		 gen;
	char			 req[MAX_UI_REQ_TOKEN + 8];
	char			 name[MAX_RULE_NAME];
	uint32_t		 ask;		/* PEND_ANSWER */
	uint64_t		 deadline;
	struct jw		 list;		/* PEND_LIST: "[r1,r2" */
	int			 list_bad;
	char			*stats[2];	/* PEND_STATS: packetd's, */
	size_t			 stats_len[2];	/* ruled's lines */
};

static struct pend	 pend[MAX_UI_PENDING];
static uint32_t		 next_tok;

void		 relay_request(int, uint32_t, struct uireq *);
void		 relay_ask(const struct msg *);
void		 relay_ask_gone(const struct msg *);
void		 relay_event(const struct msg *);
void		 relay_result(const struct msg *);
void		 relay_stats(enum role, const struct msg *);
void		 relay_expire(void);
int		 relay_timeout_ms(void);
static struct pend *pend_new(int, uint32_t, const struct uireq *,
		    enum pend_kind);
static struct pend *pend_find(uint32_t);
static void	 pend_free(struct pend *);
static void	 pend_reply(struct pend *, struct jw *);
static void	 pend_error(struct pend *, enum uierr_code, const char *);
static void	 result_head(struct jw *, const char *);
static int	 relay_send(struct chan *, struct msg *, struct pend *);
static void	 relay_answer(int, uint32_t, struct uireq *);
static void	 relay_rules(int, uint32_t, struct uireq *);
static void	 relay_stats_req(int, uint32_t, struct uireq *);
static void	 relay_stats_done(struct pend *);
static void	 relay_list(struct pend *, const struct msg *,
		    const struct msg_result *);
static enum uierr_code relay_code(uint32_t);

static const uint32_t rules_ops[] = {
	[UIREQ_RULES_LIST] = RULES_LIST,
	[UIREQ_RULES_ADD] = RULES_ADD,
	[UIREQ_RULES_DELETE] = RULES_DELETE,
	[UIREQ_RULES_ENABLE] = RULES_ENABLE,
	[UIREQ_RULES_DISABLE] = RULES_DISABLE,
};

static struct pend *
pend_new(int slot, uint32_t gen, const struct uireq *r, enum pend_kind kind)
{
	struct pend	*p = NULL;
	size_t		 i, mine = 0;

	for (i = 0; i < MAX_UI_PENDING; i++) {
		if (pend[i].kind == PEND_FREE) {
			if (p == NULL)
				p = &pend[i];
		} else if (pend[i].slot == slot && pend[i].gen == gen)
			mine++;
	}
	if (mine >= MAX_UI_CLIENT_PENDING || p == NULL) {
		client_send_error(slot, gen, r->req, UIERR_BUSY,
		    "too many requests waiting for an answer");
		return NULL;
	}
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	if (++next_tok == 0)
		next_tok = 1;
	p->tok = next_tok;
	p->slot = slot;
	p->gen = gen;
	memcpy(p->req, r->req, sizeof(p->req));
	if (r->has_name)
		strlcpy(p->name, r->name, sizeof(p->name));
	p->deadline = promptd_now_ms() + UI_REQUEST_TIMEOUT_MS;
	jw_init(&p->list, MAX_UI_OUTBUF);
	return p;
}

static struct pend *
pend_find(uint32_t tok)
{
	size_t	 i;

	if (tok == 0)
		return NULL;
	for (i = 0; i < MAX_UI_PENDING; i++)
		if (pend[i].kind != PEND_FREE && pend[i].tok == tok)
			return &pend[i];
	return NULL;
}

static void
pend_free(struct pend *p)
{
	jw_free(&p->list);
	free(p->stats[0]);
	free(p->stats[1]);
	memset(p, 0, sizeof(*p));
}

/* {"type":"result","req":R,"ok":true  (the caller adds and closes) */
static void
result_head(struct jw *w, const char *req)
{
	jw_obj(w);
	jw_kstr(w, "type", "result");
	if (req[0] != '\0') {
		jw_key(w, "req");
		jw_raw(w, req, strlen(req));
	}
	jw_key(w, "ok");
	jw_bool(w, 1);
}

static void
pend_reply(struct pend *p, struct jw *w)
{
	char	*line;
	size_t	 len;

	if ((line = jw_take(w, &len)) == NULL) {
		pend_error(p, UIERR_INTERNAL, "the reply is too large");
		return;
	}
	if (p->slot != -1)
		client_send(p->slot, p->gen, line, len);
	free(line);
}

static void
pend_error(struct pend *p, enum uierr_code code, const char *msg)
{
	if (p->slot != -1)
		client_send_error(p->slot, p->gen, p->req, code, msg);
}

/*
 * Send to ruled or packetd.  A full channel queue means the peer is not
 * keeping up: the client is told, nothing waits.  -1: not sent.
 */
static int
relay_send(struct chan *c, struct msg *m, struct pend *p)
{
	if (chan_send(c, m) == 0)
		return 0;
	log_warn("%s: to %s", __func__, role_name(c->peer));
	pend_error(p, UIERR_INTERNAL, "the daemon is not keeping up");
	return -1;
}

static void
relay_answer(int slot, uint32_t gen, struct uireq *r)
{
	struct msg_answer	 a;
	struct msg		 m;
	struct pend		*p;

	if ((p = pend_new(slot, gen, r, PEND_ANSWER)) == NULL)
		return;
	p->ask = r->id;
	memset(&a, 0, sizeof(a));
	a.verdict = r->verdict;
	a.duration = r->duration;
	a.match = r->match;
	a.client = p->tok;
	msg_init(&m, MSG_ANSWER, r->id);
	msg_set_body(&m, &a, sizeof(a));
	if (r->has_name)
		msg_add_str(&m, ATTR_RULE_NAME, r->name);
	if (relay_send(pds.ruled, &m, p) == -1) {
		pend_free(p);
		return;
	}
	pds.st.answers++;
	log_debug("ask %u: %s %s from UI client slot %d", r->id,
	    uireq_verdict_name(r->verdict), uireq_duration_name(r->duration),
	    slot);
}

static void
relay_rules(int slot, uint32_t gen, struct uireq *r)
{
	struct msg_request	 q;
	struct msg		 m;
	struct pend		*p;

	p = pend_new(slot, gen, r, r->type == UIREQ_RULES_LIST ? PEND_LIST :
	    PEND_RULES);
	if (p == NULL)
		return;
	memset(&q, 0, sizeof(q));
	q.op = rules_ops[r->type];
	q.client = p->tok;
	msg_init(&m, MSG_REQUEST, p->tok);
	msg_set_body(&m, &q, sizeof(q));
	if (r->type == UIREQ_RULES_ADD)
		msg_add_attr(&m, ATTR_JSON, r->rule, r->rule_len);
	else if (r->type != UIREQ_RULES_LIST)
		msg_add_str(&m, ATTR_RULE_NAME, r->name);
	if (p->kind == PEND_LIST)
		jw_bytes(&p->list, "[", 1);
	if (relay_send(pds.ruled, &m, p) == -1)
		pend_free(p);
}

static void
relay_stats_req(int slot, uint32_t gen, struct uireq *r)
{
	struct msg_stats_req	 s;
	struct msg		 m;
	struct pend		*p;

	if ((p = pend_new(slot, gen, r, PEND_STATS)) == NULL)
		return;
	memset(&s, 0, sizeof(s));
	s.client = p->tok;
	msg_init(&m, MSG_STATS_REQ, p->tok);
	msg_set_body(&m, &s, sizeof(s));
	if (relay_send(pds.parent, &m, p) == -1) {
		pend_free(p);
		return;
	}
	msg_init(&m, MSG_STATS_REQ, p->tok);
	msg_set_body(&m, &s, sizeof(s));
	/* packetd's answer, if it comes, finds no request and is dropped. */
	if (relay_send(pds.ruled, &m, p) == -1)
		pend_free(p);
}

void
relay_request(int slot, uint32_t gen, struct uireq *r)
{
	switch (r->type) {
	case UIREQ_ANSWER:
		relay_answer(slot, gen, r);
		break;
	case UIREQ_RULES_LIST:
	case UIREQ_RULES_ADD:
	case UIREQ_RULES_DELETE:
	case UIREQ_RULES_ENABLE:
	case UIREQ_RULES_DISABLE:
		relay_rules(slot, gen, r);
		break;
	case UIREQ_STATS:
		relay_stats_req(slot, gen, r);
		break;
	default:
		fatalx("%s: request type %d", __func__, r->type);
	}
}

void
relay_ask(const struct msg *m)
{
	struct msg_ask	 a;
	struct jw	 w;
	char		*tail, *line;
	size_t		 tlen, len;

	msg_get_body(m, &a, sizeof(a));
	pds.st.asks++;
	jw_init(&w, MAX_UI_OUTBUF);
	uiout_ask(&w, m);
	if ((tail = jw_take(&w, &tlen)) == NULL) {
		log_warnx("%s: ask %u: out of memory", __func__, msg_id(m));
		return;
	}
	if (asks_add(msg_id(m), tail, tlen, promptd_now_ms() +
	    a.timeout_ms) == -1)
		log_warnx("ask %u: too many open asks to keep it for "
		    "prompters that come later", msg_id(m));
	jw_init(&w, MAX_UI_OUTBUF);
	uiout_ask_line(&w, msg_id(m), a.timeout_ms, tail, tlen);
	free(tail);
	if ((line = jw_take(&w, &len)) == NULL)
		return;
	clients_broadcast(1, line, len, -1, 0);
	free(line);
}

/*
 * The ask ended.  Every prompter hears it but the one whose answer was
 * taken, and the ones whose answer is still on its way (they get
 * `result` or `error` "gone" for it instead).
 */
void
relay_ask_gone(const struct msg *m)
{
	struct msg_ask_gone	 g;
	struct jw		 w;
	char			*line;
	size_t			 len, i;
	uint32_t		 gen, wgen = 0, id = msg_id(m);
	int			 wslot = -1, s;

	msg_get_body(m, &g, sizeof(g));
	if (g.reason < GONE_ANSWERED || g.reason > GONE_NO_PROMPTER)
		fatalx("%s: ask %u: reason %u", __func__, id, g.reason);
	(void)asks_winner(id, &wslot, &wgen);
	asks_remove(id);
	jw_init(&w, 256);
	uiout_gone(&w, id, g.reason);
	if ((line = jw_take(&w, &len)) == NULL)
		return;
	for (s = 0; s < MAX_UI_CLIENTS; s++) {
		if (!client_prompter(s, &gen) || (s == wslot && gen == wgen))
			continue;
		for (i = 0; i < MAX_UI_PENDING; i++)
			if (pend[i].kind == PEND_ANSWER && pend[i].ask == id &&
			    pend[i].slot == s && pend[i].gen == gen)
				break;
		if (i == MAX_UI_PENDING)
			client_send(s, gen, line, len);
	}
	free(line);
}

void
relay_event(const struct msg *m)
{
	struct jw	 w;
	char		*line;
	size_t		 len;

	pds.st.events++;
	jw_init(&w, MAX_UI_OUTBUF);
	uiout_event(&w, m);
	if ((line = jw_take(&w, &len)) == NULL) {
		log_warnx("%s: event %u: out of memory", __func__, msg_id(m));
		return;
	}
	backlog_add(line, len);
	clients_broadcast(0, line, len, -1, 0);
	free(line);
}

static enum uierr_code
relay_code(uint32_t status)
{
	switch (status) {
	case RES_BAD_REQUEST:
		return UIERR_BAD_REQUEST;
	case RES_BAD_NAME:
		return UIERR_BAD_NAME;
	case RES_NOT_FOUND:
		return UIERR_NOT_FOUND;
	case RES_GONE:
		return UIERR_GONE;
	case RES_READ_ONLY:
		return UIERR_READ_ONLY;
	default:
		return UIERR_INTERNAL;
	}
}

/*
 * One piece of a rules.list answer: a rule object, to which promptd
 * adds its file (null: the rule lives in ruled only and ends with it).
 * A rule too large for a message comes as its name and an error.
 */
static void
relay_list(struct pend *p, const struct msg *m, const struct msg_result *r)
{
	const void	*json;
	const char	*file, *name, *err;
	size_t		 len;
	struct jw	 w;

	json = msg_get_attr(m, ATTR_JSON, &len);
	file = msg_get_str(m, ATTR_FILE_NAME);
	name = msg_get_str(m, ATTR_RULE_NAME);
	err = msg_get_str(m, ATTR_ERROR);
	if ((json != NULL || name != NULL) && !p->list_bad) {
		if (p->list.len > 1)
			jw_bytes(&p->list, ",", 1);
		if (json == NULL) {
			jw_obj(&p->list);
			jw_kstr(&p->list, "name", name);
			jw_kstr(&p->list, "error", err != NULL ? err :
			    "not listed");
			jw_end(&p->list);
		} else if (uiout_rule_json(&p->list, json, len, file) == -1) {
			log_warnx("%s: ruled sent a rule that is not a JSON "
			    "object", __func__);
			p->list_bad = 1;
		}
	}
	if (r->more)
		return;
	if (p->list_bad || p->list.err) {
		pend_error(p, UIERR_INTERNAL, p->list.err ? "the rule list "
		    "is too large to send" : "a rule could not be encoded");
		return;
	}
	jw_bytes(&p->list, "]", 1);
	jw_init(&w, MAX_UI_OUTBUF);
	result_head(&w, p->req);
	jw_key(&w, "rules");
	jw_raw(&w, p->list.buf, p->list.len);
	jw_end(&w);
	pend_reply(p, &w);
}

void
relay_result(const struct msg *m)
{
	struct msg_result	 r;
	struct pend		*p;
	struct jw		 w;
	const char		*err, *name;

	msg_get_body(m, &r, sizeof(r));
	if (r.status > RES_INTERNAL || r.more > 1)
		fatalx("%s: status %u, more %u", __func__, r.status, r.more);
	/* A request's token is also its id, should client not be set. */
	if (r.client == 0)
		r.client = msg_id(m);
	if ((p = pend_find(r.client)) == NULL) {
		log_debug("%s: result for request %u, no longer waited for",
		    __func__, r.client);
		return;
	}
	if (r.more && p->kind != PEND_LIST)
		fatalx("%s: more results for a request with one", __func__);
	if (r.status != RES_OK) {
		if ((err = msg_get_str(m, ATTR_ERROR)) == NULL)
			err = uierr_code_name(relay_code(r.status));
		pend_error(p, relay_code(r.status), err);
		if (!r.more)
			pend_free(p);
		else
			p->slot = -1;	/* the rest is read and dropped */
		return;
	}
	if (p->kind == PEND_LIST) {
		relay_list(p, m, &r);
		if (!r.more)
			pend_free(p);
		return;
	}
	name = msg_get_str(m, ATTR_RULE_NAME);
	if (name == NULL && p->name[0] != '\0')
		name = p->name;
	if (p->kind == PEND_ANSWER && p->slot != -1 &&
	    client_alive(p->slot, p->gen))
		asks_set_winner(p->ask, p->slot, p->gen);
	jw_init(&w, 4096);
	result_head(&w, p->req);
	jw_key(&w, "rule");
	if (name != NULL)
		jw_str(&w, name);
	else
		jw_null(&w);
	jw_end(&w);
	pend_reply(p, &w);
	pend_free(p);
}

/*
 * Both answers are in: packetd's counters, then ruled's, then promptd's
 * own, to the client.  A malformed line breaks the protocol.
 */
static void
relay_stats_done(struct pend *p)
{
	struct stats_merge	*sm;
	struct jw		 w;
	const char		*why;
	uint32_t		 all, np, nl;
	int			 i;

	if ((sm = stats_new()) == NULL) {
		pend_error(p, UIERR_INTERNAL, "out of memory");
		return;
	}
	for (i = 0; i < 2; i++)
		if (stats_add_lines(sm, p->stats[i], p->stats_len[i],
		    &why) == -1)
			fatalx("%s: statistics from %s: %s", __func__,
			    i == 0 ? "packetd" : "ruled", why);
	clients_count(&all, &np, &nl);
	jw_init(&w, MAX_UI_OUTBUF);
	result_head(&w, p->req);
	jw_key(&w, "stats");
	jw_obj(&w);
	stats_json(sm, &w);
	stats_free(sm);
	jw_ku64(&w, "prompt_timeout_s", pds.cfg.prompt_timeout_ms / 1000);
	jw_key(&w, "intercept_unknown");
	jw_bool(&w, pds.cfg.intercept_unknown != 0);
	jw_key(&w, "ui");
	jw_obj(&w);
	jw_ku64(&w, "clients", all);
	jw_ku64(&w, "prompters", np);
	jw_ku64(&w, "listeners", nl);
	jw_ku64(&w, "accepted", pds.st.accepted);
	jw_ku64(&w, "refused", pds.st.refused);
	jw_ku64(&w, "busy", pds.st.busy);
	jw_ku64(&w, "bad_input", pds.st.bad);
	jw_ku64(&w, "too_slow", pds.st.slow);
	jw_ku64(&w, "asks", pds.st.asks);
	jw_ku64(&w, "asks_open", asks_count());
	jw_ku64(&w, "answers", pds.st.answers);
	jw_ku64(&w, "events", pds.st.events);
	jw_end(&w);
	jw_end(&w);
	jw_end(&w);
	pend_reply(p, &w);
}

void
relay_stats(enum role from, const struct msg *m)
{
	struct msg_stats_req	 s;
	struct pend		*p;
	const char		*lines;
	size_t			 len;
	int			 k = from == ROLE_PACKETD ? 0 : 1;

	msg_get_body(m, &s, sizeof(s));
	lines = msg_get_attr(m, ATTR_STATS, &len);
	if ((p = pend_find(s.client)) == NULL || p->kind != PEND_STATS) {
		log_debug("%s: statistics for request %u, no longer waited "
		    "for", __func__, s.client);
		return;
	}
	if (p->stats[k] != NULL)
		fatalx("%s: %s answered request %u twice", __func__,
		    role_name(from), s.client);
	if ((p->stats[k] = malloc(len + 1)) == NULL) {
		pend_error(p, UIERR_INTERNAL, "out of memory");
		pend_free(p);
		return;
	}
	memcpy(p->stats[k], lines, len);
	p->stats_len[k] = len;
	if (p->stats[0] != NULL && p->stats[1] != NULL) {
		relay_stats_done(p);
		pend_free(p);
	}
}

/* Requests nobody answered in time: the client is told, and forgets. */
void
relay_expire(void)
{
	uint64_t	 now = promptd_now_ms();
	size_t		 i;

	for (i = 0; i < MAX_UI_PENDING; i++) {
		if (pend[i].kind == PEND_FREE || pend[i].deadline > now)
			continue;
		log_warnx("request %u: no answer from %s in %d ms",
		    pend[i].tok, pend[i].kind == PEND_STATS &&
		    pend[i].stats[0] == NULL ? "packetd" : "ruled",
		    UI_REQUEST_TIMEOUT_MS);
		pend_error(&pend[i], UIERR_INTERNAL, "the daemon did not "
		    "answer in time");
		pend_free(&pend[i]);
	}
	asks_expire();
}

int
relay_timeout_ms(void)
{
	uint64_t	 now = promptd_now_ms(), next = UINT64_MAX;
	size_t		 i;

	for (i = 0; i < MAX_UI_PENDING; i++)
		if (pend[i].kind != PEND_FREE && pend[i].deadline < next)
			next = pend[i].deadline;
	if (asks_count() > 0 && now + 1000 < next)
		next = now + 1000;
	if (next == UINT64_MAX)
		return -1;
	return next > now ? (int)(next - now) : 0;
}
