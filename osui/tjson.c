/*
 * tjson.c: tattle's JSON (docs/ui-protocol.md) to the bridge's model and
 * back: connections of ask and event, rule objects, statistics, and the
 * OpenSnitch configuration text Subscribe carries.  Every field is
 * checked for its type; a missing optional field stays empty ("absent,
 * never guessed").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yajl/yajl_tree.h>

#include "osui.h"
#include "tjson.h"

static yajl_val	 tj_get(yajl_val, const char *, yajl_type);
static int	 tj_str(yajl_val, const char *, char **);
static int	 tj_u32(yajl_val, const char *, uint32_t *, int *);
static int	 tj_u64(yajl_val, const char *, uint64_t *);
static int	 tj_op(yajl_val, struct osui_op *, int, char *, size_t);
static void	 tj_gen_kv(struct jw *, const char *, const char *);
static void	 tj_gen_op(struct jw *, const struct osui_op *, int);

static yajl_val
tj_get(yajl_val obj, const char *key, yajl_type t)
{
	const char	*path[2] = { key, NULL };

	if (obj == NULL || !YAJL_IS_OBJECT(obj))
		return NULL;
	return yajl_tree_get(obj, path, t);
}

/* A string field: copied into *out (NULL when absent); -1 on no memory. */
static int
tj_str(yajl_val obj, const char *key, char **out)
{
	yajl_val	 v = tj_get(obj, key, yajl_t_string);
	const char	*s;

	*out = NULL;
	if (v == NULL)
		return 0;
	s = YAJL_GET_STRING(v);
	if (strlen(s) > MAX_OSUI_STR)
		return 0;
	return (*out = osui_strdup(s)) == NULL ? -1 : 0;
}

static int
tj_u64(yajl_val obj, const char *key, uint64_t *out)
{
	yajl_val	 v = tj_get(obj, key, yajl_t_number);

	*out = 0;
	if (v == NULL || !YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) < 0)
		return -1;
	*out = (uint64_t)YAJL_GET_INTEGER(v);
	return 0;
}

static int
tj_u32(yajl_val obj, const char *key, uint32_t *out, int *present)
{
	uint64_t	 v;

	*out = 0;
	if (present != NULL)
		*present = 0;
	if (tj_u64(obj, key, &v) == -1 || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	if (present != NULL)
		*present = 1;
	return 0;
}

int
tj_conn(yajl_val v, struct osui_conn *c, char *err, size_t errlen)
{
	yajl_val	 p, par;
	size_t		 i;
	int		 rv = 0;

	memset(c, 0, sizeof(*c));
	if (v == NULL || !YAJL_IS_OBJECT(v)) {
		snprintf(err, errlen, "\"conn\" missing or not an object");
		return -1;
	}
	rv |= tj_str(v, "protocol", &c->protocol);
	rv |= tj_str(v, "src_ip", &c->src_ip);
	rv |= tj_str(v, "dst_ip", &c->dst_ip);
	rv |= tj_str(v, "host", &c->host);
	tj_u32(v, "src_port", &c->src_port, NULL);
	tj_u32(v, "dst_port", &c->dst_port, NULL);
	if (c->protocol == NULL || c->dst_ip == NULL) {
		snprintf(err, errlen, "conn: \"protocol\" or \"dst_ip\" "
		    "missing");
		return -1;
	}
	if ((p = tj_get(v, "process", yajl_t_object)) != NULL) {
		c->has_process = 1;
		tj_u32(p, "pid", &c->pid, NULL);
		tj_u32(p, "uid", &c->uid, &c->has_uid);
		rv |= tj_str(p, "path", &c->path);
		rv |= tj_str(p, "command", &c->command);
		rv |= tj_str(p, "cwd", &c->cwd);
		par = tj_get(p, "parents", yajl_t_array);
		for (i = 0; par != NULL && i < YAJL_GET_ARRAY(par)->len &&
		    c->nparents < MAX_OSUI_PARENTS; i++) {
			yajl_val e = YAJL_GET_ARRAY(par)->values[i];

			if (!YAJL_IS_STRING(e))
				continue;
			if ((c->parents[c->nparents] =
			    osui_strdup(YAJL_GET_STRING(e))) == NULL)
				rv = -1;
			else
				c->nparents++;
		}
	}
	if (rv != 0)
		snprintf(err, errlen, "out of memory");
	return rv;
}

int
tj_ask(yajl_val msg, struct osui_ask *a, char *err, size_t errlen)
{
	memset(a, 0, sizeof(*a));
	if (tj_u64(msg, "id", &a->id) == -1) {
		snprintf(err, errlen, "ask: \"id\" missing or not a number");
		return -1;
	}
	if (tj_u32(msg, "timeout_ms", &a->timeout_ms, NULL) == -1)
		a->timeout_ms = 0;
	return tj_conn(tj_get(msg, "conn", yajl_t_object), &a->conn, err,
	    errlen);
}

/* RFC 3339 (UTC "Z" or an offset) to unix nanoseconds; -1 if not. */
int
tj_time(const char *s, int64_t *ns)
{
	struct tm	 tm;
	const char	*p;
	int64_t		 frac = 0, scale = 1000000000, off = 0;
	int		 hh, mm;

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || (p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
		return -1;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (*p - '0') * scale;
			}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if ((*p == '+' || *p == '-') &&
	    sscanf(p + 1, "%2d:%2d", &hh, &mm) == 2) {
		off = (int64_t)(hh * 3600 + mm * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	} else
		return -1;
	if (*p != '\0')
		return -1;
	*ns = ((int64_t)timegm(&tm) - off) * 1000000000 + frac;
	return 0;
}

int
tj_event(yajl_val msg, struct osui_event *e, char *err, size_t errlen)
{
	char	*t = NULL;
	int	 rv = 0;

	memset(e, 0, sizeof(*e));
	rv |= tj_str(msg, "time", &t);
	if (t == NULL || tj_time(t, &e->unixnano) == -1) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		e->unixnano = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	}
	free(t);
	rv |= tj_str(msg, "verdict", &e->verdict);
	rv |= tj_str(msg, "rule", &e->rule);
	rv |= tj_str(msg, "reason", &e->reason);
	if (rv != 0 || e->verdict == NULL) {
		snprintf(err, errlen, "event: \"verdict\" missing");
		return -1;
	}
	return tj_conn(tj_get(msg, "conn", yajl_t_object), &e->conn, err,
	    errlen);
}

static int
tj_op(yajl_val v, struct osui_op *op, int depth, char *err, size_t errlen)
{
	yajl_val	 list, d, sens;
	size_t		 i, n;
	int		 rv = 0;

	memset(op, 0, sizeof(*op));
	if (v == NULL || !YAJL_IS_OBJECT(v)) {
		snprintf(err, errlen, "rule: \"operator\" missing");
		return -1;
	}
	rv |= tj_str(v, "type", &op->type);
	rv |= tj_str(v, "operand", &op->operand);
	/* OpenSnitch rule files hold ports as strings, the UI as either. */
	if ((d = tj_get(v, "data", yajl_t_any)) != NULL && YAJL_IS_NUMBER(d))
		op->data = osui_strdup(YAJL_GET_NUMBER(d));
	else
		rv |= tj_str(v, "data", &op->data);
	if (op->data == NULL)
		op->data = osui_strdup("");
	sens = tj_get(v, "sensitive", yajl_t_any);
	op->sensitive = sens != NULL && YAJL_IS_TRUE(sens);
	if (rv != 0 || op->type == NULL || op->operand == NULL ||
	    op->data == NULL) {
		snprintf(err, errlen, "rule: operator lacks \"type\" or "
		    "\"operand\"");
		return -1;
	}
	list = tj_get(v, "list", yajl_t_array);
	if (list == NULL || (n = YAJL_GET_ARRAY(list)->len) == 0)
		return osui_op_list_from_data(op, err, errlen);
	if (depth > 0 || n > MAX_OSUI_OPLIST) {
		snprintf(err, errlen, "rule: operator list nested or longer "
		    "than %d", MAX_OSUI_OPLIST);
		return -1;
	}
	if ((op->list = calloc(n, sizeof(*op->list))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		op->nlist = i + 1;
		if (tj_op(YAJL_GET_ARRAY(list)->values[i], &op->list[i],
		    depth + 1, err, errlen) == -1)
			return -1;
	}
	return 0;
}

/* An OpenSnitch rule object (rules.list) to the model. */
int
tj_rule(yajl_val v, struct osui_rule *r, char *err, size_t errlen)
{
	yajl_val	 b;
	char		*created = NULL;
	int64_t		 ns;
	int		 rv = 0;

	memset(r, 0, sizeof(*r));
	rv |= tj_str(v, "name", &r->name);
	rv |= tj_str(v, "description", &r->description);
	rv |= tj_str(v, "action", &r->action);
	rv |= tj_str(v, "duration", &r->duration);
	rv |= tj_str(v, "created", &created);
	if (created != NULL && tj_time(created, &ns) == 0)
		r->created = ns / 1000000000;
	free(created);
	r->enabled = (b = tj_get(v, "enabled", yajl_t_any)) != NULL &&
	    YAJL_IS_TRUE(b);
	r->precedence = (b = tj_get(v, "precedence", yajl_t_any)) != NULL &&
	    YAJL_IS_TRUE(b);
	r->nolog = (b = tj_get(v, "nolog", yajl_t_any)) != NULL &&
	    YAJL_IS_TRUE(b);
	if (rv != 0 || r->name == NULL || r->action == NULL) {
		snprintf(err, errlen, "rule: \"name\" or \"action\" missing");
		return -1;
	}
	if (r->duration == NULL && (r->duration = osui_strdup("always")) ==
	    NULL)
		return -1;
	if (r->description == NULL && (r->description = osui_strdup("")) ==
	    NULL)
		return -1;
	return tj_op(tj_get(v, "operator", yajl_t_object), &r->op, 0, err,
	    errlen);
}

/* tattle's stats result to the counters of OpenSnitch's Statistics. */
void
tj_stats(yajl_val st, struct osui_stats *s)
{
	yajl_val	 why;
	uint64_t	 allowed, denied, rejected, n;

	tj_u64(st, "rules", &s->rules);
	tj_u64(st, "uptime_s", &s->uptime);
	tj_u64(st, "dns_replies", &s->dns_responses);
	tj_u64(st, "connections", &s->connections);
	tj_u64(st, "allowed", &allowed);
	tj_u64(st, "denied", &denied);
	tj_u64(st, "rejected", &rejected);
	s->accepted = allowed;
	s->dropped = denied + rejected;
	/* A rule decided (or the user made one): a hit; else a miss. */
	why = tj_get(st, "by_reason", yajl_t_object);
	s->rule_hits = 0;
	if (tj_u64(why, "rule", &n) == 0)
		s->rule_hits += n;
	if (tj_u64(why, "answer", &n) == 0)
		s->rule_hits += n;
	s->rule_misses = s->connections > s->rule_hits ?
	    s->connections - s->rule_hits : 0;
}

/* A string member; NULL is written as "" (the UI's empty field). */
static void
tj_gen_kv(struct jw *w, const char *k, const char *v)
{
	jw_kstr(w, k, v != NULL ? v : "");
}

static void
tj_gen_op(struct jw *w, const struct osui_op *op, int top)
{
	size_t	 i;

	jw_obj(w);
	tj_gen_kv(w, "type", op->type);
	tj_gen_kv(w, "operand", op->operand);
	tj_gen_kv(w, "data", op->data);
	jw_kbool(w, "sensitive", op->sensitive);
	if (top && op->nlist > 0) {
		jw_key(w, "list");
		jw_arr(w);
		for (i = 0; i < op->nlist; i++)
			tj_gen_op(w, &op->list[i], 0);
		jw_end(w);
	}
	jw_end(w);
}

/* The model as an OpenSnitch rule object, the value of a map key. */
int
tj_gen_rule(struct jw *w, const struct osui_rule *r)
{
	char		 tbuf[32];
	struct tm	 tm;
	time_t		 t;

	jw_obj(w);
	tj_gen_kv(w, "name", r->name);
	tj_gen_kv(w, "description", r->description);
	jw_kbool(w, "enabled", r->enabled);
	jw_kbool(w, "precedence", r->precedence);
	jw_kbool(w, "nolog", r->nolog);
	tj_gen_kv(w, "action", r->action);
	tj_gen_kv(w, "duration", r->duration);
	if (r->created > 0) {
		t = (time_t)r->created;
		if (gmtime_r(&t, &tm) != NULL && strftime(tbuf, sizeof(tbuf),
		    "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
			tj_gen_kv(w, "created", tbuf);
	}
	jw_key(w, "operator");
	tj_gen_op(w, &r->op, 1);
	jw_end(w);
	return w->err ? -1 : 0;
}

/*
 * The configuration OpenSnitch's UI shows for a node, in OpenSnitch's
 * keys, from what tattle told: only facts, nothing guessed.
 */
char *
tj_config(const char *ui_addr, const char *default_action,
    const char *fail_mode)
{
	struct jw	 w;
	size_t		 len;

	jw_init(&w, MAX_GRPC_MSG);
	jw_obj(&w);
	jw_key(&w, "Server");
	jw_obj(&w);
	tj_gen_kv(&w, "Address", ui_addr);
	tj_gen_kv(&w, "LogFile", "");
	jw_end(&w);
	tj_gen_kv(&w, "DefaultAction", default_action);
	tj_gen_kv(&w, "DefaultDuration", "once");
	tj_gen_kv(&w, "ProcMonitorMethod", "ftrace");
	tj_gen_kv(&w, "Firewall", "nftables");
	jw_ku64(&w, "LogLevel", 1);
	jw_key(&w, "Stats");
	jw_obj(&w);
	jw_ku64(&w, "MaxEvents", MAX_OSUI_EVENTS);
	jw_ku64(&w, "MaxStats", MAX_OSUI_STATS);
	jw_end(&w);
	tj_gen_kv(&w, "FailMode", fail_mode);
	jw_end(&w);
	return jw_take(&w, &len);
}
