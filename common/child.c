/*
 * child.c: the start and the common messages of attributord, ruled and
 * promptd.
 */
#include <sys/types.h>
#include <sys/ptrace.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "child.h"
#include "sandbox.h"

static void	 child_usage(enum role) __attribute__((__noreturn__));
static void	 child_report(const char *);
static void	 child_test_hook(struct chan *, const struct msg *);

static uint64_t	 log_dropped;

static void
child_usage(enum role r)
{
	fprintf(stderr, "usage: tattle-%s [-dv]\n"
	    "tattled(8) starts this program; it is not run by hand.\n",
	    role_name(r));
	exit(1);
}

/*
 * Parse the two flags packetd passes, set up logging to go to packetd,
 * and make sure fd 3 really is a socket before anything else.
 */
void
child_start(struct child_env *env, enum role r, int argc, char **argv)
{
	int	 ch, type;
	socklen_t len = sizeof(type);

	memset(env, 0, sizeof(*env));
	env->role = r;
	while ((ch = getopt(argc, argv, "dv")) != -1) {
		switch (ch) {
		case 'd':
			env->debug = 1;
			break;
		case 'v':
			env->verbose = 1;
			break;
		default:
			child_usage(r);
		}
	}
	if (optind != argc)
		child_usage(r);
	if (getsockopt(FD_PARENT, SOL_SOCKET, SO_TYPE, &type, &len) == -1 ||
	    type != SOCK_SEQPACKET) {
		fprintf(stderr, "tattle-%s: fd %d is not packetd's channel; "
		    "tattled(8) starts this program\n", role_name(r),
		    FD_PARENT);
		exit(1);
	}
	signal(SIGPIPE, SIG_IGN);
	log_init(1, LOG_DAEMON);
	log_procinit(role_name(r));
	log_setverbose(env->verbose);
	log_set_sink(child_log_sink);
	sandbox_set_report(child_report);
	sandbox_stdio_devnull(env->debug);
}

/*
 * Send a log line to packetd.  Logs must not stall the pipeline, but a
 * fatal message is worth a short wait.
 */
void
child_log_sink(int pri, const char *line)
{
	struct msg	 m;
	struct msg_log	 l;
	struct pollfd	 pfd;
	char		 text[2048];

	memset(&l, 0, sizeof(l));
	l.priority = pri;
	strlcpy(text, line, sizeof(text));
	msg_init(&m, MSG_LOG, 0);
	msg_set_body(&m, &l, sizeof(l));
	if (msg_add_str(&m, ATTR_TEXT, text) == -1)
		return;
	if (msg_send(FD_PARENT, &m) == 0)
		return;
	if (errno == EAGAIN) {
		pfd.fd = FD_PARENT;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 100) == 1 && msg_send(FD_PARENT, &m) == 0)
			return;
	}
	log_dropped++;
}

/* The SIGSYS report of seccomp-debug builds: async-signal-safe. */
static void
child_report(const char *line)
{
	child_log_sink(LOG_CRIT, line);
}

int
child_dispatch_common(struct chan *c, struct msg *m)
{
	struct msg_ping	 p;
	struct msg	 r;

	switch (msg_type(m)) {
	case MSG_HELLO:
		return 1;
	case MSG_PING:
		msg_get_body(m, &p, sizeof(p));
		msg_init(&r, MSG_PONG, msg_id(m));
		msg_set_body(&r, &p, sizeof(p));
		if (chan_send(c, &r) == -1)
			fatal("%s: PONG to %s", __func__, role_name(c->peer));
		return 1;
	case MSG_SHUTDOWN:
		log_debug("shutdown requested");
		exit(0);
	case MSG_TEST_HOOK:
		child_test_hook(c, m);
		return 1;
	}
	return 0;
}

/*
 * Test builds misbehave as asked: a forbidden call (the test expects
 * this process to die by SIGSYS), or a malformed message or a second
 * HELLO (the test expects packetd to stop).  Production builds refuse
 * the message.
 */
static void
child_test_hook(struct chan *c, const struct msg *m)
{
#ifdef TATTLE_TEST_HOOKS
	struct msg_test_hook	 t;
	char			*const argv[] = { "true", NULL };
	int			 rv = -1;

	msg_get_body(m, &t, sizeof(t));
	log_info("test hook %u", t.which);
	switch (t.which) {
	case TEST_HOOK_OPENAT:
		rv = open("/", O_RDONLY | O_DIRECTORY);
		break;
	case TEST_HOOK_SOCKET:
		rv = socket(AF_INET, SOCK_STREAM, 0);
		break;
	case TEST_HOOK_PTRACE:
		rv = ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		break;
	case TEST_HOOK_EXECVE:
		rv = execve("/bin/true", argv, NULL);
		break;
	case TEST_HOOK_BADMSG:
		/* A PONG whose length field lies. */
		rv = msg_send_buf(FD_PARENT,
		    "\x04\0\0\0\xff\0\0\0\0\0\0\0\0\0\0\0", 16, -1);
		return;
	case TEST_HOOK_HELLO2:
		/* HELLO comes once per channel (RX_ONCE). */
		if (chan_send_hello(c) == -1)
			fatal("%s: HELLO", __func__);
		return;
	}
	log_warnx("test hook: system call %u returned %d (errno %d)",
	    t.which, rv, rv == -1 ? errno : 0);
#else
	(void)c;
	fatalx("MSG_TEST_HOOK in a build without test hooks");
#endif
}

/*
 * Read and dispatch everything waiting on c.  A peer that breaks the
 * protocol ends this process: it is never half-trusted.  Returns -1 at
 * EOF.  A handler never reads a channel itself (it pauses its own,
 * chan_pause()): one message buffer serves every channel.
 */
int
chan_dispatch(struct chan *c, chan_dispatch_fn fn)
{
	static struct msg	 m;
	const char		*why = "";
	int			 rv;

	for (;;) {
		rv = chan_recv(c, &m, &why);
		if (rv == CHAN_AGAIN || rv == CHAN_EOF)
			break;
		if (rv == CHAN_BAD)
			fatalx("protocol violation from %s: %s: %s",
			    role_name(c->peer), msg_type_name(msg_type(&m)),
			    why);
		fn(c, &m);
		msg_close_fd(&m);
	}
	return rv == CHAN_EOF ? -1 : 0;
}

static void
child_loop_dispatch(const struct child_loop *l, int i)
{
	if (chan_dispatch(&l->chans[i], l->dispatch[i]) == -1)
		child_lost_peer(&l->chans[i]);
}

/*
 * Channel i paused to wait for a message on another (chan_pause()):
 * read that one now rather than after another poll, and i again once
 * it is resumed.  Ends when the awaited channel brings nothing more.
 */
static void
child_loop_waits(const struct child_loop *l, int i)
{
	struct chan	*c = &l->chans[i], *w;
	uint64_t	 n;

	while ((w = c->waits_for) != NULL) {
		n = w->nrecv;
		child_loop_dispatch(l, (int)(w - l->chans));
		if (w->nrecv == n)
			return;
		if (chan_want_read(c))
			child_loop_dispatch(l, i);
	}
}

/*
 * Read channel i when the poll found it readable, or when it was paused
 * for the poll and is resumed now (it stopped with messages left); p
 * then says it was read in this turn.
 */
static void
child_loop_read(const struct child_loop *l, struct pollfd *p, int i)
{
	struct chan	*c = &l->chans[i];

	if (!chan_want_read(c)) {
		/* Paused: a peer gone is lost all the same. */
		if (p->revents & (POLLHUP | POLLERR))
			child_lost_peer(c);
		return;
	}
	if ((p->revents & (POLLIN | POLLHUP | POLLERR)) ||
	    !(p->events & POLLIN)) {
		p->events |= POLLIN;
		child_loop_dispatch(l, i);
	}
	child_loop_waits(l, i);
}

/*
 * packetd stops the daemon by closing every channel; a sibling may then
 * leave before our own EOF arrives.  A sibling's EOF is only fatal if
 * packetd's channel stays open.
 */
void
child_lost_peer(const struct chan *c)
{
	struct pollfd	 pfd = { FD_PARENT, POLLIN, 0 };
	char		 b;
	struct iovec	 iov = { &b, 1 };
	struct msghdr	 mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	/* recvmsg, not recv: the allow-lists have no recvfrom. */
	if (c->peer != ROLE_PACKETD && poll(&pfd, 1, 200) == 1 &&
	    recvmsg(FD_PARENT, &mh, MSG_PEEK | MSG_DONTWAIT) == 0)
		c = NULL;
	if (c == NULL || c->peer == ROLE_PACKETD) {
		log_debug("packetd closed the channel; exiting");
		exit(0);
	}
	fatalx("lost %s", role_name(c->peer));
}

__dead void
child_loop_run(const struct child_loop *l)
{
	struct pollfd	 pfd[CHILD_MAX_POLLFDS];
	struct timespec	 ts, *tsp;
	int		 i, n, extra, ms;

	for (;;) {
		/* First: what a role does on time may pause, resume or send. */
		tsp = NULL;
		if (l->timeout_ms != NULL && (ms = l->timeout_ms()) >= 0) {
			ts.tv_sec = ms / 1000;
			ts.tv_nsec = (long)(ms % 1000) * 1000000;
			tsp = &ts;
		}
		for (i = 0; i < l->nchans; i++) {
			pfd[i].fd = l->chans[i].fd;
			pfd[i].events = chan_want_read(&l->chans[i]) ?
			    POLLIN : 0;
			pfd[i].revents = 0;
			if (chan_want_write(&l->chans[i]))
				pfd[i].events |= POLLOUT;
		}
		n = l->nchans;
		extra = l->fill != NULL ? l->fill(pfd + n,
		    CHILD_MAX_POLLFDS - n) : 0;
		if (ppoll(pfd, n + extra, tsp, NULL) == -1) {
			if (errno == EINTR)
				continue;
			fatal("ppoll");
		}
		for (i = 0; i < l->nchans; i++) {
			if ((pfd[i].revents & POLLOUT) &&
			    chan_flush(&l->chans[i]) == -1)
				child_lost_peer(&l->chans[i]);
			child_loop_read(l, &pfd[i], i);
		}
		/* Resumed by a channel read after it. */
		for (i = 0; i < l->nchans; i++)
			if (chan_want_read(&l->chans[i]) &&
			    !(pfd[i].events & POLLIN))
				child_loop_read(l, &pfd[i], i);
		if (l->handle != NULL)
			l->handle(pfd + n, extra);
	}
}
