/*
 * osui_answer.c: the Rule the UI's pop-up built, as a tattle answer.
 * tattle's answer names what the new rule matches ("executable", "host", ...)
 * with the values of the connection asked about, so a UI operator maps
 * to it only when it is a plain comparison with exactly that value.
 * Anything else (a regexp, a network, a checksum, a value the user
 * edited) cannot be said in an answer: the user's verdict then applies
 * once, to the connections held, and no rule is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "osui.h"

static const char	*answer_match(const struct osui_op *,
			    const struct osui_conn *, char *, size_t);
static int		 answer_add(struct osui_answer *, const char *);
static int		 answer_known(const char *, const char *const *);

static const char *const actions[] = { "allow", "deny", "reject", NULL };
static const char *const durations[] = { "once", "until restart", "30s",
    "5m", "15m", "30m", "1h", "12h", "24h", "always", NULL };

static int
answer_known(const char *s, const char *const *set)
{
	for (; s != NULL && *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

static int
answer_add(struct osui_answer *a, const char *m)
{
	size_t	 i;

	for (i = 0; i < a->nmatch; i++)
		if (strcmp(a->match[i], m) == 0)
			return 0;
	if (a->nmatch == OSUI_MATCH_MAX)
		return -1;
	a->match[a->nmatch++] = m;
	return 0;
}

/* The match word for one plain operator, or NULL and why not. */
static const char *
answer_match(const struct osui_op *op, const struct osui_conn *c,
    char *why, size_t len)
{
	char		 num[16];
	const char	*d = op->data ? op->data : "";
	const char	*operand = op->operand ? op->operand : "(none)";

	if (op->type == NULL || strcmp(op->type, "simple") != 0) {
		snprintf(why, len, "a %s operator on %s", op->type ? op->type :
		    "typeless", op->operand ? op->operand : "nothing");
		return NULL;
	}
	if (op->operand == NULL)
		op = NULL;
	else if (strcmp(op->operand, "process.path") == 0) {
		if (c->path != NULL && strcmp(d, c->path) == 0)
			return "executable";
	} else if (strcmp(op->operand, "process.command") == 0) {
		if (c->command != NULL && strcmp(d, c->command) == 0)
			return "command";
	} else if (strcmp(op->operand, "dest.host") == 0) {
		if (c->host != NULL && c->host[0] &&
		    strcasecmp(d, c->host) == 0)
			return "host";
	} else if (strcmp(op->operand, "dest.ip") == 0) {
		if (c->dst_ip != NULL && strcmp(d, c->dst_ip) == 0)
			return "ip";
	} else if (strcmp(op->operand, "dest.port") == 0) {
		snprintf(num, sizeof(num), "%u", (unsigned int)c->dst_port);
		if (strcmp(d, num) == 0)
			return "port";
	} else if (strcmp(op->operand, "user.id") == 0) {
		snprintf(num, sizeof(num), "%u", (unsigned int)c->uid);
		if (c->has_uid && strcmp(d, num) == 0)
			return "user";
	} else if (strcmp(op->operand, "protocol") == 0) {
		if (c->protocol != NULL && strcasecmp(d, c->protocol) == 0)
			return "protocol";
	} else
		op = NULL;
	if (op == NULL)
		snprintf(why, len, "tattle has no answer that matches on %s",
		    operand);
	else
		snprintf(why, len, "%s \"%s\" is not this connection's",
		    op->operand, d);
	return NULL;
}

/*
 * Fill a from the UI's rule r for the connection c.  0: r says exactly
 * what a maps; 1: a applies r's action once (why says what could not be
 * expressed); -1: no usable verdict at all (why says so).
 */
int
osui_answer_from_rule(const struct osui_rule *r, const struct osui_conn *c,
    struct osui_answer *a, char *why, size_t len)
{
	const struct osui_op	*ops;
	const char		*m;
	size_t			 i, nops;
	int			 proto = 0, exact = 1;

	memset(a, 0, sizeof(*a));
	why[0] = '\0';
	if (!answer_known(r->action, actions)) {
		snprintf(why, len, "action \"%s\" is not allow, deny or "
		    "reject", r->action ? r->action : "");
		return -1;
	}
	if (r->op.type == NULL) {
		snprintf(why, len, "the rule has no operator");
		return -1;
	}
	if (!r->enabled) {
		snprintf(why, len, "the rule is disabled");
		return -1;
	}
	a->action = r->action;
	a->duration = r->duration;
	if (r->op.type != NULL && strcmp(r->op.type, "list") == 0) {
		ops = r->op.list;
		nops = r->op.nlist;
	} else {
		ops = &r->op;
		nops = 1;
	}
	if (nops == 0) {
		snprintf(why, len, "an empty list operator");
		exact = 0;
	}
	for (i = 0; i < nops && exact; i++) {
		if ((m = answer_match(&ops[i], c, why, len)) == NULL)
			exact = 0;
		else if (strcmp(m, "protocol") == 0)
			proto = 1;
		else
			answer_add(a, m);
	}
	/* tattle's port match carries the protocol; alone it says nothing. */
	if (exact && proto && a->nmatch == 0) {
		snprintf(why, len, "a protocol alone");
		exact = 0;
	}
	if (exact && !answer_known(r->duration, durations)) {
		snprintf(why, len, "duration \"%s\" is not one of tattle's",
		    r->duration ? r->duration : "");
		exact = 0;
	}
	if (exact) {
		a->name = osui_rule_name_ok(r->name) ? r->name : NULL;
		return 0;
	}
	a->duration = "once";
	a->nmatch = 0;
	a->name = NULL;
	answer_add(a, c->has_process && c->path ? "executable" : "ip");
	return 1;
}
