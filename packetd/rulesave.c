/*
 * rulesave.c: packetd writes and removes rule files for ruled, and only
 * in the rules directory it holds open: a name that could leave it is
 * refused, a file is written to a temporary name with O_EXCL and
 * O_NOFOLLOW, synced, then renamed over; inotify then reloads it like
 * any rule an editor wrote.  Files are 0640: the installed directory is
 * setgid to the UI group, whose members may read (tattle check).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "packetd.h"
#include "rulefile.h"

static uint32_t	 rulesave_write(struct packetd *, const char *, const void *,
		    size_t);
static uint32_t	 rulesave_unlink(struct packetd *, const char *);
static void	 rulesave_reply(struct packetd *, uint32_t, uint32_t);

static uint32_t
rulesave_write(struct packetd *p, const char *name, const void *json,
    size_t len)
{
	char	 tmp[MAX_RULEFILE_NAME + 16];
	int	 fd, tries;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	for (tries = 0; ; tries++) {
		fd = openat(p->rulesfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0640);
		if (fd != -1 || errno != EEXIST || tries > 0)
			break;
		/* Left by a write that died half way. */
		(void)unlinkat(p->rulesfd, tmp, 0);
	}
	if (fd == -1) {
		log_warn("rules directory: %s", tmp);
		return RES_INTERNAL;
	}
	if (write(fd, json, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd) == -1) {
		log_warn("rules directory: writing %s", tmp);
		close(fd);
		(void)unlinkat(p->rulesfd, tmp, 0);
		return RES_INTERNAL;
	}
	close(fd);
	if (renameat(p->rulesfd, tmp, p->rulesfd, name) == -1) {
		log_warn("rules directory: %s", name);
		(void)unlinkat(p->rulesfd, tmp, 0);
		return RES_INTERNAL;
	}
	log_info("rule file %s written", name);
	return RES_OK;
}

static uint32_t
rulesave_unlink(struct packetd *p, const char *name)
{
	if (unlinkat(p->rulesfd, name, 0) == -1) {
		if (errno == ENOENT)
			return RES_NOT_FOUND;
		log_warn("rules directory: removing %s", name);
		return RES_INTERNAL;
	}
	log_info("rule file %s removed", name);
	return RES_OK;
}

static void
rulesave_reply(struct packetd *p, uint32_t id, uint32_t status)
{
	struct msg_result	 r;
	struct msg		 m;

	memset(&r, 0, sizeof(r));
	r.status = status;
	msg_init(&m, MSG_RESULT, id);
	msg_set_body(&m, &r, sizeof(r));
	if (chan_send(&p->children[ROLE_RULED].chan, &m) == -1)
		fatal("%s: to ruled", __func__);
}

/* ruled asks to write or remove a rule file. */
void
rulesave_dispatch(struct packetd *p, const struct msg *m)
{
	struct msg_rule_save	 s;
	const char		*name = msg_get_str(m, ATTR_FILE_NAME);
	const void		*json;
	size_t			 len = 0;
	uint32_t		 status;

	msg_get_body(m, &s, sizeof(s));
	json = msg_get_attr(m, ATTR_JSON, &len);
	if (!rulefile_name_ok(name)) {
		log_warnx("refused to write rule file \"%s\": not a plain "
		    "name ending in .json", name);
		status = RES_BAD_NAME;
	} else if (p->read_only)
		status = RES_READ_ONLY;
	else if (s.op == SAVE_WRITE && json != NULL &&
	    memchr(json, '\0', len) == NULL)
		status = rulesave_write(p, name, json, len);
	else if (s.op == SAVE_UNLINK && json == NULL)
		status = rulesave_unlink(p, name);
	else
		fatalx("%s: malformed MSG_RULE_SAVE from ruled", __func__);
	rulesave_reply(p, msg_id(m), status);
}
