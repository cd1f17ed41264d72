/*
 * sandbox.c: the one road into a role's sandbox.  Every step is fatal on
 * failure: a process that could not lock itself down does not run.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <cap-ng.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "landlock-compat.h"
#include "log.h"
#include "sandbox.h"

static void	 sandbox_chroot(const char *);
static void	 sandbox_drop_user(const struct sandbox_cfg *,
		    const struct passwd *);
static void	 sandbox_rlimits(const struct sandbox_cfg *);
static void	 sandbox_landlock(const struct sandbox_cfg *);
static void	 sandbox_seccomp(const struct sandbox_cfg *);
static void	 sandbox_sigsys(int, siginfo_t *, void *);

static sandbox_report_fn	 report_fn;

/*
 * Every role's allow-list starts with these (sandbox_seccomp() adds them
 * first): malloc and free, the clocks and the way out.  Each role's own
 * list holds only what that role does besides.
 */
static const struct sandbox_sc sandbox_base_syscalls[] = {
	SC_ALLOW(brk),			/* malloc */
	/*
	 * malloc: anonymous (fd -1), never exec.  fd is an int: glibc's
	 * malloc loads it with a 32-bit move, so the register holds
	 * 0xffffffff, not (uint64_t)-1; only the low half is compared.
	 */
	SC_ALLOW_IF(mmap,
	    SC_ARG(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0),
	    SC_ARG(4, SCMP_CMP_MASKED_EQ, 0xffffffffu, 0xffffffffu)),
	SC_ALLOW_IF(mprotect,		/* malloc, never exec */
	    SC_ARG(2, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)),
	SC_ALLOW(munmap),		/* free */
	SC_ALLOW(mremap),		/* realloc */
	SC_ALLOW(madvise),		/* free */
	SC_ALLOW(getrandom),		/* malloc's tcache key, hash keys */
	SC_ALLOW(clock_gettime),	/* deadlines (vDSO fallback) */
	SC_ALLOW(gettimeofday),		/* vDSO fallback */
	SC_ALLOW(rt_sigreturn),		/* signal handlers return */
	SC_ALLOW(exit),			/* end */
	SC_ALLOW(exit_group),		/* end */
};

#ifdef TATTLE_SANITIZERS
/*
 * Sanitizer builds only (never shipped): what the ASan/UBSan runtime
 * calls on its own inside a sandboxed process.
 */
static const struct sandbox_sc sanitizer_syscalls[] = {
	SC_ALLOW(sigaltstack),		/* ASan checks its alternate stack */
	SC_ALLOW(sched_yield),		/* allocator spin locks */
	SC_ALLOW(gettid),		/* reports */
	SC_ALLOW(getpid),		/* reports */
	SC_ALLOW(futex),		/* internal mutexes */
	SC_ALLOW(rt_sigprocmask),	/* reports */
	SC_ALLOW(rt_sigaction),		/* reports */
};
#endif

const char *
sandbox_user(enum role r)
{
	static char	 names[ROLE_MAX][64];
	const char	*suffix, *prefix = TATTLE_USER_PREFIX;

	switch (r) {
	case ROLE_PACKETD:
		suffix = "";
		break;
	case ROLE_ATTRIBUTORD:
		suffix = "_attr";
		break;
	case ROLE_RULED:
		suffix = "_rule";
		break;
	case ROLE_PROMPTD:
		suffix = "_prompt";
		break;
	default:
		return NULL;
	}
#ifdef TATTLE_TEST_HOOKS
	/* Lets a test name users that do not exist. */
	if (getenv("TATTLE_TEST_USER_PREFIX") != NULL)
		prefix = getenv("TATTLE_TEST_USER_PREFIX");
#endif
	if (names[r][0] == '\0')
		snprintf(names[r], sizeof(names[r]), "%s%s", prefix, suffix);
	return names[r];
}

/* Test builds may point the chroot at a directory the test made. */
const char *
sandbox_emptydir(void)
{
#ifdef TATTLE_TEST_HOOKS
	const char	*d = getenv("TATTLE_TEST_EMPTYDIR");

	if (d != NULL && *d == '/')
		return d;
#endif
	return _PATH_TATTLE_EMPTY;
}

/* Point 0, 1 and 2 at /dev/null (keeping 2 when asked to). */
void
sandbox_stdio_devnull(int keep_stderr)
{
	int	 fd;

	if ((fd = open("/dev/null", O_RDWR)) == -1)
		fatal("%s: /dev/null", __func__);
	if (dup2(fd, 0) == -1 || dup2(fd, 1) == -1 ||
	    (!keep_stderr && dup2(fd, 2) == -1))
		fatal("%s: dup2", __func__);
	if (fd > 2)
		close(fd);
}

/*
 * The chroot must be a real, root-owned directory that nobody else can
 * write and that holds nothing: otherwise the role could find something
 * there.
 */
int
sandbox_check_emptydir(const char *path, const char **why)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;
	int		 fd, n = 0;

	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1) {
		*why = "cannot open it as a directory (missing or a symlink?)";
		return -1;
	}
	if (fstat(fd, &st) == -1 || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		close(fd);
		*why = "not owned by root, or writable by group or others";
		return -1;
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		*why = "cannot read it";
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	if (n != 0) {
		*why = "not empty";
		return -1;
	}
	return 0;
}

static void
sandbox_chroot(const char *dir)
{
	const char	*why;

	if (sandbox_check_emptydir(dir, &why) == -1)
		fatalx("chroot directory %s: %s", dir, why);
	if (chroot(dir) == -1)
		fatal("chroot %s", dir);
	if (chdir("/") == -1)
		fatal("chdir /");
}

static void
sandbox_drop_user(const struct sandbox_cfg *cfg, const struct passwd *pw)
{
	size_t	 i;
	int	 rv;

	capng_clear(CAPNG_SELECT_ALL);
	for (i = 0; i < cfg->ncaps; i++)
		if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
		    cfg->caps[i]) == -1)
			fatalx("capng_update %d", cfg->caps[i]);
	rv = capng_change_id(pw->pw_uid, pw->pw_gid,
	    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (rv != 0)
		fatalx("capng_change_id to %s failed at step %d", cfg->user,
		    rv);
	if (getuid() != pw->pw_uid || geteuid() != pw->pw_uid ||
	    getgid() != pw->pw_gid || getegid() != pw->pw_gid)
		fatalx("still not %s after the drop", cfg->user);
	/* A credential change resets it; set it after. */
	if (cfg->pdeathsig && prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
		fatal("PR_SET_PDEATHSIG");
	/* The parent may already be gone: then so are we. */
	if (cfg->pdeathsig && getppid() == 1)
		fatalx("parent gone before the sandbox was complete");
}

static void
sandbox_setrlimit(int res, rlim_t v, const char *name)
{
	struct rlimit	 rl;

	rl.rlim_cur = rl.rlim_max = v;
	if (setrlimit(res, &rl) == -1)
		fatal("setrlimit %s", name);
}

static void
sandbox_rlimits(const struct sandbox_cfg *cfg)
{
	if (cfg->nofile != 0)
		sandbox_setrlimit(RLIMIT_NOFILE, cfg->nofile, "NOFILE");
	if (cfg->no_fork)
		sandbox_setrlimit(RLIMIT_NPROC, 0, "NPROC");
	if (cfg->no_write)
		sandbox_setrlimit(RLIMIT_FSIZE, 0, "FSIZE");
}

int
sandbox_landlock_abi(void)
{
	return syscall(SYS_landlock_create_ruleset, NULL, 0,
	    TLL_CREATE_RULESET_VERSION);
}

/*
 * Handle every right this kernel knows, allow only the listed paths.
 * With no rules: no filesystem, no TCP, no signals or abstract sockets
 * outside the domain.  A kernel without Landlock is not fatal: seccomp
 * and the chroot already keep the filesystem out.
 */
static void
sandbox_landlock(const struct sandbox_cfg *cfg)
{
	struct tattle_landlock_ruleset_attr	  attr;
	struct tattle_landlock_path_beneath_attr  pb;
	size_t					  i, attrlen;
	int					  abi, rfd;

	if (cfg->landlock == SANDBOX_LL_OFF)
		return;
	if ((abi = sandbox_landlock_abi()) < 1) {
		log_warnx("Landlock unavailable; relying on seccomp and "
		    "chroot");
		return;
	}
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = (TLL_FS_MAKE_SYM << 1) - 1;
	if (abi >= 2)
		attr.handled_access_fs |= TLL_FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= TLL_FS_TRUNCATE;
	if (abi >= 5)
		attr.handled_access_fs |= TLL_FS_IOCTL_DEV;
	attrlen = offsetof(struct tattle_landlock_ruleset_attr,
	    handled_access_net);
	if (abi >= 4) {
		attr.handled_access_net = TLL_NET_BIND_TCP |
		    TLL_NET_CONNECT_TCP;
		attrlen = offsetof(struct tattle_landlock_ruleset_attr, scoped);
	}
	if (abi >= 6) {
		attr.scoped = TLL_SCOPE_ABSTRACT_UNIX_SOCKET |
		    TLL_SCOPE_SIGNAL;
		attrlen = sizeof(attr);
	}
	if ((rfd = syscall(SYS_landlock_create_ruleset, &attr, attrlen, 0))
	    == -1)
		fatal("landlock_create_ruleset");
	for (i = 0; i < cfg->nll_rules; i++) {
		pb.allowed_access = cfg->ll_rules[i].access &
		    attr.handled_access_fs;
		pb.parent_fd = cfg->ll_rules[i].fd;
		if (syscall(SYS_landlock_add_rule, rfd, TLL_RULE_PATH_BENEATH,
		    &pb, 0) == -1)
			fatal("landlock_add_rule");
	}
	if (syscall(SYS_landlock_restrict_self, rfd, 0) == -1)
		fatal("landlock_restrict_self");
	close(rfd);
}

/* The entries every allow-list starts with, for the roles' counts. */
size_t
sandbox_base_nsyscalls(void)
{
	return nitems(sandbox_base_syscalls);
}

void
sandbox_set_report(sandbox_report_fn fn)
{
	report_fn = fn;
}

/* Debug builds: name the system call that the allow-list missed. */
static void
sandbox_sigsys(int sig, siginfo_t *si, void *ctx)
{
	char		 line[96] = "seccomp: unexpected system call ";
	char		 num[16];
	size_t		 l = strlen(line), n = 0;
	unsigned int	 v = (unsigned int)si->si_syscall;

	do {
		num[n++] = '0' + v % 10;
		v /= 10;
	} while (v != 0 && n < sizeof(num));
	while (n > 0 && l < sizeof(line) - 1)
		line[l++] = num[--n];
	line[l] = '\0';
	if (report_fn != NULL)
		report_fn(line);
	else {
		line[l] = '\n';
		/* Nothing else can be said from here (a signal handler). */
		if (write(2, line, l + 1) == -1)
			_exit(128 + SIGSYS);
	}
	_exit(128 + SIGSYS);
}

static void
sandbox_seccomp(const struct sandbox_cfg *cfg)
{
	scmp_filter_ctx		 ctx;
	struct sigaction	 sa;
	uint32_t		 def = SCMP_ACT_KILL_PROCESS, act;
	size_t			 i;
	int			 rv;

#ifdef TATTLE_SECCOMP_DEBUG
	def = SCMP_ACT_TRAP;
#endif
	if (def == SCMP_ACT_TRAP) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = sandbox_sigsys;
		sa.sa_flags = SA_SIGINFO;
		if (sigaction(SIGSYS, &sa, NULL) == -1)
			fatal("sigaction SIGSYS");
	}
	if ((ctx = seccomp_init(def)) == NULL)
		fatalx("seccomp_init");
	for (i = 0; i < nitems(sandbox_base_syscalls); i++) {
		rv = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW,
		    sandbox_base_syscalls[i].nr, sandbox_base_syscalls[i].ncmp,
		    sandbox_base_syscalls[i].cmp);
		if (rv < 0)
			fatalx("seccomp base rule %zu (syscall %d): %s", i,
			    sandbox_base_syscalls[i].nr, strerror(-rv));
	}
	for (i = 0; i < cfg->nsc; i++) {
		act = cfg->sc[i].err ? SCMP_ACT_ERRNO(cfg->sc[i].err) :
		    SCMP_ACT_ALLOW;
		rv = seccomp_rule_add_array(ctx, act, cfg->sc[i].nr,
		    cfg->sc[i].ncmp, cfg->sc[i].cmp);
		if (rv < 0)
			fatalx("seccomp rule %zu (syscall %d): %s", i,
			    cfg->sc[i].nr, strerror(-rv));
	}
#ifdef TATTLE_SANITIZERS
	for (i = 0; i < nitems(sanitizer_syscalls); i++)
		if (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW,
		    sanitizer_syscalls[i].nr, 0, NULL) < 0)
			fatalx("seccomp sanitizer rule %zu", i);
#endif
	if ((rv = seccomp_load(ctx)) < 0)
		fatalx("seccomp_load: %s", strerror(-rv));
	seccomp_release(ctx);
}

void
sandbox_enter(const struct sandbox_cfg *cfg)
{
	struct passwd	*pw;

	/* glibc's first malloc and localtime touch files and getrandom. */
	free(malloc(1));
	tzset();
	if ((pw = getpwnam(cfg->user)) == NULL)
		fatalx("user %s does not exist; create the tattle users with "
		    "systemd-sysusers (see tattled(8))", cfg->user);
	if (cfg->chroot_dir != NULL)
		sandbox_chroot(cfg->chroot_dir);
	sandbox_drop_user(cfg, pw);
	sandbox_rlimits(cfg);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_NO_NEW_PRIVS");
	sandbox_landlock(cfg);
	sandbox_seccomp(cfg);
}
