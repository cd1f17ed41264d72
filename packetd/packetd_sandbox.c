/*
 * packetd_sandbox.c: packetd's own sandbox, entered once the children
 * have said HELLO.  It keeps CAP_NET_ADMIN only (the kernel checks it on
 * every netfilter message, verdicts included), runs as _tattle, may read
 * its configuration, the lists directories and the files of the
 * directories holding resolv.conf (and its symlink's target), and write
 * only in the rules directory (Landlock), and never forks or execs again:
 * a dead child ends the daemon.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <unistd.h>

#include "compat.h"
#include "landlock-compat.h"
#include "packetd.h"
#include "sandbox.h"

static const struct sandbox_sc packetd_syscalls[] = {
	SC_ALLOW(read),			/* stdio, files it reads */
	SC_ALLOW(write),		/* stderr logs */
	SC_ALLOW(pwrite64),		/* ftrace off at exit (kept fds) */
	SC_ALLOW(recvmsg),		/* children's channels */
	SC_ALLOW(recvmmsg),		/* NFQUEUE: packets in batches */
	SC_ALLOW(recvfrom),		/* nftables: the kernel's answers */
	SC_ALLOW(sendmsg),		/* children's channels */
	SC_ALLOW(sendto),		/* syslog(3) on its open socket */
	SC_ERRNO(socket, EACCES),	/* syslog(3) may try to reconnect */
	SC_ERRNO(connect, EACCES),	/* syslog(3) may try to reconnect */
	SC_ALLOW(close),		/* descriptors */
	SC_ALLOW(openat),		/* rule and list files (Landlock) */
	SC_ALLOW(newfstatat),		/* rule files: regular, size */
	SC_ALLOW(fstat),		/* rule files: regular, size */
	SC_ALLOW(getdents64),		/* rescans of the rules directory */
	SC_ALLOW(lseek),		/* memfd back to 0, queue stats */
	SC_ALLOW(pread64),		/* kernel queue counters */
	SC_ALLOW(fsync),		/* rule files ruled asked to write */
	SC_ALLOW(renameat),		/* ... put in place atomically */
	SC_ALLOW(renameat2),		/* glibc's renameat */
	SC_ALLOW(unlinkat),		/* rule files ruled asked to remove */
	SC_ALLOW_IF(memfd_create,	/* copies of rule and list files */
	    SC_ARG(1, SCMP_CMP_EQ, MFD_CLOEXEC | MFD_ALLOW_SEALING, 0)),
	SC_ALLOW_IF(fcntl,		/* sealing those copies */
	    SC_ARG(1, SCMP_CMP_EQ, F_ADD_SEALS, 0)),
	SC_ALLOW(ppoll),		/* the event loop */
	SC_ALLOW(poll),			/* nftables: wait for the acks */
	SC_ALLOW(wait4),		/* reaping children */
};

static const int packetd_caps[] = {
	CAP_NET_ADMIN,			/* nfnetlink: queue, verdicts, table */
};

void
packetd_sandbox(struct packetd *p)
{
	struct sandbox_ll_rule	 ll[2 + PACKETD_MAX_LIST_DIRS +
				    2 * MAX_CONF_PATHS];
	int			 lfds[PACKETD_MAX_LIST_DIRS +
				    2 * MAX_CONF_PATHS];
	size_t			 i, nl;
	struct sandbox_cfg	 cfg = {
		.role = ROLE_PACKETD,
		.user = sandbox_user(ROLE_PACKETD),
		.caps = packetd_caps,
		.ncaps = nitems(packetd_caps),
		.landlock = SANDBOX_LL_RULES,
		.ll_rules = ll,
		.nofile = PACKETD_MAX_FDS,
		.no_fork = 1,
		.sc = packetd_syscalls,
		.nsc = nitems(packetd_syscalls),
	};
	int			 conffd;

	if ((conffd = open(p->conf_path, O_PATH | O_CLOEXEC)) == -1)
		fatal("%s", p->conf_path);
	ll[0].fd = conffd;
	ll[0].access = TLL_FS_READ_FILE;
	ll[1].fd = p->rulesfd;
	ll[1].access = TLL_FS_READ_FILE | TLL_FS_READ_DIR;
	if (!p->read_only)
		ll[1].access |= TLL_FS_WRITE_FILE | TLL_FS_MAKE_REG |
		    TLL_FS_REMOVE_FILE | TLL_FS_TRUNCATE;
	cfg.nll_rules = 2;
	/* The lists directories ruled asked for at start: read only. */
	nl = listdirs_dirfds(lfds, PACKETD_MAX_LIST_DIRS);
	for (i = 0; i < nl; i++) {
		ll[cfg.nll_rules].fd = lfds[i];
		ll[cfg.nll_rules++].access = TLL_FS_READ_FILE |
		    TLL_FS_READ_DIR;
	}
	/*
	 * The directories of resolv.conf and of its symlink's target: the
	 * file is replaced by rename, so its directory, not its inode.
	 */
	nl = resolvconf_dirfds(lfds, 2 * MAX_CONF_PATHS);
	for (i = 0; i < nl; i++) {
		ll[cfg.nll_rules].fd = lfds[i];
		ll[cfg.nll_rules++].access = TLL_FS_READ_FILE;
	}
	sandbox_enter(&cfg);
	close(conffd);
}

size_t
packetd_sandbox_nsyscalls(void)
{
	return sandbox_base_nsyscalls() + nitems(packetd_syscalls);
}
