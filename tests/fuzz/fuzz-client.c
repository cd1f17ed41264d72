/*
 * fuzz-client.c: promptd's side of the client protocol, the one parser
 * any member of the UI group can feed.  Byte 0 picks what the rest is:
 *
 *	even	one line from a client, for uireq_parse()
 *	odd	ATTR_STATS text from packetd or ruled, for stats_add_lines()
 *
 * Promises checked: a refused line gets an error with a known code and
 * a message, and the error line promptd writes for it is JSON; an
 * accepted one has its fields within their arrays, a name that passes
 * the name gate, a "req" that is a JSON scalar and, for rules.add, a
 * rule that is JSON; merged statistics always write out as JSON.
 */
#include <string.h>

#include <yajl/yajl_tree.h>

#include "fuzz.h"
#include "promptd.h"

static void	 fuzz_client_json(const char *, size_t);
static void	 fuzz_client_line(const char *, size_t);
static void	 fuzz_client_stats(const char *, size_t);

/* text must be one JSON document. */
static void
fuzz_client_json(const char *text, size_t len)
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
	yajl_tree_free(v);
	free(s);
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
	if (data[0] & 1)
		fuzz_client_stats(copy, size - 1);
	else
		fuzz_client_line(copy, size - 1);
	free(copy);
	return 0;
}
