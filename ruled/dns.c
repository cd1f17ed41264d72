/*
 * dns.c: parse one DNS message that packetd copied from the wire.  The
 * bytes come from anyone who can send a packet from port 53, so every
 * length is checked before the read it guards, compression pointers may
 * only go backwards (so no loop is possible) and their number is capped,
 * and only the header, the one question and the answer section are read.
 * Names keep only bytes a host name may carry: a NUL, a dot inside a
 * label, a control character or a non-ASCII byte is refused, so that no
 * text form can pass for a different name.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dns.h"

static uint16_t	 dns_get16(const uint8_t *);
static uint32_t	 dns_get32(const uint8_t *);
static int	 dns_name_byte_ok(uint8_t);
static const char *dns_name_read(const uint8_t *, size_t, size_t *, char *);
static const char *dns_name_skip(const uint8_t *, size_t, size_t *);
static int	 dns_fail(struct dns_msg *, const char **, const char *, ...)
		    __attribute__((__format__(printf, 3, 4)));
static int	 dns_parse_header(const uint8_t *, size_t, struct dns_msg *,
		    const char **);
static int	 dns_parse_question(const uint8_t *, size_t, size_t *,
		    struct dns_msg *, const char **);
static int	 dns_parse_answer(const uint8_t *, size_t, size_t *, size_t,
		    struct dns_msg *, const char **);
static int	 dns_parse_rdata(const uint8_t *, size_t, uint16_t, size_t,
		    struct dns_rr *, struct dns_msg *, const char **);
static int	 dns_parse_msg(const uint8_t *, size_t, struct dns_msg *,
		    const char **);

static uint16_t
dns_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
dns_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int
dns_name_byte_ok(uint8_t c)
{
	return c > 0x20 && c < 0x7f && c != '.';
}

/*
 * Read the name at *off into out (lower case) and move *off past the
 * name's bytes in place.  A pointer must lead strictly before the start
 * of the run of labels it ends, so each jump lands lower than the last.
 */
static const char *
dns_name_read(const uint8_t *msg, size_t len, size_t *off, char *out)
{
	size_t	 pos = *off, run = *off, wire = 0, n = 0, end = 0, i;
	int	 jumps = 0;
	uint8_t	 c;

	for (;;) {
		if (pos >= len)
			return "runs past the end";
		c = msg[pos];
		if ((c & 0xc0) == 0xc0) {
			size_t	ptr;

			if (pos + 1 >= len)
				return "compression pointer runs past the end";
			ptr = (size_t)(c & 0x3f) << 8 | msg[pos + 1];
			if (ptr < DNS_HDR_LEN)
				return "compression pointer into the header";
			if (ptr > pos)
				return "compression pointer forward";
			if (ptr >= run)
				return "compression pointer loop";
			if (++jumps > MAX_DNS_PTRS)
				return "too many compression pointers";
			if (end == 0)
				end = pos + 2;
			pos = run = ptr;
			continue;
		}
		if (c & 0xc0)
			return "label longer than 63 or of unknown type";
		if (c == 0)
			break;
		if (pos + 1 + c > len)
			return "label runs past the end";
		wire += 1 + (size_t)c;
		if (wire + 1 > MAX_DNS_NAME)
			return "longer than 255 octets";
		if (n > 0)
			out[n++] = '.';
		for (i = 0; i < c; i++) {
			uint8_t	b = msg[pos + 1 + i];

			if (!dns_name_byte_ok(b))
				return "byte not allowed in a host name";
			out[n++] = (b >= 'A' && b <= 'Z') ? b + ('a' - 'A') :
			    (char)b;
		}
		pos += 1 + (size_t)c;
	}
	if (n == 0)
		out[n++] = '.';
	out[n] = '\0';
	*off = end != 0 ? end : pos + 1;
	return NULL;
}

/* Move *off past a name that is not kept: its bytes in place only. */
static const char *
dns_name_skip(const uint8_t *msg, size_t len, size_t *off)
{
	size_t	 pos = *off;
	uint8_t	 c;

	for (;;) {
		if (pos >= len)
			return "runs past the end";
		c = msg[pos];
		if ((c & 0xc0) == 0xc0) {
			if (pos + 1 >= len)
				return "compression pointer runs past the end";
			*off = pos + 2;
			return NULL;
		}
		if (c & 0xc0)
			return "label longer than 63 or of unknown type";
		if (c == 0) {
			*off = pos + 1;
			return NULL;
		}
		if (pos + 1 - *off + c + 1 > MAX_DNS_NAME)
			return "longer than 255 octets";
		pos += 1 + (size_t)c;
	}
}

static int
dns_fail(struct dns_msg *m, const char **why, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(m->err, sizeof(m->err), fmt, ap);
	va_end(ap);
	if (why != NULL)
		*why = m->err;
	return -1;
}

static int
dns_parse_header(const uint8_t *msg, size_t len, struct dns_msg *m,
    const char **why)
{
	uint16_t	qdcount;

	if (len < DNS_HDR_LEN)
		return dns_fail(m, why, "header: %zu of %d bytes", len,
		    DNS_HDR_LEN);
	m->id = dns_get16(msg);
	m->flags = dns_get16(msg + 2);
	qdcount = dns_get16(msg + 4);
	m->ancount = dns_get16(msg + 6);
	if (qdcount != 1)
		return dns_fail(m, why, "header: qdcount %u, want 1", qdcount);
	return 0;
}

static int
dns_parse_question(const uint8_t *msg, size_t len, size_t *off,
    struct dns_msg *m, const char **why)
{
	const char	*e;

	if ((e = dns_name_read(msg, len, off, m->qname)) != NULL)
		return dns_fail(m, why, "question name: %s", e);
	if (len - *off < 4)
		return dns_fail(m, why, "question: type and class truncated");
	m->qtype = dns_get16(msg + *off);
	m->qclass = dns_get16(msg + *off + 2);
	*off += 4;
	return 0;
}

/* The rdata of a kept answer: an address, or a name inside the rdata. */
static int
dns_parse_rdata(const uint8_t *msg, size_t off, uint16_t rdlen, size_t i,
    struct dns_rr *rr, struct dns_msg *m, const char **why)
{
	const char	*e;
	size_t		 end = off;

	if (rr->type == DNS_TYPE_A || rr->type == DNS_TYPE_AAAA) {
		if (rdlen != (rr->type == DNS_TYPE_A ? 4 : 16))
			return dns_fail(m, why, "answer %zu: %s rdlength %u",
			    i, rr->type == DNS_TYPE_A ? "A" : "AAAA", rdlen);
		memcpy(rr->addr, msg + off, rdlen);
		return 0;
	}
	if ((e = dns_name_read(msg, off + rdlen, &end, rr->target)) != NULL)
		return dns_fail(m, why, "answer %zu CNAME target: %s", i, e);
	if (end != off + rdlen)
		return dns_fail(m, why, "answer %zu CNAME target: shorter "
		    "than rdlength", i);
	return 0;
}

/* Answer number i (from 1) at *off: keep it in m->rr[] or count it. */
static int
dns_parse_answer(const uint8_t *msg, size_t len, size_t *off, size_t i,
    struct dns_msg *m, const char **why)
{
	struct dns_rr	*rr = NULL;
	const char	*e;
	size_t		 start = *off;
	uint16_t	 type, class, rdlen;

	if ((e = dns_name_skip(msg, len, off)) != NULL)
		return dns_fail(m, why, "answer %zu name: %s", i, e);
	if (len - *off < 10)
		return dns_fail(m, why, "answer %zu: header truncated", i);
	type = dns_get16(msg + *off);
	class = dns_get16(msg + *off + 2);
	rdlen = dns_get16(msg + *off + 8);
	if (len - *off - 10 < rdlen)
		return dns_fail(m, why, "answer %zu: rdata runs past the end",
		    i);
	if (class == DNS_CLASS_IN && m->nrr < MAX_DNS_ANSWERS &&
	    (type == DNS_TYPE_A || type == DNS_TYPE_AAAA ||
	    type == DNS_TYPE_CNAME)) {
		rr = &m->rr[m->nrr];
		memset(rr, 0, sizeof(*rr));
		rr->type = type;
		rr->ttl = dns_get32(msg + *off + 4);
		if ((e = dns_name_read(msg, len, &start, rr->name)) != NULL)
			return dns_fail(m, why, "answer %zu name: %s", i, e);
		if (dns_parse_rdata(msg, *off + 10, rdlen, i, rr, m, why) == -1)
			return -1;
		m->nrr++;
	} else
		m->nignored++;
	*off += 10 + (size_t)rdlen;
	return 0;
}

static int
dns_parse_msg(const uint8_t *msg, size_t len, struct dns_msg *m,
    const char **why)
{
	size_t	 off = DNS_HDR_LEN, i;

	if (dns_parse_header(msg, len, m, why) == -1)
		return -1;
	if (dns_parse_question(msg, len, &off, m, why) == -1)
		return -1;
	for (i = 1; i <= m->ancount; i++)
		if (dns_parse_answer(msg, len, &off, i, m, why) == -1)
			return -1;
	return 0;
}

/*
 * Parse the message at buf into m.  UDP: buf is the whole payload.  TCP
 * (DNS_PARSE_TCP): buf starts with the length prefix; a message that is
 * not all in buf is DNS_PARTIAL, and bytes after it (the next pipelined
 * message) are left for the caller, who finds them at buf + m->wire_len.
 * Returns 0, or -1 / DNS_PARTIAL with *why set (valid while m is).
 */
int
dns_parse(const uint8_t *buf, size_t len, int flags, struct dns_msg *m,
    const char **why)
{
	size_t	 mlen;

	memset(m, 0, offsetof(struct dns_msg, rr));
	m->err[0] = '\0';
	if (!(flags & DNS_PARSE_TCP)) {
		if (len > MAX_DNS_MSG)
			return dns_fail(m, why, "udp: %zu bytes, more than %d",
			    len, MAX_DNS_MSG);
		m->wire_len = len;
		return dns_parse_msg(buf, len, m, why);
	}
	if (len < 2)
		return dns_fail(m, why, "tcp: length prefix truncated");
	mlen = dns_get16(buf);
	if (len - 2 < mlen) {
		dns_fail(m, why, "tcp: partial message, %zu of %zu bytes",
		    len - 2, mlen);
		return DNS_PARTIAL;
	}
	m->wire_len = 2 + mlen;
	return dns_parse_msg(buf + 2, mlen, m, why);
}
