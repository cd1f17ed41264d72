/*
 * log.c: one logging API for all four processes.  A line may carry text
 * others chose (a file name, a rule name, a child's line): its control
 * characters are written as \xNN, so that no one can end a line early
 * and forge the next, or send the terminal escape sequences.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hex.h"
#include "log.h"

static int		 log_to_stderr;
static int		 verbose;
static const char	*procname = "tattled";
static log_sink_fn	 sink;

static void	 log_escape(const char *, char *, size_t);

void
log_init(int to_stderr, int facility)
{
	log_to_stderr = to_stderr;
	if (!to_stderr)
		openlog("tattled", LOG_PID | LOG_NDELAY, facility);
	tzset();
}

void
log_procinit(const char *name)
{
	if (name != NULL)
		procname = name;
}

const char *
log_procname(void)
{
	return procname;
}

void
log_setverbose(int v)
{
	verbose = v;
}

int
log_getverbose(void)
{
	return verbose;
}

void
log_set_sink(log_sink_fn fn)
{
	sink = fn;
}

static void
log_escape(const char *in, char *out, size_t outlen)
{
	const unsigned char	*p;
	size_t			 o = 0;

	for (p = (const unsigned char *)in; *p != '\0'; p++) {
		if (*p >= 0x20 && *p != 0x7f) {
			if (o + 1 >= outlen)
				break;
			out[o++] = *p;
			continue;
		}
		if (o + 4 >= outlen)
			break;
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex_digit(*p >> 4);
		out[o++] = hex_digit(*p);
	}
	out[o] = '\0';
}

/* Write one finished line where this process's logs go. */
void
log_line(int pri, const char *raw)
{
	char	 line[4096];
	int	 saved_errno = errno;

	log_escape(raw, line, sizeof(line));
	if (sink != NULL)
		sink(pri, line);
	else if (log_to_stderr) {
		fprintf(stderr, "%s\n", line);
		fflush(stderr);
	} else
		syslog(pri, "%s", line);
	errno = saved_errno;
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char	 line[2048];

	vsnprintf(line, sizeof(line), fmt, ap);
	log_line(pri, line);
}

void
logit(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

static void
vlog_errno(int pri, int err, const char *fmt, va_list ap)
{
	char	 line[2048];
	int	 n;

	n = vsnprintf(line, sizeof(line), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - n, ": %s", strerror(err));
	log_line(pri, line);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved_errno = errno;

	va_start(ap, fmt);
	vlog_errno(LOG_ERR, saved_errno, fmt, ap);
	va_end(ap);
	errno = saved_errno;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved_errno = errno;

	va_start(ap, fmt);
	if (fmt == NULL)
		logit(LOG_CRIT, "fatal in %s: %s", procname,
		    strerror(saved_errno));
	else
		vlog_errno(LOG_CRIT, saved_errno, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(1);
}
