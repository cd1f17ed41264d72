/*
 * policy-scale.c: lists at scale, for correctness only (time and
 * memory are measured by bench/policy-bench): a generated hosts file of
 * 1,000,000 domains plus 100,000 wildcards, and 100,000 networks, load,
 * and every kind of entry answers right, as do names and addresses not in
 * them (the networks checked against a plain scan of all of them).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "policy_int.h"
#include "policy_help.h"
#include "t.h"

#define NDOMAINS	1000000
#define NWILD		100000
#define NNETS		100000
#define NPROBES		2000

static uint64_t	rng = 88172645463325252ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Domain i: distinct for distinct i, of varied shape. */
static int
domain(char *b, size_t len, unsigned i)
{
	static const char *const w[] = {
		"ads", "track", "cdn", "metrics", "pixel", "beacon", "stat",
		"img", "api", "telemetry"
	};
	static const char *const tld[] = { "com", "net", "org", "io", "de" };

	return snprintf(b, len, "%s%u.%s-%u.%s", w[i % 10], i,
	    w[(i / 10) % 10], i % 977, tld[i % 5]);
}

static char *
gen_hosts(size_t *len)
{
	size_t	cap = (size_t)(NDOMAINS + NWILD) * 48 + 64, o = 0;
	char	*b = malloc(cap);
	unsigned i;

	o += (size_t)snprintf(b + o, cap - o, "# generated\n");
	for (i = 0; i < NDOMAINS; i++) {
		o += (size_t)snprintf(b + o, cap - o, "0.0.0.0 ");
		o += (size_t)domain(b + o, cap - o, 2 * i);
		b[o++] = '\n';
	}
	for (i = 0; i < NWILD; i++)
		o += (size_t)snprintf(b + o, cap - o,
		    "0.0.0.0 *.w%u.example.net\n", i);
	*len = o;
	return b;
}

static void
gen_nets(struct ipnet *nets, char **text, size_t *len)
{
	size_t	cap = (size_t)NNETS * 48, o = 0;
	char	*b = malloc(cap), addr[64];
	unsigned i;
	uint64_t r;

	for (i = 0; i < NNETS; i++) {
		r = next();
		if (i % 10 == 0)
			snprintf(addr, sizeof(addr), "2001:db8:%x:%x::/%u",
			    (unsigned)(r & 0xffff),
			    (unsigned)(r >> 16 & 0xffff),
			    (unsigned)(32 + (r >> 32) % 33));
		else
			snprintf(addr, sizeof(addr), "%u.%u.%u.%u/%u",
			    (unsigned)(r & 0xff), (unsigned)(r >> 8 & 0xff),
			    (unsigned)(r >> 16 & 0xff),
			    (unsigned)(r >> 24 & 0xff),
			    (unsigned)(12 + (r >> 32) % 21));
		T_EQ_INT(pol_ipnet_parse(addr, strlen(addr), &nets[i]), 0);
		o += (size_t)snprintf(b + o, cap - o, "%s\n", addr);
	}
	*text = b;
	*len = o;
}

static int
scan(const struct ipnet *nets, const struct policy_ip *ip)
{
	size_t	i;

	for (i = 0; i < NNETS; i++)
		if (pol_ipnet_contains(&nets[i], ip))
			return 1;
	return 0;
}

int
main(void)
{
	struct policy		*p = ph_new();
	struct policy_conn	 c;
	struct policy_list_file	 f;
	struct ipnet		*nets;
	char			 rule[RULEBUF], host[128], addr[64], *text;
	size_t			 len;
	unsigned		 i, k, hits = 0;
	uint64_t		 r;
	int			 want;

	ph_rule(rule, sizeof(rule), "a-domains", "deny", "lists",
	    "lists.domains", "hosts/", 0);
	T_EQ_STR(ph_load(p, "a.json", rule), "");
	ph_rule(rule, sizeof(rule), "b-nets", "reject", "lists",
	    "lists.nets", "nets/", 0);
	T_EQ_STR(ph_load(p, "b.json", rule), "");
	text = gen_hosts(&len);
	f.name = "hosts.txt";
	f.data = text;
	f.len = len;
	T_EQ_INT(policy_list_load(p, "hosts/", &f, 1, NULL), 0);
	free(text);
	nets = calloc(NNETS, sizeof(*nets));
	gen_nets(nets, &text, &len);
	f.name = "nets.txt";
	f.data = text;
	f.len = len;
	T_EQ_INT(policy_list_load(p, "nets/", &f, 1, NULL), 0);
	free(text);

	ph_conn(&c);
	policy_ip_parse("192.0.2.1", &c.dst);	/* TEST-NET-1: in no net? */
	want = scan(nets, &c.dst);
	c.host = host;
	for (k = 0; k < NPROBES; k++) {
		i = (unsigned)(next() % NDOMAINS);
		domain(host, sizeof(host), 2 * i);
		T_EQ_STR(ph_eval(p, &c), "deny:a-domains");
		/* Odd indexes were never listed. */
		domain(host, sizeof(host), 2 * i + 1);
		T_EQ_STR(ph_eval(p, &c), want ? "reject:b-nets" :
		    "prompt-or-default:-");
		i = (unsigned)(next() % NWILD);
		snprintf(host, sizeof(host), "x.y.w%u.example.net", i);
		T_EQ_STR(ph_eval(p, &c), "deny:a-domains");
		snprintf(host, sizeof(host), "w%u.example.net", i);
		T_EQ_STR(ph_eval(p, &c), want ? "reject:b-nets" :
		    "prompt-or-default:-");
		snprintf(host, sizeof(host), "x.w%u.example.org", i);
		T_EQ_STR(ph_eval(p, &c), want ? "reject:b-nets" :
		    "prompt-or-default:-");
	}
	/* Upper case hosts match the insensitive rule. */
	domain(host, sizeof(host), 42);
	for (i = 0; host[i] != '\0'; i++)
		if (host[i] >= 'a' && host[i] <= 'z')
			host[i] -= 'a' - 'A';
	T_EQ_STR(ph_eval(p, &c), "deny:a-domains");

	/* Addresses: inside listed nets and random ones, against a scan. */
	c.host = "";
	for (k = 0; k < NPROBES; k++) {
		r = next();
		if (k % 2 == 0) {
			c.dst.family = nets[r % NNETS].family;
			memcpy(c.dst.addr, nets[r % NNETS].addr, 16);
			c.dst.addr[c.dst.family == 4 ? 3 : 15] |= 1;
		} else if (k % 4 == 1) {
			snprintf(addr, sizeof(addr), "%u.%u.%u.%u",
			    (unsigned)(r & 0xff), (unsigned)(r >> 8 & 0xff),
			    (unsigned)(r >> 16 & 0xff),
			    (unsigned)(r >> 24 & 0xff));
			policy_ip_parse(addr, &c.dst);
		} else {
			snprintf(addr, sizeof(addr), "2001:db8:%x:%x::1",
			    (unsigned)(r & 0xffff),
			    (unsigned)(r >> 16 & 0xffff));
			policy_ip_parse(addr, &c.dst);
		}
		want = scan(nets, &c.dst);
		hits += (unsigned)want;
		T_EQ_STR(ph_eval(p, &c), want ? "reject:b-nets" :
		    "prompt-or-default:-");
	}
	/* Both answers were exercised. */
	T_CHECK(hits > NPROBES / 4 && hits < NPROBES);
	free(nets);
	policy_free(p);
	return t_done("policy-scale");
}
