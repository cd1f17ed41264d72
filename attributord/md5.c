/*
 * md5.c: MD5 as RFC 1321 specifies it, written from the RFC's
 * description: 64-byte blocks, four rounds of sixteen steps, the
 * message length in bits appended little-endian.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "md5.h"

static uint32_t	md5_rol(uint32_t, unsigned int);
static uint32_t	md5_le32(const uint8_t *);
static void	md5_block(uint32_t [4], const uint8_t [64]);

/* K[i] = floor(|sin(i + 1)| * 2^32), RFC 1321 section 3.4. */
static const uint32_t md5_k[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Per-round rotation amounts, four per round. */
static const uint8_t md5_s[16] = {
	7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21,
};

static uint32_t
md5_rol(uint32_t x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t
md5_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
md5_block(uint32_t st[4], const uint8_t blk[64])
{
	uint32_t	 m[16], a, b, c, d, f, t;
	unsigned int	 i, g;

	for (i = 0; i < 16; i++)
		m[i] = md5_le32(blk + 4 * i);
	a = st[0];
	b = st[1];
	c = st[2];
	d = st[3];
	for (i = 0; i < 64; i++) {
		switch (i / 16) {
		case 0:
			f = (b & c) | (~b & d);
			g = i;
			break;
		case 1:
			f = (d & b) | (~d & c);
			g = (5 * i + 1) % 16;
			break;
		case 2:
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
			break;
		default:
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
			break;
		}
		t = d;
		d = c;
		c = b;
		b = b + md5_rol(a + f + md5_k[i] + m[g],
		    md5_s[(i / 16) * 4 + i % 4]);
		a = t;
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
}

void
md5_init(struct md5_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->state[0] = 0x67452301;
	ctx->state[1] = 0xefcdab89;
	ctx->state[2] = 0x98badcfe;
	ctx->state[3] = 0x10325476;
}

void
md5_update(struct md5_ctx *ctx, const void *data, size_t len)
{
	const uint8_t	*p = data;
	size_t		 have, n;

	have = ctx->nbytes % 64;
	ctx->nbytes += len;
	if (have > 0) {
		n = 64 - have < len ? 64 - have : len;
		memcpy(ctx->block + have, p, n);
		p += n;
		len -= n;
		if (have + n < 64)
			return;
		md5_block(ctx->state, ctx->block);
	}
	for (; len >= 64; p += 64, len -= 64)
		md5_block(ctx->state, p);
	memcpy(ctx->block, p, len);
}

void
md5_final(struct md5_ctx *ctx, uint8_t out[MD5_DIGEST_LEN])
{
	uint8_t		 pad[72];
	uint64_t	 bits = ctx->nbytes * 8;
	size_t		 padlen, i;

	padlen = 64 - (ctx->nbytes + 8) % 64;	/* 1..64 bytes */
	memset(pad, 0, sizeof(pad));
	pad[0] = 0x80;
	for (i = 0; i < 8; i++)
		pad[padlen + i] = (uint8_t)(bits >> (8 * i));
	md5_update(ctx, pad, padlen + 8);
	for (i = 0; i < 4; i++) {
		out[4 * i] = (uint8_t)ctx->state[i];
		out[4 * i + 1] = (uint8_t)(ctx->state[i] >> 8);
		out[4 * i + 2] = (uint8_t)(ctx->state[i] >> 16);
		out[4 * i + 3] = (uint8_t)(ctx->state[i] >> 24);
	}
	memset(ctx, 0, sizeof(*ctx));
}

void
md5_hex(const uint8_t d[MD5_DIGEST_LEN], char out[MD5_HEX_LEN])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned int		 i;

	for (i = 0; i < MD5_DIGEST_LEN; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 0xf];
	}
	out[2 * MD5_DIGEST_LEN] = '\0';
}

/* Hash everything readable from fd (from its current offset). */
int
md5_fd(int fd, char out[MD5_HEX_LEN])
{
	struct md5_ctx	 ctx;
	uint8_t		 buf[65536], d[MD5_DIGEST_LEN];
	ssize_t		 n;

	md5_init(&ctx);
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		md5_update(&ctx, buf, (size_t)n);
	}
	md5_final(&ctx, d);
	md5_hex(d, out);
	return 0;
}
