/*
 * test_osui.c: tattle-osui's pure parts: the UI's pop-up rules as tattle
 * answers, both generations' protobuf against the generated code, tattle's
 * JSON, UI addresses, and the bounds of the statistics.
 */
#include <stdlib.h>
#include <string.h>

#include "osui.h"
#include "tjson.h"
#include "ui15.pb-c.h"
#include "ui16.pb-c.h"
#include "t.h"

static void	 conn_fill(struct osui_conn *);
static void	 rule_simple(struct osui_rule *, const char *, const char *,
		    const char *, const char *);
static void	 test_answer(void);
static void	 test_answer_list(void);
static void	 test_codec15(void);
static void	 test_codec16(void);
static void	 test_notif(void);
static void	 test_tjson(void);
static void	 test_addr(void);
static void	 test_stats(void);
static void	 test_args(void);

static void
conn_fill(struct osui_conn *c)
{
	memset(c, 0, sizeof(*c));
	c->protocol = osui_strdup("tcp");
	c->dst_ip = osui_strdup("93.184.215.14");
	c->host = osui_strdup("example.com");
	c->dst_port = 443;
	c->has_process = 1;
	c->has_uid = 1;
	c->uid = 1000;
	c->pid = 4242;
	c->path = osui_strdup("/usr/bin/curl");
	c->command = osui_strdup("curl https://example.com/");
	c->parents[0] = osui_strdup("/usr/bin/bash");
	c->nparents = 1;
}

static void
rule_simple(struct osui_rule *r, const char *action, const char *duration,
    const char *operand, const char *data)
{
	memset(r, 0, sizeof(*r));
	r->name = osui_strdup("allow-always-simple-curl");
	r->action = osui_strdup(action);
	r->duration = osui_strdup(duration);
	r->enabled = 1;
	r->op.type = osui_strdup("simple");
	r->op.operand = osui_strdup(operand);
	r->op.data = osui_strdup(data);
}

static void
test_answer(void)
{
	struct osui_conn	 c;
	struct osui_rule	 r;
	struct osui_answer	 a;
	char			 why[256];

	conn_fill(&c);
	rule_simple(&r, "allow", "always", "process.path", "/usr/bin/curl");
	T_EQ_INT(osui_answer_from_rule(&r, &c, &a, why, sizeof(why)), 0);
	T_EQ_STR(a.action, "allow");
	T_EQ_STR(a.duration, "always");
	T_EQ_INT(a.nmatch, 1);
	T_EQ_STR(a.match[0], "executable");
	T_EQ_STR(a.name, "allow-always-simple-curl");
	osui_rule_free(&r);

	/* The user edited the path: not this connection's, once only. */
	rule_simple(&r, "deny", "always", "process.path", "/usr/bin/wget");
	T_EQ_INT(osui_answer_from_rule(&r, &c, &a, why, sizeof(why)), 1);
	T_EQ_STR(a.duration, "once");
	T_EQ_STR(a.action, "deny");
	T_CHECK(strstr(why, "not this connection's") != NULL);
	osui_rule_free(&r);

	rule_simple(&r, "deny", "1h", "dest.host", "EXAMPLE.com");
	T_EQ_INT(osui_answer_from_rule(&r, &c, &a, why, sizeof(why)), 0);
	T_EQ_STR(a.match[0], "host");
	T_EQ_STR(a.duration, "1h");
	osui_rule_free(&r);

	rule_simple(&r, "allow", "always", "user.id", "1000");
	T_EQ_INT(osui_answer_from_rule(&r, &c, &a, why, sizeof(why)), 0);
	T_EQ_STR(a.match[0], "user");
	osui_rule_free(&r);

	/* A regexp cannot be said in an answer. */
	rule_simple(&r, "deny", "always", "dest.host",
	    "^(|.*\\.)example\\.com$");
	free(r.op.type);
	r.op.type = osui_strdup("regexp");
	T_EQ_INT(osui_answer_from_rule(&r, &c, &a, why, sizeof(why)), 1);
	T_CHECK(strstr(why, "regexp") != NULL);
	T_EQ_STR(a.match[0], "executable");
	osui_rule_free(&r);

	rule_simple(&r, "allow", "forever", "dest.port", "443");
	T_EQ_INT(osui_answer_from_rule(&r, &c, &a, why, sizeof(why)), 1);
	T_CHECK(strstr(why, "forever") != NULL);
	osui_rule_free(&r);

	rule_simple(&r, "accept", "once", "dest.port", "443");
	T_EQ_INT(osui_answer_from_rule(&r, &c, &a, why, sizeof(why)), -1);
	osui_rule_free(&r);

	rule_simple(&r, "allow", "once", "dest.port", "443");
	r.enabled = 0;
	T_EQ_INT(osui_answer_from_rule(&r, &c, &a, why, sizeof(why)), -1);
	T_CHECK(strstr(why, "disabled") != NULL);
	osui_rule_free(&r);

	/* A bad name goes; tattle names the rule. */
	rule_simple(&r, "allow", "always", "dest.port", "443");
	free(r.name);
	r.name = osui_strdup("../default-config");
	T_EQ_INT(osui_answer_from_rule(&r, &c, &a, why, sizeof(why)), 0);
	T_CHECK(a.name == NULL);
	osui_rule_free(&r);
	osui_conn_free(&c);
}

/* The pop-up's extra checkboxes: a list, children in data (1.5.8). */
static void
test_answer_list(void)
{
	struct osui_conn	 c;
	struct osui_rule	 r;
	struct osui_answer	 a;
	char			 why[256], err[128];

	conn_fill(&c);
	rule_simple(&r, "allow", "30s", "list", "[{\"type\":\"simple\","
	    "\"operand\":\"process.path\",\"data\":\"/usr/bin/curl\"},"
	    "{\"type\":\"simple\",\"operand\":\"dest.port\",\"data\":\"443\"},"
	    "{\"type\":\"simple\",\"operand\":\"protocol\",\"data\":\"tcp\"},"
	    "{\"type\":\"simple\",\"operand\":\"user.id\",\"data\":1000}]");
	free(r.op.type);
	r.op.type = osui_strdup("list");
	T_EQ_INT(osui_op_list_from_data(&r.op, err, sizeof(err)), 0);
	T_EQ_INT(r.op.nlist, 4);
	T_EQ_STR(r.op.list[3].data, "1000");
	T_EQ_INT(osui_answer_from_rule(&r, &c, &a, why, sizeof(why)), 0);
	T_EQ_INT(a.nmatch, 3);
	T_EQ_STR(a.match[0], "executable");
	T_EQ_STR(a.match[1], "port");
	T_EQ_STR(a.match[2], "user");
	osui_rule_free(&r);

	rule_simple(&r, "allow", "30s", "list", "{\"not\":\"an array\"}");
	free(r.op.type);
	r.op.type = osui_strdup("list");
	T_EQ_INT(osui_op_list_from_data(&r.op, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "array") != NULL);
	osui_rule_free(&r);
	osui_conn_free(&c);
}

static void
test_codec15(void)
{
	struct osui_rule		 rules[1], got;
	struct osui_node		 node;
	struct osui_conn		 c;
	struct buf			 out;
	Osui15__Protocol__ClientConfig	*cc;
	Osui15__Protocol__Connection	*pc;
	Osui15__Protocol__Rule		 pr = OSUI15__PROTOCOL__RULE__INIT;
	Osui15__Protocol__Operator	 po = OSUI15__PROTOCOL__OPERATOR__INIT;
	uint8_t				 raw[512];
	char				 err[128];
	size_t				 n;

	/* A list rule goes to 1.5.8 as JSON in data. */
	memset(rules, 0, sizeof(rules));
	rule_simple(&rules[0], "allow", "always", "list", "");
	free(rules[0].op.type);
	rules[0].op.type = osui_strdup("list");
	rules[0].op.list = calloc(2, sizeof(struct osui_op));
	rules[0].op.nlist = 2;
	rules[0].op.list[0].type = osui_strdup("simple");
	rules[0].op.list[0].operand = osui_strdup("process.path");
	rules[0].op.list[0].data = osui_strdup("/usr/bin/curl");
	rules[0].op.list[1].type = osui_strdup("simple");
	rules[0].op.list[1].operand = osui_strdup("dest.port");
	rules[0].op.list[1].data = osui_strdup("443");
	memset(&node, 0, sizeof(node));
	node.name = "host";
	node.version = "tattle 0.1.0";
	node.config = "{}";
	node.rules = rules;
	node.nrules = 1;
	buf_init(&out, MAX_GRPC_MSG);
	T_EQ_INT(osui_codec15.pack_subscribe(&node, &out), 0);
	cc = osui15__protocol__client_config__unpack(NULL, out.len, out.p);
	T_CHECK(cc != NULL);
	if (cc != NULL) {
		T_EQ_STR(cc->name, "host");
		T_EQ_INT(cc->n_rules, 1);
		T_EQ_STR(cc->rules[0]->operator_->type, "list");
		T_CHECK(strstr(cc->rules[0]->operator_->data,
		    "\"data\":\"/usr/bin/curl\"") != NULL);
		osui15__protocol__client_config__free_unpacked(cc, NULL);
	}
	osui_rule_free(&rules[0]);

	out.len = 0;
	conn_fill(&c);
	T_EQ_INT(osui_codec15.pack_conn(&c, &out), 0);
	pc = osui15__protocol__connection__unpack(NULL, out.len, out.p);
	T_CHECK(pc != NULL);
	if (pc != NULL) {
		T_EQ_STR(pc->process_path, "/usr/bin/curl");
		T_EQ_INT(pc->n_process_args, 2);
		T_EQ_STR(pc->process_args[1], "https://example.com/");
		T_EQ_INT(pc->user_id, 1000);
		T_EQ_INT(pc->dst_port, 443);
		osui15__protocol__connection__free_unpacked(pc, NULL);
	}
	osui_conn_free(&c);
	buf_free(&out);

	/* The UI's reply, as 1.5.8 encodes it. */
	pr.name = "allow-30s-list";
	pr.enabled = 1;
	pr.action = "allow";
	pr.duration = "30s";
	po.type = "list";
	po.operand = "list";
	po.data = "[{\"type\":\"simple\",\"operand\":\"dest.host\","
	    "\"data\":\"example.com\",\"sensitive\":false}]";
	pr.operator_ = &po;
	n = osui15__protocol__rule__pack(&pr, raw);
	T_EQ_INT(osui_codec15.unpack_rule(raw, n, &got, err, sizeof(err)), 0);
	T_EQ_STR(got.name, "allow-30s-list");
	T_EQ_INT(got.enabled, 1);
	T_EQ_INT(got.op.nlist, 1);
	T_EQ_STR(got.op.list[0].operand, "dest.host");
	osui_rule_free(&got);
	/* Read with 1.6's layout the same bytes are another rule. */
	T_EQ_INT(osui_codec16.unpack_rule(raw, n, &got, err, sizeof(err)), -1);
	osui_rule_free(&got);
	T_EQ_INT(osui_codec15.unpack_rule((const uint8_t *)"\xff\xff", 2,
	    &got, err, sizeof(err)), -1);
	osui_rule_free(&got);
}

static void
test_codec16(void)
{
	struct osui_rule		 got;
	struct osui_stats		 s;
	struct osui_event		 e;
	struct buf			 out;
	Protocol__Rule			 pr = PROTOCOL__RULE__INIT;
	Protocol__Operator		 po = PROTOCOL__OPERATOR__INIT;
	Protocol__Operator		 k1 = PROTOCOL__OPERATOR__INIT;
	Protocol__Operator		*kids[1] = { &k1 };
	Protocol__PingRequest		*ping;
	Protocol__Alert			*al;
	uint8_t				 raw[512];
	char				 err[128];
	size_t				 n;

	pr.name = "deny-always-list";
	pr.enabled = 1;
	pr.created = 1700000000;
	pr.action = "deny";
	pr.duration = "always";
	po.type = "list";
	po.operand = "list";
	po.data = "";
	k1.type = "simple";
	k1.operand = "process.path";
	k1.data = "/usr/bin/curl";
	po.list = kids;
	po.n_list = 1;
	pr.operator_ = &po;
	n = protocol__rule__pack(&pr, raw);
	T_EQ_INT(osui_codec16.unpack_rule(raw, n, &got, err, sizeof(err)), 0);
	T_EQ_STR(got.name, "deny-always-list");
	T_EQ_INT(got.created, 1700000000);
	T_EQ_INT(got.op.nlist, 1);
	T_EQ_STR(got.op.list[0].data, "/usr/bin/curl");
	osui_rule_free(&got);

	osui_stats_init(&s);
	s.connections = 7;
	s.version = osui_strdup("0.1.0");
	memset(&e, 0, sizeof(e));
	conn_fill(&e.conn);
	e.unixnano = 1700000000000000000LL;
	e.verdict = osui_strdup("allow");
	e.rule = osui_strdup("allow-curl");
	osui_stats_add_event(&s, &e);
	buf_init(&out, MAX_GRPC_MSG);
	T_EQ_INT(osui_codec16.pack_ping(42, &s, &out), 0);
	ping = protocol__ping_request__unpack(NULL, out.len, out.p);
	T_CHECK(ping != NULL && ping->stats != NULL);
	if (ping != NULL && ping->stats != NULL) {
		T_EQ_INT(ping->id, 42);
		T_EQ_INT(ping->stats->connections, 7);
		T_EQ_INT(ping->stats->n_events, 1);
		T_EQ_INT(ping->stats->n_by_executable, 1);
		T_EQ_STR(ping->stats->by_executable[0]->key, "/usr/bin/curl");
		T_EQ_STR(ping->stats->events[0]->rule->name, "allow-curl");
		T_EQ_INT(ping->stats->events[0]->connection->n_process_tree,
		    2);
		T_EQ_STR(ping->stats->events[0]->connection->process_tree[1]->
		    key, "/usr/bin/bash");
		protocol__ping_request__free_unpacked(ping, NULL);
	}
	osui_stats_free(&s);
	out.len = 0;
	T_EQ_INT(osui_codec16.pack_alert(3, 4, "careful", &out), 0);
	al = protocol__alert__unpack(NULL, out.len, out.p);
	T_CHECK(al != NULL);
	if (al != NULL) {
		T_EQ_INT(al->type, PROTOCOL__ALERT__TYPE__WARNING);
		T_EQ_INT(al->data_case, PROTOCOL__ALERT__DATA_TEXT);
		T_EQ_STR(al->text, "careful");
		protocol__alert__free_unpacked(al, NULL);
	}
	buf_free(&out);
	T_CHECK(osui_codec15.pack_alert == NULL);
}

/* The same command has other numbers in each generation. */
static void
test_notif(void)
{
	Osui15__Protocol__Notification	 n15 =
	    OSUI15__PROTOCOL__NOTIFICATION__INIT;
	Protocol__Notification		 n16 = PROTOCOL__NOTIFICATION__INIT;
	Protocol__Rule			 r16 = PROTOCOL__RULE__INIT;
	Protocol__Rule			*rules[1] = { &r16 };
	struct osui_notif		 got;
	uint8_t				 raw[256];
	char				 err[128];
	size_t				 n;

	n15.id = 9;
	n15.type = OSUI15__PROTOCOL__ACTION__DELETE_RULE;	/* 6 */
	n = osui15__protocol__notification__pack(&n15, raw);
	T_EQ_INT(osui_codec15.unpack_notif(raw, n, &got, err, sizeof(err)), 0);
	T_EQ_INT(got.cmd, OSUI_CMD_RULE_DELETE);
	T_EQ_INT(got.id, 9);
	osui_notif_free(&got);
	T_EQ_INT(osui_codec16.unpack_notif(raw, n, &got, err, sizeof(err)), 0);
	T_EQ_INT(got.cmd, OSUI_CMD_CONFIG);	/* 6 in 1.6 */
	osui_notif_free(&got);

	n15.type = OSUI15__PROTOCOL__ACTION__UNLOAD_FIREWALL;
	n = osui15__protocol__notification__pack(&n15, raw);
	T_EQ_INT(osui_codec15.unpack_notif(raw, n, &got, err, sizeof(err)), 0);
	T_EQ_INT(got.cmd, OSUI_CMD_INTERCEPTION);
	osui_notif_free(&got);

	r16.name = "old-rule";
	n16.id = 10;
	n16.type = PROTOCOL__ACTION__DELETE_RULE;
	n16.rules = rules;
	n16.n_rules = 1;
	n = protocol__notification__pack(&n16, raw);
	T_EQ_INT(osui_codec16.unpack_notif(raw, n, &got, err, sizeof(err)), 0);
	T_EQ_INT(got.cmd, OSUI_CMD_RULE_DELETE);
	T_EQ_INT(got.nrules, 1);
	T_EQ_STR(got.rules[0].name, "old-rule");
	osui_notif_free(&got);
	n16.type = PROTOCOL__ACTION__TASK_START;
	n16.n_rules = 0;
	n = protocol__notification__pack(&n16, raw);
	T_EQ_INT(osui_codec16.unpack_notif(raw, n, &got, err, sizeof(err)), 0);
	T_EQ_INT(got.cmd, OSUI_CMD_TASK);
	osui_notif_free(&got);
}

static void
test_tjson(void)
{
	static const char rule[] = "{\"name\":\"allow-curl\","
	    "\"created\":\"2026-01-02T03:04:05Z\",\"enabled\":true,"
	    "\"action\":\"allow\",\"duration\":\"always\",\"operator\":"
	    "{\"type\":\"list\",\"operand\":\"list\",\"list\":["
	    "{\"type\":\"simple\",\"operand\":\"dest.port\",\"data\":\"443\"},"
	    "{\"type\":\"network\",\"operand\":\"dest.network\","
	    "\"data\":\"10.0.0.0/8\"}]}}";
	static const char ask[] = "{\"type\":\"ask\",\"id\":17,"
	    "\"timeout_ms\":30000,\"conn\":{\"protocol\":\"tcp\","
	    "\"dst_ip\":\"1.2.3.4\",\"dst_port\":443,\"host\":\"\","
	    "\"process\":null}}";
	struct osui_rule	 r;
	struct osui_ask		 a;
	yajl_val		 v;
	struct jw		 w;
	char			*out;
	size_t			 len;
	int64_t			 ns;
	char			 err[128];

	v = yajl_tree_parse(rule, err, sizeof(err));
	T_CHECK(v != NULL);
	T_EQ_INT(tj_rule(v, &r, err, sizeof(err)), 0);
	T_EQ_INT(r.created, 1767323045);
	T_EQ_INT(r.op.nlist, 2);
	T_EQ_STR(r.op.list[1].operand, "dest.network");
	yajl_tree_free(v);
	jw_init(&w, 65536);
	T_EQ_INT(tj_gen_rule(&w, &r), 0);
	out = jw_take(&w, &len);
	T_CHECK(out != NULL);
	T_CHECK(strstr(out, "\"created\":\"2026-01-02T03:04:05Z\"") != NULL);
	T_CHECK(strstr(out, "\"data\":\"10.0.0.0/8\"") != NULL);
	free(out);
	osui_rule_free(&r);

	v = yajl_tree_parse(ask, err, sizeof(err));
	T_EQ_INT(tj_ask(v, &a, err, sizeof(err)), 0);
	T_EQ_INT(a.id, 17);
	T_EQ_INT(a.timeout_ms, 30000);
	T_EQ_INT(a.conn.has_process, 0);	/* null: unknown */
	T_EQ_STR(a.conn.host, "");
	osui_conn_free(&a.conn);
	yajl_tree_free(v);

	T_EQ_INT(tj_time("2026-11-23T17:38:09.123Z", &ns), 0);
	T_EQ_INT(ns, 1795455489123000000LL);
	T_EQ_INT(tj_time("2026-11-23T18:38:09+01:00", &ns), 0);
	T_EQ_INT(ns, 1795455489000000000LL);
	T_EQ_INT(tj_time("yesterday", &ns), -1);
	T_EQ_INT(tj_time("2026-11-23T17:38:09", &ns), -1);
}

static void
test_addr(void)
{
	struct ui_addr	 a;
	char		 err[256];

	T_EQ_INT(ui_addr_parse("unix:///tmp/osui.sock", &a, err,
	    sizeof(err)), 0);
	T_EQ_STR(a.path, "/tmp/osui.sock");
	T_EQ_INT(ui_addr_parse("unix:/run/user/1000/o.sock", &a, err,
	    sizeof(err)), 0);
	T_EQ_STR(a.path, "/run/user/1000/o.sock");
	T_EQ_INT(ui_addr_parse("127.0.0.1:50051", &a, err, sizeof(err)), 0);
	T_EQ_INT(a.family, AF_INET);
	T_EQ_STR(a.authority, "127.0.0.1:50051");
	T_EQ_INT(ui_addr_parse("[::1]:50051", &a, err, sizeof(err)), 0);
	T_EQ_INT(a.family, AF_INET6);
	T_EQ_INT(ui_addr_parse("127.0.0.1", &a, err, sizeof(err)), -1);
	T_CHECK(strstr(err, "HOST:PORT") != NULL);
	T_EQ_INT(ui_addr_parse("127.0.0.1:http", &a, err, sizeof(err)), -1);
	T_EQ_INT(ui_addr_parse("unix:", &a, err, sizeof(err)), -1);
}

static void
test_stats(void)
{
	struct osui_stats	 s;
	struct osui_event	 e;
	char			 key[16];
	int			 i;

	osui_stats_init(&s);
	osui_tally_add(&s.by[OSUI_BY_HOST], "keep.example");
	osui_tally_add(&s.by[OSUI_BY_HOST], "keep.example");
	for (i = 0; i < 3 * MAX_OSUI_STATS; i++) {
		snprintf(key, sizeof(key), "h%d", i);
		osui_tally_add(&s.by[OSUI_BY_HOST], key);
	}
	T_EQ_INT(s.by[OSUI_BY_HOST].n, MAX_OSUI_STATS);
	T_EQ_STR(s.by[OSUI_BY_HOST].key[0], "keep.example");
	for (i = 0; i < MAX_OSUI_EVENTS + 10; i++) {
		memset(&e, 0, sizeof(e));
		e.conn.protocol = osui_strdup("udp");
		e.verdict = osui_strdup("deny");
		e.unixnano = 5;		/* all in one nanosecond */
		osui_stats_add_event(&s, &e);
	}
	T_EQ_INT(s.nevents, MAX_OSUI_EVENTS);
	T_EQ_INT(s.events[0].unixnano, 5 + 10);
	T_EQ_INT(s.events[MAX_OSUI_EVENTS - 1].unixnano,
	    5 + MAX_OSUI_EVENTS + 9);
	T_EQ_INT(s.by[OSUI_BY_PROTO].hits[0], MAX_OSUI_EVENTS + 10);
	osui_stats_free(&s);
}

static void
test_args(void)
{
	char	 cmd[] = "curl -s https://x/";
	char	 one[] = "a b c d";
	char	*argv[4];

	T_EQ_INT(osui_split_args(cmd, argv, 4), 3);
	T_EQ_STR(argv[2], "https://x/");
	T_EQ_INT(osui_split_args(one, argv, 2), 2);
	T_EQ_STR(argv[1], "b c d");
	T_CHECK(osui_rule_name_ok("allow-curl"));
	T_CHECK(!osui_rule_name_ok("../x"));
	T_CHECK(!osui_rule_name_ok(".hidden"));
	T_CHECK(!osui_rule_name_ok("a\nb"));
	T_CHECK(!osui_rule_name_ok(""));
}

int
main(void)
{
	test_answer();
	test_answer_list();
	test_codec15();
	test_codec16();
	test_notif();
	test_tjson();
	test_addr();
	test_stats();
	test_args();
	return t_done("test_osui");
}
