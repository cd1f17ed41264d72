/*
 * osui.h: tattle-osui, the bridge between tattle's client protocol
 * (docs/ui-protocol.md) and OpenSnitch's Qt UI (a gRPC server).  The
 * bridge's own model of what travels: connections, rules, statistics,
 * commands; each protocol generation's codec converts it to and from
 * protobuf, tclient.c/tjson.c to and from tattle's JSON lines.
 */
#ifndef TATTLE_OSUI_H
#define TATTLE_OSUI_H

#include <sys/types.h>
#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

/* Every bound of the bridge. */
#define MAX_UI_LINE		65536	/* tattle's line limit (ui-protocol) */
#define MAX_OSUI_TOUT		(1024 * 1024)	/* queued bytes to tattle */
#define MAX_OSUI_REQS		256	/* tattle requests awaiting a result */
#define MAX_OSUI_QUEUE		1024	/* requests waiting for the rate */
#define MAX_OSUI_RATE		50	/* requests per second to tattle */
#define MAX_OSUI_RULES		4096	/* rules sent in Subscribe */
#define MAX_OSUI_OPLIST		32	/* children of a list operator */
#define MAX_OSUI_PARENTS	32	/* parent paths of a process */
#define MAX_OSUI_EVENTS		150	/* events per Ping (OpenSnitch's) */
#define MAX_OSUI_STATS		25	/* keys per by_* table (OpenSnitch's) */
#define MAX_OSUI_ASKS		32	/* AskRule calls in flight */
#define MAX_OSUI_NOTIFS		64	/* UI commands awaiting tattle */
#define MAX_OSUI_ALERTS		32	/* alerts queued (OpenSnitch's) */
#define MAX_OSUI_STR		4096	/* one string field */
#define MAX_GRPC_MSG		(4 * 1024 * 1024) /* one gRPC message */
#define MAX_GRPC_CALLS		64	/* concurrent gRPC calls */
#define MAX_GRPC_OUT		(4 * 1024 * 1024) /* queued bytes to the UI */
#define OSUI_BACKOFF_MIN_MS	500
#define OSUI_BACKOFF_MAX_MS	30000
#define OSUI_PING_MS		1000	/* OpenSnitch's poller period */
#define OSUI_PING_IDLE_MS	5000	/* a Ping even without news */
#define OSUI_SUBSCRIBE_MS	10000	/* OpenSnitch's Subscribe deadline */
#define OSUI_UNARY_MS		1000	/* Ping, PostAlert deadlines */

enum osui_gen {
	OSUI_GEN_AUTO,
	OSUI_GEN_15,		/* OpenSnitch 1.5.8 */
	OSUI_GEN_16		/* OpenSnitch 1.6 and later */
};

/* A connection as tattle describes it in ask and event. */
struct osui_conn {
	char		*protocol;
	char		*src_ip;
	char		*dst_ip;
	char		*host;		/* "" when no trusted name */
	uint32_t	 src_port;
	uint32_t	 dst_port;
	int		 has_process;
	int		 has_uid;
	uint32_t	 pid;
	uint32_t	 uid;
	char		*path;
	char		*command;
	char		*cwd;
	char		*parents[MAX_OSUI_PARENTS];
	size_t		 nparents;
};

struct osui_ask {
	uint64_t	 id;
	uint32_t	 timeout_ms;
	struct osui_conn conn;
};

struct osui_event {
	int64_t		 unixnano;
	char		*verdict;
	char		*rule;		/* NULL when no rule decided */
	char		*reason;
	struct osui_conn conn;
};

/* An OpenSnitch operator; list children are one level deep. */
struct osui_op {
	char		*type;
	char		*operand;
	char		*data;
	int		 sensitive;
	struct osui_op	*list;
	size_t		 nlist;
};

struct osui_rule {
	char		*name;
	char		*description;
	char		*action;
	char		*duration;
	int		 enabled;
	int		 precedence;
	int		 nolog;
	int64_t		 created;	/* unix seconds, 0 unknown */
	struct osui_op	 op;
};

/* What the UI asked for, in the bridge's own terms. */
enum osui_cmd {
	OSUI_CMD_NONE,
	OSUI_CMD_RULE_CHANGE,
	OSUI_CMD_RULE_DELETE,
	OSUI_CMD_RULE_ENABLE,
	OSUI_CMD_RULE_DISABLE,
	OSUI_CMD_CONFIG,
	OSUI_CMD_INTERCEPTION,	/* on or off */
	OSUI_CMD_FIREWALL,	/* system firewall: on, off, reload */
	OSUI_CMD_LOG_LEVEL,
	OSUI_CMD_STOP,
	OSUI_CMD_TASK,		/* tasks, process monitor */
	OSUI_CMD_UNKNOWN
};

struct osui_notif {
	uint64_t	 id;
	enum osui_cmd	 cmd;
	int		 wire_type;	/* the generation's own number */
	struct osui_rule *rules;
	size_t		 nrules;
};

/* A by_* table: key -> hits, least-hit key evicted when full. */
struct osui_tally {
	char		*key[MAX_OSUI_STATS];
	uint64_t	 hits[MAX_OSUI_STATS];
	size_t		 n;
};

enum { OSUI_BY_PROTO, OSUI_BY_ADDR, OSUI_BY_HOST, OSUI_BY_PORT,
    OSUI_BY_UID, OSUI_BY_EXE, OSUI_BY_MAX };

struct osui_stats {
	char		*version;	/* x.y.z */
	uint64_t	 rules;
	uint64_t	 uptime;
	uint64_t	 dns_responses;
	uint64_t	 connections;
	uint64_t	 accepted;
	uint64_t	 dropped;
	uint64_t	 rule_hits;
	uint64_t	 rule_misses;
	struct osui_tally by[OSUI_BY_MAX];
	struct osui_event events[MAX_OSUI_EVENTS];
	size_t		 nevents;
	int64_t		 last_nano;	/* keeps event stamps unique */
};

/* What Subscribe carries. */
struct osui_node {
	const char	*name;
	const char	*version;
	const char	*config;	/* OpenSnitch JSON */
	const struct osui_rule *rules;
	size_t		 nrules;
};

/* tattle's answer to one ask. */
#define OSUI_MATCH_MAX	6
struct osui_answer {
	const char	*action;
	const char	*duration;
	const char	*match[OSUI_MATCH_MAX];
	size_t		 nmatch;
	const char	*name;		/* NULL: tattle names it */
};

/* A byte buffer that grows up to a bound. */
struct buf {
	uint8_t		*p;
	size_t		 len;
	size_t		 cap;
	size_t		 max;
};

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
};

/* Where the UI listens. */
struct ui_addr {
	int			 family;
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	char			 path[108];	/* unix only */
	char			 text[256];
	char			 authority[300];
};

/* One protocol generation's protobuf codec. */
struct osui_codec {
	enum osui_gen	 gen;
	const char	*name;
	int	(*pack_subscribe)(const struct osui_node *, struct buf *);
	int	(*pack_conn)(const struct osui_conn *, struct buf *);
	int	(*unpack_rule)(const uint8_t *, size_t, struct osui_rule *,
		    char *, size_t);
	int	(*pack_ping)(uint64_t, const struct osui_stats *,
		    struct buf *);
	int	(*unpack_ping_reply)(const uint8_t *, size_t, uint64_t *);
	int	(*unpack_notif)(const uint8_t *, size_t, struct osui_notif *,
		    char *, size_t);
	int	(*pack_notif_reply)(uint64_t, int, const char *,
		    struct buf *);
	int	(*pack_alert)(uint64_t, int, const char *, struct buf *);
};

extern const struct osui_codec osui_codec15;
extern const struct osui_codec osui_codec16;

/* buf.c */
void	 buf_init(struct buf *, size_t);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_reserve(struct buf *, size_t);
void	 buf_drop(struct buf *, size_t);
void	 buf_free(struct buf *);
char	*osui_strdup(const char *);
char	*osui_strndup(const char *, size_t);
void	*arena_alloc(struct arena *, size_t);
char	*arena_strdup(struct arena *, const char *);
void	 arena_free(struct arena *);

/* model.c */
void	 osui_conn_free(struct osui_conn *);
void	 osui_event_free(struct osui_event *);
void	 osui_op_free(struct osui_op *);
void	 osui_rule_free(struct osui_rule *);
void	 osui_rules_free(struct osui_rule *, size_t);
void	 osui_notif_free(struct osui_notif *);
int	 osui_op_list_from_data(struct osui_op *, char *, size_t);
char	*osui_op_list_to_data(const struct osui_op *);
size_t	 osui_split_args(char *, char **, size_t);
int	 osui_rule_name_ok(const char *);

/* uiaddr.c */
int	 ui_addr_parse(const char *, struct ui_addr *, char *, size_t);
int	 ui_connect(const struct ui_addr *, int *);
int	 ui_connect_done(int);
int	 ui_peer_check(int, const struct ui_addr *, char *, size_t);

/* osui_answer.c */
int	 osui_answer_from_rule(const struct osui_rule *,
	    const struct osui_conn *, struct osui_answer *, char *, size_t);

/* osui_stats.c */
void	 osui_stats_init(struct osui_stats *);
void	 osui_stats_free(struct osui_stats *);
void	 osui_stats_add_event(struct osui_stats *, struct osui_event *);
void	 osui_stats_clear_events(struct osui_stats *);
void	 osui_tally_add(struct osui_tally *, const char *);
int	 osui_event_time(int64_t, char *, size_t);

#endif /* TATTLE_OSUI_H */
