/*
 * promptd-ui.c: promptd's parts that need no process: client lines in
 * (every refusal names its key and says whether the client is
 * dropped), JSON out (escaping, bytes that are not UTF-8, what is left
 * out when unknown), and the statistics merge.  Output is checked by
 * parsing it back with yajl.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "promptd.h"
#include "t.h"

static struct uireq	 r;
static struct uierr	 e;

static int
parse(const char *s)
{
	uireq_clear(&r);
	return uireq_parse(s, strlen(s), &r, &e);
}

/* Refused with this code, this drop flag, and a message that starts so. */
static void
refused(const char *line, enum uierr_code code, int fatal,
    const char *prefix)
{
	T_EQ_INT(parse(line), -1);
	T_EQ_INT(e.code, code);
	T_EQ_INT(e.fatal, fatal);
	if (strncmp(e.msg, prefix, strlen(prefix)) != 0) {
		fprintf(stderr, "line %s: message \"%s\", want \"%s...\"\n",
		    line, e.msg, prefix);
		T_CHECK(0);
	}
}

static void
t_requests(void)
{
	T_EQ_INT(parse("{\"type\":\"hello\",\"version\":1,\"client\":"
	    "\"tattle\\u0007 prompt\"}"), 0);
	T_EQ_INT(r.type, UIREQ_HELLO);
	T_EQ_STR(r.client, "tattle prompt");
	T_EQ_STR(r.req, "");

	T_EQ_INT(parse("{\"type\":\"subscribe\",\"req\":7,\"asks\":true,"
	    "\"backlog\":20}"), 0);
	T_EQ_INT(r.type, UIREQ_SUBSCRIBE);
	T_EQ_INT(r.asks, 1);
	T_EQ_INT(r.events, 0);
	T_EQ_INT(r.backlog, 20);
	T_EQ_STR(r.req, "7");

	T_EQ_INT(parse("{\"req\":\"a\\\"b\",\"type\":\"answer\",\"id\":17,"
	    "\"action\":\"reject\",\"duration\":\"until restart\","
	    "\"match\":[\"executable\",\"port\",\"port\"],\"name\":"
	    "\"rej-curl\",\"unknown\":{\"x\":[1,2]}}"), 0);
	T_EQ_INT(r.type, UIREQ_ANSWER);
	T_EQ_STR(r.req, "\"a\\\"b\"");
	T_EQ_INT(r.id, 17);
	T_EQ_INT(r.verdict, VERDICT_REJECT);
	T_EQ_INT(r.duration, DUR_RESTART);
	T_EQ_INT(r.match, MATCH_EXE | MATCH_PORT);
	T_EQ_STR(r.name, "rej-curl");
	T_EQ_INT(r.has_name, 1);

	T_EQ_INT(parse("{\"type\":\"answer\",\"id\":4294967295,\"action\":"
	    "\"allow\",\"duration\":\"always\",\"match\":[\"command\","
	    "\"host\",\"ip\",\"user\"]}"), 0);
	T_EQ_INT(r.id, 4294967295u);
	T_EQ_INT(r.duration, DUR_ALWAYS);
	T_EQ_INT(r.match, MATCH_CMD | MATCH_HOST | MATCH_IP | MATCH_USER);
	T_EQ_INT(r.has_name, 0);

	/* A rule comes out compact, numbers as written. */
	T_EQ_INT(parse("{\"type\":\"rules.add\",\"rule\":{ \"name\" : "
	    "\"x y\", \"precedence\":false,\"operator\":{\"data\":\"443\","
	    "\"list\":[]},\"n\":1.50e3}}"), 0);
	T_EQ_INT(r.type, UIREQ_RULES_ADD);
	T_EQ_STR(r.rule, "{\"name\":\"x y\",\"precedence\":false,"
	    "\"operator\":{\"data\":\"443\",\"list\":[]},\"n\":1.50e3}");
	T_EQ_INT(r.rule_len, strlen(r.rule));
	T_EQ_STR(r.name, "x y");

	T_EQ_INT(parse("{\"type\":\"rules.delete\",\"name\":\"a.b\"}"), 0);
	T_EQ_INT(r.type, UIREQ_RULES_DELETE);
	T_EQ_STR(r.name, "a.b");
	T_EQ_INT(parse("{\"type\":\"rules.list\"}"), 0);
	T_EQ_INT(r.type, UIREQ_RULES_LIST);
	T_EQ_INT(parse("{\"type\":\"stats\",\"req\":-2.5}"), 0);
	T_EQ_STR(r.req, "-2.5");
	uireq_clear(&r);
}

static void
t_refusals(void)
{
	char	 big[MAX_JSON + 200];
	char	 deep[200];
	int	 i;

	refused("", UIERR_BAD_JSON, 1, "");
	refused("{\"type\":\"hello\"", UIERR_BAD_JSON, 1, "");
	refused("[1,2]", UIERR_BAD_JSON, 1, "not a JSON object");
	refused("\"hello\"", UIERR_BAD_JSON, 1, "not a JSON object");
	refused("{\"type\":\"hello\"} {}", UIERR_BAD_JSON, 1, "");
	refused("{\"type\":\"hello\",\"version\":1} /* c */", UIERR_BAD_JSON,
	    1, "a comment");
	refused("{\"type\":\"he\xffllo\"}", UIERR_BAD_JSON, 1, "");
	T_EQ_INT(uireq_parse("{\"type\":\"h\0\"}", 12, &r, &e), -1);
	T_EQ_INT(e.code, UIERR_BAD_JSON);
	T_EQ_INT(e.fatal, 1);
	for (i = 0; i < 40; i++)
		deep[i] = '[';
	strcpy(deep + 40, "]");
	refused(deep, UIERR_BAD_JSON, 1, "nested deeper than 32");
	/* Brackets inside strings are not nesting. */
	T_EQ_INT(parse("{\"type\":\"stats\",\"req\":\"[[[[[[[[[[[[[[[[[[[["
	    "[[[[[[[[[[[[[[[[[[[[[[[/*\"}"), 0);

	refused("{\"version\":1}", UIERR_BAD_REQUEST, 0, "type: missing");
	refused("{\"type\":5}", UIERR_BAD_REQUEST, 0, "type: not a string");
	refused("{\"type\":\"rules.flush\"}", UIERR_BAD_REQUEST, 0,
	    "type: unknown type \"rules.flush\"");
	refused("{\"type\":\"stats\",\"type\":\"hello\"}", UIERR_BAD_REQUEST,
	    0, "type: given twice");
	refused("{\"type\":\"stats\",\"req\":[1]}", UIERR_BAD_REQUEST, 0,
	    "req: must be a string or a number");
	/* A refusal echoes the req once it could be read. */
	refused("{\"type\":\"nope\",\"req\":\"r1\"}", UIERR_BAD_REQUEST, 0,
	    "type:");
	T_EQ_STR(e.req, "\"r1\"");
	refused("{\"type\":\"hello\"}", UIERR_BAD_REQUEST, 0,
	    "version: missing");
	refused("{\"type\":\"hello\",\"version\":2}", UIERR_BAD_REQUEST, 1,
	    "version: this server speaks version 1");
	refused("{\"type\":\"hello\",\"version\":\"1\"}", UIERR_BAD_REQUEST,
	    0, "version: not an integer");
	refused("{\"type\":\"subscribe\",\"asks\":1}", UIERR_BAD_REQUEST, 0,
	    "asks: not true or false");
	refused("{\"type\":\"subscribe\",\"backlog\":100000}",
	    UIERR_BAD_REQUEST, 0, "backlog: not an integer from 0 to 512");

	refused("{\"type\":\"answer\",\"action\":\"allow\"}",
	    UIERR_BAD_REQUEST, 0, "id: missing");
	refused("{\"type\":\"answer\",\"id\":-1}", UIERR_BAD_REQUEST, 0,
	    "id: not an integer");
	refused("{\"type\":\"answer\",\"id\":4294967296}", UIERR_BAD_REQUEST,
	    0, "id: not an integer");
	refused("{\"type\":\"answer\",\"id\":1.5}", UIERR_BAD_REQUEST, 0,
	    "id: not an integer");
	refused("{\"type\":\"answer\",\"id\":1,\"action\":\"Allow\"}",
	    UIERR_BAD_REQUEST, 0, "action: unknown value \"Allow\"");
	refused("{\"type\":\"answer\",\"id\":1,\"action\":\"allow\"}",
	    UIERR_BAD_REQUEST, 0, "duration: missing");
	refused("{\"type\":\"answer\",\"id\":1,\"action\":\"allow\","
	    "\"duration\":\"forever\",\"match\":[\"ip\"]}",
	    UIERR_BAD_REQUEST, 0, "duration: unknown value \"forever\"");
	refused("{\"type\":\"answer\",\"id\":1,\"action\":\"allow\","
	    "\"duration\":\"once\"}", UIERR_BAD_REQUEST, 0, "match: missing");
	refused("{\"type\":\"answer\",\"id\":1,\"action\":\"allow\","
	    "\"duration\":\"once\",\"match\":[]}", UIERR_BAD_REQUEST, 0,
	    "match: not an array");
	refused("{\"type\":\"answer\",\"id\":1,\"action\":\"allow\","
	    "\"duration\":\"once\",\"match\":[\"ip\",\"path\"]}",
	    UIERR_BAD_REQUEST, 0, "match[1]: unknown value \"path\"");
	refused("{\"type\":\"answer\",\"id\":1,\"action\":\"allow\","
	    "\"duration\":\"once\",\"match\":[\"ip\"],\"name\":\"../x\"}",
	    UIERR_BAD_NAME, 0, "name: must not start with a dot");
	refused("{\"type\":\"answer\",\"id\":1,\"action\":\"allow\","
	    "\"duration\":\"once\",\"match\":[\"ip\"],\"name\":\"a/../x\"}",
	    UIERR_BAD_NAME, 0, "name: must not contain \"..\"");

	refused("{\"type\":\"rules.delete\"}", UIERR_BAD_REQUEST, 0,
	    "name: missing");
	refused("{\"type\":\"rules.enable\",\"name\":\"/etc/passwd\"}",
	    UIERR_BAD_NAME, 0, "name: must not contain '/'");
	refused("{\"type\":\"rules.disable\",\"name\":\"a\\nb\"}",
	    UIERR_BAD_NAME, 0, "name: must not contain control");
	refused("{\"type\":\"rules.add\"}", UIERR_BAD_REQUEST, 0,
	    "rule: missing");
	refused("{\"type\":\"rules.add\",\"rule\":[]}", UIERR_BAD_REQUEST, 0,
	    "rule: not an object");
	refused("{\"type\":\"rules.add\",\"rule\":{\"action\":\"allow\"}}",
	    UIERR_BAD_REQUEST, 0, "rule.name: missing");
	refused("{\"type\":\"rules.add\",\"rule\":{\"name\":\"..\\\\x\"}}",
	    UIERR_BAD_NAME, 0, "rule.name: must not start with a dot");
	snprintf(big, sizeof(big), "{\"type\":\"rules.add\",\"rule\":"
	    "{\"name\":\"b\",\"description\":\"%0*d\"}}", MAX_JSON, 0);
	refused(big, UIERR_BAD_REQUEST, 0, "rule: 12");
}

static void
t_names(void)
{
	char		 n[200];
	const char	*why;

	memset(n, 'a', sizeof(n));
	n[128] = '\0';
	T_EQ_INT(uireq_name_ok(n, &why), 1);
	n[128] = 'a';
	n[129] = '\0';
	T_EQ_INT(uireq_name_ok(n, &why), 0);
	T_EQ_INT(uireq_name_ok("", &why), 0);
	T_EQ_INT(uireq_name_ok(".", &why), 0);
	T_EQ_INT(uireq_name_ok("..", &why), 0);
	T_EQ_INT(uireq_name_ok(".hidden", &why), 0);
	T_EQ_INT(uireq_name_ok("a\\b", &why), 0);
	T_EQ_INT(uireq_name_ok("a\x7f", &why), 0);
	T_EQ_INT(uireq_name_ok("allow-curl example.com", &why), 1);
	T_EQ_INT(uireq_name_ok("r\xc3\xa9gle", &why), 1);
}

static char *
take(struct jw *w)
{
	size_t	 n;
	char	*s = jw_take(w, &n);

	T_CHECK(s != NULL);
	if (s != NULL)
		T_EQ_INT(n, strlen(s));
	return s;
}

static void
t_jw(void)
{
	struct jw	 w;
	char		*s;

	jw_init(&w, 1024);
	jw_obj(&w);
	jw_kstr(&w, "a", "q\"b\\s\n\t\x01\x7f");
	jw_key(&w, "b");
	jw_arr(&w);
	jw_u64(&w, 0);
	jw_u64(&w, UINT64_MAX);
	jw_bool(&w, 1);
	jw_null(&w);
	jw_obj(&w);
	jw_end(&w);
	jw_arr(&w);
	jw_end(&w);
	jw_end(&w);
	jw_kstr(&w, "utf8", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	jw_kstr(&w, "bad", "a\xff" "b\xc3" "c\xe0\x80\xaf" "d\xed\xa0\x80"
	    "e\xf4\x90\x80\x80");
	jw_end(&w);
	s = take(&w);
	T_EQ_STR(s, "{\"a\":\"q\\\"b\\\\s\\n\\t\\u0001\\u007f\",\"b\":[0,"
	    "18446744073709551615,true,null,{},[]],\"utf8\":\"\xc3\xa9\xe2\x82"
	    "\xac\xf0\x9f\x98\x80\",\"bad\":\"a\\ufffdb\\ufffdc\\ufffd\\ufffd"
	    "\\ufffdd\\ufffd\\ufffd\\ufffde\\ufffd\\ufffd\\ufffd\\ufffd\"}");
	free(s);

	/* Past the bound the writer fails, and says so. */
	jw_init(&w, 16);
	jw_str(&w, "0123456789abcdefghij");
	T_EQ_INT(w.err, 1);
	T_CHECK(jw_take(&w, &(size_t){ 0 }) == NULL);
	jw_init(&w, 64);
	jw_end(&w);
	T_EQ_INT(w.err, 1);
	jw_free(&w);
}

static void
t_rule_json(void)
{
	struct jw	 w;
	char		*s;

	jw_init(&w, 4096);
	jw_arr(&w);
	T_EQ_INT(uiout_rule_json(&w, "{\n \"name\": \"a\",\r\n\"x\":[1]\n}\n",
	    27, "a \"b\".json"), 0);
	T_EQ_INT(uiout_rule_json(&w, "{\"b\":\"}\"}", 9, NULL), 0);
	T_EQ_INT(uiout_rule_json(&w, " { } ", 5, NULL), 0);
	jw_end(&w);
	s = take(&w);
	T_EQ_STR(s, "[{\"name\":\"a\",\"x\":[1],\"file\":"
	    "\"a \\\"b\\\".json\",\"temporary\":false},{\"b\":\"}\","
	    "\"file\":null,\"temporary\":true},{\"file\":null,"
	    "\"temporary\":true}]");
	free(s);
	jw_init(&w, 4096);
	s = "{\"a b\" : \"c \\\" d\" }";
	T_EQ_INT(uiout_rule_json(&w, s, strlen(s), NULL), 0);
	s = take(&w);
	T_EQ_STR(s, "{\"a b\":\"c \\\" d\",\"file\":null,\"temporary\":true}");
	free(s);
	jw_init(&w, 4096);
	T_EQ_INT(uiout_rule_json(&w, "[1]", 3, NULL), -1);
	T_EQ_INT(uiout_rule_json(&w, "{\"a\":1} {}", 10, NULL), -1);
	T_EQ_INT(uiout_rule_json(&w, "{\"a\":\"x\ny\"}", 11, NULL), -1);
	T_EQ_INT(uiout_rule_json(&w, "{\"a\":1", 6, NULL), -1);
	T_EQ_INT(uiout_rule_json(&w, "{\"a\":\"\0\"}", 9, NULL), -1);
	jw_free(&w);
}

static void
t_stats(void)
{
	/* As packetd and ruled write them (packetd_stats.c,
	 * ruled/ruled_stats.c). */
	static const char	 pk[] = "uptime_s 12\nfail_mode closed\n"
	    "queue_path xt NFQUEUE via nft_compat\n"
	    "queue_overflows 3\nby_reason.rule 5\n";
	static const char	 rl[] = "connections 12\nby_reason.rule 7\n"
	    "by_reason.fail-mode 2\nby_rule.a\\x20\"q\"\\x5c 4\n"
	    "by_rule.\\xc3\\xa9\\x0a 1\nby_rule.x.y 2\n";
	struct stats_merge	*s;
	struct jw		 w;
	const char		*why = "";
	char			*out;
	uint64_t		 v;

	T_CHECK((s = stats_new()) != NULL);
	T_EQ_INT(stats_add_lines(s, pk, sizeof(pk) - 1, &why), 0);
	T_EQ_INT(stats_add_lines(s, rl, sizeof(rl) - 1, &why), 0);
	T_EQ_INT(stats_get(s, "", "queue_overflows", &v), 0);
	T_EQ_INT(v, 3);
	T_EQ_INT(stats_get(s, "by_reason", "rule", &v), 0);
	T_EQ_INT(v, 12);
	T_EQ_INT(stats_get(s, "", "fail_mode", &v), -1);
	jw_init(&w, 4096);
	jw_obj(&w);
	stats_json(s, &w);
	jw_end(&w);
	out = take(&w);
	T_EQ_STR(out, "{\"uptime_s\":12,\"fail_mode\":\"closed\","
	    "\"queue_path\":\"xt NFQUEUE via nft_compat\","
	    "\"queue_overflows\":3,"
	    "\"by_reason\":{\"rule\":12,\"fail-mode\":2},\"connections\":12,"
	    "\"by_rule\":{\"a \\\"q\\\"\\\\\":4,\"\xc3\xa9\\n\":1,\"x.y\":2}}");
	free(out);

	T_EQ_INT(stats_add_lines(s, "x 1", 3, &why), -1);
	T_EQ_STR(why, "a line without a newline");
	T_EQ_INT(stats_add_lines(s, "x\n", 2, &why), -1);
	T_EQ_STR(why, "a line without a blank");
	T_EQ_INT(stats_add_lines(s, "x \n", 3, &why), -1);
	T_EQ_STR(why, "a value that is neither a number nor a word");
	T_EQ_INT(stats_add_lines(s, "x \x01\n", 4, &why), -1);
	T_EQ_INT(stats_add_lines(s, "X 1\n", 4, &why), -1);
	T_EQ_STR(why, "a name outside [a-z0-9_.-]");
	T_EQ_INT(stats_add_lines(s, "a. 1\n", 5, &why), -1);
	T_EQ_STR(why, "a name with an empty part");
	T_EQ_INT(stats_add_lines(s, "by_rule.a\\ 1\n", 13, &why), -1);
	T_EQ_INT(stats_add_lines(s, "by_rule.\\x1 1\n", 14, &why), -1);
	T_EQ_INT(stats_add_lines(s, "by_rule.\xc3\xa9 1\n", 13, &why), -1);
	T_EQ_INT(stats_add_lines(s, "by_rule 1\n", 10, &why), -1);
	T_EQ_STR(why, "a name used both as a counter and a group");
	T_EQ_INT(stats_add_lines(s, "connections.x 1\n", 16, &why), -1);
	T_EQ_INT(stats_add_lines(s, "fail_mode 1\n", 12, &why), -1);
	T_EQ_STR(why, "a name with a number and a word");
	T_EQ_INT(stats_add_lines(s, "connections 18446744073709551615\n",
	    33, &why), 0);
	T_EQ_INT(stats_get(s, "", "connections", &v), 0);
	T_EQ_INT(v, UINT64_MAX);
	stats_free(s);
}

/* A MSG_ASK as ruled builds it, checked as promptd receives it. */
static void
ask_msg(struct msg *m, int proto, uint32_t pid, const char *path)
{
	struct msg_ask	 a;
	const char	*why = "";

	memset(&a, 0, sizeof(a));
	a.ca.conn.t.family = AF_INET;
	a.ca.conn.t.proto = proto;
	a.ca.conn.t.sport = 40312;
	a.ca.conn.t.dport = 443;
	memcpy(a.ca.conn.t.saddr, "\x0a\x01\x00\x02", 4);
	memcpy(a.ca.conn.t.daddr, "\x5d\xb8\xd7\x0e", 4);
	a.ca.conn.uid = 1000;
	a.ca.pid = pid;
	a.ca.ppid = pid ? 1 : 0;
	a.ca.puid = 1000;
	a.ca.source = pid ? SRC_FTRACE : SRC_NONE;
	a.ca.flags = CONN_F_DELETED;
	a.timeout_ms = 30000;
	msg_init(m, MSG_ASK, 17);
	msg_set_body(m, &a, sizeof(a));
	if (path != NULL) {
		msg_add_str(m, ATTR_PROC_PATH, path);
		msg_add_str(m, ATTR_PROC_CMDLINE, "curl https://example.com/");
		msg_add_str(m, ATTR_PROC_PARENT, "/usr/bin/bash");
		msg_add_str(m, ATTR_PROC_PARENT, "/sbin/init");
		msg_add_str(m, ATTR_PROC_ENV, "LANG=C.UTF-8");
		msg_add_str(m, ATTR_USER_NAME, "alice");
	}
	msg_add_str(m, ATTR_HOST, "example.com");
	msg_add_str(m, ATTR_IFACE_OUT, "eth0");
	T_EQ_INT(msg_check(m, ROLE_PROMPTD, ROLE_RULED, &why), 0);
}

static const char *
str_at(yajl_val root, const char **path)
{
	yajl_val	 v = yajl_tree_get(root, path, yajl_t_any);

	if (v == NULL)
		return "(absent)";
	if (YAJL_IS_STRING(v))
		return v->u.string;
	if (YAJL_IS_NUMBER(v))
		return v->u.number.r;
	if (YAJL_IS_NULL(v))
		return "null";
	if (YAJL_IS_TRUE(v))
		return "true";
	if (YAJL_IS_FALSE(v))
		return "false";
	return "(container)";
}

#define AT(root, ...)	str_at(root, (const char *[]){ __VA_ARGS__, NULL })

static void
t_ask(void)
{
	static struct msg	 m;
	struct jw		 w;
	yajl_val		 v;
	char			*tail, err[128];
	size_t			 n;

	ask_msg(&m, IPPROTO_TCP, 4242, "/usr/bin/cu\xffrl");
	jw_init(&w, 65536);
	uiout_ask(&w, &m);
	tail = jw_take(&w, &n);
	T_CHECK(tail != NULL && tail[0] == '{');
	jw_init(&w, 65536);
	uiout_ask_line(&w, 17, 29000, tail, n);
	free(tail);
	tail = take(&w);
	v = yajl_tree_parse(tail, err, sizeof(err));
	T_CHECK(v != NULL);
	if (v == NULL) {
		fprintf(stderr, "%s\n%s\n", err, tail);
		free(tail);
		return;
	}
	T_EQ_STR(AT(v, "type"), "ask");
	T_EQ_STR(AT(v, "id"), "17");
	T_EQ_STR(AT(v, "timeout_ms"), "29000");
	T_EQ_STR(AT(v, "conn", "protocol"), "tcp");
	T_EQ_STR(AT(v, "conn", "src_ip"), "10.1.0.2");
	T_EQ_STR(AT(v, "conn", "dst_ip"), "93.184.215.14");
	T_EQ_STR(AT(v, "conn", "dst_port"), "443");
	T_EQ_STR(AT(v, "conn", "host"), "example.com");
	T_EQ_STR(AT(v, "conn", "iface_out"), "eth0");
	T_EQ_STR(AT(v, "conn", "iface_in"), "(absent)");
	T_EQ_STR(AT(v, "conn", "uid"), "1000");
	T_EQ_STR(AT(v, "conn", "process", "pid"), "4242");
	T_EQ_STR(AT(v, "conn", "process", "path"), "/usr/bin/cu\xef\xbf\xbdrl");
	T_EQ_STR(AT(v, "conn", "process", "deleted"), "true");
	T_EQ_STR(AT(v, "conn", "process", "command"),
	    "curl https://example.com/");
	T_EQ_STR(AT(v, "conn", "process", "cwd"), "(absent)");
	T_EQ_STR(AT(v, "conn", "process", "parents", "1"), "(absent)");
	T_EQ_STR(AT(v, "conn", "process", "user"), "alice");
	T_EQ_STR(AT(v, "conn", "process", "env", "LANG"), "C.UTF-8");
	T_EQ_STR(AT(v, "conn", "process", "source"), "ftrace");
	T_EQ_STR(AT(v, "suggested", "action"), "deny");
	T_EQ_STR(AT(v, "suggested", "duration"), "once");
	yajl_tree_free(v);
	T_CHECK(strstr(tail, "\"parents\":[\"/usr/bin/bash\",\"/sbin/init\"]")
	    != NULL);
	T_CHECK(strstr(tail, "\"match\":[\"executable\",\"host\"]") != NULL);
	free(tail);

	/* No process: null, said so, and no executable to match. */
	ask_msg(&m, IPPROTO_ICMP, 0, NULL);
	jw_init(&w, 65536);
	uiout_ask(&w, &m);
	tail = take(&w);
	v = yajl_tree_parse(tail, err, sizeof(err));
	T_CHECK(v != NULL);
	if (v != NULL) {
		T_EQ_STR(AT(v, "conn", "process"), "null");
		T_EQ_STR(AT(v, "conn", "source"), "unknown");
		T_EQ_STR(AT(v, "conn", "protocol"), "icmp");
		T_EQ_STR(AT(v, "conn", "dst_port"), "(absent)");
		yajl_tree_free(v);
	}
	T_CHECK(strstr(tail, "\"match\":[\"host\",\"port\"]") != NULL);
	free(tail);
}

static void
t_event(void)
{
	static struct msg	 m;
	struct msg_event	 ev;
	struct jw		 w;
	yajl_val		 v;
	const char		*why = "";
	char			*s, err[128];

	memset(&ev, 0, sizeof(ev));
	ev.ca.conn.t.family = AF_INET6;
	ev.ca.conn.t.proto = IPPROTO_UDP;
	ev.ca.conn.t.dport = 53;
	memcpy(ev.ca.conn.t.daddr, "\0\0\0\0\0\0\0\0\0\0\xff\xff\x01\x02\x03"
	    "\x04", 16);
	ev.ca.conn.t.saddr[15] = 1;
	ev.ca.conn.uid = CONN_UID_UNKNOWN;
	ev.verdict = VERDICT_DENY;
	ev.reason = REASON_RULE;
	ev.time_ns = 1795455489123456789ull;
	msg_init(&m, MSG_EVENT, 0);
	msg_set_body(&m, &ev, sizeof(ev));
	msg_add_str(&m, ATTR_RULE_NAME, "block \"dns\"");
	T_EQ_INT(msg_check(&m, ROLE_PROMPTD, ROLE_RULED, &why), 0);
	jw_init(&w, 65536);
	uiout_event(&w, &m);
	s = take(&w);
	v = yajl_tree_parse(s, err, sizeof(err));
	T_CHECK(v != NULL);
	if (v != NULL) {
		T_EQ_STR(AT(v, "type"), "event");
		T_EQ_STR(AT(v, "time"), "2026-11-23T17:38:09.123Z");
		T_EQ_STR(AT(v, "verdict"), "deny");
		T_EQ_STR(AT(v, "rule"), "block \"dns\"");
		T_EQ_STR(AT(v, "reason"), "rule");
		T_EQ_STR(AT(v, "conn", "protocol"), "udp6");
		T_EQ_STR(AT(v, "conn", "dst_ip"), "1.2.3.4");
		T_EQ_STR(AT(v, "conn", "src_ip"), "::1");
		T_EQ_STR(AT(v, "conn", "uid"), "(absent)");
		T_EQ_STR(AT(v, "conn", "host"), "");
		yajl_tree_free(v);
	}
	free(s);
}

/* common/jsonw_tree.c: a parsed tree written again, and its depth bound. */
static void
t_jw_tree(void)
{
	yajl_val	 v;
	char		 in[4 * JW_MAX_DEPTH + 8], ebuf[128], *s;
	size_t		 len, d;

	v = yajl_tree_parse("{ \"a\\u0001\" : [ 1.50e3, true, null, "
	    "\"\\u00e9\\\"\" ], \"b\": {} }", ebuf, sizeof(ebuf));
	T_CHECK(v != NULL);
	s = jw_tree_text(v, 1024, &len);
	T_EQ_STR(s, "{\"a\\u0001\":[1.50e3,true,null,\"\xc3\xa9\\\"\"],"
	    "\"b\":{}}");
	T_EQ_INT(len, strlen(s));
	free(s);
	T_CHECK(jw_tree_text(v, 8, &len) == NULL);	/* over the bound */
	yajl_tree_free(v);
	for (d = 0; d <= JW_MAX_DEPTH; d++) {
		memset(in, '[', d);
		memset(in + d, ']', d);
		in[2 * d] = '\0';
		if (d == 0)
			memcpy(in, "0", 2);
		v = yajl_tree_parse(in, ebuf, sizeof(ebuf));
		T_CHECK(v != NULL);
		s = jw_tree_text(v, sizeof(in), NULL);
		T_CHECK(s != NULL && strcmp(s, in) == 0);
		free(s);
		yajl_tree_free(v);
	}
	memset(in, '[', JW_MAX_DEPTH + 1);
	memset(in + JW_MAX_DEPTH + 1, ']', JW_MAX_DEPTH + 1);
	in[2 * JW_MAX_DEPTH + 2] = '\0';
	v = yajl_tree_parse(in, ebuf, sizeof(ebuf));
	T_CHECK(v != NULL);
	T_CHECK(jw_tree_text(v, sizeof(in), NULL) == NULL);	/* too deep */
	yajl_tree_free(v);
}

int
main(void)
{
	t_requests();
	t_refusals();
	t_names();
	t_jw();
	t_jw_tree();
	t_rule_json();
	t_stats();
	t_ask();
	t_event();
	uireq_clear(&r);
	return t_done("promptd-ui");
}
