/*
 * cmd_stats.c: `tattle stats`: the daemon's counters and the modes in
 * force.  The well-known ones first, in words; every other counter the
 * daemon sends after them, by name, so nothing it counts is hidden.
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "uiclient.h"

int		 cmd_stats(int, char **);
static void	 stats_usage(FILE *);
static void	 stats_print(yajl_val);
static void	 stats_group(yajl_val, const char *, const char *);
static int	 stats_known(const char *);

static const char *const stats_shown[] = {
	"uptime_s", "fail_mode", "queue_path", "default_action",
	"prompt_timeout_s", "intercept_unknown", "rules", "connections",
	"allowed", "denied", "rejected", "prompts", "prompt_timeouts",
	"unknown_processes", "fail_mode_verdicts", "queue_overflows",
};

static void
stats_usage(FILE *f)
{
	fprintf(f, "usage: tattle stats [--socket PATH] [--json]\n"
	    "Show the running daemon's modes and counters.\n"
	    "  -s, --socket PATH   the UI socket (default %s)\n"
	    "  -j, --json          print the counters as one JSON object\n"
	    "Exit 0 done, 1 failed, 2 usage, 3 daemon not running.\n",
	    UI_SOCKET_DEFAULT);
}

static int
stats_known(const char *k)
{
	size_t	 i;

	for (i = 0; i < sizeof(stats_shown) / sizeof(stats_shown[0]); i++)
		if (strcmp(k, stats_shown[i]) == 0)
			return 1;
	return 0;
}

/* One object of counters, largest first. */
static void
stats_group(yajl_val o, const char *key, const char *title)
{
	yajl_val	 g = uic_get(o, key), v;
	size_t		 i, k, best;
	char		*done;
	long long	 max;

	if (g == NULL || !YAJL_IS_OBJECT(g) || g->u.object.len == 0)
		return;
	if ((done = calloc(g->u.object.len, 1)) == NULL)
		return;
	printf("%s:\n", title);
	for (k = 0; k < g->u.object.len; k++) {
		best = g->u.object.len;
		max = -1;
		for (i = 0; i < g->u.object.len; i++) {
			v = g->u.object.values[i];
			if (done[i] || !YAJL_IS_INTEGER(v))
				continue;
			if (v->u.number.i > max) {
				max = v->u.number.i;
				best = i;
			}
		}
		if (best == g->u.object.len)
			break;
		done[best] = 1;
		printf("  %12lld  ", max);
		uifmt_safe(stdout, g->u.object.keys[best], 128);
		printf("\n");
	}
	free(done);
}

static void
stats_print(yajl_val s)
{
	yajl_val	 v;
	const char	*str;
	uint64_t	 n, a = 0, d = 0, r = 0, t = 0;
	size_t		 i;

	if (uic_u64(s, "uptime_s", &n) == 0)
		printf("uptime              %" PRIu64 "d %02" PRIu64 ":%02"
		    PRIu64 ":%02" PRIu64 "\n", n / 86400, n / 3600 % 24,
		    n / 60 % 60, n % 60);
	if ((str = uic_str(s, "fail_mode")) != NULL)
		printf("fail mode           %s\n", str);
	if ((str = uic_str(s, "queue_path")) != NULL)
		printf("queue               %s\n", str);
	if ((str = uic_str(s, "default_action")) != NULL)
		printf("default action      %s\n", str);
	if (uic_u64(s, "prompt_timeout_s", &n) == 0)
		printf("prompt timeout      %" PRIu64 " s\n", n);
	if ((v = uic_get(s, "intercept_unknown")) != NULL)
		printf("intercept unknown   %s\n", YAJL_IS_TRUE(v) ? "yes" :
		    "no");
	if (uic_u64(s, "rules", &n) == 0)
		printf("rules               %" PRIu64 "\n", n);
	if (uic_u64(s, "connections", &n) == 0) {
		uic_u64(s, "allowed", &a);
		uic_u64(s, "denied", &d);
		uic_u64(s, "rejected", &r);
		printf("connections         %" PRIu64 " (allowed %" PRIu64
		    ", denied %" PRIu64 ", rejected %" PRIu64 ")\n", n, a, d,
		    r);
	}
	if (uic_u64(s, "prompts", &n) == 0) {
		uic_u64(s, "prompt_timeouts", &t);
		printf("prompts             %" PRIu64 " (timed out %" PRIu64
		    ")\n", n, t);
	}
	if (uic_u64(s, "unknown_processes", &n) == 0)
		printf("unknown processes   %" PRIu64 "\n", n);
	if (uic_u64(s, "fail_mode_verdicts", &n) == 0)
		printf("fail-mode verdicts  %" PRIu64 "\n", n);
	if (uic_u64(s, "queue_overflows", &n) == 0)
		printf("queue overflows     %" PRIu64 "\n", n);
	for (i = 0; i < s->u.object.len; i++) {
		v = s->u.object.values[i];
		if (stats_known(s->u.object.keys[i]) || !YAJL_IS_INTEGER(v))
			continue;
		printf("%-19s %lld\n", s->u.object.keys[i], v->u.number.i);
	}
	stats_group(s, "by_reason", "by reason");
	stats_group(s, "by_rule", "by rule");
	for (i = 0; i < s->u.object.len; i++) {
		v = s->u.object.values[i];
		if (!YAJL_IS_OBJECT(v) ||
		    strcmp(s->u.object.keys[i], "by_reason") == 0 ||
		    strcmp(s->u.object.keys[i], "by_rule") == 0)
			continue;
		stats_group(s, s->u.object.keys[i], s->u.object.keys[i]);
	}
}

int
cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct uic	 c;
	yajl_val	 v, s;
	const char	*sock = UI_SOCKET_DEFAULT;
	char		*text;
	int		 ch, json = 0, rv;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "s:jh", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			sock = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			stats_usage(stdout);
			return EXIT_UI_OK;
		default:
			stats_usage(stderr);
			return EXIT_UI_USAGE;
		}
	}
	if (argc != optind) {
		stats_usage(stderr);
		return EXIT_UI_USAGE;
	}
	if ((rv = uic_open(&c, sock, "tattle stats")) != EXIT_UI_OK) {
		fprintf(stderr, "tattle stats: %s\n", c.err);
		uic_close(&c);
		return rv;
	}
	if ((v = uic_call(&c, "stats", NULL, &rv)) == NULL) {
		fprintf(stderr, "tattle stats: %s\n", c.err);
		uic_close(&c);
		return rv;
	}
	if ((s = uic_get(v, "stats")) == NULL || !YAJL_IS_OBJECT(s)) {
		fprintf(stderr, "tattle stats: the reply has no counters\n");
		rv = EXIT_UI_FAIL;
	} else if (json) {
		if ((text = jw_tree_text(s, MAX_UIC_JSON, NULL)) != NULL)
			printf("%s\n", text);
		else
			rv = EXIT_UI_FAIL;
		free(text);
	} else
		stats_print(s);
	yajl_tree_free(v);
	uic_close(&c);
	if (fflush(stdout) == EOF)
		return EXIT_UI_FAIL;
	return rv;
}
