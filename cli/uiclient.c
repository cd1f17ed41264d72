/*
 * uiclient.c: a client of promptd's UI socket: connect, exchange hello,
 * send requests with a "req" of our own, read JSON lines and pick out
 * the result of a request among asks and events.  Errors are one
 * sentence in uic->err; functions return an exit status or NULL.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "uiclient.h"

int		 uic_open(struct uic *, const char *, const char *);
void		 uic_close(struct uic *);
int		 uic_send(struct uic *, const char *, size_t);
int		 uic_request(struct uic *, const char *, const char *,
		    uint64_t *);
yajl_val	 uic_next(struct uic *, int, int *);
int		 uic_pending(const struct uic *);
yajl_val	 uic_wait(struct uic *, uint64_t, int, int *);
yajl_val	 uic_call(struct uic *, const char *, const char *, int *);
yajl_val	 uic_get(yajl_val, const char *);
const char	*uic_str(yajl_val, const char *);
int		 uic_u64(yajl_val, const char *, uint64_t *);
int		 uic_is(yajl_val, const char *);
int		 uic_exit_code(const char *);
uint64_t	 uic_now_ms(void);
static int	 uic_connect(struct uic *, const char *);
static int	 uic_fill(struct uic *, int);

uint64_t
uic_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static int
uic_connect(struct uic *c, const char *path)
{
	struct sockaddr_un	 sun;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(c->err, sizeof(c->err), "%s: path too long", path);
		return EXIT_UI_USAGE;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		snprintf(c->err, sizeof(c->err), "socket: %s",
		    strerror(errno));
		return EXIT_UI_FAIL;
	}
	if (connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return EXIT_UI_OK;
	switch (errno) {
	case ENOENT:
	case ECONNREFUSED:
		snprintf(c->err, sizeof(c->err), "tattled is not running (no "
		    "one listens on %s)", path);
		return EXIT_UI_DOWN;
	case EACCES:
	case EPERM:
		snprintf(c->err, sizeof(c->err), "%s: permission denied: only "
		    "root and members of the UI group may use tattled's "
		    "socket", path);
		return EXIT_UI_FAIL;
	default:
		snprintf(c->err, sizeof(c->err), "%s: %s", path,
		    strerror(errno));
		return EXIT_UI_FAIL;
	}
}

/*
 * Connect and exchange hello.  The first line is the server's hello,
 * or an error saying why we are not let in.
 */
int
uic_open(struct uic *c, const char *path, const char *client)
{
	yajl_val	 v;
	struct jw	 w;
	char		*line;
	const char	*s;
	size_t		 n;
	int		 rv, st;

	signal(SIGPIPE, SIG_IGN);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if ((rv = uic_connect(c, path)) != EXIT_UI_OK)
		return rv;
	if ((v = uic_next(c, 5000, &st)) == NULL) {
		if (st == 0)
			snprintf(c->err, sizeof(c->err), "%s: no hello from "
			    "the daemon in 5 s", path);
		return EXIT_UI_FAIL;
	}
	if (uic_is(v, "error")) {
		snprintf(c->err, sizeof(c->err), "refused by tattled: %s",
		    (s = uic_str(v, "message")) != NULL ? s : "no reason");
		yajl_tree_free(v);
		return EXIT_UI_FAIL;
	}
	if (!uic_is(v, "hello") || (s = uic_str(v, "server")) == NULL) {
		snprintf(c->err, sizeof(c->err), "%s: not tattled's socket "
		    "(no hello)", path);
		yajl_tree_free(v);
		return EXIT_UI_FAIL;
	}
	snprintf(c->server, sizeof(c->server), "%s", s);
	yajl_tree_free(v);
	jw_init(&w, MAX_UIC_JSON);
	jw_obj(&w);
	jw_kstr(&w, "type", "hello");
	jw_ku64(&w, "version", 1);
	jw_kstr(&w, "client", client);
	jw_end(&w);
	if ((line = jw_take(&w, &n)) == NULL) {
		snprintf(c->err, sizeof(c->err), "out of memory");
		return EXIT_UI_FAIL;
	}
	rv = uic_send(c, line, n);
	free(line);
	return rv == -1 ? EXIT_UI_FAIL : EXIT_UI_OK;
}

void
uic_close(struct uic *c)
{
	if (c->fd != -1)
		close(c->fd);
	free(c->buf);
	free(c->line);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* Send one line (without its newline); the whole of it, or -1. */
int
uic_send(struct uic *c, const char *s, size_t n)
{
	ssize_t	 w;
	size_t	 off = 0;
	int	 nl = 0;

	while (off < n || !nl) {
		if (off < n)
			w = write(c->fd, s + off, n - off);
		else
			w = write(c->fd, "\n", 1);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			snprintf(c->err, sizeof(c->err), "sending to tattled: "
			    "%s", strerror(errno));
			return -1;
		}
		if (off < n)
			off += (size_t)w;
		else
			nl = 1;
	}
	return 0;
}

/*
 * {"type":TYPE,"req":N,MEMBERS}: members is JSON text without braces
 * (or NULL).  *req: the number the reply will echo.
 */
int
uic_request(struct uic *c, const char *type, const char *members,
    uint64_t *req)
{
	struct jw	 w;
	char		*line;
	size_t		 n;
	int		 rv;

	*req = ++c->next_req;
	jw_init(&w, MAX_UIC_JSON);
	jw_obj(&w);
	jw_kstr(&w, "type", type);
	jw_ku64(&w, "req", *req);
	if (members != NULL) {
		/* JSON text the caller wrote, members of this object. */
		jw_bytes(&w, ",", 1);
		jw_bytes(&w, members, strlen(members));
	}
	jw_end(&w);
	if ((line = jw_take(&w, &n)) == NULL) {
		snprintf(c->err, sizeof(c->err), "out of memory");
		return -1;
	}
	rv = uic_send(c, line, n);
	free(line);
	return rv;
}

/* Read what is there, waiting up to ms.  1: bytes; 0: none; -1: gone. */
static int
uic_fill(struct uic *c, int ms)
{
	struct pollfd	 pfd = { c->fd, POLLIN, 0 };
	size_t		 cap;
	ssize_t		 n;
	char		*p;
	int		 r;

	if ((r = poll(&pfd, 1, ms)) == 0)
		return 0;
	if (r == -1)
		return errno == EINTR ? 0 : -1;
	if (c->len == c->cap) {
		cap = c->cap ? c->cap * 2 : 65536;
		if (cap > MAX_UIC_LINE + 1)
			cap = MAX_UIC_LINE + 1;
		if (cap <= c->len) {
			snprintf(c->err, sizeof(c->err), "a line from tattled "
			    "over %u bytes", MAX_UIC_LINE);
			return -1;
		}
		if ((p = realloc(c->buf, cap)) == NULL) {
			snprintf(c->err, sizeof(c->err), "out of memory");
			return -1;
		}
		c->buf = p;
		c->cap = cap;
	}
	n = read(c->fd, c->buf + c->len, c->cap - c->len);
	if (n == 0) {
		snprintf(c->err, sizeof(c->err), "tattled closed the "
		    "connection");
		return -1;
	}
	if (n == -1) {
		if (errno == EINTR)
			return 0;
		snprintf(c->err, sizeof(c->err), "reading from tattled: %s",
		    strerror(errno));
		return -1;
	}
	c->len += (size_t)n;
	return 1;
}

/* Whether a whole line waits in the buffer. */
int
uic_pending(const struct uic *c)
{
	return c->len > 0 && memchr(c->buf, '\n', c->len) != NULL;
}

/*
 * The next message, within ms (-1: no limit).  NULL and *st: 0 if the
 * time ran out, -1 if the connection is gone or sent something that
 * is not JSON (c->err says which).  The raw line stays in c->line.
 */
yajl_val
uic_next(struct uic *c, int ms, int *st)
{
	yajl_val	 v;
	uint64_t	 end, now;
	char		*nl, ebuf[128];
	size_t		 n;
	int		 r, left, tried = 0;

	end = ms < 0 ? UINT64_MAX : uic_now_ms() + (uint64_t)ms;
	for (;;) {
		if (c->len > 0 && (nl = memchr(c->buf, '\n', c->len)) !=
		    NULL) {
			n = (size_t)(nl - c->buf);
			free(c->line);
			if ((c->line = malloc(n + 1)) == NULL) {
				snprintf(c->err, sizeof(c->err), "out of "
				    "memory");
				*st = -1;
				return NULL;
			}
			memcpy(c->line, c->buf, n);
			c->line[n] = '\0';
			memmove(c->buf, nl + 1, c->len - n - 1);
			c->len -= n + 1;
			if ((v = yajl_tree_parse(c->line, ebuf,
			    sizeof(ebuf))) == NULL || !YAJL_IS_OBJECT(v)) {
				yajl_tree_free(v);
				snprintf(c->err, sizeof(c->err), "tattled sent "
				    "a line that is not a JSON object");
				*st = -1;
				return NULL;
			}
			*st = 1;
			return v;
		}
		/* Read at least once, even when no time is left. */
		now = uic_now_ms();
		if (tried && end != UINT64_MAX && now >= end) {
			*st = 0;
			return NULL;
		}
		left = end == UINT64_MAX ? -1 : now >= end ? 0 :
		    (int)(end - now);
		tried = 1;
		if ((r = uic_fill(c, left)) == -1) {
			*st = -1;
			return NULL;
		}
	}
}

/*
 * The result or error for req, skipping other lines.  NULL with *code
 * the exit status and c->err the message when it failed or did not
 * come in ms.
 */
yajl_val
uic_wait(struct uic *c, uint64_t req, int ms, int *code)
{
	yajl_val	 v, r;
	const char	*s, *m;
	uint64_t	 end = uic_now_ms() + (uint64_t)ms, now;
	int		 st;

	for (;;) {
		now = uic_now_ms();
		if (now >= end ||
		    (v = uic_next(c, (int)(end - now), &st)) == NULL) {
			if (now >= end || st == 0)
				snprintf(c->err, sizeof(c->err), "no answer "
				    "from tattled in %d s", ms / 1000);
			*code = EXIT_UI_FAIL;
			return NULL;
		}
		if ((r = uic_get(v, "req")) == NULL || !YAJL_IS_INTEGER(r) ||
		    (uint64_t)YAJL_GET_INTEGER(r) != req ||
		    (!uic_is(v, "result") && !uic_is(v, "error"))) {
			if (uic_is(v, "error") && r == NULL) {
				snprintf(c->err, sizeof(c->err), "tattled: %s",
				    (m = uic_str(v, "message")) != NULL ? m :
				    "error");
				yajl_tree_free(v);
				*code = EXIT_UI_FAIL;
				return NULL;
			}
			yajl_tree_free(v);
			continue;
		}
		if (uic_is(v, "error")) {
			s = uic_str(v, "code");
			m = uic_str(v, "message");
			snprintf(c->err, sizeof(c->err), "%s (%s)",
			    m != NULL ? m : "failed", s != NULL ? s : "error");
			*code = uic_exit_code(s);
			yajl_tree_free(v);
			return NULL;
		}
		*code = EXIT_UI_OK;
		return v;
	}
}

yajl_val
uic_call(struct uic *c, const char *type, const char *members, int *code)
{
	uint64_t	 req;

	if (uic_request(c, type, members, &req) == -1) {
		*code = EXIT_UI_FAIL;
		return NULL;
	}
	return uic_wait(c, req, UIC_TIMEOUT_MS, code);
}

int
uic_exit_code(const char *code)
{
	if (code != NULL && strcmp(code, "not-found") == 0)
		return EXIT_UI_NOTFOUND;
	return EXIT_UI_FAIL;
}

yajl_val
uic_get(yajl_val o, const char *key)
{
	size_t	 i;

	if (o == NULL || !YAJL_IS_OBJECT(o))
		return NULL;
	for (i = 0; i < o->u.object.len; i++)
		if (strcmp(o->u.object.keys[i], key) == 0)
			return o->u.object.values[i];
	return NULL;
}

const char *
uic_str(yajl_val o, const char *key)
{
	yajl_val	 v = uic_get(o, key);

	return v != NULL && YAJL_IS_STRING(v) ? v->u.string : NULL;
}

int
uic_u64(yajl_val o, const char *key, uint64_t *out)
{
	yajl_val	 v = uic_get(o, key);

	if (v == NULL || !YAJL_IS_INTEGER(v) || v->u.number.i < 0)
		return -1;
	*out = (uint64_t)v->u.number.i;
	return 0;
}

int
uic_is(yajl_val o, const char *type)
{
	const char	*t = uic_str(o, "type");

	return t != NULL && strcmp(t, type) == 0;
}
