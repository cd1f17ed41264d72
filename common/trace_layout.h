/*
 * trace_layout.h: how the ftrace events attributord decodes are laid
 * out in the kernel's raw ring-buffer pages, as packetd read it from the
 * tracefs format files.  It travels as MSG_TRACE_LAYOUT's body.
 */
#ifndef TATTLE_TRACE_LAYOUT_H
#define TATTLE_TRACE_LAYOUT_H

#include <stdint.h>

#define MAX_TRACE_CPUS		256	/* raw pipes, one per possible CPU */
/* packetd sizes the ring so; attributord drains it whole (attr_limits.h). */
#define TRACEFS_BUFFER_KB	512	/* per CPU ring buffer */
#define TRACE_LAYOUT_VERSION	1

/* The events enabled in the instance. */
enum trace_ev {
	TE_CONNECT = 0,		/* sock/inet_sock_set_state, TCP SYN_SENT */
	TE_ROUTE4,		/* fib/fib_table_lookup, UDP output */
	TE_ROUTE6,		/* fib6/fib6_table_lookup, UDP output */
	TE_EXEC,		/* sched/sched_process_exec */
	TE_NEWTASK,		/* task/task_newtask: fork or thread */
	TE_EXIT,		/* sched/sched_process_exit, group_dead */
	TE_MAX
};

/* The fields attributord reads, each in one of the events above. */
enum trace_fld {
	TF_TYPE = 0,		/* common_type: the event id */
	TF_FLAGS,		/* common_flags: irq/softirq context bits */
	TF_PID,			/* common_pid: the running thread */
	TF_CONN_NEWSTATE, TF_CONN_SPORT, TF_CONN_DPORT, TF_CONN_FAMILY,
	TF_CONN_PROTO, TF_CONN_SADDR, TF_CONN_DADDR, TF_CONN_SADDR6,
	TF_CONN_DADDR6,
	TF_R4_IIF, TF_R4_PROTO, TF_R4_SRC, TF_R4_DST, TF_R4_SPORT,
	TF_R4_DPORT,
	TF_R6_IIF, TF_R6_PROTO, TF_R6_SRC, TF_R6_DST, TF_R6_SPORT,
	TF_R6_DPORT,
	TF_EXEC_FILENAME, TF_EXEC_PID, TF_EXEC_OLDPID,
	TF_NT_PID, TF_NT_FLAGS,
	TF_EXIT_PID, TF_EXIT_GROUPDEAD,
	TF_MAX
};

struct trace_field {
	uint16_t	off;
	uint16_t	size;		/* 0: the kernel lacks this field */
};

/*
 * Everything attributord needs to decode the raw pages, fixed width and
 * without pointers: MSG_TRACE_LAYOUT's body, followed by one
 * MSG_TRACE_FD per CPU.
 */
struct trace_layout {
	uint32_t		version;	/* TRACE_LAYOUT_VERSION */
	uint32_t		page_size;	/* bytes per raw read */
	uint32_t		ncpu;		/* raw pipes, cpu0..ncpu-1 */
	uint32_t		clock;		/* TRACE_CLOCK_* */
	uint16_t		commit_off;	/* page header: commit word */
	uint16_t		commit_size;
	uint16_t		data_off;	/* first event record */
	uint16_t		pad;
	uint16_t		id[8];		/* by enum trace_ev; 0 = off */
	struct trace_field	f[32];		/* by enum trace_fld */
};
_Static_assert(sizeof(struct trace_layout) == 168, "trace_layout size");
_Static_assert(TE_MAX <= 8 && TF_MAX <= 32, "trace_layout arrays");

#define TRACE_CLOCK_MONO	1	/* timestamps are CLOCK_MONOTONIC ns */


#endif /* TATTLE_TRACE_LAYOUT_H */
