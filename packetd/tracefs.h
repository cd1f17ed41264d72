/*
 * tracefs.h: packetd's privileged half of ftrace attribution.  As root,
 * before it drops privileges, packetd creates a private tracefs instance
 * (instances/tattle-PID), enables the few events attributord decodes,
 * reads their binary layout from the format files, and opens one raw
 * ring-buffer pipe per CPU.  The layout and the pipes go to attributord;
 * packetd keeps only the write fds it needs to switch tracing off at exit.
 */
#ifndef TATTLE_TRACEFS_H
#define TATTLE_TRACEFS_H

#include <stdint.h>
#include <sys/types.h>

#define TRACEFS_DIR		"/sys/kernel/tracing"
#define TRACEFS_PREFIX		"tattle-"
#define TRACEFS_BUFFER_KB	512	/* per CPU ring buffer */
#define MAX_TRACE_CPUS		256	/* raw pipes, one per possible CPU */
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
 * without pointers: it travels as a message body (integrator: this
 * belongs in proto.h as MSG_TRACE_LAYOUT's body, followed by ncpu
 * messages of one fd each, index = CPU number).
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

struct tracefs {
	pid_t			owner;		/* the pid in the name */
	int			instfd;		/* instance dir (root only) */
	int			on_fd;		/* tracing_on, O_WRONLY */
	int			size_fd;	/* buffer_size_kb, O_WRONLY */
	int			enable_fd;	/* events/enable, O_WRONLY */
	unsigned int		ncpu;
	int			raw[MAX_TRACE_CPUS];
	struct trace_layout	layout;
	char			name[32];	/* tattle-PID */
};

int	tracefs_open(struct tracefs *, pid_t);
void	tracefs_stop(struct tracefs *);
void	tracefs_close_raw(struct tracefs *);
void	tracefs_close(struct tracefs *);
int	tracefs_remove(pid_t);
int	tracefs_cleanup_stale(pid_t);
int	tracefs_parse_format(const char *, const char *const *, unsigned int,
	    uint16_t *, struct trace_field *);
int	tracefs_parse_header_page(const char *, struct trace_layout *);

#endif /* TATTLE_TRACEFS_H */
