/*
 * policy-match.c: every operator type on every operand, one rule at a
 * time, against the corpus's default connection with one change; then the
 * load-time refusals with their messages, rule selection, and the
 * deviations D1-D6.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "policy_int.h"
#include "policy_help.h"
#include "t.h"

struct mcase {
	const char	*type;
	const char	*operand;
	const char	*data;
	int		 sensitive;
	const char	*mods;		/* "key=value;..." for the conn */
	int		 want;		/* 1 match, 0 no match, -1 refused */
	const char	*err;		/* substring of the refusal */
};

static char	 mod_store[8][256];
static const char *mod_parents[4];
static struct policy_env mod_env[4];

static void	apply_mods(struct policy_conn *, const char *);
static void	test_table(void);
static void	test_selection(void);
static void	test_refusals(void);
static void	test_deviations(void);
static void	test_user(void);
static void	test_replace_remove(void);
static void	test_durations(void);
static void	test_needs(void);
static void	test_guard(void);
static void	test_shadow(void);
static void	test_cut(void);

/* The operator tables: one line, one operator on one operand. */
static const struct mcase cases[] = {
	/* simple */
	{ "simple", "true", "", 0, "", 1, NULL },
	{ "simple", "true", "whatever", 0, "", 1, NULL },
	{ "simple", "process.path", "/usr/bin/curl", 0, "", 1, NULL },
	{ "simple", "process.path", "/USR/BIN/CURL", 0, "", 1, NULL },
	{ "simple", "process.path", "/USR/BIN/CURL", 1, "", 0, NULL },
	{ "simple", "process.path", "/usr/bin/curl ", 0, "", 0, NULL },
	{ "simple", "process.path", "/opt/\xc3\x84PP", 0,
	    "path=/opt/\xc3\xa4pp", 1, NULL },
	{ "simple", "process.path", "/opt/\xe2\x84\xaa", 0, "path=/opt/k",
	    1, NULL },
	{ "simple", "process.path", "stra\xc3\x9f" "e", 0, "path=STRASSE", 0,
	    NULL },
	{ "simple", "process.id", "4321", 0, "", 1, NULL },
	{ "simple", "process.id", "04321", 0, "", 0, NULL },
	{ "simple", "process.command", "curl -s https://opensnitch.io", 1, "",
	    1, NULL },
	{ "simple", "process.parent.path", "/usr/lib/systemd/systemd", 0, "",
	    1, NULL },
	{ "simple", "process.parent.path", "/usr/bin/curl", 0, "", 0, NULL },
	{ "simple", "process.parent.path", "", 0, "parents=", 0, NULL },
	{ "simple", "process.env.HOME", "/home/alice", 0, "", 1, NULL },
	{ "simple", "process.env.home", "/home/alice", 0, "", 0, NULL },
	{ "simple", "process.env.NOPE", "", 0, "", 1, NULL },
	{ "simple", "process.env.EMPTY", "", 0, "", 1, NULL },
	{ "simple", "process.env. HOME\t", "/home/alice", 0, "", 1, NULL },
	{ "simple", "user.id", "1000", 0, "", 1, NULL },
	{ "simple", "user.id", "0", 0, "uid=0", 1, NULL },
	{ "simple", "user.id", "-1", 0, "uid=-1", 1, NULL },
	{ "simple", "protocol", "TCP", 0, "", 1, NULL },
	{ "simple", "protocol", "TCP", 1, "", 0, NULL },
	{ "simple", "protocol", "tcp", 0, "proto=tcp6", 0, NULL },
	{ "simple", "source.ip", "192.168.1.111", 0, "", 1, NULL },
	{ "simple", "source.port", "50123", 0, "", 1, NULL },
	{ "simple", "dest.ip", "185.53.178.14", 0, "", 1, NULL },
	{ "simple", "dest.ip", "2001:db8::1", 0, "dip=2001:0DB8:0:0::1", 1,
	    NULL },
	{ "simple", "dest.ip", "2001:DB8::1", 0, "dip=2001:db8::1", 1, NULL },
	{ "simple", "dest.ip", "2001:DB8::1", 1, "dip=2001:db8::1", 0, NULL },
	{ "simple", "dest.ip", "2001:db8:0::1", 0, "dip=2001:db8::1", 0,
	    NULL },
	{ "simple", "dest.ip", "10.1.2.3", 0, "dip=::ffff:10.1.2.3", 1, NULL },
	{ "simple", "dest.host", "opensnitch.io", 0, "host=www.opensnitch.io",
	    0, NULL },
	{ "simple", "dest.host", "OpEnsNitCh.io", 1, "host=OpEnsNitCh.io", 1,
	    NULL },
	{ "simple", "dest.host", "", 1, "host=", 1, NULL },
	{ "simple", "dest.port", "443", 0, "", 1, NULL },
	{ "simple", "dest.port", "0443", 0, "", 0, NULL },
	{ "simple", "iface.out", "LO", 0, "iface_out=lo", 1, NULL },
	{ "simple", "iface.in", "", 0, "", 0, NULL },
	{ "simple", "iface.in", "lo", 0, "iface_in=lo", 1, NULL },
	{ "simple", "process.name", "curl", 0, "", 0, NULL },
	{ "simple", "lists.domains", "opensnitch.io", 0, "", 1, NULL },
	{ "simple", "process.hash.md5", "d41d8cd98f00b204e9800998ecf8427e", 0,
	    "md5=d41d8cd98f00b204e9800998ecf8427e", 1, NULL },
	{ "simple", "process.hash.md5", "D41D8CD98F00B204E9800998ECF8427E", 0,
	    "md5=d41d8cd98f00b204e9800998ecf8427e", 0, NULL },
	{ "simple", "process.hash.md5", "d41d8cd98f00b204e9800998ecf8427e", 0,
	    "", 0, NULL },
	{ "simple", "process.hash.sha1", "da39", 0, "", 0, NULL },
	/* regexp */
	{ "regexp", "protocol", "^TCP$", 0, "", 1, NULL },
	{ "regexp", "process.path", "curl", 0, "", 1, NULL },
	{ "regexp", "process.path", "^curl", 0, "", 0, NULL },
	{ "regexp", "process.path", "^/tmp/cUrL$", 1, "path=/tmp/cUrL", 1,
	    NULL },
	{ "regexp", "process.path", "^/tmp/cUrL$", 1, "path=/tmp/curl", 0,
	    NULL },
	{ "regexp", "dest.host", "", 0, "", 1, NULL },
	{ "regexp", "dest.host", "^$", 0, "host=", 1, NULL },
	/* On an empty value the answer comes from load time. */
	{ "regexp", "dest.host", "^a", 0, "host=", 0, NULL },
	{ "regexp", "dest.host", ".*", 0, "host=", 1, NULL },
	{ "regexp", "dest.host", "^(x|y)?$", 0, "host=", 1, NULL },
	{ "regexp", "dest.host", "^(x|y)$", 0, "host=", 0, NULL },
	{ "regexp", "dest.host", "^(x|y)?$", 0, "host=x", 1, NULL },
	{ "regexp", "dest.host", "^(x|y)?$", 0, "host=z", 0, NULL },
	{ "regexp", "process.id", "^\\D+$", 0, "", 1, NULL },
	{ "regexp", "process.id", "^\\D+$", 1, "", 0, NULL },
	{ "regexp", "process.path", "[[:upper:]]", 0, "path=/opt/App", 0,
	    NULL },
	{ "regexp", "process.path", "(?i)^/USR/BIN/CURL$", 1, "", 1, NULL },
	{ "regexp", "process.env.X", "^ab$", 1, "env:X=ab\n", 0, NULL },
	{ "regexp", "process.env.X", "^\\d$", 1, "env:X=\xd9\xa3", 0, NULL },
	{ "regexp", "dest.port", "^44[0-9]$", 0, "", 1, NULL },
	{ "regexp", "process.parent.path", "systemd$", 0, "", 1, NULL },
	{ "regexp", "process.env.LANG", "utf-8$", 0, "", 1, NULL },
	{ "regexp", "dest.ip", "185\\.53\\.178\\..*", 0, "", 1, NULL },
	{ "regexp", "user.name", "^1000$", 0, "", 1, NULL },
	{ "regexp", "process.path", "curl\\Z", 0, "", 1, NULL },
	{ "regexp", "process.path", "\\pL", 1, "", 1, NULL },
	{ "regexp", "iface.out", "", 0, "", 0, NULL },
	{ "regexp", "process.hash.md5", "^d41d", 0,
	    "md5=d41d8cd98f00b204e9800998ecf8427e", 1, NULL },
	{ "regexp", "dest.host", "(^|\\.)telemetry\\.mozilla\\.org$", 0,
	    "host=incoming.TELEMETRY.mozilla.org", 1, NULL },
	{ "regexp", "dest.host", "(^|\\.)telemetry\\.mozilla\\.org$", 0,
	    "host=telemetry.mozilla.org.evil", 0, NULL },
	/* network */
	{ "network", "dest.network", "185.53.178.0/24", 0, "", 1, NULL },
	{ "network", "dest.network", "185.53.178.99/24", 0, "", 1, NULL },
	{ "network", "dest.network", "8.8.8.8/24", 0, "", 0, NULL },
	{ "network", "dest.network", "::/0", 0, "", 0, NULL },
	{ "network", "dest.network", "::/0", 0, "dip=::1", 1, NULL },
	{ "network", "dest.network", "::/0", 0, "dip=::ffff:1.2.3.4", 0, NULL },
	{ "network", "dest.network", "10.0.0.0/8", 0, "dip=::ffff:10.9.8.7", 1,
	    NULL },
	{ "network", "dest.network", "::ffff:10.0.0.0/104", 0, "dip=10.9.8.7",
	    1, NULL },
	{ "network", "dest.network", "::ffff:0:0/96", 0, "", 1, NULL },
	{ "network", "dest.network", "0.0.0.0/0", 0, "dip=2001:db8::1", 0,
	    NULL },
	{ "network", "dest.network", "10.0.0.0/08", 0, "dip=10.1.1.1", 1,
	    NULL },
	{ "network", "dest.network", "LAN", 0, "dip=127.0.0.53", 1, NULL },
	{ "network", "dest.network", "LAN", 0, "dip=fd00::1", 1, NULL },
	{ "network", "dest.network", "LAN", 0, "", 0, NULL },
	{ "network", "dest.network", "MULTICAST", 0, "dip=239.1.2.3", 1,
	    NULL },
	{ "network", "dest.network", "MULTICAST", 0, "dip=ff02::1", 1, NULL },
	{ "network", "dest.network", "2002:dead:beef::/48", 0,
	    "dip=2002:dead:beef::1234", 1, NULL },
	{ "network", "true", "10.0.0.0/8", 0, "", -1,
	    "type network needs operand dest.network" },
	/* range */
	{ "range", "dest.port", "1-5000", 0, "", 1, NULL },
	{ "range", "dest.port", "443-445", 0, "", 1, NULL },
	{ "range", "dest.port", "400-443", 0, "", 1, NULL },
	{ "range", "dest.port", "1-442", 0, "", 0, NULL },
	{ "range", "dest.port", " 443 - 443 ", 0, "", 1, NULL },
	{ "range", "source.port", "49152-65535", 0, "", 1, NULL },
	{ "range", "process.id", "4000-5000", 0, "", 1, NULL },
	{ "range", "user.id", "0-999", 0, "", 0, NULL },
	{ "range", "user.id", "0-0", 0, "uid=-1", 1, NULL },
	{ "range", "user.name", "1000-1000", 0, "", 1, NULL },
	{ "range", "true", "1-2", 0, "", 1, NULL },
	{ "range", "dest.host", "1-10", 0, "", 0, NULL },
	{ "range", "process.name", "0-10", 0, "", 0, NULL },
	{ "range", "dest.port", "0-18446744073709551615", 0, "", 1, NULL },
	/* lists without files loaded: match nothing */
	{ "lists", "lists.domains", "nowhere/", 0, "", 0, NULL },
	{ "lists", "lists.ips", "nowhere/", 0, "", 0, NULL },
	/* refusals */
	{ "Simple", "process.path", "/usr/bin/curl", 0, "", -1,
	    "operator.type: unknown operator type \"Simple\"" },
	{ "", "true", "", 0, "", -1, "unknown operator type \"\"" },
	{ "complex", "true", "", 0, "", -1, "unknown operator type" },
	{ "network", "dest.network", "", 0, "", -1,
	    "operator.data: must not be empty for type network" },
	{ "network", "dest.network", "10.0.0.1", 0, "", -1,
	    "invalid CIDR \"10.0.0.1\"" },
	{ "network", "dest.network", "10.0.0.0/33", 0, "", -1,
	    "invalid CIDR" },
	{ "network", "dest.network", "010.0.0.0/8", 0, "", -1,
	    "invalid CIDR" },
	{ "network", "dest.network", " 10.0.0.0/8", 0, "", -1,
	    "invalid CIDR" },
	{ "network", "dest.network", "lan", 0, "", -1, "aliases are "
	    "case-sensitive" },
	{ "network", "dest.network", "fe80::1%eth0/64", 0, "", -1,
	    "invalid CIDR" },
	{ "network", "dest.ip", "185.53.178.0/24", 0, "", -1,
	    "operator.operand: type network needs operand dest.network, not "
	    "dest.ip" },
	{ "network", "source.network", "10.0.0.0/8", 0, "", -1,
	    "needs operand dest.network" },
	{ "simple", "dest.network", "10.0.0.0/8", 0, "", -1,
	    "dest.network needs type network" },
	{ "regexp", "source.network", "x", 0, "", -1,
	    "source.network needs type network" },
	{ "simple", "lists.ips", "x", 0, "", -1, "lists.ips needs type lists" },
	{ "range", "lists.nets", "1-2", 0, "", -1, "needs type lists" },
	{ "simple", "list", "", 0, "", -1, "operand list needs type list" },
	{ "range", "dest.port", "-80", 0, "", -1, "range \"-80\"" },
	{ "range", "dest.port", "53-", 0, "", -1, "decimal numbers" },
	{ "range", "dest.port", "443", 0, "", -1, "is not \"min-max\"" },
	{ "range", "dest.port", "1-2-3", 0, "", -1, "is not \"min-max\"" },
	{ "range", "dest.port", "89-80", 0, "", -1, "min is greater than max" },
	{ "range", "dest.port", "0x1-0x2", 0, "", -1, "decimal numbers" },
	{ "range", "dest.port", "1-\t500", 0, "", -1, "decimal numbers" },
	{ "range", "dest.port", "+1-2", 0, "", -1, "decimal numbers" },
	{ "range", "dest.port", "1-18446744073709551616", 0, "", -1,
	    "decimal numbers" },
	{ "range", "dest.port", "", 0, "", -1, "must not be empty" },
	{ "range", "dest.host", "0-10", 0, "", -1, "(D4)" },
	{ "range", "process.env.X", "0-1", 0, "", -1, "(D4)" },
	{ "regexp", "process.path", "/opt/((.*)google", 0, "", -1,
	    "operator.data: invalid regexp: error parsing regexp: missing "
	    "closing ): `/opt/((.*)google`" },
	{ "regexp", "process.path", "(a)\\1", 0, "", -1,
	    "invalid escape sequence" },
	{ "regexp", "process.path", "foo(?=bar)", 0, "", -1,
	    "invalid or unsupported Perl syntax" },
	{ "regexp", "process.path", "^\\pL+$", 0, "", -1,
	    "the pattern was lowercased first; it is valid as written" },
	{ "regexp", "process.path", "\\Q/usr\\E", 0, "", -1,
	    "the pattern was lowercased first" },
	{ "regexp", "process.path", "curl\\Z", 1, "", -1,
	    "invalid escape sequence: `\\Z`" },
	{ "lists", "lists.domains", "", 0, "", -1,
	    "operator.data: must not be empty for type lists" },
	{ "lists", "lists.hosts", "lists/", 0, "", -1,
	    "operator.operand: unknown lists operand lists.hosts" },
	{ "lists", "true", "", 0, "", -1, "unknown lists operand true" },
	{ "list", "list", "", 0, "", -1, "operator.list: an empty or null list "
	    "is refused (D2" },
	{ "simple", "user.name", "no-such-user-osn-test", 0, "", -1,
	    "operator.data: unknown user \"no-such-user-osn-test\"" },
};

/* Sets connection fields from "key=value;key=value". */
static void
apply_mods(struct policy_conn *c, const char *mods)
{
	char	buf[1024], *s, *k, *v, *save = NULL;
	int	n = 0, np = 0, ne = 0;

	snprintf(buf, sizeof(buf), "%s", mods);
	for (s = strtok_r(buf, ";", &save); s != NULL;
	    s = strtok_r(NULL, ";", &save)) {
		k = s;
		if ((v = strchr(s, '=')) == NULL)
			continue;
		*v++ = '\0';
		snprintf(mod_store[n], sizeof(mod_store[n]), "%s", v);
		v = mod_store[n++];
		if (strcmp(k, "path") == 0)
			c->path = v;
		else if (strcmp(k, "host") == 0)
			c->host = v;
		else if (strcmp(k, "dip") == 0)
			T_EQ_INT(policy_ip_parse(v, &c->dst), 0);
		else if (strcmp(k, "md5") == 0)
			c->md5 = v;
		else if (strcmp(k, "uid") == 0)
			c->uid = atoi(v);
		else if (strcmp(k, "proto") == 0)
			c->proto = v;
		else if (strcmp(k, "iface_out") == 0)
			c->iface_out = v;
		else if (strcmp(k, "iface_in") == 0)
			c->iface_in = v;
		else if (strcmp(k, "parents") == 0) {
			if (v[0] != '\0')
				mod_parents[np++] = v;
			c->parents = mod_parents;
			c->nparents = (size_t)np;
		} else if (strncmp(k, "env:", 4) == 0) {
			mod_env[ne].name = k + 4;
			mod_env[ne].value = v;
			snprintf(mod_store[n], sizeof(mod_store[n]), "%s",
			    k + 4);
			mod_env[ne].name = mod_store[n++];
			c->env = mod_env;
			c->nenv = (size_t)++ne;
		}
	}
}

static void
test_table(void)
{
	struct policy		*p;
	struct policy_conn	 c;
	char			 rule[RULEBUF];
	const char		*e, *v;
	size_t			 i;
	int			 bad;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = ph_new();
		ph_rule(rule, sizeof(rule), "r", "allow", cases[i].type,
		    cases[i].operand, cases[i].data, cases[i].sensitive);
		e = ph_load(p, "0000.json", rule);
		ph_conn(&c);
		apply_mods(&c, cases[i].mods);
		bad = 0;
		if (cases[i].want == -1) {
			bad = e[0] == '\0' || strstr(e, cases[i].err) == NULL;
			T_CHECK(!bad);
		} else {
			v = ph_eval(p, &c);
			bad = e[0] != '\0' || strcmp(v, cases[i].want ?
			    "allow:r" : "prompt-or-default:-") != 0;
			T_CHECK(!bad);
		}
		if (bad)
			fprintf(stderr, "case %zu: %s %s %s: load \"%s\"\n", i,
			    cases[i].type, cases[i].operand, cases[i].data, e);
		policy_free(p);
	}
}

/* Rule order, terminal actions, precedence, the last allow. */
static void
test_selection(void)
{
	struct policy		*p;
	struct policy_conn	 c;
	char			 r[RULEBUF], op[512];

	ph_conn(&c);
	p = ph_new();
	ph_load(p, "a.json", ph_rule(r, sizeof(r), "9-allow", "allow",
	    "simple", "true", "", 0));
	ph_load(p, "b.json", ph_rule(r, sizeof(r), "10-allow", "allow",
	    "simple", "true", "", 0));
	T_EQ_STR(ph_eval(p, &c), "allow:9-allow");
	ph_load(p, "c.json", ph_rule(r, sizeof(r), "Z-deny", "deny",
	    "simple", "true", "", 0));
	T_EQ_STR(ph_eval(p, &c), "deny:Z-deny");
	ph_load(p, "d.json", ph_rule(r, sizeof(r), "A-reject", "reject",
	    "simple", "dest.port", "443", 0));
	T_EQ_STR(ph_eval(p, &c), "reject:A-reject");
	ph_load(p, "e.json", ph_rule_op(r, sizeof(r), "-prio", "allow",
	    ph_op(op, sizeof(op), "simple", "true", "", 0),
	    "\"precedence\":true"));
	T_EQ_STR(ph_eval(p, &c), "allow:-prio");
	/* Disabled rules never decide. */
	ph_load(p, "f.json", "{\"name\":\"\",\"action\":\"deny\","
	    "\"operator\":{\"type\":\"simple\",\"operand\":\"true\"}}");
	T_EQ_STR(ph_eval(p, &c), "allow:-prio");
	T_EQ_INT(policy_rule_count(p), 6);
	T_EQ_STR(policy_rule_name(p, 0), "");
	T_EQ_STR(policy_rule_name(p, 1), "-prio");
	T_EQ_STR(policy_rule_name(p, 2), "10-allow");
	T_EQ_STR(policy_rule_name(p, 3), "9-allow");
	T_EQ_STR(policy_rule_name(p, 4), "A-reject");
	T_EQ_STR(policy_rule_name(p, 5), "Z-deny");
	T_EQ_INT(policy_rule_enabled(p, 0), 0);
	policy_free(p);

	/* A matching non-precedence allow does not stop a later deny. */
	p = ph_new();
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "000-allow-chrome",
	    "allow", "simple", "process.path", "/usr/bin/curl", 0));
	ph_load(p, "2.json", ph_rule(r, sizeof(r), "001-deny-chrome",
	    "deny", "simple", "process.path", "/usr/bin/curl", 0));
	T_EQ_STR(ph_eval(p, &c), "deny:001-deny-chrome");
	/* nolog is reported, and changes nothing. */
	ph_load(p, "2.json", ph_rule_op(r, sizeof(r), "001-deny-chrome",
	    "deny", ph_op(op, sizeof(op), "simple", "true", "", 0),
	    "\"nolog\":true"));
	T_EQ_STR(ph_eval(p, &c), "deny:001-deny-chrome");
	policy_free(p);

	/* A list is an AND; each child has its own case sensitivity. */
	p = ph_new();
	T_EQ_STR(ph_load(p, "l.json", "{\"name\":\"l\",\"action\":\"allow\","
	    "\"enabled\":true,\"operator\":{\"type\":\"list\",\"operand\":"
	    "\"dest.host\",\"sensitive\":true,\"list\":["
	    "{\"type\":\"simple\",\"operand\":\"process.path\",\"data\":"
	    "\"/USR/BIN/CURL\"},"
	    "{\"type\":\"network\",\"operand\":\"dest.network\",\"data\":"
	    "\"185.53.178.0/24\"},"
	    "{\"type\":\"range\",\"operand\":\"dest.port\",\"data\":"
	    "\"1-1024\"},{\"type\":\"simple\",\"operand\":\"true\"}]}}"), "");
	T_EQ_STR(ph_eval(p, &c), "allow:l");
	c.dport = 8080;
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	policy_free(p);
}

/* Refusals that depend on the whole rule, and what stays in force. */
static void
test_refusals(void)
{
	struct policy		*p;
	struct policy_conn	 c;
	char			 r[RULEBUF];

	ph_conn(&c);
	p = ph_new();
	T_EQ_STR(ph_load(p, "0000.json", ph_rule(r, sizeof(r), "x", "deny",
	    "simple", "true", "", 0)), "");
	/* A broken edit of the same file keeps the old rule. */
	T_EQ_STR(ph_load(p, "0000.json", "{\"name\":\"x\",\"enabled\":true,"
	    "\"action\":\"allow\",\"operator\":{\"type\":\"network\","
	    "\"operand\":\"dest.network\",\"data\":\"10.0.0/8\"}}"),
	    "0000.json (rule \"x\"): operator.data: invalid CIDR \"10.0.0/8\" "
	    "(and not an alias such as LAN or MULTICAST; aliases are "
	    "case-sensitive)");
	T_EQ_STR(ph_eval(p, &c), "deny:x");
	/* A list inside a list, and a bad child, refuse the rule. */
	T_CHECK(strstr(ph_load(p, "0001.json", "{\"name\":\"n\",\"enabled\":"
	    "true,\"operator\":{\"type\":\"list\",\"list\":[{\"type\":\"list\","
	    "\"list\":[{\"type\":\"simple\",\"operand\":\"true\"}]}]}}"),
	    "operator.list[0].type: a list inside a list is refused") != NULL);
	T_CHECK(strstr(ph_load(p, "0002.json", "{\"name\":\"n\",\"enabled\":"
	    "true,\"operator\":{\"type\":\"list\",\"list\":["
	    "{\"type\":\"simple\","
	    "\"operand\":\"true\"},{\"type\":\"regexp\",\"operand\":"
	    "\"process.path\",\"data\":\"^(/di(rmngr)$\"}]}}"),
	    "operator.list[1].data: invalid regexp") != NULL);
	/* Disabled rules are not compiled: they load. */
	T_EQ_STR(ph_load(p, "0003.json", "{\"name\":\"d\",\"enabled\":false,"
	    "\"operator\":{\"type\":\"network\",\"operand\":\"dest.network\","
	    "\"data\":\"nope\"}}"), "");
	T_EQ_INT(policy_rule_count(p), 2);
	policy_free(p);
}

static void
test_deviations(void)
{
	struct policy		*p;
	struct policy_conn	 c;
	char			 r[RULEBUF];

	ph_conn(&c);
	/* D1: "DENY" is deny and terminal; "drop" is a terminal deny. */
	p = ph_new();
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "a", "DENY", "simple",
	    "true", "", 0));
	ph_load(p, "2.json", ph_rule(r, sizeof(r), "b", "allow", "simple",
	    "true", "", 0));
	T_EQ_STR(ph_eval(p, &c), "deny:a");
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "a", "drop", "simple",
	    "true", "", 0));
	T_EQ_STR(ph_eval(p, &c), "deny:a");
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "a", "Allow", "simple",
	    "true", "", 0));
	T_EQ_STR(ph_eval(p, &c), "allow:b");
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "a", "Reject", "simple",
	    "true", "", 0));
	T_EQ_STR(ph_eval(p, &c), "reject:a");
	policy_free(p);

	/* D2: empty and null lists refused. */
	p = ph_new();
	T_CHECK(strstr(ph_load(p, "1.json", "{\"name\":\"e\",\"enabled\":"
	    "true,\"operator\":{\"type\":\"list\",\"operand\":\"list\","
	    "\"list\":null}}"), "(D2") != NULL);
	/* D3: the legacy list in data, enabled or not. */
	T_EQ_STR(ph_load(p, "2.json", "{\"name\":\"l\",\"enabled\":true,"
	    "\"action\":\"deny\",\"operator\":{\"type\":\"list\",\"operand\":"
	    "\"list\",\"list\":[],\"data\":\"[{\\\"type\\\": \\\"simple\\\", "
	    "\\\"operand\\\": \\\"dest.port\\\", \\\"data\\\": "
	    "\\\"443\\\"}]\"}}"),
	    "");
	T_EQ_STR(ph_eval(p, &c), "deny:l");
	c.dport = 22;
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	T_CHECK(strstr(ph_load(p, "3.json", "{\"name\":\"m\",\"enabled\":"
	    "false,\"operator\":{\"type\":\"list\",\"data\":\"[{\"}}"),
	    "operator.data: the legacy list in data is not JSON") != NULL);
	T_CHECK(strstr(ph_load(p, "3.json", "{\"name\":\"m\",\"enabled\":"
	    "false,\"operator\":{\"type\":\"list\",\"data\":\"{}\"}}"),
	    "operator.data: expected an array of operators, got object") !=
	    NULL);
	policy_free(p);

	/* D5: md5 compared whatever the checksums option; unknown: no
	 * allow (test_cut: every deny). */
	p = ph_new();
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "h", "allow", "simple",
	    "process.hash.md5", "d41d8cd98f00b204e9800998ecf8427e", 0));
	ph_conn(&c);
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	c.md5 = "0cc175b9c0f1b6a831c399e269772661";
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	c.md5 = "d41d8cd98f00b204e9800998ecf8427e";
	T_EQ_STR(ph_eval(p, &c), "allow:h");
	policy_free(p);

	/* D6: ::1 is LAN. */
	p = ph_new();
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "lan", "allow", "network",
	    "dest.network", "LAN", 0));
	T_EQ_INT(policy_ip_parse("::1", &c.dst), 0);
	T_EQ_STR(ph_eval(p, &c), "allow:lan");
	policy_free(p);
}

static void
test_user(void)
{
	struct policy		*p;
	struct policy_conn	 c;
	struct policy_opts	 o;
	char			 r[RULEBUF];

	ph_conn(&c);
	p = ph_new();
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "u", "allow", "simple",
	    "user.name", "root", 0));
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	c.uid = 0;
	T_EQ_STR(ph_eval(p, &c), "allow:u");
	policy_free(p);
	/* Without a user database, user.name rules cannot load. */
	memset(&o, 0, sizeof(o));
	p = policy_new(&o);
	T_CHECK(strstr(ph_load(p, "1.json", r), "no user database") != NULL);
	policy_free(p);
}

static void
test_replace_remove(void)
{
	struct policy		*p;
	struct policy_conn	 c;
	char			 r[RULEBUF];

	ph_conn(&c);
	p = ph_new();
	ph_load(p, "a.json", ph_rule(r, sizeof(r), "one", "deny", "simple",
	    "true", "", 0));
	ph_load(p, "b.json", ph_rule(r, sizeof(r), "two", "allow", "simple",
	    "true", "", 0));
	T_EQ_STR(ph_eval(p, &c), "deny:one");
	/* a.json now names another rule: "one" goes. */
	ph_load(p, "a.json", ph_rule(r, sizeof(r), "three", "allow",
	    "simple", "true", "", 0));
	T_EQ_INT(policy_rule_count(p), 2);
	T_EQ_STR(ph_eval(p, &c), "allow:two");
	/* A later file with the same name replaces it. */
	ph_load(p, "c.json", ph_rule(r, sizeof(r), "two", "deny", "simple",
	    "true", "", 0));
	T_EQ_STR(ph_eval(p, &c), "deny:two");
	T_EQ_STR(policy_rule_file(p, 1), "c.json");
	T_EQ_INT(policy_remove_file(p, "b.json"), 0);
	T_EQ_INT(policy_remove_file(p, "c.json"), 1);
	T_EQ_STR(ph_eval(p, &c), "allow:three");
	T_EQ_INT(policy_remove_rule(p, "three"), 1);
	T_EQ_INT(policy_remove_rule(p, "three"), 0);
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	T_EQ_INT(policy_rule_count(p), 0);
	/* A rule from no file (a prompt answer). */
	T_EQ_INT(policy_load_rule(p, NULL, r, strlen(r), 0, NULL), 0);
	T_EQ_STR(policy_rule_file(p, 0), NULL);
	policy_free(p);
}

static void
test_durations(void)
{
	struct policy	*p;
	char		 r[RULEBUF], op[512], ex[128];
	const char	*d[] = { "30s", "1h30m", "1.5h", "500ms", "once",
	    "until restart", "always", "bogus", "" };
	int64_t		 want[] = { 30000, 5400000, 5400000, 500,
	    INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX };
	size_t		 i;

	ph_op(op, sizeof(op), "simple", "true", "", 0);
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		p = ph_new();
		snprintf(ex, sizeof(ex), "\"duration\":\"%s\"", d[i]);
		/* The later duration key wins (Go: last duplicate). */
		ph_rule_op(r, sizeof(r), "t", "deny", op, ex);
		T_EQ_INT(policy_load_rule(p, "t.json", r, strlen(r), 1000,
		    NULL), 0);
		T_EQ_INT(policy_next_expiry(p), want[i] == INT64_MAX ?
		    INT64_MAX : 1000 + want[i]);
		if (want[i] != INT64_MAX) {
			T_EQ_INT(policy_expire(p, 1000 + want[i] - 1), 0);
			T_EQ_INT(policy_rule_count(p), 1);
			T_EQ_INT(policy_expire(p, 1000 + want[i]), 1);
			T_EQ_INT(policy_rule_count(p), 0);
		}
		policy_free(p);
	}
}

static void
test_needs(void)
{
	struct policy	*p;
	char		 r[RULEBUF];

	p = ph_new();
	T_EQ_INT(policy_needs(p), 0);
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "a", "deny", "simple",
	    "process.env.HOME", "/x", 0));
	ph_load(p, "2.json", "{\"name\":\"b\",\"enabled\":true,\"operator\":"
	    "{\"type\":\"list\",\"list\":[{\"type\":\"regexp\",\"operand\":"
	    "\"process.parent.path\",\"data\":\"x\"},{\"type\":\"lists\","
	    "\"operand\":\"lists.hash.md5\",\"data\":\"md5/\"},{\"type\":"
	    "\"simple\",\"operand\":\"process.env.PATH\",\"data\":\"\"}]}}");
	ph_load(p, "3.json", "{\"name\":\"c\",\"enabled\":false,\"operator\":"
	    "{\"type\":\"simple\",\"operand\":\"dest.host\",\"data\":\"x\"}}");
	T_EQ_INT(policy_needs(p), POLICY_NEED_ENV | POLICY_NEED_PARENTS |
	    POLICY_NEED_MD5);
	T_EQ_INT(policy_env_count(p), 2);
	T_EQ_STR(policy_env_name(p, 0), "HOME");
	T_EQ_STR(policy_env_name(p, 1), "PATH");
	T_EQ_INT(policy_list_dir_count(p), 1);
	T_EQ_STR(policy_list_dir(p, 0), "md5/");
	T_EQ_INT(policy_list_dir_loaded(p, 0), 0);
	T_EQ_INT(policy_list_load(p, "md5/", NULL, 0, NULL), 0);
	T_EQ_INT(policy_list_dir_loaded(p, 0), 1);
	policy_remove_rule(p, "b");
	T_EQ_INT(policy_list_dir_count(p), 0);
	T_EQ_INT(policy_needs(p), POLICY_NEED_ENV);
	policy_free(p);
}

static uint32_t	grng = 12345;

static uint32_t
gnext(void)
{
	grng = grng * 1664525 + 1013904223;
	return grng >> 8;
}

#define PICK(a)	((a)[gnext() % (sizeof(a) / sizeof((a)[0]))])

/*
 * The guard index changes no verdict: random rule sets over a small pool
 * of values, random connections from the same pool, evaluated with and
 * without it.
 */
static void
test_guard(void)
{
	static const char *const paths[] = {
		"/usr/bin/curl", "/USR/BIN/CURL", "/usr/bin/wget",
		"/opt/\u00c4pp", "/opt/\u00e4PP", "/opt/\u212a", "/opt/k"
	};
	static const char *const cpaths[] = {
		"/usr/bin/curl", "/usr/bin/wget", "/opt/\xc3\xa4pp",
		"/opt/\xc3\x84PP", "/opt/K", "/opt/\xe2\x84\xaa", "/x"
	};
	static const char *const hosts[] = {
		"opensnitch.io", "OpenSnitch.IO", "example.com", ""
	};
	static const char *const ports[] = { "443", "53", "0443", "22" };
	static const char *const ops[] = {
		"simple", "simple", "simple", "regexp", "range", "list"
	};
	static const char *const acts[] = { "allow", "deny", "reject" };
	struct policy		*g, *n;
	struct policy_conn	 c;
	char			 r[RULEBUF], op[RULEBUF / 2], k[RULEBUF / 8];
	char			 name[32], ex[64], cp[64];
	const char		*type, *a, *b;
	int			 set, i, j, bad = 0;
	int			 allows = 0, denies = 0, nones = 0;

	for (set = 0; set < 150; set++) {
		g = ph_new();
		n = ph_new();
		n->noguard = 1;
		for (i = 0; i < 12; i++) {
			type = PICK(ops);
			snprintf(name, sizeof(name), "r%02u", gnext() % 100);
			snprintf(ex, sizeof(ex), "\"precedence\":%s",
			    gnext() % 4 == 0 ? "true" : "false");
			switch (gnext() % 5) {
			case 0:
				ph_op(op, sizeof(op), type, "dest.host",
				    PICK(hosts), gnext() % 2);
				break;
			case 1:
				ph_op(op, sizeof(op), type, "dest.port",
				    strcmp(type, "range") == 0 ? "400-500" :
				    PICK(ports), gnext() % 2);
				break;
			case 2:
				ph_op(op, sizeof(op), "simple", "user.name",
				    gnext() % 2 ? "root" : "alice", 0);
				break;
			default:
				ph_op(op, sizeof(op), strcmp(type, "range") ?
				    type : "simple", "process.path",
				    PICK(paths), gnext() % 2);
				break;
			}
			if (strcmp(type, "list") == 0) {
				ph_op(k, sizeof(k), "simple", "dest.port",
				    PICK(ports), 0);
				ph_jstr(cp, sizeof(cp), PICK(paths));
				snprintf(op, sizeof(op), "{\"type\":\"list\","
				    "\"list\":[%s,{\"type\":\"simple\","
				    "\"operand\":\"process.path\",\"data\":"
				    "%s}]}", k, cp);
			}
			ph_rule_op(r, sizeof(r), name, PICK(acts), op, ex);
			snprintf(cp, sizeof(cp), "%d.json", i);
			a = ph_load(g, cp, r);
			b = ph_load(n, cp, r);
			T_CHECK(strcmp(a, b) == 0);
		}
		for (j = 0; j < 200; j++) {
			ph_conn(&c);
			snprintf(cp, sizeof(cp), "%s", PICK(cpaths));
			c.path = cp;
			c.host = PICK(hosts);
			c.dport = (uint16_t)atoi(PICK(ports));
			c.uid = gnext() % 2 ? 0 : 1000;
			a = ph_eval(g, &c);
			snprintf(k, sizeof(k), "%s", a);
			b = ph_eval(n, &c);
			allows += strncmp(b, "allow", 5) == 0;
			denies += strncmp(b, "deny", 4) == 0;
			nones += strncmp(b, "prompt", 6) == 0;
			if (strcmp(k, b) != 0 && bad++ < 5)
				fprintf(stderr, "guard: %s vs %s (%s %s)\n", k,
				    b, c.path, c.host);
		}
		T_CHECK(g->gmask != 0 && n->gmask == 0);
		policy_free(g);
		policy_free(n);
	}
	T_EQ_INT(bad, 0);
	T_CHECK(allows > 100 && denies > 100 && nones > 100);
}

static void
shadow_diag(const struct policy_diag *d, void *arg)
{
	int	*n = arg;

	if (strcmp(d->code, "shadowed") == 0 && d->rule != NULL &&
	    strcmp(d->rule, "r") == 0)
		(*n)++;
}

/* Does an earlier terminal rule s make the later rule r never decide? */
static int
shadowed(const char *sact, const char *sop, const char *rop)
{
	struct policy	*p = ph_new();
	char		 b[RULEBUF];
	int		 n = 0;

	ph_rule_op(b, sizeof(b), "a", sact, sop, strcmp(sact, "allow") == 0 ?
	    "\"precedence\":true" : NULL);
	T_EQ_STR(ph_load(p, "a.json", b), "");
	ph_rule_op(b, sizeof(b), "r", "allow", rop, NULL);
	T_EQ_STR(ph_load(p, "r.json", b), "");
	policy_lint(p, shadow_diag, &n);
	policy_free(p);
	return n;
}

static void
test_shadow(void)
{
#define OP(i, t, o, d, s)	ph_op(x[i], sizeof(x[0]), t, o, d, s)
	static char	x[4][RULEBUF / 4];
	char		l[RULEBUF / 2];

	T_EQ_INT(shadowed("deny", OP(0, "simple", "true", "", 0),
	    OP(1, "simple", "dest.port", "22", 0)), 1);
	T_EQ_INT(shadowed("deny", OP(0, "simple", "dest.port", "443", 0),
	    OP(1, "simple", "dest.port", "22", 0)), 0);
	snprintf(l, sizeof(l), "{\"type\":\"list\",\"list\":[%s,%s]}",
	    OP(2, "simple", "process.path", "/usr/bin/curl", 1),
	    OP(3, "simple", "dest.port", "443", 0));
	T_EQ_INT(shadowed("reject", OP(0, "simple", "dest.port", "443", 0),
	    l), 1);
	T_EQ_INT(shadowed("deny", OP(0, "simple", "process.path",
	    "/USR/bin/curl", 0), l), 1);
	T_EQ_INT(shadowed("deny", OP(0, "simple", "process.path",
	    "/USR/bin/curl", 1), l), 0);
	T_EQ_INT(shadowed("deny", OP(0, "network", "dest.network",
	    "10.0.0.0/8", 0), OP(1, "network", "dest.network", "10.1.0.0/16",
	    0)), 1);
	T_EQ_INT(shadowed("deny", OP(0, "network", "dest.network",
	    "10.1.0.0/16", 0), OP(1, "network", "dest.network", "10.0.0.0/8",
	    0)), 0);
	T_EQ_INT(shadowed("deny", OP(0, "network", "dest.network", "LAN", 0),
	    OP(1, "simple", "dest.ip", "192.168.1.1", 0)), 1);
	T_EQ_INT(shadowed("deny", OP(0, "range", "dest.port", "1-1024", 0),
	    OP(1, "simple", "dest.port", "443", 0)), 1);
	T_EQ_INT(shadowed("deny", OP(0, "range", "dest.port", "1-1024", 0),
	    OP(1, "simple", "dest.port", "8080", 0)), 0);
	T_EQ_INT(shadowed("deny", OP(0, "range", "dest.port", "1-1024", 0),
	    OP(1, "range", "dest.port", "80-90", 0)), 1);
	T_EQ_INT(shadowed("deny", OP(0, "regexp", "dest.host", "example\\.com$",
	    0), OP(1, "simple", "dest.host", "www.example.com", 1)), 1);
	T_EQ_INT(shadowed("deny", OP(0, "regexp", "dest.host", "example\\.com$",
	    0), OP(1, "simple", "dest.host", "www.example.org", 1)), 0);
	T_EQ_INT(shadowed("deny", OP(0, "regexp", "dest.host", "example\\.com$",
	    0), OP(1, "simple", "dest.host", "www.example.com", 0)), 0);
	T_EQ_INT(shadowed("allow", OP(0, "simple", "user.id", "0", 0),
	    OP(1, "simple", "user.name", "root", 0)), 1);
	T_EQ_INT(shadowed("deny", OP(0, "lists", "lists.domains", "L/", 0),
	    OP(1, "lists", "lists.domains", "L/", 0)), 1);
	T_EQ_INT(shadowed("deny", OP(0, "lists", "lists.domains", "L/", 0),
	    OP(1, "lists", "lists.domains", "M/", 0)), 0);
	T_EQ_INT(shadowed("deny", OP(0, "simple", "process.env.A", "x", 0),
	    OP(1, "simple", "process.env.B", "x", 0)), 0);
#undef OP
}

/*
 * Attributes attribution had to cut: past the cut the text is unknown,
 * so a deny or reject rule on it matches and an allow rule does not.
 */
static void
test_cut(void)
{
	struct policy		*p;
	struct policy_conn	 c;
	char			 r[RULEBUF];

	ph_conn(&c);
	p = ph_new();
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "1-allow-curl", "allow",
	    "simple", "process.path", "/usr/bin/curl", 0));
	ph_load(p, "2.json", ph_rule(r, sizeof(r), "2-deny-evil", "deny",
	    "regexp", "process.command", "evil\\.example", 0));
	T_EQ_STR(ph_eval(p, &c), "allow:1-allow-curl");
	/* The words the deny rule looks for may lie past the cut. */
	c.command_cut = 1;
	T_EQ_STR(ph_eval(p, &c), "deny:2-deny-evil");
	/* An exact (indexed) deny rule too. */
	ph_load(p, "2.json", ph_rule(r, sizeof(r), "2-deny-evil", "deny",
	    "simple", "process.command", "curl evil.example", 0));
	T_EQ_STR(ph_eval(p, &c), "deny:2-deny-evil");
	c.command_cut = 0;
	T_EQ_STR(ph_eval(p, &c), "allow:1-allow-curl");
	policy_free(p);

	/* An allow rule on the command line cannot match a prefix. */
	ph_conn(&c);
	p = ph_new();
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "1-allow-cmd", "allow",
	    "simple", "process.command", "curl -s https://opensnitch.io", 0));
	T_EQ_STR(ph_eval(p, &c), "allow:1-allow-cmd");
	c.command_cut = 1;
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	c.command_cut = 0;
	/* Parents and environment: attrs_cut. */
	ph_load(p, "2.json", ph_rule(r, sizeof(r), "2-deny-parent", "deny",
	    "simple", "process.parent.path", "/usr/bin/evil", 0));
	ph_load(p, "3.json", ph_rule(r, sizeof(r), "3-allow-env", "allow",
	    "simple", "process.env.HOME", "/home/alice", 0));
	T_EQ_STR(ph_eval(p, &c), "allow:3-allow-env");
	c.attrs_cut = 1;
	T_EQ_STR(ph_eval(p, &c), "deny:2-deny-parent");
	policy_remove_file(p, "2.json");
	T_EQ_STR(ph_eval(p, &c), "allow:1-allow-cmd");
	c.command_cut = 1;
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	policy_free(p);

	/*
	 * Issue 15 items 1 and 7: a path that is not the host's and an
	 * unknown hash are unknown the same way.
	 */
	ph_conn(&c);
	p = ph_new();
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "1-allow-curl", "allow",
	    "simple", "process.path", "/usr/bin/curl", 0));
	T_EQ_STR(ph_eval(p, &c), "allow:1-allow-curl");
	c.path_unsure = 1;
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	/* A deny rule on another path (indexed, so not a candidate by
	 * its text): it matches. */
	ph_load(p, "2.json", ph_rule(r, sizeof(r), "2-deny-python", "deny",
	    "simple", "process.path", "/usr/bin/python3", 0));
	T_EQ_STR(ph_eval(p, &c), "deny:2-deny-python");
	c.path_unsure = 0;
	T_EQ_STR(ph_eval(p, &c), "allow:1-allow-curl");
	policy_remove_file(p, "2.json");
	ph_load(p, "3.json", ph_rule(r, sizeof(r), "3-deny-md5", "deny",
	    "simple", "process.hash.md5", "d41d8cd98f00b204e9800998ecf8427e",
	    0));
	ph_load(p, "4.json", ph_rule(r, sizeof(r), "4-deny-sha1", "reject",
	    "simple", "process.hash.sha1",
	    "da39a3ee5e6b4b0d3255bfef95601890afd80709", 0));
	c.md5 = "0cc175b9c0f1b6a831c399e269772661";
	c.sha1 = "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8";
	T_EQ_STR(ph_eval(p, &c), "allow:1-allow-curl");
	c.md5 = NULL;
	T_EQ_STR(ph_eval(p, &c), "deny:3-deny-md5");
	c.md5 = "0cc175b9c0f1b6a831c399e269772661";
	c.sha1 = "";
	T_EQ_STR(ph_eval(p, &c), "reject:4-deny-sha1");
	c.sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
	T_EQ_STR(ph_eval(p, &c), "reject:4-deny-sha1");
	policy_free(p);
	/* An allow rule on an unknown hash never matches. */
	ph_conn(&c);
	p = ph_new();
	ph_load(p, "1.json", ph_rule(r, sizeof(r), "1-allow-sha1", "allow",
	    "simple", "process.hash.sha1",
	    "da39a3ee5e6b4b0d3255bfef95601890afd80709", 0));
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	c.sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
	T_EQ_STR(ph_eval(p, &c), "allow:1-allow-sha1");
	policy_free(p);
}

int
main(void)
{
	test_table();
	test_selection();
	test_refusals();
	test_deviations();
	test_user();
	test_replace_remove();
	test_durations();
	test_needs();
	test_guard();
	test_shadow();
	test_cut();
	return t_done("policy-match");
}
