/*
 * sha1.h: SHA-1 (FIPS 180-4), for OpenSnitch's process.hash.sha1
 * operand.  Not for anything that needs collision resistance.
 */
#ifndef TATTLE_SHA1_H
#define TATTLE_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_LEN	20
#define SHA1_HEX_LEN	41	/* 40 hex digits and a NUL */

struct sha1_ctx {
	uint32_t	state[5];
	uint64_t	nbytes;		/* total input so far */
	uint8_t		block[64];	/* partial input block */
};

void	sha1_init(struct sha1_ctx *);
void	sha1_update(struct sha1_ctx *, const void *, size_t);
void	sha1_final(struct sha1_ctx *, uint8_t [SHA1_DIGEST_LEN]);
void	sha1_hex(const uint8_t [SHA1_DIGEST_LEN], char [SHA1_HEX_LEN]);

#endif /* TATTLE_SHA1_H */
