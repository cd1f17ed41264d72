/*
 * packetd.h: tattled, the privileged parent.
 */
#ifndef TATTLE_PACKETD_H
#define TATTLE_PACKETD_H

#include <sys/types.h>

#include <limits.h>
#include <signal.h>

#include "chan.h"
#include "conf.h"
#include "log.h"

#define HELLO_TIMEOUT_MS	10000	/* a child that stays silent is dead */
#define SHUTDOWN_WAIT_MS	1000	/* children's time to leave */
#define PACKETD_MAX_FDS		256
#define READY_TIMEOUT_MS	120000	/* rules and lists loaded by then */
#define MAX_RULE_FILE		(1024 * 1024)
#define MAX_RULE_FILES		100000
#define MAX_LIST_FILE		(256u * 1024 * 1024)
#define MAX_LIST_DIRS		64
#define MAX_PASSWD_FILE		(16 * 1024 * 1024)

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
	int			 uisock;	/* for promptd */
	int			 rulesfd;	/* the rules directory */
	int			 inotifyfd;	/* rules and lists changes */
	int			 rules_wd;	/* its watch on the rules dir */
	int			 ready;		/* ruled has rules and lists */
	int			 read_only;	/* rules dir not writable */
	struct child		 children[ROLE_MAX];
	int			 shutting_down;
};

extern struct packetd	*pd;

extern volatile sig_atomic_t	 sig_chld;
extern volatile sig_atomic_t	 sig_term;
extern volatile sig_atomic_t	 sig_usr1;
extern volatile sig_atomic_t	 sig_usr2;

/* spawn.c */
void	 spawn_children(struct packetd *);
void	 spawn_wait_hello(struct packetd *);
void	 spawn_check_sandboxes(struct packetd *);
struct child *child_by_pid(struct packetd *, pid_t);

/* dispatch.c */
void	 packetd_dispatch_attributord(struct chan *, struct msg *);
void	 packetd_dispatch_ruled(struct chan *, struct msg *);
void	 packetd_dispatch_promptd(struct chan *, struct msg *);
int	 packetd_drain(struct child *);

/* rulesdir.c */
void	 rulesdir_watch(struct packetd *);
void	 rulesdir_send_all(struct packetd *);
void	 rulesdir_dispatch(struct packetd *);

/* lists.c */
void	 lists_request(struct packetd *, const struct msg *);
void	 lists_mark_changed(int);
void	 lists_reload_changed(struct packetd *);
size_t	 lists_dirfds(int *, size_t);

/* memfd.c */
int	 memfd_from_file(int, const char *, size_t, size_t *, const char **);

/* startup.c */
void	 startup_send_config(struct packetd *);
void	 startup_send_passwd(struct packetd *);
void	 startup_wait_ready(struct packetd *);

/* uisock.c */
int	 uisock_open(const struct tattle_config *);

/* packetd_sandbox.c */
void	 packetd_sandbox(struct packetd *);
size_t	 packetd_sandbox_nsyscalls(void);

/* packetd.c */
__dead void packetd_shutdown(struct packetd *, int);
int	 packetd_wait_for(struct packetd *, int (*)(struct packetd *), int);

#endif /* TATTLE_PACKETD_H */
