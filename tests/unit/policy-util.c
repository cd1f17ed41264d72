/*
 * policy-util.c: the pieces with Go's exact rules: net.ParseIP,
 * net.ParseCIDR and IP.String, filepath.Match, time.ParseDuration; the
 * hash set and network set; and the regexp prefilter, whose literal must
 * be in every subject the regexp matches.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "policy_int.h"
#include "re2.h"
#include "ufold.h"
#include "t.h"

/* The tables' hash key: any fixed one will do here. */
static const uint8_t	tkey[HASH_KEY_LEN] = "policy test key";

static void	test_ip(void);
static void	test_cidr(void);
static void	test_glob(void);
static void	test_duration(void);
static void	test_sets(void);
static void	test_set_layout(void);
static void	test_contains(void);
static void	test_fold(void);
static void	test_relit(void);

static const char *
ipfmt(const char *s)
{
	static char		buf[64];
	struct policy_ip	ip;

	if (policy_ip_parse(s, &ip) == -1)
		return "invalid";
	policy_ip_format(&ip, buf, sizeof(buf));
	return buf;
}

static void
test_ip(void)
{
	T_EQ_STR(ipfmt("185.53.178.14"), "185.53.178.14");
	T_EQ_STR(ipfmt("0.0.0.0"), "0.0.0.0");
	T_EQ_STR(ipfmt("255.255.255.255"), "255.255.255.255");
	T_EQ_STR(ipfmt("256.1.1.1"), "invalid");
	T_EQ_STR(ipfmt("010.1.1.1"), "invalid");
	T_EQ_STR(ipfmt("1.2.3"), "invalid");
	T_EQ_STR(ipfmt("1.2.3.4.5"), "invalid");
	T_EQ_STR(ipfmt("1..2.3"), "invalid");
	T_EQ_STR(ipfmt("1.2.3.4 "), "invalid");
	T_EQ_STR(ipfmt(""), "invalid");
	T_EQ_STR(ipfmt("2001:0DB8:0:0::1"), "2001:db8::1");
	T_EQ_STR(ipfmt("::"), "::");
	T_EQ_STR(ipfmt("::1"), "::1");
	T_EQ_STR(ipfmt("1::"), "1::");
	T_EQ_STR(ipfmt("2001:db8:0:1:0:0:0:1"), "2001:db8:0:1::1");
	T_EQ_STR(ipfmt("2001:0:0:1:0:0:0:1"), "2001:0:0:1::1");
	T_EQ_STR(ipfmt("2001:0:0:1:0:0:1:1"), "2001::1:0:0:1:1");
	T_EQ_STR(ipfmt("1:0:1:0:1:0:1:0"), "1:0:1:0:1:0:1:0");
	T_EQ_STR(ipfmt("::ffff:10.1.2.3"), "10.1.2.3");
	T_EQ_STR(ipfmt("::ffff:a01:203"), "10.1.2.3");
	T_EQ_STR(ipfmt("::10.1.2.3"), "::a01:203");
	T_EQ_STR(ipfmt("1:2:3:4:5:6:1.2.3.4"), "1:2:3:4:5:6:102:304");
	T_EQ_STR(ipfmt("1:2:3:4:5:6:7:1.2.3.4"), "invalid");
	T_EQ_STR(ipfmt("::ffff:010.1.2.3"), "invalid");
	T_EQ_STR(ipfmt("fe80::1%eth0"), "invalid");
	T_EQ_STR(ipfmt("1:2:3:4:5:6:7:8:9"), "invalid");
	T_EQ_STR(ipfmt("1:2:3:4:5:6:7::8"), "invalid");
	T_EQ_STR(ipfmt("1:2:3:4:5:6:7::"), "1:2:3:4:5:6:7:0");
	T_EQ_STR(ipfmt("12345::"), "invalid");
	T_EQ_STR(ipfmt("1:::2"), "invalid");
	T_EQ_STR(ipfmt(":1::2"), "invalid");
	T_EQ_STR(ipfmt("1::2:"), "invalid");
	T_EQ_STR(ipfmt("g::1"), "invalid");
}

static int
contains(const char *net, const char *ip)
{
	struct ipnet		n;
	struct policy_ip	a;

	if (pol_ipnet_parse(net, strlen(net), &n) == -1)
		return -1;
	if (policy_ip_parse(ip, &a) == -1)
		return -2;
	return pol_ipnet_contains(&n, &a);
}

static void
test_cidr(void)
{
	T_EQ_INT(contains("10.0.0.0/8", "10.255.0.1"), 1);
	T_EQ_INT(contains("10.0.0.0/8", "11.0.0.1"), 0);
	T_EQ_INT(contains("10.0.0.0/8", "::ffff:10.0.0.1"), 1);
	T_EQ_INT(contains("185.53.178.99/24", "185.53.178.1"), 1);
	T_EQ_INT(contains("0.0.0.0/0", "1.2.3.4"), 1);
	T_EQ_INT(contains("0.0.0.0/0", "::1"), 0);
	T_EQ_INT(contains("::/0", "::1"), 1);
	T_EQ_INT(contains("::/0", "1.2.3.4"), 0);
	T_EQ_INT(contains("::ffff:0:0/96", "1.2.3.4"), 1);
	T_EQ_INT(contains("::ffff:10.0.0.0/104", "10.1.1.1"), 1);
	T_EQ_INT(contains("::ffff:10.0.0.0/104", "11.1.1.1"), 0);
	T_EQ_INT(contains("::ffff:10.0.0.0/80", "10.1.1.1"), 0);
	T_EQ_INT(contains("::ffff:10.0.0.0/80", "::1"), 1);
	T_EQ_INT(contains("fc00::/7", "fd12::1"), 1);
	T_EQ_INT(contains("fc00::/7", "fe80::1"), 0);
	T_EQ_INT(contains("1.2.3.4/32", "1.2.3.4"), 1);
	T_EQ_INT(contains("10.0.0.0/08", "10.1.1.1"), 1);
	T_EQ_INT(contains("10.0.0.0/33", "10.1.1.1"), -1);
	T_EQ_INT(contains("::/129", "::1"), -1);
	T_EQ_INT(contains("10.0.0.0/", "10.1.1.1"), -1);
	T_EQ_INT(contains("10.0.0.0/+8", "10.1.1.1"), -1);
	T_EQ_INT(contains("10.0.0.0/8 ", "10.1.1.1"), -1);
	T_EQ_INT(contains("10.0.0/8", "10.1.1.1"), -1);
	T_EQ_INT(contains("10.0.0.1", "10.1.1.1"), -1);
	T_EQ_INT(contains("/8", "10.1.1.1"), -1);
	T_EQ_INT(contains("fe80::/10%eth0", "fe80::1"), -1);
}

static void
test_glob(void)
{
	struct {
		const char	*pat;
		const char	*name;
		int		 want;	/* 1, 0, -1 malformed */
	} g[] = {
		{ "api-??", "api-12", 1 },
		{ "api-??", "api-123", 0 },
		{ "tracker-[0-9]", "tracker-3", 1 },
		{ "tracker-[0-9]", "tracker-x", 0 },
		{ "tracker-[^0-9]", "tracker-x", 1 },
		{ "[a-c]*", "banana", 1 },
		{ "*", "", 1 },
		{ "*", "a/b", 0 },
		{ "a*b*c", "axxbyyc", 1 },
		{ "a*b*c", "axxbyy", 0 },
		{ "a\\*", "a*", 1 },
		{ "a\\*", "ab", 0 },
		{ "[\\]]", "]", 1 },
		{ "?", "\xc3\xa4", 1 },
		{ "[\xc3\xa4]", "\xc3\xa4", 1 },
		{ "x]", "x]", 1 },
		{ "{a,b}", "a", 0 },
		{ "[", "a", -1 },
		{ "[a-", "a", -1 },
		{ "[]", "a", -1 },
		{ "a\\", "a", -1 },
		{ "[z-a]", "b", 0 },
		{ "a*[", "b", -1 },
		{ "*x[", "ab", -1 },
	};
	size_t	i;
	int	r;

	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		r = pol_glob_valid(g[i].pat, strlen(g[i].pat)) ?
		    pol_glob_match(g[i].pat, strlen(g[i].pat), g[i].name,
		    strlen(g[i].name)) : -1;
		if (r != g[i].want)
			fprintf(stderr, "glob %s %s: %d\n", g[i].pat,
			    g[i].name, r);
		T_EQ_INT(r, g[i].want);
	}
}

static int64_t
dur(const char *s)
{
	int64_t	ms;

	return pol_duration_parse(s, &ms) == 0 ? ms : -999;
}

static void
test_duration(void)
{
	T_EQ_INT(dur("30s"), 30000);
	T_EQ_INT(dur("5m"), 300000);
	T_EQ_INT(dur("12h"), 43200000);
	T_EQ_INT(dur("1h30m"), 5400000);
	T_EQ_INT(dur("90s"), 90000);
	T_EQ_INT(dur("1.5h"), 5400000);
	T_EQ_INT(dur(".5s"), 500);
	T_EQ_INT(dur("5.s"), 5000);
	T_EQ_INT(dur("1ns"), 1);
	T_EQ_INT(dur("1500us"), 2);
	T_EQ_INT(dur("1\xc2\xb5s"), 1);
	T_EQ_INT(dur("0"), 0);
	T_EQ_INT(dur("+1s"), 1000);
	T_EQ_INT(dur("-1s"), -1000);
	T_EQ_INT(dur("2562047h"), 9223369200000LL);
	T_EQ_INT(dur("2562048h"), -999);
	T_EQ_INT(dur(""), -999);
	T_EQ_INT(dur("30"), -999);
	T_EQ_INT(dur("."), -999);
	T_EQ_INT(dur("1d"), -999);
	T_EQ_INT(dur("1 s"), -999);
	T_EQ_INT(dur("always"), -999);
	T_EQ_INT(dur("until restart"), -999);
}

/*
 * pol_fold_equal's ASCII pass hands over to pol_ufold_equal at the first byte
 * beyond ASCII: the answers are Go's strings.EqualFold's, and the same
 * as pol_ufold_equal's on the whole strings.
 */
static void
test_fold(void)
{
	static const struct {
		const char	*a, *b;
		int		 eq;
	} c[] = {
		{ "/usr/bin/Curl", "/usr/bin/curl", 1 },
		{ "/usr/bin/curl", "/usr/bin/curlx", 0 },
		{ "/usr/bin/curlx", "/usr/bin/curl", 0 },
		{ "", "", 1 },
		{ "", "a", 0 },
		{ "abcX", "abcY", 0 },
		{ "k", "\xe2\x84\xaa", 1 },		/* Kelvin sign */
		{ "/opt/K", "/opt/\xe2\x84\xaa", 1 },
		{ "/opt/\xe2\x84\xaa", "/opt/k", 1 },
		{ "s", "\xc5\xbf", 1 },		/* long s */
		{ "ss", "\xc3\x9f", 0 },		/* sharp s: no */
		{ "/opt/\xc3\x84PP/bin", "/opt/\xc3\xa4pp/bin", 1 },
		{ "/opt/\xc3\x84PP/bin", "/opt/\xc3\xa4pq/bin", 0 },
		{ "ab\xc3", "ab\xc3\xa4", 0 },
		{ "a\xff", "A\xfe", 1 },		/* both U+FFFD */
	};
	size_t	i, al, bl;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		al = strlen(c[i].a);
		bl = strlen(c[i].b);
		T_EQ_INT(pol_fold_equal(c[i].a, al, c[i].b, bl), c[i].eq);
		T_EQ_INT(pol_fold_equal(c[i].a, al, c[i].b, bl),
		    pol_ufold_equal(c[i].a, al, c[i].b, bl));
	}
}

/*
 * pol_contains: the literal prefilter of regexp operators, by scan and, past
 * PCONTAINS_SCAN_MAX, by memmem.
 */
static void
test_contains(void)
{
	char	big[PCONTAINS_SCAN_MAX];

	T_EQ_INT(pol_contains("curl --insecure x", 17, "--insecure", 10), 1);
	T_EQ_INT(pol_contains("curl --insecur", 14, "--insecure", 10), 0);
	T_EQ_INT(pol_contains("aaaaaaaab", 9, "aab", 3), 1);
	T_EQ_INT(pol_contains("ab", 2, "abc", 3), 0);
	T_EQ_INT(pol_contains("xyz", 3, "z", 1), 1);
	T_EQ_INT(pol_contains("xyz", 3, "", 0), 1);
	/* Beyond PCONTAINS_SCAN_MAX: memmem, the same answers. */
	memset(big, 'a', sizeof(big));
	memcpy(big + sizeof(big) - 3, "aab", 3);
	T_EQ_INT(pol_contains(big, sizeof(big), "aab", 3), 1);
	T_EQ_INT(pol_contains(big, sizeof(big) - 1, "aab", 3), 0);
}

/*
 * The packed layout: keys of every length class (the varint in front of
 * each changes size at 128 bytes), a table grown past its size and fitted
 * back, values kept through both, and the bound the domain lists are sized
 * by: at most 25 bytes per key beside the key's own bytes.
 */
static void
test_set_layout(void)
{
	struct strset	 s;
	char		 k[400];
	size_t		 i, names = 0, len;
	uint32_t	 v = 0;
	int		 ok = 1;

	T_EQ_INT(pol_strset_init(&s, 100, 1, tkey), 0);
	for (i = 0; i < 50000; i++) {
		len = (size_t)snprintf(k, sizeof(k), "%zu.example.com", i);
		if (i % 100 == 0) {
			/* 127, 128 and longer keys. */
			memset(k + len, 'x', 127 + i % 300 - len);
			len = 127 + i % 300;
		}
		names += len;
		if (pol_strset_add(&s, k, len, (uint32_t)i, NULL) != 1)
			ok = 0;
	}
	T_CHECK(ok);
	T_EQ_INT(pol_strset_add(&s, "0.example.com", 13, 1, NULL), 1);
	T_EQ_INT(pol_strset_fit(&s), 0);
	T_EQ_INT(s.n, 50001);
	T_CHECK(s.cap * 4 >= s.n * 5);
	for (i = 0; i < 50000 && ok; i++) {
		len = (size_t)snprintf(k, sizeof(k), "%zu.example.com", i);
		if (i % 100 == 0) {
			memset(k + len, 'x', 127 + i % 300 - len);
			len = 127 + i % 300;
		}
		if (pol_strset_find(&s, k, len, &v) != 1 || v != i)
			ok = 0;
		k[0] ^= 0x40;
		if (pol_strset_find(&s, k, len, NULL) != 0)
			ok = 0;
	}
	T_CHECK(ok);
	T_EQ_INT(pol_strset_find(&s, "0.example.com", 13, &v), 1);
	T_EQ_INT(v, 1);
	T_EQ_INT(pol_strset_find(&s, "0.example.co", 12, NULL), 0);
	T_EQ_INT(s.acap, s.alen);
	names += 13;
	T_CHECK(s.alen + s.cap * (sizeof(*s.off) + sizeof(*s.tag)) - names <=
	    25 * s.n);
	pol_strset_free(&s);
}

static void
test_sets(void)
{
	struct strset		s;
	struct lpm		l;
	struct ipnet		n;
	struct policy_ip	ip;
	char			k[32];
	uint32_t		v = 0, old = 0;
	int			i;

	T_EQ_INT(pol_strset_init(&s, 0, 1, tkey), 0);
	for (i = 0; i < 100000; i++) {
		snprintf(k, sizeof(k), "key%d", i);
		T_CHECK(pol_strset_add(&s, k, strlen(k), (uint32_t)i,
		    NULL) == 1);
	}
	T_EQ_INT(s.n, 100000);
	T_EQ_INT(pol_strset_add(&s, "key7", 4, 99, &old), 0);
	T_EQ_INT(old, 7);
	T_EQ_INT(pol_strset_find(&s, "key7", 4, &v), 1);
	T_EQ_INT(v, 99);
	T_EQ_INT(pol_strset_find(&s, "key99999", 8, &v), 1);
	T_EQ_INT(v, 99999);
	T_EQ_INT(pol_strset_find(&s, "key100000", 9, NULL), 0);
	T_EQ_INT(pol_strset_add(&s, "", 0, 5, NULL), 1);
	T_EQ_INT(pol_strset_find(&s, "", 0, &v), 1);
	T_EQ_INT(v, 5);
	pol_strset_free(&s);

	T_EQ_INT(pol_lpm_init(&l, 0, tkey), 0);
	T_EQ_INT(pol_ipnet_parse("10.0.0.0/8", 10, &n), 0);
	T_EQ_INT(pol_lpm_add(&l, &n), 1);
	T_EQ_INT(pol_lpm_add(&l, &n), 0);
	T_EQ_INT(pol_ipnet_parse("2001:db8::/32", 13, &n), 0);
	T_EQ_INT(pol_lpm_add(&l, &n), 1);
	T_EQ_INT(pol_ipnet_parse("::ffff:192.168.0.0/112", 22, &n), 0);
	T_EQ_INT(pol_lpm_add(&l, &n), 1);
	policy_ip_parse("10.200.1.1", &ip);
	T_EQ_INT(pol_lpm_contains(&l, &ip), 1);
	policy_ip_parse("192.168.3.4", &ip);
	T_EQ_INT(pol_lpm_contains(&l, &ip), 1);
	policy_ip_parse("192.169.3.4", &ip);
	T_EQ_INT(pol_lpm_contains(&l, &ip), 0);
	policy_ip_parse("2001:db8:1::5", &ip);
	T_EQ_INT(pol_lpm_contains(&l, &ip), 1);
	policy_ip_parse("2001:db9::", &ip);
	T_EQ_INT(pol_lpm_contains(&l, &ip), 0);
	pol_lpm_free(&l);
}

static const char *
lit(const char *pat)
{
	static char	buf[256];
	size_t		n;

	n = pol_re_literal(pat, strlen(pat), buf, sizeof(buf) - 1);
	buf[n] = '\0';
	return buf;
}

/* For random subjects, a match always contains the literal. */
static void
sound(const char *pat)
{
	static const char	 alpha[] = "ab.xyz/-\xc3\xa4";
	struct re2		*re;
	char			 l[256], s[16], err[256];
	size_t			 ll, n, i, j;
	unsigned		 seed = 7;
	int			 bad = 0;

	ll = pol_re_literal(pat, strlen(pat), l, sizeof(l));
	if ((re = policy_re2_compile(pat, strlen(pat), err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "sound: %s: %s\n", pat, err);
		T_CHECK(re != NULL);
		return;
	}
	for (i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		n = (seed >> 16) % sizeof(s);
		for (j = 0; j < n; j++) {
			seed = seed * 1103515245 + 12345;
			s[j] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		if (policy_re2_search(re, s, n) == 1 && ll > 0 &&
		    memmem(s, n, l, ll) == NULL)
			bad++;
	}
	if (bad)
		fprintf(stderr, "sound: /%s/ literal \"%.*s\" missing from %d "
		    "matches\n", pat, (int)ll, l, bad);
	T_EQ_INT(bad, 0);
	policy_re2_free(re);
}

static void
test_relit(void)
{
	static const char *const pats[] = {
		"ab", "a.b", "ab*", "ab+x", "ab?", "a(b)x", "x[ab]y", "a|b",
		"^/ab$", "\\.ab", "ab{0,2}x", "ab{2}x", "a\\x62b", "(?i)ab",
		"(?i:ab)x", "a\\d", "\\Qab\\E", "ab*?x", "[a-b]+\\.x",
		"\xc3\xa4" "b", "\xc3\xa4?b", "a\\b/b", "(a|b)ab", "ab\\pLy",
	};
	size_t	i;

	T_EQ_STR(lit("curl"), "curl");
	T_EQ_STR(lit("^/usr/bin/curl$"), "/usr/bin/curl");
	T_EQ_STR(lit("(^|\\.)telemetry\\.mozilla\\.org$"),
	    "telemetry.mozilla.org");
	T_EQ_STR(lit("185\\.53\\.178\\..*"), "185.53.178.");
	T_EQ_STR(lit("ab*c"), "a");
	T_EQ_STR(lit("ab*cd"), "cd");
	T_EQ_STR(lit("abc*"), "ab");
	T_EQ_STR(lit("ab+c"), "ab");
	T_EQ_STR(lit("abc{0,3}d"), "ab");
	T_EQ_STR(lit("abcd{2,}e"), "abcd");
	T_EQ_STR(lit("a|bcd"), "");
	T_EQ_STR(lit("(?i)abc"), "");
	T_EQ_STR(lit("x(?i:abc)"), "x");
	T_EQ_STR(lit("\\Qabc\\E"), "");
	T_EQ_STR(lit("[abc]xy"), "xy");
	T_EQ_STR(lit("[]abc]xy"), "xy");
	T_EQ_STR(lit("a\\x41bcd"), "bcd");
	T_EQ_STR(lit("\\pLabc"), "abc");
	T_EQ_STR(lit("\\p{Greek}abc"), "abc");
	T_EQ_STR(lit("a\xef\xbf\xbd" "bc"), "");
	T_EQ_STR(lit("*abc"), "");
	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++)
		sound(pats[i]);
}

int
main(void)
{
	test_ip();
	test_cidr();
	test_glob();
	test_duration();
	test_sets();
	test_set_layout();
	test_contains();
	test_fold();
	test_relit();
	return t_done("policy-util");
}
