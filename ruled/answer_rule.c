/*
 * answer_rule.c: a user's answer becomes an OpenSnitch rule.  What the rule
 * matches is what the user picked (executable, command line, host, IP,
 * port, user); a command line is always matched with its executable, so
 * a spoofed argv[0] cannot borrow someone else's rule.  Paths and
 * command lines are compared byte for byte (sensitive), host names
 * without regard to case, as DNS does.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "policy.h"
#include "ruled.h"

static int	 answer_utf8_ok(const char *);
static void	 answer_op(struct policy_op_spec *, size_t *, const char *,
		    const char *, int);
static void	 answer_name(const struct ask_info *, const struct msg_answer *,
		    char *, size_t);
static int	 answer_name_taken(const char *);

const char *
answer_duration_name(uint32_t d)
{
	static const char *const names[DUR_MAX] = {
		[DUR_ONCE] = "once", [DUR_RESTART] = "until restart",
		[DUR_30S] = "30s", [DUR_5M] = "5m", [DUR_15M] = "15m",
		[DUR_30M] = "30m", [DUR_1H] = "1h", [DUR_12H] = "12h",
		[DUR_24H] = "24h", [DUR_ALWAYS] = "always",
	};

	return d > 0 && d < DUR_MAX ? names[d] : NULL;
}

const char *
answer_verdict_name(uint32_t v)
{
	switch (v) {
	case VERDICT_ALLOW:
		return "allow";
	case VERDICT_DENY:
		return "deny";
	case VERDICT_REJECT:
		return "reject";
	}
	return "none";
}

/* Rule files are JSON, which cannot hold bytes that are not UTF-8. */
static int
answer_utf8_ok(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n;

	while (*u != '\0') {
		if (*u < 0x80) {
			u++;
			continue;
		}
		if ((*u & 0xe0) == 0xc0 && *u >= 0xc2)
			n = 2;
		else if ((*u & 0xf0) == 0xe0)
			n = 3;
		else if ((*u & 0xf8) == 0xf0 && *u <= 0xf4)
			n = 4;
		else
			return 0;
		for (i = 1; i < n; i++)
			if ((u[i] & 0xc0) != 0x80)
				return 0;
		if ((n == 3 && ((*u == 0xe0 && u[1] < 0xa0) ||
		    (*u == 0xed && u[1] >= 0xa0))) ||
		    (n == 4 && ((*u == 0xf0 && u[1] < 0x90) ||
		    (*u == 0xf4 && u[1] >= 0x90))))
			return 0;
		u += n;
	}
	return 1;
}

static void
answer_op(struct policy_op_spec *ops, size_t *n, const char *operand,
    const char *data, int sensitive)
{
	ops[*n].type = "simple";
	ops[*n].operand = operand;
	ops[*n].data = data;
	ops[*n].sensitive = sensitive;
	(*n)++;
}

static int
answer_name_taken(const char *name)
{
	struct policy	*pol = rules_policy();
	size_t		 i;

	for (i = 0; i < policy_rule_count(pol); i++)
		if (strcmp(policy_rule_name(pol, i), name) == 0)
			return 1;
	return 0;
}

/* A name that says what the rule does: allow-always-curl-example.com-443. */
static void
answer_name(const struct ask_info *a, const struct msg_answer *ans,
    char *name, size_t len)
{
	char		 base[POLICY_NAME_MAX - 8], *q;
	const char	*exe = strrchr(a->path, '/');
	size_t		 l;
	int		 n;

	l = snprintf(base, sizeof(base), "%s-%s",
	    answer_verdict_name(ans->verdict),
	    answer_duration_name(ans->duration));
#define NAME_ADD(...) do {						\
	if (l < sizeof(base))						\
		l += snprintf(base + l, sizeof(base) - l, __VA_ARGS__);	\
} while (0)
	if (ans->match & (MATCH_EXE | MATCH_CMD))
		NAME_ADD("-%s", exe != NULL ? exe + 1 : a->path);
	if (ans->match & MATCH_HOST)
		NAME_ADD("-%s", a->host[0] != '\0' ? a->host : a->ip);
	if (ans->match & MATCH_IP)
		NAME_ADD("-%s", a->ip);
	if (ans->match & MATCH_PORT)
		NAME_ADD("-%s-%u", a->proto, a->port);
	if (ans->match & MATCH_USER)
		NAME_ADD("-uid%lld", (long long)a->uid);
#undef NAME_ADD
	/* Only what is safe and readable in a file name. */
	for (q = base; *q != '\0'; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		    (*q >= '0' && *q <= '9') || *q == '.' || *q == '_'))
			*q = '-';
	while ((q = strstr(base, "..")) != NULL)
		*q = '-';
	l = strlcpy(name, base, len);
	for (n = 2; answer_name_taken(name) && n < 1000; n++)
		snprintf(name, len, "%.*s-%d", (int)(l < len - 6 ? l : len - 6),
		    base, n);
}

/*
 * The rule for an answer, as OpenSnitch JSON (malloc'd *json) and its
 * name in name.  -1 with *why when it cannot be expressed.
 */
int
answer_rule(const struct ask_info *a, const struct msg_answer *ans,
    const char *want_name, char **json, char *name, size_t namelen,
    const char **why)
{
	struct policy_op_spec	 ops[8];
	struct policy_rule_spec	 spec;
	struct timespec		 ts;
	struct tm		 tm;
	char			 when[32], port[16], uid[24];
	uint32_t		 match = ans->match;
	size_t			 nops = 0;

	if (match & MATCH_CMD)
		match |= MATCH_EXE;
	if ((match & MATCH_EXE) && a->path[0] == '\0') {
		*why = "the process is unknown: cannot match its executable";
		return -1;
	}
	/* No trusted name: match the address instead. */
	if ((match & MATCH_HOST) && a->host[0] == '\0')
		match = (match & ~MATCH_HOST) | MATCH_IP;
	if ((match & MATCH_USER) && a->uid < 0) {
		*why = "the user is unknown";
		return -1;
	}
	if (!answer_utf8_ok(a->path) || !answer_utf8_ok(a->command)) {
		*why = "the path or command line is not valid UTF-8, which an "
		    "OpenSnitch rule file cannot hold";
		return -1;
	}
	if (want_name != NULL && want_name[0] != '\0') {
		if (!policy_rule_name_ok(want_name)) {
			*why = "bad rule name";
			return -1;
		}
		strlcpy(name, want_name, namelen);
	} else
		answer_name(a, ans, name, namelen);
	snprintf(port, sizeof(port), "%u", a->port);
	snprintf(uid, sizeof(uid), "%lld", (long long)a->uid);
	if (match & MATCH_EXE)
		answer_op(ops, &nops, "process.path", a->path, 1);
	if (match & MATCH_CMD)
		answer_op(ops, &nops, "process.command", a->command, 1);
	if (match & MATCH_HOST)
		answer_op(ops, &nops, "dest.host", a->host, 0);
	if (match & MATCH_IP)
		answer_op(ops, &nops, "dest.ip", a->ip, 0);
	if (match & MATCH_PORT) {
		answer_op(ops, &nops, "dest.port", port, 0);
		answer_op(ops, &nops, "protocol", a->proto, 0);
	}
	if (match & MATCH_USER)
		answer_op(ops, &nops, "user.id", uid, 0);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	memset(&spec, 0, sizeof(spec));
	spec.name = name;
	spec.description = "from a tattle prompt";
	spec.action = answer_verdict_name(ans->verdict);
	spec.duration = answer_duration_name(ans->duration);
	spec.created = when;
	spec.ops = ops;
	spec.nops = nops;
	if (policy_rule_build(&spec, json, NULL) == -1) {
		*why = "the rule cannot be built";
		return -1;
	}
	return 0;
}
