/*
 * packetd.h: tattled, the privileged parent.
 */
#ifndef TATTLE_PACKETD_H
#define TATTLE_PACKETD_H

#include <sys/types.h>
#include <sys/stat.h>

#include <limits.h>
#include <signal.h>

#include "chan.h"
#include "conf.h"
#include "log.h"
#include "fw.h"
#include "tracefs.h"

#define HELLO_TIMEOUT_MS	10000	/* a child that stays silent is dead */
#define SHUTDOWN_WAIT_MS	1000	/* children's time to leave */
#define PACKETD_MAX_FDS		256
#define READY_TIMEOUT_MS	120000	/* rules and lists loaded by then */
#define MAX_RULE_FILE		(1024 * 1024)
#define MAX_RULE_FILES		100000
#define MAX_LIST_FILE		(256u * 1024 * 1024)
#define PACKETD_MAX_LIST_DIRS		64
#define MAX_PASSWD_FILE		(16 * 1024 * 1024)

struct pending;
struct queue;
struct nflog;

/* packetd's own counters: packets, not connections (ruled counts those). */
struct packetd_stats {
	uint64_t	packets;	/* read from the queues */
	uint64_t	conns;		/* new connections asked about */
	uint64_t	allowed;	/* packets accepted */
	uint64_t	denied;		/* packets dropped */
	uint64_t	rejected;	/* packets rejected */
	uint64_t	unparsed;	/* default action: headers unreadable */
	uint64_t	overflow;	/* pending table full */
	uint64_t	failmode;	/* packets given the fail mode */
	uint64_t	expired;	/* no verdict in time: default action */
	uint64_t	late_verdicts;	/* for packets already released */
	uint64_t	dns_copied;
	uint64_t	dns_dropped;	/* ruled's channel was full */
	uint64_t	dns_lost;	/* NFLOG overruns: copies lost */
	uint64_t	dns_bad;	/* NFLOG copies without UDP/TCP */
	uint64_t	stage_count;	/* decided without a person */
	uint64_t	stage_total_ns;	/* queue read to verdict */
	uint64_t	stage_attr_ns;	/* of which attributord */
	uint64_t	stage_rule_ns;	/* of which ruled */
};

struct child {
	enum role	 role;
	pid_t		 pid;
	struct chan	 chan;
	int		 reaped;
	int		 status;
};

struct packetd {
	struct tattle_config	 cfg;
	char			 conf_path[PATH_MAX];
	char			 netns[64];
	int			 foreground;
	int			 debug;
	int			 verbose;
	int			 check_only;
	int			 procfd;	/* for attributord */
	int			 rootfd;	/* "/", O_PATH: attributord */
	int			 uisock;	/* for promptd */
	gid_t			 ui_gid;	/* UIGroup */
	int			 rulesfd;	/* the rules directory */
	int			 inotifyfd;	/* rules and lists changes */
	int			 rules_wd;	/* its watch on the rules dir */
	int			 ready;		/* ruled has rules and lists */
	int			 read_only;	/* rules dir not writable */
	uid_t			 own_uid;	/* packetd's user: with root, */
	gid_t			 own_gid;	/* the owners files may have */
	struct child		 children[ROLE_MAX];
	struct tracefs		 trace;		/* ftrace instance */
	int			 trace_ok;	/* 0: no ftrace */
	int			 cleanup_only;	/* --cleanup */
	int			 boot_table;	/* --boot-table */
	struct fw		 fw;		/* the nftables table */
	struct queue		*queue;		/* NFQUEUE */
	struct nflog		*nflog;		/* DNS copies (NFLOG) */
	struct pending		*pending;	/* held packets */
	uint32_t		 default_verdict;
	uint64_t		 decide_timeout_ns;
	struct packetd_stats	 stats;
	struct timespec		 started;
	int			 kstatsfd;	/* nfnetlink_queue counters */
	uint64_t		 warned_unparsed, warned_overflow;
	uint64_t		 warned_backlog, warned_expired;
	int			 shutting_down;
};

/* signals.c */
extern volatile sig_atomic_t	 sig_chld;
extern volatile sig_atomic_t	 sig_term;
extern volatile sig_atomic_t	 sig_usr1;
extern volatile sig_atomic_t	 sig_usr2;
void	 signals_install(void);

/* spawn.c */
void	 spawn_children(struct packetd *);

/* dispatch.c */
int	 packetd_drain(struct packetd *, struct child *);

/* check.c */
int	 check_rules(struct packetd *);

/* sdnotify.c */
void	 sdnotify_ready(void);

/* boottable.c */
int	 boottable_install(const char *);

/* verdict.c */
void	 verdict_open(struct packetd *);
void	 verdict_install(struct packetd *);
void	 verdict_remove(struct packetd *);
void	 verdict_dispatch_queue(struct packetd *);
void	 verdict_dispatch_nflog(struct packetd *);
void	 verdict_flush(struct packetd *);
void	 verdict_resolve(struct packetd *, uint32_t, uint32_t);
void	 verdict_from_ruled(struct packetd *, const struct msg *);
void	 verdict_expire(struct packetd *);
int	 verdict_timeout_ms(struct packetd *);
void	 verdict_drain_failmode(struct packetd *);

/* packetd_stats.c */
void	 packetd_stats_open(struct packetd *);
void	 packetd_stats_send(struct packetd *, const struct msg *);

/* rulesave.c */
void	 rulesave_dispatch(struct packetd *, const struct msg *);

/* rulesdir.c */
void	 rulesdir_watch(struct packetd *);
void	 rulesdir_send_all(struct packetd *);
void	 rulesdir_dispatch(struct packetd *);

/* listdirs.c */
void	 listdirs_request(struct packetd *, const struct msg *);
void	 listdirs_mark_changed(int);
void	 listdirs_reload_changed(struct packetd *);
size_t	 listdirs_dirfds(int *, size_t);

/* resolvconf.c */
void	 resolvconf_start(struct packetd *);
int	 resolvconf_mark_changed(int);
void	 resolvconf_reload_changed(struct packetd *);
size_t	 resolvconf_dirfds(int *, size_t);

/* memfd.c */
int	 memfd_from_file(const struct packetd *, int, const char *, size_t,
	    size_t *, const char **);
const char *memfd_untrusted(const struct packetd *, const struct stat *,
	    char *, size_t);

/* startup.c */
void	 startup_wait_hello(struct packetd *);
void	 startup_check_sandboxes(struct packetd *);
void	 startup_trace_open(struct packetd *);
void	 startup_send_trace(struct packetd *);
void	 startup_send_config(struct packetd *);
uint32_t startup_verdict(int);
void	 startup_send_passwd(struct packetd *);
void	 startup_wait_ready(struct packetd *);

/* uisock.c */
int	 uisock_open(const struct tattle_config *, gid_t *);

/* packetd_sandbox.c */
void	 packetd_sandbox(struct packetd *);
size_t	 packetd_sandbox_nsyscalls(void);

/* shutdown.c */
__dead void packetd_shutdown(struct packetd *, int);

#endif /* TATTLE_PACKETD_H */
