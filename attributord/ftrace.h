/*
 * ftrace.h: decode the per-CPU raw ring-buffer pages of packetd's tracefs
 * instance into events, and keep the recent connect/route events so a
 * queued packet's 5-tuple can be matched to the thread that sent it.
 */
#ifndef TATTLE_FTRACE_H
#define TATTLE_FTRACE_H

#include <stddef.h>
#include <stdint.h>

#include "attr_limits.h"
#include "conn.h"
#include "hash.h"
#include "trace_layout.h"

enum ftrace_type {
	FT_CONNECT = 1,		/* TCP SYN_SENT: sport 0 until bound */
	FT_ROUTE,		/* UDP output route lookup */
	FT_EXEC,
	FT_NEWTASK,		/* fork, vfork, clone, thread */
	FT_EXIT			/* a whole process ended */
};

struct ftrace_event {
	uint8_t			 type;		/* enum ftrace_type */
	uint8_t			 thread;	/* NEWTASK: CLONE_THREAD */
	uint16_t		 cpu;
	int32_t			 tid;		/* common_pid: running thread */
	/* EXEC: the new pid; NEWTASK: the child; EXIT: the pid */
	int32_t			 pid;
	int32_t			 old_pid;	/* EXEC: the exec'ing thread */
	uint64_t		 ts;		/* trace clock, ns */
	/* CONNECT, ROUTE; a zero saddr or sport is a wildcard */
	struct conn_tuple	 tuple;
	/* EXEC: points into the page, valid during the callback only */
	const char		*path;
	size_t			 pathlen;	/* without the NUL */
};

/* A connect or route event remembered for matching. */
struct ftrace_flow {
	struct conn_tuple	 tuple;
	uint64_t		 ts;
	int32_t			 tid;
	uint8_t			 type;		/* FT_CONNECT or FT_ROUTE */
	uint8_t			 claimed;	/* CONNECT given to a packet */
	uint16_t		 claimed_sport;
	int32_t			 hnext;		/* hash chain, -1 ends */
	uint32_t		 bucket;	/* the chain it is on */
};

struct ftrace_stats {
	uint64_t	pages;		/* raw pages read */
	uint64_t	events;		/* records decoded */
	uint64_t	flows;		/* connect + route events kept */
	uint64_t	missed_pages;	/* pages flagged "events lost" */
	uint64_t	bad_pages;	/* pages that failed to decode */
	uint64_t	max_lag_ns;	/* event time to read time, worst */
};

typedef void	(*ftrace_cb)(const struct ftrace_event *, void *);

struct ftrace {
	struct trace_layout	 lay;
	unsigned int		 ncpu;
	int			 fd[MAX_TRACE_CPUS];
	uint8_t			*page;		/* ncpu pages */
	struct ftrace_event	*ev;		/* ncpu * MAX_PAGE_EVENTS */
	size_t			*nev, *iev;	/* per CPU: decoded, next */
	unsigned int		*npages;	/* per CPU, this drain */
	struct ftrace_flow	*flows;		/* MAX_FTRACE_FLOWS, a ring */
	unsigned int		 flow_next;	/* ring position */
	/* by destination and source port (0: a connect not yet claimed) */
	int32_t			 fbucket[MAX_FTRACE_FLOWS];
	uint8_t			 key[HASH_KEY_LEN];	/* fbucket's hash */
	uint64_t		 last_loss_ts;	/* 0: never */
	struct ftrace_stats	 st;
};

int	ftrace_check_layout(const struct trace_layout *);
int	ftrace_decode_page(const struct trace_layout *, const uint8_t *,
	    size_t, unsigned int, struct ftrace_event *, size_t, size_t *,
	    int *);
int	ftrace_init(struct ftrace *, const struct trace_layout *,
	    const int *, unsigned int);
void	ftrace_free(struct ftrace *);
int	ftrace_drain(struct ftrace *, uint64_t, ftrace_cb, void *);
void	ftrace_flows_reset(struct ftrace *);
void	ftrace_keep_flow(struct ftrace *, const struct ftrace_event *);
size_t	ftrace_find_flows(struct ftrace *, const struct conn_tuple *,
	    uint64_t, struct ftrace_flow **, size_t);
void	ftrace_claim(struct ftrace *, struct ftrace_flow *, uint16_t);
int	ftrace_recent_loss(const struct ftrace *, uint64_t);

#endif /* TATTLE_FTRACE_H */
