/*
 * shutdown.c: how packetd stops, from its loop, from start-up, or when a
 * child is lost: held packets get the fail mode, the table goes on a
 * clean stop, the children are reaped and how each ended is logged.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "packetd.h"

static struct child *shutdown_child_by_pid(struct packetd *, pid_t);
static void	 shutdown_reap(struct packetd *);
static void	 shutdown_report_deaths(struct packetd *);
static int	 shutdown_all_reaped(struct packetd *);

static struct child *
shutdown_child_by_pid(struct packetd *p, pid_t pid)
{
	int	 i;

	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++)
		if (p->children[i].pid == pid)
			return &p->children[i];
	return NULL;
}

/* Collect every child that has ended. */
static void
shutdown_reap(struct packetd *p)
{
	struct child	*c;
	pid_t		 pid;
	int		 status;

	sig_chld = 0;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if ((c = shutdown_child_by_pid(p, pid)) == NULL)
			continue;
		c->reaped = 1;
		c->status = status;
	}
}

/*
 * Say how each child ended that did not leave cleanly.  A child killed
 * by a signal is named first: the others then only followed it out.
 */
static void
shutdown_report_deaths(struct packetd *p)
{
	struct child	*c;
	int		 i, st;

	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++) {
		c = &p->children[i];
		st = c->status;
		if (c->reaped && WIFSIGNALED(st))
			log_warnx("lost child: %s (pid %d) killed by signal %d "
			    "(%s)", role_name(c->role), (int)c->pid,
			    WTERMSIG(st), strsignal(WTERMSIG(st)));
	}
	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++) {
		c = &p->children[i];
		st = c->status;
		if (c->reaped && WIFEXITED(st) && WEXITSTATUS(st) != 0)
			log_warnx("lost child: %s (pid %d) exited with status "
			    "%d", role_name(c->role), (int)c->pid,
			    WEXITSTATUS(st));
	}
}

static int
shutdown_all_reaped(struct packetd *p)
{
	int	 i;

	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++)
		if (p->children[i].pid > 0 && !p->children[i].reaped)
			return 0;
	return 1;
}

/*
 * Stop: take the children's last words, close their channels (they exit
 * on EOF), reap them for a bounded time.  Children that outlive us die
 * by their parent-death signal.
 */
__dead void
packetd_shutdown(struct packetd *p, int status)
{
	struct timespec	 ts = { 0, 20 * 1000000L };
	sigset_t	 empty;
	int		 i, waited;

	p->shutting_down = 1;
	sigemptyset(&empty);
	/*
	 * A clean stop (status 0) removes the table, so stopping tattle
	 * never cuts the network; after a failure it stays, and new
	 * connections wait or drop until tattled is back (fail closed)
	 * or pass (fail open: the queue's bypass flag).
	 */
	if (status == 0)
		verdict_remove(p);
	verdict_drain_failmode(p);
	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++)
		if (p->children[i].chan.fd != -1)
			(void)packetd_drain(p, &p->children[i]);
	shutdown_reap(p);
	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++)
		chan_close(&p->children[i].chan);
	for (waited = 0; !shutdown_all_reaped(p) && waited < SHUTDOWN_WAIT_MS;
	    waited += 20) {
		(void)ppoll(NULL, 0, &ts, &empty);
		shutdown_reap(p);
	}
	if (!shutdown_all_reaped(p))
		log_warnx("children did not stop within %d ms",
		    SHUTDOWN_WAIT_MS);
	shutdown_report_deaths(p);
	if (p->trace_ok) {
		tracefs_stop(&p->trace);
		tracefs_close(&p->trace);
	}
	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++)
		if (p->children[i].reaped && !(WIFEXITED(p->children[i].status)
		    && WEXITSTATUS(p->children[i].status) == 0))
			status = 1;
	log_info("tattle stopped%s", status ? " after an error" : "");
	exit(status);
}
