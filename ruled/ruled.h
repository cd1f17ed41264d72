/*
 * ruled.h: the decision process.
 */
#ifndef TATTLE_RULED_H
#define TATTLE_RULED_H

#include <stdint.h>

#include "child.h"

#define RULED_MAX_FDS	16	/* 0-5 and descriptors in flight */
#define MAX_LIST_DIRS_RULED	64	/* as packetd's PACKETD_MAX_LIST_DIRS */

struct ruled_stats {
	uint64_t	conns;
	uint64_t	verdicts[VERDICT_MAX];
	uint64_t	reasons[REASON_MAX];
	uint64_t	unknown;	/* no process found */
	uint64_t	dns_replies;
	uint64_t	dns_untrusted;
	uint64_t	dns_bad;
	uint64_t	dns_cut;
	uint64_t	dns_queries;	/* seen leaving */
	uint64_t	dns_named;	/* addresses named by trusted replies */
	uint64_t	host_unknown;	/* connections no name was known for */
	uint64_t	rule_errors;	/* rule files refused */
	uint64_t	prompts;	/* asks sent */
	uint64_t	prompt_joined;	/* connections joined to an ask */
	uint64_t	prompt_timeouts;
	uint64_t	prompt_overflow;	/* no room to ask: default */
	uint64_t	prompt_again;	/* asked again: an answer left them */
	uint64_t	sources[SRC_MAX];
	uint64_t	failmode;
	uint64_t	repeats;	/* first packets again, decided */
};

enum { C_PARENT, C_ATTR, C_PROMPT, C_MAX };

#define MAX_ASKS		64	/* prompts open at once */
#define MAX_ASK_CONNS		256	/* connections waiting on one */
#define MAX_SAVES		64	/* rule writes awaiting packetd */
#define MAX_RULE_STATS		256	/* rules counted by name */
#define MAX_EVENTS_HELD		8	/* events sent to promptd at once */
#define EVENT_HOLD_MS		50	/* an event waits for others at most */
#define DNS_COPY_WAIT_MS	1000	/* a connection waits for a DNS copy */
#define MAX_DECIDED		4096	/* verdicts kept for retransmits */
#define DECIDED_BUCKETS		8192	/* their hash chains (power of 2) */
#define DECIDED_KEEP_MS		130000	/* kept this long: TCP's SYN retries */

/* What a rule built from an answer may match, from the first conn. */
struct ask_info {
	char		 path[4096];
	char		 command[MAX_CMDLINE];
	char		 host[256];
	char		 ip[64];
	char		 proto[16];
	uint16_t	 port;
	int64_t		 uid;
};

struct ruled {
	struct chan		 chans[C_MAX];
	struct msg_config	 cfg;
	int			 have_config;
	int			 rules_loaded;	/* first full set seen */
	int			 full_set;	/* a full set is coming in */
	int			 ready;		/* MSG_READY sent */
	char			*passwd;	/* /etc/passwd snapshot */
	size_t			 passwd_len;
	uint32_t		 prompters;	/* clients answering asks */
	uint32_t		 listeners;	/* clients wanting events */
	uint32_t		 dns_seen;	/* MSG_DNS taken from packetd */
	struct ruled_stats	 stats;
};

/* ruled_sandbox.c */
void	 ruled_sandbox(const struct child_env *);
size_t	 ruled_sandbox_nsyscalls(void);

/* ruled_clock.c */
extern unsigned int ruled_time_scale;
void	 ruled_clock_init(void);
uint64_t ruled_now_ms(void);
uint64_t ruled_now_ns(void);

/* names.c */
void	 names_init(void);
void	 names_dns(struct ruled *, const struct msg *);
const char *names_host(struct ruled *, const struct msg_conn *);
void	 names_expire(void);

/* operands.c */
struct policy_conn;
struct policy_ip;
const struct policy_conn *operands_build(struct ruled *, const struct msg *,
	    const struct msg_conn_attr *);
void	 operands_ip(struct policy_ip *, uint8_t, const uint8_t *);

/* decide.c */
void	 decide_conn(struct ruled *, const struct msg *);

/* verdicts.c */
struct verdict_timing {			/* where a connection's time went */
	uint64_t	 conn_stamp_ns;	/* packetd's, from MSG_CONN */
	uint64_t	 attr_ns;	/* attributord's */
	uint64_t	 rule_start_ns;	/* ruled_now_ns() when ruled began */
};
void	 verdict_send(struct ruled *, uint32_t, const struct msg_conn_attr *,
	    uint32_t, uint32_t, const char *, const struct verdict_timing *);
void	 verdict_repeat(struct ruled *, uint32_t, uint32_t, uint32_t,
	    const char *, const struct verdict_timing *);
void	 verdict_event(struct ruled *, const struct msg *,
	    const struct msg_conn_attr *, const char *, uint32_t, uint32_t,
	    const char *);
int	 verdict_events_timeout(struct ruled *);

/* decided.c */
void	 decided_init(void);
void	 decided_add(const struct msg_conn_attr *, uint32_t, uint32_t);
uint32_t decided_find(const struct msg_conn_attr *, uint32_t *);
void	 decided_forget(void);

/* prompt.c */
void	 prompt_conn(struct ruled *, const struct msg *,
	    const struct msg_conn_attr *, const struct policy_conn *);
void	 prompt_answer(struct ruled *, const struct msg *);
void	 prompt_clients(struct ruled *, const struct msg *);
void	 prompt_expire(struct ruled *);
int64_t	 prompt_next_deadline(void);

/* answer_rule.c */
const char *answer_duration_name(uint32_t);
const char *answer_verdict_name(uint32_t);
int	 answer_rule(const struct ask_info *, const struct msg_answer *,
	    const char *, char **, char *, size_t, const char **);

/* requests.c */
void	 request_dispatch(struct ruled *, const struct msg *);
void	 request_saved(struct ruled *, const struct msg *);
uint32_t request_save(struct ruled *, uint32_t, uint32_t, const char *,
	    const char *, const char *, int);
void	 request_result(struct ruled *, uint32_t, uint32_t, uint32_t,
	    const char *, const char *, const char *);

/* ruled_stats.c */
void	 ruled_stats_rule_hit(const char *);
void	 ruled_stats_send(struct ruled *, const struct msg *);

/* rules.c */
struct policy *rules_policy(void);
void	 rules_init(struct ruled *, const struct msg *);
void	 rules_resolvers(struct ruled *, const struct msg *);
void	 rules_begin(struct ruled *);
void	 rules_expire(struct ruled *);
int64_t	 rules_next_expiry(void);
void	 rules_file(struct ruled *, struct msg *);
void	 rules_file_gone(struct ruled *, const struct msg *);
void	 rules_loaded(struct ruled *);
void	 rules_lists_loaded(struct ruled *, const struct msg *);
void	 rules_changed(struct ruled *);

#endif /* TATTLE_RULED_H */
