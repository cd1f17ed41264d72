/*
 * signals.c: the signals packetd acts on.  The handler only sets a flag;
 * the loops (packetd.c's, start-up's wait in startup.c) and the shutdown
 * read the flags.  The signals stay blocked except inside ppoll, so none
 * arrives between a check and the wait.
 */
#include <signal.h>
#include <string.h>

#include "compat.h"
#include "packetd.h"

static void	 signals_handler(int);

volatile sig_atomic_t	 sig_chld;
volatile sig_atomic_t	 sig_term;
volatile sig_atomic_t	 sig_usr1;
volatile sig_atomic_t	 sig_usr2;

static void
signals_handler(int sig)
{
	switch (sig) {
	case SIGCHLD:
		sig_chld = 1;
		break;
	case SIGTERM:
	case SIGINT:
		sig_term = 1;
		break;
	case SIGUSR1:
		sig_usr1 = 1;
		break;
	case SIGUSR2:
		sig_usr2 = 1;
		break;
	}
}

/* Signals are blocked except inside ppoll, so none is missed. */
void
signals_install(void)
{
	struct sigaction	 sa;
	sigset_t		 block;
	int			 sigs[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP,
				    SIGUSR1, SIGUSR2 };
	size_t			 i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = signals_handler;
	sigemptyset(&block);
	for (i = 0; i < nitems(sigs); i++) {
		sigaddset(&block, sigs[i]);
		/*
		 * SIGCHLD means a child ended, and ends tattled: a child
		 * stopped and continued (SIGSTOP, a debugger) has not.
		 */
		sa.sa_flags = sigs[i] == SIGCHLD ? SA_NOCLDSTOP : 0;
		if (sigaction(sigs[i], &sa, NULL) == -1)
			fatal("sigaction");
	}
	if (sigprocmask(SIG_BLOCK, &block, NULL) == -1)
		fatal("sigprocmask");
	signal(SIGPIPE, SIG_IGN);
}
