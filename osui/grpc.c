/*
 * grpc.c: gRPC calls over an nghttp2 client session on a non-blocking
 * socket.  nghttp2 does HTTP/2 (framing, flow control, HPACK, PING
 * replies); this file adds what gRPC puts on top: the request headers,
 * the deadline as grpc-timeout, 5-byte message framing, and the status
 * from the trailers.
 */
#include <sys/queue.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nghttp2/nghttp2.h>

#include "log.h"
#include "osui.h"
#include "grpc.h"

#define GRPC_READ_CHUNK		16384
#define GRPC_WINDOW		(1024 * 1024)
#define GRPC_FLUSH_HIGH		(256 * 1024)

struct grpc_call {
	TAILQ_ENTRY(grpc_call)	 entry;
	struct grpc_conn	*conn;
	int32_t			 stream_id;
	struct buf		 out;		/* framed, unsent */
	int			 out_eof;
	int			 deferred;
	struct buf		 in;		/* received, unframed */
	uint64_t		 deadline;	/* ms, 0 none */
	int			 http_status;
	int			 grpc_status;	/* -1 until the trailers */
	char			 grpc_message[256];
	int			 finished;	/* done ran or cancelled */
	grpc_msg_fn		 on_msg;
	grpc_done_fn		 on_done;
	void			*arg;
};

struct grpc_conn {
	int			 fd;
	nghttp2_session		*sess;
	struct buf		 out;
	size_t			 ncalls;
	int			 broken;
	TAILQ_HEAD(, grpc_call)	 calls;
	char			 authority[300];
};

static ssize_t	 grpc_read_cb(nghttp2_session *, int32_t, uint8_t *, size_t,
		    uint32_t *, nghttp2_data_source *, void *);
static int	 grpc_header_cb(nghttp2_session *, const nghttp2_frame *,
		    const uint8_t *, size_t, const uint8_t *, size_t, uint8_t,
		    void *);
static int	 grpc_data_cb(nghttp2_session *, uint8_t, int32_t,
		    const uint8_t *, size_t, void *);
static int	 grpc_close_cb(nghttp2_session *, int32_t, uint32_t, void *);
static void	 grpc_finish(struct grpc_call *, int, const char *);
static void	 grpc_abort(struct grpc_call *, int, const char *);
static void	 grpc_call_free(struct grpc_call *);
static int	 grpc_flush(struct grpc_conn *);
static int	 grpc_unframe(struct grpc_call *);

const char *
grpc_status_name(int s)
{
	static const char *const names[] = { "OK", "CANCELLED", "UNKNOWN",
	    "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
	    "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
	    "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
	    "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
	    "UNAUTHENTICATED" };

	if (s < 0 || (size_t)s >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[s];
}

struct grpc_conn *
grpc_conn_new(int fd, const char *authority)
{
	nghttp2_session_callbacks	*cbs;
	nghttp2_settings_entry		 iv[] = {
		{ NGHTTP2_SETTINGS_ENABLE_PUSH, 0 },
		{ NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, GRPC_WINDOW },
		{ NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, MAX_GRPC_CALLS },
	};
	struct grpc_conn		*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->fd = fd;
	TAILQ_INIT(&c->calls);
	buf_init(&c->out, MAX_GRPC_OUT);
	snprintf(c->authority, sizeof(c->authority), "%s", authority);
	if (nghttp2_session_callbacks_new(&cbs) != 0) {
		free(c);
		return NULL;
	}
	nghttp2_session_callbacks_set_on_header_callback(cbs, grpc_header_cb);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cbs,
	    grpc_data_cb);
	nghttp2_session_callbacks_set_on_stream_close_callback(cbs,
	    grpc_close_cb);
	if (nghttp2_session_client_new(&c->sess, cbs, c) != 0) {
		nghttp2_session_callbacks_del(cbs);
		free(c);
		return NULL;
	}
	nghttp2_session_callbacks_del(cbs);
	if (nghttp2_submit_settings(c->sess, NGHTTP2_FLAG_NONE, iv,
	    sizeof(iv) / sizeof(iv[0])) != 0 ||
	    nghttp2_session_set_local_window_size(c->sess, NGHTTP2_FLAG_NONE,
	    0, 4 * GRPC_WINDOW) != 0) {
		nghttp2_session_del(c->sess);
		free(c);
		return NULL;
	}
	return c;
}

/* Every open call ends UNAVAILABLE; the socket is closed. */
void
grpc_conn_free(struct grpc_conn *c)
{
	struct grpc_call	*call;

	if (c == NULL)
		return;
	c->broken = 1;
	while ((call = TAILQ_FIRST(&c->calls)) != NULL) {
		grpc_finish(call, GRPC_UNAVAILABLE,
		    "connection to the UI lost");
		grpc_call_free(call);
	}
	nghttp2_session_del(c->sess);
	close(c->fd);
	buf_free(&c->out);
	free(c);
}

int
grpc_conn_fd(const struct grpc_conn *c)
{
	return c->fd;
}

short
grpc_conn_events(struct grpc_conn *c)
{
	short	 ev = POLLIN;

	if (c->out.len > 0 || nghttp2_session_want_write(c->sess))
		ev |= POLLOUT;
	return ev;
}

/* Move what nghttp2 has to send into c->out, then to the socket. */
static int
grpc_flush(struct grpc_conn *c)
{
	const uint8_t	*p;
	ssize_t		 n;

	while (c->out.len < GRPC_FLUSH_HIGH) {
		if ((n = nghttp2_session_mem_send(c->sess, &p)) < 0) {
			log_warnx("%s: HTTP/2: %s", __func__,
			    nghttp2_strerror((int)n));
			return -1;
		}
		if (n == 0)
			break;
		if (buf_add(&c->out, p, (size_t)n) == -1)
			return -1;
	}
	while (c->out.len > 0) {
		n = write(c->fd, c->out.p, c->out.len);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n == -1) {
			log_warn("%s: write to the UI", __func__);
			return -1;
		}
		buf_drop(&c->out, (size_t)n);
	}
	return 0;
}

/* -1: the connection is over (error, EOF or both sides done). */
int
grpc_conn_io(struct grpc_conn *c, short revents, uint64_t now)
{
	uint8_t		 rbuf[GRPC_READ_CHUNK];
	ssize_t		 n, rv;

	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		for (;;) {
			n = read(c->fd, rbuf, sizeof(rbuf));
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				break;
			if (n == -1) {
				log_warn("%s: read from the UI", __func__);
				return -1;
			}
			if (n == 0) {
				log_debug("%s: the UI closed the connection",
				    __func__);
				return -1;
			}
			rv = nghttp2_session_mem_recv(c->sess, rbuf, (size_t)n);
			if (rv < 0) {
				log_warnx("%s: HTTP/2 from the UI: %s",
				    __func__, nghttp2_strerror((int)rv));
				return -1;
			}
			if (c->broken)
				return -1;
		}
	}
	grpc_conn_timers(c, now);
	if (grpc_flush(c) == -1 || c->broken)
		return -1;
	if (!nghttp2_session_want_read(c->sess) &&
	    !nghttp2_session_want_write(c->sess) && c->out.len == 0) {
		log_debug("%s: HTTP/2 session ended", __func__);
		return -1;
	}
	return 0;
}

/* Calls past their deadline end DEADLINE_EXCEEDED. */
void
grpc_conn_timers(struct grpc_conn *c, uint64_t now)
{
	struct grpc_call	*call, *next;

	for (call = TAILQ_FIRST(&c->calls); call != NULL; call = next) {
		next = TAILQ_NEXT(call, entry);
		if (call->finished || call->deadline == 0 ||
		    now < call->deadline)
			continue;
		grpc_abort(call, GRPC_DEADLINE_EXCEEDED, "deadline exceeded");
	}
}

int
grpc_conn_next_deadline(const struct grpc_conn *c, uint64_t *when)
{
	const struct grpc_call	*call;
	int			 any = 0;

	TAILQ_FOREACH(call, &c->calls, entry) {
		if (call->finished || call->deadline == 0)
			continue;
		if (!any || call->deadline < *when)
			*when = call->deadline;
		any = 1;
	}
	return any;
}

static ssize_t
grpc_read_cb(nghttp2_session *s, int32_t id, uint8_t *out, size_t len,
    uint32_t *flags, nghttp2_data_source *src, void *arg)
{
	struct grpc_call	*call = src->ptr;
	size_t			 n;

	n = call->out.len < len ? call->out.len : len;
	if (n > 0) {
		memcpy(out, call->out.p, n);
		buf_drop(&call->out, n);
	}
	if (call->out.len == 0 && call->out_eof)
		*flags |= NGHTTP2_DATA_FLAG_EOF;
	else if (n == 0) {
		call->deferred = 1;
		return NGHTTP2_ERR_DEFERRED;
	}
	return (ssize_t)n;
}

#define HDR(n, v) { (uint8_t *)(n), (uint8_t *)(v), sizeof(n) - 1,	\
	strlen(v), NGHTTP2_NV_FLAG_NONE }

struct grpc_call *
grpc_call_start(struct grpc_conn *c, const char *path, uint32_t timeout_ms,
    uint64_t now, grpc_msg_fn on_msg, grpc_done_fn on_done, void *arg)
{
	struct grpc_call	*call;
	nghttp2_data_provider	 prd;
	char			 tmo[16];
	int32_t			 id;

	if (c->broken || c->ncalls >= MAX_GRPC_CALLS) {
		errno = EBUSY;
		return NULL;
	}
	/* grpc-timeout takes at most 8 digits. */
	snprintf(tmo, sizeof(tmo), "%" PRIu32 "m",
	    timeout_ms > 99999999 ? 99999999 : timeout_ms);
	{
		nghttp2_nv	 nva[] = {
			HDR(":method", "POST"),
			HDR(":scheme", "http"),
			HDR(":path", path),
			HDR(":authority", c->authority),
			HDR("content-type", "application/grpc"),
			HDR("te", "trailers"),
			HDR("user-agent", "tattle-osui/" PACKAGE_VERSION),
			HDR("grpc-timeout", tmo),
		};

		if ((call = calloc(1, sizeof(*call))) == NULL)
			return NULL;
		call->conn = c;
		call->grpc_status = -1;
		call->on_msg = on_msg;
		call->on_done = on_done;
		call->arg = arg;
		call->deadline = timeout_ms ? now + timeout_ms : 0;
		buf_init(&call->out, MAX_GRPC_MSG + 5);
		buf_init(&call->in, MAX_GRPC_MSG + 5);
		prd.source.ptr = call;
		prd.read_callback = grpc_read_cb;
		/* A stream without deadline (Notifications) sends none. */
		id = nghttp2_submit_request(c->sess, NULL, nva,
		    sizeof(nva) / sizeof(nva[0]) - (timeout_ms ? 0 : 1), &prd,
		    call);
	}
	if (id < 0) {
		log_warnx("%s: %s: %s", __func__, path, nghttp2_strerror(id));
		buf_free(&call->out);
		buf_free(&call->in);
		free(call);
		errno = EIO;
		return NULL;
	}
	call->stream_id = id;
	TAILQ_INSERT_TAIL(&c->calls, call, entry);
	c->ncalls++;
	return call;
}

int
grpc_call_send(struct grpc_call *call, const uint8_t *msg, size_t len)
{
	uint8_t	 hdr[5];

	if (call->finished || call->out_eof || len > MAX_GRPC_MSG) {
		errno = EINVAL;
		return -1;
	}
	hdr[0] = 0;			/* not compressed */
	hdr[1] = (uint8_t)(len >> 24);
	hdr[2] = (uint8_t)(len >> 16);
	hdr[3] = (uint8_t)(len >> 8);
	hdr[4] = (uint8_t)len;
	if (buf_reserve(&call->out, sizeof(hdr) + len) == -1)
		return -1;
	buf_add(&call->out, hdr, sizeof(hdr));
	buf_add(&call->out, msg, len);
	if (call->deferred) {
		call->deferred = 0;
		nghttp2_session_resume_data(call->conn->sess, call->stream_id);
	}
	return 0;
}

int
grpc_call_close_send(struct grpc_call *call)
{
	call->out_eof = 1;
	if (call->deferred) {
		call->deferred = 0;
		nghttp2_session_resume_data(call->conn->sess, call->stream_id);
	}
	return 0;
}

/* No done callback after this; the stream is reset. */
void
grpc_call_cancel(struct grpc_call *call)
{
	if (call->finished)
		return;
	call->finished = 1;
	nghttp2_submit_rst_stream(call->conn->sess, NGHTTP2_FLAG_NONE,
	    call->stream_id, NGHTTP2_CANCEL);
}

struct grpc_call *
grpc_unary(struct grpc_conn *c, const char *path, uint32_t timeout_ms,
    uint64_t now, const uint8_t *msg, size_t len, grpc_msg_fn on_msg,
    grpc_done_fn on_done, void *arg)
{
	struct grpc_call	*call;

	if ((call = grpc_call_start(c, path, timeout_ms, now, on_msg, on_done,
	    arg)) == NULL)
		return NULL;
	/* Both are queued: the request goes out with END_STREAM. */
	if (grpc_call_send(call, msg, len) == -1) {
		grpc_call_cancel(call);
		return NULL;
	}
	grpc_call_close_send(call);
	return call;
}

static void
grpc_finish(struct grpc_call *call, int status, const char *msg)
{
	if (call->finished)
		return;
	call->finished = 1;
	if (call->on_done != NULL)
		call->on_done(call, status, msg, call->arg);
}

/* End the call here with status st, and reset its stream. */
static void
grpc_abort(struct grpc_call *call, int st, const char *msg)
{
	if (call->finished)
		return;
	nghttp2_submit_rst_stream(call->conn->sess, NGHTTP2_FLAG_NONE,
	    call->stream_id, NGHTTP2_CANCEL);
	grpc_finish(call, st, msg);
}

static void
grpc_call_free(struct grpc_call *call)
{
	struct grpc_conn	*c = call->conn;

	TAILQ_REMOVE(&c->calls, call, entry);
	c->ncalls--;
	if (!c->broken)
		nghttp2_session_set_stream_user_data(c->sess, call->stream_id,
		    NULL);
	buf_free(&call->out);
	buf_free(&call->in);
	free(call);
}

static int
grpc_header_cb(nghttp2_session *s, const nghttp2_frame *f,
    const uint8_t *name, size_t nlen, const uint8_t *value, size_t vlen,
    uint8_t flags, void *arg)
{
	struct grpc_call	*call;
	char			 v[16];

	if (f->hd.type != NGHTTP2_HEADERS ||
	    (call = nghttp2_session_get_stream_user_data(s,
	    f->hd.stream_id)) == NULL)
		return 0;
	if (nlen == 7 && memcmp(name, ":status", 7) == 0 && vlen < sizeof(v)) {
		memcpy(v, value, vlen);
		v[vlen] = '\0';
		call->http_status = atoi(v);
	} else if (nlen == 11 && memcmp(name, "grpc-status", 11) == 0 &&
	    vlen > 0 && vlen < 4) {
		memcpy(v, value, vlen);
		v[vlen] = '\0';
		call->grpc_status = atoi(v);
	} else if (nlen == 12 && memcmp(name, "grpc-message", 12) == 0) {
		if (vlen >= sizeof(call->grpc_message))
			vlen = sizeof(call->grpc_message) - 1;
		memcpy(call->grpc_message, value, vlen);
		call->grpc_message[vlen] = '\0';
	} else if (nlen == 13 && memcmp(name, "grpc-encoding", 13) == 0 &&
	    !(vlen == 8 && memcmp(value, "identity", 8) == 0)) {
		/* Never asked for: no grpc-accept-encoding was sent. */
		snprintf(call->grpc_message, sizeof(call->grpc_message),
		    "the UI compresses its answers");
		call->grpc_status = GRPC_UNIMPLEMENTED;
	}
	return 0;
}

/* Deliver every complete message in call->in. */
static int
grpc_unframe(struct grpc_call *call)
{
	uint32_t	 len;
	uint8_t		*p;

	while (call->in.len >= 5 && !call->finished) {
		p = call->in.p;
		len = (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 |
		    (uint32_t)p[3] << 8 | p[4];
		if (p[0] != 0) {
			grpc_abort(call, GRPC_UNIMPLEMENTED,
			    "a compressed message from the UI");
			return -1;
		}
		if (len > MAX_GRPC_MSG) {
			grpc_abort(call, GRPC_RESOURCE_EXHAUSTED,
			    "a message from the UI over the size limit");
			return -1;
		}
		if (call->in.len - 5 < len)
			break;
		if (call->on_msg != NULL)
			call->on_msg(call, p + 5, len, call->arg);
		buf_drop(&call->in, 5 + (size_t)len);
	}
	return 0;
}

static int
grpc_data_cb(nghttp2_session *s, uint8_t flags, int32_t id,
    const uint8_t *data, size_t len, void *arg)
{
	struct grpc_call	*call;

	if ((call = nghttp2_session_get_stream_user_data(s, id)) == NULL ||
	    call->finished)
		return 0;
	if (buf_add(&call->in, data, len) == -1) {
		grpc_abort(call, GRPC_RESOURCE_EXHAUSTED,
		    "a message from the UI over the size limit");
		return 0;
	}
	grpc_unframe(call);
	return 0;
}

static int
grpc_close_cb(nghttp2_session *s, int32_t id, uint32_t error, void *arg)
{
	struct grpc_call	*call;
	char			 msg[300];
	int			 st;

	if ((call = nghttp2_session_get_stream_user_data(s, id)) == NULL)
		return 0;
	if (call->grpc_status >= 0) {
		st = call->grpc_status;
		snprintf(msg, sizeof(msg), "%s", call->grpc_message);
	} else if (call->http_status != 0 && call->http_status != 200) {
		st = GRPC_UNKNOWN;
		snprintf(msg, sizeof(msg), "HTTP status %d", call->http_status);
	} else if (error != NGHTTP2_NO_ERROR) {
		st = error == NGHTTP2_REFUSED_STREAM ? GRPC_UNAVAILABLE :
		    GRPC_CANCELLED;
		snprintf(msg, sizeof(msg), "stream reset: %s",
		    nghttp2_http2_strerror(error));
	} else {
		st = GRPC_UNKNOWN;
		snprintf(msg, sizeof(msg), "no grpc-status from the UI");
	}
	if (st == GRPC_OK && call->in.len != 0) {
		st = GRPC_INTERNAL;
		snprintf(msg, sizeof(msg), "a truncated message from the UI");
	}
	grpc_finish(call, st, msg);
	grpc_call_free(call);
	return 0;
}
