/*
 * dispatch.c: what packetd accepts from each child.  The catalogue in
 * proto.h already refused any type that may not travel from that child
 * to packetd; here each handler checks state and content.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "compat.h"
#include "packetd.h"

static void	 packetd_log_child(struct chan *, struct msg *);
static void	 packetd_pong(struct chan *, struct msg *);
static int	 packetd_dispatch_common(struct chan *, struct msg *);
static void	 packetd_dispatch_attributord(struct chan *, struct msg *);
static void	 packetd_dispatch_ruled(struct packetd *, struct chan *,
		    struct msg *);
static void	 packetd_dispatch_promptd(struct packetd *, struct chan *,
		    struct msg *);

/* A child's log line, tagged with its role. */
static void
packetd_log_child(struct chan *c, struct msg *m)
{
	struct msg_log	 l;
	const char	*text = msg_get_str(m, ATTR_TEXT);
	int		 pri;

	msg_get_body(m, &l, sizeof(l));
	pri = l.priority & LOG_PRIMASK;
	if (pri == LOG_DEBUG && !log_getverbose())
		return;
	logit(pri, "%s: %s", role_name(c->peer), text);
}

static void
packetd_pong(struct chan *c, struct msg *m)
{
	struct msg_ping	 p;
	struct timespec	 ts;
	uint64_t	 now;

	msg_get_body(m, &p, sizeof(p));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	log_info("ping: %s answered seq %llu in %llu us", role_name(c->peer),
	    (unsigned long long)p.seq,
	    (unsigned long long)(now - p.stamp_ns) / 1000);
}

/* What every child may send: its HELLO, log lines, answers to pings. */
static int
packetd_dispatch_common(struct chan *c, struct msg *m)
{
	switch (msg_type(m)) {
	case MSG_HELLO:
		return 1;
	case MSG_LOG:
		packetd_log_child(c, m);
		return 1;
	case MSG_PONG:
		packetd_pong(c, m);
		return 1;
	}
	return 0;
}

static void
packetd_dispatch_attributord(struct chan *c, struct msg *m)
{
	/* attributord talks to ruled; to packetd only of itself. */
	if (!packetd_dispatch_common(c, m))
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
}

static void
packetd_dispatch_ruled(struct packetd *p, struct chan *c, struct msg *m)
{
	if (packetd_dispatch_common(c, m))
		return;
	switch (msg_type(m)) {
	case MSG_VERDICT:
		verdict_from_ruled(p, m);
		break;
	case MSG_LIST_DIRS:
		listdirs_request(p, m);
		break;
	case MSG_RULE_SAVE:
		rulesave_dispatch(p, m);
		break;
	case MSG_READY:
		p->ready = 1;
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
	}
}

static void
packetd_dispatch_promptd(struct packetd *p, struct chan *c, struct msg *m)
{
	if (packetd_dispatch_common(c, m))
		return;
	switch (msg_type(m)) {
	case MSG_STATS_REQ:
		packetd_stats_send(p, m);
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
	}
}

/*
 * Read everything a child has sent.  -1: the child is gone or broke the
 * protocol; the caller stops the daemon.  A child is never half-trusted.
 */
int
packetd_drain(struct packetd *p, struct child *ch)
{
	static struct msg	 m;
	const char		*why = "";
	int			 rv;

	if (ch->chan.fd == -1)
		return -1;
	for (;;) {
		rv = chan_recv(&ch->chan, &m, &why);
		if (rv == CHAN_AGAIN)
			return 0;
		if (rv == CHAN_EOF) {
			log_debug("%s closed its channel", role_name(ch->role));
			return -1;
		}
		if (rv == CHAN_BAD) {
			log_warnx("protocol violation from %s (pid %d): %s",
			    role_name(ch->role), (int)ch->pid, why);
			return -1;
		}
		switch (ch->role) {
		case ROLE_ATTRIBUTORD:
			packetd_dispatch_attributord(&ch->chan, &m);
			break;
		case ROLE_RULED:
			packetd_dispatch_ruled(p, &ch->chan, &m);
			break;
		case ROLE_PROMPTD:
			packetd_dispatch_promptd(p, &ch->chan, &m);
			break;
		default:
			fatalx("%s: no such child", __func__);
		}
		msg_close_fd(&m);
	}
}
