/*
 * pb15.c: the codec for OpenSnitch 1.5.8 (ui15.proto): the bridge's model
 * to protobuf and back.  Unlike 1.6 a rule has no creation time,
 * description or nolog, a list operator carries its children only as
 * JSON in data, connections have no process tree, commands have other
 * numbers and there are no alerts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osui.h"
#include "ui15.pb-c.h"

#define S(s)	((char *)((s) != NULL ? (s) : ""))

static int	 pb15_pack(const ProtobufCMessage *, struct buf *);
static Osui15__Protocol__Operator *pb15_op(struct arena *,
		    const struct osui_op *);
static Osui15__Protocol__Rule *pb15_rule(struct arena *,
		    const struct osui_rule *);
static Osui15__Protocol__Connection *pb15_conn(struct arena *,
		    const struct osui_conn *);
static int	 pb15_op_from(const Osui15__Protocol__Operator *,
		    struct osui_op *, char *, size_t);
static int	 pb15_rule_from(const Osui15__Protocol__Rule *,
		    struct osui_rule *, char *, size_t);
static enum osui_cmd pb15_cmd(int);
static int	 pb15_subscribe(const struct osui_node *, struct buf *);
static int	 pb15_conn_pack(const struct osui_conn *, struct buf *);
static int	 pb15_unpack_rule(const uint8_t *, size_t, struct osui_rule *,
		    char *, size_t);
static int	 pb15_ping(uint64_t, const struct osui_stats *, struct buf *);
static int	 pb15_ping_reply(const uint8_t *, size_t, uint64_t *);
static int	 pb15_notif(const uint8_t *, size_t, struct osui_notif *,
		    char *, size_t);
static int	 pb15_notif_reply(uint64_t, int, const char *, struct buf *);

const struct osui_codec osui_codec15 = {
	OSUI_GEN_15, "1.5",
	pb15_subscribe, pb15_conn_pack, pb15_unpack_rule, pb15_ping,
	pb15_ping_reply, pb15_notif, pb15_notif_reply, NULL
};

static int
pb15_pack(const ProtobufCMessage *m, struct buf *out)
{
	size_t	 n = protobuf_c_message_get_packed_size(m);

	if (buf_reserve(out, n) == -1)
		return -1;
	out->len += protobuf_c_message_pack(m, out->p + out->len);
	return 0;
}

static Osui15__Protocol__Operator *
pb15_op(struct arena *a, const struct osui_op *op)
{
	Osui15__Protocol__Operator	*p;
	char				*d;

	if ((p = arena_alloc(a, sizeof(*p))) == NULL)
		return NULL;
	osui15__protocol__operator__init(p);
	p->type = S(op->type);
	p->operand = S(op->operand);
	p->data = S(op->data);
	p->sensitive = op->sensitive;
	if (op->nlist == 0)
		return p;
	if ((d = osui_op_list_to_data(op)) == NULL)
		return NULL;
	p->data = arena_strdup(a, d);
	free(d);
	return p->data == NULL ? NULL : p;
}

static Osui15__Protocol__Rule *
pb15_rule(struct arena *a, const struct osui_rule *r)
{
	Osui15__Protocol__Rule	*p;

	if ((p = arena_alloc(a, sizeof(*p))) == NULL)
		return NULL;
	osui15__protocol__rule__init(p);
	p->name = S(r->name);
	p->enabled = r->enabled;
	p->precedence = r->precedence;
	p->action = S(r->action);
	p->duration = S(r->duration);
	if ((p->operator_ = pb15_op(a, &r->op)) == NULL)
		return NULL;
	return p;
}

static Osui15__Protocol__Connection *
pb15_conn(struct arena *a, const struct osui_conn *c)
{
	Osui15__Protocol__Connection	*p;
	char			*cmd;
	size_t			 n;

	if ((p = arena_alloc(a, sizeof(*p))) == NULL)
		return NULL;
	osui15__protocol__connection__init(p);
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
	return p;
}

static int
pb15_subscribe(const struct osui_node *n, struct buf *out)
{
	Osui15__Protocol__ClientConfig	 cc =
	    OSUI15__PROTOCOL__CLIENT_CONFIG__INIT;
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
		if ((cc.rules[i] = pb15_rule(&a, &n->rules[i])) == NULL)
			goto done;
	cc.n_rules = n->nrules;
	rv = pb15_pack(&cc.base, out);
done:
	arena_free(&a);
	return rv;
}

static int
pb15_conn_pack(const struct osui_conn *c, struct buf *out)
{
	struct arena		 a = { NULL };
	Osui15__Protocol__Connection	*p;
	int			 rv = -1;

	if ((p = pb15_conn(&a, c)) != NULL)
		rv = pb15_pack(&p->base, out);
	arena_free(&a);
	return rv;
}

static int
pb15_op_from(const Osui15__Protocol__Operator *p, struct osui_op *op,
    char *err, size_t errlen)
{
	memset(op, 0, sizeof(*op));
	op->type = osui_strdup(p->type);
	op->operand = osui_strdup(p->operand);
	op->data = osui_strdup(p->data);
	op->sensitive = p->sensitive;
	if (op->type == NULL || op->operand == NULL || op->data == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (osui_op_list_from_data(op, err, errlen) == -1)
		return -1;
	if (op->nlist > 0) {
		free(op->data);
		if ((op->data = osui_strdup("")) == NULL)
			return -1;
	}
	return 0;
}

static int
pb15_rule_from(const Osui15__Protocol__Rule *p, struct osui_rule *r, char *err,
    size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->name = osui_strdup(p->name);
	r->description = osui_strdup("");
	r->action = osui_strdup(p->action);
	r->duration = osui_strdup(p->duration);
	r->enabled = p->enabled;
	r->precedence = p->precedence;
	if (r->name == NULL || r->description == NULL || r->action == NULL ||
	    r->duration == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Delete, enable and disable name the rule and nothing else. */
	if (p->operator_ == NULL)
		return 0;
	return pb15_op_from(p->operator_, &r->op, err, errlen);
}

static int
pb15_unpack_rule(const uint8_t *data, size_t len, struct osui_rule *r,
    char *err, size_t errlen)
{
	Osui15__Protocol__Rule	*p;
	int		 rv;

	if ((p = osui15__protocol__rule__unpack(NULL, len, data)) == NULL) {
		snprintf(err, errlen, "the UI's Rule does not decode");
		return -1;
	}
	if ((rv = pb15_rule_from(p, r, err, errlen)) == -1)
		osui_rule_free(r);
	osui15__protocol__rule__free_unpacked(p, NULL);
	return rv;
}

static int
pb15_ping(uint64_t id, const struct osui_stats *s, struct buf *out)
{
	Osui15__Protocol__PingRequest	 req =
	    OSUI15__PROTOCOL__PING_REQUEST__INIT;
	Osui15__Protocol__Statistics	 st =
	    OSUI15__PROTOCOL__STATISTICS__INIT;
	struct arena		 a = { NULL };
	Osui15__Protocol__Event		*ev;
	Osui15__Protocol__Rule		*r;
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
	TALLY(by_proto, Osui15__Protocol__Statistics__ByProtoEntry,
	    osui15__protocol__statistics__by_proto_entry__init, OSUI_BY_PROTO);
	TALLY(by_address, Osui15__Protocol__Statistics__ByAddressEntry,
	    osui15__protocol__statistics__by_address_entry__init, OSUI_BY_ADDR);
	TALLY(by_host, Osui15__Protocol__Statistics__ByHostEntry,
	    osui15__protocol__statistics__by_host_entry__init, OSUI_BY_HOST);
	TALLY(by_port, Osui15__Protocol__Statistics__ByPortEntry,
	    osui15__protocol__statistics__by_port_entry__init, OSUI_BY_PORT);
	TALLY(by_uid, Osui15__Protocol__Statistics__ByUidEntry,
	    osui15__protocol__statistics__by_uid_entry__init, OSUI_BY_UID);
	TALLY(by_executable, Osui15__Protocol__Statistics__ByExecutableEntry,
	    osui15__protocol__statistics__by_executable_entry__init,
	    OSUI_BY_EXE);
#undef TALLY
	if (s->nevents > 0 && (st.events = arena_alloc(&a, s->nevents *
	    sizeof(*st.events))) == NULL)
		goto done;
	for (i = 0; i < s->nevents; i++) {
		const struct osui_event *e = &s->events[i];

		if ((ev = arena_alloc(&a, sizeof(*ev))) == NULL ||
		    (r = arena_alloc(&a, sizeof(*r))) == NULL)
			goto done;
		osui15__protocol__event__init(ev);
		osui15__protocol__rule__init(r);
		osui_event_time(e->unixnano, tbuf, sizeof(tbuf));
		if ((ev->time = arena_strdup(&a, tbuf)) == NULL ||
		    (ev->connection = pb15_conn(&a, &e->conn)) == NULL)
			goto done;
		ev->unixnano = e->unixnano;
		r->name = S(e->rule);
		r->action = S(e->verdict);
		r->enabled = 1;
		ev->rule = r;
		st.events[i] = ev;
	}
	st.n_events = s->nevents;
	rv = pb15_pack(&req.base, out);
done:
	arena_free(&a);
	return rv;
}

static int
pb15_ping_reply(const uint8_t *data, size_t len, uint64_t *id)
{
	Osui15__Protocol__PingReply	*p;

	if ((p = osui15__protocol__ping_reply__unpack(NULL, len, data)) == NULL)
		return -1;
	*id = p->id;
	osui15__protocol__ping_reply__free_unpacked(p, NULL);
	return 0;
}

/* 1.5.8's UI switches interception with LOAD/UNLOAD_FIREWALL. */
static enum osui_cmd
pb15_cmd(int type)
{
	switch (type) {
	case OSUI15__PROTOCOL__ACTION__NONE:
		return OSUI_CMD_NONE;
	case OSUI15__PROTOCOL__ACTION__LOAD_FIREWALL:
	case OSUI15__PROTOCOL__ACTION__UNLOAD_FIREWALL:
		return OSUI_CMD_INTERCEPTION;
	case OSUI15__PROTOCOL__ACTION__CHANGE_CONFIG:
		return OSUI_CMD_CONFIG;
	case OSUI15__PROTOCOL__ACTION__ENABLE_RULE:
		return OSUI_CMD_RULE_ENABLE;
	case OSUI15__PROTOCOL__ACTION__DISABLE_RULE:
		return OSUI_CMD_RULE_DISABLE;
	case OSUI15__PROTOCOL__ACTION__DELETE_RULE:
		return OSUI_CMD_RULE_DELETE;
	case OSUI15__PROTOCOL__ACTION__CHANGE_RULE:
		return OSUI_CMD_RULE_CHANGE;
	case OSUI15__PROTOCOL__ACTION__LOG_LEVEL:
		return OSUI_CMD_LOG_LEVEL;
	case OSUI15__PROTOCOL__ACTION__STOP:
		return OSUI_CMD_STOP;
	case OSUI15__PROTOCOL__ACTION__MONITOR_PROCESS:
	case OSUI15__PROTOCOL__ACTION__STOP_MONITOR_PROCESS:
		return OSUI_CMD_TASK;
	default:
		return OSUI_CMD_UNKNOWN;
	}
}

static int
pb15_notif(const uint8_t *data, size_t len, struct osui_notif *n,
    char *err, size_t errlen)
{
	Osui15__Protocol__Notification	*p;
	size_t			 i;
	int			 rv = 0;

	memset(n, 0, sizeof(*n));
	if ((p = osui15__protocol__notification__unpack(NULL, len, data)) ==
	    NULL) {
		snprintf(err, errlen, "the UI's Notification does not decode");
		return -1;
	}
	n->id = p->id;
	n->wire_type = p->type;
	n->cmd = pb15_cmd(p->type);
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
		rv = pb15_rule_from(p->rules[i], &n->rules[i], err, errlen);
	}
	osui15__protocol__notification__free_unpacked(p, NULL);
	return rv;
}

static int
pb15_notif_reply(uint64_t id, int error, const char *text, struct buf *out)
{
	Osui15__Protocol__NotificationReply	 r =
	    OSUI15__PROTOCOL__NOTIFICATION_REPLY__INIT;

	r.id = id;
	r.code = error ? OSUI15__PROTOCOL__NOTIFICATION_REPLY_CODE__ERROR :
	    OSUI15__PROTOCOL__NOTIFICATION_REPLY_CODE__OK;
	r.data = S(text);
	return pb15_pack(&r.base, out);
}
