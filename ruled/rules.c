/*
 * rules.c: the rule files and lists packetd hands over, and the start-up
 * handshake: once the first full set of rules is in, ruled names the
 * lists directories they need; once those are in, it is ready.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "fdread.h"
#include "ruled.h"

#define MAX_PASSWD	(16 * 1024 * 1024)
#define MAX_RULE_BYTES	(1024 * 1024)

static void	 rules_send_ready(struct ruled *);

void
rules_file(struct ruled *r, struct msg *m)
{
	struct msg_file	 f;
	const char	*name = msg_get_str(m, ATTR_FILE_NAME), *why;
	char		*buf;
	int		 fd = msg_take_fd(m);

	msg_get_body(m, &f, sizeof(f));
	switch (f.kind) {
	case FILE_PASSWD:
		if (fd_read_all(fd, f.size, MAX_PASSWD, &buf, &why) == -1)
			fatalx("%s: %s: %s", __func__, name, why);
		free(r->passwd);
		r->passwd = buf;
		r->passwd_len = f.size;
		break;
	case FILE_RULE:
		if (fd_read_all(fd, f.size, MAX_RULE_BYTES, &buf, &why) == -1)
			fatalx("%s: %s: %s", __func__, name, why);
		log_debug("rule file %s, %llu bytes", name,
		    (unsigned long long)f.size);
		free(buf);
		break;
	default:
		fatalx("%s: file kind %u", __func__, f.kind);
	}
	close(fd);
}

void
rules_file_gone(struct ruled *r, const struct msg *m)
{
	log_debug("rule file %s gone", msg_get_str(m, ATTR_FILE_NAME));
}

static void
rules_send_ready(struct ruled *r)
{
	struct msg	 m;

	if (r->ready)
		return;
	r->ready = 1;
	msg_init(&m, MSG_READY, 0);
	msg_set_body(&m, &(struct msg_empty){ 0 }, sizeof(struct msg_empty));
	if (chan_send(&r->chans[C_PARENT], &m) == -1)
		fatal("%s", __func__);
}

/* A full set of rule files is in: ask for the lists they name. */
void
rules_loaded(struct ruled *r)
{
	struct msg	 m;

	r->rules_loaded = 1;
	msg_init(&m, MSG_LIST_DIRS, 0);
	msg_set_body(&m, &(struct msg_empty){ 0 }, sizeof(struct msg_empty));
	if (chan_send(&r->chans[C_PARENT], &m) == -1)
		fatal("%s", __func__);
	rules_send_ready(r);
}

void
rules_lists_loaded(struct ruled *r, const struct msg *m)
{
	log_debug("lists directory %s loaded", msg_get_str(m, ATTR_DIR));
}
