/*
 * dns-bench: what ruled's DNS snooping costs per message.  Batches of
 * BENCH_BATCH distinct exchanges (a query, and a reply with a CNAME and
 * four A records, like a CDN answer) go through the real path:
 *	query:	dns_parse + dnstrack_query + dnscache_add_query
 *	reply:	dns_parse + dnstrack_reply + dnscache_add_reply
 * with fresh addresses every batch, so the cache fills and then evicts.
 * Then address lookups on the full cache, hits and misses.  Prints the
 * best batch and the mean, in ns per message or lookup.  Last, the
 * worst message to parse: 65535 bytes of answers, each walked.
 *
 * usage: dns-bench [rounds]
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dnscache.h"
#include "dnstrack.h"
#include "dnsbuild.h"

#define BENCH_BATCH	4096
#define BENCH_ROUNDS	50

struct bench_x {
	struct conn_tuple	 qt, rt;
	struct db		*q, *r;
};

static uint64_t	 bench_ns(void);
static void	 bench_build(struct bench_x *, uint32_t, uint32_t);
static void	 bench_report(const char *, uint64_t, uint64_t, uint64_t);
static void	 bench_worst(void);

static const uint8_t	 key[HASH_KEY_LEN] = "tattle-dns-bench";
static struct dns_msg	 m;

static uint64_t
bench_ns(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Exchange i of round r: its own client port, id, name and addresses. */
static void
bench_build(struct bench_x *x, uint32_t r, uint32_t i)
{
	char		qname[64], edge[64];
	uint32_t	base = (r * BENCH_BATCH + i) * 4, k;

	snprintf(qname, sizeof(qname), "www%u.example%u.test", i, r);
	snprintf(edge, sizeof(edge), "e%u.cdn.test", i);
	db_tuple(&x->qt, IPPROTO_UDP, "10.0.0.2", (uint16_t)(10000 + i),
	    "10.0.0.1", 53);
	db_reverse(&x->rt, &x->qt);
	db_hdr(x->q, (uint16_t)(r ^ i), 0x0100, 1, 0, 0, 0);
	db_question(x->q, qname, 1);
	db_hdr(x->r, (uint16_t)(r ^ i), 0x8180, 1, 5, 0, 0);
	db_question(x->r, qname, 1);
	db_ptr(x->r, 12);
	db_rrhdr(x->r, DNS_TYPE_CNAME, 300, (uint16_t)(strlen(edge) + 2));
	db_name(x->r, edge);
	for (k = 0; k < 4; k++) {
		db_name(x->r, edge);
		db_rrhdr(x->r, DNS_TYPE_A, 60, 4);
		db_u32(x->r, 0x0b000000u + base + k);
	}
}

static void
bench_report(const char *what, uint64_t best, uint64_t total, uint64_t n)
{
	printf("%-34s best %7.1f ns   mean %7.1f ns\n", what,
	    (double)best / BENCH_BATCH, (double)total / (double)n);
}

/* The most answers one UDP message can hold, 16 bytes each. */
static void
bench_worst(void)
{
	static struct db	 w;
	const char		*why;
	uint64_t		 t0, best = UINT64_MAX, dt;
	uint16_t		 n = 0;
	int			 i;

	db_hdr(&w, 1, 0x8180, 1, 0, 0, 0);
	db_question(&w, "worst.test", 1);
	while (w.n + 16 <= MAX_DNS_MSG) {
		db_ptr(&w, 12);
		db_rrhdr(&w, DNS_TYPE_A, 60, 4);
		db_u32(&w, 0x0d000000u + n++);
	}
	db_set16(&w, 6, n);
	for (i = 0; i < 200; i++) {
		t0 = bench_ns();
		if (dns_parse(w.b, w.n, 0, &m, &why) != 0) {
			fprintf(stderr, "worst: %s\n", why);
			exit(1);
		}
		dt = bench_ns() - t0;
		best = dt < best ? dt : best;
	}
	printf("worst parse: %zu bytes, %u answers (%zu kept)   "
	    "best %7.1f us\n", w.n, n, m.nrr, (double)best / 1000);
}

int
main(int argc, char *argv[])
{
	struct bench_x		*xs;
	struct dnstrack		*t;
	struct dnscache		*c;
	struct dnscache_stats	 cst;
	struct dnstrack_stats	 tst;
	const char		*why;
	uint64_t		 t0, dt, qbest = UINT64_MAX, rbest = UINT64_MAX;
	uint64_t		 qsum = 0, rsum = 0, hbest = UINT64_MAX;
	uint64_t		 mbest = UINT64_MAX, hsum = 0, msum = 0;
	uint64_t		 now = 1;
	uint32_t		 rounds = BENCH_ROUNDS, r, i, uid, hits = 0;
	uint8_t			 a[4];

	if (argc > 1)
		rounds = (uint32_t)strtoul(argv[1], NULL, 10);
	if (rounds == 0)
		rounds = 1;
	if ((xs = calloc(BENCH_BATCH, sizeof(*xs))) == NULL)
		return 1;
	for (i = 0; i < BENCH_BATCH; i++)
		if ((xs[i].q = malloc(sizeof(struct db))) == NULL ||
		    (xs[i].r = malloc(sizeof(struct db))) == NULL)
			return 1;
	t = dnstrack_new(key);
	c = dnscache_new(key);
	if (t == NULL || c == NULL)
		return 1;

	for (r = 0; r < rounds; r++, now += 1000) {
		for (i = 0; i < BENCH_BATCH; i++)
			bench_build(&xs[i], r, i);
		t0 = bench_ns();
		for (i = 0; i < BENCH_BATCH; i++) {
			if (dns_parse(xs[i].q->b, xs[i].q->n, 0, &m,
			    &why) != 0 ||
			    dnstrack_query(t, &xs[i].qt, 1000, &m, now,
			    &why) != 0 ||
			    dnscache_add_query(c, &xs[i].qt, &m, now) != 1) {
				fprintf(stderr, "query %u: %s\n", i, why);
				return 1;
			}
		}
		dt = bench_ns() - t0;
		qsum += dt;
		qbest = dt < qbest ? dt : qbest;
		t0 = bench_ns();
		for (i = 0; i < BENCH_BATCH; i++) {
			if (dns_parse(xs[i].r->b, xs[i].r->n, 0, &m,
			    &why) != 0 ||
			    dnstrack_reply(t, &xs[i].rt, &m, now, &uid,
			    &why) != 0 ||
			    dnscache_add_reply(c, uid, &m, now) != 4) {
				fprintf(stderr, "reply %u: %s\n", i, why);
				return 1;
			}
		}
		dt = bench_ns() - t0;
		rsum += dt;
		rbest = dt < rbest ? dt : rbest;
	}

	/*
	 * Lookups: the second half of the last batch is still cached (5
	 * entries an exchange), 12.0.0.0/8 never was.
	 */
	for (r = 0; r < rounds; r++) {
		t0 = bench_ns();
		for (i = 0; i < BENCH_BATCH; i++) {
			uint32_t j = BENCH_BATCH / 2 + i % (BENCH_BATCH / 2);
			uint32_t v = 0x0b000000u +
			    ((rounds - 1) * BENCH_BATCH + j) * 4 + (i & 3);

			a[0] = v >> 24;
			a[1] = (v >> 16) & 0xff;
			a[2] = (v >> 8) & 0xff;
			a[3] = v & 0xff;
			hits += dnscache_name(c, 1000, AF_INET, a, now) != NULL;
		}
		dt = bench_ns() - t0;
		hsum += dt;
		hbest = dt < hbest ? dt : hbest;
		t0 = bench_ns();
		for (i = 0; i < BENCH_BATCH; i++) {
			uint32_t v = 0x0c000000u + i;

			a[0] = v >> 24;
			a[1] = (v >> 16) & 0xff;
			a[2] = (v >> 8) & 0xff;
			a[3] = v & 0xff;
			hits += dnscache_name(c, 1000, AF_INET, a, now) != NULL;
		}
		dt = bench_ns() - t0;
		msum += dt;
		mbest = dt < mbest ? dt : mbest;
	}

	dnscache_stats(c, &cst);
	dnstrack_stats(t, &tst);
	printf("dns-bench: %u rounds of %d exchanges (1 CNAME + 4 A each)\n",
	    rounds, BENCH_BATCH);
	bench_report("query: parse+track+name", qbest, qsum,
	    (uint64_t)rounds * BENCH_BATCH);
	bench_report("reply: parse+match+cache 4 addrs", rbest, rsum,
	    (uint64_t)rounds * BENCH_BATCH);
	bench_report("lookup, hit", hbest, hsum,
	    (uint64_t)rounds * BENCH_BATCH);
	bench_report("lookup, miss", mbest, msum,
	    (uint64_t)rounds * BENCH_BATCH);
	printf("cache: %llu entries, %llu bytes (bounds %d, %u); "
	    "%llu evicted; %u/%llu lookups hit\n",
	    (unsigned long long)cst.entries, (unsigned long long)cst.bytes,
	    MAX_DNSCACHE_ENTRIES, MAX_DNSCACHE_BYTES,
	    (unsigned long long)cst.evicted, hits,
	    (unsigned long long)rounds * BENCH_BATCH * 2);
	printf("tracker: %llu trusted, %llu pending\n",
	    (unsigned long long)tst.trusted, (unsigned long long)tst.pending);
	bench_worst();
	for (i = 0; i < BENCH_BATCH; i++) {
		free(xs[i].q);
		free(xs[i].r);
	}
	free(xs);
	dnstrack_free(t);
	dnscache_free(c);
	return 0;
}
