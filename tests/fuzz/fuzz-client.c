/*
 * fuzz-client.c: promptd's side of the client protocol, the one parser
 * any member of the UI group can feed.  Byte 0 % 3 picks what the rest
 * is:
 *
 *	0	one line from a client, for uireq_parse()
 *	1	ATTR_STATS text from packetd or ruled, for stats_add_lines()
 *	2	what a process controls of an ask (path, command line, cwd,
 *		a parent, an environment value, its user name, the host), as
 *		NUL-separated fields, made into MSG_ASK and written as the
 *		ask line a prompter reads (uiout_ask_line())
 *
 * Promises checked: a refused line gets an error with a known code and
 * a message, and the error line promptd writes for it is JSON; an
 * accepted one has its fields within their arrays, a name that passes
 * the name gate, a "req" that is a JSON scalar and, for rules.add, a
 * rule that is JSON; merged statistics always write out as JSON; an
 * ask line is JSON whatever the process named itself, and shows its
 * path as it is (no text of a process can add or change a field).
 */
#include <string.h>

#include <yajl/yajl_tree.h>

#include "fuzz.h"
#include "promptd.h"

static void	 fuzz_client_json(const char *, size_t);
static void	 fuzz_client_line(const char *, size_t);
static void	 fuzz_client_stats(const char *, size_t);
static void	 fuzz_client_ask(const char *, size_t);

/* text must be one JSON document; returns it parsed when asked. */
static yajl_val
fuzz_client_tree(const char *text, size_t len)
{
	yajl_val	 v;
	char		*s, err[128];

	if ((s = malloc(len + 1)) == NULL)
		abort();
	memcpy(s, text, len);
	s[len] = '\0';
	FUZZ_ASSERT(strlen(s) == len);
	if ((v = yajl_tree_parse(s, err, sizeof(err))) == NULL) {
		fprintf(stderr, "not JSON (%s): %s\n", err, s);
		abort();
	}
	free(s);
	return v;
}

static void
fuzz_client_json(const char *text, size_t len)
{
	yajl_tree_free(fuzz_client_tree(text, len));
}

static void
fuzz_client_line(const char *line, size_t len)
{
	struct uireq	 r;
	struct uierr	 e;
	struct jw	 jw;
	const char	*why;
	char		 scalar[MAX_UI_REQ_TOKEN + 16];

	memset(&r, 0, sizeof(r));
	memset(&e, 0, sizeof(e));
	jw_init(&jw, 1 << 20);
	if (uireq_parse(line, len, &r, &e) == -1) {
		FUZZ_ASSERT(e.code >= UIERR_FORBIDDEN &&
		    e.code <= UIERR_INTERNAL);
		FUZZ_ASSERT(memchr(e.msg, '\0', sizeof(e.msg)) != NULL);
		FUZZ_ASSERT(e.msg[0] != '\0');
		FUZZ_ASSERT(memchr(e.req, '\0', sizeof(e.req)) != NULL);
		uiout_error(&jw, e.req, e.code, e.msg);
		FUZZ_ASSERT(!jw.err);
		fuzz_client_json(jw.buf, jw.len);
		jw_free(&jw);
		uireq_clear(&r);
		return;
	}
	FUZZ_ASSERT(r.type >= UIREQ_HELLO && r.type <= UIREQ_STATS);
	FUZZ_ASSERT(memchr(r.req, '\0', sizeof(r.req)) != NULL);
	FUZZ_ASSERT(memchr(r.client, '\0', sizeof(r.client)) != NULL);
	FUZZ_ASSERT(memchr(r.name, '\0', sizeof(r.name)) != NULL);
	if (r.has_name)
		FUZZ_ASSERT(uireq_name_ok(r.name, &why));
	if (r.req[0] != '\0') {
		snprintf(scalar, sizeof(scalar), "[%s]", r.req);
		fuzz_client_json(scalar, strlen(scalar));
	}
	if (r.type == UIREQ_RULES_ADD) {
		FUZZ_ASSERT(r.rule != NULL && strlen(r.rule) == r.rule_len);
		fuzz_client_json(r.rule, r.rule_len);
	}
	if (r.type == UIREQ_ANSWER) {
		FUZZ_ASSERT(r.verdict > VERDICT_NONE &&
		    r.verdict < VERDICT_MAX);
		FUZZ_ASSERT(r.duration > 0 && r.duration < DUR_MAX);
		FUZZ_ASSERT((r.match & ~MATCH_ALL) == 0);
	}
	uiout_error(&jw, r.req, UIERR_INTERNAL, "echo");
	FUZZ_ASSERT(!jw.err);
	fuzz_client_json(jw.buf, jw.len);
	jw_free(&jw);
	uireq_clear(&r);
}

static void
fuzz_client_stats(const char *text, size_t len)
{
	struct stats_merge	*s;
	struct jw		 jw;
	const char		*why;

	if ((s = stats_new()) == NULL)
		abort();
	(void)stats_add_lines(s, text, len, &why);
	(void)stats_add_lines(s, text, len, &why);
	jw_init(&jw, 1 << 22);
	jw_obj(&jw);
	stats_json(s, &jw);
	jw_end(&jw);
	if (!jw.err)
		fuzz_client_json(jw.buf, jw.len);
	jw_free(&jw);
	stats_free(s);
}

static void
fuzz_client_ask(const char *p, size_t len)
{
	static const enum msg_attr fields[] = {
		ATTR_PROC_PATH, ATTR_PROC_CMDLINE, ATTR_PROC_CWD,
		ATTR_PROC_PARENT, ATTR_PROC_ENV, ATTR_USER_NAME, ATTR_HOST,
	};
	static const char *path[] = { "conn", "process", "path", NULL };
	struct msg_ask	 a;
	struct msg	 m;
	struct jw	 body, line;
	const char	*why, *f, *end = p + len;
	char		 text[4096];
	yajl_val	 v, got;
	size_t		 i, n;
	int		 ascii;

	memset(&a, 0, sizeof(a));
	a.ca.conn.t.family = 2;		/* AF_INET */
	a.ca.conn.t.proto = 6;		/* TCP */
	a.ca.conn.t.dport = 443;
	a.ca.pid = 4242;
	a.ca.source = SRC_FTRACE;
	a.timeout_ms = 30000;
	msg_init(&m, MSG_ASK, 7);
	if (msg_set_body(&m, &a, sizeof(a)) == -1)
		abort();
	for (i = 0, f = p; i < sizeof(fields) / sizeof(*fields) && f < end;
	    i++) {
		n = strnlen(f, (size_t)(end - f));
		if (n >= sizeof(text))
			n = sizeof(text) - 1;
		memcpy(text, f, n);
		text[n] = '\0';
		if (msg_add_str(&m, fields[i], text) == -1)
			return;
		f += strnlen(f, (size_t)(end - f)) + 1;
	}
	/* Only what ruled could send: what promptd's gate lets through. */
	if (msg_check(&m, ROLE_PROMPTD, ROLE_RULED, &why) == -1)
		return;
	jw_init(&body, MAX_UI_LINE);
	jw_init(&line, MAX_UI_LINE + 128);
	uiout_ask(&body, &m);
	FUZZ_ASSERT(!body.err);
	uiout_ask_line(&line, 7, 30000, body.buf, body.len);
	FUZZ_ASSERT(!line.err);
	v = fuzz_client_tree(line.buf, line.len);
	f = msg_get_str(&m, ATTR_PROC_PATH);
	got = yajl_tree_get(v, path, yajl_t_string);
	FUZZ_ASSERT((f == NULL) == (got == NULL));
	for (ascii = 1, i = 0; f != NULL && f[i] != '\0'; i++)
		if ((unsigned char)f[i] >= 0x80)
			ascii = 0;
	if (f != NULL && ascii) {
		const char *gs = YAJL_GET_STRING(got);

		FUZZ_ASSERT(gs != NULL && strcmp(gs, f) == 0);
	}
	yajl_tree_free(v);
	jw_free(&body);
	jw_free(&line);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*copy;

	if (size < 1 || size - 1 > MAX_UI_LINE)
		return 0;
	/* Exactly the bytes on the heap, for ASan. */
	if ((copy = malloc(size - 1 ? size - 1 : 1)) == NULL)
		return 0;
	memcpy(copy, data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		fuzz_client_line(copy, size - 1);
		break;
	case 1:
		fuzz_client_stats(copy, size - 1);
		break;
	default:
		fuzz_client_ask(copy, size - 1);
		break;
	}
	free(copy);
	return 0;
}
