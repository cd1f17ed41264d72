/*
 * child.h: what the three children share at start and in their loops:
 * argv, log forwarding to packetd, and the messages every child answers
 * the same way (PING, SHUTDOWN, and in test builds TEST_SYSCALL).
 */
#ifndef TATTLE_CHILD_H
#define TATTLE_CHILD_H

#include <poll.h>

#include "chan.h"
#include "log.h"

struct child_env {
	enum role	 role;
	int		 debug;		/* stderr stays packetd's */
	int		 verbose;
};

typedef void	(*chan_dispatch_fn)(struct chan *, struct msg *);

/*
 * A child's event loop: its channels, plus descriptors and a deadline a
 * role may add (UI clients, trace pipes, prompt timeouts).
 */
#define CHILD_MAX_POLLFDS	256

struct child_loop {
	struct chan		*chans;
	const chan_dispatch_fn	*dispatch;
	int			 nchans;
	int			(*fill)(struct pollfd *, int);
	void			(*handle)(const struct pollfd *, int);
	int			(*timeout_ms)(void);
};

void	 child_start(struct child_env *, enum role, int, char **);
void	 child_log_sink(int, const char *);
int	 child_dispatch_common(struct chan *, struct msg *);
int	 chan_dispatch(struct chan *, chan_dispatch_fn);
__dead void child_lost_peer(const struct chan *);
__dead void child_loop_run(const struct child_loop *);

#endif /* TATTLE_CHILD_H */
