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

#include "trace_layout.h"

#define TRACEFS_DIR		"/sys/kernel/tracing"
#define TRACEFS_PREFIX		"tattle-"
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
