/*
 * resolvconf.c: the nameservers this machine uses, for the TATTLE_RESOLVERS
 * alias of the shipped DNS rule.  packetd reads the ResolvConf files
 * (/etc/resolv.conf, and systemd-resolved's list of its upstream servers)
 * at start and whenever inotify reports a change to them, and sends ruled
 * their "nameserver" addresses.  A file is often a symlink (to
 * /run/systemd/resolve/stub-resolv.conf, say) replaced by rename: the
 * directory of the path and the directory of its target are watched, and
 * the target is looked up again on every change.  Landlock lets packetd
 * read those directories only; a target that moves to another directory
 * while tattled runs cannot be read (the log says why) until a restart.
 */
#include <sys/types.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "packetd.h"

#define RESOLV_EVENTS	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
			 IN_DELETE | IN_CREATE)
#define RESOLV_MAX_DIRS	(2 * MAX_CONF_PATHS)
#define RESOLV_MAX_SIZE	(64 * 1024)	/* glibc reads a few lines */

struct resolvconf_dir {
	char	path[PATH_MAX];
	int	fd;		/* O_PATH, for Landlock */
	int	wd;
};

static struct resolvconf_dir	 rdirs[RESOLV_MAX_DIRS];
static size_t			 nrdirs;
static struct msg_resolvers	 last;
static int			 sent, changed, warned_many;

static void	 resolvconf_watch_dir(struct packetd *, const char *);
static void	 resolvconf_watch(struct packetd *, const char *);
static int	 resolvconf_watched(const char *);
static void	 resolvconf_parse(const char *, size_t, const char *,
		    struct msg_resolvers *);
static void	 resolvconf_add(struct msg_resolvers *, const char *,
		    const char *);
static void	 resolvconf_read(struct packetd *);

static int
resolvconf_watched(const char *dir)
{
	size_t	i;

	for (i = 0; i < nrdirs; i++)
		if (strcmp(rdirs[i].path, dir) == 0)
			return 1;
	return 0;
}

static void
resolvconf_watch_dir(struct packetd *p, const char *dir)
{
	struct resolvconf_dir	*d;

	if (resolvconf_watched(dir) || nrdirs >= RESOLV_MAX_DIRS)
		return;
	d = &rdirs[nrdirs];
	if ((d->fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;		/* not there (no resolved): nothing to read */
	if ((d->wd = inotify_add_watch(p->inotifyfd, dir, RESOLV_EVENTS |
	    IN_ONLYDIR)) == -1) {
		log_warn("%s: cannot watch it; resolv.conf changes there need "
		    "a restart", dir);
		close(d->fd);
		return;
	}
	strlcpy(d->path, dir, sizeof(d->path));
	nrdirs++;
}

/* The directory of path, and of what it finally points to. */
static void
resolvconf_watch(struct packetd *p, const char *path)
{
	char	dir[PATH_MAX], real[PATH_MAX], *s;

	strlcpy(dir, path, sizeof(dir));
	if ((s = strrchr(dir, '/')) != NULL)
		*s = '\0';
	resolvconf_watch_dir(p, dir[0] != '\0' ? dir : "/");
	if (realpath(path, real) == NULL)
		return;
	if ((s = strrchr(real, '/')) != NULL)
		*s = '\0';
	resolvconf_watch_dir(p, real[0] != '\0' ? real : "/");
}

/* One "nameserver ADDR" (IPv6 may carry %scope): kept once. */
static void
resolvconf_add(struct msg_resolvers *r, const char *file, const char *text)
{
	struct msg_resolver	 ip;
	char			 a[INET6_ADDRSTRLEN + 1];
	size_t			 i;

	memset(&ip, 0, sizeof(ip));
	strlcpy(a, text, sizeof(a));
	a[strcspn(a, "%")] = '\0';
	if (inet_pton(AF_INET, a, ip.addr) == 1)
		ip.family = 4;
	else if (inet_pton(AF_INET6, a, ip.addr) == 1) {
		ip.family = 6;
		/* IPv4-mapped: as IPv4, as rules see addresses. */
		if (memcmp(ip.addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
			memmove(ip.addr, ip.addr + 12, 4);
			memset(ip.addr + 4, 0, 12);
			ip.family = 4;
		}
	} else {
		log_warnx("%s: nameserver %.64s is not an address; ignored",
		    file, text);
		return;
	}
	for (i = 0; i < r->n; i++)
		if (memcmp(&r->ip[i], &ip, sizeof(ip)) == 0)
			return;
	if (r->n == MAX_RESOLVERS) {
		if (!warned_many++)
			log_warnx("%s: more than %d nameservers; the rest are "
			    "not allowed DNS by TATTLE_RESOLVERS", file,
			    MAX_RESOLVERS);
		return;
	}
	r->ip[r->n++] = ip;
}

/* resolv.conf(5): "nameserver" at the start of a line, blank, address. */
static void
resolvconf_parse(const char *buf, size_t len, const char *file,
    struct msg_resolvers *r)
{
	const char	*line, *end, *s;
	char		 word[128];
	size_t		 n;

	for (line = buf; line < buf + len; line = end + 1) {
		if ((end = memchr(line, '\n', buf + len - line)) == NULL)
			end = buf + len;
		if ((size_t)(end - line) < 11 ||
		    strncmp(line, "nameserver", 10) != 0 ||
		    (line[10] != ' ' && line[10] != '\t'))
			continue;
		for (s = line + 10; s < end && (*s == ' ' || *s == '\t'); s++)
			;
		for (n = 0; s + n < end && s[n] != ' ' && s[n] != '\t' &&
		    s[n] != '\r' && s[n] != '#' && s[n] != ';'; n++)
			;
		if (n == 0 || n >= sizeof(word))
			continue;
		memcpy(word, s, n);
		word[n] = '\0';
		resolvconf_add(r, file, word);
	}
}

/* Read every ResolvConf file; tell ruled when the set changed. */
static void
resolvconf_read(struct packetd *p)
{
	struct msg_resolvers	 r;
	struct msg		 m;
	struct stat		 st;
	char			*buf;
	ssize_t			 n;
	size_t			 i, len;
	int			 fd;

	memset(&r, 0, sizeof(r));
	if ((buf = malloc(RESOLV_MAX_SIZE)) == NULL)
		fatal(NULL);
	for (i = 0; i < p->cfg.nresolv_conf; i++) {
		if ((fd = open(p->cfg.resolv_conf[i], O_RDONLY | O_CLOEXEC |
		    O_NONBLOCK)) == -1) {
			if (errno != ENOENT)
				log_warn("%s", p->cfg.resolv_conf[i]);
			continue;
		}
		if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
			log_warnx("%s: not a regular file; ignored",
			    p->cfg.resolv_conf[i]);
			close(fd);
			continue;
		}
		for (len = 0; len < RESOLV_MAX_SIZE; len += n)
			if ((n = read(fd, buf + len, RESOLV_MAX_SIZE - len)) <=
			    0)
				break;
		close(fd);
		resolvconf_parse(buf, len, p->cfg.resolv_conf[i], &r);
	}
	free(buf);
	if (sent && memcmp(&r, &last, sizeof(r)) == 0)
		return;
	last = r;
	sent = 1;
	msg_init(&m, MSG_RESOLVERS, 0);
	msg_set_body(&m, &r, sizeof(r));
	if (chan_send(&p->children[ROLE_RULED].chan, &m) == -1)
		fatal("%s: to ruled", __func__);
}

/* At start, before the sandbox: watch, read, send. */
void
resolvconf_start(struct packetd *p)
{
	size_t	i;

	for (i = 0; i < p->cfg.nresolv_conf; i++)
		resolvconf_watch(p, p->cfg.resolv_conf[i]);
	resolvconf_read(p);
}

/*
 * inotify named wd: one of ours?  Then read again after this batch.
 * -1: events were lost, read again anyway.
 */
int
resolvconf_mark_changed(int wd)
{
	size_t	i;

	if (wd == -1) {
		changed = 1;
		return 1;
	}
	for (i = 0; i < nrdirs; i++)
		if (rdirs[i].wd == wd) {
			changed = 1;
			return 1;
		}
	return 0;
}

void
resolvconf_reload_changed(struct packetd *p)
{
	if (!changed)
		return;
	changed = 0;
	resolvconf_read(p);
}

/* For Landlock: the directories packetd may read resolv.conf from. */
size_t
resolvconf_dirfds(int *fds, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < nrdirs && n < max; i++)
		fds[n++] = rdirs[i].fd;
	return n;
}
