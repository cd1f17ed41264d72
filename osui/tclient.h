/*
 * tclient.h: the connection to tattle's UI socket.
 */
#ifndef TATTLE_OSUI_TCLIENT_H
#define TATTLE_OSUI_TCLIENT_H

#include <yajl/yajl_tree.h>

#include "jsonw.h"
#include "osui.h"

/* A request awaiting its result: who asked (kind) and about what (ref). */
struct treq {
	uint64_t	 req;
	int		 kind;
	uint64_t	 ref;
};

struct tqueued {
	char		*line;
	size_t		 len;
};

/* msg is freed after the call; r is NULL for what nobody asked for. */
typedef void	(*tclient_msg_fn)(void *, yajl_val, const struct treq *);
typedef int	(*tclient_fill_fn)(struct jw *, const void *);

struct tclient {
	int		 fd;
	struct buf	 in;
	struct buf	 out;
	uint64_t	 next_req;
	struct treq	 reqs[MAX_OSUI_REQS];
	size_t		 nreqs;
	struct tqueued	 queue[MAX_OSUI_QUEUE];
	size_t		 nqueue;
	uint64_t	 tokens;
	uint64_t	 last_refill;
	tclient_msg_fn	 on_msg;
	void		*arg;
};

void	 tclient_init(struct tclient *, tclient_msg_fn, void *);
int	 tclient_connect(struct tclient *, const char *);
void	 tclient_close(struct tclient *);
short	 tclient_events(const struct tclient *);
int	 tclient_io(struct tclient *, short, uint64_t);
void	 tclient_pump(struct tclient *, uint64_t);
int	 tclient_wait_ms(const struct tclient *);
int	 tclient_request(struct tclient *, const char *, int, uint64_t,
	    tclient_fill_fn, const void *);

#endif /* TATTLE_OSUI_TCLIENT_H */
