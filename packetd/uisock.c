/*
 * uisock.c: the UI socket.  It lives in a directory that root owns and
 * nobody else can write, below directories nobody but root can change
 * (or sticky, as /tmp), so no other user can squat its name or swap a
 * directory on the way to it; packetd binds it while still root, with
 * mode 0660 and the UI group, and hands the listening descriptor to
 * promptd.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "packetd.h"

#define UISOCK_BACKLOG	16

static int	 uisock_dir(const char *, char *, size_t);
static void	 uisock_check_above(const char *, const char *);
static void	 uisock_unlink_stale(int, const char *, const char *);

/*
 * Every directory above canon (a resolved path) must be root's and
 * writable by root only, or sticky: otherwise its owner or anyone could
 * rename the socket's directory away after the checks and put another
 * in its place.
 */
static void
uisock_check_above(const char *dir, const char *canon)
{
	struct stat	 st;
	char		 path[PATH_MAX];
	char		*slash;

	strlcpy(path, canon, sizeof(path));
	while ((slash = strrchr(path, '/')) != NULL) {
		if (slash == path)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (lstat(path, &st) == -1)
			fatal("UI socket directory %s: %s", dir, path);
		if (!S_ISDIR(st.st_mode) || st.st_uid != 0 ||
		    ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
		    !(st.st_mode & S_ISVTX)))
			fatalx("refusing UI socket directory %s: %s above it "
			    "must belong to root and be writable by root only "
			    "or sticky (owner %u, mode %04o)", dir, path,
			    (unsigned int)st.st_uid,
			    (unsigned int)(st.st_mode & 07777));
		if (slash == path)
			break;
	}
}

/*
 * Create the directory if it is missing; refuse it unless it is a real
 * directory owned by root that only root can write, below directories
 * only root can change.  Its resolved path is left in canon.
 */
static int
uisock_dir(const char *dir, char *canon, size_t canonlen)
{
	struct stat	 st;
	char		 buf[PATH_MAX];
	int		 fd;

	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		fatal("UI socket directory %s", dir);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		fatal("UI socket directory %s (a symlink?)", dir);
	if (fstat(fd, &st) == -1)
		fatal("fstat %s", dir);
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
		fatalx("refusing UI socket directory %s: it must belong to "
		    "root and be writable by root only (owner %u, mode %04o)",
		    dir, (unsigned int)st.st_uid,
		    (unsigned int)(st.st_mode & 07777));
	if (realpath(dir, buf) == NULL)
		fatal("UI socket directory %s", dir);
	uisock_check_above(dir, buf);
	if (strlcpy(canon, buf, canonlen) >= canonlen)
		fatalx("UI socket directory %s: path too long", dir);
	return fd;
}

/* A socket left by an earlier run goes; anything else there is refused. */
static void
uisock_unlink_stale(int dirfd, const char *name, const char *path)
{
	struct stat	 st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		if (errno == ENOENT)
			return;
		fatal("stat %s", path);
	}
	if (!S_ISSOCK(st.st_mode))
		fatalx("refusing to replace %s: it exists and is not a socket",
		    path);
	if (unlinkat(dirfd, name, 0) == -1)
		fatal("unlink stale %s", path);
}

int
uisock_open(const struct tattle_config *cfg, gid_t *gid)
{
	struct sockaddr_un	 sun;
	struct group		*gr;
	char			 dbuf[sizeof(cfg->ui_socket)];
	char			 nbuf[sizeof(cfg->ui_socket)];
	char			 canon[PATH_MAX];
	const char		*dir, *name;
	mode_t			 old;
	int			 dirfd, s;

	if ((gr = getgrnam(cfg->ui_group)) == NULL)
		fatalx("UI group %s does not exist; create it with "
		    "systemd-sysusers (see tattled(8)) or set UIGroup",
		    cfg->ui_group);
	*gid = gr->gr_gid;
	strlcpy(dbuf, cfg->ui_socket, sizeof(dbuf));
	strlcpy(nbuf, cfg->ui_socket, sizeof(nbuf));
	dir = dirname(dbuf);
	name = basename(nbuf);
	dirfd = uisock_dir(dir, canon, sizeof(canon));
	uisock_unlink_stale(dirfd, name, cfg->ui_socket);

	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		fatal("UI socket");
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	/* The path checked, not one an ancestor's symlink could change. */
	if ((size_t)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s%s%s",
	    canon, strcmp(canon, "/") ? "/" : "", name) >= sizeof(sun.sun_path))
		fatalx("UI socket path too long: %s/%s", canon, name);
	/* No moment in which others could connect. */
	old = umask(0177);
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("bind %s", sun.sun_path);
	umask(old);
	if (fchownat(dirfd, name, 0, gr->gr_gid, AT_SYMLINK_NOFOLLOW) == -1 ||
	    fchmodat(dirfd, name, 0660, 0) == -1)
		fatal("set owner and mode of %s", cfg->ui_socket);
	if (listen(s, UISOCK_BACKLOG) == -1)
		fatal("listen %s", cfg->ui_socket);
	close(dirfd);
	log_debug("UI socket %s, group %s", cfg->ui_socket, cfg->ui_group);
	return s;
}
