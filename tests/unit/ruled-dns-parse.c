/*
 * ruled-dns-parse: the wire parser on well-formed and hostile messages.
 * Each hostile case checks the exact reason dns_parse() gives.
 */
#include <stdint.h>
#include <string.h>

#include "dns.h"
#include "t.h"
#include "dnsbuild.h"

static void	t_hash(void);
static void	t_query(void);
static void	t_reply(void);
static void	t_skipped(void);
static void	t_header(void);
static void	t_labels(void);
static void	t_bytes(void);
static void	t_pointers(void);
static void	t_answers(void);
static void	t_many_answers(void);
static void	t_tcp(void);
static void	t_prefixes(void);
static void	t_mutations(void);
static int	name_ok(const char *);
static const char *fail(const struct db *, int);

static struct dns_msg	m;
static struct db	d;

/* Parse d and return the reason, or "ok". */
static const char *
fail(const struct db *b, int flags)
{
	const char	*why = NULL;
	int		 r;

	r = db_parse(b->b, b->n, flags, &m, &why);
	if (r == 0)
		return "ok";
	T_CHECK(why != NULL && why == m.err);
	return why != NULL ? why : "(none)";
}

/* SipHash-2-4 test vectors from the paper (key 00..0f). */
static void
t_hash(void)
{
	uint8_t	key[16], msg[15];
	int	i;

	for (i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < 15; i++)
		msg[i] = (uint8_t)i;
	T_CHECK(hash_sip24(key, msg, 0) == 0x726fdb47dd0e0e31ULL);
	T_CHECK(hash_sip24(key, msg, 15) == 0xa129ca6149be45e5ULL);
	key[0] = 1;
	T_CHECK(hash_sip24(key, msg, 15) != 0xa129ca6149be45e5ULL);
}

static void
t_query(void)
{
	db_hdr(&d, 0xbeef, 0x0100, 1, 0, 0, 0);
	db_question(&d, "Example.ORG", 28);
	T_EQ_STR(fail(&d, 0), "ok");
	T_EQ_INT(m.id, 0xbeef);
	T_EQ_INT(m.flags, 0x0100);
	T_EQ_STR(m.qname, "example.org");
	T_EQ_INT(m.qtype, 28);
	T_EQ_INT(m.qclass, 1);
	T_EQ_INT(m.nrr, 0);
	T_EQ_INT(m.wire_len, d.n);

	/* The root: a priming query. */
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_u8(&d, 0);
	db_u16(&d, 2);
	db_u16(&d, 1);
	T_EQ_STR(fail(&d, 0), "ok");
	T_EQ_STR(m.qname, ".");

	/* Underscores and hyphens are in real names. */
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_question(&d, "_dmarc.x-y.test", 16);
	T_EQ_STR(fail(&d, 0), "ok");
	T_EQ_STR(m.qname, "_dmarc.x-y.test");
}

/* A compressed reply: a CNAME, then A and AAAA at its target. */
static void
t_reply(void)
{
	static const uint8_t	v6[16] = { 0x20, 1, 0x0d, 0xb8, [15] = 7 };

	db_hdr(&d, 7, 0x8180, 1, 3, 0, 0);
	db_question(&d, "WWW.a.test", 1);		/* name at 12 */
	db_ptr(&d, 12);
	db_rrhdr(&d, DNS_TYPE_CNAME, 100, 6);
	db_labels(&d, "cdn");				/* target at 40 */
	db_ptr(&d, 16);					/* "a.test" */
	db_ptr(&d, 40);
	db_rrhdr(&d, DNS_TYPE_A, 200, 4);
	db_bytes(&d, "\x0a\x00\x00\x01", 4);
	db_ptr(&d, 40);
	db_rrhdr(&d, DNS_TYPE_AAAA, 0xffffffff, 16);
	db_bytes(&d, v6, 16);
	T_EQ_STR(fail(&d, 0), "ok");
	T_EQ_STR(m.qname, "www.a.test");
	T_EQ_INT(m.ancount, 3);
	T_EQ_INT(m.nrr, 3);
	T_EQ_INT(m.nignored, 0);
	T_EQ_INT(m.rr[0].type, DNS_TYPE_CNAME);
	T_EQ_STR(m.rr[0].name, "www.a.test");
	T_EQ_STR(m.rr[0].target, "cdn.a.test");
	T_EQ_INT(m.rr[0].ttl, 100);
	T_EQ_INT(m.rr[1].type, DNS_TYPE_A);
	T_EQ_STR(m.rr[1].name, "cdn.a.test");
	T_CHECK(memcmp(m.rr[1].addr, "\x0a\x00\x00\x01", 4) == 0);
	T_EQ_INT(m.rr[2].type, DNS_TYPE_AAAA);
	T_EQ_INT(m.rr[2].ttl, 0xffffffff);
	T_CHECK(memcmp(m.rr[2].addr, v6, 16) == 0);
}

/* Other types and classes are walked over, not kept. */
static void
t_skipped(void)
{
	db_hdr(&d, 7, 0x8180, 1, 4, 1, 1);
	db_question(&d, "a.test", 1);
	db_ptr(&d, 12);
	db_rrhdr(&d, 16, 60, 4);			/* TXT */
	db_bytes(&d, "\x03" "abc", 4);
	db_ptr(&d, 12);
	db_rrhdr(&d, 15, 60, 4);			/* MX: not read */
	db_bytes(&d, "\x00\x01\xc0\x0c", 4);
	db_ptr(&d, 12);					/* A, class CH */
	db_u16(&d, 1);
	db_u16(&d, 3);
	db_u32(&d, 60);
	db_u16(&d, 4);
	db_bytes(&d, "\x01\x02\x03\x04", 4);
	db_a(&d, "a.test", 60, 10, 0, 0, 9);
	/* Authority and additional sections are never read. */
	db_bytes(&d, "\xff\xff\xff", 3);
	T_EQ_STR(fail(&d, 0), "ok");
	T_EQ_INT(m.nrr, 1);
	T_EQ_INT(m.nignored, 3);
	T_EQ_STR(m.rr[0].name, "a.test");
}

static void
t_header(void)
{
	d.n = 0;
	T_EQ_STR(fail(&d, 0), "header: 0 of 12 bytes");
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	d.n = 11;
	T_EQ_STR(fail(&d, 0), "header: 11 of 12 bytes");
	db_hdr(&d, 1, 0, 0, 0, 0, 0);
	T_EQ_STR(fail(&d, 0), "header: qdcount 0, want 1");
	db_hdr(&d, 1, 0, 2, 0, 0, 0);
	db_question(&d, "a.test", 1);
	db_question(&d, "b.test", 1);
	T_EQ_STR(fail(&d, 0), "header: qdcount 2, want 1");
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_name(&d, "a.test");
	db_u16(&d, 1);
	db_u8(&d, 0);
	T_EQ_STR(fail(&d, 0), "question: type and class truncated");
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_labels(&d, "a.test");
	T_EQ_STR(fail(&d, 0), "question name: runs past the end");
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_u8(&d, 5);
	db_bytes(&d, "abc", 3);
	T_EQ_STR(fail(&d, 0), "question name: label runs past the end");
}

static void
t_labels(void)
{
	char	l63[64], l61[62], name[400];

	memset(l63, 'a', 63);
	l63[63] = '\0';
	memset(l61, 'b', 61);
	l61[61] = '\0';

	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_question(&d, l63, 1);
	T_EQ_STR(fail(&d, 0), "ok");
	T_EQ_INT(strlen(m.qname), 63);

	/* 64 is 0x40: an extended label type, refused like any > 63. */
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_u8(&d, 64);
	for (int i = 0; i < 64; i++)
		db_u8(&d, 'a');
	db_u8(&d, 0);
	db_u32(&d, 0x00010001);
	T_EQ_STR(fail(&d, 0),
	    "question name: label longer than 63 or of unknown type");
	d.b[12] = 0x80;
	T_EQ_STR(fail(&d, 0),
	    "question name: label longer than 63 or of unknown type");

	/* 3 x (1+63) + (1+61) + 1 = 255 octets: the longest name. */
	snprintf(name, sizeof(name), "%s.%s.%s.%s", l63, l63, l63, l61);
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_question(&d, name, 1);
	T_EQ_STR(fail(&d, 0), "ok");
	T_EQ_INT(strlen(m.qname), 253);
	T_EQ_STR(m.qname, name);
	snprintf(name, sizeof(name), "%s.%s.%s.%sb", l63, l63, l63, l61);
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_question(&d, name, 1);
	T_EQ_STR(fail(&d, 0), "question name: longer than 255 octets");
	snprintf(name, sizeof(name), "%s.%s.%s.%s.%s", l63, l63, l63, l63,
	    l63);
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_question(&d, name, 1);
	T_EQ_STR(fail(&d, 0), "question name: longer than 255 octets");
}

/* Bytes that could make one name's text pass for another's. */
static void
t_bytes(void)
{
	static const char	*bad[] = {
		"allowed.test\0evil", "allowed.test", "a b", "a\x1b[2J",
		"\x7f", "\xc3\xa9", NULL
	};
	static const size_t	 badlen[] = { 17, 12, 3, 5, 1, 2 };
	size_t			 i;

	for (i = 0; bad[i] != NULL; i++) {
		db_hdr(&d, 1, 0, 1, 0, 0, 0);
		db_u8(&d, (uint8_t)badlen[i]);		/* one label */
		db_bytes(&d, bad[i], badlen[i]);
		db_u8(&d, 0);
		db_u32(&d, 0x00010001);
		T_EQ_STR(fail(&d, 0),
		    "question name: byte not allowed in a host name");
	}
	/* A backslash is printable and means nothing here: kept. */
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_question(&d, "a\\b.test", 1);
	T_EQ_STR(fail(&d, 0), "ok");
	T_EQ_STR(m.qname, "a\\b.test");
}

static void
t_pointers(void)
{
	size_t	at;
	int	i;

	/* In the question nothing precedes but the header. */
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_ptr(&d, 4);
	db_u32(&d, 0x00010001);
	T_EQ_STR(fail(&d, 0), "question name: compression pointer into "
	    "the header");
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_ptr(&d, 12);
	db_u32(&d, 0x00010001);
	T_EQ_STR(fail(&d, 0), "question name: compression pointer loop");
	db_hdr(&d, 1, 0, 1, 0, 0, 0);
	db_u8(&d, 0xc0);
	T_EQ_STR(fail(&d, 0), "question name: compression pointer runs "
	    "past the end");

	/* An answer owner pointing at itself. */
	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 1);
	at = d.n;
	db_ptr(&d, (uint16_t)at);
	db_rrhdr(&d, 1, 60, 4);
	db_u32(&d, 0x0a000001);
	T_EQ_STR(fail(&d, 0), "answer 1 name: compression pointer loop");

	/* A label, then a pointer back to that label: a loop. */
	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 1);
	at = d.n;
	db_labels(&d, "x");
	db_ptr(&d, (uint16_t)at);
	db_rrhdr(&d, 1, 60, 4);
	db_u32(&d, 0x0a000001);
	T_EQ_STR(fail(&d, 0), "answer 1 name: compression pointer loop");

	/* Forward, and past the end of the message. */
	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 1);
	db_ptr(&d, (uint16_t)(d.n + 12));
	db_rrhdr(&d, 1, 60, 4);
	db_u32(&d, 0x0a000001);
	db_name(&d, "b.test");
	T_EQ_STR(fail(&d, 0), "answer 1 name: compression pointer forward");
	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 1);
	db_ptr(&d, 0x3fff);
	db_rrhdr(&d, 1, 60, 4);
	db_u32(&d, 0x0a000001);
	T_EQ_STR(fail(&d, 0), "answer 1 name: compression pointer forward");

	/*
	 * Two pointers leading to each other: the first jump goes back, the
	 * second would go forward again.
	 */
	db_hdr(&d, 1, 0x8000, 1, 2, 0, 0);
	db_question(&d, "a.test", 1);
	at = d.n;
	db_ptr(&d, (uint16_t)(at + 16));		/* answer 2 owner */
	db_rrhdr(&d, 16, 60, 2);			/* TXT: owner skipped */
	db_u16(&d, 0);
	db_ptr(&d, (uint16_t)at);			/* answer 2 at at+16 */
	db_rrhdr(&d, 1, 60, 4);
	db_u32(&d, 0x0a000001);
	T_EQ_STR(fail(&d, 0), "answer 2 name: compression pointer forward");

	/*
	 * Pointer to pointer: 3 jumps are fine, 33 too many.  The chain sits
	 * in the rdata of a TXT answer (not read), the A owner points at it.
	 */
	for (i = 3; i <= 33; i += 30) {
		size_t	prev = 12, here;
		int	j;

		db_hdr(&d, 1, 0x8000, 1, 2, 0, 0);
		db_question(&d, "a.test", 1);
		db_ptr(&d, 12);
		db_rrhdr(&d, 16, 60, (uint16_t)(2 * (i - 1)));
		for (j = 0; j < i - 1; j++) {
			here = d.n;
			db_ptr(&d, (uint16_t)prev);
			prev = here;
		}
		db_ptr(&d, (uint16_t)prev);
		db_rrhdr(&d, 1, 60, 4);
		db_u32(&d, 0x0a000001);
		if (i == 3) {
			T_EQ_STR(fail(&d, 0), "ok");
			T_EQ_STR(m.rr[0].name, "a.test");
		} else
			T_EQ_STR(fail(&d, 0), "answer 2 name: too many "
			    "compression pointers");
	}
}

static void
t_answers(void)
{
	/* ANCOUNT 65535 on a short message. */
	db_hdr(&d, 1, 0x8000, 1, 65535, 0, 0);
	db_question(&d, "a.test", 1);
	db_a(&d, "a.test", 60, 10, 0, 0, 1);
	T_EQ_STR(fail(&d, 0), "answer 2 name: runs past the end");

	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 1);
	db_ptr(&d, 12);
	db_u16(&d, 1);
	db_u16(&d, 1);
	db_u32(&d, 60);
	T_EQ_STR(fail(&d, 0), "answer 1: header truncated");

	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 1);
	db_ptr(&d, 12);
	db_rrhdr(&d, 1, 60, 4);
	db_u16(&d, 0x0a00);
	T_EQ_STR(fail(&d, 0), "answer 1: rdata runs past the end");

	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 1);
	db_ptr(&d, 12);
	db_rrhdr(&d, 1, 60, 5);
	db_bytes(&d, "\x0a\x00\x00\x01\x02", 5);
	T_EQ_STR(fail(&d, 0), "answer 1: A rdlength 5");

	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 28);
	db_ptr(&d, 12);
	db_rrhdr(&d, 28, 60, 4);
	db_u32(&d, 0x0a000001);
	T_EQ_STR(fail(&d, 0), "answer 1: AAAA rdlength 4");

	/* A CNAME target may not run out of its rdata... */
	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 1);
	db_ptr(&d, 12);
	db_rrhdr(&d, 5, 60, 3);
	db_name(&d, "cdn.test");
	T_EQ_STR(fail(&d, 0), "answer 1 CNAME target: label runs past the "
	    "end");
	/* ...nor end before it. */
	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 1);
	db_ptr(&d, 12);
	db_rrhdr(&d, 5, 60, 12);
	db_name(&d, "cdn.test");
	db_u16(&d, 0);
	T_EQ_STR(fail(&d, 0), "answer 1 CNAME target: shorter than "
	    "rdlength");
	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 1);
	db_ptr(&d, 12);
	db_rrhdr(&d, 5, 60, 0);
	T_EQ_STR(fail(&d, 0), "answer 1 CNAME target: runs past the end");

	/* A bad byte in a kept owner fails the message. */
	db_hdr(&d, 1, 0x8000, 1, 1, 0, 0);
	db_question(&d, "a.test", 1);
	db_a(&d, "a\x01.test", 60, 10, 0, 0, 1);
	T_EQ_STR(fail(&d, 0), "answer 1 name: byte not allowed in a host "
	    "name");
}

/* 1000 answers: all walked, MAX_DNS_ANSWERS kept. */
static void
t_many_answers(void)
{
	int	i;

	db_hdr(&d, 1, 0x8180, 1, 1000, 0, 0);
	db_question(&d, "many.test", 1);
	for (i = 0; i < 1000; i++) {
		db_ptr(&d, 12);
		db_rrhdr(&d, 1, 300, 4);
		db_u32(&d, 0x0a000000u + (uint32_t)i + 1);
	}
	T_EQ_STR(fail(&d, 0), "ok");
	T_EQ_INT(m.ancount, 1000);
	T_EQ_INT(m.nrr, MAX_DNS_ANSWERS);
	T_EQ_INT(m.nignored, 1000 - MAX_DNS_ANSWERS);
	T_CHECK(memcmp(m.rr[MAX_DNS_ANSWERS - 1].addr, "\x0a\x00\x00\x20",
	    4) == 0);
	/* The last one cut short still fails the whole message. */
	d.n -= 1;
	T_EQ_STR(fail(&d, 0), "answer 1000: rdata runs past the end");
}

static void
t_tcp(void)
{
	struct db	one;
	const char	*why;

	db_hdr(&one, 0x4242, 0x8180, 1, 1, 0, 0);
	db_question(&one, "t.test", 1);
	db_a(&one, "t.test", 60, 10, 0, 0, 3);

	d.n = 0;
	db_u16(&d, (uint16_t)one.n);
	db_bytes(&d, one.b, one.n);
	T_EQ_STR(fail(&d, DNS_PARSE_TCP), "ok");
	T_EQ_INT(m.wire_len, one.n + 2);
	T_EQ_INT(m.id, 0x4242);
	T_EQ_INT(m.nrr, 1);

	/* Two pipelined messages in one segment. */
	db_u16(&d, (uint16_t)one.n);
	db_bytes(&d, one.b, one.n);
	d.b[2 + one.n + 2 + 1] = 0x43;		/* 2nd id: 0x4243 */
	T_EQ_STR(fail(&d, DNS_PARSE_TCP), "ok");
	T_EQ_INT(m.id, 0x4242);
	T_EQ_INT(db_parse(d.b + m.wire_len, d.n - m.wire_len,
	    DNS_PARSE_TCP, &m, &why), 0);
	T_EQ_INT(m.id, 0x4243);

	/* A message split across segments: partial, reported as such. */
	d.n = 2 + one.n - 5;
	T_EQ_INT(one.n, 46);
	T_EQ_INT(db_parse(d.b, d.n, DNS_PARSE_TCP, &m, &why), DNS_PARTIAL);
	T_EQ_STR(why, "tcp: partial message, 41 of 46 bytes");
	d.n = 1;
	T_EQ_STR(fail(&d, DNS_PARSE_TCP), "tcp: length prefix truncated");
	d.n = 0;
	T_EQ_STR(fail(&d, DNS_PARSE_TCP), "tcp: length prefix truncated");
	d.n = 0;
	db_u16(&d, 0);
	T_EQ_STR(fail(&d, DNS_PARSE_TCP), "header: 0 of 12 bytes");
	/* The rest of the segment after the prefix is not the message. */
	d.n = 0;
	db_u16(&d, 3);
	db_bytes(&d, one.b, one.n);
	T_EQ_STR(fail(&d, DNS_PARSE_TCP), "header: 3 of 12 bytes");

	/* UDP: one datagram is at most 65535 bytes. */
	memset(d.b, 0, 70000);
	d.n = 70000;
	T_EQ_STR(fail(&d, 0), "udp: 70000 bytes, more than 65535");
}

/* Every proper prefix of a valid reply is refused. */
static void
t_prefixes(void)
{
	struct db	full;
	size_t		n, bad = 0;

	db_hdr(&full, 9, 0x8180, 1, 2, 0, 0);
	db_question(&full, "p.test", 1);
	db_ptr(&full, 12);
	db_rrhdr(&full, 5, 60, 4);
	db_labels(&full, "q");
	db_ptr(&full, 14);
	db_a(&full, "q.test", 60, 10, 0, 0, 4);
	memcpy(&d, &full, sizeof(d));
	T_EQ_STR(fail(&d, 0), "ok");
	for (n = 0; n < full.n; n++) {
		d.n = n;
		if (db_parse(d.b, n, 0, &m, NULL) != -1)
			bad++;
	}
	T_EQ_INT(bad, 0);
}

static int
name_ok(const char *s)
{
	size_t	n = strlen(s);

	if (n == 0 || n > 253)
		return 0;
	for (; *s != '\0'; s++)
		if (*s < 0x21 || *s > 0x7e || (*s >= 'A' && *s <= 'Z'))
			return 0;
	return 1;
}

/*
 * Random corruption of a valid reply (fixed seed, bounded count): every
 * result is 0 or -1, and whatever parses holds only allowed names.
 * ASan/UBSan builds turn any stray read into a failure here.
 */
static void
t_mutations(void)
{
	struct db	full;
	uint32_t	seed = 0x5eed;
	size_t		i, j, ok = 0, badres = 0, badname = 0;
	int		r;

	db_hdr(&full, 9, 0x8180, 1, 3, 0, 0);
	db_question(&full, "m.test", 1);
	db_ptr(&full, 12);
	db_rrhdr(&full, 5, 60, 4);
	db_labels(&full, "z");
	db_ptr(&full, 14);
	db_ptr(&full, 36);
	db_rrhdr(&full, 1, 60, 4);
	db_u32(&full, 0x0a000001);
	db_ptr(&full, 36);
	db_rrhdr(&full, 28, 60, 16);
	db_bytes(&full, "0123456789abcdef", 16);
	memcpy(&d, &full, sizeof(d));
	T_EQ_STR(fail(&d, 0), "ok");
	T_EQ_INT(m.nrr, 3);
	T_EQ_STR(m.rr[0].target, "z.test");
	T_EQ_STR(m.rr[2].name, "z.test");
	for (i = 0; i < 200000; i++) {
		memcpy(d.b, full.b, full.n);
		d.n = full.n;
		for (j = 0; j < 1 + i % 4; j++) {
			seed = seed * 1103515245 + 12345;
			d.b[(seed >> 8) % full.n] = (uint8_t)(seed >> 20);
		}
		if (i % 7 == 0)
			d.n = (seed >> 4) % (full.n + 1);
		r = db_parse(d.b, d.n, 0, &m, NULL);
		if (r != 0 && r != -1)
			badres++;
		if (r != 0)
			continue;
		ok++;
		if (!name_ok(m.qname))
			badname++;
		for (j = 0; j < m.nrr; j++)
			if (!name_ok(m.rr[j].name) ||
			    (m.rr[j].type == DNS_TYPE_CNAME &&
			    !name_ok(m.rr[j].target)))
				badname++;
	}
	T_EQ_INT(badres, 0);
	T_EQ_INT(badname, 0);
	T_CHECK(ok > 0);
}

int
main(void)
{
	t_hash();
	t_query();
	t_reply();
	t_skipped();
	t_header();
	t_labels();
	t_bytes();
	t_pointers();
	t_answers();
	t_many_answers();
	t_tcp();
	t_prefixes();
	t_mutations();
	return t_done("ruled-dns-parse");
}
