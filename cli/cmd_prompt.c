/*
 * cmd_prompt.c: `tattle prompt`: answers the daemon's asks at a
 * terminal.  Each ask shows which program wants to reach what; three
 * one-key questions follow (action, duration, what the rule matches),
 * Enter taking the suggestion, which is never allow.  Keys pressed in
 * the first second after an ask appears are thrown away (they were
 * meant for another window: PAIN.md #4).  Asks queue; one is shown at a
 * time, and one that another client answers or that times out leaves.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "uiclient.h"

#define MAX_PROMPT_ASKS		256	/* asks waiting to be shown */
#define PROMPT_GUARD_MS		1000	/* keys ignored after an ask shows */
#define PROMPT_RETRY_MS		1000	/* between tries to reach tattled */
#define PROMPT_MAX_GUARD_MS	10000

enum prompt_step {
	ST_IDLE,		/* nothing to ask */
	ST_GUARD,		/* shown; keys do not count yet */
	ST_ACTION,
	ST_DURATION,
	ST_MATCH,
	ST_WAIT,		/* answer sent, result awaited */
};

struct pask {
	uint64_t	 id;
	yajl_val	 v;		/* the ask, as received */
	uint64_t	 deadline;	/* uic_now_ms() */
};

struct prompt {
	struct uic		 c;
	struct pask		 q[MAX_PROMPT_ASKS];
	size_t			 n;
	enum prompt_step	 step;
	enum prompt_step	 listed;	/* step whose keys are shown */
	uint64_t		 shown_at;
	int			 guard_ms;
	int			 action;	/* index in actions[] */
	int			 duration;	/* index in durations[] */
	unsigned int		 match;		/* bits of matches[] */
	uint64_t		 wait_req;
	uint64_t		 wait_until;
	uint64_t		 sub_req;	/* the subscription */
	struct termios		 saved;
	int			 raw;
	const char		*sock;
};

static const struct {
	char		 key;
	const char	*name;
} actions[] = {
	{ 'a', "allow" }, { 'd', "deny" }, { 'r', "reject" },
}, durations[] = {
	{ 'o', "once" }, { 'u', "until restart" }, { '1', "30s" },
	{ '2', "5m" }, { '3', "15m" }, { '4', "30m" }, { '5', "1h" },
	{ '6', "12h" }, { '7', "24h" }, { 'f', "always" },
}, matches[] = {
	{ 'e', "executable" }, { 'c', "command" }, { 'h', "host" },
	{ 'i', "ip" }, { 'p', "port" }, { 'u', "user" },
};

#define NACTIONS	(sizeof(actions) / sizeof(actions[0]))
#define NDURATIONS	(sizeof(durations) / sizeof(durations[0]))
#define NMATCHES	(sizeof(matches) / sizeof(matches[0]))

static volatile sig_atomic_t	 prompt_quit;

int		 cmd_prompt(int, char **);
static void	 prompt_usage(FILE *);
static void	 prompt_sig(int);
static int	 prompt_raw(struct prompt *);
static void	 prompt_restore(struct prompt *);
static int	 prompt_index(const char *, int);
static void	 prompt_suggest(struct prompt *);
static void	 prompt_show(struct prompt *);
static void	 prompt_keys(struct prompt *);
static void	 prompt_question(struct prompt *);
static void	 prompt_drop(struct prompt *, size_t);
static void	 prompt_add(struct prompt *, yajl_val);
static void	 prompt_gone(struct prompt *, yajl_val);
static void	 prompt_result(struct prompt *, yajl_val);
static int	 prompt_message(struct prompt *, yajl_val);
static int	 prompt_send(struct prompt *);
static void	 prompt_key(struct prompt *, int);
static int	 prompt_subscribe(struct prompt *);
static int	 prompt_connect(struct prompt *);
static int	 prompt_reconnect(struct prompt *);
static int	 prompt_loop(struct prompt *);

static void
prompt_usage(FILE *f)
{
	fprintf(f, "usage: tattle prompt [--socket PATH] [--guard-ms MS]\n"
	    "Answer tattled's questions about new connections at this "
	    "terminal.\nFor each: the action ([a]llow, [d]eny, [r]eject), "
	    "how long ([o]nce,\n[u]ntil restart, [1] 30s, [2] 5m, [3] 15m, "
	    "[4] 30m, [5] 1h, [6] 12h,\n[7] 24h, [f]orever), and what the "
	    "rule matches ([e]xecutable, [c]ommand,\n[h]ost, [i]p, [p]ort, "
	    "[u]ser; toggles).  Enter takes the suggestion, Esc\ngoes back a "
	    "step, Ctrl-C quits.  Keys pressed in the first second after a\n"
	    "question appears are ignored.  When tattled stops, the "
	    "questions go with it\nand tattle prompt waits for it to "
	    "come back.\n"
	    "  -s, --socket PATH   the UI socket (default %s)\n"
	    "  --guard-ms MS       how long keys are ignored (default %d)\n"
	    "Exit 0 when quit, 1 failed, 2 usage, 3 daemon not running.\n",
	    UI_SOCKET_DEFAULT, PROMPT_GUARD_MS);
}

static void
prompt_sig(int sig)
{
	(void)sig;
	prompt_quit = 1;
}

/* Keys one at a time, not echoed; Ctrl-C still a signal. */
static int
prompt_raw(struct prompt *p)
{
	struct termios	 t;

	if (tcgetattr(0, &p->saved) == -1)
		return -1;
	t = p->saved;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(0, TCSAFLUSH, &t) == -1)
		return -1;
	p->raw = 1;
	return 0;
}

static void
prompt_restore(struct prompt *p)
{
	if (p->raw)
		(void)tcsetattr(0, TCSAFLUSH, &p->saved);
	p->raw = 0;
}

/* Which entry of a table names s; def if none. */
static int
prompt_index(const char *s, int which)
{
	size_t	 i, n = which == 0 ? NACTIONS : which == 1 ? NDURATIONS :
		    NMATCHES;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, which == 0 ? actions[i].name : which == 1 ?
		    durations[i].name : matches[i].name) == 0)
			return (int)i;
	return -1;
}

/* Start from the daemon's suggestion; deny once if it made none. */
static void
prompt_suggest(struct prompt *p)
{
	yajl_val	 s = uic_get(p->q[0].v, "suggested"), m;
	size_t		 i;
	int		 k;

	p->action = prompt_index(uic_str(s, "action"), 0);
	if (p->action < 0 || strcmp(actions[p->action].name, "allow") == 0)
		p->action = 1;
	if ((p->duration = prompt_index(uic_str(s, "duration"), 1)) < 0)
		p->duration = 0;
	p->match = 0;
	m = uic_get(s, "match");
	for (i = 0; m != NULL && YAJL_IS_ARRAY(m) && i < m->u.array.len; i++)
		if (YAJL_IS_STRING(m->u.array.values[i]) && (k = prompt_index(
		    m->u.array.values[i]->u.string, 2)) >= 0)
			p->match |= 1u << k;
	if (p->match == 0)
		p->match = 1u << prompt_index("ip", 2);
}

static void
prompt_show(struct prompt *p)
{
	uint64_t	 now = uic_now_ms();

	if (p->n == 0) {
		p->step = ST_IDLE;
		printf("\nwaiting for connections to ask about "
		    "(Ctrl-C quits)\n");
		fflush(stdout);
		return;
	}
	printf("\n\a=== tattle: connection %" PRIu64 " is waiting for you",
	    p->q[0].id);
	if (p->n > 1)
		printf(" (%zu more after it)", p->n - 1);
	printf(" ===\n");
	uifmt_conn_detail(stdout, uic_get(p->q[0].v, "conn"));
	printf("  decide within %" PRIu64 " s, else tattled applies its "
	    "default action\n", p->q[0].deadline > now ?
	    (p->q[0].deadline - now + 999) / 1000 : 0);
	fflush(stdout);
	/* What was typed before this appeared was not meant for it. */
	(void)tcflush(0, TCIFLUSH);
	prompt_suggest(p);
	p->shown_at = now;
	p->step = ST_GUARD;
	p->listed = ST_IDLE;
}

/* The current question, on one line redrawn in place. */
/*
 * The keys of a step go on a line of their own, once; the line redrawn
 * every second with the countdown stays short enough for any terminal
 * (a wrapped line cannot be redrawn in place).
 */
static void
prompt_keys(struct prompt *p)
{
	switch (p->step) {
	case ST_ACTION:
		printf("\r\033[K  [a]llow [d]eny [r]eject\n");
		break;
	case ST_DURATION:
		printf("\r\033[K  [o]nce [u]ntil restart [1]30s [2]5m [3]15m "
		    "[4]30m [5]1h [6]12h [7]24h [f]orever\n");
		break;
	case ST_MATCH:
		printf("\r\033[K  [e]xecutable [c]ommand [h]ost [i]p [p]ort "
		    "[u]ser (each key toggles)\n");
		break;
	default:
		return;
	}
	p->listed = p->step;
}

static void
prompt_question(struct prompt *p)
{
	uint64_t	 now = uic_now_ms(), left;
	size_t		 i;

	if (p->listed != p->step)
		prompt_keys(p);
	left = p->n > 0 && p->q[0].deadline > now ?
	    (p->q[0].deadline - now + 999) / 1000 : 0;
	printf("\r\033[K[%2" PRIu64 "s] ", left);
	switch (p->step) {
	case ST_ACTION:
		printf("action? (Enter: %s) ", actions[p->action].name);
		break;
	case ST_DURATION:
		printf("%s for? (Enter: %s) ", actions[p->action].name,
		    durations[p->duration].name);
		break;
	case ST_MATCH:
		printf("match?");
		for (i = 0; i < NMATCHES; i++)
			if (p->match & (1u << i))
				printf(" %s", matches[i].name);
		printf(" (Enter: done) ");
		break;
	default:
		break;
	}
	fflush(stdout);
}

static void
prompt_drop(struct prompt *p, size_t i)
{
	yajl_tree_free(p->q[i].v);
	memmove(&p->q[i], &p->q[i + 1], (p->n - i - 1) * sizeof(p->q[0]));
	p->n--;
}

static void
prompt_add(struct prompt *p, yajl_val v)
{
	uint64_t	 id, ms = 30000;

	if (uic_u64(v, "id", &id) == -1) {
		yajl_tree_free(v);
		return;
	}
	if (p->n == MAX_PROMPT_ASKS) {
		printf("\r\033[Kconnection %" PRIu64 ": %d questions already "
		    "wait; this one is left to the timeout\n", id,
		    MAX_PROMPT_ASKS);
		yajl_tree_free(v);
		return;
	}
	(void)uic_u64(v, "timeout_ms", &ms);
	p->q[p->n].id = id;
	p->q[p->n].v = v;
	p->q[p->n].deadline = uic_now_ms() + ms;
	p->n++;
	if (p->n == 1)
		prompt_show(p);
	else if (p->step != ST_GUARD)
		prompt_question(p);
}

static void
prompt_gone(struct prompt *p, yajl_val v)
{
	const char	*why = uic_str(v, "reason");
	uint64_t	 id;
	size_t		 i;

	if (uic_u64(v, "id", &id) == -1)
		return;
	for (i = 0; i < p->n && p->q[i].id != id; i++)
		;
	if (i == p->n)
		return;
	if (i == 0 && p->step != ST_WAIT) {
		printf("\r\033[Kconnection %" PRIu64 ": %s\n", id,
		    why != NULL && strcmp(why, "answered") == 0 ?
		    "answered by another client" : why != NULL &&
		    strcmp(why, "timeout") == 0 ? "time is up; tattled "
		    "applied its default action" : "no longer waiting");
		prompt_drop(p, 0);
		prompt_show(p);
		return;
	}
	if (i > 0)
		prompt_drop(p, i);
}

static void
prompt_result(struct prompt *p, yajl_val v)
{
	const char	*rule = uic_str(v, "rule"), *code, *msg;

	if (uic_is(v, "result")) {
		printf("done");
		if (rule != NULL) {
			printf(": rule ");
			uifmt_safe(stdout, rule, 128);
		}
		printf("\n");
	} else {
		code = uic_str(v, "code");
		msg = uic_str(v, "message");
		if (code != NULL && strcmp(code, "gone") == 0)
			printf("too late: it was already decided\n");
		else {
			printf("refused: ");
			uifmt_safe(stdout, msg != NULL ? msg : "error", 200);
			printf("\n");
		}
	}
	if (p->n > 0)
		prompt_drop(p, 0);
	prompt_show(p);
}

/* One message from the daemon; -1 if it ends the session. */
static int
prompt_message(struct prompt *p, yajl_val v)
{
	uint64_t	 req;
	const char	*msg;

	if (uic_is(v, "ask")) {
		prompt_add(p, v);
		return 0;
	}
	if (uic_is(v, "error") && uic_u64(v, "req", &req) == 0 &&
	    req == p->sub_req) {
		msg = uic_str(v, "message");
		printf("\r\033[Ktattle prompt: subscribing: ");
		uifmt_safe(stdout, msg != NULL ? msg : "error", 200);
		printf("\n");
		yajl_tree_free(v);
		return -1;
	}
	if (uic_is(v, "ask.gone"))
		prompt_gone(p, v);
	else if ((uic_is(v, "result") || uic_is(v, "error")) &&
	    uic_u64(v, "req", &req) == 0 && p->step == ST_WAIT &&
	    req == p->wait_req)
		prompt_result(p, v);
	else if (uic_is(v, "error") && uic_get(v, "req") == NULL) {
		msg = uic_str(v, "message");
		printf("\r\033[Ktattled: ");
		uifmt_safe(stdout, msg != NULL ? msg : "error", 200);
		printf("\n");
		yajl_tree_free(v);
		return -1;
	}
	yajl_tree_free(v);
	return 0;
}

static int
prompt_send(struct prompt *p)
{
	char		 members[512];
	size_t		 i, o;
	const char	*sep = "";

	o = (size_t)snprintf(members, sizeof(members), "\"id\":%" PRIu64
	    ",\"action\":\"%s\",\"duration\":\"%s\",\"match\":[",
	    p->q[0].id, actions[p->action].name, durations[p->duration].name);
	for (i = 0; i < NMATCHES; i++)
		if (p->match & (1u << i)) {
			o += (size_t)snprintf(members + o, sizeof(members) - o,
			    "%s\"%s\"", sep, matches[i].name);
			sep = ",";
		}
	snprintf(members + o, sizeof(members) - o, "]");
	printf("\r\033[K-> %s %s", actions[p->action].name,
	    durations[p->duration].name);
	if (strcmp(durations[p->duration].name, "once") != 0) {
		printf(", matching");
		for (i = 0; i < NMATCHES; i++)
			if (p->match & (1u << i))
				printf(" %s", matches[i].name);
	}
	printf(": ");
	fflush(stdout);
	if (uic_request(&p->c, "answer", members, &p->wait_req) == -1)
		return -1;
	p->step = ST_WAIT;
	p->wait_until = uic_now_ms() + UIC_TIMEOUT_MS;
	return 0;
}

static void
prompt_key(struct prompt *p, int k)
{
	int	 enter = k == '\n' || k == '\r';
	int	 back = k == 033 || k == 0x7f || k == '\b';
	size_t	 i;

	switch (p->step) {
	case ST_ACTION:
		for (i = 0; i < NACTIONS && !enter; i++)
			if (k == actions[i].key)
				break;
		if (!enter && i == NACTIONS)
			return;
		if (!enter)
			p->action = (int)i;
		p->step = ST_DURATION;
		break;
	case ST_DURATION:
		if (back) {
			p->step = ST_ACTION;
			break;
		}
		for (i = 0; i < NDURATIONS && !enter; i++)
			if (k == durations[i].key)
				break;
		if (!enter && i == NDURATIONS)
			return;
		if (!enter)
			p->duration = (int)i;
		/* Once makes no rule: nothing to match. */
		if (strcmp(durations[p->duration].name, "once") == 0) {
			if (prompt_send(p) == -1)
				prompt_quit = 1;
			return;
		}
		p->step = ST_MATCH;
		break;
	case ST_MATCH:
		if (back) {
			p->step = ST_DURATION;
			break;
		}
		if (enter) {
			if (p->match != 0 && prompt_send(p) == -1)
				prompt_quit = 1;
			if (p->match != 0)
				return;
			break;
		}
		for (i = 0; i < NMATCHES; i++)
			if (k == matches[i].key)
				p->match ^= 1u << i;
		break;
	default:
		return;
	}
	prompt_question(p);
}

/*
 * Subscribe to the asks on the open connection (the open asks come
 * before the subscription's result); -1 with the reason in p->c.err.
 */
static int
prompt_subscribe(struct prompt *p)
{
	if (uic_request(&p->c, "subscribe", "\"asks\":true",
	    &p->sub_req) == -1)
		return -1;
	printf("tattle prompt: connected to %s on %s\n", p->c.server,
	    p->sock);
	return 0;
}

/* Connect and subscribe; -1 with the reason in p->c.err. */
static int
prompt_connect(struct prompt *p)
{
	if (uic_open(&p->c, p->sock, "tattle prompt") != EXIT_UI_OK)
		return -1;
	return prompt_subscribe(p);
}

/*
 * tattled went away (a restart, an upgrade): its questions went with
 * it, and those connections got its fail mode.  Wait for it to come
 * back rather than leave the user without a prompt.  -1: Ctrl-C.
 */
static int
prompt_reconnect(struct prompt *p)
{
	printf("\r\033[Ktattle prompt: %s; waiting for tattled to come "
	    "back (Ctrl-C quits)\n", p->c.err);
	fflush(stdout);
	while (p->n > 0)
		prompt_drop(p, 0);
	p->step = ST_IDLE;
	for (;;) {
		uic_close(&p->c);
		if (prompt_quit)
			return -1;
		(void)poll(NULL, 0, PROMPT_RETRY_MS);
		if (prompt_quit)
			return -1;
		if (prompt_connect(p) == 0)
			break;
	}
	/* Keys typed while it was away answer nothing. */
	(void)tcflush(0, TCIFLUSH);
	prompt_show(p);
	return 0;
}

static int
prompt_loop(struct prompt *p)
{
	struct pollfd	 pfd[2];
	yajl_val	 v;
	uint64_t	 now, tick = 0;
	unsigned char	 keys[64];
	ssize_t		 n, i;
	int		 ms, st;

	prompt_show(p);
	while (!prompt_quit) {
		ms = p->step == ST_IDLE ? -1 : 250;
		pfd[0].fd = p->c.fd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		pfd[1].fd = 0;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		if (!uic_pending(&p->c) && poll(pfd, 2, ms) == -1) {
			if (errno == EINTR)
				continue;
			return EXIT_UI_FAIL;
		}
		if (uic_pending(&p->c) || pfd[0].revents) {
			do {
				v = uic_next(&p->c, 0, &st);
				if (v != NULL && prompt_message(p, v) == -1)
					return EXIT_UI_FAIL;
			} while (v != NULL && uic_pending(&p->c));
			if (v == NULL && st == -1 &&
			    prompt_reconnect(p) == -1)
				break;
		}
		now = uic_now_ms();
		if (pfd[1].revents & POLLIN) {
			if ((n = read(0, keys, sizeof(keys))) <= 0)
				return EXIT_UI_OK;
			for (i = 0; i < n && p->step != ST_GUARD; i++)
				prompt_key(p, keys[i]);
		}
		if (p->step == ST_GUARD && now >= p->shown_at +
		    (uint64_t)p->guard_ms) {
			(void)tcflush(0, TCIFLUSH);
			p->step = ST_ACTION;
			prompt_question(p);
		}
		if (p->step == ST_WAIT && now >= p->wait_until) {
			printf("no answer from tattled\n");
			prompt_drop(p, 0);
			prompt_show(p);
		}
		if (p->step >= ST_ACTION && p->step <= ST_MATCH &&
		    now / 1000 != tick) {
			tick = now / 1000;
			prompt_question(p);
		}
	}
	printf("\n");
	return EXIT_UI_OK;
}

int
cmd_prompt(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "guard-ms", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static struct prompt	 p;
	struct sigaction	 sa;
	struct uic		*c = &p.c;
	char			*end;
	long			 g;
	int			 ch, rv;

	p.guard_ms = PROMPT_GUARD_MS;
	p.sock = UI_SOCKET_DEFAULT;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "s:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			p.sock = optarg;
			break;
		case 'g':
			g = strtol(optarg, &end, 10);
			if (*end != '\0' || g < 0 || g > PROMPT_MAX_GUARD_MS) {
				fprintf(stderr, "tattle prompt: --guard-ms: "
				    "0 to %d\n", PROMPT_MAX_GUARD_MS);
				return EXIT_UI_USAGE;
			}
			p.guard_ms = (int)g;
			break;
		case 'h':
			prompt_usage(stdout);
			return EXIT_UI_OK;
		default:
			prompt_usage(stderr);
			return EXIT_UI_USAGE;
		}
	}
	if (argc != optind) {
		prompt_usage(stderr);
		return EXIT_UI_USAGE;
	}
	if (!isatty(0) || !isatty(1)) {
		fprintf(stderr, "tattle prompt: needs a terminal (standard "
		    "input and output)\n");
		return EXIT_UI_USAGE;
	}
	if ((rv = uic_open(c, p.sock, "tattle prompt")) != EXIT_UI_OK) {
		fprintf(stderr, "tattle prompt: %s\n", c->err);
		uic_close(c);
		return rv;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = prompt_sig;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (prompt_raw(&p) == -1) {
		fprintf(stderr, "tattle prompt: terminal: %s\n",
		    strerror(errno));
		uic_close(c);
		return EXIT_UI_FAIL;
	}
	if (prompt_subscribe(&p) == -1) {
		prompt_restore(&p);
		fprintf(stderr, "tattle prompt: %s\n", c->err);
		uic_close(c);
		return EXIT_UI_FAIL;
	}
	rv = prompt_loop(&p);
	prompt_restore(&p);
	while (p.n > 0)
		prompt_drop(&p, 0);
	uic_close(c);
	return rv;
}
