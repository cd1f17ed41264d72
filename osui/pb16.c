/*
 * pb16.c: the codec for OpenSnitch 1.6 and later (ui16.proto): the
 * bridge's model to protobuf and back.  Packing borrows the model's
 * strings; what it must build lives in an arena freed after packing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osui.h"
#include "ui16.pb-c.h"

#define S(s)	((char *)((s) != NULL ? (s) : ""))

static int	 pb16_pack(const ProtobufCMessage *, struct buf *);
static Protocol__Operator *pb16_op(struct arena *, const struct osui_op *);
static Protocol__Rule *pb16_rule(struct arena *, const struct osui_rule *);
static Protocol__Connection *pb16_conn(struct arena *,
		    const struct osui_conn *);
static int	 pb16_op_from(const Protocol__Operator *, struct osui_op *,
		    int, char *, size_t);
static int	 pb16_rule_from(const Protocol__Rule *, struct osui_rule *,
		    char *, size_t);
static enum osui_cmd pb16_cmd(int);
static int	 pb16_subscribe(const struct osui_node *, struct buf *);
static int	 pb16_conn_pack(const struct osui_conn *, struct buf *);
static int	 pb16_unpack_rule(const uint8_t *, size_t, struct osui_rule *,
		    char *, size_t);
static int	 pb16_ping(uint64_t, const struct osui_stats *, struct buf *);
static int	 pb16_ping_reply(const uint8_t *, size_t, uint64_t *);
static int	 pb16_notif(const uint8_t *, size_t, struct osui_notif *,
		    char *, size_t);
static int	 pb16_notif_reply(uint64_t, int, const char *, struct buf *);
static int	 pb16_alert(uint64_t, int, const char *, struct buf *);

const struct osui_codec osui_codec16 = {
	OSUI_GEN_16, "1.6",
	pb16_subscribe, pb16_conn_pack, pb16_unpack_rule, pb16_ping,
	pb16_ping_reply, pb16_notif, pb16_notif_reply, pb16_alert
};

static int
pb16_pack(const ProtobufCMessage *m, struct buf *out)
{
	size_t	 n = protobuf_c_message_get_packed_size(m);

	if (buf_reserve(out, n) == -1)
		return -1;
	out->len += protobuf_c_message_pack(m, out->p + out->len);
	return 0;
}

static Protocol__Operator *
pb16_op(struct arena *a, const struct osui_op *op)
{
	Protocol__Operator	*p;
	size_t			 i;

	if ((p = arena_alloc(a, sizeof(*p))) == NULL)
		return NULL;
	protocol__operator__init(p);
	p->type = S(op->type);
	p->operand = S(op->operand);
	p->data = S(op->data);
	p->sensitive = op->sensitive;
	if (op->nlist == 0)
		return p;
	/* The UI reads the list, and the same list as JSON in data. */
	if (op->data == NULL || op->data[0] == '\0') {
		char	*d = osui_op_list_to_data(op);

		if (d == NULL)
			return NULL;
		p->data = arena_strdup(a, d);
		free(d);
		if (p->data == NULL)
			return NULL;
	}
	if ((p->list = arena_alloc(a, op->nlist * sizeof(*p->list))) == NULL)
		return NULL;
	for (i = 0; i < op->nlist; i++)
		if ((p->list[i] = pb16_op(a, &op->list[i])) == NULL)
			return NULL;
	p->n_list = op->nlist;
	return p;
}

static Protocol__Rule *
pb16_rule(struct arena *a, const struct osui_rule *r)
{
	Protocol__Rule	*p;

	if ((p = arena_alloc(a, sizeof(*p))) == NULL)
		return NULL;
	protocol__rule__init(p);
	p->created = r->created;
	p->name = S(r->name);
	p->description = S(r->description);
	p->enabled = r->enabled;
	p->precedence = r->precedence;
	p->nolog = r->nolog;
	p->action = S(r->action);
	p->duration = S(r->duration);
	if ((p->operator_ = pb16_op(a, &r->op)) == NULL)
		return NULL;
	return p;
}

static Protocol__Connection *
pb16_conn(struct arena *a, const struct osui_conn *c)
{
	Protocol__Connection	*p;
	Protocol__StringInt	*t;
	char			*cmd;
	size_t			 i, n;

	if ((p = arena_alloc(a, sizeof(*p))) == NULL)
		return NULL;
	protocol__connection__init(p);
	p->protocol = S(c->protocol);
	p->src_ip = S(c->src_ip);
	p->src_port = c->src_port;
	p->dst_ip = S(c->dst_ip);
	p->dst_host = S(c->host);
	p->dst_port = c->dst_port;
	/* OpenSnitch's "unknown": a uint32 cast of -1. */
	p->user_id = c->has_uid ? c->uid : UINT32_MAX;
	p->process_id = c->pid;
	p->process_path = S(c->path);
	p->process_cwd = S(c->cwd);
	if (c->command != NULL && c->command[0] != '\0') {
		for (n = 1, cmd = c->command; *cmd != '\0'; cmd++)
			n += *cmd == ' ';
		if ((cmd = arena_strdup(a, c->command)) == NULL ||
		    (p->process_args = arena_alloc(a, n * sizeof(char *))) ==
		    NULL)
			return NULL;
		p->n_process_args = osui_split_args(cmd, p->process_args, n);
	}
	if (!c->has_process)
		return p;
	/* The process itself, then its parents (tattle gives no pids). */
	if ((p->process_tree = arena_alloc(a, (c->nparents + 1) *
	    sizeof(*p->process_tree))) == NULL ||
	    (t = arena_alloc(a, (c->nparents + 1) * sizeof(*t))) == NULL)
		return NULL;
	for (i = 0; i <= c->nparents; i++) {
		protocol__string_int__init(&t[i]);
		t[i].key = S(i == 0 ? c->path : c->parents[i - 1]);
		t[i].value = i == 0 ? c->pid : 0;
		p->process_tree[i] = &t[i];
	}
	p->n_process_tree = c->nparents + 1;
	return p;
}

static int
pb16_subscribe(const struct osui_node *n, struct buf *out)
{
	Protocol__ClientConfig	 cc = PROTOCOL__CLIENT_CONFIG__INIT;
	struct arena		 a = { NULL };
	size_t			 i;
	int			 rv = -1;

	cc.name = S(n->name);
	cc.version = S(n->version);
	cc.isfirewallrunning = 1;
	cc.config = S(n->config);
	cc.loglevel = 1;
	if (n->nrules > 0 && (cc.rules = arena_alloc(&a, n->nrules *
	    sizeof(*cc.rules))) == NULL)
		goto done;
	for (i = 0; i < n->nrules; i++)
		if ((cc.rules[i] = pb16_rule(&a, &n->rules[i])) == NULL)
			goto done;
	cc.n_rules = n->nrules;
	rv = pb16_pack(&cc.base, out);
done:
	arena_free(&a);
	return rv;
}

static int
pb16_conn_pack(const struct osui_conn *c, struct buf *out)
{
	struct arena		 a = { NULL };
	Protocol__Connection	*p;
	int			 rv = -1;

	if ((p = pb16_conn(&a, c)) != NULL)
		rv = pb16_pack(&p->base, out);
	arena_free(&a);
	return rv;
}

static int
pb16_op_from(const Protocol__Operator *p, struct osui_op *op, int depth,
    char *err, size_t errlen)
{
	size_t	 i;

	memset(op, 0, sizeof(*op));
	op->type = osui_strdup(p->type);
	op->operand = osui_strdup(p->operand);
	op->data = osui_strdup(p->data);
	op->sensitive = p->sensitive;
	if (op->type == NULL || op->operand == NULL || op->data == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (p->n_list == 0)
		return osui_op_list_from_data(op, err, errlen);
	if (depth > 0 || p->n_list > MAX_OSUI_OPLIST) {
		snprintf(err, errlen, "operator list nested or longer than %d",
		    MAX_OSUI_OPLIST);
		return -1;
	}
	if ((op->list = calloc(p->n_list, sizeof(*op->list))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < p->n_list; i++) {
		op->nlist = i + 1;
		if (pb16_op_from(p->list[i], &op->list[i], depth + 1, err,
		    errlen) == -1)
			return -1;
	}
	/* The list is the truth; data was only its JSON copy. */
	free(op->data);
	op->data = osui_strdup("");
	return op->data == NULL ? -1 : 0;
}

static int
pb16_rule_from(const Protocol__Rule *p, struct osui_rule *r, char *err,
    size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->name = osui_strdup(p->name);
	r->description = osui_strdup(p->description);
	r->action = osui_strdup(p->action);
	r->duration = osui_strdup(p->duration);
	r->enabled = p->enabled;
	r->precedence = p->precedence;
	r->nolog = p->nolog;
	r->created = p->created;
	if (r->name == NULL || r->description == NULL || r->action == NULL ||
	    r->duration == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Delete, enable and disable name the rule and nothing else. */
	if (p->operator_ == NULL)
		return 0;
	return pb16_op_from(p->operator_, &r->op, 0, err, errlen);
}

static int
pb16_unpack_rule(const uint8_t *data, size_t len, struct osui_rule *r,
    char *err, size_t errlen)
{
	Protocol__Rule	*p;
	int		 rv;

	if ((p = protocol__rule__unpack(NULL, len, data)) == NULL) {
		snprintf(err, errlen, "the UI's Rule does not decode");
		return -1;
	}
	if ((rv = pb16_rule_from(p, r, err, errlen)) == -1)
		osui_rule_free(r);
	protocol__rule__free_unpacked(p, NULL);
	return rv;
}

static int
pb16_ping(uint64_t id, const struct osui_stats *s, struct buf *out)
{
	Protocol__PingRequest	 req = PROTOCOL__PING_REQUEST__INIT;
	Protocol__Statistics	 st = PROTOCOL__STATISTICS__INIT;
	struct arena		 a = { NULL };
	Protocol__Event		*ev;
	Protocol__Rule		*r;
	char			 tbuf[32];
	size_t			 i;
	int			 rv = -1;

	req.id = id;
	req.stats = &st;
	st.daemon_version = S(s->version);
	st.rules = s->rules;
	st.uptime = s->uptime;
	st.dns_responses = s->dns_responses;
	st.connections = s->connections;
	st.accepted = s->accepted;
	st.dropped = s->dropped;
	st.rule_hits = s->rule_hits;
	st.rule_misses = s->rule_misses;
#define TALLY(field, T, init, which) do {				\
	const struct osui_tally *t = &s->by[which];			\
	T *e;								\
	if (t->n == 0)							\
		break;							\
	if ((st.field = arena_alloc(&a, t->n * sizeof(T *))) == NULL ||	\
	    (e = arena_alloc(&a, t->n * sizeof(T))) == NULL)		\
		goto done;						\
	for (i = 0; i < t->n; i++) {					\
		init(&e[i]);						\
		e[i].key = t->key[i];					\
		e[i].value = t->hits[i];				\
		st.field[i] = &e[i];					\
	}								\
	st.n_##field = t->n;						\
} while (0)
	TALLY(by_proto, Protocol__Statistics__ByProtoEntry,
	    protocol__statistics__by_proto_entry__init, OSUI_BY_PROTO);
	TALLY(by_address, Protocol__Statistics__ByAddressEntry,
	    protocol__statistics__by_address_entry__init, OSUI_BY_ADDR);
	TALLY(by_host, Protocol__Statistics__ByHostEntry,
	    protocol__statistics__by_host_entry__init, OSUI_BY_HOST);
	TALLY(by_port, Protocol__Statistics__ByPortEntry,
	    protocol__statistics__by_port_entry__init, OSUI_BY_PORT);
	TALLY(by_uid, Protocol__Statistics__ByUidEntry,
	    protocol__statistics__by_uid_entry__init, OSUI_BY_UID);
	TALLY(by_executable, Protocol__Statistics__ByExecutableEntry,
	    protocol__statistics__by_executable_entry__init, OSUI_BY_EXE);
#undef TALLY
	if (s->nevents > 0 && (st.events = arena_alloc(&a, s->nevents *
	    sizeof(*st.events))) == NULL)
		goto done;
	for (i = 0; i < s->nevents; i++) {
		const struct osui_event *e = &s->events[i];

		if ((ev = arena_alloc(&a, sizeof(*ev))) == NULL ||
		    (r = arena_alloc(&a, sizeof(*r))) == NULL)
			goto done;
		protocol__event__init(ev);
		protocol__rule__init(r);
		osui_event_time(e->unixnano, tbuf, sizeof(tbuf));
		if ((ev->time = arena_strdup(&a, tbuf)) == NULL ||
		    (ev->connection = pb16_conn(&a, &e->conn)) == NULL)
			goto done;
		ev->unixnano = e->unixnano;
		r->name = S(e->rule);
		r->action = S(e->verdict);
		r->enabled = 1;
		ev->rule = r;
		st.events[i] = ev;
	}
	st.n_events = s->nevents;
	rv = pb16_pack(&req.base, out);
done:
	arena_free(&a);
	return rv;
}

static int
pb16_ping_reply(const uint8_t *data, size_t len, uint64_t *id)
{
	Protocol__PingReply	*p;

	if ((p = protocol__ping_reply__unpack(NULL, len, data)) == NULL)
		return -1;
	*id = p->id;
	protocol__ping_reply__free_unpacked(p, NULL);
	return 0;
}

static enum osui_cmd
pb16_cmd(int type)
{
	switch (type) {
	case PROTOCOL__ACTION__NONE:
		return OSUI_CMD_NONE;
	case PROTOCOL__ACTION__ENABLE_INTERCEPTION:
	case PROTOCOL__ACTION__DISABLE_INTERCEPTION:
		return OSUI_CMD_INTERCEPTION;
	case PROTOCOL__ACTION__ENABLE_FIREWALL:
	case PROTOCOL__ACTION__DISABLE_FIREWALL:
	case PROTOCOL__ACTION__RELOAD_FW_RULES:
		return OSUI_CMD_FIREWALL;
	case PROTOCOL__ACTION__CHANGE_CONFIG:
		return OSUI_CMD_CONFIG;
	case PROTOCOL__ACTION__ENABLE_RULE:
		return OSUI_CMD_RULE_ENABLE;
	case PROTOCOL__ACTION__DISABLE_RULE:
		return OSUI_CMD_RULE_DISABLE;
	case PROTOCOL__ACTION__DELETE_RULE:
		return OSUI_CMD_RULE_DELETE;
	case PROTOCOL__ACTION__CHANGE_RULE:
		return OSUI_CMD_RULE_CHANGE;
	case PROTOCOL__ACTION__LOG_LEVEL:
		return OSUI_CMD_LOG_LEVEL;
	case PROTOCOL__ACTION__STOP:
		return OSUI_CMD_STOP;
	case PROTOCOL__ACTION__TASK_START:
	case PROTOCOL__ACTION__TASK_STOP:
		return OSUI_CMD_TASK;
	default:
		return OSUI_CMD_UNKNOWN;
	}
}

static int
pb16_notif(const uint8_t *data, size_t len, struct osui_notif *n,
    char *err, size_t errlen)
{
	Protocol__Notification	*p;
	size_t			 i;
	int			 rv = 0;

	memset(n, 0, sizeof(*n));
	if ((p = protocol__notification__unpack(NULL, len, data)) == NULL) {
		snprintf(err, errlen, "the UI's Notification does not decode");
		return -1;
	}
	n->id = p->id;
	n->wire_type = p->type;
	n->cmd = pb16_cmd(p->type);
	if (p->n_rules > MAX_OSUI_RULES) {
		snprintf(err, errlen, "%zu rules in one command, more than %d",
		    p->n_rules, MAX_OSUI_RULES);
		rv = -1;
	} else if (p->n_rules > 0 &&
	    (n->rules = calloc(p->n_rules, sizeof(*n->rules))) == NULL) {
		snprintf(err, errlen, "out of memory");
		rv = -1;
	}
	for (i = 0; rv == 0 && i < p->n_rules; i++) {
		n->nrules = i + 1;
		rv = pb16_rule_from(p->rules[i], &n->rules[i], err, errlen);
	}
	protocol__notification__free_unpacked(p, NULL);
	return rv;
}

static int
pb16_notif_reply(uint64_t id, int error, const char *text, struct buf *out)
{
	Protocol__NotificationReply	 r = PROTOCOL__NOTIFICATION_REPLY__INIT;

	r.id = id;
	r.code = error ? PROTOCOL__NOTIFICATION_REPLY_CODE__ERROR :
	    PROTOCOL__NOTIFICATION_REPLY_CODE__OK;
	r.data = S(text);
	return pb16_pack(&r.base, out);
}

/* level: LOG_ERR, LOG_WARNING or LOG_INFO from syslog.h's order. */
static int
pb16_alert(uint64_t id, int level, const char *text, struct buf *out)
{
	Protocol__Alert	 a = PROTOCOL__ALERT__INIT;

	a.id = id;
	if (level <= 3) {
		a.type = PROTOCOL__ALERT__TYPE__ERROR;
		a.priority = PROTOCOL__ALERT__PRIORITY__HIGH;
	} else if (level == 4) {
		a.type = PROTOCOL__ALERT__TYPE__WARNING;
		a.priority = PROTOCOL__ALERT__PRIORITY__MEDIUM;
	} else {
		a.type = PROTOCOL__ALERT__TYPE__INFO;
		a.priority = PROTOCOL__ALERT__PRIORITY__LOW;
	}
	a.action = level <= 4 ? PROTOCOL__ALERT__ACTION__SHOW_ALERT :
	    PROTOCOL__ALERT__ACTION__NONE;
	a.what = PROTOCOL__ALERT__WHAT__GENERIC;
	a.data_case = PROTOCOL__ALERT__DATA_TEXT;
	a.text = S(text);
	return pb16_pack(&a.base, out);
}
