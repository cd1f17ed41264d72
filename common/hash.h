/*
 * hash.h: the one hash of tattle's tables.  Their keys come from others
 * (addresses and ports a packet carries, names a DNS server answers,
 * list entries, pids a user can steer), so the hash is keyed with a
 * secret drawn from getrandom at start: nobody can choose keys that fall
 * in one bucket.
 */
#ifndef TATTLE_HASH_H
#define TATTLE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_KEY_LEN	16	/* SipHash's key: 128 bits */

uint64_t	 hash_sip24(const uint8_t [HASH_KEY_LEN], const void *,
		    size_t);

#endif /* TATTLE_HASH_H */
