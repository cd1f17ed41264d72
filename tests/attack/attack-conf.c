/*
 * attack-conf.c: config.json built to hurt packetd, which parses it as
 * root before any sandbox (SECURITY.md A.4: deeply nested JSON, NUL,
 * numbers built to wrap; issue 15: ListsRoots and ResolvConf that are
 * not bounded arrays of absolute paths).  Each case ends in the refusal
 * it must get.
 */
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "t.h"

static int	 attack_parse(const char *, size_t, char *, size_t,
		    struct tattle_config *);

static void
attack_note(const char *line)
{
}

static int
attack_parse(const char *buf, size_t len, char *err, size_t errlen,
    struct tattle_config *cfg)
{
	conf_defaults(cfg);
	err[0] = '\0';
	return conf_parse(cfg, "config.json", buf, len, attack_note, err,
	    errlen);
}

/*
 * yajl_tree recurses as deep as the document: a depth check that counted
 * brackets inside a comment (which yajl_tree skips) let 300000 levels
 * through, and packetd died of a stack overflow.
 */
static void
attack_depth_behind_comment(void)
{
	struct tattle_config	 cfg;
	const size_t		 n = 300000;
	char			 err[512];
	char			*s, *p;

	if ((s = malloc(3 * n + 64)) == NULL)
		abort();
	p = s;
	p += sprintf(p, "{\"LogLevel\":1 /* ");
	memset(p, '}', n);
	p += n;
	p += sprintf(p, " */, \"Server\":");
	memset(p, '[', n);
	p += n;
	memset(p, ']', n);
	p += n;
	*p++ = '}';
	T_CHECK((size_t)(p - s) < MAX_CONF_SIZE);
	T_EQ_INT(attack_parse(s, p - s, err, sizeof(err), &cfg), -1);
	T_EQ_STR(err, "config.json: contains a comment (JSON has none)");
	free(s);
}

static void
attack_comments(void)
{
	struct tattle_config	 cfg;
	char			 err[512];
	const char		*c1 = "{\"LogLevel\": 2} // trailing";
	const char		*c2 = "{\"UIGroup\": \"a/*b\"}";

	T_EQ_INT(attack_parse(c1, strlen(c1), err, sizeof(err), &cfg), -1);
	T_EQ_STR(err, "config.json: contains a comment (JSON has none)");
	/* A slash inside a string is not a comment. */
	T_EQ_INT(attack_parse(c2, strlen(c2), err, sizeof(err), &cfg), 0);
	T_EQ_STR(cfg.ui_group, "a/*b");
}

/* "307445734561825861m" is 44 s once the product wraps at 2^64. */
static void
attack_timeout_wrap(void)
{
	struct tattle_config	 cfg;
	char			 err[512];
	const char		*w =
	    "{\"PromptTimeout\":\"307445734561825861m\"}";
	const char		*ok = "{\"PromptTimeout\":\"60m\"}";

	T_EQ_INT(attack_parse(w, strlen(w), err, sizeof(err), &cfg), -1);
	T_EQ_STR(err, "config.json: PromptTimeout: must be between 1 and "
	    "3600 seconds");
	T_EQ_INT(attack_parse(ok, strlen(ok), err, sizeof(err), &cfg), 0);
	T_EQ_INT(cfg.prompt_timeout, 3600);
}

static void
attack_paths(void)
{
	struct tattle_config	 cfg;
	char			 err[512];
	const char		*rel = "{\"ListsRoots\":[\"lists\"]}";
	const char		*str = "{\"ResolvConf\":\"/etc/resolv.conf\"}";
	const char		*many = "{\"ListsRoots\":[\"/a\",\"/b\",\"/c\","
	    "\"/d\",\"/e\",\"/f\",\"/g\",\"/h\",\"/i\"]}";
	const char		*ok = "{\"ListsRoots\":[\"/srv/lists\"],"
	    "\"ResolvConf\":[]}";

	T_EQ_INT(attack_parse(rel, strlen(rel), err, sizeof(err), &cfg), -1);
	T_EQ_STR(err, "config.json: ListsRoots: \"lists\" is not an absolute "
	    "path");
	T_EQ_INT(attack_parse(str, strlen(str), err, sizeof(err), &cfg), -1);
	T_EQ_STR(err, "config.json: ResolvConf: must be an array of paths");
	T_EQ_INT(attack_parse(many, strlen(many), err, sizeof(err), &cfg), -1);
	T_EQ_STR(err, "config.json: ListsRoots: more than 8 paths");
	/* The defaults: beside the rules, and OpenSnitch's place. */
	T_EQ_INT(attack_parse("{}", 2, err, sizeof(err), &cfg), 0);
	T_EQ_INT((int)cfg.nlists_roots, 2);
	T_EQ_INT((int)cfg.nresolv_conf, 2);
	T_EQ_STR(cfg.resolv_conf[0], "/etc/resolv.conf");
	T_EQ_INT(attack_parse(ok, strlen(ok), err, sizeof(err), &cfg), 0);
	T_EQ_INT((int)cfg.nlists_roots, 1);
	T_EQ_STR(cfg.lists_roots[0], "/srv/lists");
	T_EQ_INT((int)cfg.nresolv_conf, 0);
}

int
main(void)
{
	attack_paths();
	attack_depth_behind_comment();
	attack_comments();
	attack_timeout_wrap();
	return t_done("attack-conf");
}
