/*
 * cmd_events.c: `tattle events`: the decisions the daemon made, the
 * recent ones it kept (at most 512) and, with -f, the new ones as they
 * happen.  One line each: time, verdict, why, and who went where.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "uiclient.h"

#define EVENTS_KEPT	512	/* the server's MAX_UI_BACKLOG */

int		 cmd_events(int, char **);
static void	 events_usage(FILE *);
static void	 events_print(yajl_val);

static void
events_usage(FILE *f)
{
	fprintf(f, "usage: tattle events [--socket PATH] [-f] [-n N] "
	    "[--json]\n"
	    "Show the connections the daemon decided: the last N it kept "
	    "(default all\nof at most %d; with -f, 10), then with -f the new "
	    "ones until interrupted.\n"
	    "  -s, --socket PATH   the UI socket (default %s)\n"
	    "  -f, --follow        keep printing new events\n"
	    "  -n, --lines N       how many kept events to show first\n"
	    "  -j, --json          one JSON object a line, as the daemon "
	    "sends it\n"
	    "Exit 0 done, 1 failed, 2 usage, 3 daemon not running.\n",
	    EVENTS_KEPT, UI_SOCKET_DEFAULT);
}

/* 2026-11-23 18:38:09 deny    rule block-trackers  /usr/bin/curl ... */
static void
events_print(yajl_val ev)
{
	const char	*verdict = uic_str(ev, "verdict");
	const char	*reason = uic_str(ev, "reason");
	const char	*rule = uic_str(ev, "rule");

	uifmt_time(stdout, uic_str(ev, "time"));
	printf(" %-6s ", verdict != NULL ? verdict : "?");
	if (rule != NULL) {
		printf("rule ");
		uifmt_safe(stdout, rule, 64);
	} else
		printf("%s", reason != NULL ? reason : "?");
	printf("  ");
	uifmt_conn_line(stdout, uic_get(ev, "conn"));
	printf("\n");
}

int
cmd_events(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "follow", no_argument, NULL, 'f' },
		{ "lines", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct uic	 c;
	yajl_val	 v;
	const char	*sock = UI_SOCKET_DEFAULT;
	char		 members[96], *end;
	uint64_t	 req;
	long		 n = -1;
	int		 ch, json = 0, follow = 0, rv, st, done = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "s:fn:jh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 's':
			sock = optarg;
			break;
		case 'f':
			follow = 1;
			break;
		case 'n':
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || n < 0) {
				fprintf(stderr, "tattle events: -n: not a "
				    "count: %s\n", optarg);
				return EXIT_UI_USAGE;
			}
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			events_usage(stdout);
			return EXIT_UI_OK;
		default:
			events_usage(stderr);
			return EXIT_UI_USAGE;
		}
	}
	if (argc != optind) {
		events_usage(stderr);
		return EXIT_UI_USAGE;
	}
	if (n < 0)
		n = follow ? 10 : EVENTS_KEPT;
	if (n > EVENTS_KEPT)
		n = EVENTS_KEPT;
	if ((rv = uic_open(&c, sock, "tattle events")) != EXIT_UI_OK) {
		fprintf(stderr, "tattle events: %s\n", c.err);
		uic_close(&c);
		return rv;
	}
	snprintf(members, sizeof(members), "\"events\":%s,\"backlog\":%ld",
	    follow ? "true" : "false", n);
	if (uic_request(&c, "subscribe", members, &req) == -1) {
		fprintf(stderr, "tattle events: %s\n", c.err);
		uic_close(&c);
		return EXIT_UI_FAIL;
	}
	/* The kept events come first, then the subscription's result. */
	while ((v = uic_next(&c, follow || done ? -1 : UIC_TIMEOUT_MS,
	    &st)) != NULL) {
		if (uic_is(v, "event")) {
			if (json)
				printf("%s\n", c.line);
			else
				events_print(v);
			fflush(stdout);
		} else if (uic_is(v, "result"))
			done = 1;
		else if (uic_is(v, "error")) {
			fprintf(stderr, "tattle events: %s\n",
			    uic_str(v, "message") != NULL ?
			    uic_str(v, "message") : "error");
			yajl_tree_free(v);
			uic_close(&c);
			return EXIT_UI_FAIL;
		}
		yajl_tree_free(v);
		if (done && !follow)
			break;
	}
	if (v == NULL) {
		fprintf(stderr, "tattle events: %s\n", st == 0 ?
		    "no answer from tattled" : c.err);
		uic_close(&c);
		return EXIT_UI_FAIL;
	}
	uic_close(&c);
	return fflush(stdout) == EOF ? EXIT_UI_FAIL : EXIT_UI_OK;
}
