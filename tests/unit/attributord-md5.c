/*
 * attributord-md5.c: the digests attributord computes with libmd, as procfs.c
 * calls it (Init, Update in pieces, End to hex): MD5 against the RFC
 * 1321 appendix A.5 test suite, fed whole and in uneven pieces; SHA-1
 * against FIPS 180's examples.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <md5.h>
#include <sha1.h>

#include "t.h"

static void	md5_str(const char *, size_t, char *);
static void	test_rfc(void);
static void	test_pieces(void);
static void	test_fd(void);
static void	test_sha1(void);

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
	MD5_CTX		 ctx;
	size_t		 len = strlen(s), i, n;

	MD5Init(&ctx);
	if (chunk == 0)
		MD5Update(&ctx, (const uint8_t *)s, len);
	else
		for (i = 0; i < len; i += n) {
			n = len - i < chunk ? len - i : chunk;
			MD5Update(&ctx, (const uint8_t *)s + i, n);
		}
	T_CHECK(MD5End(&ctx, hex) == hex);
}

static void
test_rfc(void)
{
	char		 hex[MD5_DIGEST_STRING_LENGTH];
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
	char			 hex[MD5_DIGEST_STRING_LENGTH];
	unsigned int		 i, j;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		for (j = 0; j < sizeof(chunks) / sizeof(chunks[0]); j++) {
			md5_str(vectors[i].in, chunks[j], hex);
			T_EQ_STR(hex, vectors[i].hex);
		}
}

/* A million 'a's (a common extra vector), read from a file. */
static void
test_fd(void)
{
	char	 path[] = "/tmp/tattle-md5-XXXXXX";
	char	 hex[MD5_DIGEST_STRING_LENGTH];
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
	T_CHECK(MD5File(path, hex) == hex);
	T_EQ_STR(hex, "7707d6ae4e027c70eea2a935c2296f21");
	close(fd);
	unlink(path);
	free(buf);
}

/* SHA-1: FIPS 180 examples and a million 'a's, whole and in pieces. */
static void
test_sha1(void)
{
	static const struct {
		const char	*in;
		const char	*hex;
	} v[] = {
		{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
		{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	};
	static const size_t	 chunks[] = { 0, 1, 3, 55, 56, 63, 64, 65 };
	SHA1_CTX		 ctx;
	uint8_t			 a[1000];
	char			 hex[SHA1_DIGEST_STRING_LENGTH];
	size_t			 len, k, n;
	unsigned int		 i, j;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (j = 0; j < sizeof(chunks) / sizeof(chunks[0]); j++) {
			len = strlen(v[i].in);
			SHA1Init(&ctx);
			for (k = 0; k < len; k += n) {
				n = chunks[j] == 0 || len - k < chunks[j] ?
				    len - k : chunks[j];
				SHA1Update(&ctx, (const uint8_t *)v[i].in + k,
				    n);
			}
			T_CHECK(SHA1End(&ctx, hex) == hex);
			T_EQ_STR(hex, v[i].hex);
		}
	memset(a, 'a', sizeof(a));
	SHA1Init(&ctx);
	for (i = 0; i < 1000; i++)
		SHA1Update(&ctx, a, sizeof(a));
	T_CHECK(SHA1End(&ctx, hex) == hex);
	T_EQ_STR(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

int
main(void)
{
	test_rfc();
	test_pieces();
	test_fd();
	test_sha1();
	return t_done("attributord-md5");
}
