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
	uint64_t	rule_errors;	/* rule files refused */
};

enum { C_PARENT, C_ATTR, C_PROMPT, C_MAX };

struct ruled {
	struct chan		 chans[C_MAX];
	struct msg_config	 cfg;
	int			 have_config;
	int			 rules_loaded;	/* first full set seen */
	int			 full_set;	/* a full set is coming in */
	int			 ready;		/* MSG_READY sent */
	char			*passwd;	/* /etc/passwd snapshot */
	size_t			 passwd_len;
	struct ruled_stats	 stats;
};

/* ruled_sandbox.c */
void	 ruled_sandbox(const struct child_env *);
size_t	 ruled_sandbox_nsyscalls(void);

/* names.c */
extern unsigned int ruled_time_scale;
uint64_t ruled_now_ms(void);
void	 names_init(void);
void	 names_dns(struct ruled *, const struct msg *);
const char *names_host(const struct msg_conn *);
void	 names_expire(void);

/* decide.c */
void	 decide_conn(struct ruled *, const struct msg *);

/* rules.c */
struct policy *rules_policy(void);
void	 rules_init(struct ruled *);
void	 rules_begin(struct ruled *);
void	 rules_expire(struct ruled *);
int64_t	 rules_next_expiry(void);
void	 rules_file(struct ruled *, struct msg *);
void	 rules_file_gone(struct ruled *, const struct msg *);
void	 rules_loaded(struct ruled *);
void	 rules_lists_loaded(struct ruled *, const struct msg *);

#endif /* TATTLE_RULED_H */
