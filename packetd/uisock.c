/*
 * uisock.c: the UI socket.  It lives in a directory that root owns and
 * nobody else can write, so no other user can squat its name; packetd
 * binds it while still root, with mode 0660 and the UI group, and hands
 * the listening descriptor to promptd.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "packetd.h"

#define UISOCK_BACKLOG	16

static int	 uisock_dir(const char *);
static void	 uisock_unlink_stale(int, const char *, const char *);

/*
 * Create the directory if it is missing; refuse it unless it is a real
 * directory owned by root that only root can write.
 */
static int
uisock_dir(const char *dir)
{
	struct stat	 st;
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
	dirfd = uisock_dir(dir);
	uisock_unlink_stale(dirfd, name, cfg->ui_socket);

	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		fatal("UI socket");
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, cfg->ui_socket, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		fatalx("UI socket path too long: %s", cfg->ui_socket);
	/* No moment in which others could connect. */
	old = umask(0177);
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("bind %s", cfg->ui_socket);
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
