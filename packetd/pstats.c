/*
 * pstats.c: packetd's counters for `tattle stats`, with the kernel's own
 * counts of what its queue dropped.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "packetd.h"
#include "pending.h"
#include "queue.h"

static void	 pstats_line(char *, size_t, size_t *, const char *,
		    unsigned long long);

/* As root, before the sandbox: the kernel's queue counters. */
void
pstats_open(struct packetd *p)
{
	clock_gettime(CLOCK_MONOTONIC, &p->started);
	if ((p->kstatsfd = open("/proc/net/netfilter/nfnetlink_queue",
	    O_RDONLY | O_CLOEXEC)) == -1)
		log_warn("kernel queue counters unavailable");
}

static void
pstats_line(char *buf, size_t size, size_t *len, const char *name,
    unsigned long long v)
{
	int	 n;

	if (*len >= size)
		return;
	n = snprintf(buf + *len, size - *len, "%s %llu\n", name, v);
	if (n > 0 && (size_t)n < size - *len)
		*len += n;
	else
		*len = size;
}

void
pstats_send(struct packetd *p, const struct msg *req)
{
	struct packetd_stats	*s = &p->stats;
	struct queue_kstats	 ks;
	struct msg_stats_req	 q;
	struct timespec		 now;
	struct msg		 m;
	char			 buf[MAX_STATS];
	size_t			 len = 0;
	int			 n;

	msg_get_body(req, &q, sizeof(q));
	clock_gettime(CLOCK_MONOTONIC, &now);
	pstats_line(buf, sizeof(buf), &len, "uptime_s",
	    now.tv_sec - p->started.tv_sec);
	n = snprintf(buf + len, sizeof(buf) - len, "fail_mode %s\n"
	    "queue_path %s\ndefault_action %s\n",
	    p->cfg.fail_open ? "open" : "closed", fw_qkind_name(p->fw.qkind),
	    conf_action_name(p->cfg.default_action));
	if (n > 0 && (size_t)n < sizeof(buf) - len)
		len += n;
	pstats_line(buf, sizeof(buf), &len, "packets", s->packets);
	pstats_line(buf, sizeof(buf), &len, "packets_allowed", s->allowed);
	pstats_line(buf, sizeof(buf), &len, "packets_denied", s->denied);
	pstats_line(buf, sizeof(buf), &len, "packets_rejected", s->rejected);
	pstats_line(buf, sizeof(buf), &len, "unparsed", s->unparsed);
	pstats_line(buf, sizeof(buf), &len, "pending_overflows", s->overflow);
	pstats_line(buf, sizeof(buf), &len, "fail_mode_verdicts",
	    s->failmode);
	pstats_line(buf, sizeof(buf), &len, "expired", s->expired);
	pstats_line(buf, sizeof(buf), &len, "late_verdicts",
	    s->late_verdicts);
	pstats_line(buf, sizeof(buf), &len, "dns_copied", s->dns_copied);
	pstats_line(buf, sizeof(buf), &len, "dns_dropped", s->dns_dropped);
	pstats_line(buf, sizeof(buf), &len, "held",
	    p->pending != NULL ? pending_count(p->pending) : 0);
	if (p->kstatsfd != -1 && queue_kstats_read(p->kstatsfd,
	    p->cfg.queue_num, &ks) == 0) {
		/* The kernel dropped these before tattle saw them. */
		pstats_line(buf, sizeof(buf), &len, "queue_overflows",
		    (unsigned long long)ks.dropped + ks.user_dropped);
		pstats_line(buf, sizeof(buf), &len, "queue_waiting", ks.total);
	}
	if (len > sizeof(buf))
		len = sizeof(buf);
	while (len > 0 && buf[len - 1] != '\n')
		len--;
	msg_init(&m, MSG_STATS, msg_id(req));
	msg_set_body(&m, &q, sizeof(q));
	msg_add_attr(&m, ATTR_STATS, buf, len);
	if (chan_send(&p->children[ROLE_PROMPTD].chan, &m) == -1)
		log_warn("%s: to promptd", __func__);
}
