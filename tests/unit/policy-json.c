/*
 * policy-json.c: rule files through Go encoding/json's rules (the
 * syntax yajl is held to, case-insensitive keys, last duplicate wins, null,
 * type errors that still name the rule), the error messages, the bounds,
 * and the Save() text of a rule.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "policy_int.h"
#include "policy_help.h"
#include "t.h"

static void	test_syntax(void);
static void	test_decode(void);
static void	test_bounds(void);
static void	test_save(void);
static void	test_notes(void);
static void	test_build(void);

static const char *
load1(const char *text, size_t len)
{
	static char		 msg[1024];
	struct policy		*p = ph_new();
	struct policy_err	 err;

	if (policy_load_rule(p, "0007.json", text, len, 0, &err) == 0)
		snprintf(msg, sizeof(msg), "ok:%zu:%s", policy_rule_count(p),
		    policy_rule_name(p, 0));
	else
		policy_err_format(&err, msg, sizeof(msg));
	policy_free(p);
	return msg;
}

#define LOAD(s)	load1((s), sizeof(s) - 1)

static void
test_syntax(void)
{
	T_EQ_STR(LOAD("{}"), "ok:1:");
	T_EQ_STR(LOAD(" \t\r\n{\"name\":\"a\"}\n"), "ok:1:a");
	T_EQ_STR(LOAD("null"), "ok:1:");
	T_EQ_STR(LOAD(""), "0007.json: invalid JSON: empty file");
	T_EQ_STR(LOAD("[]"), "0007.json: a rule file holds one JSON object, "
	    "not an array");
	T_EQ_STR(LOAD("\"x\""), "0007.json: a rule file holds one JSON "
	    "object, not a string");
	T_EQ_STR(LOAD("\xef\xbb\xbf{}"), "0007.json: invalid JSON: starts "
	    "with a UTF-8 byte order mark (Go's decoder refuses it)");
	T_EQ_STR(LOAD("{}\f"), "0007.json: invalid JSON at byte 2: \\v or \\f "
	    "is not white space");
	T_EQ_STR(LOAD("{\"name\":\"a\\f\"}"), "ok:1:a\f");
	T_CHECK(strstr(LOAD("{\"name\":\"a\"} x"), "0007.json: invalid JSON "
	    "at byte") != NULL);
	T_CHECK(strstr(LOAD("{\"name\":\"a\"}{}"), "invalid JSON") != NULL);
	T_CHECK(strstr(LOAD("{\"name\": \"bad\", \"action\": \"deny\", "),
	    "invalid JSON") != NULL);
	T_CHECK(strstr(LOAD("{\"name\":\"a\",}"), "invalid JSON") != NULL);
	T_CHECK(strstr(LOAD("{\"a\":01}"), "invalid JSON") != NULL);
	T_CHECK(strstr(LOAD("{/* c */}"), "invalid JSON") != NULL);
	T_CHECK(strstr(LOAD("{\"name\":\"a\tb\"}"), "invalid JSON") != NULL);
	/* Big numbers are fine where the value is ignored. */
	T_EQ_STR(LOAD("{\"x\":1e999999,\"name\":\"n\"}"), "ok:1:n");
	/* Invalid UTF-8: one U+FFFD per bad byte, as Go. */
	T_EQ_STR(LOAD("{\"name\":\"a\xff\xfe" "b\"}"),
	    "ok:1:a\xef\xbf\xbd\xef\xbf\xbd" "b");
	T_EQ_STR(LOAD("{\"name\":\"\xed\xa0\x80\"}"),
	    "ok:1:\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	T_EQ_STR(LOAD("{\"name\":\"\\u00e4\\ud83d\\ude00\"}"),
	    "ok:1:\xc3\xa4\xf0\x9f\x98\x80");
	T_EQ_STR(LOAD("{\"name\":\"a\\u0000b\"}"), "0007.json: name: a NUL "
	    "character (\\u0000) is not supported in rule text");
}

/* "\u017fensitive" (long s) is the key "sensitive" to Go. */
static int
fold_key_sensitive(void)
{
	struct policy		*p = ph_new();
	struct policy_conn	 c;
	int			 ok;

	ph_conn(&c);
	ok = strcmp(ph_load(p, "s.json", "{\"name\":\"s\",\"enabled\":true,"
	    "\"action\":\"allow\",\"operator\":{\"type\":\"simple\","
	    "\"operand\":\"process.path\",\"data\":\"/USR/BIN/CURL\","
	    "\"\xc5\xbf" "ensitive\":true}}"), "") == 0 &&
	    strcmp(ph_eval(p, &c), "prompt-or-default:-") == 0;
	policy_free(p);
	return ok;
}

static void
test_decode(void)
{
	/* Keys case-insensitively, Unicode folding included (ſ is s). */
	T_EQ_STR(LOAD("{\"NAME\":\"caps\"}"), "ok:1:caps");
	T_EQ_STR(LOAD("{\"n\xc3\xa1me\":\"x\",\"name\":\"y\"}"), "ok:1:y");
	T_CHECK(fold_key_sensitive());
	/* Last duplicate wins; null leaves the field. */
	T_EQ_STR(LOAD("{\"name\":\"a\",\"Name\":\"b\"}"), "ok:1:b");
	T_EQ_STR(LOAD("{\"name\":\"a\",\"name\":null}"), "ok:1:a");
	/* Type errors refuse the file but name the rule (whatever order). */
	T_EQ_STR(LOAD("{\"enabled\":\"true\",\"name\":\"bad\"}"),
	    "0007.json (rule \"bad\"): enabled: expected true or false, got "
	    "string (Go's decoder refuses the whole file)");
	T_EQ_STR(LOAD("{\"name\":\"bad\",\"operator\":{\"data\":443}}"),
	    "0007.json (rule \"bad\"): operator.data: expected a string, got "
	    "number (Go's decoder refuses the whole file)");
	T_EQ_STR(LOAD("{\"name\":\"bad\",\"created\":0}"),
	    "0007.json (rule \"bad\"): created: expected a string, got number "
	    "(Go's decoder refuses the whole file)");
	T_EQ_STR(LOAD("{\"name\":\"bad\",\"operator\":[]}"),
	    "0007.json (rule \"bad\"): operator: expected an operator object, "
	    "got array (Go's decoder refuses the whole file)");
	T_EQ_STR(LOAD("{\"name\":\"bad\",\"operator\":{\"list\":{}}}"),
	    "0007.json (rule \"bad\"): operator.list: expected an array of "
	    "operators, got object (Go's decoder refuses the whole file)");
	T_EQ_STR(LOAD("{\"name\":\"bad\",\"operator\":{\"list\":[{},3]}}"),
	    "0007.json (rule \"bad\"): operator.list[1]: expected an operator "
	    "object, got number (Go's decoder refuses the whole file)");
	T_EQ_STR(LOAD("{\"name\":\"bad\",\"operator\":{\"sensitive\":1}}"),
	    "0007.json (rule \"bad\"): operator.sensitive: expected true or "
	    "false, got number (Go's decoder refuses the whole file)");
	/* No name (or an empty one): the error names only the file. */
	T_EQ_STR(LOAD("{\"name\":5}"), "0007.json: name: expected a string, "
	    "got number (Go's decoder refuses the whole file)");
	T_EQ_STR(LOAD("{\"name\":\"\",\"enabled\":true}"), "0007.json: "
	    "operator.type: unknown operator type \"\" (simple, regexp, "
	    "network, range, list, lists; case-sensitive)");
	/* A duplicate operator is decoded into the first (Go merges). */
	T_EQ_STR(LOAD("{\"name\":\"m\",\"enabled\":true,\"operator\":"
	    "{\"type\":\"simple\",\"data\":\"x\"},\"operator\":{\"operand\":"
	    "\"true\"}}"), "ok:1:m");
	/* Missing operator: type "" and data "": refused when enabled. */
	T_EQ_STR(LOAD("{\"name\":\"bad\",\"enabled\":true}"),
	    "0007.json (rule \"bad\"): operator.type: unknown operator type "
	    "\"\" (simple, regexp, network, range, list, lists; "
	    "case-sensitive)");
	T_EQ_STR(LOAD("{\"name\":\"bad\",\"enabled\":true,\"operator\":"
	    "{\"operand\":\"process.path\",\"type\":\"network\"}}"),
	    "0007.json (rule \"bad\"): operator.data: must not be empty for "
	    "type network");
}

static void
test_bounds(void)
{
	char	*big;
	size_t	 i, n;

	n = MAX_RULE_FILE_SIZE + 1;
	big = malloc(n);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	T_EQ_STR(load1(big, n), "0007.json: 1048577 bytes "
	    "(MAX_RULE_FILE_SIZE is 1048576)");
	/* Deeper than MAX_JSON_DEPTH. */
	for (i = 0; i < 40; i++)
		big[i] = '[';
	for (i = 40; i < 80; i++)
		big[i] = ']';
	T_EQ_STR(load1(big, 80), "0007.json: invalid JSON: nested too deeply "
	    "(MAX_JSON_DEPTH)");
	/* More values than MAX_JSON_NODES. */
	n = 1 + 2 * (MAX_JSON_NODES + 1) + 1;
	big[0] = '[';
	for (i = 1; i + 1 < n; i += 2) {
		big[i] = '0';
		big[i + 1] = ',';
	}
	big[n - 2] = '0';
	big[n - 1] = ']';
	T_EQ_STR(load1(big, n), "0007.json: invalid JSON: too many values "
	    "(MAX_JSON_NODES)");
	free(big);
	/* A name too long to be a file, fine as a key. */
	T_EQ_INT(policy_rule_name_ok("allow-firefox"), 1);
	T_EQ_INT(policy_rule_name_ok("a b \xc3\xa4"), 1);
	T_EQ_INT(policy_rule_name_ok(""), 0);
	T_EQ_INT(policy_rule_name_ok(NULL), 0);
	T_EQ_INT(policy_rule_name_ok("../default-config"), 0);
	T_EQ_INT(policy_rule_name_ok("a/b"), 0);
	T_EQ_INT(policy_rule_name_ok("/etc/passwd"), 0);
	T_EQ_INT(policy_rule_name_ok(".hidden"), 0);
	T_EQ_INT(policy_rule_name_ok("a..b"), 0);
	T_EQ_INT(policy_rule_name_ok("a\nb"), 0);
	T_EQ_INT(policy_rule_name_ok("a\\b"), 0);
	big = malloc(POLICY_NAME_MAX + 2);
	memset(big, 'a', POLICY_NAME_MAX + 1);
	big[POLICY_NAME_MAX + 1] = '\0';
	T_EQ_INT(policy_rule_name_ok(big), 0);
	big[POLICY_NAME_MAX] = '\0';
	T_EQ_INT(policy_rule_name_ok(big), 1);
	free(big);
}

static void
test_save(void)
{
	struct policy	*p = ph_new();
	char		*out, *again;
	size_t		 len;
	const char	*in = "{\"Name\":\"<a&b>\",\"action\":\"allow\","
	    "\"enabled\":true,\"created\":\"2024-01-01T00:00:00Z\","
	    "\"duration\":\"always\",\"description\":\"l1\\nl2\\u2028\","
	    "\"unknown\":[1,2],\"operator\":{\"type\":\"list\",\"operand\":"
	    "\"list\",\"list\":[{\"type\":\"simple\",\"operand\":"
	    "\"process.path\",\"data\":\"/usr/bin/curl\"},{\"type\":"
	    "\"simple\",\"operand\":\"dest.port\",\"data\":\"53\","
	    "\"list\":[]}]},"
	    "\"precedence\":true}";
	const char	*want = "{\n"
	    "  \"created\": \"2024-01-01T00:00:00Z\",\n"
	    "  \"updated\": \"2026-11-23T10:00:00Z\",\n"
	    "  \"name\": \"\\u003ca\\u0026b\\u003e\",\n"
	    "  \"description\": \"l1\\nl2\\u2028\",\n"
	    "  \"action\": \"allow\",\n"
	    "  \"duration\": \"always\",\n"
	    "  \"operator\": {\n"
	    "    \"operand\": \"list\",\n"
	    "    \"data\": \"\",\n"
	    "    \"type\": \"list\",\n"
	    "    \"list\": [\n"
	    "      {\n"
	    "        \"operand\": \"process.path\",\n"
	    "        \"data\": \"/usr/bin/curl\",\n"
	    "        \"type\": \"simple\",\n"
	    "        \"list\": null,\n"
	    "        \"sensitive\": false\n"
	    "      },\n"
	    "      {\n"
	    "        \"operand\": \"dest.port\",\n"
	    "        \"data\": \"53\",\n"
	    "        \"type\": \"simple\",\n"
	    "        \"list\": [],\n"
	    "        \"sensitive\": false\n"
	    "      }\n"
	    "    ],\n"
	    "    \"sensitive\": false\n"
	    "  },\n"
	    "  \"enabled\": true,\n"
	    "  \"precedence\": true,\n"
	    "  \"nolog\": false\n"
	    "}";

	T_EQ_STR(ph_load(p, "x.json", in), "");
	T_EQ_INT(policy_rule_json(p, "<a&b>", "2026-11-23T10:00:00Z", &out,
	    &len), 0);
	T_EQ_STR(out, want);
	T_EQ_INT(len, strlen(want));
	/* What Save() writes loads back to the same text. */
	T_EQ_STR(ph_load(p, "x.json", out), "");
	T_EQ_INT(policy_rule_json(p, "<a&b>", NULL, &again, NULL), 0);
	T_EQ_STR(again, out);
	free(again);
	free(out);
	T_EQ_INT(policy_rule_json(p, "nope", NULL, &out, NULL), -1);
	/* D3: a disabled legacy list is saved expanded, as Go does. */
	T_EQ_STR(ph_load(p, "y.json", "{\"name\":\"y\",\"operator\":{\"type\":"
	    "\"list\",\"data\":\"[{\\\"type\\\":\\\"simple\\\"}]\"}}"), "");
	T_EQ_INT(policy_rule_json(p, "y", NULL, &out, NULL), 0);
	T_CHECK(strstr(out, "\"data\": \"\",\n    \"type\": \"list\",\n"
	    "    \"list\": [\n      {\n        \"operand\": \"\",\n"
	    "        \"data\": \"\",\n        \"type\": \"simple\",") != NULL);
	free(out);
	policy_free(p);
}

struct seen {
	char	buf[8192];
};

static void
collect(const struct policy_diag *d, void *arg)
{
	struct seen	*s = arg;
	size_t		 n = strlen(s->buf);

	snprintf(s->buf + n, sizeof(s->buf) - n, "%s|%s|%s|%s\n", d->code,
	    d->rule ? d->rule : "-", d->field, d->msg);
}

/* Decoding notes reach lint with their field and code. */
static void
test_notes(void)
{
	struct policy	*p = ph_new();
	struct seen	 s;

	memset(&s, 0, sizeof(s));
	T_EQ_STR(ph_load(p, "x.json", "{\"Name\":\"n\",\"name\":\"n\","
	    "\"extra\":1,\"operator\":{\"TYPE\":\"simple\"}}"), "");
	policy_lint(p, collect, &s);
	T_CHECK(strstr(s.buf, "surprising|n|name|key \"Name\" is read as "
	    "\"name\" (Go matches keys case-insensitively)\n") != NULL);
	T_CHECK(strstr(s.buf, "json|n|name|duplicate key \"name\": the last "
	    "one wins (Go's decoder)\n") != NULL);
	T_CHECK(strstr(s.buf, "json|n||unknown key \"extra\" ignored\n") !=
	    NULL);
	T_CHECK(strstr(s.buf, "surprising|n|operator.type|key \"TYPE\" is "
	    "read as \"type\"") != NULL);
	T_CHECK(strstr(s.buf, "surprising|n|enabled|no \"enabled\" key: the "
	    "rule is disabled") != NULL);
	T_CHECK(strstr(s.buf, "disabled|n|") == NULL);
	policy_free(p);
}

/* A prompt answer as a rule file, read back and matched. */
static void
test_build(void)
{
	static const struct policy_op_spec ops[] = {
		{ "simple", "process.path", "/usr/bin/curl", 0 },
		{ "simple", "dest.host", "opensnitch.io", 1 },
	};
	struct policy_rule_spec	 sp;
	struct policy		*p = ph_new();
	struct policy_conn	 c;
	char			*out, *again;
	size_t			 len;

	memset(&sp, 0, sizeof(sp));
	sp.name = "allow-always-list-curl";
	sp.action = "allow";
	sp.duration = "always";
	sp.created = "2026-11-23T10:00:00Z";
	sp.ops = ops;
	sp.nops = 1;
	T_EQ_INT(policy_rule_build(&sp, &out, &len), 0);
	T_EQ_STR(out, "{\n"
	    "  \"created\": \"2026-11-23T10:00:00Z\",\n"
	    "  \"updated\": \"2026-11-23T10:00:00Z\",\n"
	    "  \"name\": \"allow-always-list-curl\",\n"
	    "  \"description\": \"\",\n"
	    "  \"action\": \"allow\",\n"
	    "  \"duration\": \"always\",\n"
	    "  \"operator\": {\n"
	    "    \"operand\": \"process.path\",\n"
	    "    \"data\": \"/usr/bin/curl\",\n"
	    "    \"type\": \"simple\",\n"
	    "    \"list\": [],\n"
	    "    \"sensitive\": false\n"
	    "  },\n"
	    "  \"enabled\": true,\n"
	    "  \"precedence\": false,\n"
	    "  \"nolog\": false\n"
	    "}");
	free(out);
	sp.nops = 2;
	T_EQ_INT(policy_rule_build(&sp, &out, &len), 0);
	T_EQ_STR(ph_load(p, "allow-always-list-curl.json", out), "");
	ph_conn(&c);
	T_EQ_STR(ph_eval(p, &c), "allow:allow-always-list-curl");
	c.host = "OpenSnitch.io";
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	T_EQ_INT(policy_rule_json(p, "allow-always-list-curl", NULL, &again,
	    NULL), 0);
	T_EQ_STR(again, out);
	free(again);
	free(out);
	sp.nops = 0;
	T_EQ_INT(policy_rule_build(&sp, &out, &len), -1);
	policy_free(p);
}

int
main(void)
{
	test_syntax();
	test_decode();
	test_bounds();
	test_save();
	test_notes();
	test_build();
	return t_done("policy-json");
}
