/*
 * common-msg.c: the message codec.  Every type round-trips over a real
 * SOCK_SEQPACKET pair; every malformed case is refused with its reason
 * and without reading past what was received (ASan builds prove the
 * latter).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chan.h"
#include "log.h"
#include "msg.h"
#include "t.h"

static int	 sp[2];

static void
pair(void)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0, sp) == -1) {
		perror("socketpair");
		exit(1);
	}
}

static void
unpair(void)
{
	close(sp[0]);
	close(sp[1]);
}

/* A valid message of each type, with a body of recognisable bytes. */
static void	 add_attrs(struct msg *, uint64_t);

static void
build(struct msg *m, uint32_t type)
{
	uint8_t	 body[MAX_MSGSIZE];
	size_t	 i, n = msg_body_size(type);

	for (i = 0; i < n; i++)
		body[i] = (uint8_t)(i * 7 + type);
	msg_init(m, type, 0x1234);
	T_EQ_INT(msg_set_body(m, body, n), 0);
	if (type == MSG_LOG)
		T_EQ_INT(msg_add_str(m, ATTR_TEXT, "a log line"), 0);
	else if (type == MSG_FILE)
		T_EQ_INT(msg_add_str(m, ATTR_FILE_NAME, "0001.json"), 0);
	else
		add_attrs(m, msg_attrs_required(type));
}

/* One value of each attribute in the mask. */
static void
add_attrs(struct msg *m, uint64_t mask)
{
	uint32_t	 a;

	for (a = 1; a < ATTR_MAX; a++) {
		if ((mask & ATTR_BIT(a)) == 0)
			continue;
		if (attr_is_string(a))
			T_EQ_INT(msg_add_str(m, a, "v"), 0);
		else
			T_EQ_INT(msg_add_attr(m, a, "\0\1\2", 3), 0);
	}
}

static int
carries_fd(uint32_t type)
{
	return msg_carries_fd(type);
}

/* Links on which each type may travel, as (sender, receiver). */
static int
first_link(uint32_t type, enum role *from, enum role *to)
{
	struct msg	 m;
	const char	*why;
	int		 f, t;

	for (f = ROLE_PACKETD; f < ROLE_MAX; f++)
		for (t = ROLE_PACKETD; t < ROLE_MAX; t++) {
			if (f == t)
				continue;
			build(&m, type);
			if (carries_fd(type))
				msg_set_fd(&m, open("/dev/null",
				    O_RDONLY | O_CLOEXEC));
			if (msg_check(&m, t, f, &why) == 0) {
				msg_close_fd(&m);
				*from = f;
				*to = t;
				return 1;
			}
		}
	return 0;
}

static void
test_roundtrip_every_type(void)
{
	struct msg	 m, r;
	const char	*why = NULL;
	enum role	 from = ROLE_NONE, to = ROLE_NONE;
	uint32_t	 type;

	for (type = 1; type < MSG_TYPE_MAX; type++) {
		T_CHECK(strcmp(msg_type_name(type), "MSG_UNKNOWN") != 0);
		T_CHECK(first_link(type, &from, &to));
		pair();
		build(&m, type);
		if (carries_fd(type))
			msg_set_fd(&m, open("/dev/null", O_RDONLY | O_CLOEXEC));
		T_EQ_INT(msg_send(sp[0], &m), 0);
		msg_close_fd(&m);
		T_EQ_INT(msg_recv(sp[1], &r), 1);
		T_EQ_INT(msg_check(&r, to, from, &why), 0);
		T_EQ_INT(r.len, m.len);
		T_CHECK(memcmp(r.buf, m.buf, m.len) == 0);
		T_EQ_INT(msg_type(&r), type);
		T_EQ_INT(msg_id(&r), 0x1234);
		T_EQ_INT(r.fd >= 0, carries_fd(type));
		if (type == MSG_LOG)
			T_EQ_STR(msg_get_str(&r, ATTR_TEXT), "a log line");
		if (type == MSG_FILE)
			T_EQ_STR(msg_get_str(&r, ATTR_FILE_NAME), "0001.json");
		msg_close_fd(&r);
		unpair();
	}
}

/* Every attribute a type allows, at once, passes the gate. */
static void
test_all_attributes(void)
{
	struct msg	 m;
	const char	*why = NULL;
	enum role	 from = ROLE_NONE, to = ROLE_NONE;
	uint32_t	 type;

	for (type = 1; type < MSG_TYPE_MAX; type++) {
		if (!first_link(type, &from, &to))
			continue;
		build(&m, type);
		add_attrs(&m, msg_attrs_allowed(type) &
		    ~msg_attrs_required(type) & ~ATTR_BIT(ATTR_TEXT) &
		    ~ATTR_BIT(ATTR_FILE_NAME));
		if (carries_fd(type))
			msg_set_fd(&m, open("/dev/null", O_RDONLY | O_CLOEXEC));
		T_EQ_INT(msg_check(&m, to, from, &why), 0);
		msg_close_fd(&m);
	}
}

static void
test_hello_body(void)
{
	struct msg		 m;
	struct msg_hello	 h = { TATTLE_PROTO_VERSION, ROLE_RULED, 42,
				    0 };
	struct msg_hello	 out;
	const char		*why;

	msg_init(&m, MSG_HELLO, 0);
	T_EQ_INT(msg_set_body(&m, &h, sizeof(h)), 0);
	T_EQ_INT(msg_check(&m, ROLE_PACKETD, ROLE_RULED, &why), 0);
	msg_get_body(&m, &out, sizeof(out));
	T_EQ_INT(out.version, TATTLE_PROTO_VERSION);
	T_EQ_INT(out.role, ROLE_RULED);
	T_EQ_INT(out.pid, 42);
	/* A body of the wrong size is refused when building. */
	msg_init(&m, MSG_HELLO, 0);
	T_EQ_INT(msg_set_body(&m, &h, sizeof(h) - 1), -1);
}

/* Check m as received by packetd from ruled; want the given reason. */
static void
expect_bad(struct msg *m, enum role self, enum role peer, const char *want)
{
	const char	*why = "(none)";

	T_EQ_INT(msg_check(m, self, peer, &why), -1);
	T_EQ_STR(why, want);
	T_EQ_INT(m->fd, -1);
}

static void
set_u32(struct msg *m, size_t off, uint32_t v)
{
	memcpy(m->buf + off, &v, sizeof(v));
}

static void
test_malformed(void)
{
	struct msg	 m;
	uint16_t	 t, l;
	size_t		 base;

	/* Truncated header. */
	build(&m, MSG_LOG);
	m.len = 10;
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED, "truncated header");

	/* Length field larger than what arrived (a truncated datagram). */
	build(&m, MSG_LOG);
	m.len -= 3;
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED,
	    "length field does not match the datagram");

	/* Length field smaller than what arrived. */
	build(&m, MSG_LOG);
	set_u32(&m, offsetof(struct msg_hdr, len), m.len - 1);
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED,
	    "length field does not match the datagram");

	/* Unknown flags. */
	build(&m, MSG_PING);
	set_u32(&m, offsetof(struct msg_hdr, flags), 1);
	expect_bad(&m, ROLE_RULED, ROLE_PACKETD, "unknown flags");

	/* Unknown types: zero, past the end, and a gap. */
	build(&m, MSG_PING);
	set_u32(&m, 0, 0);
	expect_bad(&m, ROLE_RULED, ROLE_PACKETD, "unknown type");
	build(&m, MSG_PING);
	set_u32(&m, 0, MSG_TYPE_MAX);
	expect_bad(&m, ROLE_RULED, ROLE_PACKETD, "unknown type");
	build(&m, MSG_PING);
	set_u32(&m, 0, 0xffffffffu);
	expect_bad(&m, ROLE_RULED, ROLE_PACKETD, "unknown type");

	/* Wrong direction: a child may not ping packetd, nor log to ruled. */
	build(&m, MSG_PING);
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED,
	    "type not allowed in this direction");
	build(&m, MSG_LOG);
	expect_bad(&m, ROLE_RULED, ROLE_PACKETD,
	    "type not allowed in this direction");
	build(&m, MSG_TEST_HOOK);
	expect_bad(&m, ROLE_PACKETD, ROLE_PROMPTD,
	    "type not allowed in this direction");

	/* Body shorter than the type's. */
	msg_init(&m, MSG_PING, 0);
	memset(m.buf + m.len, 0, 8);
	m.len += 8;
	set_u32(&m, offsetof(struct msg_hdr, len), m.len);
	expect_bad(&m, ROLE_RULED, ROLE_PACKETD, "truncated body");

	/* Trailing garbage after the body is not an attribute. */
	build(&m, MSG_PING);
	m.buf[m.len++] = 1;
	set_u32(&m, offsetof(struct msg_hdr, len), m.len);
	expect_bad(&m, ROLE_RULED, ROLE_PACKETD,
	    "truncated attribute header");

	/* An attribute whose length runs past the end. */
	build(&m, MSG_LOG);
	base = sizeof(struct msg_hdr) + msg_body_size(MSG_LOG);
	l = 200;
	memcpy(m.buf + base + 2, &l, 2);
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED,
	    "attribute runs past the end");

	/* Missing NUL and an interior NUL. */
	build(&m, MSG_LOG);
	m.buf[m.len - 1] = 'x';
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED,
	    "string attribute not NUL-terminated");
	build(&m, MSG_LOG);
	m.buf[base + 4 + 1] = '\0';
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED,
	    "string attribute with an interior NUL");
	/* An empty string attribute has no room for its NUL. */
	msg_init(&m, MSG_LOG, 0);
	msg_set_body(&m, (struct msg_log[]){ { 3, 0 } },
	    sizeof(struct msg_log));
	msg_add_attr(&m, ATTR_TEXT, "", 0);
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED,
	    "string attribute not NUL-terminated");

	/* An attribute the type does not carry; an unknown attribute. */
	build(&m, MSG_LOG);
	msg_add_str(&m, ATTR_ROLE_NAME, "ruled");
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED,
	    "attribute not allowed for this type");
	build(&m, MSG_LOG);
	t = 63;
	l = 0;
	memcpy(m.buf + m.len, &t, 2);
	memcpy(m.buf + m.len + 2, &l, 2);
	m.len += 4;
	set_u32(&m, offsetof(struct msg_hdr, len), m.len);
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED,
	    "attribute not allowed for this type");

	/* A duplicate of a non-repeatable attribute. */
	build(&m, MSG_LOG);
	msg_add_str(&m, ATTR_TEXT, "again");
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED, "duplicate attribute");

	/* A required attribute missing. */
	msg_init(&m, MSG_LOG, 0);
	msg_set_body(&m, (struct msg_log[]){ { 3, 0 } },
	    sizeof(struct msg_log));
	expect_bad(&m, ROLE_PACKETD, ROLE_RULED, "required attribute missing");

	/* An attribute over its size bound. */
	{
		static char	 big[5000];

		memset(big, 'a', sizeof(big) - 1);
		build(&m, MSG_PING);
		msg_init(&m, MSG_LOG, 0);
		msg_set_body(&m, (struct msg_log[]){ { 3, 0 } },
		    sizeof(struct msg_log));
		T_EQ_INT(msg_add_str(&m, ATTR_TEXT, big), 0);
		expect_bad(&m, ROLE_PACKETD, ROLE_RULED, "attribute too long");
	}
}

/* Too many attributes: more than MAX_ATTRS of a repeatable kind. */
static void
test_bad_counts(void)
{
	struct msg	 m;
	int		 i;

	build(&m, MSG_LOG);
	for (i = 0; i < MAX_ATTRS + 1; i++) {
		uint16_t	 t = ATTR_TEXT, l = 0;

		memcpy(m.buf + m.len, &t, 2);
		memcpy(m.buf + m.len + 2, &l, 2);
		m.len += 4;
	}
	set_u32(&m, offsetof(struct msg_hdr, len), m.len);
	/* The first extra one is already a duplicate; both are refused. */
	T_EQ_INT(msg_check(&m, ROLE_PACKETD, ROLE_RULED,
	    &(const char *){ NULL }), -1);
}

static void
test_oversized(void)
{
	static uint8_t	 big[MAX_MSGSIZE + 100];
	struct msg	 r;

	pair();
	memset(big, 0, sizeof(big));
	T_EQ_INT(send(sp[0], big, sizeof(big), 0), (ssize_t)sizeof(big));
	errno = 0;
	T_EQ_INT(msg_recv(sp[1], &r), -1);
	T_EQ_INT(errno, EMSGSIZE);
	/* Nothing to read: EAGAIN; after close: EOF. */
	T_EQ_INT(msg_recv(sp[1], &r), -1);
	T_EQ_INT(errno, EAGAIN);
	close(sp[0]);
	T_EQ_INT(msg_recv(sp[1], &r), 0);
	close(sp[1]);
}

static int
fd_is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

/* A descriptor on a type that carries none is closed and refused. */
static void
test_unexpected_fd(void)
{
	struct msg	 m, r;
	const char	*why = NULL;
	int		 fd;

	pair();
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	build(&m, MSG_PING);
	msg_set_fd(&m, fd);
	T_EQ_INT(msg_send(sp[0], &m), 0);
	close(fd);
	T_EQ_INT(msg_recv(sp[1], &r), 1);
	T_CHECK(r.fd >= 0);
	fd = r.fd;
	T_EQ_INT(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	T_EQ_INT(msg_check(&r, ROLE_RULED, ROLE_PACKETD, &why), -1);
	T_EQ_STR(why, "unexpected file descriptor");
	T_CHECK(!fd_is_open(fd));
	unpair();
}

/* A type that carries a descriptor, sent without one. */
static void
test_missing_fd(void)
{
	struct msg	 m;

	build(&m, MSG_FILE);
	expect_bad(&m, ROLE_RULED, ROLE_PACKETD, "file descriptor missing");
}

/* Two descriptors in one message: refused at receipt, both closed. */
static void
test_two_fds(void)
{
	struct msghdr	 mh;
	struct iovec	 iov;
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(2 * sizeof(int))];
	} cbuf;
	struct cmsghdr	*cm;
	struct msg	 m, r;
	int		 fds[2];

	pair();
	build(&m, MSG_PING);
	fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	fds[1] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	memset(&mh, 0, sizeof(mh));
	memset(&cbuf, 0, sizeof(cbuf));
	iov.iov_base = m.buf;
	iov.iov_len = m.len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf.buf;
	mh.msg_controllen = sizeof(cbuf.buf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	T_EQ_INT(sendmsg(sp[0], &mh, 0), (ssize_t)m.len);
	close(fds[0]);
	close(fds[1]);
	errno = 0;
	T_EQ_INT(msg_recv(sp[1], &r), -1);
	T_EQ_INT(errno, EMSGSIZE);
	/* The received copies took the lowest free numbers; they are gone. */
	T_CHECK(!fd_is_open(fds[0]));
	T_CHECK(!fd_is_open(fds[1]));
	unpair();
}

/* The HELLO handshake: first, once, right version and role. */
static void
test_handshake(void)
{
	struct chan	 a, b;
	struct msg	 m;
	const char	*why = NULL;

	pair();
	chan_init(&a, sp[0], ROLE_RULED, ROLE_PACKETD);
	chan_init(&b, sp[1], ROLE_PACKETD, ROLE_RULED);
	/* A log line may come first; anything else before HELLO is a
	 * violation. */
	build(&m, MSG_LOG);
	T_EQ_INT(chan_send(&a, &m), 0);
	T_EQ_INT(chan_recv(&b, &m, &why), 1);
	T_EQ_INT(b.hello, 0);
	msg_init(&m, MSG_VERDICT, 1);
	msg_set_body(&m, &(struct msg_verdict){ .verdict = VERDICT_ALLOW },
	    sizeof(struct msg_verdict));
	T_EQ_INT(chan_send(&a, &m), 0);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_BAD);
	T_EQ_STR(why, "message before HELLO");
	T_EQ_INT(chan_send_hello(&a), 0);
	T_EQ_INT(chan_recv(&b, &m, &why), 1);
	T_EQ_INT(b.hello, 1);
	T_EQ_INT(b.peer_pid, getpid());
	T_EQ_INT(chan_send_hello(&a), 0);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_BAD);
	T_EQ_STR(why, "second MSG_HELLO (it comes once)");
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	unpair();

	/* A HELLO claiming another role, or another version. */
	pair();
	chan_init(&a, sp[0], ROLE_PROMPTD, ROLE_PACKETD);
	chan_init(&b, sp[1], ROLE_PACKETD, ROLE_RULED);
	T_EQ_INT(chan_send_hello(&a), 0);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_BAD);
	T_EQ_STR(why, "HELLO from the wrong role");
	msg_init(&m, MSG_HELLO, 0);
	msg_set_body(&m, &(struct msg_hello){ TATTLE_PROTO_VERSION + 1,
	    ROLE_RULED, 1, 0 }, sizeof(struct msg_hello));
	T_EQ_INT(msg_send(sp[0], &m), 0);
	chan_init(&b, sp[1], ROLE_PACKETD, ROLE_RULED);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_BAD);
	T_EQ_STR(why, "HELLO with another protocol version");
	unpair();
}

/* A message of type that the peer's checks pass (HELLO: a real one). */
static void
send_valid(struct chan *c, uint32_t type)
{
	struct msg	 m;

	if (type == MSG_HELLO) {
		T_EQ_INT(chan_send_hello(c), 0);
		return;
	}
	build(&m, type);
	T_EQ_INT(chan_send(c, &m), 0);
}

/*
 * The catalogue's RX_ONCE: on its own link, each such type passes once
 * and a second one is refused, naming the type; a new channel starts
 * afresh; other types come any number of times.
 */
static void
test_once(void)
{
	static const uint32_t	 once[] = { MSG_HELLO, MSG_CONFIG, MSG_READY,
				    MSG_TRACE_LAYOUT };
	struct chan		 a, b;
	struct msg		 m;
	enum role		 from = ROLE_NONE, to = ROLE_NONE;
	const char		*why = NULL;
	char			 want[64];
	uint32_t		 type;
	unsigned int		 i, n = 0, round;

	for (type = 1; type < MSG_TYPE_MAX; type++) {
		if (!msg_comes_once(type))
			continue;
		T_CHECK(n < sizeof(once) / sizeof(once[0]) && once[n] == type);
		n++;
	}
	T_EQ_INT(n, sizeof(once) / sizeof(once[0]));
	for (i = 0; i < n; i++) {
		T_CHECK(first_link(once[i], &from, &to));
		snprintf(want, sizeof(want), "second %s (it comes once)",
		    msg_type_name(once[i]));
		for (round = 0; round < 2; round++) {
			pair();
			chan_init(&a, sp[0], from, to);
			chan_init(&b, sp[1], to, from);
			if (once[i] != MSG_HELLO) {
				T_EQ_INT(chan_send_hello(&a), 0);
				T_EQ_INT(chan_recv(&b, &m, &why), 1);
			}
			send_valid(&a, once[i]);
			T_EQ_INT(chan_recv(&b, &m, &why), 1);
			T_EQ_INT(msg_type(&m), once[i]);
			send_valid(&a, once[i]);
			why = NULL;
			T_EQ_INT(chan_recv(&b, &m, &why), CHAN_BAD);
			T_EQ_STR(why, want);
			chan_close(&a);
			chan_close(&b);
		}
	}
	/* A type that may repeat does, on the same channel. */
	pair();
	chan_init(&a, sp[0], ROLE_PACKETD, ROLE_RULED);
	chan_init(&b, sp[1], ROLE_RULED, ROLE_PACKETD);
	T_EQ_INT(chan_send_hello(&a), 0);
	T_EQ_INT(chan_recv(&b, &m, &why), 1);
	T_CHECK(!msg_comes_once(MSG_RULES_LOADED));
	for (i = 0; i < 3; i++) {
		build(&m, MSG_RULES_LOADED);
		T_EQ_INT(chan_send(&a, &m), 0);
		T_EQ_INT(chan_recv(&b, &m, &why), 1);
	}
	chan_close(&a);
	chan_close(&b);
}

/*
 * A body read with another size than the catalogue's is a programming
 * error: the process ends, naming the type and both sizes.
 */
static void
test_body_size(void)
{
	struct msg		 m;
	struct msg_ping		 p;
	char			 out[512];
	ssize_t			 n;
	size_t			 got = 0;
	int			 pfd[2], status;
	pid_t			 pid;

	build(&m, MSG_PING);
	T_EQ_INT(pipe(pfd), 0);
	if ((pid = fork()) == 0) {
		dup2(pfd[1], 2);
		log_init(1, 0);
		msg_get_body(&m, &p, sizeof(p) - 8);
		_exit(0);
	}
	close(pfd[1]);
	while (got < sizeof(out) - 1 &&
	    (n = read(pfd[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(pfd[0]);
	T_EQ_INT(waitpid(pid, &status, 0), pid);
	T_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	T_CHECK(strstr(out, "msg_get_body: MSG_PING: a body of 8 bytes asked "
	    "for, the catalogue says 16") != NULL);
	/* The right size reads the body. */
	memset(&p, 0xff, sizeof(p));
	msg_get_body(&m, &p, sizeof(p));
	T_CHECK(memcmp(&p, m.buf + sizeof(struct msg_hdr), sizeof(p)) == 0);
}

/* A full peer: messages queue in order and flush when it reads. */
static void
test_queue(void)
{
	struct chan	 a, b;
	struct msg	 m;
	const char	*why;
	uint64_t	 i, sent = 0, got = 0;
	struct msg_ping	 p;

	pair();
	chan_init(&a, sp[0], ROLE_PACKETD, ROLE_RULED);
	chan_init(&b, sp[1], ROLE_RULED, ROLE_PACKETD);
	T_EQ_INT(chan_send_hello(&a), 0);
	for (i = 0; i < 5000; i++) {
		msg_init(&m, MSG_PING, 0);
		memset(&p, 0, sizeof(p));
		p.seq = i;
		msg_set_body(&m, &p, sizeof(p));
		if (chan_send(&a, &m) == 0)
			sent++;
	}
	T_EQ_INT(sent, 5000);
	T_CHECK(chan_want_write(&a));
	while (got < 5000) {
		int	 rv = chan_recv(&b, &m, &why);

		if (rv == CHAN_AGAIN) {
			T_EQ_INT(chan_flush(&a), 0);
			continue;
		}
		T_EQ_INT(rv, 1);
		if (msg_type(&m) != MSG_PING)
			continue;
		msg_get_body(&m, &p, sizeof(p));
		T_EQ_INT(p.seq, got);
		got++;
	}
	T_CHECK(!chan_want_write(&a));
	chan_close(&a);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_EOF);
	chan_close(&b);
}

/*
 * Held messages: nothing reaches the peer until they are released or
 * another message goes, and then all come in the order they were given.
 */
static void
test_held(void)
{
	struct chan	 a, b;
	struct msg	 m;
	struct msg_ping	 p;
	const char	*why;
	uint64_t	 i, want = 0;
	int		 rv;

	pair();
	chan_init(&a, sp[0], ROLE_PACKETD, ROLE_RULED);
	chan_init(&b, sp[1], ROLE_RULED, ROLE_PACKETD);
	T_EQ_INT(chan_send_hello(&a), 0);
	T_EQ_INT(chan_recv(&b, &m, &why), 1);
	for (i = 0; i < 6; i++) {
		msg_init(&m, MSG_PING, 0);
		memset(&p, 0, sizeof(p));
		p.seq = i;
		msg_set_body(&m, &p, sizeof(p));
		if (i == 3) {
			/* A plain send takes the three held ones first. */
			T_EQ_INT(chan_send(&a, &m), 0);
			T_EQ_INT(chan_held(&a), 0);
			continue;
		}
		T_EQ_INT(chan_send_later(&a, &m), 0);
		T_CHECK(!chan_want_write(&a));
		if (i < 3) {
			T_EQ_INT(chan_held(&a), i + 1);
			T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
		}
	}
	T_EQ_INT(chan_held(&a), 2);
	for (want = 0; want < 4; want++) {
		T_EQ_INT(chan_recv(&b, &m, &why), 1);
		msg_get_body(&m, &p, sizeof(p));
		T_EQ_INT(p.seq, want);
	}
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	T_EQ_INT(chan_release(&a), 0);
	T_EQ_INT(chan_held(&a), 0);
	T_EQ_INT(chan_release(&a), 0);
	for (; want < 6; want++) {
		rv = chan_recv(&b, &m, &why);
		T_EQ_INT(rv, 1);
		msg_get_body(&m, &p, sizeof(p));
		T_EQ_INT(p.seq, want);
	}
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	chan_close(&a);
	T_EQ_INT(chan_send_later(&a, &m), -1);
	T_EQ_INT(errno, EPIPE);
	chan_close(&b);
}

/*
 * Batched sends: more held messages than one sendmmsg() takes, and one
 * with a descriptor among them, all reach the peer in order.
 */
static void
test_send_many(void)
{
	struct chan	 a, b;
	struct msg	 m;
	struct msg_ping	 p;
	const char	*why;
	uint64_t	 i, n = 2 * CHAN_SEND_BATCH + 3;

	pair();
	chan_init(&a, sp[0], ROLE_PACKETD, ROLE_RULED);
	chan_init(&b, sp[1], ROLE_RULED, ROLE_PACKETD);
	chan_send_many(&a);
	T_EQ_INT(chan_send_hello(&a), 0);
	T_EQ_INT(chan_recv(&b, &m, &why), 1);
	for (i = 0; i < n; i++) {
		if (i == CHAN_SEND_BATCH / 2) {
			/* A descriptor goes alone, between two batches. */
			build(&m, MSG_FILE);
			msg_set_fd(&m, open("/dev/null", O_RDONLY | O_CLOEXEC));
			T_EQ_INT(chan_send_later(&a, &m), 0);
			continue;
		}
		msg_init(&m, MSG_PING, 0);
		memset(&p, 0, sizeof(p));
		p.seq = i;
		msg_set_body(&m, &p, sizeof(p));
		T_EQ_INT(chan_send_later(&a, &m), 0);
	}
	T_EQ_INT(chan_held(&a), n);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	T_EQ_INT(chan_release(&a), 0);
	T_EQ_INT(chan_held(&a), 0);
	T_CHECK(!chan_want_write(&a));
	for (i = 0; i < n; i++) {
		T_EQ_INT(chan_recv(&b, &m, &why), 1);
		if (i == CHAN_SEND_BATCH / 2) {
			T_EQ_INT(msg_type(&m), MSG_FILE);
			T_CHECK(m.fd >= 0);
			msg_close_fd(&m);
			continue;
		}
		msg_get_body(&m, &p, sizeof(p));
		T_EQ_INT(p.seq, i);
	}
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	T_EQ_INT(a.nsent, n + 1);
	chan_close(&a);
	chan_close(&b);
}

/* A ping with sequence number seq, sent raw (not through a channel). */
static void
send_ping(int fd, uint64_t seq)
{
	struct msg	 m;
	struct msg_ping	 p;

	msg_init(&m, MSG_PING, 0);
	memset(&p, 0, sizeof(p));
	p.seq = seq;
	msg_set_body(&m, &p, sizeof(p));
	T_EQ_INT(msg_send(fd, &m), 0);
}

static uint64_t
ping_seq(const struct msg *m)
{
	struct msg_ping	 p;

	msg_get_body(m, &p, sizeof(p));
	return p.seq;
}

/*
 * Two per read: order kept, a descriptor in the second datagram kept,
 * "empty" told once (after the read that found it; the caller polls
 * again), a bad second datagram and EOF reported in their turn.
 */
static void
test_recv_many(void)
{
	static uint8_t	 big[MAX_MSGSIZE + 100];
	struct chan	 a, b;
	struct msg	 m;
	const char	*why;
	uint64_t	 i;

	pair();
	chan_init(&a, sp[0], ROLE_PACKETD, ROLE_RULED);
	chan_init(&b, sp[1], ROLE_RULED, ROLE_PACKETD);
	T_EQ_INT(chan_recv_many(&b), 0);
	T_EQ_INT(chan_send_hello(&a), 0);
	T_EQ_INT(chan_recv(&b, &m, &why), 1);
	/* Found empty: said once, then the socket is read again. */
	send_ping(sp[0], 100);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	T_EQ_INT(chan_recv(&b, &m, &why), 1);
	T_EQ_INT(ping_seq(&m), 100);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	for (i = 0; i < 5; i++) {
		if (i == 3) {
			build(&m, MSG_FILE);
			msg_set_fd(&m, open("/dev/null", O_RDONLY | O_CLOEXEC));
			T_EQ_INT(msg_send(sp[0], &m), 0);
			msg_close_fd(&m);
		} else
			send_ping(sp[0], i);
	}
	for (i = 0; i < 5; i++) {
		T_EQ_INT(chan_recv(&b, &m, &why), 1);
		if (i == 3) {
			T_EQ_INT(msg_type(&m), MSG_FILE);
			T_CHECK(m.fd >= 0);
			msg_close_fd(&m);
		} else
			T_EQ_INT(ping_seq(&m), i);
	}
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	/* A datagram too large, behind a good one: its turn comes. */
	send_ping(sp[0], 7);
	memset(big, 0, sizeof(big));
	T_EQ_INT(send(sp[0], big, sizeof(big), 0), (ssize_t)sizeof(big));
	T_EQ_INT(chan_recv(&b, &m, &why), 1);
	T_EQ_INT(ping_seq(&m), 7);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_BAD);
	T_EQ_STR(why, "oversized message or descriptors");
	/* EOF behind a good one. */
	send_ping(sp[0], 8);
	chan_close(&a);
	T_EQ_INT(chan_recv(&b, &m, &why), 1);
	T_EQ_INT(ping_seq(&m), 8);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_EOF);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_EOF);
	chan_close(&b);
}

/*
 * A paused channel (ruled: a connection waiting for its DNS copy) is
 * not read, not even the second datagram of a two-at-a-time read, and
 * says so without a system call; resumed, it gives what waited, in
 * order.
 */
static void
test_pause(void)
{
	struct chan	 a, b, w;
	struct msg	 m;
	const char	*why;
	uint64_t	 i;

	pair();
	chan_init(&a, sp[0], ROLE_PACKETD, ROLE_RULED);
	chan_init(&b, sp[1], ROLE_RULED, ROLE_PACKETD);
	chan_init(&w, -1, ROLE_RULED, ROLE_ATTRIBUTORD);
	T_EQ_INT(chan_recv_many(&b), 0);
	T_CHECK(chan_want_read(&b));
	T_EQ_INT(chan_send_hello(&a), 0);
	T_EQ_INT(chan_recv(&b, &m, &why), 1);
	for (i = 0; i < 4; i++)
		send_ping(sp[0], i);
	/* What the HELLO's read found behind it: nothing. */
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	/* The first of two read at once; the second waits in the chan. */
	T_EQ_INT(chan_recv(&b, &m, &why), 1);
	T_EQ_INT(ping_seq(&m), 0);
	chan_pause(&b, &w);
	T_CHECK(!chan_want_read(&b));
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	chan_resume(&b);
	T_CHECK(chan_want_read(&b));
	for (i = 1; i < 4; i++) {
		T_EQ_INT(chan_recv(&b, &m, &why), 1);
		T_EQ_INT(ping_seq(&m), i);
	}
	T_EQ_INT(chan_recv(&b, &m, &why), CHAN_AGAIN);
	T_EQ_INT(b.nrecv, 5);
	chan_pause(&b, &w);
	chan_close(&b);
	T_CHECK(chan_want_read(&b));
	chan_close(&a);
}

int
main(void)
{
	test_roundtrip_every_type();
	test_all_attributes();
	test_hello_body();
	test_malformed();
	test_bad_counts();
	test_oversized();
	test_unexpected_fd();
	test_two_fds();
	test_missing_fd();
	test_handshake();
	test_once();
	test_body_size();
	test_queue();
	test_held();
	test_pause();
	test_send_many();
	test_recv_many();
	return t_done("common-msg");
}
