/*
 * attributord: finds which process made each connection packetd hands
 * it, and passes the connection with its attributes on to ruled.
 */
#include <string.h>

#include "compat.h"
#include "attributord.h"

static void	 attributord_dispatch_packetd(struct chan *, struct msg *);
static void	 attributord_dispatch_ruled(struct chan *, struct msg *);

enum { C_PARENT, C_RULED, C_MAX };
static struct chan	 chans[C_MAX];
static const chan_dispatch_fn dispatchers[C_MAX] = {
	attributord_dispatch_packetd,
	attributord_dispatch_ruled,
};

int
main(int argc, char *argv[])
{
	struct child_env	 env;
	struct child_loop	 loop = { chans, dispatchers, C_MAX,
				    NULL, NULL, NULL };
	int			 i;

	child_start(&env, ROLE_ATTRIBUTORD, argc, argv);
	attributord_sandbox(&env);

	chan_init(&chans[C_PARENT], FD_PARENT, ROLE_ATTRIBUTORD,
	    ROLE_PACKETD);
	chan_init(&chans[C_RULED], FD_ATTR_RULED, ROLE_ATTRIBUTORD,
	    ROLE_RULED);
	for (i = 0; i < C_MAX; i++)
		if (chan_send_hello(&chans[i]) == -1)
			fatal("HELLO to %s", role_name(chans[i].peer));
	log_debug("sandboxed, %zu system calls allowed",
	    attributord_sandbox_nsyscalls());
	child_loop_run(&loop);
}

/* Not attributed yet: the connection goes on with what packetd knew. */
static void
attributord_conn(const struct msg *m)
{
	struct msg_conn_attr	 ca;
	struct msg		 out;

	memset(&ca, 0, sizeof(ca));
	msg_get_body(m, &ca.conn, sizeof(ca.conn));
	ca.source = SRC_NONE;
	msg_init(&out, MSG_CONN_ATTR, msg_id(m));
	msg_set_body(&out, &ca, sizeof(ca));
	if (chan_send(&chans[C_RULED], &out) == -1)
		fatal("%s: to ruled", __func__);
}

static void
attributord_dispatch_packetd(struct chan *c, struct msg *m)
{
	if (child_dispatch_common(c, m))
		return;
	switch (msg_type(m)) {
	case MSG_CONFIG:
	case MSG_FILE:
	case MSG_TRACE_LAYOUT:
	case MSG_TRACE_FD:
		break;
	case MSG_CONN:
		attributord_conn(m);
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
	}
}

static void
attributord_dispatch_ruled(struct chan *c, struct msg *m)
{
	if (msg_type(m) == MSG_HELLO || msg_type(m) == MSG_ATTR_NEEDS)
		return;
	fatalx("%s: unexpected %s", __func__, msg_type_name(msg_type(m)));
}
