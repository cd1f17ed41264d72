/*
 * ruled_sandbox.c: ruled's sandbox.  ruled parses the most hostile
 * input (rule files, DNS replies, answers from the UI), so it keeps
 * nothing: no capability, an empty chroot, Landlock with no rights, and
 * the smallest allow-list of the four.  No open, no socket, no connect,
 * no execve.
 */
#include <sys/mman.h>

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
	SC_ALLOW(write),		/* stderr in debug mode */
	SC_ALLOW(close),		/* descriptors it received */
	SC_ALLOW(ppoll),		/* the event loop */
	SC_ALLOW(poll),			/* log sink waits for packetd */
	SC_ALLOW(brk),			/* malloc */
	SC_ALLOW_IF(mmap,		/* malloc: anonymous, never exec */
	    SC_ARG(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0),
	    SC_ARG(4, SCMP_CMP_MASKED_EQ, 0xffffffffu, 0xffffffffu)),
	SC_ALLOW_IF(mprotect,		/* malloc, never exec */
	    SC_ARG(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)),
	SC_ALLOW(munmap),		/* free */
	SC_ALLOW(mremap),		/* realloc */
	SC_ALLOW(madvise),		/* free */
	SC_ALLOW(getrandom),		/* malloc's tcache key */
	SC_ALLOW(sysinfo),		/* qsort of large arrays (regexps) */
	SC_ALLOW(clock_gettime),	/* deadlines (vDSO fallback) */
	SC_ALLOW(gettimeofday),		/* vDSO fallback */
	SC_ALLOW(getpid),		/* HELLO names the sender */
	SC_ALLOW(rt_sigreturn),		/* signal return */
	SC_ALLOW(exit),			/* end */
	SC_ALLOW(exit_group),		/* end */
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
	return nitems(ruled_syscalls);
}
