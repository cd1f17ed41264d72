/*
 * attack-maxrules.c: SECURITY.md A.5, an oversized rule set: MAX_RULES
 * rules load, the next is refused with the bound named, and every rule
 * loaded stays in force.  The time it takes is printed (loading is
 * quadratic in the number of rules: about 12 s here, a minute under
 * ASan), which is why this runs in make check-attack only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy.h"
#include "t.h"

int
main(void)
{
	struct policy_opts	 o;
	struct policy_conn	 c;
	struct policy_result	 r;
	struct policy_err	 err;
	struct policy		*p;
	struct timespec		 t0, t1;
	char			 json[512], file[32];
	size_t			 i;
	int			 len;

	memset(&o, 0, sizeof(o));
	if ((p = policy_new(&o)) == NULL)
		abort();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i <= MAX_RULES; i++) {
		snprintf(file, sizeof(file), "r%06zu.json", i);
		len = snprintf(json, sizeof(json), "{\"name\":\"r%06zu\","
		    "\"action\":\"allow\",\"duration\":\"always\",\"enabled\":"
		    "true,\"operator\":{\"type\":\"simple\",\"operand\":"
		    "\"dest.port\",\"data\":\"%zu\"}}", i, 1 + i % 60000);
		if (policy_load_rule(p, file, json, len, 0, &err) != 0)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%zu rules loaded in %.1f s\n", i, (t1.tv_sec - t0.tv_sec) +
	    (t1.tv_nsec - t0.tv_nsec) / 1e9);
	T_EQ_INT(i, MAX_RULES);
	T_CHECK(strstr(err.reason, "MAX_RULES") != NULL);
	T_EQ_INT(policy_rule_count(p), MAX_RULES);
	memset(&c, 0, sizeof(c));
	c.proto = "tcp";
	c.uid = 0;
	c.dport = 59999;
	T_EQ_INT(policy_match(p, &c, &r), 0);
	T_EQ_INT(r.verdict, POLICY_ALLOW);
	T_EQ_STR(r.rule, "r059998");
	policy_free(p);
	return t_done("attack-maxrules");
}
