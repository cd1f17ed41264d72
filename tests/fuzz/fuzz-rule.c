/*
 * fuzz-rule.c: policy_load_rule(), one rule file as ruled reads it: the
 * JSON parser, the rule decoder and validator, the compilation of every
 * operator (RE2 translated to TRE, networks, lists, ranges), then lint
 * and a few matches.  Promises checked: a refused file leaves the set as
 * it was and says why; a loaded rule, written back as OpenSnitch writes
 * it, loads again and writes back the same; a name that may become a
 * file name stays inside the rules directory.
 */
#include <string.h>

#include "fuzz.h"
#include "policy.h"
#include "rulefile.h"

static struct policy	*fuzz_rule_policy(void);
static void		 fuzz_rule_lint(const struct policy_diag *, void *);
static void		 fuzz_rule_match(struct policy *);
static void		 fuzz_rule_roundtrip(struct policy *, const char *);
static void		 fuzz_rule_name(const char *);

#define FUZZ_NOW	1700000000000LL

static int
fuzz_rule_user(const char *name, uint32_t *uid, void *arg)
{
	if (strcmp(name, "root") == 0) {
		*uid = 0;
		return 0;
	}
	if (strcmp(name, "alice") == 0) {
		*uid = 1000;
		return 0;
	}
	return -1;
}

static struct policy *
fuzz_rule_policy(void)
{
	struct policy_opts	 o;
	struct policy		*p;

	memset(&o, 0, sizeof(o));
	o.default_action = POLICY_DENY;
	o.user_lookup = fuzz_rule_user;
	memset(o.hash_seed, 0x5e, sizeof(o.hash_seed));
	if ((p = policy_new(&o)) == NULL)
		abort();
	return p;
}

static void
fuzz_rule_lint(const struct policy_diag *d, void *arg)
{
	FUZZ_ASSERT(d->msg != NULL && d->code != NULL && d->field != NULL);
	(*(size_t *)arg)++;
}

static void
fuzz_rule_match(struct policy *p)
{
	static const char *const parents[] = { "/usr/bin/bash", "/sbin/init" };
	static const struct policy_env env[] = { { "HOME", "/root" } };
	struct policy_conn	 c;
	struct policy_result	 res;

	memset(&c, 0, sizeof(c));
	c.path = "/usr/bin/curl";
	c.command = "curl -s https://example.com/";
	c.parents = parents;
	c.nparents = 2;
	c.env = env;
	c.nenv = 1;
	c.md5 = "d41d8cd98f00b204e9800998ecf8427e";
	c.pid = 4242;
	c.uid = 1000;
	c.proto = "tcp";
	c.src.family = 4;
	memcpy(c.src.addr, "\x0a\x00\x00\x02", 4);
	c.dst.family = 4;
	memcpy(c.dst.addr, "\x5d\xb8\xd7\x0e", 4);
	c.sport = 40312;
	c.dport = 443;
	c.host = "www.example.com";
	c.iface_out = "eth0";
	FUZZ_ASSERT(policy_match(p, &c, &res) == 0);
	FUZZ_ASSERT(res.verdict <= POLICY_REJECT);
	FUZZ_ASSERT((res.verdict == POLICY_NONE) == (res.rule == NULL));
	c.proto = "udp6";
	c.dst.family = 6;
	memcpy(c.dst.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	c.host = "";
	c.uid = -1;
	FUZZ_ASSERT(policy_match(p, &c, &res) == 0);
	FUZZ_ASSERT((res.verdict == POLICY_NONE) == (res.rule == NULL));
}

/* Written back as OpenSnitch's Save() does, the rule loads unchanged. */
static void
fuzz_rule_roundtrip(struct policy *p, const char *name)
{
	struct policy	*q;
	struct policy_err err;
	char		*a = NULL, *b = NULL;
	size_t		 alen, blen;

	FUZZ_ASSERT(policy_rule_json(p, name, NULL, &a, &alen) == 0);
	FUZZ_ASSERT(strlen(a) == alen);
	q = fuzz_rule_policy();
	if (policy_load_rule(q, "again.json", a, alen, FUZZ_NOW, &err) != 0) {
		fprintf(stderr, "written back:\n%s\nrefused: %s: %s\n", a,
		    err.field, err.reason);
		abort();
	}
	FUZZ_ASSERT(policy_rule_count(q) == 1);
	FUZZ_ASSERT(strcmp(policy_rule_name(q, 0), name) == 0);
	FUZZ_ASSERT(policy_rule_json(q, name, NULL, &b, &blen) == 0);
	FUZZ_ASSERT(alen == blen && memcmp(a, b, alen) == 0);
	free(a);
	free(b);
	policy_free(q);
}

/* The daemon's two gates for names that become files agree. */
static void
fuzz_rule_name(const char *name)
{
	char	 file[MAX_RULEFILE_NAME + 8];

	if (!policy_rule_name_ok(name))
		return;
	FUZZ_ASSERT(strchr(name, '/') == NULL && name[0] != '.');
	FUZZ_ASSERT(strstr(name, "..") == NULL);
	FUZZ_ASSERT((size_t)snprintf(file, sizeof(file), "%s.json", name) <
	    sizeof(file));
	FUZZ_ASSERT(rulefile_name_ok(file));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy		*p;
	struct policy_err	 err;
	size_t			 ndiag = 0;
	char			*copy, line[2048];
	const char		*name;

	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	p = fuzz_rule_policy();
	if (policy_load_rule(p, "fuzz.json", copy, size, FUZZ_NOW, &err)
	    != 0) {
		FUZZ_ASSERT(err.reason[0] != '\0');
		FUZZ_ASSERT(policy_rule_count(p) == 0);
		policy_err_format(&err, line, sizeof(line));
		FUZZ_ASSERT(strlen(line) < sizeof(line));
		policy_free(p);
		free(copy);
		return 0;
	}
	FUZZ_ASSERT(policy_rule_count(p) == 1);
	name = policy_rule_name(p, 0);
	FUZZ_ASSERT(name != NULL);
	FUZZ_ASSERT(strcmp(policy_rule_file(p, 0), "fuzz.json") == 0);
	fuzz_rule_name(name);
	policy_lint(p, fuzz_rule_lint, &ndiag);
	fuzz_rule_match(p);
	fuzz_rule_roundtrip(p, name);
	policy_expire(p, FUZZ_NOW + 86400000LL * 366);
	FUZZ_ASSERT(policy_remove_file(p, "fuzz.json") <= 1);
	FUZZ_ASSERT(policy_rule_count(p) == 0);
	policy_free(p);
	free(copy);
	return 0;
}
