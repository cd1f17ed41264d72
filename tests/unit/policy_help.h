/*
 * policy_help.h: what the policy unit tests share: rule JSON built from
 * fields, the corpus's default connection, and a loader that says why a
 * rule was refused.
 */
#ifndef TATTLE_POLICY_HELP_H
#define TATTLE_POLICY_HELP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

#define RULEBUF	8192

static const char *const ph_parents[] = {
	"/usr/bin/bash", "/usr/lib/systemd/systemd"
};
static const struct policy_env ph_env[] = {
	{ "HOME", "/home/alice" },
	{ "LANG", "en_US.UTF-8" },
	{ "EMPTY", "" },
};

/* The corpus's default connection: curl to opensnitch.io:443. */
static inline void
ph_conn(struct policy_conn *c)
{
	memset(c, 0, sizeof(*c));
	c->path = "/usr/bin/curl";
	c->command = "curl -s https://opensnitch.io";
	c->parents = ph_parents;
	c->nparents = 2;
	c->env = ph_env;
	c->nenv = 3;
	c->pid = 4321;
	c->uid = 1000;
	c->proto = "tcp";
	policy_ip_parse("192.168.1.111", &c->src);
	policy_ip_parse("185.53.178.14", &c->dst);
	c->sport = 50123;
	c->dport = 443;
	c->host = "opensnitch.io";
	c->iface_in = "";
	c->iface_out = "";
}

/* A JSON string literal of s into b. */
static inline void
ph_jstr(char *b, size_t len, const char *s)
{
	size_t	o = 0;

	b[o++] = '"';
	for (; *s != '\0' && o + 8 < len; s++) {
		if (*s == '"' || *s == '\\') {
			b[o++] = '\\';
			b[o++] = *s;
		} else if ((unsigned char)*s < 0x20)
			o += (size_t)snprintf(b + o, len - o, "\\u%04x",
			    (unsigned char)*s);
		else
			b[o++] = *s;
	}
	b[o++] = '"';
	b[o] = '\0';
}

/* An operator object. */
static inline char *
ph_op(char *b, size_t len, const char *type, const char *operand,
    const char *data, int sensitive)
{
	char	t[256], o[256], d[RULEBUF / 4];

	ph_jstr(t, sizeof(t), type);
	ph_jstr(o, sizeof(o), operand);
	ph_jstr(d, sizeof(d), data);
	snprintf(b, len, "{\"type\":%s,\"operand\":%s,\"data\":%s,"
	    "\"sensitive\":%s}", t, o, d, sensitive ? "true" : "false");
	return b;
}

/* A whole enabled rule around an operator object's JSON text. */
static inline char *
ph_rule_op(char *b, size_t len, const char *name, const char *action,
    const char *opjson, const char *extra)
{
	char	n[512], a[128];

	ph_jstr(n, sizeof(n), name);
	ph_jstr(a, sizeof(a), action);
	snprintf(b, len, "{\"name\":%s,\"action\":%s,\"duration\":\"always\","
	    "\"enabled\":true,\"operator\":%s%s%s}", n, a, opjson,
	    extra ? "," : "", extra ? extra : "");
	return b;
}

static inline char *
ph_rule(char *b, size_t len, const char *name, const char *action,
    const char *type, const char *operand, const char *data, int sensitive)
{
	char	op[RULEBUF / 2];

	ph_op(op, sizeof(op), type, operand, data, sensitive);
	return ph_rule_op(b, len, name, action, op, NULL);
}

static inline int
ph_root_lookup(const char *name, uint32_t *uid, void *arg)
{
	(void)arg;
	if (strcmp(name, "root") == 0) {
		*uid = 0;
		return 0;
	}
	if (strcmp(name, "alice") == 0) {
		*uid = 1000;
		return 0;
	}
	return -1;
}

static inline struct policy *
ph_new(void)
{
	struct policy_opts	o;

	memset(&o, 0, sizeof(o));
	o.user_lookup = ph_root_lookup;
	memset(o.hash_seed, 0x12, sizeof(o.hash_seed));
	return policy_new(&o);
}

/* Loads text as file; "" if it loaded, else the formatted error. */
static inline const char *
ph_load(struct policy *p, const char *file, const char *text)
{
	static char		msg[1024];
	struct policy_err	err;

	if (policy_load_rule(p, file, text, strlen(text), 0, &err) == 0)
		return "";
	policy_err_format(&err, msg, sizeof(msg));
	return msg;
}

/* "verdict:rule" of one match. */
static inline const char *
ph_eval(struct policy *p, const struct policy_conn *c)
{
	static char		out[512];
	struct policy_result	r;

	if (policy_match(p, c, &r) == -1)
		return "error";
	snprintf(out, sizeof(out), "%s:%s", policy_verdict_name(r.verdict),
	    r.rule ? r.rule : "-");
	return out;
}

#endif /* TATTLE_POLICY_HELP_H */
