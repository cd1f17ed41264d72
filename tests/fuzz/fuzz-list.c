/*
 * fuzz-list.c: policy_list_load(), one block-list file of a lists
 * directory as ruled indexes it.  Built once per list format
 * (FUZZ_LIST_OPERAND: lists.domains, lists.domains_regexp, lists.ips,
 * lists.nets, lists.hash.md5), each with a case-insensitive and a
 * case-sensitive rule on the same directory (two indexes, D8).  The
 * input is the file; its last line is then looked up as the host, the
 * address or the hash.  Promises checked: the load succeeds or says
 * why, the rules stay in place either way, and a lookup answers.
 */
#include <string.h>

#include "fuzz.h"
#include "policy.h"

#ifndef FUZZ_LIST_OPERAND
#error FUZZ_LIST_OPERAND names the lists operand this target fuzzes
#endif

#define FUZZ_LIST_DIR	"/fuzz/lists"

static struct policy	*fuzz_list_policy(void);
static void		 fuzz_list_lint(const struct policy_diag *, void *);
static void		 fuzz_list_lookup(struct policy *, const char *);

static const char *const fuzz_list_rules[] = {
	"{\"name\":\"a-insensitive\",\"action\":\"deny\","
	    "\"duration\":\"always\",\"enabled\":true,"
	    "\"operator\":{\"type\":\"lists\",\"operand\":\""
	    FUZZ_LIST_OPERAND "\",\"sensitive\":false,\"data\":\""
	    FUZZ_LIST_DIR "\"}}",
	"{\"name\":\"b-sensitive\",\"action\":\"reject\","
	    "\"duration\":\"always\",\"enabled\":true,"
	    "\"operator\":{\"type\":\"lists\",\"operand\":\""
	    FUZZ_LIST_OPERAND "\",\"sensitive\":true,\"data\":\""
	    FUZZ_LIST_DIR "\"}}",
};

static struct policy *
fuzz_list_policy(void)
{
	struct policy_opts	 o;
	struct policy_err	 err;
	struct policy		*p;
	char			 file[16];
	size_t			 i;

	memset(&o, 0, sizeof(o));
	o.default_action = POLICY_DENY;
	memset(o.hash_seed, 0x5e, sizeof(o.hash_seed));
	if ((p = policy_new(&o)) == NULL)
		abort();
	for (i = 0; i < sizeof(fuzz_list_rules) / sizeof(*fuzz_list_rules);
	    i++) {
		snprintf(file, sizeof(file), "%zu.json", i);
		if (policy_load_rule(p, file, fuzz_list_rules[i],
		    strlen(fuzz_list_rules[i]), 0, &err) != 0) {
			fprintf(stderr, "fuzz-list: %s: %s\n", err.field,
			    err.reason);
			abort();
		}
	}
	return p;
}

static void
fuzz_list_lint(const struct policy_diag *d, void *arg)
{
	FUZZ_ASSERT(d->msg != NULL && d->code != NULL);
}

/* The key as every operand kind reads it. */
static void
fuzz_list_lookup(struct policy *p, const char *key)
{
	struct policy_conn	 c;
	struct policy_result	 res;

	memset(&c, 0, sizeof(c));
	c.path = "/usr/bin/curl";
	c.proto = "tcp";
	c.uid = 1000;
	c.dport = 443;
	c.host = key;
	c.md5 = key;
	if (policy_ip_parse(key, &c.dst) == -1) {
		c.dst.family = 4;
		memcpy(c.dst.addr, "\x0a\x01\x02\x03", 4);
	}
	FUZZ_ASSERT(policy_match(p, &c, &res) == 0);
	FUZZ_ASSERT((res.verdict == POLICY_NONE) == (res.rule == NULL));
	FUZZ_ASSERT(res.verdict != POLICY_ALLOW);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct policy	*p;
	struct policy_list_file	 f;
	struct policy_err	 err;
	char			*copy, *key, *nl;
	size_t			 i, loaded = 0;

	if (p == NULL)
		p = fuzz_list_policy();
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	f.name = "fuzz.txt";
	f.data = copy;
	f.len = size;
	for (i = 0; i < policy_list_dir_count(p); i++) {
		if (strcmp(policy_list_dir(p, i), FUZZ_LIST_DIR) != 0)
			continue;
		if (policy_list_load(p, FUZZ_LIST_DIR, &f, 1, &err) != 0)
			FUZZ_ASSERT(err.reason[0] != '\0');
		else
			loaded++;
		break;
	}
	FUZZ_ASSERT(i < policy_list_dir_count(p));
	FUZZ_ASSERT(policy_rule_count(p) == 2);
	if (loaded)
		FUZZ_ASSERT(policy_list_dir_loaded(p, i));
	policy_lint(p, fuzz_list_lint, NULL);

	/* The last line, as a NUL-terminated key. */
	if ((key = malloc(size + 1)) == NULL)
		abort();
	memcpy(key, data, size);
	key[size] = '\0';
	while ((nl = strrchr(key, '\n')) != NULL && nl[1] == '\0')
		*nl = '\0';
	nl = strrchr(key, '\n');
	fuzz_list_lookup(p, nl != NULL ? nl + 1 : key);
	free(key);
	free(copy);
	return 0;
}
