/*
 * attr-md5.c: MD5 against the RFC 1321 appendix A.5 test suite, fed
 * whole and in uneven pieces.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "md5.h"
#include "t.h"

static void	md5_str(const char *, size_t, char *);
static void	test_rfc(void);
static void	test_pieces(void);
static void	test_fd(void);

static const struct {
	const char	*in;
	const char	*hex;
} vectors[] = {
	{ "", "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	    "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ "1234567890123456789012345678901234567890123456789012345678901234"
	    "5678901234567890", "57edf4a22be3c955ac49da2e2107b67a" },
};

/* chunk 0: all at once; else in pieces of chunk bytes. */
static void
md5_str(const char *s, size_t chunk, char *hex)
{
	struct md5_ctx	 ctx;
	uint8_t		 d[MD5_DIGEST_LEN];
	size_t		 len = strlen(s), i, n;

	md5_init(&ctx);
	if (chunk == 0)
		md5_update(&ctx, s, len);
	else
		for (i = 0; i < len; i += n) {
			n = len - i < chunk ? len - i : chunk;
			md5_update(&ctx, s + i, n);
		}
	md5_final(&ctx, d);
	md5_hex(d, hex);
}

static void
test_rfc(void)
{
	char		 hex[MD5_HEX_LEN];
	unsigned int	 i;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		md5_str(vectors[i].in, 0, hex);
		T_EQ_STR(hex, vectors[i].hex);
	}
}

static void
test_pieces(void)
{
	static const size_t	 chunks[] = { 1, 3, 63, 64, 65 };
	char			 hex[MD5_HEX_LEN];
	unsigned int		 i, j;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		for (j = 0; j < sizeof(chunks) / sizeof(chunks[0]); j++) {
			md5_str(vectors[i].in, chunks[j], hex);
			T_EQ_STR(hex, vectors[i].hex);
		}
}

/* A million 'a's (a common extra vector) through md5_fd. */
static void
test_fd(void)
{
	char	 path[] = "/tmp/tattle-md5-XXXXXX", hex[MD5_HEX_LEN];
	char	*buf;
	int	 fd;

	buf = malloc(1000000);
	T_CHECK(buf != NULL);
	if (buf == NULL)
		return;
	memset(buf, 'a', 1000000);
	fd = mkstemp(path);
	T_CHECK(fd != -1);
	T_EQ_INT(write(fd, buf, 1000000), 1000000);
	T_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	T_EQ_INT(md5_fd(fd, hex), 0);
	T_EQ_STR(hex, "7707d6ae4e027c70eea2a935c2296f21");
	close(fd);
	unlink(path);
	free(buf);
}

int
main(void)
{
	test_rfc();
	test_pieces();
	test_fd();
	return t_done("attr-md5");
}
