/*
 * log.h: logging in the shape of OpenBSD's slaacd/dhcpleased log.c.
 * packetd writes to stderr (foreground) or syslog; the children hand
 * every line to a sink that forwards it to packetd, which tags it with
 * the child's role.
 */
#ifndef TATTLE_LOG_H
#define TATTLE_LOG_H

#include <stdarg.h>
#include <syslog.h>

#ifndef __dead
#define __dead		__attribute__((__noreturn__))
#endif

typedef void	(*log_sink_fn)(int, const char *);

void	log_init(int, int);
void	log_procinit(const char *);
void	log_setverbose(int);
int	log_getverbose(void);
void	log_set_sink(log_sink_fn);
const char *log_procname(void);
void	log_warn(const char *, ...) __attribute__((__format__(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((__format__(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((__format__(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((__format__(printf, 1, 2)));
void	logit(int, const char *, ...) __attribute__((__format__(printf, 2, 3)));
void	vlog(int, const char *, va_list)
	    __attribute__((__format__(printf, 2, 0)));
void	log_line(int, const char *);
__dead void fatal(const char *, ...) __attribute__((__format__(printf, 1, 2)));
__dead void fatalx(const char *, ...) __attribute__((__format__(printf, 1, 2)));

#endif /* TATTLE_LOG_H */
