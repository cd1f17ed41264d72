/*
 * promptd: relays asks from ruled to the user's clients on the UI socket
 * and their answers back.
 */
#include "compat.h"
#include "promptd.h"

static void	 promptd_dispatch_packetd(struct chan *, struct msg *);
static void	 promptd_dispatch_ruled(struct chan *, struct msg *);

enum { C_PARENT, C_RULED, C_MAX };
static struct chan	 chans[C_MAX];
static const chan_dispatch_fn dispatchers[C_MAX] = {
	promptd_dispatch_packetd,
	promptd_dispatch_ruled,
};

int
main(int argc, char *argv[])
{
	struct child_env	 env;
	struct child_loop	 loop = { chans, dispatchers, C_MAX,
				    NULL, NULL, NULL };
	int			 i;

	child_start(&env, ROLE_PROMPTD, argc, argv);
	promptd_sandbox(&env);

	chan_init(&chans[C_PARENT], FD_PARENT, ROLE_PROMPTD, ROLE_PACKETD);
	chan_init(&chans[C_RULED], FD_PROMPT_RULED, ROLE_PROMPTD, ROLE_RULED);
	for (i = 0; i < C_MAX; i++)
		if (chan_send_hello(&chans[i]) == -1)
			fatal("HELLO to %s", role_name(chans[i].peer));
	log_debug("sandboxed, %zu system calls allowed",
	    promptd_sandbox_nsyscalls());
	child_loop_run(&loop);
}

static void
promptd_dispatch_packetd(struct chan *c, struct msg *m)
{
	if (child_dispatch_common(c, m))
		return;
	switch (msg_type(m)) {
	case MSG_CONFIG:
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
	}
}

static void
promptd_dispatch_ruled(struct chan *c, struct msg *m)
{
	if (msg_type(m) == MSG_HELLO)
		return;
	fatalx("%s: unexpected %s", __func__, msg_type_name(msg_type(m)));
}
