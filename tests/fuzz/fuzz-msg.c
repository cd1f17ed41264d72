/*
 * fuzz-msg.c: msg_check(), the gate every process puts in front of the
 * bytes its peers send.  Each input is one datagram (byte 0 says whether
 * a descriptor came with it) and is checked on every link, both ways.
 * What passes must keep msg.h's promises: every attribute inside the
 * datagram, strings NUL-terminated once, required attributes present,
 * no repeat of a single attribute, and a rebuild through the sending
 * API gives the same bytes.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "msg.h"

static void	 fuzz_msg_link(const uint8_t *, size_t, int, enum role,
		    enum role);
static void	 fuzz_msg_props(const struct msg *, enum role, enum role);
static void	 fuzz_msg_rebuild(const struct msg *, enum role, enum role);

static int	 nullfd = -1;
static struct msg	 in, out;

static void
fuzz_msg_props(const struct msg *m, enum role self, enum role peer)
{
	uint32_t	 type = msg_type(m);
	uint64_t	 seen = 0, req = msg_attrs_required(type);
	size_t		 body = msg_body_size(type), len;
	unsigned int	 i, a;
	const char	*s;

	FUZZ_ASSERT(body > 0);
	FUZZ_ASSERT(m->len >= sizeof(struct msg_hdr) + body);
	FUZZ_ASSERT(m->nattrs <= MAX_ATTRS);
	FUZZ_ASSERT((m->fd >= 0) == msg_carries_fd(type));
	for (i = 0; i < m->nattrs; i++) {
		a = m->attrs[i].type;
		FUZZ_ASSERT(a > 0 && a < ATTR_MAX);
		FUZZ_ASSERT(msg_attrs_allowed(type) & ATTR_BIT(a));
		FUZZ_ASSERT(m->attrs[i].off >= sizeof(struct msg_hdr) + body);
		FUZZ_ASSERT((size_t)m->attrs[i].off + m->attrs[i].len <=
		    m->len);
		if (attr_is_string(a)) {
			FUZZ_ASSERT(m->attrs[i].len > 0);
			s = (const char *)m->buf + m->attrs[i].off;
			FUZZ_ASSERT(strlen(s) + 1 == m->attrs[i].len);
		}
		seen |= ATTR_BIT(a);
	}
	FUZZ_ASSERT((seen & req) == req);
	for (a = 1; a < ATTR_MAX; a++) {
		if ((seen & ATTR_BIT(a)) == 0) {
			FUZZ_ASSERT(msg_get_attr(m, a, &len) == NULL);
			FUZZ_ASSERT(msg_attr_count(m, a) == 0);
			continue;
		}
		FUZZ_ASSERT(msg_get_attr(m, a, &len) != NULL);
		if (attr_is_string(a)) {
			for (i = 0; i < msg_attr_count(m, a); i++)
				FUZZ_ASSERT(msg_get_str_n(m, a, i) != NULL);
			FUZZ_ASSERT(msg_get_str_n(m, a, i) == NULL);
		} else
			FUZZ_ASSERT(msg_get_str(m, a) == NULL);
	}
	fuzz_msg_rebuild(m, self, peer);
}

/* Rebuilt with the sender's API, the message is the same bytes. */
static void
fuzz_msg_rebuild(const struct msg *m, enum role self, enum role peer)
{
	uint8_t		 body[MAX_MSGSIZE];
	size_t		 blen = msg_body_size(msg_type(m));
	const char	*why;

	msg_get_body(m, body, blen);
	FUZZ_ASSERT(memcmp(body, m->buf + sizeof(struct msg_hdr), blen) == 0);
	msg_init(&out, msg_type(m), msg_id(m));
	FUZZ_ASSERT(msg_set_body(&out, body, blen) == 0);
	FUZZ_ASSERT(msg_copy_attrs(&out, m, ~0ull) == 0);
	FUZZ_ASSERT(out.len == m->len);
	FUZZ_ASSERT(memcmp(out.buf, m->buf, m->len) == 0);
	if (msg_carries_fd(msg_type(m)))
		msg_set_fd(&out, dup(nullfd));
	FUZZ_ASSERT(msg_check(&out, self, peer, &why) == 0);
	FUZZ_ASSERT(out.nattrs == m->nattrs);
	msg_close_fd(&out);
}

static void
fuzz_msg_link(const uint8_t *data, size_t len, int withfd, enum role self,
    enum role peer)
{
	const char	*why = NULL;

	memcpy(in.buf, data, len);
	in.len = len;
	in.fd = withfd ? dup(nullfd) : -1;
	in.nattrs = 0;
	if (msg_check(&in, self, peer, &why) == -1) {
		FUZZ_ASSERT(why != NULL && *why != '\0');
		FUZZ_ASSERT(in.fd == -1 && in.nattrs == 0);
		return;
	}
	fuzz_msg_props(&in, self, peer);
	msg_close_fd(&in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum role	 self, peer;

	if (nullfd == -1 && (nullfd = open("/dev/null", O_RDONLY |
	    O_CLOEXEC)) == -1)
		abort();
	/* A longer datagram never reaches msg_check(): recvmsg cuts it. */
	if (size < 1 || size - 1 > MAX_MSGSIZE)
		return 0;
	for (self = ROLE_PACKETD; self < ROLE_MAX; self++)
		for (peer = ROLE_PACKETD; peer < ROLE_MAX; peer++)
			if (self != peer)
				fuzz_msg_link(data + 1, size - 1, data[0] & 1,
				    self, peer);
	return 0;
}
