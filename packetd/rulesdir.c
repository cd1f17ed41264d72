/*
 * rulesdir.c: the rules directory.  packetd reads each rule file (it
 * never parses one) into a sealed memfd and hands it to ruled, at start
 * and whenever inotify says a file was written, renamed in or out, or
 * deleted; an editor's write-to-temp-then-rename is seen as a rename in.
 */
#include <sys/types.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "packetd.h"
#include "sandbox.h"

#define RULESDIR_EVENTS	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | \
			 IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF)

static int	 rulesdir_is_rule(const char *);
static int	 rulesdir_trusted(struct packetd *);
static void	 rulesdir_send(struct packetd *, const char *);
static void	 rulesdir_gone(struct packetd *, const char *);
static int	 rulesdir_cmp(const void *, const void *);

/* OpenSnitch loads every *.json of the directory, hidden ones too. */
static int
rulesdir_is_rule(const char *name)
{
	size_t	 l = strlen(name);

	return l > 5 && strcmp(name + l - 5, ".json") == 0;
}

/*
 * A rules directory that someone besides root and packetd's user can
 * change is refused whole: it could hold anyone's rules.  Checked
 * before every read, as a chmod while running counts too.
 */
static int
rulesdir_trusted(struct packetd *p)
{
	static time_t	 warned;
	struct timespec	 ts;
	struct stat	 st;
	char		 buf[128];
	const char	*why;

	if (fstat(p->rulesfd, &st) == -1)
		fatal("fstat %s", p->cfg.rules_path);
	if ((why = memfd_untrusted(p, &st, buf, sizeof(buf))) == NULL)
		return 1;
	/* Whoever can write there could make a line per file: 1 in 10 s. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (warned == 0 || ts.tv_sec - warned >= 10) {
		warned = ts.tv_sec;
		log_warnx("rules directory %s %s; no rule file is read from "
		    "it (the rules in force stay); fix: chown root or %s, "
		    "chmod go-w", p->cfg.rules_path, why,
		    sandbox_user(ROLE_PACKETD));
	}
	return 0;
}

void
rulesdir_watch(struct packetd *p)
{
	if ((p->inotifyfd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		fatal("inotify_init1");
	if ((p->rules_wd = inotify_add_watch(p->inotifyfd, p->cfg.rules_path,
	    RULESDIR_EVENTS | IN_ONLYDIR | IN_DONT_FOLLOW)) == -1)
		fatal("watch %s", p->cfg.rules_path);
}

static int
rulesdir_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Send every rule file, in byte order of their names (as OpenSnitch's
 * Glob does), then say that this was the whole set: ruled forgets any
 * file it was not sent again.
 */
void
rulesdir_send_all(struct packetd *p)
{
	struct dirent	*de;
	struct msg	 m;
	char		**names = NULL;
	size_t		 n = 0, cap = 0, i;
	DIR		*d;
	int		 fd, trusted;

	if ((fd = openat(p->rulesfd, ".", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1 || (d = fdopendir(fd)) == NULL)
		fatal("read rules directory %s", p->cfg.rules_path);
	trusted = rulesdir_trusted(p);
	while (trusted && (de = readdir(d)) != NULL) {
		if (!rulesdir_is_rule(de->d_name))
			continue;
		if (n >= MAX_RULE_FILES) {
			log_warnx("%s: more than %d rule files; the rest are "
			    "ignored", p->cfg.rules_path, MAX_RULE_FILES);
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((names = reallocarray(names, cap,
			    sizeof(*names))) == NULL)
				fatal(NULL);
		}
		if ((names[n++] = strdup(de->d_name)) == NULL)
			fatal(NULL);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), rulesdir_cmp);
	msg_init(&m, MSG_RULES_BEGIN, 0);
	msg_set_body(&m, &(struct msg_empty){ 0 }, sizeof(struct msg_empty));
	if (chan_send(&p->children[ROLE_RULED].chan, &m) == -1)
		fatal("%s: to ruled", __func__);
	for (i = 0; i < n; i++) {
		rulesdir_send(p, names[i]);
		free(names[i]);
	}
	free(names);
	msg_init(&m, MSG_RULES_LOADED, 0);
	msg_set_body(&m, &(struct msg_empty){ 0 }, sizeof(struct msg_empty));
	if (chan_send(&p->children[ROLE_RULED].chan, &m) == -1)
		fatal("%s: to ruled", __func__);
}

/*
 * One rule file to ruled.  What cannot be read is logged and not sent:
 * the rule it held, if any, stays in force.
 */
static void
rulesdir_send(struct packetd *p, const char *name)
{
	struct msg	 m;
	struct msg_file	 f;
	const char	*why;
	size_t		 size;
	int		 fd;

	if (!rulesdir_trusted(p))
		return;
	if ((fd = memfd_from_file(p, p->rulesfd, name, MAX_RULE_FILE, &size,
	    &why)) == -1) {
		log_warnx("%s/%s: %s; the rule it held stays in force",
		    p->cfg.rules_path, name, why);
		return;
	}
	memset(&f, 0, sizeof(f));
	f.kind = FILE_RULE;
	f.size = size;
	msg_init(&m, MSG_FILE, 0);
	msg_set_body(&m, &f, sizeof(f));
	msg_add_str(&m, ATTR_FILE_NAME, name);
	msg_set_fd(&m, fd);
	if (chan_send(&p->children[ROLE_RULED].chan, &m) == -1)
		fatal("%s: to ruled", __func__);
}

static void
rulesdir_gone(struct packetd *p, const char *name)
{
	struct msg	 m;
	struct msg_file	 f;

	if (!rulesdir_trusted(p))
		return;
	memset(&f, 0, sizeof(f));
	f.kind = FILE_RULE;
	msg_init(&m, MSG_FILE_GONE, 0);
	msg_set_body(&m, &f, sizeof(f));
	msg_add_str(&m, ATTR_FILE_NAME, name);
	if (chan_send(&p->children[ROLE_RULED].chan, &m) == -1)
		fatal("%s: to ruled", __func__);
}

/* Act on what inotify reports; a lost event means a full rescan. */
void
rulesdir_dispatch(struct packetd *p)
{
	char				 buf[16384]
	    __attribute__((__aligned__(__alignof__(struct inotify_event))));
	const struct inotify_event	*ev;
	ssize_t				 n;
	size_t				 off;
	int				 rescan = 0;

	for (;;) {
		n = read(p->inotifyfd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		if (n <= 0)
			fatal("read inotify");
		for (off = 0; off + sizeof(*ev) <= (size_t)n;
		    off += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(buf + off);
			if (ev->mask & IN_Q_OVERFLOW)
				rescan = 1;
			if (ev->wd != p->rules_wd) {
				if (!resolvconf_mark_changed(ev->wd))
					listdirs_mark_changed(ev->wd);
				continue;
			}
			if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)) {
				log_warnx("rules directory %s was moved or "
				    "removed: the rules in force stay, and no "
				    "change is seen until tattled restarts",
				    p->cfg.rules_path);
				continue;
			}
			if (ev->len == 0 || !rulesdir_is_rule(ev->name))
				continue;
			if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
				rulesdir_send(p, ev->name);
			else if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
				rulesdir_gone(p, ev->name);
		}
	}
	if (rescan) {
		log_warnx("inotify lost events; reloading all rules");
		rulesdir_send_all(p);
		resolvconf_mark_changed(-1);
	}
	listdirs_reload_changed(p);
	resolvconf_reload_changed(p);
}
