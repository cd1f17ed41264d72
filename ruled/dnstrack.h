/*
 * dnstrack.h: the DNS queries seen leaving, so that ruled trusts a reply
 * only when it answers one of them: same transaction id, the tuple
 * reversed (reply from the server the query went to, to the client
 * address and port that sent it), same question.  A matched query is
 * consumed.  A query still held for its verdict (dnstrack_ask) matches no
 * reply until it is seen leaving.  Bounds are in dns.h.
 */
#ifndef TATTLE_DNSTRACK_H
#define TATTLE_DNSTRACK_H

#include <stdint.h>

#include "conn.h"
#include "dns.h"

struct dnstrack;

struct dnstrack_stats {
	uint64_t	queries;	/* recorded */
	uint64_t	repeats;	/* a retransmission: deadline renewed */
	uint64_t	expired;	/* unanswered for DNSTRACK_TIMEOUT_MS */
	uint64_t	evicted;	/* gave way to a newer one (bounds) */
	uint64_t	trusted;	/* replies that matched (consumed) */
	uint64_t	untrusted;	/* replies refused */
	uint64_t	pending;	/* now */
};

struct dnstrack	*dnstrack_new(const uint8_t [HASH_KEY_LEN]);
void		 dnstrack_free(struct dnstrack *);
int		 dnstrack_query(struct dnstrack *, const struct conn_tuple *,
		    uint32_t, const struct dns_msg *, uint64_t, const char **);
int		 dnstrack_ask(struct dnstrack *, const struct conn_tuple *,
		    uint32_t, const struct dns_msg *, uint64_t, const char **);
int		 dnstrack_reply(struct dnstrack *, const struct conn_tuple *,
		    const struct dns_msg *, uint64_t, uint32_t *,
		    const char **);
void		 dnstrack_expire(struct dnstrack *, uint64_t);
void		 dnstrack_stats(const struct dnstrack *,
		    struct dnstrack_stats *);

#endif /* TATTLE_DNSTRACK_H */
