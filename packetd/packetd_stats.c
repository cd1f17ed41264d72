/*
 * packetd_stats.c: packetd's counters for `tattle stats`, with the
 * kernel's own counts of what its queue dropped.
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
#include "stattext.h"

/* As root, before the sandbox: the kernel's queue counters. */
void
packetd_stats_open(struct packetd *p)
{
	clock_gettime(CLOCK_MONOTONIC, &p->started);
	if ((p->kstatsfd = open("/proc/net/netfilter/nfnetlink_queue",
	    O_RDONLY | O_CLOEXEC)) == -1)
		log_warn("kernel queue counters unavailable");
}

void
packetd_stats_send(struct packetd *p, const struct msg *req)
{
	static struct stattext	 st;
	struct packetd_stats	*s = &p->stats;
	struct queue_kstats	 ks;
	struct msg_stats_req	 q;
	struct timespec		 now;
	struct msg		 m;
	uint64_t		 unsol;

	msg_get_body(req, &q, sizeof(q));
	clock_gettime(CLOCK_MONOTONIC, &now);
	stattext_init(&st);
	stattext_num(&st, "uptime_s", now.tv_sec - p->started.tv_sec);
	stattext_word(&st, "fail_mode", p->cfg.fail_open ? "open" : "closed");
	stattext_word(&st, "queue_path", fw_qkind_name(p->fw.qkind));
	stattext_word(&st, "default_action",
	    conf_action_name(p->cfg.default_action));
	stattext_num(&st, "packets", s->packets);
	stattext_num(&st, "packets_allowed", s->allowed);
	stattext_num(&st, "packets_denied", s->denied);
	stattext_num(&st, "packets_rejected", s->rejected);
	stattext_num(&st, "unparsed", s->unparsed);
	stattext_num(&st, "pending_overflows", s->overflow);
	stattext_num(&st, "fail_mode_verdicts",
	    s->failmode);
	stattext_num(&st, "expired", s->expired);
	stattext_num(&st, "late_verdicts",
	    s->late_verdicts);
	stattext_num(&st, "dns_copied", s->dns_copied);
	stattext_num(&st, "dns_dropped", s->dns_dropped);
	stattext_num(&st, "dns_copies_lost", s->dns_lost);
	stattext_num(&st, "dns_copies_bad", s->dns_bad);
	if (fw_counter(&p->fw, FW_COUNTER_UNSOLICITED, &unsol) == 0)
		stattext_num(&st, "dns_unsolicited", unsol);
	else
		log_warnx("tattle stats: %s", p->fw.err);
	stattext_num(&st, "held",
	    p->pending != NULL ? pending_count(p->pending) : 0);
	/* Sums: divide by stage.count for the mean of each stage. */
	stattext_num(&st, "stage.count", s->stage_count);
	stattext_num(&st, "stage.total_ns",
	    s->stage_total_ns);
	stattext_num(&st, "stage.attributord_ns",
	    s->stage_attr_ns);
	stattext_num(&st, "stage.ruled_ns",
	    s->stage_rule_ns);
	if (p->kstatsfd != -1 && queue_kstats_read(p->kstatsfd,
	    p->cfg.queue_num, &ks) == 0) {
		/* The kernel dropped these before tattle saw them. */
		stattext_num(&st, "queue_overflows",
		    (unsigned long long)ks.dropped + ks.user_dropped);
		stattext_num(&st, "queue_waiting", ks.total);
	}
	msg_init(&m, MSG_STATS, msg_id(req));
	msg_set_body(&m, &q, sizeof(q));
	msg_add_attr(&m, ATTR_STATS, st.buf, st.len);
	if (chan_send(&p->children[ROLE_PROMPTD].chan, &m) == -1)
		log_warn("%s: to promptd", __func__);
}
