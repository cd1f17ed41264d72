/*
 * policy-lists.c: the lists.* operators with their files handed in:
 * hosts-file lines, wildcards and globs, regexps, addresses and networks,
 * md5 keys; which files are read; D7 and D8; the notes lint gets.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "policy_help.h"
#include "t.h"

static void	test_domains(void);
static void	test_regexp(void);
static void	test_ips(void);
static void	test_md5(void);
static void	test_files(void);
static void	test_notes(void);
static void	test_reload(void);

/*
 * A policy with one lists rule on dir "L/" of the kind operand, the file
 * "f.txt" holding text; returns whether host (or, for ips, dest ip; for
 * md5, the md5) matches.
 */
static int
lmatch(const char *operand, int sensitive, const char *text, const char *v)
{
	struct policy		*p = ph_new();
	struct policy_conn	 c;
	struct policy_list_file	 f;
	struct policy_result	 r;
	char			 rule[RULEBUF];
	int			 m;

	ph_rule(rule, sizeof(rule), "r", "allow", "lists", operand, "L/",
	    sensitive);
	if (strcmp(ph_load(p, "r.json", rule), "") != 0) {
		policy_free(p);
		return -1;
	}
	f.name = "f.txt";
	f.data = text;
	f.len = strlen(text);
	T_EQ_INT(policy_list_load(p, "L/", &f, 1, NULL), 0);
	ph_conn(&c);
	if (strcmp(operand, "lists.ips") == 0 ||
	    strcmp(operand, "lists.nets") == 0)
		T_EQ_INT(policy_ip_parse(v, &c.dst), 0);
	else if (strcmp(operand, "lists.hash.md5") == 0)
		c.md5 = v;
	else
		c.host = v;
	T_EQ_INT(policy_match(p, &c, &r), 0);
	m = r.verdict == POLICY_ALLOW;
	policy_free(p);
	return m;
}

#define D(text, host)		lmatch("lists.domains", 0, (text), (host))
#define DS(text, host)		lmatch("lists.domains", 1, (text), (host))

static void
test_domains(void)
{
	const char *td = "# this line must be ignored, 0.0.0.0 www.test.org\n"
	    "0.0.0.0 www.test.org\n127.0.0.1 www.test.org\n"
	    "0.0.0.0 opensnitch.io\n";

	T_EQ_INT(D(td, "opensnitch.io"), 1);
	T_EQ_INT(D(td, "www.test.org"), 1);
	T_EQ_INT(D(td, "test.org"), 0);
	T_EQ_INT(D(td, ""), 0);
	T_EQ_INT(D("0.0.0.0 ads.example.com\n", "x.ads.example.com"), 0);
	T_EQ_INT(D("::1 v6.example.com\n:: v6b.example.com\n",
	    "v6.example.com"), 0);
	T_EQ_INT(D("10.0.0.1 ten.example.com\n", "ten.example.com"), 0);
	T_EQ_INT(D("ads.example.com\n", "ads.example.com"), 0);
	T_EQ_INT(D("0.0.0.0\ttab.example.com\n", "tab.example.com"), 1);
	T_EQ_INT(D("0.0.0.0  two.example.com\n", "two.example.com"), 1);
	T_EQ_INT(D("0.0.0.0 crlf.example.com\r\n", "crlf.example.com"), 1);
	T_EQ_INT(D("0.0.0.0 last.example.com", "last.example.com"), 1);
	T_EQ_INT(D("0.0.0.0 inline.example.com # ad\n", "inline.example.com"),
	    0);
	T_EQ_INT(D("0.0.0.0 a.example.com b.example.com\n", "a.example.com"),
	    0);
	T_EQ_INT(D("0.0.0.0 a\n", "a"), 1);
	T_EQ_INT(D("0.0.0.0.ads.example.com\n", "ads.example.com"), 1);
	T_EQ_INT(D("127.0.0.1 localhost\n", "localhost"), 0);
	T_EQ_INT(D("127.0.0.1 localhost.localdomain\n",
	    "localhost.localdomain"), 0);
	T_EQ_INT(D("0.0.0.0 broadcasthost\n", "broadcasthost"), 0);
	T_EQ_INT(D("0.0.0.0 local\n", "local"), 0);
	T_EQ_INT(D("0.0.0.0  localhost\n", "localhost"), 1);
	T_EQ_INT(D("\xef\xbb\xbf" "0.0.0.0 bom.example.com\n",
	    "bom.example.com"), 0);
	/* Wildcards: proper subdomains only. */
	T_EQ_INT(D("0.0.0.0 *.wild.example.com\n", "wild.example.com"), 0);
	T_EQ_INT(D("0.0.0.0 *.wild.example.com\n", "a.wild.example.com"), 1);
	T_EQ_INT(D("0.0.0.0 *.wild.example.com\n", "a.b.wild.example.com"), 1);
	T_EQ_INT(D("0.0.0.0 *.wild.example.com\n", "awild.example.com"), 0);
	T_EQ_INT(D("0.0.0.0 .dot.example.com\n", "x.dot.example.com"), 1);
	T_EQ_INT(D("0.0.0.0 .dot.example.com\n", "dot.example.com"), 0);
	T_EQ_INT(D("0.0.0.0 *.trail.example.com.\n", "x.trail.example.com"), 1);
	T_EQ_INT(D("0.0.0.0 *.a..b\n", "x.a..b"), 0);
	T_EQ_INT(D("0.0.0.0 *.com\n", "x.y.com"), 1);
	T_EQ_INT(D("0.0.0.0 *.ads?.com\n", "x.ads1.com"), 0);
	T_EQ_INT(D("0.0.0.0 *.ads?.com\n", "x.ads?.com"), 1);
	/* Globs: per label, same label count. */
	T_EQ_INT(D("0.0.0.0 api-??.example.org\n", "api-12.example.org"), 1);
	T_EQ_INT(D("0.0.0.0 api-??.example.org\n", "api-123.example.org"), 0);
	T_EQ_INT(D("0.0.0.0 tracker-[0-9].example.org\n",
	    "tracker-3.example.org"), 1);
	T_EQ_INT(D("0.0.0.0 ads*.example.org\n", "ads.example.org"), 1);
	T_EQ_INT(D("0.0.0.0 ads*.example.org\n", "adserver.example.org"), 1);
	T_EQ_INT(D("0.0.0.0 ads*.example.org\n", "x.ads.example.org"), 0);
	T_EQ_INT(D("0.0.0.0 a*.*.org\n", "ab.example.org"), 1);
	T_EQ_INT(D("0.0.0.0 a*.*.org\n", "ab.example.com"), 0);
	T_EQ_INT(D("0.0.0.0 *.\n", "x."), 1);
	T_EQ_INT(D("0.0.0.0 bad[.example.org\n", "bad[.example.org"), 0);
	T_EQ_INT(D("0.0.0.0 {www,api}.brace.example.org\n",
	    "www.brace.example.org"), 0);
	T_EQ_INT(D("0.0.0.0 {www,api}.brace.example.org\n",
	    "{www,api}.brace.example.org"), 1);
	/* Case: the host is lowercased when insensitive; D8 the entries. */
	T_EQ_INT(D("0.0.0.0 opensnitch.io\n", "OpenSnitch.IO"), 1);
	T_EQ_INT(DS("0.0.0.0 opensnitch.io\n", "OpenSnitch.IO"), 0);
	T_EQ_INT(D("0.0.0.0 UPPER.example.com\n", "UPPER.example.com"), 1);
	T_EQ_INT(DS("0.0.0.0 UPPER.example.com\n", "UPPER.example.com"), 1);
	T_EQ_INT(DS("0.0.0.0 UPPER.example.com\n", "upper.example.com"), 0);
	T_EQ_INT(D("0.0.0.0 *.WILD.example.com\n", "a.wild.example.com"), 1);
	T_EQ_INT(D("0.0.0.0 API-??.example.org\n", "api-12.example.org"), 1);
	T_EQ_INT(D("0.0.0.0 \xc3\x84" "x.example\n", "\xc3\xa4X.EXAMPLE"), 1);
}

static void
test_regexp(void)
{
	const char *td = "# this line must be ignored, 0.0.0.0 www.test.org\n"
	    "www.test.org\nwww.test.org\nopensnitch.io\n";

	T_EQ_INT(lmatch("lists.domains_regexp", 0, td, "opensnitch.io"), 1);
	T_EQ_INT(lmatch("lists.domains_regexp", 0, td, "xopensnitchxio"), 1);
	T_EQ_INT(lmatch("lists.domains_regexp", 0, td, ""), 0);
	T_EQ_INT(lmatch("lists.domains_regexp", 0, "^ads\\.\n",
	    "myads.example.com"), 0);
	T_EQ_INT(lmatch("lists.domains_regexp", 0, "#opensnitch\n",
	    "opensnitch.io"), 0);
	T_EQ_INT(lmatch("lists.domains_regexp", 0, "((\n^opensnitch\\.io$\n",
	    "opensnitch.io"), 1);
	/* D7: the CR goes, so "$" matches. */
	T_EQ_INT(lmatch("lists.domains_regexp", 0, "^opensnitch\\.io$\r\n",
	    "opensnitch.io"), 1);
	/* A line that is only blanks is not the empty (match-all) regexp. */
	T_EQ_INT(lmatch("lists.domains_regexp", 0, " \r\n\t\n",
	    "opensnitch.io"), 0);
	T_EQ_INT(lmatch("lists.domains_regexp", 0, "^OpenSnitch\\.io$\n",
	    "OpenSnitch.io"), 0);
	T_EQ_INT(lmatch("lists.domains_regexp", 1, "^OpenSnitch\\.io$\n",
	    "OpenSnitch.io"), 1);
	T_EQ_INT(lmatch("lists.domains_regexp", 0, "^opensnitch\\.io$\n",
	    "OpenSnitch.io"), 1);
}

static void
test_ips(void)
{
	const char *td = "# this line must be ignored, 0.0.0.0 www.test.org\n"
	    "\n# empty lines are also ignored\n1.1.1.1\n185.53.178.14\n"
	    "# duplicated entries should be ignored\n1.1.1.1\n";
	const char *tn = "1.1.1.0/24\n185.53.178.0/24\n1.1.1.0/24\n\n";

	T_EQ_INT(lmatch("lists.ips", 0, td, "185.53.178.14"), 1);
	T_EQ_INT(lmatch("lists.ips", 0, td, "185.53.178.15"), 0);
	T_EQ_INT(lmatch("lists.ips", 0, "10.0.0.0/24\n", "10.0.0.99"), 1);
	T_EQ_INT(lmatch("lists.ips", 0, "9.9.9.9 # dns\n", "9.9.9.9"), 0);
	T_EQ_INT(lmatch("lists.ips", 0, " 9.9.9.9 \r\n", "9.9.9.9"), 1);
	T_EQ_INT(lmatch("lists.ips", 0, "2001:db8::1\n", "2001:db8::1"), 1);
	T_EQ_INT(lmatch("lists.ips", 0, "2001:DB8::1\n", "2001:db8::1"), 0);
	T_EQ_INT(lmatch("lists.ips", 0, "2001:db8:0::1\n", "2001:db8::1"), 0);
	T_EQ_INT(lmatch("lists.ips", 0, "10.1.2.3\n", "::ffff:10.1.2.3"), 1);
	T_EQ_INT(lmatch("lists.nets", 0, tn, "185.53.178.14"), 1);
	T_EQ_INT(lmatch("lists.nets", 0, tn, "185.53.179.1"), 0);
	T_EQ_INT(lmatch("lists.nets", 0, "10.1.2.3\n", "10.1.2.3"), 1);
	T_EQ_INT(lmatch("lists.nets", 0, "not-a-net\n10.1.0.0/16\n",
	    "10.1.44.5"), 1);
	T_EQ_INT(lmatch("lists.nets", 0, "10.1.2.3/16\n", "10.1.200.1"), 1);
	T_EQ_INT(lmatch("lists.nets", 0, "2002:dead:beef::/48\n",
	    "2002:dead:beef::1234"), 1);
	T_EQ_INT(lmatch("lists.nets", 0, "0.0.0.0/0\n", "::1"), 0);
}

static void
test_md5(void)
{
	const char *h = "d41d8cd98f00b204e9800998ecf8427e";

	T_EQ_INT(lmatch("lists.hash.md5", 0,
	    "d41d8cd98f00b204e9800998ecf8427e\n", h), 1);
	T_EQ_INT(lmatch("lists.hash.md5", 0,
	    "d41d8cd98f00b204e9800998ecf8427e\n",
	    "0cc175b9c0f1b6a831c399e269772661"), 0);
	T_EQ_INT(lmatch("lists.hash.md5", 0,
	    "D41D8CD98F00B204E9800998ECF8427E\n", h), 0);
	T_EQ_INT(lmatch("lists.hash.md5", 0,
	    "d41d8cd98f00b204e9800998ecf8427e  /usr/bin/curl\n", h), 0);
	T_EQ_INT(lmatch("lists.hash.md5", 0, "\n", ""), 0);
}

/* Which files of a directory count; all are merged. */
static void
test_files(void)
{
	struct policy		*p = ph_new();
	struct policy_conn	 c;
	struct policy_list_file	 f[4];
	char			 rule[RULEBUF];

	T_EQ_INT(policy_list_file_wanted("a.txt"), 1);
	T_EQ_INT(policy_list_file_wanted("hosts"), 0);
	T_EQ_INT(policy_list_file_wanted(".hidden.txt"), 0);
	T_EQ_INT(policy_list_file_wanted("x."), 1);
	ph_rule(rule, sizeof(rule), "r", "deny", "lists", "lists.domains",
	    "L", 0);
	T_EQ_STR(ph_load(p, "r.json", rule), "");
	memset(f, 0, sizeof(f));
	f[0].name = "a.txt";
	f[0].data = "0.0.0.0 one.example.net\n";
	f[1].name = "b.list";
	f[1].data = "0.0.0.0 two.example.net\n";
	f[2].name = "hosts";
	f[2].data = "0.0.0.0 three.example.net\n";
	f[3].name = ".hidden.txt";
	f[3].data = "0.0.0.0 four.example.net\n";
	f[0].len = strlen(f[0].data);
	f[1].len = strlen(f[1].data);
	f[2].len = strlen(f[2].data);
	f[3].len = strlen(f[3].data);
	T_EQ_INT(policy_list_load(p, "L", f, 4, NULL), 0);
	ph_conn(&c);
	c.host = "one.example.net";
	T_EQ_STR(ph_eval(p, &c), "deny:r");
	c.host = "two.example.net";
	T_EQ_STR(ph_eval(p, &c), "deny:r");
	c.host = "three.example.net";
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	c.host = "four.example.net";
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
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

	snprintf(s->buf + n, sizeof(s->buf) - n, "%s|%s|%s\n", d->code,
	    d->file, d->msg);
}

static void
test_notes(void)
{
	struct policy		*p = ph_new();
	struct policy_list_file	 f[3];
	struct seen		 s;
	char			 rule[RULEBUF];

	memset(&s, 0, sizeof(s));
	ph_rule(rule, sizeof(rule), "d", "deny", "lists", "lists.domains",
	    "D/", 0);
	ph_load(p, "d.json", rule);
	ph_rule(rule, sizeof(rule), "m", "deny", "lists", "lists.hash.md5",
	    "M", 0);
	ph_load(p, "m.json", rule);
	ph_rule(rule, sizeof(rule), "e", "deny", "lists", "lists.ips",
	    "E", 0);
	ph_load(p, "e.json", rule);
	memset(f, 0, sizeof(f));
	f[0].name = "hosts.txt";
	f[0].data = "0.0.0.0 a.example # c\nads.example\n0.0.0.0 UP.example\n"
	    "0.0.0.0 x[.example\n";
	f[0].len = strlen(f[0].data);
	f[1].name = "hosts";
	T_EQ_INT(policy_list_load(p, "D/", f, 2, NULL), 0);
	f[0].name = "bad.md5";
	f[0].data = "d41d8cd98f00b204e9800998ecf8427e  /usr/bin/curl\n";
	f[0].len = strlen(f[0].data);
	T_EQ_INT(policy_list_load(p, "M", f, 1, NULL), 0);
	policy_lint(p, collect, &s);
	T_CHECK(strstr(s.buf, "surprising|D/hosts.txt|line 1: entry "
	    "\"a.example # c\" is one host name with blanks in it (no inline "
	    "comments, one host per line): it never matches\n") != NULL);
	T_CHECK(strstr(s.buf, "list|D/hosts.txt|line 4: glob \"x[.example\" "
	    "is malformed: entry skipped\n") != NULL);
	T_CHECK(strstr(s.buf, "list|D/hosts.txt|1 line(s) neither \"0.0.0.0 "
	    "host\" nor \"127.0.0.1 host\" are ignored") != NULL);
	T_CHECK(strstr(s.buf, "D8|D/hosts.txt|1 entry with upper-case letters")
	    != NULL);
	T_CHECK(strstr(s.buf, "surprising|D/hosts|file not read: only names "
	    "with a dot") != NULL);
	T_CHECK(strstr(s.buf, "surprising|M/bad.md5|line 1: \"d41d8cd98f00b204"
	    "e9800998ecf8427e  /usr/bin/curl\" is not 32 lowercase hex digits")
	    != NULL);
	T_CHECK(strstr(s.buf, "list|E|list directory not loaded: its "
	    "operators match nothing\n") != NULL);
	policy_free(p);
}

/* Handing a directory in again replaces its entries. */
static void
test_reload(void)
{
	struct policy		*p = ph_new();
	struct policy_conn	 c;
	struct policy_list_file	 f;
	char			 rule[RULEBUF];

	ph_rule(rule, sizeof(rule), "r", "deny", "lists", "lists.domains",
	    "L/", 0);
	ph_load(p, "r.json", rule);
	ph_rule(rule, sizeof(rule), "s", "deny", "lists",
	    "lists.domains_regexp", "L/", 0);
	ph_load(p, "s.json", rule);
	f.name = "a.txt";
	f.data = "0.0.0.0 old.example\n";
	f.len = strlen(f.data);
	T_EQ_INT(policy_list_load(p, "L/", &f, 1, NULL), 0);
	ph_conn(&c);
	c.host = "old.example";
	T_EQ_STR(ph_eval(p, &c), "deny:r");
	f.data = "0.0.0.0 new.example\n";
	f.len = strlen(f.data);
	T_EQ_INT(policy_list_load(p, "L/", &f, 1, NULL), 0);
	T_EQ_STR(ph_eval(p, &c), "prompt-or-default:-");
	c.host = "new.example";
	T_EQ_STR(ph_eval(p, &c), "deny:r");
	/* The regexp rule on the same directory reads the same file. */
	c.host = "x0.0.0.0 new.examplex";
	T_EQ_STR(ph_eval(p, &c), "deny:s");
	policy_free(p);
}

int
main(void)
{
	test_domains();
	test_regexp();
	test_ips();
	test_md5();
	test_files();
	test_notes();
	test_reload();
	return t_done("policy-lists");
}
