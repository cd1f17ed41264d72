/*
 * attrd_trace.c: packetd's ftrace instance as attributord receives and
 * reads it.  The layout comes first and is checked; then one raw pipe
 * per CPU; ftrace starts once all are here.  A refused layout, a
 * missing pipe or a pipe that fails leaves attribution to sock_diag and
 * /proc, and says so.  Between connections the pipes are drained when
 * the kernel says they filled up (poll wakes at the instance's
 * buffer_percent) and at least every ATTRD_DRAIN_NS, so that exec and
 * exit events keep the process table current and never overflow.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "attributord.h"

static void	 attrd_trace_off(struct attrd *, const char *);
static void	 attrd_trace_close(struct attrd *);
static void	 attrd_trace_losses(struct attrd *, uint64_t);

#define ATTRD_LOSS_WARN_NS	(10ULL * 1000000000ULL)

void
attrd_trace_init(struct attrd *ad)
{
	unsigned int	 i;

	memset(&ad->tr, 0, sizeof(ad->tr));
	for (i = 0; i < MAX_TRACE_CPUS; i++)
		ad->tr.fd[i] = -1;
	ad->tr.last_drain = ad->tr.last_expire = attr_now();
}

static void
attrd_trace_close(struct attrd *ad)
{
	unsigned int	 i;

	for (i = 0; i < MAX_TRACE_CPUS; i++)
		if (ad->tr.fd[i] != -1) {
			close(ad->tr.fd[i]);
			ad->tr.fd[i] = -1;
		}
	ad->tr.nfd = 0;
}

/*
 * Without ftrace no exec is seen: what the table and the attribute cache
 * learnt from events could go stale, so both start again empty.
 */
static void
attrd_trace_off(struct attrd *ad, const char *why)
{
	unsigned int	 i;

	if (ad->tr.state == TR_ON)
		ftrace_free(&ad->ft);
	attrd_trace_close(ad);
	ad->ac.ft = NULL;
	ad->tr.state = TR_OFF;
	attrd_cache_clear(&ad->cache);
	for (i = 0; i < MAX_PROCS; i++)
		if (ad->pt.e[i].inuse)
			proctable_remove(&ad->pt, &ad->pt.e[i]);
	log_warnx("ftrace off (%s): processes are found through sock_diag "
	    "and /proc only", why);
}

void
attrd_trace_layout(struct attrd *ad, const struct msg *m)
{
	if (ad->tr.state != TR_NONE)
		fatalx("%s: MSG_TRACE_LAYOUT after the first connection",
		    __func__);
	msg_get_body(m, &ad->tr.lay, sizeof(ad->tr.lay));
	if (ftrace_check_layout(&ad->tr.lay) == -1) {
		attrd_trace_off(ad, "packetd's layout refused");
		return;
	}
	ad->tr.state = TR_FDS;
}

void
attrd_trace_fd(struct attrd *ad, struct msg *m)
{
	struct msg_trace_fd	 t;

	msg_get_body(m, &t, sizeof(t));
	if (ad->tr.state == TR_NONE || ad->tr.state == TR_ON)
		fatalx("%s: MSG_TRACE_FD %s", __func__, ad->tr.state ==
		    TR_NONE ? "before the layout" : "after the last CPU");
	if (ad->tr.state == TR_OFF)
		return;		/* the dispatcher closes it */
	if (t.cpu >= ad->tr.lay.ncpu || ad->tr.fd[t.cpu] != -1 || t.pad != 0)
		fatalx("%s: cpu %u of %u, or twice", __func__, t.cpu,
		    ad->tr.lay.ncpu);
	ad->tr.fd[t.cpu] = msg_take_fd(m);
	if (++ad->tr.nfd < ad->tr.lay.ncpu)
		return;
	if (ftrace_init(&ad->ft, &ad->tr.lay, ad->tr.fd, ad->tr.lay.ncpu) ==
	    -1) {
		attrd_trace_off(ad, strerror(errno));
		return;
	}
	ad->tr.state = TR_ON;
	ad->ac.ft = &ad->ft;
	log_debug("ftrace on: %u CPUs, %u-byte pages", ad->tr.lay.ncpu,
	    ad->tr.lay.page_size);
}

/* The first connection: everything packetd sends before it is here. */
void
attrd_trace_ready(struct attrd *ad)
{
	if (ad->tr.state == TR_NONE)
		attrd_trace_off(ad, "packetd has no ftrace instance");
	else if (ad->tr.state == TR_FDS)
		attrd_trace_off(ad, "raw pipes missing");
}

/* The raw pipes, for the loop's poll set (as many as fit). */
int
attrd_trace_fill(struct attrd *ad, struct pollfd *pfd, int max)
{
	int	 i, n;

	if (ad->tr.state != TR_ON)
		return 0;
	n = (int)ad->tr.lay.ncpu < max ? (int)ad->tr.lay.ncpu : max;
	for (i = 0; i < n; i++) {
		pfd[i].fd = ad->tr.fd[i];
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	return n;
}

/*
 * Events the kernel dropped (the ring was full) or pages that did not
 * decode: ftrace then steps aside for FTRACE_FLOW_KEEP_NS, since a rival
 * event may be among them.  Say so, at most every 10 s.
 */
static void
attrd_trace_losses(struct attrd *ad, uint64_t now)
{
	uint64_t	 n = ad->ft.st.missed_pages + ad->ft.st.bad_pages;

	if (n == ad->tr.losses)
		return;
	ad->tr.losses = n;
	if (ad->tr.last_loss_warn != 0 &&
	    now - ad->tr.last_loss_warn < ATTRD_LOSS_WARN_NS)
		return;
	ad->tr.last_loss_warn = now;
	log_warnx("ftrace lost events (%llu pages missed, %llu bad so far): "
	    "sock_diag and /proc answer for a few seconds, and processes "
	    "that exit at once may be unknown",
	    (unsigned long long)ad->ft.st.missed_pages,
	    (unsigned long long)ad->ft.st.bad_pages);
}

/*
 * After every wake-up: drain when a pipe filled up or the idle bound
 * passed, and age the tables about once a second.
 */
void
attrd_trace_tick(struct attrd *ad, int readable)
{
	uint64_t	 now = attr_now();

	if (ad->tr.state == TR_ON && (readable ||
	    now - ad->tr.last_drain >= ATTRD_DRAIN_NS)) {
		ad->tr.last_drain = now;
		if (ftrace_drain(&ad->ft, now, attr_event_cb, &ad->ac) == -1)
			attrd_trace_off(ad, strerror(errno));
		else
			attrd_trace_losses(ad, now);
	}
	if (now - ad->tr.last_expire >= ATTRD_EXPIRE_NS) {
		ad->tr.last_expire = now;
		proctable_expire(&ad->pt, now);
		attrd_cache_expire(&ad->cache, now);
	}
}

/* Milliseconds until attrd_trace_tick() has work. */
int
attrd_trace_timeout_ms(struct attrd *ad)
{
	uint64_t	 now = attr_now(), next;

	next = ad->tr.last_expire + ATTRD_EXPIRE_NS;
	if (ad->tr.state == TR_ON &&
	    ad->tr.last_drain + ATTRD_DRAIN_NS < next)
		next = ad->tr.last_drain + ATTRD_DRAIN_NS;
	if (next <= now)
		return 0;
	return (int)((next - now) / 1000000ULL) + 1;
}
