/*
 * tclient.c: the bridge as an ordinary client of tattle's UI socket
 * (docs/ui-protocol.md): JSON lines both ways, requests numbered with
 * "req" so that results find what asked for them, and a rate below
 * tattle's limit so that a burst of UI commands never gets the bridge
 * disconnected.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "log.h"
#include "osui.h"
#include "tclient.h"

static int	 tc_flush(struct tclient *);
static void	 tc_refill(struct tclient *, uint64_t);
static int	 tc_line(struct tclient *, char *, size_t);

void
tclient_init(struct tclient *t, tclient_msg_fn fn, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->fd = -1;
	t->on_msg = fn;
	t->arg = arg;
	buf_init(&t->in, MAX_UI_LINE + 1);
	buf_init(&t->out, MAX_OSUI_TOUT);
}

int
tclient_connect(struct tclient *t, const char *path)
{
	struct sockaddr_un	 sun;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	/* A unix connect completes at once or fails (EAGAIN: backlog). */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(fd);
		return -1;
	}
	t->fd = fd;
	t->tokens = MAX_OSUI_RATE / 5;
	return 0;
}

void
tclient_close(struct tclient *t)
{
	size_t	 i;

	if (t->fd != -1)
		close(t->fd);
	t->fd = -1;
	t->in.len = t->out.len = 0;
	for (i = 0; i < t->nqueue; i++)
		free(t->queue[i].line);
	t->nqueue = 0;
	t->nreqs = 0;
}

short
tclient_events(const struct tclient *t)
{
	return POLLIN | (t->out.len > 0 ? POLLOUT : 0);
}

/* The rate: MAX_OSUI_RATE per second, bursts of a fifth of that. */
static void
tc_refill(struct tclient *t, uint64_t now)
{
	uint64_t	 add;

	if (t->last_refill == 0 || now < t->last_refill) {
		t->last_refill = now;
		return;
	}
	add = (now - t->last_refill) * MAX_OSUI_RATE / 1000;
	if (add == 0)
		return;
	t->tokens += add;
	if (t->tokens > MAX_OSUI_RATE / 5)
		t->tokens = MAX_OSUI_RATE / 5;
	t->last_refill = now;
}

/* Queued requests go out as the rate allows. */
void
tclient_pump(struct tclient *t, uint64_t now)
{
	size_t	 i = 0;

	tc_refill(t, now);
	while (i < t->nqueue && t->tokens > 0) {
		struct tqueued *q = &t->queue[i];

		if (buf_reserve(&t->out, q->len) == -1)
			break;
		buf_add(&t->out, q->line, q->len);
		free(q->line);
		t->tokens--;
		i++;
	}
	if (i > 0) {
		memmove(t->queue, t->queue + i,
		    (t->nqueue - i) * sizeof(t->queue[0]));
		t->nqueue -= i;
	}
}

/* Milliseconds until a queued request may go, or -1 for none queued. */
int
tclient_wait_ms(const struct tclient *t)
{
	if (t->nqueue == 0)
		return -1;
	return t->tokens > 0 ? 0 : 1000 / MAX_OSUI_RATE + 1;
}

/*
 * Queue a request: {"type":type,"req":N, ...what fill adds}.  kind and
 * ref come back with its result; kind 0 sends no "req" and expects
 * none.  -1 when the bridge's own bounds are reached (the caller says
 * so to whoever asked).
 */
int
tclient_request(struct tclient *t, const char *type, int kind, uint64_t ref,
    tclient_fill_fn fill, const void *arg)
{
	struct jw	 w;
	size_t		 len;
	char		*line;

	if (t->fd == -1 || t->nreqs >= MAX_OSUI_REQS ||
	    t->nqueue >= MAX_OSUI_QUEUE) {
		errno = ENOBUFS;
		return -1;
	}
	/* Shorter than tattle's limit (the bound counts jw_take's NUL). */
	jw_init(&w, MAX_UI_LINE);
	jw_obj(&w);
	jw_kstr(&w, "type", type);
	if (kind != 0)
		jw_ku64(&w, "req", ++t->next_req);
	if (fill != NULL && fill(&w, arg) == -1)
		w.err = 1;
	jw_end(&w);
	if ((line = jw_take(&w, &len)) == NULL) {
		errno = EINVAL;
		return -1;
	}
	line[len] = '\n';	/* was the NUL jw_take() put there */
	t->queue[t->nqueue].line = line;
	t->queue[t->nqueue].len = len + 1;
	t->nqueue++;
	if (kind == 0)
		return 0;
	t->reqs[t->nreqs].req = t->next_req;
	t->reqs[t->nreqs].kind = kind;
	t->reqs[t->nreqs].ref = ref;
	t->nreqs++;
	return 0;
}

static int
tc_flush(struct tclient *t)
{
	ssize_t	 n;

	while (t->out.len > 0) {
		n = write(t->fd, t->out.p, t->out.len);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n == -1) {
			log_warn("%s: write to tattle", __func__);
			return -1;
		}
		buf_drop(&t->out, (size_t)n);
	}
	return 0;
}

/* One line from tattle; -1 ends the connection. */
static int
tc_line(struct tclient *t, char *line, size_t len)
{
	struct treq	 r, *rp = NULL;
	yajl_val	 msg, v;
	const char	*path[] = { "req", NULL };
	char		 err[128];
	size_t		 i;

	line[len] = '\0';
	if ((msg = yajl_tree_parse(line, err, sizeof(err))) == NULL ||
	    !YAJL_IS_OBJECT(msg)) {
		log_warnx("%s: tattle sent a line that is not a JSON object",
		    __func__);
		if (msg != NULL)
			yajl_tree_free(msg);
		return -1;
	}
	if ((v = yajl_tree_get(msg, path, yajl_t_number)) != NULL &&
	    YAJL_IS_INTEGER(v)) {
		for (i = 0; i < t->nreqs; i++)
			if (t->reqs[i].req == (uint64_t)YAJL_GET_INTEGER(v))
				break;
		if (i < t->nreqs) {
			r = t->reqs[i];
			rp = &r;
			t->reqs[i] = t->reqs[--t->nreqs];
		}
	}
	t->on_msg(t->arg, msg, rp);
	yajl_tree_free(msg);
	return 0;
}

/* -1: the connection is over. */
int
tclient_io(struct tclient *t, short revents, uint64_t now)
{
	char		*nl;
	ssize_t		 n;
	size_t		 used;

	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		if (buf_reserve(&t->in, 4096) == -1) {
			log_warnx("%s: tattle sent a line over %d bytes",
			    __func__, MAX_UI_LINE);
			return -1;
		}
		n = read(t->fd, t->in.p + t->in.len, t->in.cap - t->in.len);
		if (n == 0) {
			log_info("tattle closed the connection");
			return -1;
		}
		if (n == -1 && errno != EAGAIN && errno != EINTR) {
			log_warn("%s: read from tattle", __func__);
			return -1;
		}
		if (n > 0)
			t->in.len += (size_t)n;
		used = 0;
		while ((nl = memchr(t->in.p + used, '\n', t->in.len - used)) !=
		    NULL) {
			size_t llen = (size_t)(nl - (char *)t->in.p) - used;

			if (tc_line(t, (char *)t->in.p + used, llen) == -1)
				return -1;
			if (t->fd == -1)
				return -1;
			used += llen + 1;
		}
		buf_drop(&t->in, used);
	}
	tclient_pump(t, now);
	return tc_flush(t);
}
