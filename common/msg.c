/*
 * msg.c: the message codec.  Building is for the sender; msg_check() is
 * the receiver's gate, and nothing reads a received field before it.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "msg.h"

struct msg_desc {
	const char	*name;
	uint32_t	 links;
	size_t		 body;
	int		 fd;
	int		 rx;		/* RX_ONCE, RX_MANY */
	uint64_t	 allow;
	uint64_t	 require;
};

struct attr_desc {
	const char	*name;
	enum attr_kind	 kind;
	size_t		 max;
	int		 repeat;
};

/* Room for the control data of one datagram (more than it may bring). */
union msg_cmsgbuf {
	struct cmsghdr	hdr;
	char		buf[CMSG_SPACE(4 * sizeof(int))];
};

static const struct msg_desc msg_descs[MSG_TYPE_MAX] = {
#define X_MSG_DESC(nm, num, lk, bd, f, rx, al, rq)			\
	[num] = { #nm, lk, sizeof(bd), f, rx, al, rq },
	MSG_CATALOGUE(X_MSG_DESC)
#undef X_MSG_DESC
};

/* msg_check_once() keeps one bit per type. */
_Static_assert(MSG_TYPE_MAX <= 64, "msg_check_once: more types than bits");

static const struct attr_desc attr_descs[ATTR_MAX] = {
#define X_ATTR_DESC(nm, num, k, mx, rp)	[num] = { #nm, k, mx, rp },
	ATTR_CATALOGUE(X_ATTR_DESC)
#undef X_ATTR_DESC
};

static const char *const role_names[ROLE_MAX] = {
	[ROLE_NONE] = "none",
	[ROLE_PACKETD] = "packetd",
	[ROLE_ATTRIBUTORD] = "attributord",
	[ROLE_RULED] = "ruled",
	[ROLE_PROMPTD] = "promptd",
};

static const struct msg_desc *msg_desc(uint32_t);
static int	 msg_check_attrs(struct msg *, const struct msg_desc *,
		    const char **);
static int	 msg_check_attr(const struct msg *, uint16_t, uint16_t,
		    uint32_t, const char **);
static int	 msg_check_fd(struct msg *, const struct msg_desc *,
		    const char **);
static void	 msg_close_cmsg_fds(struct msghdr *);
static void	 msg_recv_prep(struct msghdr *, struct iovec *,
		    union msg_cmsgbuf *, struct msg *);
static int	 msg_recv_fin(struct msghdr *, size_t, struct msg *);

static const struct msg_desc *
msg_desc(uint32_t type)
{
	if (type == MSG_NONE || type >= MSG_TYPE_MAX ||
	    msg_descs[type].name == NULL)
		return NULL;
	return &msg_descs[type];
}

const char *
msg_type_name(uint32_t type)
{
	const struct msg_desc	*d = msg_desc(type);

	return d != NULL ? d->name : "MSG_UNKNOWN";
}

size_t
msg_body_size(uint32_t type)
{
	const struct msg_desc	*d = msg_desc(type);

	return d != NULL ? d->body : 0;
}

uint64_t
msg_attrs_allowed(uint32_t type)
{
	const struct msg_desc	*d = msg_desc(type);

	return d != NULL ? d->allow : 0;
}

uint64_t
msg_attrs_required(uint32_t type)
{
	const struct msg_desc	*d = msg_desc(type);

	return d != NULL ? d->require : 0;
}

int
msg_carries_fd(uint32_t type)
{
	const struct msg_desc	*d = msg_desc(type);

	return d != NULL && d->fd == FD_YES;
}

int
msg_comes_once(uint32_t type)
{
	const struct msg_desc	*d = msg_desc(type);

	return d != NULL && d->rx == RX_ONCE;
}

int
attr_is_string(uint32_t a)
{
	return a < ATTR_MAX && attr_descs[a].kind == AK_STR;
}

const char *
role_name(enum role r)
{
	if ((unsigned int)r >= ROLE_MAX)
		return "unknown";
	return role_names[r];
}

void
msg_init(struct msg *m, enum msg_type type, uint32_t id)
{
	struct msg_hdr	 h;

	memset(&h, 0, sizeof(h));
	h.type = type;
	h.id = id;
	h.len = sizeof(h);
	memcpy(m->buf, &h, sizeof(h));
	m->len = sizeof(h);
	m->fd = -1;
	m->nattrs = 0;
}

static void
msg_set_len(struct msg *m)
{
	uint32_t	 len = m->len;

	memcpy(m->buf + offsetof(struct msg_hdr, len), &len, sizeof(len));
}

/* The body comes right after the header, once, before any attribute. */
int
msg_set_body(struct msg *m, const void *body, size_t len)
{
	if (m->len != sizeof(struct msg_hdr) ||
	    len != msg_body_size(msg_type(m))) {
		errno = EINVAL;
		return -1;
	}
	memcpy(m->buf + m->len, body, len);
	m->len += len;
	msg_set_len(m);
	return 0;
}

int
msg_add_attr(struct msg *m, enum msg_attr a, const void *val, size_t len)
{
	uint16_t	 t = a, l = len;

	if ((unsigned int)a >= ATTR_MAX || len > UINT16_MAX ||
	    m->len + 4 + len > sizeof(m->buf)) {
		errno = EMSGSIZE;
		return -1;
	}
	memcpy(m->buf + m->len, &t, 2);
	memcpy(m->buf + m->len + 2, &l, 2);
	if (len > 0)
		memcpy(m->buf + m->len + 4, val, len);
	m->len += 4 + len;
	msg_set_len(m);
	return 0;
}

int
msg_add_str(struct msg *m, enum msg_attr a, const char *s)
{
	return msg_add_attr(m, a, s, strlen(s) + 1);
}

void
msg_set_fd(struct msg *m, int fd)
{
	m->fd = fd;
}

uint32_t
msg_type(const struct msg *m)
{
	uint32_t	 t;

	memcpy(&t, m->buf + offsetof(struct msg_hdr, type), sizeof(t));
	return t;
}

uint32_t
msg_id(const struct msg *m)
{
	uint32_t	 id;

	memcpy(&id, m->buf + offsetof(struct msg_hdr, id), sizeof(id));
	return id;
}

/*
 * Send one message, with its fd if it has one.  Never blocks on a
 * non-blocking socket: -1/EAGAIN tells the caller to queue it.
 */
int
msg_send(int sock, const struct msg *m)
{
	return msg_send_buf(sock, m->buf, m->len, m->fd);
}

int
msg_send_buf(int sock, const void *buf, size_t len, int fd)
{
	struct msghdr	 mh;
	struct iovec	 iov;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct cmsghdr	*cm;
	ssize_t		 n;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = (void *)buf;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (fd >= 0) {
		memset(&cmsgbuf, 0, sizeof(cmsgbuf));
		mh.msg_control = cmsgbuf.buf;
		mh.msg_controllen = sizeof(cmsgbuf.buf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	do {
		n = sendmsg(sock, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

/* Close every descriptor a control message brought. */
static void
msg_close_cmsg_fds(struct msghdr *mh)
{
	struct cmsghdr	*cm;
	size_t		 i, n;
	int		 fd;

	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET ||
		    cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int),
			    sizeof(int));
			close(fd);
		}
	}
}

static void
msg_recv_prep(struct msghdr *mh, struct iovec *iov, union msg_cmsgbuf *cb,
    struct msg *m)
{
	memset(mh, 0, sizeof(*mh));
	iov->iov_base = m->buf;
	iov->iov_len = sizeof(m->buf);
	mh->msg_iov = iov;
	mh->msg_iovlen = 1;
	mh->msg_control = cb->buf;
	mh->msg_controllen = sizeof(cb->buf);
	m->fd = -1;
	m->nattrs = 0;
	m->len = 0;
}

/* A datagram of n bytes came in mh: msg_recv()'s result for it. */
static int
msg_recv_fin(struct msghdr *mh, size_t n, struct msg *m)
{
	struct cmsghdr	*cm;
	int		 nfds = 0;

	if (n == 0) {
		/* EOF: nobody sends an empty datagram. */
		msg_close_cmsg_fds(mh);
		return 0;
	}
	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm))
		if (cm->cmsg_level == SOL_SOCKET &&
		    cm->cmsg_type == SCM_RIGHTS)
			nfds += (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
	if ((mh->msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || nfds > 1) {
		msg_close_cmsg_fds(mh);
		errno = EMSGSIZE;
		return -1;
	}
	if (nfds == 1) {
		cm = CMSG_FIRSTHDR(mh);
		while (cm->cmsg_type != SCM_RIGHTS)
			cm = CMSG_NXTHDR(mh, cm);
		memcpy(&m->fd, CMSG_DATA(cm), sizeof(int));
	}
	m->len = n;
	return 1;
}

/*
 * Receive one datagram.  Returns 1 with a message (not yet checked),
 * 0 on EOF, -1 on error: EAGAIN, or EMSGSIZE when the datagram, its
 * control data or its descriptors do not fit what a message may carry.
 */
int
msg_recv(int sock, struct msg *m)
{
	struct msghdr		 mh;
	struct iovec		 iov;
	union msg_cmsgbuf	 cb;
	ssize_t			 n;

	msg_recv_prep(&mh, &iov, &cb, m);
	do {
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	return msg_recv_fin(&mh, (size_t)n, m);
}

/*
 * msg_recv() into m, and in the same recvmmsg() a second datagram into
 * next if one is waiting: *nextrv gets msg_recv()'s result for it (with
 * errno in *nexterr), or MSG_RECV_EMPTY when none was waiting: the
 * socket was empty after m, so a caller that polls need not ask again.
 */
int
msg_recv2(int sock, struct msg *m, struct msg *next, int *nextrv,
    int *nexterr)
{
	struct mmsghdr		 mm[2];
	struct iovec		 iov[2];
	union msg_cmsgbuf	 cb[2];
	int			 n, rv;

	msg_recv_prep(&mm[0].msg_hdr, &iov[0], &cb[0], m);
	msg_recv_prep(&mm[1].msg_hdr, &iov[1], &cb[1], next);
	mm[0].msg_len = mm[1].msg_len = 0;
	do {
		n = recvmmsg(sock, mm, 2, MSG_CMSG_CLOEXEC | MSG_DONTWAIT,
		    NULL);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return -1;
	*nextrv = MSG_RECV_EMPTY;
	*nexterr = 0;
	if (n == 2) {
		*nextrv = msg_recv_fin(&mm[1].msg_hdr, mm[1].msg_len, next);
		*nexterr = errno;
	}
	rv = msg_recv_fin(&mm[0].msg_hdr, mm[0].msg_len, m);
	if (rv != 1 && *nextrv == 1) {
		/* m ended the stream or broke it: next is never read. */
		msg_close_fd(next);
		*nextrv = 0;
	}
	return rv;
}

/*
 * The receiver's gate.  self is the receiving role, peer the role at
 * the other end of the channel it came on.  On failure *why says what
 * was wrong and any descriptor that came with the message is closed.
 */
int
msg_check(struct msg *m, enum role self, enum role peer, const char **why)
{
	const struct msg_desc	*d;
	struct msg_hdr		 h;

	m->nattrs = 0;
	if (m->len < sizeof(h)) {
		*why = "truncated header";
		goto fail;
	}
	memcpy(&h, m->buf, sizeof(h));
	if (h.len != m->len) {
		*why = "length field does not match the datagram";
		goto fail;
	}
	if (h.flags != 0) {
		*why = "unknown flags";
		goto fail;
	}
	if ((d = msg_desc(h.type)) == NULL) {
		*why = "unknown type";
		goto fail;
	}
	if ((d->links & LINK(peer, self)) == 0) {
		*why = "type not allowed in this direction";
		goto fail;
	}
	if (m->len < sizeof(h) + d->body) {
		*why = "truncated body";
		goto fail;
	}
	if (msg_check_attrs(m, d, why) == -1)
		goto fail;
	if (msg_check_fd(m, d, why) == -1)
		goto fail;
	return 0;
 fail:
	msg_close_fd(m);
	m->nattrs = 0;
	return -1;
}

static int
msg_check_attrs(struct msg *m, const struct msg_desc *d, const char **why)
{
	uint64_t	 seen = 0;
	size_t		 off = sizeof(struct msg_hdr) + d->body;
	uint16_t	 t, l;

	while (off < m->len) {
		if (m->len - off < 4) {
			*why = "truncated attribute header";
			return -1;
		}
		memcpy(&t, m->buf + off, 2);
		memcpy(&l, m->buf + off + 2, 2);
		if (l > m->len - off - 4) {
			*why = "attribute runs past the end";
			return -1;
		}
		if (m->nattrs >= MAX_ATTRS) {
			*why = "too many attributes";
			return -1;
		}
		if (t == 0 || t >= ATTR_MAX || attr_descs[t].name == NULL ||
		    (d->allow & ATTR_BIT(t)) == 0) {
			*why = "attribute not allowed for this type";
			return -1;
		}
		if ((seen & ATTR_BIT(t)) && !attr_descs[t].repeat) {
			*why = "duplicate attribute";
			return -1;
		}
		if (msg_check_attr(m, t, l, off + 4, why) == -1)
			return -1;
		seen |= ATTR_BIT(t);
		m->attrs[m->nattrs].type = t;
		m->attrs[m->nattrs].len = l;
		m->attrs[m->nattrs].off = off + 4;
		m->nattrs++;
		off += 4 + l;
	}
	if ((seen & d->require) != d->require) {
		*why = "required attribute missing";
		return -1;
	}
	return 0;
}

static int
msg_check_attr(const struct msg *m, uint16_t t, uint16_t l, uint32_t off,
    const char **why)
{
	const struct attr_desc	*a = &attr_descs[t];

	if (l > a->max) {
		*why = "attribute too long";
		return -1;
	}
	if (a->kind == AK_STR) {
		if (l == 0 || m->buf[off + l - 1] != '\0') {
			*why = "string attribute not NUL-terminated";
			return -1;
		}
		if (memchr(m->buf + off, '\0', l) != m->buf + off + l - 1) {
			*why = "string attribute with an interior NUL";
			return -1;
		}
	}
	return 0;
}

static int
msg_check_fd(struct msg *m, const struct msg_desc *d, const char **why)
{
	if (d->fd == FD_YES && m->fd < 0) {
		*why = "file descriptor missing";
		return -1;
	}
	if (d->fd == FD_NO && m->fd >= 0) {
		*why = "unexpected file descriptor";
		return -1;
	}
	return 0;
}

/*
 * The catalogue's RX_ONCE: a channel's receiver keeps *seen (0 when the
 * channel opens) and calls this for each message msg_check() passed.  A
 * second message of a type that comes once is refused.
 */
int
msg_check_once(const struct msg *m, uint64_t *seen, const char **why)
{
	static char		 buf[64];
	const struct msg_desc	*d = msg_desc(msg_type(m));

	if (d == NULL || d->rx != RX_ONCE)
		return 0;
	if (*seen & (1ull << msg_type(m))) {
		snprintf(buf, sizeof(buf), "second %s (it comes once)",
		    d->name);
		*why = buf;
		return -1;
	}
	*seen |= 1ull << msg_type(m);
	return 0;
}

/*
 * Copy the body out.  msg_check() found it whole; a caller asking for
 * another size than the catalogue's holds the wrong struct for this
 * type, a programming error that no peer can cause.
 */
void
msg_get_body(const struct msg *m, void *out, size_t len)
{
	size_t	 want = msg_body_size(msg_type(m));

	if (len != want || m->len < sizeof(struct msg_hdr) + len)
		fatalx("%s: %s: a body of %zu bytes asked for, the catalogue "
		    "says %zu (message of %zu bytes)", __func__,
		    msg_type_name(msg_type(m)), len, want, m->len);
	memcpy(out, m->buf + sizeof(struct msg_hdr), len);
}

const void *
msg_get_attr(const struct msg *m, enum msg_attr a, size_t *len)
{
	unsigned int	 i;

	for (i = 0; i < m->nattrs; i++)
		if (m->attrs[i].type == a) {
			if (len != NULL)
				*len = m->attrs[i].len;
			return m->buf + m->attrs[i].off;
		}
	return NULL;
}

const char *
msg_get_str(const struct msg *m, enum msg_attr a)
{
	return msg_get_str_n(m, a, 0);
}

unsigned int
msg_attr_count(const struct msg *m, enum msg_attr a)
{
	unsigned int	 i, n = 0;

	for (i = 0; i < m->nattrs; i++)
		if (m->attrs[i].type == a)
			n++;
	return n;
}

/* The nth occurrence of a string attribute, in the order sent. */
const char *
msg_get_str_n(const struct msg *m, enum msg_attr a, unsigned int nth)
{
	unsigned int	 i;

	if ((unsigned int)a >= ATTR_MAX || attr_descs[a].kind != AK_STR)
		return NULL;
	for (i = 0; i < m->nattrs; i++)
		if (m->attrs[i].type == a && nth-- == 0)
			return (const char *)m->buf + m->attrs[i].off;
	return NULL;
}

/*
 * Copy the checked attributes of src whose bits are in mask to dst, in
 * their order.  -1 with EMSGSIZE if they do not fit.
 */
int
msg_copy_attrs(struct msg *dst, const struct msg *src, uint64_t mask)
{
	unsigned int	 i;

	for (i = 0; i < src->nattrs; i++) {
		if ((mask & ATTR_BIT(src->attrs[i].type)) == 0)
			continue;
		if (msg_add_attr(dst, src->attrs[i].type,
		    src->buf + src->attrs[i].off, src->attrs[i].len) == -1)
			return -1;
	}
	return 0;
}

int
msg_take_fd(struct msg *m)
{
	int	 fd = m->fd;

	m->fd = -1;
	return fd;
}

void
msg_close_fd(struct msg *m)
{
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}
