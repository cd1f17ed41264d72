/*
 * resolve.h: who sent this packet?  The sources in order of trust:
 * ftrace (the event the sending task itself raised), then sock_diag and
 * the /proc fd scan.  What none of them finds is unknown, never guessed.
 */
#ifndef TATTLE_RESOLVE_H
#define TATTLE_RESOLVE_H

#include <stdint.h>

#include "attr_limits.h"
#include "conn.h"

struct ftrace;
struct proctable;
struct sockdiag;
struct procfs;

enum attr_who_source {
	ATTR_SRC_UNKNOWN = 0,
	ATTR_SRC_FTRACE,	/* connect/route event of the sending task */
	ATTR_SRC_SOCKDIAG	/* socket inode, then the /proc fd scan */
};

struct attr_ctx {
	struct ftrace		*ft;	/* NULL: no ftrace instance */
	struct proctable	*pt;
	struct sockdiag		*sd;
	struct procfs		*pf;
	uint64_t		 scan_budget_ns;
	/* The namespace guarded (ours); 0: events are not checked. */
	uint64_t		 netns_dev, netns_ino;
};

struct attr_who {
	int32_t		 pid;		/* the process (host pid), -1 */
	int32_t		 tid;		/* the thread, when ftrace knew it */
	uint32_t	 sock_uid;	/* from sock_diag, (uint32_t)-1 */
	uint32_t	 inode;		/* from sock_diag, 0 */
	uint8_t		 source;	/* enum attr_who_source */
	uint8_t		 exited;	/* the process has already ended */
	uint8_t		 ambiguous;	/* ftrace had rival candidates */
	uint8_t		 unsupported;	/* sock_diag cannot see this proto */
	uint32_t	 path_flags;	/* PE_* of exec_path */
	uint64_t	 start_time;	/* /proc start time, 0 unknown */
	uint64_t	 ev_ts;		/* ftrace: the event's time, else 0 */
	char		 exec_path[MAX_PROC_PATH];	/* "" unknown */
};

struct ftrace_event;

int	attr_resolve(struct attr_ctx *, const struct conn_tuple *, uint64_t,
	    struct attr_who *);
void	attr_event_cb(const struct ftrace_event *, void *);
uint64_t attr_now(void);

#endif /* TATTLE_RESOLVE_H */
