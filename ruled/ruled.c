/*
 * ruled: decides.  It receives each connection with its attributes from
 * attributord, decides from the rules, answers packetd, and asks promptd
 * when no rule answers.  It does no I/O but its three channels.
 */
#include "compat.h"
#include "ruled.h"

static void	 ruled_dispatch_packetd(struct chan *, struct msg *);
static void	 ruled_dispatch_attributord(struct chan *, struct msg *);
static void	 ruled_dispatch_promptd(struct chan *, struct msg *);

enum { C_PARENT, C_ATTR, C_PROMPT, C_MAX };
static struct chan	 chans[C_MAX];
static const chan_dispatch_fn dispatchers[C_MAX] = {
	ruled_dispatch_packetd,
	ruled_dispatch_attributord,
	ruled_dispatch_promptd,
};

int
main(int argc, char *argv[])
{
	struct child_env	 env;
	struct child_loop	 loop = { chans, dispatchers, C_MAX,
				    NULL, NULL, NULL };
	int			 i;

	child_start(&env, ROLE_RULED, argc, argv);
	ruled_sandbox(&env);

	chan_init(&chans[C_PARENT], FD_PARENT, ROLE_RULED, ROLE_PACKETD);
	chan_init(&chans[C_ATTR], FD_RULED_ATTR, ROLE_RULED, ROLE_ATTRIBUTORD);
	chan_init(&chans[C_PROMPT], FD_RULED_PROMPT, ROLE_RULED,
	    ROLE_PROMPTD);
	for (i = 0; i < C_MAX; i++)
		if (chan_send_hello(&chans[i]) == -1)
			fatal("HELLO to %s", role_name(chans[i].peer));
	log_debug("sandboxed, %zu system calls allowed",
	    ruled_sandbox_nsyscalls());
	child_loop_run(&loop);
}

static void
ruled_dispatch_packetd(struct chan *c, struct msg *m)
{
	if (child_dispatch_common(c, m))
		return;
	fatalx("%s: unexpected %s", __func__, msg_type_name(msg_type(m)));
}

static void
ruled_dispatch_attributord(struct chan *c, struct msg *m)
{
	if (msg_type(m) == MSG_HELLO)
		return;
	fatalx("%s: unexpected %s", __func__, msg_type_name(msg_type(m)));
}

static void
ruled_dispatch_promptd(struct chan *c, struct msg *m)
{
	if (msg_type(m) == MSG_HELLO)
		return;
	fatalx("%s: unexpected %s", __func__, msg_type_name(msg_type(m)));
}
