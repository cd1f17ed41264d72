/*
 * bridge.c: what crosses between tattle and OpenSnitch's UI.  tattle's
 * asks become AskRule calls, its events and stats become Ping
 * statistics, its rules the Subscribe node; the UI's commands become
 * rules.* requests, or a NotificationReply ERROR saying why tattle will
 * not do that.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "bridge.h"
#include "tjson.h"

#define PATH_PING	"/protocol.UI/Ping"
#define PATH_ASK	"/protocol.UI/AskRule"
#define PATH_SUBSCRIBE	"/protocol.UI/Subscribe"
#define PATH_NOTIFS	"/protocol.UI/Notifications"
#define PATH_ALERT	"/protocol.UI/PostAlert"
#define ASK_DEFAULT_MS	120000	/* OpenSnitch's AskRule deadline */

struct answer_req {
	uint64_t		 id;
	struct osui_answer	 a;
};

static const char *t_type(yajl_val);
static yajl_val	 msg_get(yajl_val, const char *, yajl_type);
static void	 t_hello(struct bridge *, yajl_val);
static void	 t_result(struct bridge *, yajl_val, const struct treq *);
static void	 t_error(struct bridge *, yajl_val, const struct treq *);
static void	 t_rules(struct bridge *, yajl_val);
static void	 t_stats(struct bridge *, yajl_val);
static void	 t_maybe_ready(struct bridge *);
static void	 t_event(struct bridge *, yajl_val);
static void	 ask_start(struct bridge *, yajl_val);
static void	 ask_gone(struct bridge *, yajl_val);
static void	 ask_msg(struct grpc_call *, const uint8_t *, size_t, void *);
static void	 ask_done(struct grpc_call *, int, const char *, void *);
static void	 ask_free(struct ask_slot *);
static struct ask_slot *ask_find_call(struct bridge *, struct grpc_call *);
static const char *notif_refusal(enum osui_cmd);
static void	 ask_answer(struct bridge *, struct ask_slot *);
static int	 fill_answer(struct jw *, const void *);
static int	 fill_hello(struct jw *, const void *);
static int	 fill_subscribe(struct jw *, const void *);
static int	 fill_name(struct jw *, const void *);
static int	 fill_rule(struct jw *, const void *);
static void	 probe_done(struct grpc_call *, int, const char *, void *);
static void	 subscribe_start(struct bridge *, uint64_t);
static void	 subscribe_done(struct grpc_call *, int, const char *, void *);
static void	 notifs_start(struct bridge *, uint64_t);
static void	 notifs_msg(struct grpc_call *, const uint8_t *, size_t,
		    void *);
static void	 notifs_done(struct grpc_call *, int, const char *, void *);
static void	 notif_handle(struct bridge *, struct osui_notif *);
static void	 notif_reply(struct bridge *, uint64_t, int, const char *);
static void	 notif_result(struct bridge *, uint64_t, const char *);
static void	 ping_send(struct bridge *, uint64_t);
static void	 ping_done(struct grpc_call *, int, const char *, void *);
static void	 alert_flush(struct bridge *, uint64_t);
static void	 alert_done(struct grpc_call *, int, const char *, void *);

uint64_t
osui_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static yajl_val
msg_get(yajl_val msg, const char *key, yajl_type t)
{
	const char	*path[2] = { key, NULL };

	return yajl_tree_get(msg, path, t);
}

static const char *
t_type(yajl_val msg)
{
	yajl_val	 v = msg_get(msg, "type", yajl_t_string);

	return v != NULL ? YAJL_GET_STRING(v) : "";
}

/* A warning for the user: logged, and shown by a UI that has alerts. */
void
bridge_alert(struct bridge *b, int level, const char *fmt, ...)
{
	va_list	 ap;
	char	 text[1024];

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	logit(level, "%s", text);
	if (b->codec == &osui_codec15)
		return;
	if (b->nalerts == MAX_OSUI_ALERTS) {
		free(b->alerts[0].text);
		memmove(&b->alerts[0], &b->alerts[1],
		    (MAX_OSUI_ALERTS - 1) * sizeof(b->alerts[0]));
		b->nalerts--;
	}
	if ((b->alerts[b->nalerts].text = osui_strdup(text)) == NULL)
		return;
	b->alerts[b->nalerts++].level = level;
}

static void
alert_done(struct grpc_call *call, int st, const char *msg, void *arg)
{
	if (st != GRPC_OK)
		log_debug("PostAlert: %s %s", grpc_status_name(st), msg);
}

static void
alert_flush(struct bridge *b, uint64_t now)
{
	struct buf	 out;
	size_t		 i;

	if (b->ui_state != UI_LIVE || b->codec == NULL)
		return;
	for (i = 0; i < b->nalerts; i++) {
		buf_init(&out, MAX_GRPC_MSG);
		if (b->codec->pack_alert != NULL &&
		    b->codec->pack_alert(++b->alert_id, b->alerts[i].level,
		    b->alerts[i].text, &out) == 0)
			grpc_unary(b->g, PATH_ALERT, OSUI_UNARY_MS, now, out.p,
			    out.len, NULL, alert_done, b);
		buf_free(&out);
		free(b->alerts[i].text);
	}
	b->nalerts = 0;
}

/* ---- tattle's side ---- */

void
bridge_tattle_msg(void *arg, yajl_val msg, const struct treq *r)
{
	struct bridge	*b = arg;
	const char	*type = t_type(msg);
	yajl_val	 m;

	if (b->t_state == T_HELLO) {
		if (strcmp(type, "hello") == 0)
			t_hello(b, msg);
		else if (strcmp(type, "error") == 0)
			t_error(b, msg, r);
		else {
			log_warnx("tattle did not open with hello but %s",
			    type);
			b->t_reset = 1;
		}
		return;
	}
	if (strcmp(type, "result") == 0)
		t_result(b, msg, r);
	else if (strcmp(type, "error") == 0)
		t_error(b, msg, r);
	else if (strcmp(type, "ask") == 0)
		ask_start(b, msg);
	else if (strcmp(type, "ask.gone") == 0)
		ask_gone(b, msg);
	else if (strcmp(type, "event") == 0)
		t_event(b, msg);
	else if ((m = msg_get(msg, "message", yajl_t_string)) != NULL)
		bridge_alert(b, LOG_WARNING, "tattle: %s", YAJL_GET_STRING(m));
	else
		log_debug("ignored a %s from tattle", type);
}

static void
t_hello(struct bridge *b, yajl_val msg)
{
	yajl_val	 v = msg_get(msg, "version", yajl_t_number);
	yajl_val	 s = msg_get(msg, "server", yajl_t_string);
	const char	*server = s != NULL ? YAJL_GET_STRING(s) : NULL;
	const char	*sp;

	if (v == NULL || !YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) != 1) {
		log_warnx("tattle speaks client protocol version %s; "
		    "tattle-osui knows version 1", v != NULL ?
		    YAJL_GET_NUMBER(v) : "(none)");
		b->t_reset = 1;
		return;
	}
	/* "tattle 0.1.0": the version is what follows the last space. */
	sp = server != NULL ? strrchr(server, ' ') : NULL;
	snprintf(b->t_version, sizeof(b->t_version), "%s",
	    sp != NULL ? sp + 1 : "0.0.0");
	log_info("connected to %s at %s", server != NULL ? server : "tattle",
	    b->tsock);
	b->t_state = T_SYNC;
	b->t_asks = -1;
	if (tclient_request(&b->t, "hello", TREQ_NONE, 0, fill_hello,
	    NULL) == -1 ||
	    tclient_request(&b->t, "rules.list", TREQ_RULES, 0, NULL,
	    NULL) == -1 ||
	    tclient_request(&b->t, "stats", TREQ_STATS, 0, NULL, NULL) == -1)
		b->t_reset = 1;
	bridge_set_asks(b);
}

static int
fill_hello(struct jw *w, const void *arg)
{
	jw_ku64(w, "version", 1);
	jw_kstr(w, "client", "tattle-osui " PACKAGE_VERSION);
	return 0;
}

static int
fill_subscribe(struct jw *w, const void *arg)
{
	const int	*asks = arg;

	jw_kbool(w, "asks", *asks);
	jw_kbool(w, "events", 1);
	return 0;
}

/*
 * The bridge takes tattle's prompts only while a UI can show them, so
 * that with no UI tattle applies its default at once instead of
 * holding connections for nobody.
 */
void
bridge_set_asks(struct bridge *b)
{
	int	 want = b->ui_state == UI_LIVE;

	if (b->t_state < T_SYNC || b->t_asks == want)
		return;
	if (tclient_request(&b->t, "subscribe", TREQ_SUBSCRIBE, 0,
	    fill_subscribe, &want) == -1) {
		b->t_reset = 1;
		return;
	}
	b->t_asks = want;
}

static void
t_rules(struct bridge *b, yajl_val msg)
{
	yajl_val	 list = msg_get(msg, "rules", yajl_t_array);
	char		 err[256];
	size_t		 i, n;

	osui_rules_free(b->rules, b->nrules);
	b->rules = NULL;
	b->nrules = 0;
	n = list != NULL ? YAJL_GET_ARRAY(list)->len : 0;
	if (n > MAX_OSUI_RULES) {
		log_warnx("tattle has %zu rules; the UI is shown the first %d",
		    n, MAX_OSUI_RULES);
		n = MAX_OSUI_RULES;
	}
	if (n > 0 && (b->rules = calloc(n, sizeof(*b->rules))) == NULL)
		n = 0;
	for (i = 0; i < n; i++) {
		if (tj_rule(YAJL_GET_ARRAY(list)->values[i],
		    &b->rules[b->nrules], err, sizeof(err)) == -1) {
			osui_rule_free(&b->rules[b->nrules]);
			log_warnx("rule %zu from tattle not shown: %s", i, err);
			continue;
		}
		b->nrules++;
	}
	b->have_rules = 1;
	t_maybe_ready(b);
}

static void
t_stats(struct bridge *b, yajl_val msg)
{
	yajl_val	 st = msg_get(msg, "stats", yajl_t_object);
	yajl_val	 v;

	if (st == NULL) {
		log_warnx("tattle's stats result has no \"stats\"");
		return;
	}
	tj_stats(st, &b->stats);
	if ((v = msg_get(st, "default_action", yajl_t_string)) != NULL)
		snprintf(b->default_action, sizeof(b->default_action), "%s",
		    YAJL_GET_STRING(v));
	if ((v = msg_get(st, "fail_mode", yajl_t_string)) != NULL)
		snprintf(b->fail_mode, sizeof(b->fail_mode), "%s",
		    YAJL_GET_STRING(v));
	b->have_stats = 1;
}

static void
t_maybe_ready(struct bridge *b)
{
	if (b->t_state != T_SYNC || !b->have_rules || !b->have_stats)
		return;
	b->t_state = T_READY;
	b->t_backoff = 0;
	log_info("tattle: %zu rules, default action %s", b->nrules,
	    b->default_action);
	if (b->ui_state == UI_IDLE)
		subscribe_start(b, osui_now());
}

static void
t_result(struct bridge *b, yajl_val msg, const struct treq *r)
{
	yajl_val	 v;

	if (r == NULL)
		return;
	switch (r->kind) {
	case TREQ_RULES:
		t_rules(b, msg);
		break;
	case TREQ_STATS:
		t_stats(b, msg);
		t_maybe_ready(b);
		break;
	case TREQ_PING:
		t_stats(b, msg);
		b->stats_wanted = 0;
		ping_send(b, osui_now());
		break;
	case TREQ_ANSWER:
		v = msg_get(msg, "rule", yajl_t_string);
		log_info("ask %llu answered%s%s", (unsigned long long)r->ref,
		    v != NULL ? ", rule " : "", v != NULL ?
		    YAJL_GET_STRING(v) : "");
		break;
	case TREQ_NOTIF:
		notif_result(b, r->ref, NULL);
		break;
	default:
		break;
	}
}

static void
t_error(struct bridge *b, yajl_val msg, const struct treq *r)
{
	yajl_val	 c = msg_get(msg, "code", yajl_t_string);
	yajl_val	 m = msg_get(msg, "message", yajl_t_string);
	const char	*code = c != NULL ? YAJL_GET_STRING(c) : "?";
	const char	*text = m != NULL ? YAJL_GET_STRING(m) : "";
	char		 buf[600];

	if (r != NULL && r->kind == TREQ_NOTIF) {
		snprintf(buf, sizeof(buf), "tattle: %s (%s)", text, code);
		notif_result(b, r->ref, buf);
		return;
	}
	if (r != NULL && r->kind == TREQ_ANSWER) {
		bridge_alert(b, LOG_WARNING, "tattle refused the answer to "
		    "ask %llu: %s (%s)", (unsigned long long)r->ref, text,
		    code);
		return;
	}
	if (r != NULL && r->kind == TREQ_PING)
		b->stats_wanted = 0;
	log_warnx("tattle: %s (%s)", text, code);
	if (strcmp(code, "forbidden") == 0 || strcmp(code, "busy") == 0 ||
	    r == NULL || r->kind == TREQ_RULES || r->kind == TREQ_STATS ||
	    r->kind == TREQ_SUBSCRIBE)
		b->t_reset = 1;
}

static void
t_event(struct bridge *b, yajl_val msg)
{
	struct osui_event	 e;
	char			 err[128];

	if (tj_event(msg, &e, err, sizeof(err)) == -1) {
		osui_event_free(&e);
		log_warnx("an event from tattle not shown: %s", err);
		return;
	}
	if (e.reason != NULL && strcmp(e.reason, "fail-mode") == 0)
		bridge_alert(b, LOG_WARNING, "tattle could not decide on a "
		    "connection of %s to %s:%u and applied its fail mode (%s)",
		    e.conn.path ? e.conn.path : "an unknown process",
		    e.conn.dst_ip, (unsigned int)e.conn.dst_port, e.verdict);
	osui_stats_add_event(&b->stats, &e);
	b->stats_news = 1;
}

/* tattle went away: the UI sees the node go offline. */
void
bridge_tattle_down(struct bridge *b)
{
	size_t	 i;

	for (i = 0; i < MAX_OSUI_ASKS; i++)
		if (b->asks[i].used) {
			grpc_call_cancel(b->asks[i].call);
			ask_free(&b->asks[i]);
		}
	for (i = 0; i < MAX_OSUI_NOTIFS; i++)
		if (b->nslots[i].used) {
			b->nslots[i].pending = 1;
			notif_result(b, i, "tattle went away before it "
			    "answered");
		}
	if (b->subscribe != NULL)
		grpc_call_cancel(b->subscribe);
	if (b->notifs != NULL)
		grpc_call_cancel(b->notifs);
	b->subscribe = b->notifs = NULL;
	if (b->ui_state == UI_SUBSCRIBING || b->ui_state == UI_LIVE)
		b->ui_state = UI_IDLE;
	osui_rules_free(b->rules, b->nrules);
	b->rules = NULL;
	b->nrules = 0;
	b->have_rules = b->have_stats = b->stats_wanted = 0;
	b->t_state = T_DOWN;
}

/* ---- asks ---- */

static void
ask_free(struct ask_slot *s)
{
	osui_conn_free(&s->conn);
	if (s->have_rule)
		osui_rule_free(&s->rule);
	s->have_rule = 0;
	s->call = NULL;
	s->used = 0;
}

static void
ask_start(struct bridge *b, yajl_val msg)
{
	struct osui_ask	 a;
	struct ask_slot	*s = NULL;
	struct buf	 out;
	char		 err[128];
	size_t		 i;

	if (tj_ask(msg, &a, err, sizeof(err)) == -1) {
		osui_conn_free(&a.conn);
		log_warnx("an ask from tattle not shown: %s", err);
		return;
	}
	for (i = 0; i < MAX_OSUI_ASKS && s == NULL; i++)
		if (!b->asks[i].used)
			s = &b->asks[i];
	if (b->ui_state != UI_LIVE || s == NULL) {
		log_info("ask %llu not shown: %s", (unsigned long long)a.id,
		    s == NULL ? "too many prompts open" : "no UI");
		osui_conn_free(&a.conn);
		return;
	}
	memset(s, 0, sizeof(*s));
	s->used = 1;
	s->id = a.id;
	s->conn = a.conn;
	buf_init(&out, MAX_GRPC_MSG);
	if (b->codec->pack_conn(&s->conn, &out) == -1 ||
	    (s->call = grpc_unary(b->g, PATH_ASK, a.timeout_ms ?
	    a.timeout_ms : ASK_DEFAULT_MS, osui_now(), out.p, out.len,
	    ask_msg, ask_done, b)) == NULL) {
		log_warnx("ask %llu: cannot call AskRule",
		    (unsigned long long)a.id);
		ask_free(s);
	}
	buf_free(&out);
}

static struct ask_slot *
ask_find_call(struct bridge *b, struct grpc_call *call)
{
	size_t	 i;

	for (i = 0; i < MAX_OSUI_ASKS; i++)
		if (b->asks[i].used && b->asks[i].call == call)
			return &b->asks[i];
	return NULL;
}

static void
ask_msg(struct grpc_call *call, const uint8_t *p, size_t len, void *arg)
{
	struct bridge	*b = arg;
	struct ask_slot	*s = ask_find_call(b, call);

	if (s == NULL || s->have_rule)
		return;
	if (b->codec->unpack_rule(p, len, &s->rule, s->err,
	    sizeof(s->err)) == 0)
		s->have_rule = 1;
}

static void
ask_done(struct grpc_call *call, int st, const char *msg, void *arg)
{
	struct bridge	*b = arg;
	struct ask_slot	*s = ask_find_call(b, call);

	if (s == NULL)
		return;
	if (st == GRPC_OK && s->have_rule)
		ask_answer(b, s);
	else if (st == GRPC_OK)
		bridge_alert(b, LOG_WARNING, "the UI's answer to ask %llu "
		    "is unusable: %s", (unsigned long long)s->id,
		    s->err[0] ? s->err : "no rule");
	else
		log_info("the UI did not answer ask %llu (%s%s%s); tattle "
		    "applies its default when the prompt times out",
		    (unsigned long long)s->id, grpc_status_name(st),
		    msg[0] ? ": " : "", msg);
	ask_free(s);
}

static void
ask_answer(struct bridge *b, struct ask_slot *s)
{
	struct answer_req	 ar;
	char			 why[256];
	int			 rv;

	rv = osui_answer_from_rule(&s->rule, &s->conn, &ar.a, why,
	    sizeof(why));
	if (rv == -1) {
		bridge_alert(b, LOG_WARNING, "the UI's rule \"%s\" for ask "
		    "%llu is not used: %s; tattle applies its default when "
		    "the prompt times out", s->rule.name,
		    (unsigned long long)s->id, why);
		return;
	}
	if (rv == 1)
		bridge_alert(b, LOG_WARNING, "the rule \"%s\" cannot be made "
		    "in tattle: %s. Your %s applies once, to this "
		    "connection; no rule was saved (write it with tattle "
		    "rules, or pick a plain match in the pop-up)",
		    s->rule.name, why, ar.a.action);
	ar.id = s->id;
	if (tclient_request(&b->t, "answer", TREQ_ANSWER, s->id, fill_answer,
	    &ar) == -1)
		log_warnx("ask %llu: cannot send the answer to tattle",
		    (unsigned long long)s->id);
}

static int
fill_answer(struct jw *w, const void *arg)
{
	const struct answer_req	*ar = arg;
	size_t			 i;

	jw_ku64(w, "id", ar->id);
	jw_kstr(w, "action", ar->a.action);
	jw_kstr(w, "duration", ar->a.duration);
	jw_key(w, "match");
	jw_arr(w);
	for (i = 0; i < ar->a.nmatch; i++)
		jw_str(w, ar->a.match[i]);
	jw_end(w);
	if (ar->a.name != NULL)
		jw_kstr(w, "name", ar->a.name);
	return 0;
}

static void
ask_gone(struct bridge *b, yajl_val msg)
{
	yajl_val	 v = msg_get(msg, "id", yajl_t_number);
	size_t		 i;

	if (v == NULL || !YAJL_IS_INTEGER(v))
		return;
	for (i = 0; i < MAX_OSUI_ASKS; i++)
		if (b->asks[i].used &&
		    b->asks[i].id == (uint64_t)YAJL_GET_INTEGER(v)) {
			grpc_call_cancel(b->asks[i].call);
			ask_free(&b->asks[i]);
		}
}

/* ---- the UI's side ---- */

void
bridge_probe(struct bridge *b, uint64_t now)
{
	struct buf	 out;

	b->ui_state = UI_PROBING;
	buf_init(&out, MAX_GRPC_MSG);
	/* Only 1.6 and later know PostAlert; 1.5.8 says UNIMPLEMENTED. */
	if (osui_codec16.pack_alert(++b->alert_id, LOG_INFO,
	    "tattle-osui connected", &out) == -1 ||
	    (b->probe = grpc_unary(b->g, PATH_ALERT, OSUI_SUBSCRIBE_MS, now,
	    out.p, out.len, NULL, probe_done, b)) == NULL)
		b->ui_reset = 1;
	buf_free(&out);
}

static void
probe_done(struct grpc_call *call, int st, const char *msg, void *arg)
{
	struct bridge	*b = arg;

	b->probe = NULL;
	if (b->ui_state != UI_PROBING)
		return;
	if (st == GRPC_UNIMPLEMENTED)
		b->codec = &osui_codec15;
	else if (st == GRPC_OK || st == GRPC_UNKNOWN || st == GRPC_INTERNAL)
		b->codec = &osui_codec16;
	else {
		log_warnx("probing the UI: %s %s", grpc_status_name(st), msg);
		b->ui_reset = 1;
		return;
	}
	log_info("the UI speaks OpenSnitch %s's protocol", b->codec->name);
	if (b->codec == &osui_codec15) {
		while (b->nalerts > 0)
			free(b->alerts[--b->nalerts].text);
	}
	bridge_ui_ready(b, osui_now());
}

void
bridge_ui_ready(struct bridge *b, uint64_t now)
{
	b->ui_state = UI_IDLE;
	b->ui_backoff = 0;
	if (b->t_state == T_READY)
		subscribe_start(b, now);
}

static void
subscribe_start(struct bridge *b, uint64_t now)
{
	struct osui_node	 node;
	struct buf		 out;
	char			 version[96];
	char			*config;

	snprintf(version, sizeof(version), "tattle %s (tattle-osui %s)",
	    b->t_version, PACKAGE_VERSION);
	if ((config = tj_config(b->ua.text, b->default_action,
	    b->fail_mode)) == NULL) {
		b->ui_reset = 1;
		return;
	}
	memset(&node, 0, sizeof(node));
	node.name = b->hostname;
	node.version = version;
	node.config = config;
	node.rules = b->rules;
	node.nrules = b->nrules;
	buf_init(&out, MAX_GRPC_MSG);
	if (b->codec->pack_subscribe(&node, &out) == -1 ||
	    (b->subscribe = grpc_unary(b->g, PATH_SUBSCRIBE,
	    OSUI_SUBSCRIBE_MS, now, out.p, out.len, NULL, subscribe_done,
	    b)) == NULL) {
		log_warnx("cannot subscribe to the UI");
		b->ui_reset = 1;
	} else
		b->ui_state = UI_SUBSCRIBING;
	buf_free(&out);
	free(config);
}

/*
 * The UI answers with the node's configuration and its own default
 * action in it; OpenSnitch's daemon adopts that while connected.
 * tattle's default action is root's decision, so it is not adopted.
 */
static void
subscribe_done(struct grpc_call *call, int st, const char *msg, void *arg)
{
	struct bridge	*b = arg;

	if (b->subscribe != call)
		return;
	b->subscribe = NULL;
	if (st != GRPC_OK) {
		log_warnx("Subscribe: the UI said %s %s", grpc_status_name(st),
		    msg);
		b->ui_reset = 1;
		return;
	}
	notifs_start(b, osui_now());
}

static void
notifs_start(struct bridge *b, uint64_t now)
{
	if ((b->notifs = grpc_call_start(b->g, PATH_NOTIFS, 0, now,
	    notifs_msg, notifs_done, b)) == NULL) {
		b->ui_reset = 1;
		return;
	}
	b->ui_state = UI_LIVE;
	/* OpenSnitch's daemon opens the stream with this reply. */
	notif_reply(b, 0, 0, "");
	log_info("the UI at %s shows tattle as node %s", b->ua.text,
	    b->hostname);
	bridge_set_asks(b);
	b->last_ping = 0;
	b->stats_news = 1;
	alert_flush(b, now);
}

static void
notifs_done(struct grpc_call *call, int st, const char *msg, void *arg)
{
	struct bridge	*b = arg;

	if (b->notifs != call)
		return;
	b->notifs = NULL;
	log_info("the UI closed the command stream (%s%s%s)",
	    grpc_status_name(st), msg[0] ? ": " : "", msg);
	b->ui_reset = 1;
}

static void
notifs_msg(struct grpc_call *call, const uint8_t *p, size_t len, void *arg)
{
	struct bridge		*b = arg;
	struct osui_notif	 n;
	char			 err[256];

	if (b->codec->unpack_notif(p, len, &n, err, sizeof(err)) == -1) {
		log_warnx("a command from the UI: %s", err);
		notif_reply(b, n.id, 1, err);
		osui_notif_free(&n);
		return;
	}
	notif_handle(b, &n);
	osui_notif_free(&n);
}

static void
notif_reply(struct bridge *b, uint64_t id, int error, const char *text)
{
	struct buf	 out;

	if (b->notifs == NULL)
		return;
	buf_init(&out, MAX_GRPC_MSG);
	if (b->codec->pack_notif_reply(id, error, text, &out) == 0)
		grpc_call_send(b->notifs, out.p, out.len);
	buf_free(&out);
	if (error && id != 0)
		log_info("refused the UI's command %llu: %s",
		    (unsigned long long)id, text);
}

static int
fill_name(struct jw *w, const void *arg)
{
	const struct osui_rule	*r = arg;

	jw_kstr(w, "name", r->name ? r->name : "");
	return 0;
}

static int
fill_rule(struct jw *w, const void *arg)
{
	jw_key(w, "rule");
	tj_gen_rule(w, arg);
	return 0;
}

/* What tattle will not take from a UI, and why. */
static const char *
notif_refusal(enum osui_cmd cmd)
{
	switch (cmd) {
	case OSUI_CMD_CONFIG:
		return "tattle does not take its configuration from a UI: "
		    "/etc/tattle/config.json is root's and is changed there "
		    "(a UI that could rewrite it could switch tattle off)";
	case OSUI_CMD_INTERCEPTION:
		return "tattle does not let a UI stop or start interception; "
		    "as root: systemctl stop tattled (a clean stop removes "
		    "tattle's nftables table)";
	case OSUI_CMD_FIREWALL:
		return "tattle manages no system firewall rules; use nft";
	case OSUI_CMD_LOG_LEVEL:
		return "tattle's log level is set in its configuration "
		    "(LogLevel), not by a UI";
	case OSUI_CMD_STOP:
		return "tattle does not stop on a UI's command; as root: "
		    "systemctl stop tattled";
	case OSUI_CMD_TASK:
		return "tattle has no monitor tasks (process, node or "
		    "socket monitors)";
	default:
		return "tattle-osui does not know this command";
	}
}

static void
notif_handle(struct bridge *b, struct osui_notif *n)
{
	struct notif_slot	*s = NULL;
	const char		*req;
	tclient_fill_fn		 fill = fill_name;
	size_t			 i, slot = 0;

	switch (n->cmd) {
	case OSUI_CMD_NONE:
		log_debug("an empty command from the UI");
		return;
	case OSUI_CMD_RULE_CHANGE:
		req = "rules.add";
		fill = fill_rule;
		break;
	case OSUI_CMD_RULE_DELETE:
		req = "rules.delete";
		break;
	case OSUI_CMD_RULE_ENABLE:
		req = "rules.enable";
		break;
	case OSUI_CMD_RULE_DISABLE:
		req = "rules.disable";
		break;
	default:
		notif_reply(b, n->id, 1, notif_refusal(n->cmd));
		return;
	}
	if (b->t_state != T_READY) {
		notif_reply(b, n->id, 1, "tattle is not connected");
		return;
	}
	if (n->nrules == 0) {
		notif_reply(b, n->id, 1, "the command names no rule");
		return;
	}
	for (i = 0; i < MAX_OSUI_NOTIFS && s == NULL; i++)
		if (!b->nslots[i].used) {
			s = &b->nslots[i];
			slot = i;
		}
	if (s == NULL) {
		notif_reply(b, n->id, 1, "too many commands under way");
		return;
	}
	memset(s, 0, sizeof(*s));
	s->used = 1;
	s->id = n->id;
	s->pending = 1;		/* until every request is queued */
	for (i = 0; i < n->nrules; i++) {
		if (tclient_request(&b->t, req, TREQ_NOTIF, slot, fill,
		    &n->rules[i]) == -1) {
			s->pending++;
			notif_result(b, slot, "tattle-osui: too many requests "
			    "to tattle under way");
			continue;
		}
		s->pending++;
	}
	notif_result(b, slot, NULL);
}

/* One request of a command answered (err NULL: it succeeded). */
static void
notif_result(struct bridge *b, uint64_t slot, const char *err)
{
	struct notif_slot	*s;
	size_t			 len;

	if (slot >= MAX_OSUI_NOTIFS || !(s = &b->nslots[slot])->used)
		return;
	if (err != NULL) {
		s->failed++;
		len = strlen(s->err);
		if (len < sizeof(s->err) - 1)
			snprintf(s->err + len, sizeof(s->err) - len, "%s%s",
			    len > 0 ? "; " : "", err);
	}
	if (s->pending > 0 && --s->pending > 0)
		return;
	notif_reply(b, s->id, s->failed > 0, s->err);
	s->used = 0;
}

/* ---- statistics ---- */

static void
ping_send(struct bridge *b, uint64_t now)
{
	struct timespec	 ts;
	struct buf	 out;
	char		*v;

	if (b->ui_state != UI_LIVE || b->ping != NULL)
		return;
	/* The UI parses it as x.y.z, and warns when it differs from its own. */
	if ((v = osui_strdup(b->t_version)) == NULL)
		return;
	free(b->stats.version);
	b->stats.version = v;
	clock_gettime(CLOCK_REALTIME, &ts);
	b->ping_id = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
	buf_init(&out, MAX_GRPC_MSG);
	if (b->codec->pack_ping(b->ping_id, &b->stats, &out) == 0)
		b->ping = grpc_unary(b->g, PATH_PING, OSUI_UNARY_MS, now, out.p,
		    out.len, NULL, ping_done, b);
	buf_free(&out);
	/* As OpenSnitch does: sent events are gone even if Ping fails. */
	osui_stats_clear_events(&b->stats);
	b->stats_news = 0;
	b->last_ping = now;
}

static void
ping_done(struct grpc_call *call, int st, const char *msg, void *arg)
{
	struct bridge	*b = arg;

	if (b->ping == call)
		b->ping = NULL;
	if (st != GRPC_OK)
		log_info("Ping: the UI said %s %s", grpc_status_name(st), msg);
}

void
bridge_timers(struct bridge *b, uint64_t now)
{
	if (b->g != NULL)
		grpc_conn_timers(b->g, now);
	if (b->ui_state != UI_LIVE || b->t_state != T_READY)
		return;
	alert_flush(b, now);
	if (b->ping != NULL || b->stats_wanted)
		return;
	if (b->last_ping != 0 && now - b->last_ping < OSUI_PING_MS)
		return;
	if (!b->stats_news && b->last_ping != 0 &&
	    now - b->last_ping < OSUI_PING_IDLE_MS)
		return;
	if (tclient_request(&b->t, "stats", TREQ_PING, 0, NULL, NULL) == 0)
		b->stats_wanted = 1;
}

/* The UI connection is gone (b->g already freed by the caller). */
void
bridge_ui_down(struct bridge *b)
{
	size_t	 i;

	for (i = 0; i < MAX_OSUI_ASKS; i++)
		if (b->asks[i].used)
			ask_free(&b->asks[i]);
	for (i = 0; i < MAX_OSUI_NOTIFS; i++)
		b->nslots[i].used = 0;
	b->probe = b->subscribe = b->notifs = b->ping = NULL;
	b->ui_state = UI_DOWN;
	b->ui_reset = 0;
	bridge_set_asks(b);
}
