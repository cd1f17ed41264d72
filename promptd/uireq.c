/*
 * uireq.c: one line from a client, parsed (yajl) and checked against
 * docs/ui-protocol.md before anything acts on it.  Every refusal names
 * the key and the reason; the ones after which the line cannot be
 * trusted at all (not JSON, not an object) also ask for a disconnect.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "compat.h"
#include "promptd.h"

int		 uireq_parse(const char *, size_t, struct uireq *,
		    struct uierr *);
void		 uireq_clear(struct uireq *);
int		 uireq_name_ok(const char *, const char **);
const char	*uierr_code_name(enum uierr_code);
const char	*uireq_verdict_name(uint32_t);
const char	*uireq_duration_name(uint32_t);
static int	 uireq_fail(struct uierr *, enum uierr_code, int,
		    const char *, ...)
		    __attribute__((__format__(printf, 4, 5)));
static int	 uireq_prescan(const char *, size_t, struct uierr *);
static yajl_val	 uireq_get(yajl_val, const char *);
static int	 uireq_dupkeys(yajl_val, struct uierr *);
static int	 uireq_token(yajl_val, struct uireq *, struct uierr *);
static int	 uireq_type(yajl_val, struct uireq *, struct uierr *);
static int	 uireq_bool(yajl_val, const char *, int *, struct uierr *);
static int	 uireq_u32(yajl_val, const char *, int, uint32_t, uint32_t *,
		    struct uierr *);
static int	 uireq_hello(yajl_val, struct uireq *, struct uierr *);
static int	 uireq_subscribe(yajl_val, struct uireq *, struct uierr *);
static int	 uireq_answer(yajl_val, struct uireq *, struct uierr *);
static int	 uireq_match(yajl_val, struct uireq *, struct uierr *);
static int	 uireq_word(yajl_val, const char *, const char *const *,
		    size_t, uint32_t *, struct uierr *);
static int	 uireq_name(yajl_val, struct uireq *, int, struct uierr *);
static int	 uireq_rule(yajl_val, struct uireq *, struct uierr *);

static const struct {
	const char	*name;
	enum uireq_type	 type;
} uireq_types[] = {
	{ "hello", UIREQ_HELLO },
	{ "subscribe", UIREQ_SUBSCRIBE },
	{ "answer", UIREQ_ANSWER },
	{ "rules.list", UIREQ_RULES_LIST },
	{ "rules.add", UIREQ_RULES_ADD },
	{ "rules.delete", UIREQ_RULES_DELETE },
	{ "rules.enable", UIREQ_RULES_ENABLE },
	{ "rules.disable", UIREQ_RULES_DISABLE },
	{ "stats", UIREQ_STATS },
};

/* Index = enum verdict, enum duration, bit number of MATCH_*. */
static const char *const uireq_verdicts[VERDICT_MAX] = {
	NULL, "allow", "deny", "reject",
};
static const char *const uireq_durations[DUR_MAX] = {
	NULL, "once", "until restart", "30s", "5m", "15m", "30m", "1h",
	"12h", "24h", "always",
};
static const char *const uireq_matches[] = {
	"executable", "command", "host", "ip", "port", "user",
};

static const char *const uierr_names[] = {
	[UIERR_FORBIDDEN] = "forbidden",
	[UIERR_BUSY] = "busy",
	[UIERR_BAD_JSON] = "bad-json",
	[UIERR_TOO_LONG] = "too-long",
	[UIERR_RATE] = "rate",
	[UIERR_BAD_REQUEST] = "bad-request",
	[UIERR_BAD_NAME] = "bad-name",
	[UIERR_NOT_FOUND] = "not-found",
	[UIERR_GONE] = "gone",
	[UIERR_READ_ONLY] = "read-only",
	[UIERR_INTERNAL] = "internal",
};

const char *
uierr_code_name(enum uierr_code c)
{
	if (c < UIERR_FORBIDDEN || c > UIERR_INTERNAL)
		return "internal";
	return uierr_names[c];
}

const char *
uireq_verdict_name(uint32_t v)
{
	return v > 0 && v < VERDICT_MAX ? uireq_verdicts[v] : "none";
}

const char *
uireq_duration_name(uint32_t d)
{
	return d > 0 && d < DUR_MAX ? uireq_durations[d] : "none";
}

static int
uireq_fail(struct uierr *e, enum uierr_code code, int fatal,
    const char *fmt, ...)
{
	va_list	 ap;

	e->code = code;
	e->fatal = fatal;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Before yajl sees the line: no NUL (yajl reads C strings), no comments
 * (yajl's tree parser accepts them, JSON does not), and no nesting that
 * a recursive free could choke on.
 */
static int
uireq_prescan(const char *s, size_t n, struct uierr *e)
{
	size_t	 i;
	int	 in = 0, esc = 0, depth = 0;

	if (memchr(s, '\0', n) != NULL)
		return uireq_fail(e, UIERR_BAD_JSON, 1, "a NUL byte in the "
		    "line");
	for (i = 0; i < n; i++) {
		if (in) {
			if (esc)
				esc = 0;
			else if (s[i] == '\\')
				esc = 1;
			else if (s[i] == '"')
				in = 0;
			continue;
		}
		switch (s[i]) {
		case '"':
			in = 1;
			break;
		case '{':
		case '[':
			if (++depth > MAX_UI_DEPTH)
				return uireq_fail(e, UIERR_BAD_JSON, 1,
				    "nested deeper than %d", MAX_UI_DEPTH);
			break;
		case '}':
		case ']':
			depth--;
			break;
		case '/':
			return uireq_fail(e, UIERR_BAD_JSON, 1, "a comment "
			    "(not JSON) at byte %zu", i);
		}
	}
	return 0;
}

static yajl_val
uireq_get(yajl_val o, const char *key)
{
	size_t	 i;

	for (i = 0; i < o->u.object.len; i++)
		if (strcmp(o->u.object.keys[i], key) == 0)
			return o->u.object.values[i];
	return NULL;
}

/* A key given twice: which one would count is anyone's guess. */
static int
uireq_dupkeys(yajl_val o, struct uierr *e)
{
	size_t	 i, j;

	for (i = 0; i < o->u.object.len; i++)
		for (j = i + 1; j < o->u.object.len; j++)
			if (strcmp(o->u.object.keys[i],
			    o->u.object.keys[j]) == 0)
				return uireq_fail(e, UIERR_BAD_REQUEST, 0,
				    "%.64s: given twice", o->u.object.keys[i]);
	return 0;
}

/* "req", echoed in the reply as the client wrote it. */
static int
uireq_token(yajl_val o, struct uireq *r, struct uierr *e)
{
	struct jw	 w;
	yajl_val	 v;
	char		*t;
	size_t		 n;

	if ((v = uireq_get(o, "req")) == NULL)
		return 0;
	if (YAJL_IS_NUMBER(v)) {
		n = strlen(v->u.number.r);
		if (n > MAX_UI_REQ_TOKEN)
			return uireq_fail(e, UIERR_BAD_REQUEST, 0, "req: "
			    "longer than %d bytes", MAX_UI_REQ_TOKEN);
		memcpy(r->req, v->u.number.r, n + 1);
	} else if (YAJL_IS_STRING(v)) {
		if (strlen(v->u.string) > MAX_UI_REQ_TOKEN)
			return uireq_fail(e, UIERR_BAD_REQUEST, 0, "req: "
			    "longer than %d bytes", MAX_UI_REQ_TOKEN);
		jw_init(&w, sizeof(r->req) - 1);
		jw_str(&w, v->u.string);
		if ((t = jw_take(&w, &n)) == NULL)
			return uireq_fail(e, UIERR_INTERNAL, 0, "req: out of "
			    "memory");
		memcpy(r->req, t, n + 1);
		free(t);
	} else
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "req: must be a "
		    "string or a number");
	memcpy(e->req, r->req, sizeof(e->req));
	return 0;
}

static int
uireq_type(yajl_val o, struct uireq *r, struct uierr *e)
{
	yajl_val	 v;
	size_t		 i;

	if ((v = uireq_get(o, "type")) == NULL)
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "type: missing");
	if (!YAJL_IS_STRING(v))
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "type: not a "
		    "string");
	for (i = 0; i < nitems(uireq_types); i++)
		if (strcmp(v->u.string, uireq_types[i].name) == 0) {
			r->type = uireq_types[i].type;
			return 0;
		}
	return uireq_fail(e, UIERR_BAD_REQUEST, 0, "type: unknown type "
	    "\"%.64s\"", v->u.string);
}

/* An optional boolean; absent is false. */
static int
uireq_bool(yajl_val o, const char *key, int *out, struct uierr *e)
{
	yajl_val	 v;

	*out = 0;
	if ((v = uireq_get(o, key)) == NULL)
		return 0;
	if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "%s: not true or "
		    "false", key);
	*out = YAJL_IS_TRUE(v);
	return 0;
}

static int
uireq_u32(yajl_val o, const char *key, int required, uint32_t max,
    uint32_t *out, struct uierr *e)
{
	yajl_val	 v;

	*out = 0;
	if ((v = uireq_get(o, key)) == NULL) {
		if (required)
			return uireq_fail(e, UIERR_BAD_REQUEST, 0,
			    "%s: missing", key);
		return 0;
	}
	if (!YAJL_IS_INTEGER(v) || v->u.number.i < 0 ||
	    (unsigned long long)v->u.number.i > max)
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "%s: not an "
		    "integer from 0 to %u", key, max);
	*out = (uint32_t)v->u.number.i;
	return 0;
}

static int
uireq_hello(yajl_val o, struct uireq *r, struct uierr *e)
{
	yajl_val	 v;
	size_t		 i, k = 0;
	const char	*s;

	if (uireq_u32(o, "version", 1, UINT32_MAX, &r->version, e) == -1)
		return -1;
	if (r->version != 1)
		return uireq_fail(e, UIERR_BAD_REQUEST, 1, "version: this "
		    "server speaks version 1, not %u", r->version);
	if ((v = uireq_get(o, "client")) == NULL)
		return 0;
	if (!YAJL_IS_STRING(v))
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "client: not a "
		    "string");
	/* Kept for logs: printable ASCII only. */
	for (s = v->u.string, i = 0; s[i] != '\0' &&
	    k < sizeof(r->client) - 1; i++)
		if (s[i] >= 0x20 && s[i] < 0x7f)
			r->client[k++] = s[i];
	r->client[k] = '\0';
	return 0;
}

static int
uireq_subscribe(yajl_val o, struct uireq *r, struct uierr *e)
{
	if (uireq_bool(o, "asks", &r->asks, e) == -1 ||
	    uireq_bool(o, "events", &r->events, e) == -1 ||
	    uireq_u32(o, "backlog", 0, MAX_UI_BACKLOG, &r->backlog, e) == -1)
		return -1;
	return 0;
}

/* A string that must be one of the words in a table. */
static int
uireq_word(yajl_val o, const char *key, const char *const *words, size_t n,
    uint32_t *out, struct uierr *e)
{
	yajl_val	 v;
	size_t		 i;

	if ((v = uireq_get(o, key)) == NULL)
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "%s: missing", key);
	if (!YAJL_IS_STRING(v))
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "%s: not a string",
		    key);
	for (i = 0; i < n; i++)
		if (words[i] != NULL && strcmp(v->u.string, words[i]) == 0) {
			*out = (uint32_t)i;
			return 0;
		}
	return uireq_fail(e, UIERR_BAD_REQUEST, 0, "%s: unknown value "
	    "\"%.64s\"", key, v->u.string);
}

static int
uireq_match(yajl_val o, struct uireq *r, struct uierr *e)
{
	yajl_val	 v, x;
	size_t		 i, k;

	if ((v = uireq_get(o, "match")) == NULL)
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "match: missing");
	if (!YAJL_IS_ARRAY(v) || v->u.array.len == 0)
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "match: not an "
		    "array of one or more of executable, command, host, ip, "
		    "port, user");
	for (i = 0; i < v->u.array.len; i++) {
		x = v->u.array.values[i];
		if (!YAJL_IS_STRING(x))
			return uireq_fail(e, UIERR_BAD_REQUEST, 0,
			    "match[%zu]: not a string", i);
		for (k = 0; k < nitems(uireq_matches); k++)
			if (strcmp(x->u.string, uireq_matches[k]) == 0)
				break;
		if (k == nitems(uireq_matches))
			return uireq_fail(e, UIERR_BAD_REQUEST, 0,
			    "match[%zu]: unknown value \"%.64s\"", i,
			    x->u.string);
		r->match |= 1u << k;
	}
	return 0;
}

_Static_assert(MATCH_EXE == 1 << 0 && MATCH_CMD == 1 << 1 &&
    MATCH_HOST == 1 << 2 && MATCH_IP == 1 << 3 && MATCH_PORT == 1 << 4 &&
    MATCH_USER == 1 << 5, "uireq_matches follows the MATCH_* bits");

/*
 * The gate for a rule name from a client, the same one packetd applies
 * before a name becomes a file name: at most 128 bytes, no '/', '\\',
 * "..", control character, and no leading dot.
 */
int
uireq_name_ok(const char *s, const char **why)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n >= MAX_RULE_NAME) {
		*why = "must be 1 to 128 bytes";
		return 0;
	}
	if (s[0] == '.') {
		*why = "must not start with a dot";
		return 0;
	}
	if (strstr(s, "..") != NULL) {
		*why = "must not contain \"..\"";
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '/' || s[i] == '\\') {
			*why = "must not contain '/' or '\\'";
			return 0;
		}
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			*why = "must not contain control characters";
			return 0;
		}
	}
	return 1;
}

static int
uireq_name(yajl_val o, struct uireq *r, int required, struct uierr *e)
{
	yajl_val	 v;
	const char	*why;

	if ((v = uireq_get(o, "name")) == NULL) {
		if (required)
			return uireq_fail(e, UIERR_BAD_REQUEST, 0,
			    "name: missing");
		return 0;
	}
	if (!YAJL_IS_STRING(v))
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "name: not a "
		    "string");
	if (!uireq_name_ok(v->u.string, &why))
		return uireq_fail(e, UIERR_BAD_NAME, 0, "name: %s", why);
	strlcpy(r->name, v->u.string, sizeof(r->name));
	r->has_name = 1;
	return 0;
}

static int
uireq_answer(yajl_val o, struct uireq *r, struct uierr *e)
{
	if (uireq_u32(o, "id", 1, UINT32_MAX, &r->id, e) == -1 ||
	    uireq_word(o, "action", uireq_verdicts, VERDICT_MAX, &r->verdict,
	    e) == -1 ||
	    uireq_word(o, "duration", uireq_durations, DUR_MAX,
	    &r->duration, e) == -1 ||
	    uireq_match(o, r, e) == -1 ||
	    uireq_name(o, r, 0, e) == -1)
		return -1;
	return 0;
}

/* The rule object again as compact JSON, for ruled's rule parser. */
static int
uireq_rule(yajl_val o, struct uireq *r, struct uierr *e)
{
	yajl_val		 v, n;
	size_t			 len;
	const char		*why;

	if ((v = uireq_get(o, "rule")) == NULL)
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "rule: missing");
	if (!YAJL_IS_OBJECT(v))
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "rule: not an "
		    "object");
	if ((n = uireq_get(v, "name")) == NULL || !YAJL_IS_STRING(n))
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "rule.name: "
		    "missing or not a string");
	if (!uireq_name_ok(n->u.string, &why))
		return uireq_fail(e, UIERR_BAD_NAME, 0, "rule.name: %s", why);
	strlcpy(r->name, n->u.string, sizeof(r->name));
	r->has_name = 1;
	/* Escapes can make it longer than the line: MAX_JSON says after. */
	if ((r->rule = jw_tree_text(v, MAX_UI_OUTBUF, &len)) == NULL)
		return uireq_fail(e, UIERR_INTERNAL, 0, "rule: cannot "
		    "re-encode");
	if (len > MAX_JSON) {
		free(r->rule);
		r->rule = NULL;
		return uireq_fail(e, UIERR_BAD_REQUEST, 0, "rule: %zu bytes "
		    "as JSON, more than %d", len, MAX_JSON);
	}
	r->rule_len = len;
	return 0;
}

void
uireq_clear(struct uireq *r)
{
	free(r->rule);
	memset(r, 0, sizeof(*r));
}

/*
 * Parse line (n bytes, no newline).  0 and *r filled (uireq_clear()
 * frees it), or -1 and *e says why.
 */
int
uireq_parse(const char *line, size_t n, struct uireq *r, struct uierr *e)
{
	char		 ebuf[256], *nl;
	char		*copy;
	yajl_val	 o;
	int		 rv = -1;

	memset(r, 0, sizeof(*r));
	memset(e, 0, sizeof(*e));
	if (uireq_prescan(line, n, e) == -1)
		return -1;
	if ((copy = malloc(n + 1)) == NULL)
		return uireq_fail(e, UIERR_INTERNAL, 0, "out of memory");
	memcpy(copy, line, n);
	copy[n] = '\0';
	o = yajl_tree_parse(copy, ebuf, sizeof(ebuf));
	free(copy);
	if (o == NULL) {
		if ((nl = strchr(ebuf, '\n')) != NULL)
			*nl = '\0';
		return uireq_fail(e, UIERR_BAD_JSON, 1, "%s", ebuf);
	}
	if (!YAJL_IS_OBJECT(o)) {
		uireq_fail(e, UIERR_BAD_JSON, 1, "not a JSON object");
		goto out;
	}
	if (uireq_token(o, r, e) == -1 || uireq_dupkeys(o, e) == -1 ||
	    uireq_type(o, r, e) == -1)
		goto out;
	switch (r->type) {
	case UIREQ_HELLO:
		rv = uireq_hello(o, r, e);
		break;
	case UIREQ_SUBSCRIBE:
		rv = uireq_subscribe(o, r, e);
		break;
	case UIREQ_ANSWER:
		rv = uireq_answer(o, r, e);
		break;
	case UIREQ_RULES_ADD:
		rv = uireq_rule(o, r, e);
		break;
	case UIREQ_RULES_DELETE:
	case UIREQ_RULES_ENABLE:
	case UIREQ_RULES_DISABLE:
		rv = uireq_name(o, r, 1, e);
		break;
	case UIREQ_RULES_LIST:
	case UIREQ_STATS:
		rv = 0;
		break;
	}
 out:
	yajl_tree_free(o);
	if (rv == -1) {
		free(r->rule);
		r->rule = NULL;
	}
	return rv;
}
