/*
 * attributord_sandbox.c: attributord's sandbox.  It must read other
 * users' /proc/PID/exe and /proc/PID/fd, so it keeps CAP_SYS_PTRACE and
 * CAP_DAC_READ_SEARCH, and nothing else.  Those are strong: the
 * allow-list is what keeps them to reading.  No Landlock: any Landlock
 * domain makes /proc/PID/exe of processes outside it unreadable
 * (LINUX-SANDBOX.md section 5).  /proc comes as a descriptor opened
 * before the chroot.  ptrace, process_vm_readv/writev, pidfd_open,
 * pidfd_getfd and kill are not on the list: the default kills.
 */
#include <sys/mman.h>

#include <linux/capability.h>

#include <errno.h>
#include <stddef.h>

#include "compat.h"
#include "attributord.h"
#include "log.h"
#include "sandbox.h"

static const struct sandbox_sc attributord_syscalls[] = {
	SC_ALLOW(read),			/* fds handed to it */
	SC_ALLOW(recvmsg),		/* its two channels */
	SC_ALLOW(sendmsg),		/* its two channels */
	SC_ALLOW(write),		/* stderr in debug mode */
	SC_ALLOW(close),		/* descriptors it opened */
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
	SC_ALLOW(clock_gettime),	/* time bounds (vDSO fallback) */
	SC_ALLOW(gettimeofday),		/* vDSO fallback */
	SC_ALLOW(getpid),		/* HELLO names the sender */
	SC_ALLOW(rt_sigreturn),		/* signal return */
	SC_ALLOW(exit),			/* end */
	SC_ALLOW(exit_group),		/* end */
};

static const int attributord_caps[] = {
	CAP_SYS_PTRACE,			/* readlink /proc/PID/exe, cwd */
	CAP_DAC_READ_SEARCH,		/* list /proc/PID/fd */
};

void
attributord_sandbox(const struct child_env *env)
{
	struct sandbox_cfg	 cfg = {
		.role = ROLE_ATTRIBUTORD,
		.user = sandbox_user(ROLE_ATTRIBUTORD),
		.chroot_dir = sandbox_emptydir(),
		.caps = attributord_caps,
		.ncaps = nitems(attributord_caps),
		.pdeathsig = 1,
		.landlock = SANDBOX_LL_OFF,
		.nofile = ATTR_MAX_FDS,
		.no_fork = 1,
		.no_write = 1,
		.sc = attributord_syscalls,
		.nsc = nitems(attributord_syscalls),
	};

	sandbox_enter(&cfg);
}

size_t
attributord_sandbox_nsyscalls(void)
{
	return nitems(attributord_syscalls);
}
