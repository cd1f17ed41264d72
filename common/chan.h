/*
 * chan.h: one end of a socketpair between two tattle processes, with a
 * bounded queue for what the peer could not take yet, the HELLO
 * handshake that opens every channel, and a pause in reading it.
 */
#ifndef TATTLE_CHAN_H
#define TATTLE_CHAN_H

#include <sys/queue.h>
#include <sys/types.h>

#include "msg.h"

#define CHAN_QUEUE_MAX_MSGS	65536
#define CHAN_QUEUE_MAX_BYTES	(16u * 1024 * 1024)
#define CHAN_SEND_BATCH		16	/* messages in one sendmmsg() */

struct chan_out;

struct chan {
	int			 fd;
	enum role		 self;
	enum role		 peer;
	int			 hello;		/* peer's HELLO seen */
	pid_t			 peer_pid;	/* from its HELLO */
	uint64_t		 once;		/* RX_ONCE types received */
	TAILQ_HEAD(, chan_out)	 queue;
	size_t			 qcount;
	size_t			 qbytes;
	int			 held;		/* queue waits for a release */
	int			 many;		/* flush with sendmmsg() */
	struct msg		*next;		/* read two at a time: second */
	int			 nextrv;	/* what next holds: msg_recv2 */
	int			 nexterr;
	struct chan		*waits_for;	/* not read until resumed */
	uint64_t		 nsent;
	uint64_t		 nrecv;
};

/* chan_recv() results besides 1 (a checked message). */
#define CHAN_EOF	0
#define CHAN_AGAIN	(-1)
#define CHAN_BAD	(-2)

/* chan.nextrv: nothing known about what follows (read the socket). */
#define CHAN_NEXT_NONE	(-3)

void	 chan_init(struct chan *, int, enum role, enum role);
int	 chan_send(struct chan *, struct msg *);
int	 chan_send_later(struct chan *, struct msg *);
size_t	 chan_held(const struct chan *);
int	 chan_release(struct chan *);
void	 chan_send_many(struct chan *);
int	 chan_recv_many(struct chan *);
int	 chan_send_hello(struct chan *);
int	 chan_flush(struct chan *);
int	 chan_want_write(const struct chan *);
void	 chan_pause(struct chan *, struct chan *);
void	 chan_resume(struct chan *);
int	 chan_want_read(const struct chan *);
int	 chan_recv(struct chan *, struct msg *, const char **);
void	 chan_close(struct chan *);

#endif /* TATTLE_CHAN_H */
