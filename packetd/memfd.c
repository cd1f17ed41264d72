/*
 * memfd.c: a file's bytes in a sealed memfd, the form in which ruled
 * gets rule and list files: it cannot grow, shrink or change while
 * ruled reads it, and ruled needs no right to any path.  Only files and
 * directories that root or packetd's user alone can change are read: a
 * rule or a block list that another user could rewrite would be that
 * user's policy for everyone.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "packetd.h"
#include "sandbox.h"

#define MEMFD_SEALS	(F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | \
			 F_SEAL_SEAL)

static int	 memfd_copy(int, int, size_t, const char **);

/*
 * Why a file or directory is not to be trusted (into buf), or NULL: it
 * must belong to root or packetd's user, and nobody else may write it
 * (a group that is not root's or packetd's neither).
 */
const char *
memfd_untrusted(const struct packetd *p, const struct stat *st, char *buf,
    size_t len)
{
	if (st->st_uid != 0 && st->st_uid != p->own_uid)
		snprintf(buf, len, "belongs to uid %u, not to root or %s: "
		    "refused", (unsigned int)st->st_uid,
		    sandbox_user(ROLE_PACKETD));
	else if (st->st_mode & S_IWOTH)
		snprintf(buf, len, "is writable by everyone (mode %04o): "
		    "refused", (unsigned int)(st->st_mode & 07777));
	else if ((st->st_mode & S_IWGRP) && st->st_gid != 0 &&
	    st->st_gid != p->own_gid)
		snprintf(buf, len, "is writable by group %u (mode %04o): "
		    "refused", (unsigned int)st->st_gid,
		    (unsigned int)(st->st_mode & 07777));
	else
		return NULL;
	return buf;
}

static int
memfd_copy(int from, int to, size_t size, const char **why)
{
	char	 buf[65536];
	size_t	 done = 0;
	ssize_t	 n, w;

	while (done < size) {
		n = read(from, buf, sizeof(buf) < size - done ?
		    sizeof(buf) : size - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			*why = n == 0 ? "shrank while being read" :
			    "read error";
			return -1;
		}
		for (w = 0; w < n; ) {
			ssize_t	 k = write(to, buf + w, n - w);

			if (k == -1) {
				*why = "out of memory for its copy";
				return -1;
			}
			w += k;
		}
		done += n;
	}
	return 0;
}

/*
 * Open name under dirfd without following a symlink and without
 * blocking on a FIFO, check it is a regular file of at most max bytes
 * that only root or packetd's user can change, and copy it into a
 * sealed memfd.  -1 with *why on failure.
 */
int
memfd_from_file(const struct packetd *p, int dirfd, const char *name,
    size_t max, size_t *size, const char **why)
{
	static char	 reason[128];
	struct stat	 st;
	int		 fd, mfd = -1;

	if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1) {
		*why = errno == ELOOP ? "is a symbolic link: refused" :
		    errno == ENOENT ? "vanished" : "cannot be opened";
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		*why = "is not a regular file: refused";
		goto fail;
	}
	if ((*why = memfd_untrusted(p, &st, reason, sizeof(reason))) != NULL)
		goto fail;
	if ((size_t)st.st_size > max) {
		*why = "is too large: refused";
		goto fail;
	}
	if ((mfd = memfd_create("tattle", MFD_CLOEXEC | MFD_ALLOW_SEALING))
	    == -1) {
		*why = "memfd_create failed";
		goto fail;
	}
	if (memfd_copy(fd, mfd, st.st_size, why) == -1)
		goto fail;
	/* The reader starts at offset 0 of this shared description. */
	if (lseek(mfd, 0, SEEK_SET) == -1 ||
	    fcntl(mfd, F_ADD_SEALS, MEMFD_SEALS) == -1) {
		*why = "cannot seal its copy";
		goto fail;
	}
	close(fd);
	*size = st.st_size;
	return mfd;
 fail:
	if (mfd != -1)
		close(mfd);
	close(fd);
	return -1;
}
