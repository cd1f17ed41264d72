/*
 * attributord_sandbox.c: attributord's sandbox.  It must read other
 * users' /proc/PID/exe and /proc/PID/fd, so it keeps CAP_SYS_PTRACE and
 * CAP_DAC_READ_SEARCH, and nothing else.  Those are strong: the
 * allow-list is what keeps them to reading.  Files open read-only and
 * are never created or truncated; write() reaches stderr only; sendto
 * and recvfrom reach the sock_diag socket only, which is opened before
 * this; no socket() at all.  No Landlock: any Landlock domain makes
 * /proc/PID/exe of processes outside it unreadable (LINUX-SANDBOX.md
 * section 5).  /proc comes as a descriptor opened before the chroot,
 * and so does the host's "/", as O_PATH (attrd_path_host: a path walk
 * opens directories O_PATH, never reads them).  The residual power,
 * which no allow-list can take away (seccomp does not see paths): any
 * file could be opened read-only through /proc/PID/root.  What is read
 * is /proc, executables through /proc/PID/exe (hashes) and two bytes of
 * a "#!" check.
 * ptrace, process_vm_readv/writev, pidfd_open, pidfd_getfd, kill and
 * tgkill are not on the list: the default kills.
 */
#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>

#include "compat.h"
#include "attributord.h"
#include "log.h"
#include "sandbox.h"

/* O_TMPFILE's own bit: glibc's __O_TMPFILE also holds O_DIRECTORY. */
#define ATTRD_O_TMPFILE_BIT	020000000

/* openat may only read: no write access, no create, truncate, tmpfile. */
#define ATTRD_OPEN_MASK	(O_ACCMODE | O_CREAT | O_TRUNC | ATTRD_O_TMPFILE_BIT)

static const struct sandbox_sc attributord_syscalls[] = {
	SC_ALLOW(read),			/* /proc files, trace pipes, memfd */
	SC_ALLOW(recvmsg),		/* its two channels */
	SC_ALLOW(recvmmsg),		/* ... two messages per read */
	SC_ALLOW(sendmsg),		/* its two channels */
	SC_ALLOW_IF(write,		/* stderr in debug mode only */
	    SC_ARG(0, SCMP_CMP_EQ, 2, 0)),
	SC_ALLOW(close),		/* descriptors it opened */
	SC_ALLOW(ppoll),		/* the event loop */
	SC_ALLOW(poll),			/* log sink waits for packetd */
	SC_ALLOW_IF(openat,		/* procfs: /proc/PID/..., read only */
	    SC_ARG(2, SCMP_CMP_MASKED_EQ, ATTRD_OPEN_MASK, O_RDONLY)),
	SC_ALLOW(readlinkat),		/* procfs: exe, cwd, fd/N; attrd_path */
	SC_ALLOW(getdents64),		/* procfs: /proc and /proc/PID/fd */
	SC_ALLOW(newfstatat),		/* fstat, fstatat: md5, attrd_path */
	SC_ALLOW(getpid),		/* HELLO names the sender */
};

static size_t	 attributord_nsc;

static const int attributord_caps[] = {
	CAP_SYS_PTRACE,			/* readlink /proc/PID/exe, cwd */
	CAP_DAC_READ_SEARCH,		/* list /proc/PID/fd */
};

/*
 * The list is built from what runs: sendto and recvfrom are there only
 * when sock_diag is, and only for its descriptor sdfd.
 */
void
attributord_sandbox(const struct child_env *env, int sdfd)
{
	static struct sandbox_sc sc[nitems(attributord_syscalls) + 2];
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
		.sc = sc,
	};
	const struct sandbox_sc	 diag[] = {
		SC_ALLOW_IF(sendto,	/* sockdiag: requests */
		    SC_ARG(0, SCMP_CMP_EQ, (scmp_datum_t)sdfd, 0)),
		SC_ALLOW_IF(recvfrom,	/* sockdiag: answers */
		    SC_ARG(0, SCMP_CMP_EQ, (scmp_datum_t)sdfd, 0)),
	};

	(void)env;
	memcpy(sc, attributord_syscalls, sizeof(attributord_syscalls));
	cfg.nsc = nitems(attributord_syscalls);
	if (sdfd != -1) {
		memcpy(sc + cfg.nsc, diag, sizeof(diag));
		cfg.nsc += nitems(diag);
	}
	attributord_nsc = sandbox_base_nsyscalls() + cfg.nsc;
	sandbox_enter(&cfg);
}

size_t
attributord_sandbox_nsyscalls(void)
{
	return attributord_nsc;
}
