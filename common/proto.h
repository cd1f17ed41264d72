/*
 * proto.h: the message catalogue between tattle's four processes.
 *
 * Every message is one SOCK_SEQPACKET datagram:
 *
 *	struct msg_hdr		16 bytes: type, total length, id, flags
 *	fixed body		the struct named in the catalogue below
 *	attributes		zero or more TLVs: u16 attr, u16 len, len bytes
 *
 * The receiver checks, before it reads a field: the datagram was not
 * truncated; hdr.len equals the bytes received; the type is known and
 * may travel on this link in this direction; the body is present whole;
 * every attribute lies inside the message, is allowed for the type, is
 * within its size bound, and (for strings) ends in its only NUL; the
 * required attributes are there; a file descriptor came if and only if
 * the type carries one; a type that comes once per channel did not come
 * before.  Any violation ends the receiving process.
 *
 * The catalogue (MSG_CATALOGUE) is the single place that says which
 * messages exist, who may send them to whom, how often, and what they
 * hold.
 */
#ifndef TATTLE_PROTO_H
#define TATTLE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "trace_layout.h"

#define TATTLE_PROTO_VERSION	2

#define MAX_MSGSIZE		16384	/* one datagram, header included */
#define MAX_ATTRS		64	/* attributes in one message */
#define MAX_PAYLOAD		12288	/* DNS bytes copied; more is cut */
#define MAX_CMDLINE		4096	/* command line bytes; more is cut */
#define MAX_RULE_NAME		129	/* rule name, NUL included */
#define MAX_JSON		12288	/* one rule as JSON in a message */
#define MAX_STATS		8192	/* one process's counters */

/* The four processes.  ROLE_NONE never appears on the wire. */
enum role {
	ROLE_NONE = 0,
	ROLE_PACKETD = 1,
	ROLE_ATTRIBUTORD = 2,
	ROLE_RULED = 3,
	ROLE_PROMPTD = 4,
	ROLE_MAX
};

/* Fixed fd numbers at which each child finds its channels after exec. */
#define FD_PARENT		3	/* each child's channel to packetd */
#define FD_ATTR_RULED		4	/* attributord: to ruled */
#define FD_ATTR_PROC		5	/* attributord: dirfd of /proc */
#define FD_ATTR_ROOT		6	/* attributord: host's "/", O_PATH */
#define FD_ATTR_FIRST_FREE	7
#define FD_RULED_ATTR		4	/* ruled: from attributord */
#define FD_RULED_PROMPT		5	/* ruled: to promptd */
#define FD_RULED_FIRST_FREE	6
#define FD_PROMPT_RULED		4	/* promptd: from ruled */
#define FD_PROMPT_LISTEN	5	/* promptd: the UI listening socket */
#define FD_PROMPT_FIRST_FREE	6

/*
 * Links: one bit per (sender, receiver) pair.  P = packetd,
 * A = attributord, R = ruled, U = promptd (the user side).
 */
#define LINK(from, to)	(1u << ((from) * ROLE_MAX + (to)))
#define L_PA	LINK(ROLE_PACKETD, ROLE_ATTRIBUTORD)
#define L_PR	LINK(ROLE_PACKETD, ROLE_RULED)
#define L_PU	LINK(ROLE_PACKETD, ROLE_PROMPTD)
#define L_AP	LINK(ROLE_ATTRIBUTORD, ROLE_PACKETD)
#define L_RP	LINK(ROLE_RULED, ROLE_PACKETD)
#define L_UP	LINK(ROLE_PROMPTD, ROLE_PACKETD)
#define L_AR	LINK(ROLE_ATTRIBUTORD, ROLE_RULED)
#define L_RA	LINK(ROLE_RULED, ROLE_ATTRIBUTORD)
#define L_RU	LINK(ROLE_RULED, ROLE_PROMPTD)
#define L_UR	LINK(ROLE_PROMPTD, ROLE_RULED)
#define L_CHILD_TO_P	(L_AP | L_RP | L_UP)
#define L_P_TO_CHILD	(L_PA | L_PR | L_PU)
#define L_ANY		(L_CHILD_TO_P | L_P_TO_CHILD | L_AR | L_RA | L_RU | \
		    L_UR)

struct msg_hdr {
	uint32_t	type;
	uint32_t	len;		/* whole datagram, header included */
	uint32_t	id;		/* correlates request and answer */
	uint32_t	flags;		/* none defined yet; must be 0 */
};
_Static_assert(sizeof(struct msg_hdr) == 16, "msg_hdr size");

/* Attribute kinds: how a TLV's bytes are checked. */
enum attr_kind {
	AK_STR = 1,		/* NUL-terminated, no interior NUL */
	AK_BYTES,		/* opaque */
};

/*
 * Attributes.  Columns: id, kind, maximum value length (for strings,
 * NUL included), whether it may appear more than once in a message.
 */
#define ATTR_CATALOGUE(X)						\
	X(ATTR_TEXT,		1, AK_STR,	4096,	0)	/* log line */ \
	X(ATTR_ROLE_NAME,	2, AK_STR,	32,	0)		\
	X(ATTR_FILE_NAME,	3, AK_STR,	4096,	0) /* path or name */ \
	X(ATTR_PAYLOAD,		4, AK_BYTES,	MAX_PAYLOAD, 0)	/* DNS data */ \
	X(ATTR_RULE_NAME,	5, AK_STR,	MAX_RULE_NAME, 0)	\
	X(ATTR_PROC_PATH,	6, AK_STR,	4096,	0)		\
	X(ATTR_PROC_CMDLINE,	7, AK_STR,	MAX_CMDLINE, 0)		\
	X(ATTR_PROC_CWD,	8, AK_STR,	4096,	0)		\
	X(ATTR_PROC_PARENT,	9, AK_STR,	4096,	1) /* nearest first */ \
	X(ATTR_PROC_ENV,	10, AK_STR,	4096,	1) /* NAME=VALUE */ \
	X(ATTR_PROC_MD5,	11, AK_STR,	33,	0)		\
	X(ATTR_USER_NAME,	12, AK_STR,	64,	0)		\
	X(ATTR_CGROUP,		13, AK_STR,	1024,	0)		\
	X(ATTR_IFACE_IN,	14, AK_STR,	16,	0)		\
	X(ATTR_IFACE_OUT,	15, AK_STR,	16,	0)		\
	X(ATTR_ENV_NAME,	16, AK_STR,	256,	1) /* rules want it */ \
	X(ATTR_DIR,		17, AK_STR,	4096,	1) /* a lists dir */ \
	X(ATTR_JSON,		18, AK_BYTES,	MAX_JSON, 0)	/* a rule */ \
	X(ATTR_ERROR,		19, AK_STR,	1024,	0) /* why it failed */ \
	X(ATTR_HOST,		20, AK_STR,	256,	0) /* dest.host */ \
	X(ATTR_STATS,		21, AK_BYTES,	MAX_STATS, 0)	/* counters */ \
	X(ATTR_PROC_SHA1,	22, AK_STR,	41,	0)	/* issue 15.7 */

enum msg_attr {
#define X_ATTR_ENUM(name, num, kind, max, rep)	name = num,
	ATTR_CATALOGUE(X_ATTR_ENUM)
#undef X_ATTR_ENUM
	ATTR_MAX
};
#define ATTR_BIT(a)	(1ull << (a))

/* Bodies.  All fields are fixed width; padding is explicit and zero. */
struct msg_hello {			/* first message on every channel */
	uint32_t	version;	/* TATTLE_PROTO_VERSION */
	uint32_t	role;		/* the sender's enum role */
	uint32_t	pid;		/* the sender's, for packetd's logs */
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_hello) == 16, "msg_hello size");

struct msg_log {			/* + ATTR_TEXT */
	uint32_t	priority;	/* syslog priority */
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_log) == 8, "msg_log size");

struct msg_ping {			/* echo: the peer answers with PONG */
	uint64_t	seq;
	uint64_t	stamp_ns;
};
_Static_assert(sizeof(struct msg_ping) == 16, "msg_ping size");

struct msg_test_hook {		/* test builds: misbehave on purpose */
	uint32_t	which;		/* enum test_hook */
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_test_hook) == 8, "msg_test_hook size");

enum test_hook {
	TEST_HOOK_OPENAT = 1,
	TEST_HOOK_SOCKET,
	TEST_HOOK_PTRACE,
	TEST_HOOK_EXECVE,
	TEST_HOOK_BADMSG,		/* send packetd a malformed message */
	TEST_HOOK_HELLO2,		/* send packetd a second HELLO */
	TEST_HOOK_CONFIG2,		/* packetd: send the child a second
					   MSG_CONFIG (never sent as a hook) */
	TEST_HOOK_MAX
};

struct msg_file {			/* + ATTR_FILE_NAME, + a sealed memfd */
	uint32_t	kind;		/* enum file_kind */
	uint32_t	pad;
	uint64_t	size;		/* bytes in the memfd */
};
_Static_assert(sizeof(struct msg_file) == 16, "msg_file size");

enum file_kind {
	FILE_RULE = 1,			/* one rule file of the rules dir */
	FILE_LIST,			/* one file of a lists directory */
	FILE_PASSWD,			/* /etc/passwd, for user.name */
	FILE_KIND_MAX
};

/* Verdicts, as ruled gives them and packetd applies them. */
enum verdict {
	VERDICT_NONE = 0,
	VERDICT_ALLOW,
	VERDICT_DENY,			/* NF_DROP */
	VERDICT_REJECT,			/* NF_REPEAT + reject mark: RST/ICMP */
	VERDICT_MAX
};

/* Why a verdict is what it is (events and statistics). */
enum verdict_reason {
	REASON_RULE = 1,		/* a rule matched */
	REASON_DEFAULT,			/* no rule, nobody to ask */
	REASON_ANSWER,			/* the user answered */
	REASON_TIMEOUT,			/* the user did not answer in time */
	REASON_UNKNOWN,			/* no process, InterceptUnknown off */
	REASON_FAILMODE,		/* tattle could not decide */
	REASON_MAX
};

/* Where attributord found the process. */
enum attr_source {
	SRC_NONE = 0,			/* no process: unknown */
	SRC_FTRACE,
	SRC_SOCKDIAG,			/* sock_diag, then /proc */
	SRC_PROC,			/* /proc alone */
	SRC_MAX
};

#define CONN_F_DELETED		0x01	/* the executable was deleted */
#define CONN_F_CMDLINE_CUT	0x02	/* command line over MAX_CMDLINE */
#define CONN_F_RACED		0x04	/* process left while being read */
#define CONN_F_ATTRS_CUT	0x08	/* attributes left out: over size */
/*
 * Issue 15 item 1: the process runs in another mount namespace and the
 * path does not name its executable on the host (a mount over it, or a
 * name the host does not have): no allow rule on the path matches.
 */
#define CONN_F_PATH_UNSURE	0x10
#define CONN_UID_UNKNOWN	0xffffffffu

struct msg_config {			/* packetd -> children, once at start;
					   + ATTR_DIR: the lists roots */
	uint32_t	default_action;	/* enum verdict */
	uint32_t	prompt_timeout_ms;
	uint32_t	intercept_unknown;
	uint32_t	checksums;
	uint32_t	fail_open;
	uint32_t	ui_gid;		/* the group allowed on the UI socket */
};
_Static_assert(sizeof(struct msg_config) == 24, "msg_config size");

/*
 * packetd -> ruled: the nameservers the ResolvConf files name, at start
 * and after every change (the TATTLE_RESOLVERS alias).  At most
 * MAX_RESOLVERS; the rest are left out, and packetd says so.
 */
#define MAX_RESOLVERS		16
struct msg_resolver {
	uint8_t		family;		/* 4 or 6 */
	uint8_t		pad[3];
	uint8_t		addr[16];	/* IPv4: first 4 bytes */
};
struct msg_resolvers {
	uint32_t		n;
	uint32_t		pad;
	struct msg_resolver	ip[MAX_RESOLVERS];
};
_Static_assert(sizeof(struct msg_resolvers) == 328, "msg_resolvers size");

struct msg_conn {		/* packetd -> attributord: held packet */
	struct conn_tuple t;
	uint32_t	uid;		/* socket owner, or CONN_UID_UNKNOWN */
	uint32_t	gid;
	uint32_t	ifindex_in;
	uint32_t	ifindex_out;
	uint64_t	stamp_ns;	/* CLOCK_MONOTONIC at receipt */
	uint32_t	dns_seq;	/* MSG_DNS sent to ruled before it */
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_conn) == 72, "msg_conn size");

struct msg_conn_attr {		/* attributord -> ruled; + ATTR_PROC_* */
	struct msg_conn	conn;
	uint32_t	pid;		/* 0: unknown */
	uint32_t	ppid;
	uint32_t	puid;		/* the process's uid */
	uint32_t	source;		/* enum attr_source */
	uint32_t	flags;		/* CONN_F_* */
	uint32_t	pad;
	uint64_t	start_time;	/* process start, clock ticks */
	uint64_t	attr_ns;	/* time spent attributing */
};
_Static_assert(sizeof(struct msg_conn_attr) == 112, "msg_conn_attr size");

struct msg_verdict {			/* ruled -> packetd; + ATTR_RULE_NAME */
	uint32_t	verdict;	/* enum verdict */
	uint32_t	reason;		/* enum verdict_reason */
	/* Where the time went, for the statistics (0 when unknown). */
	uint64_t	conn_stamp_ns;	/* MSG_CONN's stamp_ns, echoed */
	uint64_t	attr_ns;	/* attributord's time */
	uint64_t	rule_ns;	/* ruled's time to decide */
};
_Static_assert(sizeof(struct msg_verdict) == 32, "msg_verdict size");

struct msg_dns {			/* packetd -> ruled; + ATTR_PAYLOAD */
	struct conn_tuple t;		/* as the packet travels */
	uint32_t	dir;		/* DNS_DIR_QUERY, _REPLY or _ASK */
	uint32_t	uid;		/* queries: the socket owner */
	uint32_t	flags;		/* DNS_F_CUT: payload was cut */
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_dns) == 56, "msg_dns size");

#define DNS_DIR_QUERY		1
#define DNS_DIR_REPLY		2
#define DNS_DIR_ASK		3	/* a query held for its verdict */
#define DNS_F_CUT		0x01

struct msg_attr_needs {		/* ruled -> attributord; + ATTR_ENV_NAME */
	uint32_t	flags;		/* NEED_* */
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_attr_needs) == 8, "msg_attr_needs size");

#define NEED_MD5		0x01	/* a rule uses process.hash.md5 */
#define NEED_SHA1		0x02	/* a rule uses process.hash.sha1 */

struct msg_trace_fd {			/* packetd -> attributord; + raw pipe */
	uint32_t	cpu;
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_trace_fd) == 8, "msg_trace_fd size");

/* Asking the user (ruled <-> promptd). */
struct msg_ask {			/* ruled -> promptd; id = the ask */
	struct msg_conn_attr ca;	/* + ATTR_PROC_*, ATTR_HOST */
	uint32_t	timeout_ms;
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_ask) == 120, "msg_ask size");

struct msg_ask_gone {			/* ruled -> promptd */
	uint32_t	reason;		/* GONE_* */
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_ask_gone) == 8, "msg_ask_gone size");

#define GONE_ANSWERED		1
#define GONE_TIMEOUT		2
#define GONE_NO_PROMPTER	3	/* the last prompter left */

/* What an answer's rule matches: the bits of MSG_ANSWER's match. */
#define MATCH_EXE		0x01	/* process.path */
#define MATCH_CMD		0x02	/* process.command (+ path) */
#define MATCH_HOST		0x04	/* dest.host */
#define MATCH_IP		0x08	/* dest.ip */
#define MATCH_PORT		0x10	/* dest.port and protocol */
#define MATCH_USER		0x20	/* user.id */
#define MATCH_ALL		0x3f

enum duration {
	DUR_ONCE = 1,
	DUR_RESTART,			/* until restart */
	DUR_30S, DUR_5M, DUR_15M, DUR_30M, DUR_1H, DUR_12H, DUR_24H,
	DUR_ALWAYS,
	DUR_MAX
};

struct msg_answer {			/* promptd -> ruled; id = the ask */
	uint32_t	verdict;	/* enum verdict */
	uint32_t	duration;	/* enum duration */
	uint32_t	match;		/* MATCH_* */
	uint32_t	client;		/* promptd's client number, echoed */
};
_Static_assert(sizeof(struct msg_answer) == 16, "msg_answer size");

struct msg_clients {			/* promptd -> ruled */
	uint32_t	prompters;	/* clients that answer asks */
	uint32_t	listeners;	/* clients that want events */
};
_Static_assert(sizeof(struct msg_clients) == 8, "msg_clients size");

struct msg_event {			/* ruled -> promptd; + ATTR_RULE_NAME */
	struct msg_conn_attr ca;	/* + ATTR_PROC_*, ATTR_HOST */
	uint32_t	verdict;
	uint32_t	reason;
	uint64_t	time_ns;	/* CLOCK_REALTIME */
};
_Static_assert(sizeof(struct msg_event) == 128, "msg_event size");

/* A client's request to ruled, and its result (id = promptd's req). */
enum rules_op {
	RULES_LIST = 1,			/* results: one ATTR_JSON per message */
	RULES_ADD,			/* ATTR_JSON: an OpenSnitch rule */
	RULES_DELETE,			/* ATTR_RULE_NAME */
	RULES_ENABLE,			/* ATTR_RULE_NAME */
	RULES_DISABLE,			/* ATTR_RULE_NAME */
	RULES_OP_MAX
};

struct msg_request {			/* promptd -> ruled */
	uint32_t	op;		/* enum rules_op */
	uint32_t	client;		/* echoed */
};
_Static_assert(sizeof(struct msg_request) == 8, "msg_request size");

struct msg_result {			/* ruled -> promptd, packetd -> ruled */
	uint32_t	status;		/* RES_* */
	uint32_t	client;		/* echoed */
	uint32_t	more;		/* 1: more results follow for this id */
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_result) == 16, "msg_result size");

#define RES_OK			0
#define RES_BAD_REQUEST		1	/* ATTR_ERROR says why */
#define RES_BAD_NAME		2
#define RES_NOT_FOUND		3
#define RES_GONE		4	/* the ask was already decided */
#define RES_READ_ONLY		5	/* the rules dir is not writable */
#define RES_INTERNAL		6

/* Persisting rules (ruled -> packetd, which owns the rules dir). */
struct msg_rule_save {			/* + ATTR_FILE_NAME, ATTR_JSON */
	uint32_t	op;		/* SAVE_WRITE or SAVE_UNLINK */
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_rule_save) == 8, "msg_rule_save size");

#define SAVE_WRITE		1
#define SAVE_UNLINK		2

/*
 * Statistics: each process answers MSG_STATS_REQ with MSG_STATS, whose
 * ATTR_STATS holds text lines "name value\n" (name: [a-z0-9_.-]+ or
 * "by_rule." and a rule name with bytes outside printable ASCII and the
 * backslash written \xNN; value: a decimal integer, or a word such as
 * "closed" for fail_mode).  promptd merges them for its clients.
 */
struct msg_stats_req {			/* promptd -> packetd, ruled */
	uint32_t	client;
	uint32_t	pad;
};
_Static_assert(sizeof(struct msg_stats_req) == 8, "msg_stats_req size");

struct msg_empty {
	uint64_t	pad;
};
_Static_assert(sizeof(struct msg_empty) == 8, "msg_empty size");

/* The process attributes a CONN_ATTR may carry. */
#define ATTR_CONN_ATTRS							\
	(ATTR_BIT(ATTR_PROC_PATH) | ATTR_BIT(ATTR_PROC_CMDLINE) |	\
	 ATTR_BIT(ATTR_PROC_CWD) | ATTR_BIT(ATTR_PROC_PARENT) |		\
	 ATTR_BIT(ATTR_PROC_ENV) | ATTR_BIT(ATTR_PROC_MD5) |		\
	 ATTR_BIT(ATTR_PROC_SHA1) |					\
	 ATTR_BIT(ATTR_USER_NAME) | ATTR_BIT(ATTR_CGROUP) |		\
	 ATTR_BIT(ATTR_IFACE_IN) | ATTR_BIT(ATTR_IFACE_OUT))

/* Whether a type carries a file descriptor. */
#define FD_NO		0
#define FD_YES		1

/*
 * How often a receiver may see a type on one channel (OpenSSH's
 * MON_ONCE): RX_ONCE types come once in a channel's life, and a second
 * one is a protocol violation that ends the receiver (msg_check_once()).
 */
#define RX_MANY		0
#define RX_ONCE		1

/*
 * The catalogue.  Columns: type, number, links it may use, body struct,
 * fd, how often (RX_*), attributes allowed (bitmask), attributes
 * required (bitmask).
 */
#define MSG_CATALOGUE(X)						\
	X(MSG_HELLO,		1, L_ANY, struct msg_hello, FD_NO,	\
	    RX_ONCE, 0, 0)						\
	X(MSG_LOG,		2, L_CHILD_TO_P | L_RA | L_UR,		\
	    struct msg_log, FD_NO, RX_MANY,				\
	    ATTR_BIT(ATTR_TEXT), ATTR_BIT(ATTR_TEXT))			\
	X(MSG_PING,		3, L_P_TO_CHILD | L_AR | L_RU,		\
	    struct msg_ping, FD_NO, RX_MANY, 0, 0)			\
	X(MSG_PONG,		4, L_CHILD_TO_P | L_RA | L_UR,		\
	    struct msg_ping, FD_NO, RX_MANY, 0, 0)			\
	X(MSG_TEST_HOOK,	5, L_P_TO_CHILD,			\
	    struct msg_test_hook, FD_NO, RX_MANY, 0, 0)			\
	X(MSG_SHUTDOWN,		6, L_P_TO_CHILD,			\
	    struct msg_empty, FD_NO, RX_MANY, 0, 0)			\
	X(MSG_FILE,		7, L_PR | L_PA, struct msg_file, FD_YES, \
	    RX_MANY, ATTR_BIT(ATTR_FILE_NAME), ATTR_BIT(ATTR_FILE_NAME)) \
	X(MSG_FILE_GONE,	8, L_PR, struct msg_file, FD_NO,	\
	    RX_MANY, ATTR_BIT(ATTR_FILE_NAME), ATTR_BIT(ATTR_FILE_NAME)) \
	X(MSG_CONFIG,		9, L_P_TO_CHILD, struct msg_config,	\
	    FD_NO, RX_ONCE, ATTR_BIT(ATTR_DIR), 0)	/* ListsRoots */ \
	X(MSG_CONN,		10, L_PA, struct msg_conn, FD_NO,	\
	    RX_MANY, ATTR_BIT(ATTR_IFACE_IN) | ATTR_BIT(ATTR_IFACE_OUT), 0) \
	X(MSG_CONN_ATTR,	11, L_AR, struct msg_conn_attr, FD_NO,	\
	    RX_MANY, ATTR_CONN_ATTRS, 0)				\
	X(MSG_VERDICT,		12, L_RP, struct msg_verdict, FD_NO,	\
	    RX_MANY, ATTR_BIT(ATTR_RULE_NAME), 0)			\
	X(MSG_DNS,		13, L_PR, struct msg_dns, FD_NO,	\
	    RX_MANY, ATTR_BIT(ATTR_PAYLOAD), ATTR_BIT(ATTR_PAYLOAD))	\
	X(MSG_RULES_LOADED,	14, L_PR, struct msg_empty, FD_NO,	\
	    RX_MANY, 0, 0)						\
	X(MSG_LIST_DIRS,	15, L_RP, struct msg_empty, FD_NO,	\
	    RX_MANY, ATTR_BIT(ATTR_DIR), 0)				\
	X(MSG_LISTS_LOADED,	16, L_PR, struct msg_empty, FD_NO,	\
	    RX_MANY, ATTR_BIT(ATTR_DIR) | ATTR_BIT(ATTR_ERROR),		\
	    ATTR_BIT(ATTR_DIR))						\
	X(MSG_READY,		17, L_RP, struct msg_empty, FD_NO,	\
	    RX_ONCE, 0, 0)						\
	X(MSG_ATTR_NEEDS,	18, L_RA, struct msg_attr_needs, FD_NO,	\
	    RX_MANY, ATTR_BIT(ATTR_ENV_NAME), 0)			\
	X(MSG_TRACE_LAYOUT,	19, L_PA, struct trace_layout, FD_NO,	\
	    RX_ONCE, 0, 0)						\
	X(MSG_TRACE_FD,		20, L_PA, struct msg_trace_fd, FD_YES,	\
	    RX_MANY, 0, 0)						\
	X(MSG_RULES_BEGIN,	21, L_PR, struct msg_empty, FD_NO,	\
	    RX_MANY, 0, 0)						\
	X(MSG_CLIENTS,		22, L_UR, struct msg_clients, FD_NO,	\
	    RX_MANY, 0, 0)						\
	X(MSG_ASK,		23, L_RU, struct msg_ask, FD_NO,	\
	    RX_MANY, ATTR_CONN_ATTRS | ATTR_BIT(ATTR_HOST), 0)		\
	X(MSG_ASK_GONE,		24, L_RU, struct msg_ask_gone, FD_NO,	\
	    RX_MANY, 0, 0)						\
	X(MSG_ANSWER,		25, L_UR, struct msg_answer, FD_NO,	\
	    RX_MANY, ATTR_BIT(ATTR_RULE_NAME), 0)			\
	X(MSG_EVENT,		26, L_RU, struct msg_event, FD_NO,	\
	    RX_MANY, ATTR_CONN_ATTRS | ATTR_BIT(ATTR_HOST) |		\
	    ATTR_BIT(ATTR_RULE_NAME), 0)				\
	X(MSG_REQUEST,		27, L_UR, struct msg_request, FD_NO,	\
	    RX_MANY, ATTR_BIT(ATTR_JSON) | ATTR_BIT(ATTR_RULE_NAME), 0)	\
	X(MSG_RESULT,		28, L_RU | L_PR, struct msg_result, FD_NO, \
	    RX_MANY, ATTR_BIT(ATTR_JSON) | ATTR_BIT(ATTR_RULE_NAME) |	\
	    ATTR_BIT(ATTR_ERROR) | ATTR_BIT(ATTR_FILE_NAME), 0)	\
	X(MSG_RULE_SAVE,	29, L_RP, struct msg_rule_save, FD_NO,	\
	    RX_MANY, ATTR_BIT(ATTR_FILE_NAME) | ATTR_BIT(ATTR_JSON),	\
	    ATTR_BIT(ATTR_FILE_NAME))					\
	X(MSG_STATS_REQ,	30, L_UP | L_UR, struct msg_stats_req,	\
	    FD_NO, RX_MANY, 0, 0)					\
	X(MSG_STATS,		31, L_PU | L_RU, struct msg_stats_req,	\
	    FD_NO, RX_MANY, ATTR_BIT(ATTR_STATS), ATTR_BIT(ATTR_STATS))	\
	X(MSG_RESOLVERS,	32, L_PR, struct msg_resolvers, FD_NO,	\
	    RX_MANY, 0, 0)

enum msg_type {
	MSG_NONE = 0,
#define X_MSG_ENUM(name, num, links, body, fd, rx, allow, req)	name = num,
	MSG_CATALOGUE(X_MSG_ENUM)
#undef X_MSG_ENUM
	MSG_TYPE_MAX
};

#endif /* TATTLE_PROTO_H */
