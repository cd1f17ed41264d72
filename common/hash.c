/*
 * hash.c: SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012), written from the paper: a keyed hash fast on
 * the short inputs tables hash, and whose outputs an attacker who does
 * not know the key cannot predict.
 */
#include <endian.h>
#include <string.h>

#include "hash.h"

static uint64_t	 hash_rotl(uint64_t, int);
static void	 hash_sipround(uint64_t [4]);
static uint64_t	 hash_get64le(const uint8_t *);

static uint64_t
hash_rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

static void
hash_sipround(uint64_t v[4])
{
	v[0] += v[1]; v[1] = hash_rotl(v[1], 13); v[1] ^= v[0];
	v[0] = hash_rotl(v[0], 32);
	v[2] += v[3]; v[3] = hash_rotl(v[3], 16); v[3] ^= v[2];
	v[0] += v[3]; v[3] = hash_rotl(v[3], 21); v[3] ^= v[0];
	v[2] += v[1]; v[1] = hash_rotl(v[1], 17); v[1] ^= v[2];
	v[2] = hash_rotl(v[2], 32);
}

/* Eight bytes as a little-endian word: one load on x86. */
static uint64_t
hash_get64le(const uint8_t *p)
{
	uint64_t	x;

	memcpy(&x, p, sizeof(x));
	return le64toh(x);
}

uint64_t
hash_sip24(const uint8_t key[HASH_KEY_LEN], const void *data, size_t len)
{
	const uint8_t	*p = data;
	uint8_t		 last[8];
	uint64_t	 k0 = hash_get64le(key), k1 = hash_get64le(key + 8);
	uint64_t	 v[4], m;
	size_t		 i, left = len;

	v[0] = k0 ^ 0x736f6d6570736575ULL;
	v[1] = k1 ^ 0x646f72616e646f6dULL;
	v[2] = k0 ^ 0x6c7967656e657261ULL;
	v[3] = k1 ^ 0x7465646279746573ULL;
	for (; left >= 8; p += 8, left -= 8) {
		m = hash_get64le(p);
		v[3] ^= m;
		hash_sipround(v);
		hash_sipround(v);
		v[0] ^= m;
	}
	memset(last, 0, sizeof(last));
	if (left > 0)
		memcpy(last, p, left);
	last[7] = (uint8_t)len;
	m = hash_get64le(last);
	v[3] ^= m;
	hash_sipround(v);
	hash_sipround(v);
	v[0] ^= m;
	v[2] ^= 0xff;
	for (i = 0; i < 4; i++)
		hash_sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
