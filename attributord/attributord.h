/*
 * attributord.h: the process that finds which program made a
 * connection: its state, and the glue between its messages and the
 * attribution modules (ftrace, proctable, sockdiag, procfs, resolve).
 */
#ifndef TATTLE_ATTRIBUTORD_H
#define TATTLE_ATTRIBUTORD_H

#include "attr_limits.h"
#include "attrd_cache.h"
#include "attrd_desc.h"
#include "child.h"
#include "ftrace.h"
#include "procfs.h"
#include "proctable.h"
#include "resolve.h"
#include "sockdiag.h"

/*
 * Descriptors held at most: 0-5, the sock_diag socket, one raw pipe per
 * CPU, and the few that a /proc walk holds open at once.
 */
#define ATTR_MAX_FDS	(FD_ATTR_FIRST_FREE + 1 + MAX_TRACE_CPUS + 16)

_Static_assert(MAX_NEED_ENV >= MAX_ATTRS, "a NEEDS message fits");

enum { C_PARENT, C_RULED, C_MAX };

/* The ftrace hand-over: a layout, then one raw pipe per CPU. */
enum attrd_trace_state {
	TR_NONE = 0,		/* no layout yet */
	TR_FDS,			/* layout accepted, pipes arriving */
	TR_ON,			/* decoding */
	TR_OFF			/* refused or failed: sock_diag and /proc */
};

struct attrd_trace {
	enum attrd_trace_state	 state;
	struct trace_layout	 lay;
	int			 fd[MAX_TRACE_CPUS];
	unsigned int		 nfd;
	uint64_t		 last_drain;
	uint64_t		 last_expire;
	uint64_t		 losses;	/* missed + bad pages, seen */
	uint64_t		 last_loss_warn;
};

struct attrd_stats {
	uint64_t	conns;
	uint64_t	by_src[SRC_MAX];
	uint64_t	read;		/* attributes read from /proc */
	uint64_t	raced;		/* CONN_F_RACED */
	uint64_t	exec_raced;	/* exec'd after sending: unknown */
	uint64_t	cut;		/* CONN_F_ATTRS_CUT or CMDLINE_CUT */
	uint64_t	deleted;
	uint64_t	foreign;	/* read in another mount namespace */
	uint64_t	path_unsure;	/* CONN_F_PATH_UNSURE */
	uint64_t	path_why[16];	/* enum attrd_path_why */
	uint64_t	ns_total;	/* attribution time, summed */
	uint64_t	ns_max;
};

struct attrd {
	struct chan		 chans[C_MAX];
	struct msg_config	 cfg;
	int			 have_config;
	/* What ruled's rules need beyond the usual attributes. */
	int			 need_md5;
	int			 need_sha1;
	/* The host's root and mount namespace (attrd_path_host). */
	int			 rootfd;
	dev_t			 host_mntns_dev;
	ino_t			 host_mntns_ino;
	unsigned int		 nenv;
	char			 env[MAX_NEED_ENV][MAX_ENV_NAME];
	const char		*envp[MAX_NEED_ENV];
	/* The modules. */
	struct sockdiag		 sd;
	int			 have_sd;
	struct procfs		 pf;
	struct proctable	 pt;
	struct ftrace		 ft;
	struct attr_ctx		 ac;
	struct attrd_trace	 tr;
	struct attrd_cache	 cache;
	struct attrd_stats	 st;
};

/* attributord.c */
void	 attrd_log_stats(const struct attrd *);

/* attributord_sandbox.c */
void	 attributord_sandbox(const struct child_env *, int);
size_t	 attributord_sandbox_nsyscalls(void);

/* attrd_trace.c */
void	 attrd_trace_init(struct attrd *);
void	 attrd_trace_layout(struct attrd *, const struct msg *);
void	 attrd_trace_fd(struct attrd *, struct msg *);
void	 attrd_trace_ready(struct attrd *);
int	 attrd_trace_fill(struct attrd *, struct pollfd *, int);
void	 attrd_trace_tick(struct attrd *, int);
int	 attrd_trace_timeout_ms(struct attrd *);

/* attrd_conn.c */
void	 attrd_attribute(struct attrd *, const struct msg *, struct msg *);
void	 attrd_conn(struct attrd *, const struct msg *);

#endif /* TATTLE_ATTRIBUTORD_H */
