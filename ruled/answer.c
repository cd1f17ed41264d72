/*
 * answer.c: a user's answer becomes an OpenSnitch rule.  What the rule
 * matches is what the user picked (executable, command line, host, IP,
 * port, user); a command line is always matched with its executable, so
 * a spoofed argv[0] cannot borrow someone else's rule.  Paths and
 * command lines are compared byte for byte (sensitive), host names
 * without regard to case, as DNS does.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "policy.h"
#include "ruled.h"

struct jbuf {
	char	*p;
	size_t	 len, size;
	int	 overflow;
};

static void	 jb_printf(struct jbuf *, const char *, ...)
		    __attribute__((__format__(printf, 2, 3)));
static int	 jb_string(struct jbuf *, const char *);
static int	 answer_child(struct jbuf *, int *, const char *, const char *,
		    int);
static void	 answer_name(const struct ask_info *, const struct msg_answer *,
		    char *, size_t);
static int	 answer_name_taken(const char *);

const char *
duration_name(uint32_t d)
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
verdict_name(uint32_t v)
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

static void
jb_printf(struct jbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (b->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->size - b->len)
		b->overflow = 1;
	else
		b->len += n;
}

/* A JSON string; -1 for text that is not valid UTF-8. */
static int
jb_string(struct jbuf *b, const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n;

	jb_printf(b, "\"");
	while (*u != '\0') {
		if (*u < 0x80) {
			if (*u == '"' || *u == '\\')
				jb_printf(b, "\\%c", *u);
			else if (*u < 0x20)
				jb_printf(b, "\\u%04x", *u);
			else
				jb_printf(b, "%c", *u);
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
			return -1;
		for (i = 1; i < n; i++)
			if ((u[i] & 0xc0) != 0x80)
				return -1;
		if ((n == 3 && ((*u == 0xe0 && u[1] < 0xa0) ||
		    (*u == 0xed && u[1] >= 0xa0))) ||
		    (n == 4 && ((*u == 0xf0 && u[1] < 0x90) ||
		    (*u == 0xf4 && u[1] >= 0x90))))
			return -1;
		jb_printf(b, "%.*s", (int)n, (const char *)u);
		u += n;
	}
	jb_printf(b, "\"");
	return 0;
}

/* One simple operator; *nth counts them, for the commas of a list. */
static int
answer_child(struct jbuf *b, int *nth, const char *operand, const char *data,
    int sensitive)
{
	jb_printf(b, "%s{\"type\":\"simple\",\"operand\":\"%s\",\"data\":",
	    (*nth)++ > 0 ? "," : "", operand);
	if (jb_string(b, data) == -1)
		return -1;
	jb_printf(b, ",\"sensitive\":%s}", sensitive ? "true" : "false");
	return 0;
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
	struct jbuf	 b = { base, 0, sizeof(base), 0 };
	size_t		 l;
	int		 n;

	jb_printf(&b, "%s-%s", verdict_name(ans->verdict),
	    duration_name(ans->duration));
	if (ans->match & (MATCH_EXE | MATCH_CMD))
		jb_printf(&b, "-%s", exe != NULL ? exe + 1 : a->path);
	if (ans->match & MATCH_HOST)
		jb_printf(&b, "-%s", a->host[0] != '\0' ? a->host : a->ip);
	if (ans->match & MATCH_IP)
		jb_printf(&b, "-%s", a->ip);
	if (ans->match & MATCH_PORT)
		jb_printf(&b, "-%s-%u", a->proto, a->port);
	if (ans->match & MATCH_USER)
		jb_printf(&b, "-uid%lld", (long long)a->uid);
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
 * The rule for an answer, as OpenSnitch JSON in json (size bytes) and
 * its name in name.  -1 with *why when it cannot be expressed.
 */
int
answer_rule(const struct ask_info *a, const struct msg_answer *ans,
    const char *want_name, char *json, size_t size, char *name,
    size_t namelen, const char **why)
{
	struct jbuf	 b = { json, 0, size, 0 };
	struct timespec	 ts;
	struct tm	 tm;
	char		 when[32], port[16], uid[24];
	uint32_t	 match = ans->match;
	int		 n, nth = 0, rv = 0;

	if (match & MATCH_CMD)
		match |= MATCH_EXE;
	if ((match & (MATCH_EXE | MATCH_CMD)) && a->path[0] == '\0') {
		*why = "the process is unknown: cannot match its executable";
		return -1;
	}
	if ((match & MATCH_HOST) && a->host[0] == '\0') {
		/* No trusted name: match the address instead. */
		match = (match & ~MATCH_HOST) | MATCH_IP;
	}
	if ((match & MATCH_USER) && a->uid < 0) {
		*why = "the user is unknown";
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
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(port, sizeof(port), "%u", a->port);
	snprintf(uid, sizeof(uid), "%lld", (long long)a->uid);

	n = __builtin_popcount(match);
	jb_printf(&b, "{\"created\":\"%s\",\"updated\":\"%s\",\"name\":", when,
	    when);
	jb_string(&b, name);
	jb_printf(&b, ",\"description\":\"from a tattle prompt\","
	    "\"action\":\"%s\",\"duration\":\"%s\",\"operator\":",
	    verdict_name(ans->verdict), duration_name(ans->duration));
	if (n + ((match & MATCH_PORT) ? 1 : 0) > 1)
		jb_printf(&b, "{\"type\":\"list\",\"operand\":\"list\","
		    "\"data\":\"\",\"sensitive\":false,\"list\":[");
	if (match & MATCH_EXE)
		rv |= answer_child(&b, &nth, "process.path", a->path, 1);
	if (match & MATCH_CMD)
		rv |= answer_child(&b, &nth, "process.command", a->command, 1);
	if (match & MATCH_HOST)
		rv |= answer_child(&b, &nth, "dest.host", a->host, 0);
	if (match & MATCH_IP)
		rv |= answer_child(&b, &nth, "dest.ip", a->ip, 0);
	if (match & MATCH_PORT) {
		rv |= answer_child(&b, &nth, "dest.port", port, 0);
		rv |= answer_child(&b, &nth, "protocol", a->proto, 0);
	}
	if (match & MATCH_USER)
		rv |= answer_child(&b, &nth, "user.id", uid, 0);
	if (n + ((match & MATCH_PORT) ? 1 : 0) > 1)
		jb_printf(&b, "]}");
	jb_printf(&b, ",\"enabled\":true,\"precedence\":false,"
	    "\"nolog\":false}");
	if (rv != 0) {
		*why = "the path or command line is not valid UTF-8, which an "
		    "OpenSnitch rule file cannot hold";
		return -1;
	}
	if (b.overflow) {
		*why = "the rule would be too large";
		return -1;
	}
	return 0;
}
