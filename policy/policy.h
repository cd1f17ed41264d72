/*
 * policy.h: the OpenSnitch rule language as a pure library.
 *
 * The library parses OpenSnitch rule files (JSON), validates and compiles
 * them, indexes block lists, and decides a connection's verdict exactly as
 * ../shared/opensnitch/SEMANTICS.md describes, except for the deliberate
 * deviations D1-D8 of ../shared/opensnitch/conformance/README.md.
 *
 * It does no I/O of its own: it never opens a file, never reads the clock
 * and never asks the user database.  The caller hands it the bytes of rule
 * files and list files, the current time where durations need it, and a
 * callback that maps a user name to a uid.  It allocates with malloc and
 * sorts with its own merge sort (no qsort, which may call sysinfo).  It is
 * not thread-safe; use one policy set per thread.
 *
 * Ownership: every pointer handed in is only read during the call; the
 * library copies what it keeps.  Strings it returns stay valid until the
 * next call that changes the set (load, remove, expire, free), unless said
 * otherwise.
 *
 * Deviations from OpenSnitch (each one warned about by policy_lint()):
 *  D1 actions parse case-insensitively; an unknown action is a terminal deny
 *  D2 a "list" operator with an empty or null list is refused
 *  D3 a "list" whose list is empty takes the legacy JSON list in "data"
 *  D4 "range" on a non-numeric operand is refused when it holds 0 (the
 *     value OpenSnitch reads); one that cannot hold 0 loads, never matches
 *  D5 process.hash.md5 is always compared; an unknown hash matches nothing
 *  D6 the LAN alias includes ::1/128
 *  D7 list lines lose a trailing CR and trailing blanks
 *  D8 lists.domains entries are lowercased for case-insensitive rules
 * and, for reloads (not observable through tattle eval): a rule file that
 * fails to load leaves the rule it held fully in force (lists included);
 * a file that now names a different rule replaces the rule it held; a
 * removed file removes the rule it held, whatever its duration; a rule
 * replaced with the same temporary duration gets a fresh deadline.
 */
#ifndef POLICY_H
#define POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"
#include "policy_limits.h"

struct policy;

enum policy_verdict {
	POLICY_NONE = 0,	/* no rule matched: prompt, or default action */
	POLICY_ALLOW,
	POLICY_DENY,
	POLICY_REJECT
};

/*
 * Maps a user name to a uid for "simple" rules on user.name.  Returns 0 and
 * sets *uid when the user exists, -1 when it does not.
 */
typedef int policy_user_fn(const char *name, uint32_t *uid, void *arg);

struct policy_opts {
	int		 checksums;	/* Rules.EnableChecksums (see D5) */
	enum policy_verdict default_action;	/* kept for the caller */
	policy_user_fn	*user_lookup;	/* NULL: user.name rules refused */
	void		*user_arg;
	uint8_t		 hash_seed[HASH_KEY_LEN];	/* lists' hash key */
	/*
	 * The only directories lists rules may name (the caller keeps the
	 * array): a lists operator naming any other place is refused.
	 * NULL: no such check (unit tests, tattle eval).
	 */
	const char *const *list_roots;
	size_t		 nlist_roots;
};

/*
 * A refused rule file or list directory.  file is the file name as handed
 * in, rule the rule's name when the file got far enough to have a
 * non-empty one (has_rule; a type error still names it), field the JSON
 * path of the offending value ("operator.list[1].data"; "" for the file
 * as a whole).
 */
struct policy_err {
	char	file[POLICY_ERR_FILE];
	char	rule[POLICY_ERR_RULE];
	int	has_rule;
	char	field[POLICY_ERR_FIELD];
	char	reason[POLICY_ERR_REASON];
};

/* One lint diagnostic, see policy_lint().  Pointers valid during the call. */
enum policy_sev {
	POLICY_SEV_WARN = 1,
	POLICY_SEV_ERROR = 2
};
struct policy_diag {
	enum policy_sev	 sev;
	const char	*file;		/* rule file or list file; "" if none */
	const char	*rule;		/* rule name, NULL if none */
	const char	*field;		/* "" if none */
	const char	*code;		/* "D1".."D8", "surprising", "shadowed",
					   "duplicate", "json", "list", ... */
	const char	*msg;
};
typedef void policy_diag_fn(const struct policy_diag *, void *arg);

/* An IP address; IPv4-mapped IPv6 addresses are stored as IPv4. */
struct policy_ip {
	uint8_t	family;		/* 0 unknown, 4, 6 */
	uint8_t	addr[16];	/* IPv4: first 4 bytes */
};

struct policy_env {
	const char	*name;
	const char	*value;
};

/*
 * The operands of one connection (SEMANTICS §5).  A NULL string is read as
 * "".  md5/sha1 NULL means unknown (not computed, or not readable): a
 * rule on it matches in a deny or reject rule only (D5).  iface_in and
 * iface_out NULL or "" mean the interface index did not resolve: any
 * iface operator is false.
 */
struct policy_conn {
	const char		*path;		/* process.path */
	const char		*command;	/* argv joined by " " */
	const char *const	*parents;	/* nearest first, up to pid 1 */
	size_t			 nparents;
	const struct policy_env	*env;
	size_t			 nenv;
	const char		*md5;
	const char		*sha1;
	int64_t			 pid;
	int64_t			 uid;		/* -1 unknown */
	const char		*proto;		/* "tcp", "udp6", ... */
	struct policy_ip	 src;
	struct policy_ip	 dst;
	uint16_t		 sport;
	uint16_t		 dport;
	const char		*host;		/* "" when no name is known */
	const char		*iface_in;
	const char		*iface_out;
	/*
	 * What attribution had to cut: the command line is a prefix, the
	 * parent chain or environment incomplete.  Text past a cut is
	 * unknown, so an operator on it matches in a deny or reject rule
	 * and never in an allow rule (fail closed).
	 */
	int			 command_cut;
	int			 attrs_cut;
	/*
	 * The path is the process's own namespace's name and does not name
	 * its executable on the host (a mount over it): unknown, as above.
	 * An unknown hash (md5 or sha1 NULL or "") is read the same way.
	 */
	int			 path_unsure;
};

struct policy_result {
	enum policy_verdict	 verdict;
	const char		*rule;	/* deciding rule's name, NULL if none */
	int			 nolog;	/* the deciding rule asks for no log */
};

/* What the loaded (enabled) rules need the attribution side to collect. */
#define POLICY_NEED_PATH	0x0001
#define POLICY_NEED_CMDLINE	0x0002
#define POLICY_NEED_PARENTS	0x0004
#define POLICY_NEED_ENV		0x0008	/* names: policy_env_name() */
#define POLICY_NEED_MD5		0x0010
#define POLICY_NEED_SHA1	0x0020
#define POLICY_NEED_UID		0x0040
#define POLICY_NEED_PID		0x0080
#define POLICY_NEED_HOST	0x0100
#define POLICY_NEED_IFACE_IN	0x0200
#define POLICY_NEED_IFACE_OUT	0x0400
#define POLICY_NEED_ENV_ALL	0x0800	/* > MAX_ENV_NAMES names: collect all */

/*
 * tattle's own network alias: the DNS resolvers this machine uses (the
 * caller hands in the nameserver addresses, policy_set_resolvers()) and
 * the loopback ranges of a local stub resolver.  OpenSnitch does not
 * know it and refuses a rule that names it.
 */
#define POLICY_RESOLVERS_ALIAS	"TATTLE_RESOLVERS"
#define POLICY_MAX_RESOLVERS	16
int	 policy_set_resolvers(struct policy *, const struct policy_ip *ips,
	    size_t n);

/*
 * Whether dir is a lists directory a rule may name: absolute, no "." or
 * ".." component, inside (or equal to) one of roots.  Returns 1, or 0
 * with why filled.
 */
int	 policy_list_dir_ok(const char *const *roots, size_t nroots,
	    const char *dir, char *why, size_t whylen);

/* One file of a list directory, as policy_list_load() takes it. */
struct policy_list_file {
	const char	*name;	/* base name, no directory */
	const char	*data;	/* NULL: not read (the caller skipped it) */
	size_t		 len;
};

/* Set. */
struct policy	*policy_new(const struct policy_opts *);
void		 policy_free(struct policy *);

/*
 * Loads (or replaces) the rule held by one rule file.  file is the file's
 * name (used in errors, and as the rule's origin; NULL for a rule that has
 * no file, e.g. a prompt answer), buf/len its contents, now a time in
 * milliseconds on the caller's clock (temporary durations expire at now +
 * duration, see policy_expire()).  Returns 0, or -1 with *err filled: the
 * set is then unchanged, so a rule this file loaded before stays in force.
 */
int	 policy_load_rule(struct policy *, const char *file, const char *buf,
	    size_t len, int64_t now, struct policy_err *err);

/* Removes the rule that file loaded.  Returns 1 if one was removed. */
int	 policy_remove_file(struct policy *, const char *file);
/* Removes a rule by name.  Returns 1 if it existed. */
int	 policy_remove_rule(struct policy *, const char *name);
/* Removes temporary rules whose time has come; returns how many. */
size_t	 policy_expire(struct policy *, int64_t now);
/* Earliest deadline of a temporary rule, or INT64_MAX if none. */
int64_t	 policy_next_expiry(const struct policy *);

/* Rules, in evaluation order (byte order of names), disabled included. */
size_t		 policy_rule_count(const struct policy *);
const char	*policy_rule_name(const struct policy *, size_t i);
const char	*policy_rule_file(const struct policy *, size_t i); /* NULL */
int		 policy_rule_enabled(const struct policy *, size_t i);

/*
 * The rule as OpenSnitch's Save() writes it (json.MarshalIndent, two
 * spaces, keys in struct order) with "updated" replaced by the given text
 * when it is not NULL.  *out is malloc'd (NUL-terminated, no final
 * newline) and the caller frees it.  Returns -1 if no such rule, or ENOMEM.
 */
int	 policy_rule_json(const struct policy *, const char *name,
	    const char *updated, char **out, size_t *outlen);

/*
 * A rule built from a prompt answer: one operator, or several ANDed (a
 * "list").  policy_rule_build() writes it as Save() does (enabled, "list"
 * arrays as the daemon's UI path makes them) into a malloc'd *out for the
 * caller to free; policy_load_rule() reads it back.  The caller checks
 * the name with policy_rule_name_ok() before writing a file.  Returns -1
 * (errno EINVAL) if a field is NULL or nops is 0 or above MAX_OP_CHILDREN.
 */
struct policy_op_spec {
	const char	*type;		/* "simple", "regexp", ... */
	const char	*operand;	/* "process.path", ... */
	const char	*data;
	int		 sensitive;
};
struct policy_rule_spec {
	const char			*name;
	const char			*description;
	const char			*action;	/* "allow", ... */
	const char			*duration;	/* "always", "30s" */
	const char			*created;	/* RFC 3339 time */
	int				 precedence;
	int				 nolog;
	const struct policy_op_spec	*ops;
	size_t				 nops;
};
int	 policy_rule_build(const struct policy_rule_spec *, char **out,
	    size_t *outlen);

/* Whether a rule name may become a file name (the daemon writes rules). */
int	 policy_rule_name_ok(const char *name);

/* Lists. */
size_t		 policy_list_dir_count(struct policy *);
const char	*policy_list_dir(struct policy *, size_t i);
int		 policy_list_dir_loaded(struct policy *, size_t i);
/* Whether a file of a list directory is read (OpenSnitch: "dir/ *.*"). */
int		 policy_list_file_wanted(const char *name);
/*
 * Hands in the files of one list directory (as named by policy_list_dir()),
 * replacing what every lists operator on that directory used.  Files the
 * caller did not read (data NULL) are only noted for policy_lint().
 * Returns 0, or -1 with *err filled (a bound exceeded; old lists stay).
 */
int	 policy_list_load(struct policy *, const char *dir,
	    const struct policy_list_file *files, size_t nfiles,
	    struct policy_err *err);

/* What the enabled rules need. */
unsigned	 policy_needs(struct policy *);
size_t		 policy_env_count(struct policy *);
const char	*policy_env_name(struct policy *, size_t i);

/*
 * Matching.  Returns 0 with the result in *res (res->rule valid until the
 * set changes), or -1 when it could not decide (out of memory, or the
 * regexp engine failed): the caller then applies its fail mode, never
 * "allow".  Lists not yet handed in match nothing.
 */
int	 policy_match(struct policy *, const struct policy_conn *,
	    struct policy_result *res);

/* Lint: load-time notes, D1-D8, surprising constructs, shadowed rules. */
void	 policy_lint(struct policy *, policy_diag_fn *, void *arg);

/* Helpers. */
/* Go's net.ParseIP.  Returns 0, or -1 if s is not an address. */
int	 policy_ip_parse(const char *s, struct policy_ip *ip);
/* Go's net.IP.String() into buf (at least 46 bytes). */
void	 policy_ip_format(const struct policy_ip *ip, char *buf, size_t len);
/* "file (rule "name"): field: reason" */
void	 policy_err_format(const struct policy_err *, char *buf, size_t len);
const char	*policy_verdict_name(enum policy_verdict);

#endif /* POLICY_H */
