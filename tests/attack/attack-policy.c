/*
 * attack-policy.c: rules and block lists built to blow up ruled's memory
 * or time (SECURITY.md E.39, E.42, A.4, A.5), through policy/ as ruled
 * uses it.  Regexps that backtrack exponentially elsewhere match in time
 * linear in the subject; regexps whose automaton would explode are
 * refused with the bound named; a list of two million lines loads, and
 * its odd lines (CRLF, BOM, comments, bare names, 10 KB) are read as
 * SEMANTICS.md says; a document past MAX_JSON_NODES or MAX_OP_CHILDREN
 * is refused (MAX_RULES: attack-maxrules, in make check-attack).  Times
 * are printed; the bounds asserted are loose enough for sanitizer builds
 * on a busy machine.  Issue 15: a lists rule names only a place under
 * the lists roots (no "..", no look-alike prefix, no relative path); the
 * TATTLE_RESOLVERS alias holds the resolvers handed in and nothing else;
 * the shipped rules (policy/default/rules) load without a warning and
 * allow DNS and DHCP only as README says.
 */
#include <sys/resource.h>

#include <dirent.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "policy.h"
#include "t.h"

#define RE2_LONG	16400	/* bytes: over re2.h's RE2_MAX_PATTERN */

static double	 attack_now(void);
static struct policy *attack_policy(void);
static int	 attack_load(struct policy *, const char *, const char *,
		    struct policy_err *);
static enum policy_verdict attack_match_host(struct policy *, const char *);
static int	 attack_load_re(struct policy *, const char *,
		    struct policy_err *);
static void	 attack_lint_find(const struct policy_diag *, void *);
static void	 attack_list_roots(void);
static void	 attack_resolvers(void);
static enum policy_verdict attack_match_dst(struct policy *, const char *,
		    uint16_t);
static enum policy_verdict attack_match_udp(struct policy *, const char *,
		    uint16_t, const char *, uint16_t);
static void	 attack_count_diag(const struct policy_diag *, void *);
static void	 attack_shipped_rules(void);

static double
attack_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct policy *
attack_policy(void)
{
	struct policy_opts	 o;
	struct policy		*p;

	memset(&o, 0, sizeof(o));
	o.default_action = POLICY_DENY;
	memset(o.hash_seed, 42, sizeof(o.hash_seed));
	if ((p = policy_new(&o)) == NULL)
		abort();
	return p;
}

static int
attack_load(struct policy *p, const char *file, const char *json,
    struct policy_err *err)
{
	return policy_load_rule(p, file, json, strlen(json), 0, err);
}

static enum policy_verdict
attack_match_host(struct policy *p, const char *host)
{
	struct policy_conn	 c;
	struct policy_result	 r;

	memset(&c, 0, sizeof(c));
	c.path = "/usr/bin/x";
	c.command = host;
	c.proto = "tcp";
	c.dport = 443;
	c.uid = 1000;
	c.host = host;
	if (policy_match(p, &c, &r) != 0)
		abort();
	return r.verdict;
}

/* Exponential backtrackers elsewhere; linear here, on a 64 KiB subject. */
static void
attack_regex_dos(void)
{
	static const char *const pats[] = {
		"(a+)+$", "(a|aa)+$", "(a|a)*b", "(.*a){20}$", "(x+x+)+y",
		"^(([a-z])+.)+[A-Z]([a-z])+$", "(\\\\w+\\\\s?)*$",
	};
	struct policy_err	 err;
	struct policy		*p;
	char			 json[512], *host;
	double			 t, worst = 0;
	size_t			 i, n = 65536;

	if ((host = malloc(n + 2)) == NULL)
		abort();
	memset(host, 'a', n);
	host[n] = '!';
	host[n + 1] = '\0';
	for (i = 0; i < sizeof(pats) / sizeof(*pats); i++) {
		p = attack_policy();
		snprintf(json, sizeof(json), "{\"name\":\"re\",\"action\":"
		    "\"deny\",\"duration\":\"always\",\"enabled\":true,"
		    "\"operator\":{\"type\":\"regexp\",\"operand\":"
		    "\"process.command\",\"data\":\"%s\"}}", pats[i]);
		T_EQ_INT(attack_load(p, "re.json", json, &err), 0);
		t = attack_now();
		(void)attack_match_host(p, host);
		t = attack_now() - t;
		if (t > worst)
			worst = t;
		printf("regexp %-32s on 64 KiB: %.1f ms\n", pats[i], t * 1e3);
		T_CHECK(t < 2.0);
		policy_free(p);
	}
	printf("regexp DoS: worst %.1f ms\n", worst * 1e3);
	free(host);
}

/* re.json with pattern on dest.host; sensitive so it is kept as is. */
static int
attack_load_re(struct policy *p, const char *pat, struct policy_err *err)
{
	char	*json;
	int	 rv;

	if ((json = malloc(strlen(pat) + 256)) == NULL)
		abort();
	sprintf(json, "{\"name\":\"re\",\"action\":\"allow\",\"duration\":"
	    "\"always\",\"enabled\":true,\"operator\":{\"type\":\"regexp\","
	    "\"operand\":\"dest.host\",\"sensitive\":true,\"data\":\"%s\"}}",
	    pat);
	rv = attack_load(p, "re.json", json, err);
	free(json);
	return rv;
}

/*
 * Automata that would explode, or syntax RE2 has not: refused with the
 * reason, at once.  Big but bounded ones load at once too.
 */
static void
attack_regex_size(void)
{
	static const char *const refused[] = {
		"(a)\\\\1",			/* no backreferences */
		"a{1001}",			/* RE2_MAX_REPEAT */
		"(a{1000}){1000}",
		"((a{100}){100}){100}",
		"(a{999}b{999}){9}",		/* RE2_MAX_POSITIONS */
	};
	static const char *const bounded[] = {
		"[\\\\p{L}\\\\p{N}]{1000}",
		"(\\\\pL|\\\\pN|\\\\pS){999}",
	};
	struct policy_err	 err;
	struct policy		*p = attack_policy();
	char			*deep;
	double			 t;
	size_t			 i;
	int			 rv;

	for (i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		t = attack_now();
		T_EQ_INT(attack_load_re(p, refused[i], &err), -1);
		t = attack_now() - t;
		printf("regexp %-28.28s refused in %.1f ms: %s\n", refused[i],
		    t * 1e3, err.reason);
		T_CHECK(err.reason[0] != '\0');
		T_CHECK(t < 2.0);
	}
	/* RE2_MAX_POSITIONS: 11 x a{1000}; RE2_MAX_RANGES: 400 x [\pL]. */
	if ((deep = malloc(RE2_LONG + 2)) == NULL)
		abort();
	deep[0] = '\0';
	for (i = 0; i < 11; i++)
		strcat(deep, "a{1000}");
	T_EQ_INT(attack_load_re(p, deep, &err), -1);
	printf("regexp 11 x a{1000} refused: %s\n", err.reason);
	T_CHECK(strstr(err.reason, "positions") != NULL);
	deep[0] = '\0';
	for (i = 0; i < 400; i++)
		strcat(deep, "[\\\\pL]");
	T_EQ_INT(attack_load_re(p, deep, &err), -1);
	printf("regexp 400 x [\\pL] refused: %s\n", err.reason);
	T_CHECK(strstr(err.reason, "range") != NULL);
	/* RE2_MAX_PATTERN. */
	memset(deep, 'a', RE2_LONG);
	deep[RE2_LONG] = '\0';
	T_EQ_INT(attack_load_re(p, deep, &err), -1);
	printf("regexp of %d bytes refused: %s\n", RE2_LONG, err.reason);
	free(deep);
	/* 1100 nested groups: RE2_MAX_HEIGHT. */
	if ((deep = malloc(2300)) == NULL)
		abort();
	memset(deep, '(', 1100);
	deep[1100] = 'a';
	memset(deep + 1101, ')', 1100);
	deep[2201] = '\0';
	T_EQ_INT(attack_load_re(p, deep, &err), -1);
	printf("regexp of 1100 nested groups refused: %s\n", err.reason);
	T_CHECK(strstr(err.reason, "nests too deeply") != NULL);
	free(deep);
	T_EQ_INT(policy_rule_count(p), 0);
	for (i = 0; i < sizeof(bounded) / sizeof(*bounded); i++) {
		t = attack_now();
		rv = attack_load_re(p, bounded[i], &err);
		t = attack_now() - t;
		printf("regexp %-28.28s %s in %.1f ms%s%s\n", bounded[i],
		    rv == 0 ? "loaded" : "refused", t * 1e3, rv ? ": " : "",
		    rv ? err.reason : "");
		T_CHECK(t < 5.0);
		(void)policy_remove_file(p, "re.json");
	}
	policy_free(p);
}

/* Past MAX_JSON_NODES, MAX_OP_CHILDREN: refused, nothing loaded. */
static void
attack_rule_bounds(void)
{
	struct policy_err	 err;
	struct policy		*p = attack_policy();
	char			*big;
	size_t			 i, off, n = 80000;

	if ((big = malloc(n * 2 + 256)) == NULL)
		abort();
	off = (size_t)sprintf(big, "{\"name\":\"nodes\",\"x\":[");
	for (i = 0; i < n; i++)
		off += (size_t)sprintf(big + off, "%s1", i ? "," : "");
	sprintf(big + off, "]}");
	T_EQ_INT(attack_load(p, "nodes.json", big, &err), -1);
	T_CHECK(strstr(err.reason, "MAX_JSON_NODES") != NULL);
	off = (size_t)sprintf(big, "{\"name\":\"kids\",\"action\":\"deny\","
	    "\"duration\":\"always\",\"enabled\":true,\"operator\":{"
	    "\"type\":\"list\",\"operand\":\"list\",\"list\":[");
	for (i = 0; i <= MAX_OP_CHILDREN; i++)
		off += (size_t)sprintf(big + off, "%s{\"type\":\"simple\","
		    "\"operand\":\"dest.port\",\"data\":\"1\"}", i ? "," : "");
	sprintf(big + off, "]}}");
	T_EQ_INT(attack_load(p, "kids.json", big, &err), -1);
	T_CHECK(strstr(err.reason, "MAX_OP_CHILDREN") != NULL);
	T_EQ_INT(policy_rule_count(p), 0);
	free(big);
	policy_free(p);
}

static long
attack_maxrss_kb(void)
{
	struct rusage	 ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Two million hosts-file lines, then the odd lines of E.42. */
static void
attack_big_list(void)
{
	static const char rule[] = "{\"name\":\"block\",\"action\":\"deny\","
	    "\"duration\":\"always\",\"enabled\":true,\"operator\":{\"type\":"
	    "\"lists\",\"operand\":\"lists.domains\",\"data\":\"/l\"}}";
	struct policy_list_file	 f[2];
	struct policy_err	 err;
	struct policy		*p = attack_policy();
	size_t			 n = 2000000, off = 0, i;
	char			*buf, *odd;
	long			 rss0 = attack_maxrss_kb();
	double			 t;

	T_EQ_INT(attack_load(p, "block.json", rule, &err), 0);
	if ((buf = malloc(n * 40)) == NULL || (odd = malloc(16384)) == NULL)
		abort();
	for (i = 0; i < n; i++)
		off += (size_t)sprintf(buf + off, "0.0.0.0 h%zu.block.test\n",
		    i);
	i = (size_t)sprintf(odd, "\xef\xbb\xbf" "0.0.0.0 bom.test\n"
	    "0.0.0.0 crlf.test\r\n"
	    "# 0.0.0.0 comment.test\n"
	    "bare.test\n"
	    "0.0.0.0 caf\xc3\xa9.test\n"
	    "0.0.0.0 ");
	memset(odd + i, 'x', 10240);
	i += 10240;
	i += (size_t)sprintf(odd + i, ".test\n0.0.0.0 after-long.test\n");
	f[0].name = "big.txt";
	f[0].data = buf;
	f[0].len = off;
	f[1].name = "odd.txt";
	f[1].data = odd;
	f[1].len = i;
	t = attack_now();
	T_EQ_INT(policy_list_load(p, "/l", f, 2, &err), 0);
	t = attack_now() - t;
	printf("2000000-line list (%zu MiB) loaded in %.2f s, max resident "
	    "+%ld MiB\n", off >> 20, t, (attack_maxrss_kb() - rss0) >> 10);
	T_CHECK(t < 30.0);
	free(buf);
	free(odd);
	T_EQ_INT(attack_match_host(p, "h1999999.block.test"), POLICY_DENY);
	T_EQ_INT(attack_match_host(p, "h0.block.test"), POLICY_DENY);
	T_EQ_INT(attack_match_host(p, "crlf.test"), POLICY_DENY);	/* D7 */
	T_EQ_INT(attack_match_host(p, "after-long.test"), POLICY_DENY);
	/* As OpenSnitch: no BOM stripping, no bare names, no comments. */
	T_EQ_INT(attack_match_host(p, "bom.test"), POLICY_NONE);
	T_EQ_INT(attack_match_host(p, "bare.test"), POLICY_NONE);
	T_EQ_INT(attack_match_host(p, "comment.test"), POLICY_NONE);
	T_EQ_INT(attack_match_host(p, "caf\xc3\xa9.test"), POLICY_DENY);
	policy_free(p);
}

/* lists.domains_regexp: past MAX_LIST_REGEXPS refused; blow-ups bounded. */
static void
attack_regexp_list(void)
{
	static const char rule[] = "{\"name\":\"re\",\"action\":\"deny\","
	    "\"duration\":\"always\",\"enabled\":true,\"operator\":{\"type\":"
	    "\"lists\",\"operand\":\"lists.domains_regexp\",\"data\":\"/r\"}}";
	struct policy_list_file	 f, *many;
	struct policy_err	 err;
	struct policy		*p = attack_policy();
	size_t			 i, off = 0;
	char			*buf, host[254];
	double			 t;

	T_EQ_INT(attack_load(p, "re.json", rule, &err), 0);
	if ((buf = malloc((MAX_LIST_REGEXPS + 1) * 32)) == NULL)
		abort();
	for (i = 0; i <= MAX_LIST_REGEXPS; i++)
		off += (size_t)sprintf(buf + off, "^r%zu\\.test$\n", i);
	f.name = "many.txt";
	f.data = buf;
	f.len = off;
	T_EQ_INT(policy_list_load(p, "/r", &f, 1, &err), -1);
	T_CHECK(strstr(err.reason, "MAX_LIST_REGEXPS") != NULL);
	/* A directory of MAX_LIST_FILES + 1 files. */
	if ((many = calloc(MAX_LIST_FILES + 1, sizeof(*many))) == NULL)
		abort();
	for (i = 0; i <= MAX_LIST_FILES; i++) {
		many[i].name = "f.txt";
		many[i].data = "x\n";
		many[i].len = 2;
	}
	T_EQ_INT(policy_list_load(p, "/r", many, MAX_LIST_FILES + 1, &err),
	    -1);
	T_CHECK(strstr(err.reason, "MAX_LIST_FILES") != NULL);
	free(many);

	/* 200 lines that explode elsewhere; each compiled or skipped. */
	for (off = 0, i = 0; i < 200; i++)
		off += (size_t)sprintf(buf + off, "(a+)+%zu$\n((a{100}){100})"
		    "{100}\n", i);
	f.len = off;
	t = attack_now();
	T_EQ_INT(policy_list_load(p, "/r", &f, 1, &err), 0);
	printf("400 hostile regexp lines loaded in %.2f s\n",
	    attack_now() - t);
	memset(host, 'a', sizeof(host) - 2);
	host[sizeof(host) - 2] = '!';
	host[sizeof(host) - 1] = '\0';
	t = attack_now();
	T_EQ_INT(attack_match_host(p, host), POLICY_NONE);
	t = attack_now() - t;
	printf("a 253-byte host against them: %.1f ms\n", t * 1e3);
	T_CHECK(t < 5.0);
	free(buf);
	policy_free(p);
}

static void
attack_lint_find(const struct policy_diag *d, void *arg)
{
	if (strstr(d->msg, "once lowercased") != NULL)
		(*(int *)arg)++;
}

/*
 * A glob entry of 400 bytes that are not UTF-8: each becomes U+FFFD
 * (3 bytes) when the case-insensitive index lowercases it, past
 * MAX_LIST_KEY.  It must be skipped and noted (it overran a stack
 * buffer before; found by fuzz list-domains).
 */
static void
attack_list_fold_growth(void)
{
	static const char rule[] = "{\"name\":\"block\",\"action\":\"deny\","
	    "\"duration\":\"always\",\"enabled\":true,\"operator\":{\"type\":"
	    "\"lists\",\"operand\":\"lists.domains\",\"data\":\"/l\"}}";
	struct policy_list_file	 f;
	struct policy_err	 err;
	struct policy		*p = attack_policy();
	char			 line[512];
	int			 found = 0;

	T_EQ_INT(attack_load(p, "block.json", rule, &err), 0);
	memcpy(line, "0.0.0.0 a?.", 11);
	memset(line + 11, 0xff, 400);
	memcpy(line + 411, ".test\n0.0.0.0 ok.test\n", 23);
	f.name = "l.txt";
	f.data = line;
	f.len = 434;
	T_EQ_INT(policy_list_load(p, "/l", &f, 1, &err), 0);
	policy_lint(p, attack_lint_find, &found);
	T_EQ_INT(found, 1);
	T_EQ_INT(attack_match_host(p, "ok.test"), POLICY_DENY);
	policy_free(p);
}

static void
attack_list_roots(void)
{
	static const char *const roots[] = { "/etc/tattle/lists", "/srv/l/" };
	static const char *const ok[] = {
		"/etc/tattle/lists", "/etc/tattle/lists/",
		"/etc/tattle/lists/a",
		"/etc/tattle/lists//a/b/", "/srv/l/x", "/srv/l",
	};
	static const char *const bad[] = {
		"/etc/tattle/listsX", "/etc/tattle/lists/../../root",
		"/etc/tattle/lists/./a", "/etc/tattle/lists/a/..", "lists/a",
		"", "/root", "/etc/tattle", "/srv/lx", "/srv/l/..",
	};
	struct policy_opts	 o;
	struct policy		*p;
	struct policy_err	 err;
	char			 why[512], rule[512];
	size_t			 i;

	for (i = 0; i < nitems(ok); i++)
		T_EQ_INT(policy_list_dir_ok(roots, nitems(roots), ok[i], why,
		    sizeof(why)), 1);
	for (i = 0; i < nitems(bad); i++) {
		why[0] = '\0';
		T_EQ_INT(policy_list_dir_ok(roots, nitems(roots), bad[i], why,
		    sizeof(why)), 0);
		T_CHECK(why[0] != '\0');
	}
	/* No roots: nothing may be named. */
	T_EQ_INT(policy_list_dir_ok(roots, 0, "/etc/tattle/lists", why,
	    sizeof(why)), 0);
	/* Through the policy: the rule is refused, naming the field. */
	memset(&o, 0, sizeof(o));
	o.list_roots = roots;
	o.nlist_roots = nitems(roots);
	if ((p = policy_new(&o)) == NULL)
		abort();
	snprintf(rule, sizeof(rule), "{\"name\":\"x\",\"action\":\"deny\","
	    "\"duration\":\"always\",\"enabled\":true,\"operator\":"
	    "{\"type\":\"lists\",\"operand\":\"lists.ips\",\"data\":"
	    "\"%s\"}}", "/root/secret");
	T_EQ_INT(attack_load(p, "x.json", rule, &err), -1);
	T_EQ_STR(err.field, "operator.data");
	T_CHECK(strstr(err.reason, "outside the lists roots") != NULL);
	T_EQ_INT((int)policy_list_dir_count(p), 0);
	snprintf(rule, sizeof(rule), "{\"name\":\"x\",\"action\":\"deny\","
	    "\"duration\":\"always\",\"enabled\":true,\"operator\":"
	    "{\"type\":\"lists\",\"operand\":\"lists.ips\",\"data\":"
	    "\"%s\"}}", "/etc/tattle/lists/ips");
	T_EQ_INT(attack_load(p, "x.json", rule, &err), 0);
	T_EQ_INT((int)policy_list_dir_count(p), 1);
	policy_free(p);
}

static enum policy_verdict
attack_match_dst(struct policy *p, const char *ip, uint16_t port)
{
	struct policy_conn	 c;
	struct policy_result	 r;

	memset(&c, 0, sizeof(c));
	c.path = "/usr/bin/x";
	c.proto = "udp";
	c.dport = port;
	c.uid = 1000;
	c.host = "";
	if (policy_ip_parse(ip, &c.dst) == -1)
		abort();
	if (policy_match(p, &c, &r) != 0)
		abort();
	return r.verdict;
}

static void
attack_resolvers(void)
{
	struct policy		*p = attack_policy();
	struct policy_err	 err;
	struct policy_ip	 ips[POLICY_MAX_RESOLVERS + 1];

	T_EQ_INT(attack_load(p, "dns.json", "{\"name\":\"dns\","
	    "\"action\":\"allow\",\"duration\":\"always\",\"enabled\":true,"
	    "\"operator\":{\"type\":\"list\",\"operand\":\"list\",\"list\":["
	    "{\"type\":\"simple\",\"operand\":\"dest.port\",\"data\":\"53\"},"
	    "{\"type\":\"network\",\"operand\":\"dest.network\","
	    "\"data\":\"TATTLE_RESOLVERS\"}]}}", &err), 0);
	/* Before any resolver: the local stub only. */
	T_EQ_INT(attack_match_dst(p, "127.0.0.53", 53), POLICY_ALLOW);
	T_EQ_INT(attack_match_dst(p, "::1", 53), POLICY_ALLOW);
	T_EQ_INT(attack_match_dst(p, "10.0.0.1", 53), POLICY_NONE);
	if (policy_ip_parse("10.0.0.1", &ips[0]) == -1 ||
	    policy_ip_parse("2001:db8::53", &ips[1]) == -1)
		abort();
	T_EQ_INT(policy_set_resolvers(p, ips, 2), 0);
	T_EQ_INT(attack_match_dst(p, "10.0.0.1", 53), POLICY_ALLOW);
	T_EQ_INT(attack_match_dst(p, "2001:db8::53", 53), POLICY_ALLOW);
	T_EQ_INT(attack_match_dst(p, "10.0.0.2", 53), POLICY_NONE);
	T_EQ_INT(attack_match_dst(p, "10.0.0.1", 54), POLICY_NONE);
	/* The set replaces the last one. */
	T_EQ_INT(policy_set_resolvers(p, ips + 1, 1), 0);
	T_EQ_INT(attack_match_dst(p, "10.0.0.1", 53), POLICY_NONE);
	T_EQ_INT(attack_match_dst(p, "127.0.0.1", 53), POLICY_ALLOW);
	/* Bounded. */
	T_EQ_INT(policy_set_resolvers(p, ips, POLICY_MAX_RESOLVERS + 1), -1);
	policy_free(p);
}

static enum policy_verdict
attack_match_udp(struct policy *p, const char *proto, uint16_t sport,
    const char *ip, uint16_t dport)
{
	struct policy_conn	 c;
	struct policy_result	 r;

	memset(&c, 0, sizeof(c));
	c.path = "/usr/bin/x";
	c.proto = proto;
	c.sport = sport;
	c.dport = dport;
	c.uid = 1000;
	c.host = "";
	if (policy_ip_parse(ip, &c.dst) == -1 || policy_match(p, &c, &r) != 0)
		abort();
	return r.verdict;
}

static void
attack_count_diag(const struct policy_diag *d, void *arg)
{
	printf("  shipped rules: %s: %s: %s [%s]\n", d->file, d->field,
	    d->msg, d->code);
	(*(int *)arg)++;
}

static void
attack_shipped_rules(void)
{
	struct policy		*p = attack_policy();
	struct policy_err	 err;
	struct policy_ip	 ns;
	struct dirent		*de;
	const char		*top = getenv("top_srcdir");
	char			 dir[4096], path[8192], buf[16384];
	size_t			 n, nfiles = 0;
	FILE			*f;
	DIR			*dp;
	int			 ndiag = 0;

	snprintf(dir, sizeof(dir), "%s/policy/default/rules",
	    top != NULL ? top : ".");
	if ((dp = opendir(dir)) == NULL)
		abort();
	while ((de = readdir(dp)) != NULL) {
		if (strstr(de->d_name, ".json") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			abort();
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		T_EQ_INT(policy_load_rule(p, de->d_name, buf, n, 0, &err), 0);
		nfiles++;
	}
	closedir(dp);
	T_EQ_INT((int)nfiles, 7);
	policy_lint(p, attack_count_diag, &ndiag);
	T_EQ_INT(ndiag, 0);
	if (policy_ip_parse("10.53.1.1", &ns) == -1)
		abort();
	T_EQ_INT(policy_set_resolvers(p, &ns, 1), 0);
	/* DNS: the resolver and a local stub only, UDP and TCP. */
	T_EQ_INT(attack_match_udp(p, "udp", 40000, "10.53.1.1", 53),
	    POLICY_ALLOW);
	T_EQ_INT(attack_match_udp(p, "tcp", 40000, "10.53.1.1", 53),
	    POLICY_ALLOW);
	T_EQ_INT(attack_match_udp(p, "udp", 40000, "127.0.0.53", 53),
	    POLICY_ALLOW);
	T_EQ_INT(attack_match_udp(p, "udp", 40000, "192.0.2.9", 53),
	    POLICY_NONE);
	T_EQ_INT(attack_match_udp(p, "tcp6", 40000, "2001:db8::53", 53),
	    POLICY_NONE);
	/* DHCP: from 68, to the broadcast address or a private server. */
	T_EQ_INT(attack_match_udp(p, "udp", 68, "255.255.255.255", 67),
	    POLICY_ALLOW);
	T_EQ_INT(attack_match_udp(p, "udp", 1068, "255.255.255.255", 67),
	    POLICY_NONE);
	T_EQ_INT(attack_match_udp(p, "tcp", 68, "255.255.255.255", 67),
	    POLICY_NONE);
	T_EQ_INT(attack_match_udp(p, "udp", 68, "192.168.1.1", 67),
	    POLICY_ALLOW);
	T_EQ_INT(attack_match_udp(p, "udp", 68, "172.16.0.1", 67),
	    POLICY_ALLOW);
	T_EQ_INT(attack_match_udp(p, "udp", 68, "172.32.0.1", 67),
	    POLICY_NONE);
	T_EQ_INT(attack_match_udp(p, "udp", 68, "192.0.2.1", 67),
	    POLICY_NONE);
	T_EQ_INT(attack_match_udp(p, "udp", 68, "192.168.1.1", 68),
	    POLICY_NONE);
	/* DHCPv6: from 546, to ff02::1:2 or a link-local server. */
	T_EQ_INT(attack_match_udp(p, "udp6", 546, "ff02::1:2", 547),
	    POLICY_ALLOW);
	T_EQ_INT(attack_match_udp(p, "udp6", 546, "fe80::1", 547),
	    POLICY_ALLOW);
	T_EQ_INT(attack_match_udp(p, "udp6", 5460, "ff02::1:2", 547),
	    POLICY_NONE);
	T_EQ_INT(attack_match_udp(p, "udp6", 546, "2001:db8::1", 547),
	    POLICY_NONE);
	T_EQ_INT(attack_match_udp(p, "udp6", 546, "ff02::1:3", 547),
	    POLICY_NONE);
	policy_free(p);
}

int
main(void)
{
	attack_shipped_rules();
	attack_list_roots();
	attack_resolvers();
	attack_regex_dos();
	attack_regex_size();
	attack_rule_bounds();
	attack_big_list();
	attack_list_fold_growth();
	attack_regexp_list();
	return t_done("attack-policy");
}
