/*
 * sha1.c: SHA-1 as FIPS 180-4 section 6.1 specifies it, written from
 * the standard's description: 64-byte blocks, an 80-word schedule,
 * four groups of twenty steps, the message length in bits appended
 * big-endian.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "sha1.h"

static uint32_t	sha1_rol(uint32_t, unsigned int);
static uint32_t	sha1_be32(const uint8_t *);
static void	sha1_block(uint32_t [5], const uint8_t [64]);

static uint32_t
sha1_rol(uint32_t x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t
sha1_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
sha1_block(uint32_t h[5], const uint8_t b[64])
{
	uint32_t	w[80], a, bb, c, d, e, f, k, t;
	unsigned int	i;

	for (i = 0; i < 16; i++)
		w[i] = sha1_be32(b + 4 * i);
	for (; i < 80; i++)
		w[i] = sha1_rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16],
		    1);
	a = h[0];
	bb = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (bb & c) | (~bb & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = bb ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (bb & c) | (bb & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = bb ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = sha1_rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = sha1_rol(bb, 30);
		bb = a;
		a = t;
	}
	h[0] += a;
	h[1] += bb;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void
sha1_init(struct sha1_ctx *ctx)
{
	ctx->state[0] = 0x67452301;
	ctx->state[1] = 0xefcdab89;
	ctx->state[2] = 0x98badcfe;
	ctx->state[3] = 0x10325476;
	ctx->state[4] = 0xc3d2e1f0;
	ctx->nbytes = 0;
}

void
sha1_update(struct sha1_ctx *ctx, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 used = ctx->nbytes % 64, take;

	ctx->nbytes += len;
	if (used > 0) {
		take = 64 - used < len ? 64 - used : len;
		memcpy(ctx->block + used, p, take);
		p += take;
		len -= take;
		if (used + take < 64)
			return;
		sha1_block(ctx->state, ctx->block);
	}
	for (; len >= 64; p += 64, len -= 64)
		sha1_block(ctx->state, p);
	memcpy(ctx->block, p, len);
}

void
sha1_final(struct sha1_ctx *ctx, uint8_t out[SHA1_DIGEST_LEN])
{
	uint64_t	bits = ctx->nbytes * 8;
	uint8_t		pad[72];
	size_t		used = ctx->nbytes % 64, n;
	unsigned int	i;

	/* 0x80, zeros to 56 mod 64, the length: 9 to 72 bytes. */
	n = used < 56 ? 56 - used : 120 - used;
	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[n + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_update(ctx, pad, n + 8);
	for (i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(ctx->state[i] >> 24);
		out[4 * i + 1] = (uint8_t)(ctx->state[i] >> 16);
		out[4 * i + 2] = (uint8_t)(ctx->state[i] >> 8);
		out[4 * i + 3] = (uint8_t)ctx->state[i];
	}
}

void
sha1_hex(const uint8_t d[SHA1_DIGEST_LEN], char out[SHA1_HEX_LEN])
{
	static const char	 x[] = "0123456789abcdef";
	unsigned int		 i;

	for (i = 0; i < SHA1_DIGEST_LEN; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[2 * SHA1_DIGEST_LEN] = '\0';
}
