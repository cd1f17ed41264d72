/*
 * spawn.c: start the three children.  Each is a separate executable,
 * re-executed from its absolute libexec path with its channels at fixed
 * descriptor numbers and a minimal environment, so it inherits nothing
 * of packetd but what it is given.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "packetd.h"
#include "sandbox.h"

#define SPAWN_MAX_FDS	4	/* descriptors a child gets beyond 0-2 */
#define SPAWN_HIGH_FD	64	/* where fds wait before their dup2 */

struct spawn_fds {
	int	 fd[SPAWN_MAX_FDS];	/* placed at 3, 4, 5, ... */
	int	 n;
};

static const char *spawn_libexecdir(void);
static void	 spawn_child(struct packetd *, enum role,
		    const struct spawn_fds *);
static __dead void spawn_exec(struct packetd *, enum role,
		    const struct spawn_fds *);
static void	 spawn_socketpair(int [2]);

static const char *
spawn_libexecdir(void)
{
#ifdef TATTLE_TEST_HOOKS
	const char	*d = getenv("TATTLE_TEST_LIBEXECDIR");

	if (d != NULL && *d == '/')
		return d;
#endif
	return LIBEXECDIR;
}

static void
spawn_socketpair(int sp[2])
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0, sp) == -1)
		fatal("socketpair");
}

/*
 * The three children and their channels:
 *	packetd <-> attributord, ruled, promptd	(fd 3 in each)
 *	attributord -> ruled			(fd 4 in both)
 *	ruled <-> promptd			(ruled fd 5, promptd fd 4)
 */
void
spawn_children(struct packetd *p)
{
	struct spawn_fds	 a, r, u;
	int			 pa[2], pr[2], pu[2], ar[2], ru[2];

	spawn_socketpair(pa);
	spawn_socketpair(pr);
	spawn_socketpair(pu);
	spawn_socketpair(ar);
	spawn_socketpair(ru);

	a = (struct spawn_fds){ { pa[1], ar[0], p->procfd, p->rootfd }, 4 };
	r = (struct spawn_fds){ { pr[1], ar[1], ru[0] }, 3 };
	u = (struct spawn_fds){ { pu[1], ru[1], p->uisock }, 3 };

	chan_init(&p->children[ROLE_ATTRIBUTORD].chan, pa[0], ROLE_PACKETD,
	    ROLE_ATTRIBUTORD);
	chan_init(&p->children[ROLE_RULED].chan, pr[0], ROLE_PACKETD,
	    ROLE_RULED);
	chan_init(&p->children[ROLE_PROMPTD].chan, pu[0], ROLE_PACKETD,
	    ROLE_PROMPTD);
	/* Two messages per read (its sandbox has recvmmsg for NFQUEUE). */
	if (chan_recv_many(&p->children[ROLE_ATTRIBUTORD].chan) == -1 ||
	    chan_recv_many(&p->children[ROLE_RULED].chan) == -1 ||
	    chan_recv_many(&p->children[ROLE_PROMPTD].chan) == -1)
		fatal("%s", __func__);
	spawn_child(p, ROLE_ATTRIBUTORD, &a);
	spawn_child(p, ROLE_RULED, &r);
	spawn_child(p, ROLE_PROMPTD, &u);
	/* HELLO goes both ways: it waits in the channel for the child. */
	if (chan_send_hello(&p->children[ROLE_ATTRIBUTORD].chan) == -1 ||
	    chan_send_hello(&p->children[ROLE_RULED].chan) == -1 ||
	    chan_send_hello(&p->children[ROLE_PROMPTD].chan) == -1)
		fatal("HELLO to a child");

	/* The children's ends are theirs now. */
	close(pa[1]);
	close(pr[1]);
	close(pu[1]);
	close(ar[0]);
	close(ar[1]);
	close(ru[0]);
	close(ru[1]);
	close(p->procfd);
	p->procfd = -1;
	close(p->rootfd);
	p->rootfd = -1;
	close(p->uisock);
	p->uisock = -1;
}

static void
spawn_child(struct packetd *p, enum role r, const struct spawn_fds *fds)
{
	struct child	*c = &p->children[r];
	pid_t		 pid;

	c->role = r;
	switch (pid = fork()) {
	case -1:
		fatal("fork %s", role_name(r));
	case 0:
		spawn_exec(p, r, fds);
	}
	c->pid = pid;
	log_debug("started %s, pid %d", role_name(r), (int)pid);
}

/* In the new process: place the fds, close the rest, exec. */
static __dead void
spawn_exec(struct packetd *p, enum role r, const struct spawn_fds *fds)
{
	char		 path[PATH_MAX], *argv[4], *envp[10];
	int		 high[SPAWN_MAX_FDS], i, argc = 0, envc = 0;
	sigset_t	 none;

	/* Signals blocked for ppoll must not stay blocked in the child. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	/*
	 * A process group of its own: Ctrl-C in tattled's terminal signals
	 * the foreground group, and a child killed by it would look like a
	 * crash.  packetd alone gets it and stops the set in order; the
	 * child sees its channel close and exits.
	 */
	if (setpgid(0, 0) == -1)
		_exit(127);

	for (i = 0; i < fds->n; i++)
		if ((high[i] = fcntl(fds->fd[i], F_DUPFD_CLOEXEC,
		    SPAWN_HIGH_FD)) == -1)
			_exit(127);
	for (i = 0; i < fds->n; i++)
		if (dup2(high[i], FD_PARENT + i) == -1)
			_exit(127);
	close_range(FD_PARENT + fds->n, ~0U, 0);

	snprintf(path, sizeof(path), "%s/tattle-%s", spawn_libexecdir(),
	    role_name(r));
	argv[argc++] = path;
	if (p->debug)
		argv[argc++] = "-d";
	if (p->verbose)
		argv[argc++] = "-v";
	argv[argc] = NULL;

	envp[envc++] = "TZ=:/etc/localtime";
	envp[envc++] = "LANG=C";
#ifdef TATTLE_TEST_HOOKS
	{
		static char	 emptydir[PATH_MAX + 32], scale[64];

		snprintf(emptydir, sizeof(emptydir), "TATTLE_TEST_EMPTYDIR=%s",
		    sandbox_emptydir());
		envp[envc++] = emptydir;
		if (getenv("TATTLE_TEST_TIME_SCALE") != NULL) {
			snprintf(scale, sizeof(scale),
			    "TATTLE_TEST_TIME_SCALE=%s",
			    getenv("TATTLE_TEST_TIME_SCALE"));
			envp[envc++] = scale;
		}
	}
#endif
#ifdef TATTLE_SANITIZERS
	/* LeakSanitizer's exit-time ptrace would trip seccomp. */
	envp[envc++] = "ASAN_OPTIONS=detect_leaks=0:abort_on_error=0";
	envp[envc++] = "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1";
#endif
	envp[envc] = NULL;
	execve(path, argv, envp);
	dprintf(2, "tattled: exec %s: %s\n", path, strerror(errno));
	_exit(127);
}
