/*
 * attributord: finds which process made each connection packetd hands
 * it, and passes the connection with its attributes on to ruled.
 */
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

static void
attributord_dispatch_packetd(struct chan *c, struct msg *m)
{
	if (child_dispatch_common(c, m))
		return;
	fatalx("%s: unexpected %s", __func__, msg_type_name(msg_type(m)));
}

static void
attributord_dispatch_ruled(struct chan *c, struct msg *m)
{
	if (msg_type(m) == MSG_HELLO)
		return;
	fatalx("%s: unexpected %s", __func__, msg_type_name(msg_type(m)));
}
