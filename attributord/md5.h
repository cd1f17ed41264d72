/*
 * md5.h: MD5 (RFC 1321), for OpenSnitch's process.hash.md5 operand.
 * Not for anything that needs collision resistance.
 */
#ifndef TATTLE_MD5_H
#define TATTLE_MD5_H

#include <stddef.h>
#include <stdint.h>

#define MD5_DIGEST_LEN	16
#define MD5_HEX_LEN	33	/* 32 hex digits and a NUL */

struct md5_ctx {
	uint32_t	state[4];
	uint64_t	nbytes;		/* total input so far */
	uint8_t		block[64];	/* partial input block */
};

void	md5_init(struct md5_ctx *);
void	md5_update(struct md5_ctx *, const void *, size_t);
void	md5_final(struct md5_ctx *, uint8_t [MD5_DIGEST_LEN]);
void	md5_hex(const uint8_t [MD5_DIGEST_LEN], char [MD5_HEX_LEN]);
int	md5_fd(int, char [MD5_HEX_LEN]);

#endif /* TATTLE_MD5_H */
