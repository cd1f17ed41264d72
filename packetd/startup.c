/*
 * startup.c: from the children's start to the pipeline's.  Each child
 * must say HELLO and be sandboxed in the kernel's eyes; then packetd
 * gives them the configuration, the user database for user.name rules,
 * the rules, and the lists those rules name, serving their messages
 * meanwhile.  The firewall table goes in only once ruled says it is
 * ready.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "packetd.h"
#include "sandbox.h"

static int	 startup_serve(struct packetd *, int (*)(struct packetd *),
		    int);
static int	 startup_all_hello(struct packetd *);
static int	 startup_status_ok(pid_t, uid_t, const char **);
static int	 startup_ready(struct packetd *);

/*
 * Serve the children until done() says so, for at most timeout_ms:
 * 0 when done, -1 after the time ran out.  Start-up only: the firewall
 * is not in place yet, so nothing waits on packetd but its children.
 */
static int
startup_serve(struct packetd *p, int (*done)(struct packetd *), int timeout_ms)
{
	struct pollfd	 pfd[ROLE_MAX + 1];
	struct timespec	 start, now, ts;
	sigset_t	 empty;
	int		 i, n, left;

	sigemptyset(&empty);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!done(p)) {
		if (sig_term)
			packetd_shutdown(p, 0);
		if (sig_chld)
			packetd_shutdown(p, 1);
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = timeout_ms - ((now.tv_sec - start.tv_sec) * 1000 +
		    (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0)
			return -1;
		for (n = 0, i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++, n++) {
			pfd[n].fd = p->children[i].chan.fd;
			pfd[n].events = POLLIN;
			if (chan_want_write(&p->children[i].chan))
				pfd[n].events |= POLLOUT;
		}
		pfd[n].fd = p->inotifyfd;
		pfd[n++].events = POLLIN;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000L;
		if (ppoll(pfd, n, &ts, &empty) == -1 && errno != EINTR)
			fatal("ppoll");
		for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++) {
			if (chan_flush(&p->children[i].chan) == -1 ||
			    packetd_drain(p, &p->children[i]) == -1)
				packetd_shutdown(p, 1);
		}
		if (pfd[n - 1].revents & POLLIN)
			rulesdir_dispatch(p);
	}
	return 0;
}

static int
startup_all_hello(struct packetd *p)
{
	int	 i;

	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++)
		if (!p->children[i].chan.hello)
			return 0;
	return 1;
}

/*
 * Wait until every child has said HELLO on its channel, or give up:
 * a child that stays silent has failed to sandbox itself.
 */
void
startup_wait_hello(struct packetd *p)
{
	int	 i, timeout = HELLO_TIMEOUT_MS;

#ifdef TATTLE_TEST_HOOKS
	if (getenv("TATTLE_TEST_HELLO_TIMEOUT_MS") != NULL)
		timeout = atoi(getenv("TATTLE_TEST_HELLO_TIMEOUT_MS"));
#endif
	if (startup_serve(p, startup_all_hello, timeout) == 0)
		return;
	/* Still root: a child stuck before its sandbox has no parent-death
	 * signal yet, so end it here. */
	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++)
		if (!p->children[i].chan.hello) {
			log_warnx("%s did not say HELLO within %d ms",
			    role_name(i), timeout);
			kill(p->children[i].pid, SIGKILL);
		}
	packetd_shutdown(p, 1);
}

/*
 * Each child said HELLO only after entering its sandbox; check that the
 * kernel agrees before trusting the pipeline.
 */
void
startup_check_sandboxes(struct packetd *p)
{
	const char	*why;
	uid_t		 uid;
	int		 i;

	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++) {
		struct passwd	*pw = getpwnam(sandbox_user(i));

		uid = pw != NULL ? pw->pw_uid : (uid_t)-1;
		if (!startup_status_ok(p->children[i].pid, uid, &why)) {
			log_warnx("%s (pid %d) is not sandboxed: %s",
			    role_name(i), (int)p->children[i].pid, why);
			packetd_shutdown(p, 1);
		}
	}
}

static int
startup_status_ok(pid_t pid, uid_t uid, const char **why)
{
	char		 path[64], line[256];
	FILE		*f;
	unsigned int	 ruid, euid, suid, fsuid;
	int		 seccomp = -1, nnp = -1, uid_ok = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) == NULL) {
		*why = "its /proc status is unreadable";
		return 0;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "Uid: %u %u %u %u", &ruid, &euid, &suid,
		    &fsuid) == 4)
			uid_ok = ruid == uid && euid == uid && suid == uid &&
			    fsuid == uid;
		sscanf(line, "Seccomp: %d", &seccomp);
		sscanf(line, "NoNewPrivs: %d", &nnp);
	}
	fclose(f);
	if (!uid_ok)
		*why = "it runs under the wrong uid";
	else if (seccomp != 2)
		*why = "no seccomp filter";
	else if (nnp != 1)
		*why = "no_new_privs is not set";
	else
		return 1;
	return 0;
}

/*
 * The private ftrace instance, as root.  Without it attribution falls
 * back to sock_diag and /proc, which is slower and misses processes
 * that exit at once: say so.
 */
void
startup_trace_open(struct packetd *p)
{
	if (tracefs_open(&p->trace, getpid()) == -1) {
		log_warnx("ftrace unavailable: processes are found through "
		    "sock_diag and /proc only");
		return;
	}
	p->trace_ok = 1;
	log_debug("ftrace instance %s, %u CPUs", p->trace.name,
	    p->trace.ncpu);
}

/* The layout and one raw pipe per CPU to attributord; keep no copy. */
void
startup_send_trace(struct packetd *p)
{
	struct chan		*c = &p->children[ROLE_ATTRIBUTORD].chan;
	struct msg_trace_fd	 t;
	struct msg		 m;
	unsigned int		 i;

	if (!p->trace_ok)
		return;
	msg_init(&m, MSG_TRACE_LAYOUT, 0);
	msg_set_body(&m, &p->trace.layout, sizeof(p->trace.layout));
	if (chan_send(c, &m) == -1)
		fatal("%s: layout", __func__);
	for (i = 0; i < p->trace.ncpu; i++) {
		memset(&t, 0, sizeof(t));
		t.cpu = i;
		msg_init(&m, MSG_TRACE_FD, 0);
		msg_set_body(&m, &t, sizeof(t));
		/* The channel closes what it sends; keep ours for now. */
		msg_set_fd(&m, dup(p->trace.raw[i]));
		if (m.fd == -1 || chan_send(c, &m) == -1)
			fatal("%s: cpu %u", __func__, i);
	}
	tracefs_close_raw(&p->trace);
}

uint32_t
startup_verdict(int action)
{
	switch (action) {
	case CFG_ALLOW:
		return VERDICT_ALLOW;
	case CFG_REJECT:
		return VERDICT_REJECT;
	}
	return VERDICT_DENY;
}

void
startup_send_config(struct packetd *p)
{
	struct msg_config	 c;
	struct msg		 m;
	size_t			 j;
	int			 i;

	memset(&c, 0, sizeof(c));
	c.default_action = startup_verdict(p->cfg.default_action);
	c.prompt_timeout_ms = p->cfg.prompt_timeout * 1000;
	c.intercept_unknown = p->cfg.intercept_unknown;
	c.checksums = p->cfg.checksums;
	c.fail_open = p->cfg.fail_open;
	c.ui_gid = p->ui_gid;
	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++) {
		msg_init(&m, MSG_CONFIG, 0);
		msg_set_body(&m, &c, sizeof(c));
		for (j = 0; i == ROLE_RULED && j < p->cfg.nlists_roots; j++)
			if (msg_add_str(&m, ATTR_DIR,
			    p->cfg.lists_roots[j]) == -1)
				fatalx("%s: lists roots too long", __func__);
		if (chan_send(&p->children[i].chan, &m) == -1)
			fatal("%s: to %s", __func__, role_name(i));
	}
	/* TATTLE_RESOLVERS is filled before the rules come. */
	resolvconf_start(p);
}

/*
 * /etc/passwd, read once: ruled turns user.name rules into uids and
 * attributord names users, and neither may use NSS in its sandbox.
 * Users that exist only in another NSS source are not known to them.
 */
void
startup_send_passwd(struct packetd *p)
{
	struct msg_file	 f;
	struct msg	 m;
	const char	*why;
	size_t		 size;
	int		 dirfd, fd, i;

	if ((dirfd = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		fatal("/etc");
	for (i = ROLE_ATTRIBUTORD; i <= ROLE_RULED; i++) {
		if ((fd = memfd_from_file(p, dirfd, "passwd", MAX_PASSWD_FILE,
		    &size, &why)) == -1)
			fatalx("/etc/passwd: %s", why);
		memset(&f, 0, sizeof(f));
		f.kind = FILE_PASSWD;
		f.size = size;
		msg_init(&m, MSG_FILE, 0);
		msg_set_body(&m, &f, sizeof(f));
		msg_add_str(&m, ATTR_FILE_NAME, "/etc/passwd");
		msg_set_fd(&m, fd);
		if (chan_send(&p->children[i].chan, &m) == -1)
			fatal("%s: to %s", __func__, role_name(i));
	}
	close(dirfd);
}

static int
startup_ready(struct packetd *p)
{
	return p->ready;
}

/*
 * Send the rules and wait until ruled has them and every lists
 * directory they name.  Its requests for lists are served meanwhile.
 */
void
startup_wait_ready(struct packetd *p)
{
	rulesdir_send_all(p);
	if (startup_serve(p, startup_ready, READY_TIMEOUT_MS) == -1) {
		log_warnx("ruled did not load the rules and lists within %d "
		    "s", READY_TIMEOUT_MS / 1000);
		packetd_shutdown(p, 1);
	}
}
