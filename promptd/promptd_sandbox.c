/*
 * promptd_sandbox.c: promptd's sandbox.  promptd faces the user's
 * clients, so like ruled it keeps nothing: no capability, an empty
 * chroot, Landlock with no rights.  It never opens or connects anything:
 * the UI socket comes to it already bound, and it only accepts on it.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stddef.h>

#include "compat.h"
#include "log.h"
#include "promptd.h"
#include "sandbox.h"

static const struct sandbox_sc promptd_syscalls[] = {
	SC_ALLOW(read),			/* UI clients' lines */
	SC_ALLOW(recvmsg),		/* its two channels */
	SC_ALLOW(sendmsg),		/* its two channels */
	SC_ALLOW(write),		/* lines to UI clients */
	SC_ALLOW(close),		/* UI clients that leave */
	SC_ALLOW_IF(accept4,		/* UI clients, born non-blocking */
	    SC_ARG(3, SCMP_CMP_EQ, SOCK_NONBLOCK | SOCK_CLOEXEC, 0)),
	SC_ALLOW_IF(getsockopt,		/* who the client is */
	    SC_ARG(1, SCMP_CMP_EQ, SOL_SOCKET, 0),
	    SC_ARG(2, SCMP_CMP_EQ, SO_PEERCRED, 0)),
	SC_ALLOW_IF(getsockopt,		/* ... and its groups */
	    SC_ARG(1, SCMP_CMP_EQ, SOL_SOCKET, 0),
	    SC_ARG(2, SCMP_CMP_EQ, SO_PEERGROUPS, 0)),
	SC_ALLOW(ppoll),		/* the event loop */
	SC_ALLOW(poll),			/* log sink waits for packetd */
	SC_ALLOW(getpid),		/* HELLO names the sender */
};

void
promptd_sandbox(const struct child_env *env)
{
	struct sandbox_cfg	 cfg = {
		.role = ROLE_PROMPTD,
		.user = sandbox_user(ROLE_PROMPTD),
		.chroot_dir = sandbox_emptydir(),
		.pdeathsig = 1,
		.landlock = SANDBOX_LL_RULES,
		.nofile = PROMPT_MAX_FDS,
		.no_fork = 1,
		.no_write = 1,
		.sc = promptd_syscalls,
		.nsc = nitems(promptd_syscalls),
	};

	sandbox_enter(&cfg);
}

size_t
promptd_sandbox_nsyscalls(void)
{
	return sandbox_base_nsyscalls() + nitems(promptd_syscalls);
}
