/*
 * listdirs.c: the directories that `lists` rules name.  ruled says which
 * directories its rules need; packetd reads their files into sealed
 * memfds, as OpenSnitch picks them (names with a dot, not hidden, no
 * recursion), and reloads a directory's whole set when inotify reports
 * a change in it.  Only directories known before packetd locks itself
 * down can be read: Landlock then allows exactly those.  Only directories
 * under the configured lists roots (ListsRoots) are opened, and through
 * the root with openat2(RESOLVE_BENEATH): no "..", no symlink leads out,
 * whatever ruled (or a UI client's rule) names.  A directory or
 * file that someone besides root and packetd's user could change is
 * refused (memfd_untrusted()): its rules match nothing, and say why.
 */
#include <sys/types.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/openat2.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "packetd.h"
#include "policy.h"

#define LISTDIRS_EVENTS	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
			 IN_DELETE | IN_CREATE)

struct list_dir {
	char	*path;
	int	 fd;		/* -1: missing */
	int	 wd;		/* inotify watch, -1: none */
	int	 changed;	/* reload at the end of this inotify batch */
	char	*refused;	/* why it is not read, or NULL */
};

static struct list_dir	 dirs[PACKETD_MAX_LIST_DIRS];
static size_t		 ndirs;

static struct list_dir	*listdirs_find(const char *);
static struct list_dir	*listdirs_add(struct packetd *, const char *);
static void		 listdirs_send_dir(struct packetd *, struct list_dir *);
static void		 listdirs_send_loaded(struct packetd *, const char *,
			    const char *);
static int		 listdirs_is_list_file(const char *);
static int		 listdirs_open(struct packetd *, const char *, char *,
			    size_t);

static struct list_dir *
listdirs_find(const char *path)
{
	size_t	 i;

	for (i = 0; i < ndirs; i++)
		if (strcmp(dirs[i].path, path) == 0)
			return &dirs[i];
	return NULL;
}

/*
 * A directory under a lists root, opened from the root without leaving
 * it: -1 with errno ENOENT when missing, or -1 with why filled.
 */
static int
listdirs_open(struct packetd *p, const char *path, char *why, size_t whylen)
{
	const char	*roots[MAX_CONF_PATHS];
	struct open_how	 how;
	const char	*rel;
	size_t		 i, rl;
	int		 rfd, fd, saved;

	for (i = 0; i < p->cfg.nlists_roots; i++)
		roots[i] = p->cfg.lists_roots[i];
	if (!policy_list_dir_ok(roots, p->cfg.nlists_roots, path, why,
	    whylen))
		return -1;
	for (i = 0; i < p->cfg.nlists_roots; i++) {
		rl = strlen(roots[i]);
		while (rl > 1 && roots[i][rl - 1] == '/')
			rl--;
		if (strncmp(path, roots[i], rl) == 0 &&
		    (path[rl] == '/' || path[rl] == '\0' || rl == 1))
			break;
	}
	if (i == p->cfg.nlists_roots)
		fatalx("%s: %s: no root", __func__, path);
	if ((rfd = open(roots[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	for (rel = path + rl; *rel == '/'; rel++)
		;
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, rfd, *rel == '\0' ? "." : rel, &how,
	    sizeof(how));
	saved = errno;
	close(rfd);
	if (fd == -1 && saved == EXDEV)
		snprintf(why, whylen, "leads outside the lists root %s (a "
		    "symlink): refused", roots[i]);
	else if (fd == -1 && saved == ENOSYS)
		snprintf(why, whylen, "this kernel has no openat2(2), which "
		    "tattled needs to stay inside the lists roots: refused");
	errno = saved;
	return fd;
}

/* Open and watch a directory; a missing one is remembered as missing. */
static struct list_dir *
listdirs_add(struct packetd *p, const char *path)
{
	struct list_dir	*d;
	char		 why[512];

	if (ndirs >= PACKETD_MAX_LIST_DIRS)
		return NULL;
	d = &dirs[ndirs++];
	if ((d->path = strdup(path)) == NULL)
		fatal(NULL);
	why[0] = '\0';
	d->fd = listdirs_open(p, path, why, sizeof(why));
	d->wd = -1;
	d->refused = NULL;
	if (d->fd == -1 && why[0] != '\0') {
		if ((d->refused = strdup(why)) == NULL)
			fatal(NULL);
		return d;
	}
	if (d->fd != -1 && (d->wd = inotify_add_watch(p->inotifyfd, path,
	    LISTDIRS_EVENTS | IN_ONLYDIR)) == -1)
		log_warn("lists directory %s: cannot watch it; changes need "
		    "a restart", path);
	return d;
}

/* As OpenSnitch's Glob of dir/<star>.<star>: a dot, not hidden. */
static int
listdirs_is_list_file(const char *name)
{
	return name[0] != '.' && strchr(name, '.') != NULL;
}

/*
 * Send every list file of the directory, then LISTS_LOADED: ruled builds
 * the directory's new index from exactly these and swaps it in.
 */
static void
listdirs_send_dir(struct packetd *p, struct list_dir *d)
{
	struct chan	*c = &p->children[ROLE_RULED].chan;
	struct dirent	*de;
	struct msg	 m;
	struct msg_file	 f;
	char		 name[PATH_MAX];
	const char	*why, *error = NULL;
	char		 buf[128];
	struct stat	 st;
	size_t		 size;
	DIR		*dp;
	int		 fd, mfd;

	if (d->refused != NULL)
		error = d->refused;
	else if (d->fd == -1)
		error = "no such directory";
	else if (fstat(d->fd, &st) == -1)
		fatal("lists directory %s", d->path);
	else
		error = memfd_untrusted(p, &st, buf, sizeof(buf));
	if (error == NULL) {
		if ((fd = openat(d->fd, ".", O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) == -1 || (dp = fdopendir(fd)) == NULL)
			fatal("lists directory %s", d->path);
		while ((de = readdir(dp)) != NULL) {
			if (!listdirs_is_list_file(de->d_name))
				continue;
			if ((mfd = memfd_from_file(p, d->fd, de->d_name,
			    MAX_LIST_FILE, &size, &why)) == -1) {
				if (strcmp(why, "is not a regular file: "
				    "refused") != 0)
					log_warnx("%s/%s: %s", d->path,
					    de->d_name, why);
				continue;
			}
			snprintf(name, sizeof(name), "%s/%s", d->path,
			    de->d_name);
			memset(&f, 0, sizeof(f));
			f.kind = FILE_LIST;
			f.size = size;
			msg_init(&m, MSG_FILE, 0);
			msg_set_body(&m, &f, sizeof(f));
			msg_add_str(&m, ATTR_FILE_NAME, name);
			msg_set_fd(&m, mfd);
			if (chan_send(c, &m) == -1)
				fatal("%s: to ruled", __func__);
		}
		closedir(dp);
	}
	listdirs_send_loaded(p, d->path, error);
}

static void
listdirs_send_loaded(struct packetd *p, const char *path, const char *error)
{
	struct msg	 m;

	msg_init(&m, MSG_LISTS_LOADED, 0);
	msg_set_body(&m, &(struct msg_empty){ 0 }, sizeof(struct msg_empty));
	msg_add_str(&m, ATTR_DIR, path);
	if (error != NULL)
		msg_add_str(&m, ATTR_ERROR, error);
	if (chan_send(&p->children[ROLE_RULED].chan, &m) == -1)
		fatal("%s: to ruled", __func__);
}

/*
 * ruled's MSG_LIST_DIRS: every directory its rules name now.  New ones
 * are opened while packetd may still do so; later, a directory it does
 * not know is refused with a message that says why.
 */
void
listdirs_request(struct packetd *p, const struct msg *m)
{
	struct list_dir	*d;
	const char	*path;
	unsigned int	 i, n = msg_attr_count(m, ATTR_DIR);

	for (i = 0; i < n; i++) {
		path = msg_get_str_n(m, ATTR_DIR, i);
		if ((d = listdirs_find(path)) != NULL)
			continue;
		if (p->ready) {
			listdirs_send_loaded(p, path, "tattled reads only the "
			    "lists directories its rules named at start; "
			    "restart it to use this one");
			continue;
		}
		if ((d = listdirs_add(p, path)) == NULL) {
			listdirs_send_loaded(p, path, "too many lists "
			    "directories");
			continue;
		}
		listdirs_send_dir(p, d);
	}
}

/* inotify named a watch that is not the rules directory's. */
void
listdirs_mark_changed(int wd)
{
	size_t	 i;

	for (i = 0; i < ndirs; i++)
		if (dirs[i].wd == wd)
			dirs[i].changed = 1;
}

/* Reload each changed directory once per batch of events. */
void
listdirs_reload_changed(struct packetd *p)
{
	size_t	 i;

	for (i = 0; i < ndirs; i++)
		if (dirs[i].changed) {
			dirs[i].changed = 0;
			log_debug("lists directory %s changed", dirs[i].path);
			listdirs_send_dir(p, &dirs[i]);
		}
}

/* For Landlock: the directories packetd may read from now on. */
size_t
listdirs_dirfds(int *fds, size_t max)
{
	size_t	 i, n = 0;

	for (i = 0; i < ndirs && n < max; i++)
		if (dirs[i].fd != -1)
			fds[n++] = dirs[i].fd;
	return n;
}
