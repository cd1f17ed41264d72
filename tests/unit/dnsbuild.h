/*
 * dnsbuild.h: build DNS messages byte by byte for the tests, so that a
 * hostile message says in its source exactly what is wrong with it.
 * Overflowing the buffer stops the test: it is a bug in the test.
 */
#ifndef TATTLE_DNSBUILD_H
#define TATTLE_DNSBUILD_H

#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "dns.h"

#define DB_SIZE		70000

struct db {
	uint8_t	b[DB_SIZE];
	size_t	n;
};

static inline void
db_room(struct db *d, size_t more)
{
	if (d->n + more > sizeof(d->b)) {
		fprintf(stderr, "dnsbuild: message over %d bytes\n", DB_SIZE);
		exit(99);
	}
}

static inline void
db_u8(struct db *d, uint8_t v)
{
	db_room(d, 1);
	d->b[d->n++] = v;
}

static inline void
db_u16(struct db *d, uint16_t v)
{
	db_u8(d, v >> 8);
	db_u8(d, v & 0xff);
}

static inline void
db_u32(struct db *d, uint32_t v)
{
	db_u16(d, v >> 16);
	db_u16(d, v & 0xffff);
}

static inline void
db_bytes(struct db *d, const void *p, size_t len)
{
	db_room(d, len);
	memcpy(d->b + d->n, p, len);
	d->n += len;
}

static inline void
db_hdr(struct db *d, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an,
    uint16_t ns, uint16_t ar)
{
	d->n = 0;
	db_u16(d, id);
	db_u16(d, flags);
	db_u16(d, qd);
	db_u16(d, an);
	db_u16(d, ns);
	db_u16(d, ar);
}

/* Labels of a dotted name, without the final root label. */
static inline void
db_labels(struct db *d, const char *name)
{
	const char	*dot;
	size_t		 l;

	while (*name != '\0') {
		dot = strchr(name, '.');
		l = dot != NULL ? (size_t)(dot - name) : strlen(name);
		db_u8(d, (uint8_t)l);
		db_bytes(d, name, l);
		name += l + (dot != NULL);
	}
}

static inline void
db_name(struct db *d, const char *name)
{
	db_labels(d, name);
	db_u8(d, 0);
}

static inline void
db_ptr(struct db *d, uint16_t off)
{
	db_u16(d, 0xc000 | off);
}

static inline void
db_question(struct db *d, const char *name, uint16_t type)
{
	db_name(d, name);
	db_u16(d, type);
	db_u16(d, 1);
}

/* An RR header after its owner name. */
static inline void
db_rrhdr(struct db *d, uint16_t type, uint32_t ttl, uint16_t rdlen)
{
	db_u16(d, type);
	db_u16(d, 1);
	db_u32(d, ttl);
	db_u16(d, rdlen);
}

static inline void
db_a(struct db *d, const char *owner, uint32_t ttl, uint8_t a, uint8_t b,
    uint8_t c, uint8_t e)
{
	db_name(d, owner);
	db_rrhdr(d, 1, ttl, 4);
	db_u8(d, a);
	db_u8(d, b);
	db_u8(d, c);
	db_u8(d, e);
}

static inline void
db_aaaa(struct db *d, const char *owner, uint32_t ttl, const uint8_t a[16])
{
	db_name(d, owner);
	db_rrhdr(d, 28, ttl, 16);
	db_bytes(d, a, 16);
}

static inline void
db_cname(struct db *d, const char *owner, uint32_t ttl, const char *target)
{
	db_name(d, owner);
	db_rrhdr(d, 5, ttl, (uint16_t)(strlen(target) + 2));
	db_name(d, target);
}

/* Patch the 16-bit field at off (e.g. 6: ANCOUNT). */
static inline void
db_set16(struct db *d, size_t off, uint16_t v)
{
	d->b[off] = v >> 8;
	d->b[off + 1] = v & 0xff;
}

/*
 * dns_parse() on an exact-size heap copy of b, so that ASan sees a read
 * one byte past the message (a larger buffer would hide it).
 */
static inline int
db_parse(const uint8_t *b, size_t n, int flags, struct dns_msg *m,
    const char **why)
{
	uint8_t	*copy = NULL;
	int	 r;

	if (n > 0) {
		if ((copy = malloc(n)) == NULL) {
			fprintf(stderr, "dnsbuild: out of memory\n");
			exit(99);
		}
		memcpy(copy, b, n);
	}
	r = dns_parse(copy, n, flags, m, why);
	free(copy);
	return r;
}

/* A tuple as the packet travels; the family follows the addresses. */
static inline void
db_tuple(struct conn_tuple *t, uint8_t proto, const char *src, uint16_t sport,
    const char *dst, uint16_t dport)
{
	memset(t, 0, sizeof(*t));
	t->family = strchr(src, ':') != NULL ? AF_INET6 : AF_INET;
	t->proto = proto;
	t->sport = sport;
	t->dport = dport;
	if (inet_pton(t->family, src, t->saddr) != 1 ||
	    inet_pton(t->family, dst, t->daddr) != 1) {
		fprintf(stderr, "dnsbuild: bad address %s or %s\n", src, dst);
		exit(99);
	}
}

/* The reply's tuple for a query's. */
static inline void
db_reverse(struct conn_tuple *r, const struct conn_tuple *q)
{
	memcpy(r, q, sizeof(*r));
	memcpy(r->saddr, q->daddr, 16);
	memcpy(r->daddr, q->saddr, 16);
	r->sport = q->dport;
	r->dport = q->sport;
}

#endif /* TATTLE_DNSBUILD_H */
