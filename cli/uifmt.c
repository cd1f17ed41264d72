/*
 * uifmt.c: a connection from the UI socket, for a person at a terminal.
 * Every string comes from the process being judged (its path, command
 * line, cwd), so it is shown with control bytes replaced: a program
 * must not be able to paint its own prompt.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "uiclient.h"

#define UIFMT_MAX	200	/* bytes of one shown value */

void		 uifmt_conn_line(FILE *, yajl_val);
void		 uifmt_conn_detail(FILE *, yajl_val);
void		 uifmt_time(FILE *, const char *);
void		 uifmt_safe(FILE *, const char *, size_t);
static void	 uifmt_dest(FILE *, yajl_val);
static void	 uifmt_who(FILE *, yajl_val, yajl_val);

/*
 * s with C0 and C1 control characters and DEL as '?', at most max
 * bytes, cut with "...".
 */
void
uifmt_safe(FILE *f, const char *s, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i;

	for (i = 0; p[i] != '\0'; i++) {
		if (i >= max) {
			fputs("...", f);
			return;
		}
		if (p[i] < 0x20 || p[i] == 0x7f)
			fputc('?', f);
		else if (p[i] == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
			fputc('?', f);
			i++;
		} else
			fputc(p[i], f);
	}
}

/* host (ip) port/proto, or ip port/proto. */
static void
uifmt_dest(FILE *f, yajl_val conn)
{
	const char	*host = uic_str(conn, "host");
	const char	*ip = uic_str(conn, "dst_ip");
	const char	*proto = uic_str(conn, "protocol");
	uint64_t	 port;

	if (host != NULL && host[0] != '\0') {
		uifmt_safe(f, host, UIFMT_MAX);
		fprintf(f, " (%s)", ip != NULL ? ip : "?");
	} else
		fputs(ip != NULL ? ip : "?", f);
	if (uic_u64(conn, "dst_port", &port) == 0)
		fprintf(f, " port %" PRIu64, port);
	fprintf(f, "/%s", proto != NULL ? proto : "?");
}

/* pid 4242, user alice — or why the process is not known. */
static void
uifmt_who(FILE *f, yajl_val conn, yajl_val proc)
{
	const char	*user;
	uint64_t	 pid, uid;

	if (proc == NULL || !YAJL_IS_OBJECT(proc)) {
		fputs("(process unknown", f);
		if (uic_u64(conn, "uid", &uid) == 0)
			fprintf(f, ", socket of uid %" PRIu64, uid);
		fputs(")", f);
		return;
	}
	fputs("(", f);
	if (uic_u64(proc, "pid", &pid) == 0)
		fprintf(f, "pid %" PRIu64, pid);
	if ((user = uic_str(proc, "user")) != NULL) {
		fputs(", user ", f);
		uifmt_safe(f, user, 64);
	} else if (uic_u64(proc, "uid", &uid) == 0)
		fprintf(f, ", uid %" PRIu64, uid);
	fputs(")", f);
}

/* One line: program (pid, user) -> destination. */
void
uifmt_conn_line(FILE *f, yajl_val conn)
{
	yajl_val	 proc = uic_get(conn, "process"), u;
	const char	*path = uic_str(proc, "path");

	uifmt_safe(f, path != NULL ? path : "?", UIFMT_MAX);
	if ((u = uic_get(proc, "path_unsure")) != NULL && YAJL_IS_TRUE(u))
		fputs(" (path unsure)", f);
	fputc(' ', f);
	uifmt_who(f, conn, proc);
	fputs(" -> ", f);
	uifmt_dest(f, conn);
}

/* The prompt's view: one fact a line. */
void
uifmt_conn_detail(FILE *f, yajl_val conn)
{
	yajl_val	 proc = uic_get(conn, "process"), par, d;
	const char	*s;
	size_t		 i;
	uint64_t	 n;

	fputs("  program  ", f);
	if ((s = uic_str(proc, "path")) != NULL) {
		uifmt_safe(f, s, UIFMT_MAX);
		if ((d = uic_get(proc, "deleted")) != NULL && YAJL_IS_TRUE(d))
			fputs(" (deleted)", f);
		if ((d = uic_get(proc, "path_unsure")) != NULL &&
		    YAJL_IS_TRUE(d))
			fputs(" (unsure: not this file on the host, another "
			    "mount namespace; no allow rule matches it)", f);
	} else
		fputs("unknown: tattle could not tell which program", f);
	fputc(' ', f);
	uifmt_who(f, conn, proc);
	fputs("\n", f);
	if ((s = uic_str(proc, "command")) != NULL) {
		fputs("  command  ", f);
		uifmt_safe(f, s, UIFMT_MAX);
		fputs("\n", f);
	}
	fputs("  to       ", f);
	uifmt_dest(f, conn);
	fputs("\n", f);
	if ((s = uic_str(conn, "src_ip")) != NULL) {
		fprintf(f, "  from     %s", s);
		if (uic_u64(conn, "src_port", &n) == 0)
			fprintf(f, " port %" PRIu64, n);
		if ((s = uic_str(conn, "iface_out")) != NULL) {
			fputs(" via ", f);
			uifmt_safe(f, s, 16);
		}
		fputs("\n", f);
	}
	par = uic_get(proc, "parents");
	if (par != NULL && YAJL_IS_ARRAY(par) && par->u.array.len > 0) {
		fputs("  parents  ", f);
		for (i = 0; i < par->u.array.len && i < 4; i++) {
			if (!YAJL_IS_STRING(par->u.array.values[i]))
				continue;
			if (i > 0)
				fputs(" < ", f);
			uifmt_safe(f, par->u.array.values[i]->u.string, 80);
		}
		if (i < par->u.array.len)
			fputs(" < ...", f);
		fputs("\n", f);
	}
	if ((s = uic_str(proc, "cwd")) != NULL) {
		fputs("  cwd      ", f);
		uifmt_safe(f, s, UIFMT_MAX);
		fputs("\n", f);
	}
}

/* An RFC 3339 UTC time from the server, in local time. */
void
uifmt_time(FILE *f, const char *s)
{
	struct tm	 tm;
	time_t		 t;
	char		 b[32];

	memset(&tm, 0, sizeof(tm));
	if (s == NULL || strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) == NULL) {
		fputs("(no valid time)    ", f);
		return;
	}
	t = timegm(&tm);
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S", &tm) == 0) {
		fputs("(no valid time)    ", f);
		return;
	}
	fputs(b, f);
}
