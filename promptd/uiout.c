/*
 * uiout.c: the JSON promptd writes to its clients, from the checked
 * messages ruled sends.  What attribution could not find is left out,
 * never filled in.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <yajl/yajl_parse.h>

#include "compat.h"
#include "promptd.h"

void		 uiout_ask(struct jw *, const struct msg *);
void		 uiout_ask_line(struct jw *, uint32_t, uint32_t, const char *,
		    size_t);
void		 uiout_event(struct jw *, const struct msg *);
void		 uiout_gone(struct jw *, uint32_t, uint32_t);
void		 uiout_error(struct jw *, const char *, enum uierr_code,
		    const char *);
void		 uiout_hello(struct jw *);
int		 uiout_rule_json(struct jw *, const void *, size_t,
		    const char *);
static void	 uiout_ip(struct jw *, const char *, uint8_t,
		    const uint8_t *);
static void	 uiout_optstr(struct jw *, const struct msg *, const char *,
		    enum msg_attr);
static void	 uiout_process(struct jw *, const struct msg *,
		    const struct msg_conn_attr *);
static void	 uiout_conn(struct jw *, const struct msg *,
		    const struct msg_conn_attr *);
static void	 uiout_suggested(struct jw *, const struct msg *,
		    const struct msg_conn_attr *);
static void	 uiout_time(struct jw *, uint64_t);

static const char *const uiout_reasons[REASON_MAX] = {
	NULL, "rule", "default", "answer", "timeout", "unknown", "fail-mode",
};
static const char *const uiout_sources[SRC_MAX] = {
	"unknown", "ftrace", "sock_diag", "proc",
};
static const char *const uiout_gones[] = {
	NULL, "answered", "timeout", "no-prompter",
};

/* IPv4-mapped IPv6 addresses print as IPv4, as ruled matches them. */
static void
uiout_ip(struct jw *w, const char *key, uint8_t family, const uint8_t *a)
{
	static const uint8_t	 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				    0xff, 0xff };
	char			 b[INET6_ADDRSTRLEN];

	if (family == AF_INET)
		inet_ntop(AF_INET, a, b, sizeof(b));
	else if (memcmp(a, mapped, sizeof(mapped)) == 0)
		inet_ntop(AF_INET, a + 12, b, sizeof(b));
	else
		inet_ntop(AF_INET6, a, b, sizeof(b));
	jw_kstr(w, key, b);
}

static void
uiout_optstr(struct jw *w, const struct msg *m, const char *key,
    enum msg_attr a)
{
	const char	*s;

	if ((s = msg_get_str(m, a)) != NULL)
		jw_kstr(w, key, s);
}

static void
uiout_process(struct jw *w, const struct msg *m,
    const struct msg_conn_attr *ca)
{
	const char	*kv, *eq;
	unsigned int	 i, n;

	jw_obj(w);
	jw_ku64(w, "pid", ca->pid);
	if (ca->ppid != 0)
		jw_ku64(w, "ppid", ca->ppid);
	uiout_optstr(w, m, "path", ATTR_PROC_PATH);
	jw_key(w, "deleted");
	jw_bool(w, (ca->flags & CONN_F_DELETED) != 0);
	if (ca->flags & CONN_F_PATH_UNSURE) {
		/* Not the host's name of the file: no allow rule matches. */
		jw_key(w, "path_unsure");
		jw_bool(w, 1);
		jw_key(w, "host_path");
		jw_null(w);
	}
	uiout_optstr(w, m, "command", ATTR_PROC_CMDLINE);
	if (ca->flags & CONN_F_CMDLINE_CUT) {
		jw_key(w, "command_cut");
		jw_bool(w, 1);
	}
	uiout_optstr(w, m, "cwd", ATTR_PROC_CWD);
	jw_key(w, "parents");
	jw_arr(w);
	n = msg_attr_count(m, ATTR_PROC_PARENT);
	for (i = 0; i < n; i++)
		jw_str(w, msg_get_str_n(m, ATTR_PROC_PARENT, i));
	jw_end(w);
	if (ca->puid != CONN_UID_UNKNOWN)
		jw_ku64(w, "uid", ca->puid);
	uiout_optstr(w, m, "user", ATTR_USER_NAME);
	uiout_optstr(w, m, "cgroup", ATTR_CGROUP);
	uiout_optstr(w, m, "md5", ATTR_PROC_MD5);
	uiout_optstr(w, m, "sha1", ATTR_PROC_SHA1);
	if ((n = msg_attr_count(m, ATTR_PROC_ENV)) > 0) {
		jw_key(w, "env");
		jw_obj(w);
		for (i = 0; i < n; i++) {
			kv = msg_get_str_n(m, ATTR_PROC_ENV, i);
			if ((eq = strchr(kv, '=')) == NULL)
				continue;
			jw_keyn(w, kv, (size_t)(eq - kv));
			jw_str(w, eq + 1);
		}
		jw_end(w);
	}
	if (ca->flags & CONN_F_RACED) {
		jw_key(w, "raced");
		jw_bool(w, 1);
	}
	jw_kstr(w, "source", uiout_sources[ca->source < SRC_MAX ?
	    ca->source : SRC_NONE]);
	jw_end(w);
}

static void
uiout_conn(struct jw *w, const struct msg *m, const struct msg_conn_attr *ca)
{
	const struct conn_tuple	*t = &ca->conn.t;
	const char		*host;
	int			 ports;

	ports = t->proto != IPPROTO_ICMP && t->proto != IPPROTO_ICMPV6;
	jw_key(w, "conn");
	jw_obj(w);
	jw_kstr(w, "protocol", conn_proto_name(t));
	uiout_ip(w, "src_ip", t->family, t->saddr);
	if (ports)
		jw_ku64(w, "src_port", t->sport);
	uiout_ip(w, "dst_ip", t->family, t->daddr);
	if (ports)
		jw_ku64(w, "dst_port", t->dport);
	host = msg_get_str(m, ATTR_HOST);
	jw_kstr(w, "host", host != NULL ? host : "");
	uiout_optstr(w, m, "iface_in", ATTR_IFACE_IN);
	uiout_optstr(w, m, "iface_out", ATTR_IFACE_OUT);
	if (ca->conn.uid != CONN_UID_UNKNOWN)
		jw_ku64(w, "uid", ca->conn.uid);
	jw_key(w, "process");
	if (ca->pid == 0 || ca->source == SRC_NONE) {
		jw_null(w);
		jw_kstr(w, "source", "unknown");
	} else
		uiout_process(w, m, ca);
	jw_end(w);
}

/*
 * What Enter takes in a prompt: deny, once, matched on what identifies
 * the program and the destination best.  Never allow (a keypress
 * meant for another window must not open the firewall).
 */
static void
uiout_suggested(struct jw *w, const struct msg *m,
    const struct msg_conn_attr *ca)
{
	const char	*host = msg_get_str(m, ATTR_HOST);
	int		 known = ca->pid != 0 && ca->source != SRC_NONE &&
			    msg_get_str(m, ATTR_PROC_PATH) != NULL;

	jw_key(w, "suggested");
	jw_obj(w);
	jw_kstr(w, "action", "deny");
	jw_kstr(w, "duration", "once");
	jw_key(w, "match");
	jw_arr(w);
	if (known)
		jw_str(w, "executable");
	jw_str(w, host != NULL && host[0] != '\0' ? "host" : "ip");
	if (!known)
		jw_str(w, "port");
	jw_end(w);
	jw_end(w);
}

/*
 * An ask's conn and suggestion as one object; relay.c puts the type,
 * id and the time left in front, so that a prompter that comes later
 * is told how long it really has.
 */
void
uiout_ask(struct jw *w, const struct msg *m)
{
	struct msg_ask	 a;

	msg_get_body(m, &a, sizeof(a));
	jw_obj(w);
	uiout_conn(w, m, &a.ca);
	uiout_suggested(w, m, &a.ca);
	jw_end(w);
}

/* The ask line: type, id and time left in front of the stored tail. */
void
uiout_ask_line(struct jw *w, uint32_t id, uint32_t timeout_ms,
    const char *tail, size_t len)
{
	char	 head[80];
	int	 n;

	n = snprintf(head, sizeof(head), "{\"type\":\"ask\",\"id\":%u,"
	    "\"timeout_ms\":%u", id, timeout_ms);
	jw_bytes(w, head, (size_t)n);
	/* The tail is an object: its members continue this one. */
	if (len > 2) {
		jw_bytes(w, ",", 1);
		jw_bytes(w, tail + 1, len - 1);
	} else
		jw_bytes(w, "}", 1);
}

/* RFC 3339, UTC, milliseconds. */
static void
uiout_time(struct jw *w, uint64_t ns)
{
	struct tm	 tm;
	time_t		 s = (time_t)(ns / 1000000000);
	char		 b[64];

	if (gmtime_r(&s, &tm) == NULL) {
		jw_null(w);
		return;
	}
	snprintf(b, sizeof(b), "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (unsigned int)(ns / 1000000 % 1000));
	jw_str(w, b);
}

void
uiout_event(struct jw *w, const struct msg *m)
{
	struct msg_event	 e;
	const char		*rule;

	msg_get_body(m, &e, sizeof(e));
	jw_obj(w);
	jw_kstr(w, "type", "event");
	jw_key(w, "time");
	uiout_time(w, e.time_ns);
	jw_kstr(w, "verdict", uireq_verdict_name(e.verdict));
	jw_key(w, "rule");
	if ((rule = msg_get_str(m, ATTR_RULE_NAME)) != NULL)
		jw_str(w, rule);
	else
		jw_null(w);
	jw_kstr(w, "reason", e.reason > 0 && e.reason < REASON_MAX ?
	    uiout_reasons[e.reason] : "unknown");
	uiout_conn(w, m, &e.ca);
	jw_end(w);
}

void
uiout_gone(struct jw *w, uint32_t id, uint32_t reason)
{
	jw_obj(w);
	jw_kstr(w, "type", "ask.gone");
	jw_ku64(w, "id", id);
	jw_kstr(w, "reason", reason > 0 && reason < nitems(uiout_gones) ?
	    uiout_gones[reason] : "unknown");
	jw_end(w);
}

/* req: the client's token as JSON text, or NULL/"" for none. */
void
uiout_error(struct jw *w, const char *req, enum uierr_code code,
    const char *msg)
{
	jw_obj(w);
	jw_kstr(w, "type", "error");
	if (req != NULL && req[0] != '\0') {
		jw_key(w, "req");
		jw_raw(w, req, strlen(req));
	}
	jw_kstr(w, "code", uierr_code_name(code));
	jw_kstr(w, "message", msg);
	jw_end(w);
}

void
uiout_hello(struct jw *w)
{
	jw_obj(w);
	jw_kstr(w, "type", "hello");
	jw_ku64(w, "version", 1);
	jw_kstr(w, "server", "tattle " PACKAGE_VERSION);
	jw_key(w, "capabilities");
	jw_arr(w);
	jw_str(w, "ask");
	jw_str(w, "event");
	jw_str(w, "rules");
	jw_str(w, "stats");
	jw_str(w, "backlog");
	jw_end(w);
	jw_end(w);
}

/*
 * A rule object from ruled, checked to be one JSON object before it
 * goes into a client's line, compacted (ruled writes rules as their
 * files look), with "file" (NULL: null) and "temporary" added.  -1: not
 * a JSON object.
 */
int
uiout_rule_json(struct jw *w, const void *json, size_t len,
    const char *file)
{
	const unsigned char	*p = json;
	struct jw		 fw;
	yajl_handle		 h;
	char			*f;
	size_t			 i, start, end, flen;
	int			 ok, empty, in, esc;

	for (i = 0; i < len && (p[i] == ' ' || p[i] == '\t' ||
	    p[i] == '\n' || p[i] == '\r'); i++)
		;
	if (i == len || p[i] != '{' || memchr(p, '\0', len) != NULL)
		return -1;
	if ((h = yajl_alloc(NULL, NULL, NULL)) == NULL)
		return -1;
	ok = yajl_parse(h, p, len) == yajl_status_ok &&
	    yajl_complete_parse(h) == yajl_status_ok;
	yajl_free(h);
	if (!ok)
		return -1;
	/* Compact: blanks outside strings go, the closing brace waits. */
	for (end = len; end > 0 && p[end - 1] != '}'; end--)
		;
	end--;
	jw_raw(w, "", 0);
	for (start = i, empty = 1, in = esc = 0; i < end; i++) {
		if (in) {
			if (esc)
				esc = 0;
			else if (p[i] == '\\')
				esc = 1;
			else if (p[i] == '"')
				in = 0;
			continue;
		}
		if (p[i] == '"')
			in = 1;
		if (i > start && p[i] != ' ' && p[i] != '\t' &&
		    p[i] != '\n' && p[i] != '\r')
			empty = 0;
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r')
			continue;
		jw_bytes(w, (const char *)p + start, i - start);
		start = i + 1;
	}
	jw_bytes(w, (const char *)p + start, end - start);
	jw_bytes(w, empty ? "\"file\":" : ",\"file\":", empty ? 7 : 8);
	if (file != NULL) {
		jw_init(&fw, 2 * MAX_MSGSIZE);
		jw_str(&fw, file);
		if ((f = jw_take(&fw, &flen)) == NULL) {
			w->err = 1;
			return 0;
		}
		jw_bytes(w, f, flen);
		free(f);
	} else
		jw_bytes(w, "null", 4);
	jw_bytes(w, ",\"temporary\":", 13);
	jw_bytes(w, file != NULL ? "false}" : "true}", file != NULL ? 6 : 5);
	return 0;
}
