/*
 * tattle-osui: OpenSnitch's GUI as tattle's GUI.  Runs as the desktop
 * user, unprivileged: an ordinary client of tattle's UI socket on one
 * side, a gRPC client of opensnitch-ui on the other.  One poll loop;
 * either side may come and go, and is retried with backoff.
 */
#include <sys/types.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "log.h"
#include "bridge.h"

#define DEFAULT_TSOCK	"/run/tattle/ui.sock"
#define DEFAULT_UI	"unix:///tmp/osui.sock"

static volatile sig_atomic_t	 quit;

static __dead void usage(int);
static void	 on_signal(int);
static uint32_t	 backoff(uint32_t *);
static void	 tattle_try(struct bridge *, uint64_t);
static void	 tattle_drop(struct bridge *, uint64_t);
static void	 ui_try(struct bridge *, uint64_t);
static void	 ui_connected(struct bridge *, int, uint64_t);
static void	 ui_drop(struct bridge *, uint64_t);
static int	 poll_timeout(struct bridge *, uint64_t);
static void	 loop(struct bridge *);

static __dead void
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: tattle-osui [-dh] [-s|--socket path] [-u|--ui address]\n"
	    "                   [-p|--proto 1.5|1.6|auto]\n"
	    "  address: unix:PATH, unix://PATH or HOST:PORT "
	    "(default " DEFAULT_UI ")\n");
	exit(status);
}

static void
on_signal(int sig)
{
	quit = 1;
}

static uint32_t
backoff(uint32_t *b)
{
	if (*b == 0)
		*b = OSUI_BACKOFF_MIN_MS;
	else if (*b < OSUI_BACKOFF_MAX_MS / 2)
		*b *= 2;
	else
		*b = OSUI_BACKOFF_MAX_MS;
	return *b;
}

static void
tattle_try(struct bridge *b, uint64_t now)
{
	if (tclient_connect(&b->t, b->tsock) == -1) {
		if (b->t_backoff == 0)
			log_warn("cannot reach tattle at %s (retrying)",
			    b->tsock);
		b->t_retry = now + backoff(&b->t_backoff);
		return;
	}
	b->t_state = T_HELLO;
	b->t_reset = 0;
}

static void
tattle_drop(struct bridge *b, uint64_t now)
{
	tclient_close(&b->t);
	bridge_tattle_down(b);
	b->t_reset = 0;
	b->t_retry = now + backoff(&b->t_backoff);
	log_info("lost tattle; retrying in %u ms", b->t_backoff);
}

static void
ui_try(struct bridge *b, uint64_t now)
{
	int	 rv, fd;

	if ((rv = ui_connect(&b->ua, &fd)) == -1) {
		if (b->ui_backoff == 0)
			log_info("no UI at %s yet: %s (retrying)", b->ua.text,
			    strerror(errno));
		b->ui_retry = now + backoff(&b->ui_backoff);
		return;
	}
	if (rv == 1) {
		b->ui_fd = fd;
		b->ui_state = UI_CONNECTING;
		return;
	}
	ui_connected(b, fd, now);
}

static void
ui_connected(struct bridge *b, int fd, uint64_t now)
{
	char	 why[512];

	if (ui_peer_check(fd, &b->ua, why, sizeof(why)) == -1) {
		log_warnx("%s", why);
		close(fd);
		b->ui_state = UI_DOWN;
		b->ui_retry = now + backoff(&b->ui_backoff);
		return;
	}
	if (b->ua.family != AF_UNIX && !b->ui_tcp_noted) {
		log_info("the UI at %s is reached over TCP, in plain text; "
		    "tattle-osui cannot check who runs it", b->ua.text);
		b->ui_tcp_noted = 1;
	}
	if ((b->g = grpc_conn_new(fd, b->ua.authority)) == NULL) {
		log_warnx("cannot start HTTP/2 to the UI");
		close(fd);
		b->ui_state = UI_DOWN;
		b->ui_retry = now + backoff(&b->ui_backoff);
		return;
	}
	b->ui_fd = -1;
	log_debug("connected to the UI at %s", b->ua.text);
	if (b->want_gen == OSUI_GEN_AUTO) {
		b->codec = NULL;
		bridge_probe(b, now);
		return;
	}
	b->codec = b->want_gen == OSUI_GEN_15 ? &osui_codec15 : &osui_codec16;
	bridge_ui_ready(b, now);
}

static void
ui_drop(struct bridge *b, uint64_t now)
{
	struct grpc_conn	*g = b->g;

	b->ui_state = UI_DOWN;
	b->g = NULL;
	grpc_conn_free(g);
	bridge_ui_down(b);
	b->ui_retry = now + backoff(&b->ui_backoff);
	log_info("lost the UI; retrying in %u ms", b->ui_backoff);
}

static int
poll_timeout(struct bridge *b, uint64_t now)
{
	uint64_t	 next = now + OSUI_PING_MS, d;
	int		 w;

	if (b->t_state == T_DOWN && b->t_retry < next)
		next = b->t_retry;
	if (b->ui_state == UI_DOWN && b->ui_retry < next)
		next = b->ui_retry;
	if (b->g != NULL && grpc_conn_next_deadline(b->g, &d) && d < next)
		next = d;
	if (b->t_state != T_DOWN && (w = tclient_wait_ms(&b->t)) >= 0 &&
	    now + (uint64_t)w < next)
		next = now + (uint64_t)w;
	/* The next Ping: a second after the last with news, else five. */
	if (b->ui_state == UI_LIVE && b->t_state == T_READY &&
	    !b->stats_wanted && b->ping == NULL) {
		d = b->last_ping + (b->stats_news ? OSUI_PING_MS :
		    OSUI_PING_IDLE_MS);
		if (d < next)
			next = d;
	}
	return next <= now ? 0 : (int)(next - now);
}

static void
loop(struct bridge *b)
{
	struct pollfd	 pfd[2];
	uint64_t	 now;
	int		 n, ti, ui;

	while (!quit) {
		now = osui_now();
		if (b->t_state == T_DOWN && now >= b->t_retry)
			tattle_try(b, now);
		if (b->ui_state == UI_DOWN && now >= b->ui_retry)
			ui_try(b, now);
		bridge_timers(b, now);
		if (b->t_state != T_DOWN)
			tclient_pump(&b->t, now);
		if (b->t_reset)
			tattle_drop(b, now);
		if (b->ui_reset && b->g != NULL)
			ui_drop(b, now);

		n = 0;
		ti = ui = -1;
		if (b->t_state != T_DOWN) {
			pfd[n].fd = b->t.fd;
			pfd[n].events = tclient_events(&b->t);
			ti = n++;
		}
		if (b->ui_state == UI_CONNECTING) {
			pfd[n].fd = b->ui_fd;
			pfd[n].events = POLLOUT;
			ui = n++;
		} else if (b->g != NULL) {
			pfd[n].fd = grpc_conn_fd(b->g);
			pfd[n].events = grpc_conn_events(b->g);
			ui = n++;
		}
		if (poll(pfd, n, poll_timeout(b, now)) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		now = osui_now();
		if (ti >= 0 && pfd[ti].revents &&
		    (tclient_io(&b->t, pfd[ti].revents, now) == -1 ||
		    b->t_reset))
			tattle_drop(b, now);
		if (ui >= 0 && pfd[ui].revents &&
		    b->ui_state == UI_CONNECTING) {
			if (ui_connect_done(b->ui_fd) == -1) {
				log_debug("no UI at %s: %s", b->ua.text,
				    strerror(errno));
				close(b->ui_fd);
				b->ui_fd = -1;
				b->ui_state = UI_DOWN;
				b->ui_retry = now + backoff(&b->ui_backoff);
			} else
				ui_connected(b, b->ui_fd, now);
		} else if (ui >= 0 && pfd[ui].revents && b->g != NULL &&
		    (grpc_conn_io(b->g, pfd[ui].revents, now) == -1 ||
		    b->ui_reset))
			ui_drop(b, now);
		else if (b->g != NULL && grpc_conn_io(b->g, 0, now) == -1)
			ui_drop(b, now);
	}
}

int
main(int argc, char *argv[])
{
	static const struct option	 longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "ui", required_argument, NULL, 'u' },
		{ "proto", required_argument, NULL, 'p' },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static struct bridge	 b;
	struct sigaction	 sa;
	const char		*ui = DEFAULT_UI;
	char			 err[512];
	int			 ch, verbose = 0;

	b.tsock = DEFAULT_TSOCK;
	b.want_gen = OSUI_GEN_AUTO;
	while ((ch = getopt_long(argc, argv, "dhp:s:u:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			verbose = 1;
			break;
		case 'h':
			usage(0);
		case 'p':
			if (strcmp(optarg, "1.5") == 0)
				b.want_gen = OSUI_GEN_15;
			else if (strcmp(optarg, "1.6") == 0)
				b.want_gen = OSUI_GEN_16;
			else if (strcmp(optarg, "auto") == 0)
				b.want_gen = OSUI_GEN_AUTO;
			else
				errx(1, "--proto: want 1.5, 1.6 or auto, not "
				    "\"%s\"", optarg);
			break;
		case 's':
			b.tsock = optarg;
			break;
		case 'u':
			ui = optarg;
			break;
		default:
			usage(1);
		}
	}
	if (optind != argc)
		usage(1);
	if (ui_addr_parse(ui, &b.ua, err, sizeof(err)) == -1)
		errx(1, "%s", err);
	if (gethostname(b.hostname, sizeof(b.hostname) - 1) == -1)
		strlcpy(b.hostname, "localhost", sizeof(b.hostname));

	log_init(1, LOG_USER);
	log_procinit("tattle-osui");
	log_setverbose(verbose);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (geteuid() == 0)
		log_info("running as root; tattle-osui needs no privilege "
		    "and is meant to run as the desktop user");

	tclient_init(&b.t, bridge_tattle_msg, &b);
	osui_stats_init(&b.stats);
	b.ui_fd = -1;
	strlcpy(b.default_action, "deny", sizeof(b.default_action));
	strlcpy(b.fail_mode, "closed", sizeof(b.fail_mode));
	log_info("bridging tattle at %s and the UI at %s (protocol %s)",
	    b.tsock, b.ua.text, b.want_gen == OSUI_GEN_AUTO ? "auto" :
	    b.want_gen == OSUI_GEN_15 ? "1.5" : "1.6");
	loop(&b);

	if (b.g != NULL)
		ui_drop(&b, osui_now());
	if (b.t_state != T_DOWN) {
		tclient_close(&b.t);
		bridge_tattle_down(&b);
	}
	osui_stats_free(&b.stats);
	buf_free(&b.t.in);
	buf_free(&b.t.out);
	log_info("stopped");
	return 0;
}
