/*
 * promptd: relays asks from ruled to the user's clients on the UI socket
 * and their answers back; events, rule requests and statistics too.
 * It opens nothing: the listening socket comes from packetd at fd 5.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "promptd.h"
#include "control.h"
#include "relay.h"

static void	 promptd_dispatch_packetd(struct chan *, struct msg *);
static void	 promptd_dispatch_ruled(struct chan *, struct msg *);
static void	 promptd_check_listen(int);
static void	 promptd_config(const struct msg *);
static int	 promptd_timeout_ms(void);

enum { C_PARENT, C_RULED, C_MAX };
static struct chan	 chans[C_MAX];
static const chan_dispatch_fn dispatchers[C_MAX] = {
	promptd_dispatch_packetd,
	promptd_dispatch_ruled,
};

/* fd 5 must be what packetd promised: a listening unix stream socket. */
static void
promptd_check_listen(int fd)
{
	int		 type = 0, domain = 0, acc = 0, fl;
	socklen_t	 len;

	len = sizeof(type);
	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == -1)
		fatal("fd %d: not the UI socket", fd);
	len = sizeof(domain);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) == -1)
		fatal("fd %d: SO_DOMAIN", fd);
	len = sizeof(acc);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) == -1)
		fatal("fd %d: SO_ACCEPTCONN", fd);
	if (type != SOCK_STREAM || domain != AF_UNIX || !acc)
		fatalx("fd %d is not a listening unix stream socket", fd);
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    ((fl & O_NONBLOCK) == 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) ==
	    -1))
		fatal("fd %d: O_NONBLOCK", fd);
}

int
main(int argc, char *argv[])
{
	struct child_env	 env;
	struct child_loop	 loop = { chans, dispatchers, C_MAX,
				    control_fill, control_handle,
				    promptd_timeout_ms };
	int			 i;

	child_start(&env, ROLE_PROMPTD, argc, argv);
	promptd_check_listen(FD_PROMPT_LISTEN);
	pds.listen_fd = FD_PROMPT_LISTEN;
	pds.start_ms = promptd_now_ms();
	control_init(relay_request);
	promptd_sandbox(&env);

	chan_init(&chans[C_PARENT], FD_PARENT, ROLE_PROMPTD, ROLE_PACKETD);
	chan_init(&chans[C_RULED], FD_PROMPT_RULED, ROLE_PROMPTD, ROLE_RULED);
	pds.parent = &chans[C_PARENT];
	pds.ruled = &chans[C_RULED];
	for (i = 0; i < C_MAX; i++)
		if (chan_send_hello(&chans[i]) == -1)
			fatal("HELLO to %s", role_name(chans[i].peer));
	log_debug("sandboxed, %zu system calls allowed",
	    promptd_sandbox_nsyscalls());
	child_loop_run(&loop);
}

/* Requests nobody answered, asks nobody ended: checked every round. */
static int
promptd_timeout_ms(void)
{
	relay_expire();
	return relay_timeout_ms();
}

static void
promptd_config(const struct msg *m)
{
	msg_get_body(m, &pds.cfg, sizeof(pds.cfg));
	if (pds.cfg.default_action == VERDICT_NONE ||
	    pds.cfg.default_action >= VERDICT_MAX)
		fatalx("%s: default action %u", __func__,
		    pds.cfg.default_action);
	pds.have_config = 1;
	log_debug("UI group gid %u", pds.cfg.ui_gid);
	clients_update_ruled();
}

static void
promptd_dispatch_packetd(struct chan *c, struct msg *m)
{
	if (child_dispatch_common(c, m))
		return;
	switch (msg_type(m)) {
	case MSG_CONFIG:
		promptd_config(m);
		break;
	case MSG_STATS:
		relay_stats(ROLE_PACKETD, m);
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
	}
}

static void
promptd_dispatch_ruled(struct chan *c, struct msg *m)
{
	if (child_dispatch_common(c, m))
		return;
	switch (msg_type(m)) {
	case MSG_ASK:
		relay_ask(m);
		break;
	case MSG_ASK_GONE:
		relay_ask_gone(m);
		break;
	case MSG_EVENT:
		relay_event(m);
		break;
	case MSG_RESULT:
		relay_result(m);
		break;
	case MSG_STATS:
		relay_stats(ROLE_RULED, m);
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
	}
}
