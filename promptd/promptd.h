/*
 * promptd.h: the process that talks to the user.  It serves the UI
 * socket packetd bound (docs/ui-protocol.md is the contract), relays
 * asks and events from ruled to the clients, and their answers and
 * requests back to ruled and packetd.
 *
 * What every file of promptd may use: the bounds, the client protocol's
 * parser and writers (uireq.c, uiout.c, stats_merge.c: no state) and the
 * process's state (promptd_state.c).  Calls go one way:
 *	promptd.c -> relay.c -> control.c -> asks.c -> promptd_state.c
 * (relay.h, control.h, asks.h); control.c hands a client's request to
 * relay.c through the function main() gives control_init().
 */
#ifndef TATTLE_PROMPTD_H
#define TATTLE_PROMPTD_H

#include <stdint.h>

#include "child.h"
#include "jsonw.h"

/* Bounds of docs/ui-protocol.md, and promptd's own. */
#define MAX_UI_CLIENTS		32	/* served at once */
#define MAX_UI_LINE		65536	/* bytes of a client line, no \n */
#define MAX_UI_RATE		100	/* requests per second per client */
#define MAX_UI_DEPTH		32	/* nesting in a client's line */
#define MAX_UI_REQ_TOKEN	256	/* bytes of a client's "req" */
#define MAX_UI_CLIENT_NAME	64	/* bytes of a hello's "client" kept */
#define MAX_UI_OUTBUF		(8u * 1024 * 1024)	/* one client */
#define MAX_UI_OUTBUF_TOTAL	(32u * 1024 * 1024)	/* all clients */
#define MAX_UI_CLIENT_PENDING	16	/* requests in flight per client */
#define MAX_UI_PENDING		(MAX_UI_CLIENTS * MAX_UI_CLIENT_PENDING)
#define MAX_UI_ASKS		1024	/* open asks kept for new prompters */
#define MAX_UI_ASK_BYTES	(8u * 1024 * 1024)	/* their JSON */
#define MAX_UI_BACKLOG		512	/* recent events kept */
#define MAX_UI_BACKLOG_BYTES	(1024u * 1024)
#define MAX_UI_PEER_GROUPS	65536	/* NGROUPS_MAX */
#define MAX_UI_STATS_KEYS	1024	/* merged counters */
#define UI_REQUEST_TIMEOUT_MS	10000	/* ruled or packetd did not answer */
#define UI_ASK_GRACE_MS		5000	/* an ask kept past its deadline */

#define PROMPT_MAX_FDS	(FD_PROMPT_FIRST_FREE + MAX_UI_CLIENTS + 4)

/* A client's line, parsed and checked (uireq.c). */
enum uireq_type {
	UIREQ_HELLO = 1,
	UIREQ_SUBSCRIBE,
	UIREQ_ANSWER,
	UIREQ_RULES_LIST,
	UIREQ_RULES_ADD,
	UIREQ_RULES_DELETE,
	UIREQ_RULES_ENABLE,
	UIREQ_RULES_DISABLE,
	UIREQ_STATS,
};

/* Error codes of docs/ui-protocol.md. */
enum uierr_code {
	UIERR_FORBIDDEN = 1,
	UIERR_BUSY,
	UIERR_BAD_JSON,
	UIERR_TOO_LONG,
	UIERR_RATE,
	UIERR_BAD_REQUEST,
	UIERR_BAD_NAME,
	UIERR_NOT_FOUND,
	UIERR_GONE,
	UIERR_READ_ONLY,
	UIERR_INTERNAL,
};

#define UIERR_MSG	256

struct uireq {
	enum uireq_type	 type;
	char		 req[MAX_UI_REQ_TOKEN + 8];	/* JSON text; "" */
	uint32_t	 version;			/* hello */
	char		 client[MAX_UI_CLIENT_NAME];	/* hello */
	int		 asks, events;			/* subscribe */
	uint32_t	 backlog;			/* subscribe */
	uint32_t	 id;				/* answer */
	uint32_t	 verdict, duration, match;	/* answer */
	char		 name[MAX_RULE_NAME];		/* answer, rules.* */
	int		 has_name;
	char		*rule;		/* rules.add: compact JSON, malloc'd */
	size_t		 rule_len;
};

struct uierr {
	enum uierr_code	 code;
	int		 fatal;		/* disconnect after the error line */
	char		 req[MAX_UI_REQ_TOKEN + 8];	/* "" if unknown */
	char		 msg[UIERR_MSG];
};

int	 uireq_parse(const char *, size_t, struct uireq *, struct uierr *);
void	 uireq_clear(struct uireq *);
int	 uireq_name_ok(const char *, const char **);
const char *uierr_code_name(enum uierr_code);
const char *uireq_verdict_name(uint32_t);
const char *uireq_duration_name(uint32_t);

/* The lines promptd sends (uiout.c). */
void	 uiout_ask(struct jw *, const struct msg *);
void	 uiout_ask_line(struct jw *, uint32_t, uint32_t, const char *,
	    size_t);
void	 uiout_event(struct jw *, const struct msg *);
void	 uiout_gone(struct jw *, uint32_t, uint32_t);
void	 uiout_error(struct jw *, const char *, enum uierr_code,
	    const char *);
void	 uiout_hello(struct jw *);
int	 uiout_rule_json(struct jw *, const void *, size_t, const char *);

/* Statistics (stats_merge.c): "name value" lines into one JSON object. */
struct stats_merge;

struct stats_merge *stats_new(void);
void	 stats_free(struct stats_merge *);
int	 stats_add_lines(struct stats_merge *, const char *, size_t,
	    const char **);
int	 stats_add(struct stats_merge *, const char *, const char *,
	    uint64_t);
int	 stats_get(const struct stats_merge *, const char *, const char *,
	    uint64_t *);
void	 stats_json(const struct stats_merge *, struct jw *);

/* promptd's state, shared by its files (promptd_state.c). */
struct promptd_state {
	struct chan		*parent;
	struct chan		*ruled;
	struct msg_config	 cfg;
	int			 have_config;
	int			 listen_fd;
	uint64_t		 start_ms;
	uint32_t		 sent_prompters;	/* last MSG_CLIENTS */
	uint32_t		 sent_listeners;
	int			 sent_clients;
	struct {
		uint64_t	 accepted;
		uint64_t	 refused;	/* SO_PEERCRED said no */
		uint64_t	 busy;		/* over MAX_UI_CLIENTS */
		uint64_t	 bad;		/* disconnected for input */
		uint64_t	 slow;		/* output bound reached */
		uint64_t	 asks;
		uint64_t	 events;
		uint64_t	 answers;
	} st;
};

extern struct promptd_state	 pds;

uint64_t promptd_now_ms(void);

/* promptd_sandbox.c */
void	 promptd_sandbox(const struct child_env *);
size_t	 promptd_sandbox_nsyscalls(void);

#endif /* TATTLE_PROMPTD_H */
