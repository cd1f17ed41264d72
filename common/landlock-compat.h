/*
 * landlock-compat.h: Landlock's ABI up to 6, carried here because
 * Debian 12's <linux/landlock.h> (6.1) stops at ABI 2.  Values are the
 * kernel's uapi; they never change once released.
 */
#ifndef TATTLE_LANDLOCK_COMPAT_H
#define TATTLE_LANDLOCK_COMPAT_H

#include <stdint.h>

struct tattle_landlock_ruleset_attr {
	uint64_t	handled_access_fs;
	uint64_t	handled_access_net;	/* ABI 4 */
	uint64_t	scoped;			/* ABI 6 */
};

struct tattle_landlock_path_beneath_attr {
	uint64_t	allowed_access;
	int32_t		parent_fd;
} __attribute__((__packed__));

#define TLL_CREATE_RULESET_VERSION	(1U << 0)
#define TLL_RULE_PATH_BENEATH		1

#define TLL_FS_EXECUTE			(1ULL << 0)
#define TLL_FS_WRITE_FILE		(1ULL << 1)
#define TLL_FS_READ_FILE		(1ULL << 2)
#define TLL_FS_READ_DIR			(1ULL << 3)
#define TLL_FS_REMOVE_DIR		(1ULL << 4)
#define TLL_FS_REMOVE_FILE		(1ULL << 5)
#define TLL_FS_MAKE_CHAR		(1ULL << 6)
#define TLL_FS_MAKE_DIR			(1ULL << 7)
#define TLL_FS_MAKE_REG			(1ULL << 8)
#define TLL_FS_MAKE_SOCK		(1ULL << 9)
#define TLL_FS_MAKE_FIFO		(1ULL << 10)
#define TLL_FS_MAKE_BLOCK		(1ULL << 11)
#define TLL_FS_MAKE_SYM			(1ULL << 12)
#define TLL_FS_REFER			(1ULL << 13)	/* ABI 2 */
#define TLL_FS_TRUNCATE			(1ULL << 14)	/* ABI 3 */
#define TLL_FS_IOCTL_DEV		(1ULL << 15)	/* ABI 5 */

#define TLL_NET_BIND_TCP		(1ULL << 0)	/* ABI 4 */
#define TLL_NET_CONNECT_TCP		(1ULL << 1)

#define TLL_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)	/* ABI 6 */
#define TLL_SCOPE_SIGNAL		(1ULL << 1)

#endif /* TATTLE_LANDLOCK_COMPAT_H */
