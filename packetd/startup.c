/*
 * startup.c: what packetd gives the children before the pipeline runs:
 * the configuration, the user database for user.name rules, the rules,
 * and the lists those rules name.  The firewall table goes in only once
 * ruled says it is ready.
 */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "packetd.h"

static int	 startup_ready(struct packetd *);

/*
 * The private ftrace instance, as root.  Without it attribution falls
 * back to sock_diag and /proc, which is slower and misses processes
 * that exit at once: say so.
 */
void
startup_trace_open(struct packetd *p)
{
	if (tracefs_open(&p->trace, getpid()) == -1) {
		log_warnx("ftrace unavailable: processes are found through "
		    "sock_diag and /proc only");
		return;
	}
	p->trace_ok = 1;
	log_debug("ftrace instance %s, %u CPUs", p->trace.name,
	    p->trace.ncpu);
}

/* The layout and one raw pipe per CPU to attributord; keep no copy. */
void
startup_send_trace(struct packetd *p)
{
	struct chan		*c = &p->children[ROLE_ATTRIBUTORD].chan;
	struct msg_trace_fd	 t;
	struct msg		 m;
	unsigned int		 i;

	if (!p->trace_ok)
		return;
	msg_init(&m, MSG_TRACE_LAYOUT, 0);
	msg_set_body(&m, &p->trace.layout, sizeof(p->trace.layout));
	if (chan_send(c, &m) == -1)
		fatal("%s: layout", __func__);
	for (i = 0; i < p->trace.ncpu; i++) {
		memset(&t, 0, sizeof(t));
		t.cpu = i;
		msg_init(&m, MSG_TRACE_FD, 0);
		msg_set_body(&m, &t, sizeof(t));
		/* The channel closes what it sends; keep ours for now. */
		msg_set_fd(&m, dup(p->trace.raw[i]));
		if (m.fd == -1 || chan_send(c, &m) == -1)
			fatal("%s: cpu %u", __func__, i);
	}
	tracefs_close_raw(&p->trace);
}

uint32_t
startup_verdict(int action)
{
	switch (action) {
	case CFG_ALLOW:
		return VERDICT_ALLOW;
	case CFG_REJECT:
		return VERDICT_REJECT;
	}
	return VERDICT_DENY;
}

void
startup_send_config(struct packetd *p)
{
	struct msg_config	 c;
	struct msg		 m;
	size_t			 j;
	int			 i;

	memset(&c, 0, sizeof(c));
	c.default_action = startup_verdict(p->cfg.default_action);
	c.prompt_timeout_ms = p->cfg.prompt_timeout * 1000;
	c.intercept_unknown = p->cfg.intercept_unknown;
	c.checksums = p->cfg.checksums;
	c.fail_open = p->cfg.fail_open;
	c.ui_gid = p->ui_gid;
	for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++) {
		msg_init(&m, MSG_CONFIG, 0);
		msg_set_body(&m, &c, sizeof(c));
		for (j = 0; i == ROLE_RULED && j < p->cfg.nlists_roots; j++)
			if (msg_add_str(&m, ATTR_DIR,
			    p->cfg.lists_roots[j]) == -1)
				fatalx("%s: lists roots too long", __func__);
		if (chan_send(&p->children[i].chan, &m) == -1)
			fatal("%s: to %s", __func__, role_name(i));
	}
	/* TATTLE_RESOLVERS is filled before the rules come. */
	resolvconf_start(p);
}

/*
 * /etc/passwd, read once: ruled turns user.name rules into uids and
 * attributord names users, and neither may use NSS in its sandbox.
 * Users that exist only in another NSS source are not known to them.
 */
void
startup_send_passwd(struct packetd *p)
{
	struct msg_file	 f;
	struct msg	 m;
	const char	*why;
	size_t		 size;
	int		 dirfd, fd, i;

	if ((dirfd = open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		fatal("/etc");
	for (i = ROLE_ATTRIBUTORD; i <= ROLE_RULED; i++) {
		if ((fd = memfd_from_file(dirfd, "passwd", MAX_PASSWD_FILE,
		    &size, &why)) == -1)
			fatalx("/etc/passwd: %s", why);
		memset(&f, 0, sizeof(f));
		f.kind = FILE_PASSWD;
		f.size = size;
		msg_init(&m, MSG_FILE, 0);
		msg_set_body(&m, &f, sizeof(f));
		msg_add_str(&m, ATTR_FILE_NAME, "/etc/passwd");
		msg_set_fd(&m, fd);
		if (chan_send(&p->children[i].chan, &m) == -1)
			fatal("%s: to %s", __func__, role_name(i));
	}
	close(dirfd);
}

static int
startup_ready(struct packetd *p)
{
	return p->ready;
}

/*
 * Send the rules and wait until ruled has them and every lists
 * directory they name.  Its requests for lists are served meanwhile.
 */
void
startup_wait_ready(struct packetd *p)
{
	rulesdir_send_all(p);
	if (packetd_wait_for(p, startup_ready, READY_TIMEOUT_MS) == -1) {
		log_warnx("ruled did not load the rules and lists within %d "
		    "s", READY_TIMEOUT_MS / 1000);
		packetd_shutdown(p, 1);
	}
}
