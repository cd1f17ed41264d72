/*
 * sandbox.h: entering a role's sandbox, in the order LINUX-SANDBOX.md
 * gives: user and capabilities, no_new_privs, chroot, rlimits,
 * Landlock, then a seccomp allow-list whose default kills the process.
 * Every allow-list starts with a base (malloc, clocks, exit) that
 * sandbox.c adds; each role keeps the rest of its list beside its main
 * file.
 */
#ifndef TATTLE_SANDBOX_H
#define TATTLE_SANDBOX_H

#include <sys/resource.h>

#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>

#include "proto.h"

/* One seccomp entry: a system call, up to three argument checks. */
struct sandbox_sc {
	int			 nr;
	int			 err;	/* 0: allow; else fail with errno */
	unsigned int		 ncmp;
	struct scmp_arg_cmp	 cmp[3];
};

#define SC_ARG(n, o, a, b)	\
	{ .arg = (n), .op = (o), .datum_a = (a), .datum_b = (b) }
#define SC_ALLOW(name)		{ .nr = SCMP_SYS(name) }
#define SC_ALLOW_IF(name, ...)						\
	{ .nr = SCMP_SYS(name),						\
	  .ncmp = sizeof((struct scmp_arg_cmp[]){ __VA_ARGS__ }) /	\
	      sizeof(struct scmp_arg_cmp),				\
	  .cmp = { __VA_ARGS__ } }
#define SC_ERRNO(name, e)	{ .nr = SCMP_SYS(name), .err = (e) }

/* A Landlock path rule: a directory or file opened before the drop. */
struct sandbox_ll_rule {
	int		 fd;
	uint64_t	 access;
};

enum sandbox_landlock {
	SANDBOX_LL_OFF = 0,	/* attributord: Landlock breaks /proc/PID/exe */
	SANDBOX_LL_RULES,	/* handle every right, allow ll_rules' */
};

struct sandbox_cfg {
	enum role			 role;
	const char			*user;
	const char			*chroot_dir;	/* NULL: keep / */
	const int			*caps;
	size_t				 ncaps;
	int				 pdeathsig;	/* die with packetd */
	enum sandbox_landlock		 landlock;
	const struct sandbox_ll_rule	*ll_rules;
	size_t				 nll_rules;
	rlim_t				 nofile;	/* 0: leave as is */
	int				 no_fork;	/* RLIMIT_NPROC 0 */
	int				 no_write;	/* RLIMIT_FSIZE 0 */
	const struct sandbox_sc		*sc;
	size_t				 nsc;
};

typedef void	(*sandbox_report_fn)(const char *);

void	sandbox_enter(const struct sandbox_cfg *);
size_t	sandbox_base_nsyscalls(void);
int	sandbox_check_emptydir(const char *, const char **);
int	sandbox_landlock_abi(void);
void	sandbox_set_report(sandbox_report_fn);
void	sandbox_stdio_devnull(int);
const char *sandbox_user(enum role);
const char *sandbox_emptydir(void);

#endif /* TATTLE_SANDBOX_H */
