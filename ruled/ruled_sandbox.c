/*
 * ruled_sandbox.c: ruled's sandbox.  ruled parses the most hostile
 * input (rule files, DNS replies, answers from the UI), so it keeps
 * nothing: no capability, an empty chroot, Landlock with no rights, and
 * the smallest allow-list of the four.  No open, no socket, no connect,
 * no execve.
 */
#include <errno.h>
#include <stddef.h>

#include "compat.h"
#include "log.h"
#include "ruled.h"
#include "sandbox.h"

static const struct sandbox_sc ruled_syscalls[] = {
	SC_ALLOW(read),			/* fds handed to it */
	SC_ALLOW(recvmsg),		/* its three channels */
	SC_ALLOW(recvmmsg),		/* ... two messages per read */
	SC_ALLOW(sendmsg),		/* its three channels */
	SC_ALLOW(sendmmsg),		/* events to promptd, many at once */
	SC_ALLOW_IF(write,		/* stderr in debug mode only */
	    SC_ARG(0, SCMP_CMP_EQ, 2, 0)),
	SC_ALLOW(close),		/* descriptors it received */
	SC_ALLOW(ppoll),		/* the event loop */
	SC_ALLOW(poll),			/* log sink waits for packetd */
	SC_ALLOW(sysinfo),		/* qsort of large arrays (regexps) */
	SC_ALLOW(getpid),		/* HELLO names the sender */
};

void
ruled_sandbox(const struct child_env *env)
{
	struct sandbox_cfg	 cfg = {
		.role = ROLE_RULED,
		.user = sandbox_user(ROLE_RULED),
		.chroot_dir = sandbox_emptydir(),
		.pdeathsig = 1,
		.landlock = SANDBOX_LL_RULES,
		.nofile = RULED_MAX_FDS,
		.no_fork = 1,
		.no_write = 1,
		.sc = ruled_syscalls,
		.nsc = nitems(ruled_syscalls),
	};

	sandbox_enter(&cfg);
}

size_t
ruled_sandbox_nsyscalls(void)
{
	return sandbox_base_nsyscalls() + nitems(ruled_syscalls);
}
