/*
 * ruled: decides.  It receives each connection with its attributes from
 * attributord, decides from the rules, answers packetd, and asks promptd
 * when no rule answers.  It does no I/O but its three channels.
 */
#include <string.h>

#include "compat.h"
#include "ruled.h"

static void	 ruled_dispatch_packetd(struct chan *, struct msg *);
static void	 ruled_dispatch_attributord(struct chan *, struct msg *);
static void	 ruled_dispatch_promptd(struct chan *, struct msg *);
static int	 ruled_dns_missing(const struct msg *);
static void	 ruled_hold(struct chan *, const struct msg *);
static void	 ruled_release(void);
static int	 ruled_hold_timeout_ms(void);
static int	 ruled_timeout_ms(void);
static void	 ruled_config(const struct msg *);

static struct ruled	 ruled;

/*
 * The connection that waits for the DNS copies packetd sent before it
 * (ruled_hold()); attributord's channel is not read meanwhile.
 */
static struct msg	 held;
static int		 holding;
static uint32_t		 held_seq;	/* MSG_DNS it waits for */
static uint64_t		 held_since_ns;
static const chan_dispatch_fn dispatchers[C_MAX] = {
	ruled_dispatch_packetd,
	ruled_dispatch_attributord,
	ruled_dispatch_promptd,
};

int
main(int argc, char *argv[])
{
	struct child_env	 env;
	struct child_loop	 loop = { ruled.chans, dispatchers, C_MAX,
				    NULL, NULL, ruled_timeout_ms };
	int			 i;

	child_start(&env, ROLE_RULED, argc, argv);
	ruled_clock_init();
	names_init();
	decided_init();
	ruled_sandbox(&env);

	chan_init(&ruled.chans[C_PARENT], FD_PARENT, ROLE_RULED, ROLE_PACKETD);
	chan_init(&ruled.chans[C_ATTR], FD_RULED_ATTR, ROLE_RULED,
	    ROLE_ATTRIBUTORD);
	chan_init(&ruled.chans[C_PROMPT], FD_RULED_PROMPT, ROLE_RULED,
	    ROLE_PROMPTD);
	/* Held events go to promptd together (verdict_event()). */
	chan_send_many(&ruled.chans[C_PROMPT]);
	for (i = 0; i < C_MAX; i++)
		if (chan_recv_many(&ruled.chans[i]) == -1)
			fatal("%s", __func__);
	for (i = 0; i < C_MAX; i++)
		if (chan_send_hello(&ruled.chans[i]) == -1)
			fatal("HELLO to %s", role_name(ruled.chans[i].peer));
	log_debug("sandboxed, %zu system calls allowed",
	    ruled_sandbox_nsyscalls());
	child_loop_run(&loop);
}

/*
 * Wake for the next temporary rule to expire, for the events held for
 * promptd, for a connection that waits too long for a DNS copy, and at
 * least once a second to age the DNS query table.
 */
static int
ruled_timeout_ms(void)
{
	int64_t	 next, now;
	int	 ev, ms, hold;

	names_expire();
	ev = verdict_events_timeout(&ruled);
	if ((hold = ruled_hold_timeout_ms()) != -1 && (ev == -1 || hold < ev))
		ev = hold;
	if (!ruled.have_config)
		return ev != -1 && ev < 1000 ? ev : 1000;
	rules_expire(&ruled);
	prompt_expire(&ruled);
	next = rules_next_expiry();
	if (prompt_next_deadline() < next)
		next = prompt_next_deadline();
	now = ruled_now_ms();
	if (next == INT64_MAX || next - now >= 1000 * (int64_t)ruled_time_scale)
		ms = 1000;
	else
		ms = next > now ? (int)((next - now) / ruled_time_scale) : 0;
	return ev != -1 && ev < ms ? ev : ms;
}

static void
ruled_config(const struct msg *m)
{
	msg_get_body(m, &ruled.cfg, sizeof(ruled.cfg));
	if (ruled.cfg.default_action == VERDICT_NONE ||
	    ruled.cfg.default_action >= VERDICT_MAX)
		fatalx("%s: default action %u", __func__,
		    ruled.cfg.default_action);
	ruled.have_config = 1;
	rules_init(&ruled, m);
}

static void
ruled_dispatch_packetd(struct chan *c, struct msg *m)
{
	if (child_dispatch_common(c, m))
		return;
	if (msg_type(m) != MSG_CONFIG && !ruled.have_config)
		fatalx("%s: %s before MSG_CONFIG", __func__,
		    msg_type_name(msg_type(m)));
	switch (msg_type(m)) {
	case MSG_CONFIG:
		ruled_config(m);
		break;
	case MSG_FILE:
		rules_file(&ruled, m);
		break;
	case MSG_FILE_GONE:
		rules_file_gone(&ruled, m);
		break;
	case MSG_RULES_BEGIN:
		rules_begin(&ruled);
		break;
	case MSG_RULES_LOADED:
		rules_loaded(&ruled);
		break;
	case MSG_LISTS_LOADED:
		rules_lists_loaded(&ruled, m);
		break;
	case MSG_DNS:
		ruled.dns_seen++;
		names_dns(&ruled, m);
		if (holding && (int32_t)(held_seq - ruled.dns_seen) <= 0)
			ruled_release();
		break;
	case MSG_RESULT:
		request_saved(&ruled, m);
		break;
	case MSG_RESOLVERS:
		rules_resolvers(&ruled, m);
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
	}
}

static void
ruled_dispatch_attributord(struct chan *c, struct msg *m)
{
	switch (msg_type(m)) {
	case MSG_HELLO:
		break;
	case MSG_CONN_ATTR:
		if (!ruled.ready)
			fatalx("%s: a connection before ruled was ready",
			    __func__);
		if (ruled_dns_missing(m))
			ruled_hold(c, m);
		else
			decide_conn(&ruled, m);
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
	}
}

/*
 * packetd copied every DNS reply this program saw before the program
 * could connect, or a name could reach ruled after the connection it
 * names.  The connection says how many MSG_DNS packetd had sent then
 * (serial numbers); ruled counts those it took.
 */
static int
ruled_dns_missing(const struct msg *m)
{
	struct msg_conn_attr	 ca;

	msg_get_body(m, &ca, sizeof(ca));
	return (int32_t)(ca.conn.dns_seq - ruled.dns_seen) > 0;
}

/*
 * Some have not come: the connection waits for them, and the ones
 * behind it wait in attributord's channel, in order.  The loop reads
 * packetd's channel next (chan_pause()); the MSG_DNS that completes the
 * count decides it (ruled_release()).
 */
static void
ruled_hold(struct chan *c, const struct msg *m)
{
	struct msg_conn_attr	 ca;

	msg_get_body(m, &ca, sizeof(ca));
	memcpy(&held, m, sizeof(held));
	held.fd = -1;
	held_seq = ca.conn.dns_seq;
	held_since_ns = ruled_now_ns();
	holding = 1;
	log_debug("%s: connection %u waits for DNS copy %u (%u taken)",
	    __func__, msg_id(m), held_seq, ruled.dns_seen);
	chan_pause(c, &ruled.chans[C_PARENT]);
}

static void
ruled_release(void)
{
	holding = 0;
	chan_resume(&ruled.chans[C_ATTR]);
	decide_conn(&ruled, &held);
}

/*
 * packetd sends what it counts, in order, so the copies come.  Should
 * they not within DNS_COPY_WAIT_MS, the connection is decided with the
 * names ruled has (logged; names_host() counts host_unknown when it has
 * none), the count is taken as the connection's, so the next ones do
 * not wait for the same copies, and attributord's channel is read
 * again.
 */
static int
ruled_hold_timeout_ms(void)
{
	uint64_t	 waited;

	if (!holding)
		return -1;
	waited = ruled_now_ns() - held_since_ns;
	if (waited < DNS_COPY_WAIT_MS * 1000000ull)
		return (int)((DNS_COPY_WAIT_MS * 1000000ull - waited) /
		    1000000ull) + 1;
	log_warnx("%s: DNS copy %u not here after %d ms (%u taken); "
	    "connection decided without it", __func__, held_seq,
	    DNS_COPY_WAIT_MS, ruled.dns_seen);
	ruled.dns_seen = held_seq;
	ruled_release();
	return -1;
}

static void
ruled_dispatch_promptd(struct chan *c, struct msg *m)
{
	switch (msg_type(m)) {
	case MSG_HELLO:
		break;
	case MSG_CLIENTS:
		prompt_clients(&ruled, m);
		break;
	case MSG_ANSWER:
		prompt_answer(&ruled, m);
		break;
	case MSG_REQUEST:
		if (!ruled.ready) {
			struct msg_request	 q;

			msg_get_body(m, &q, sizeof(q));
			request_result(&ruled, msg_id(m), q.client,
			    RES_INTERNAL, NULL, NULL, "tattle is starting");
		} else
			request_dispatch(&ruled, m);
		break;
	case MSG_STATS_REQ:
		ruled_stats_send(&ruled, m);
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
	}
}
