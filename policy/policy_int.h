/*
 * policy_int.h: the policy library's internal types, shared by its files
 * and by the unit tests.  Not installed, not for other components.
 */
#ifndef POLICY_INT_H
#define POLICY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

struct re2;

/* util.c */
void	 pol_err_set(struct policy_err *, const char *field, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));
void	 pol_err_file(struct policy_err *, const char *file);
void	 pol_err_rule(struct policy_err *, const char *name);
char	*pol_strndup(const char *, size_t);
int	 pol_ascii(const char *, size_t);
int	 pol_parse_u64(const char *, size_t, uint64_t *);
void	 pol_lower_ascii(char *, size_t);
int	 pol_fold_equal(const char *, size_t, const char *, size_t);
int	 pol_contains(const char *, size_t, const char *, size_t);
char	*pol_lower(const char *, size_t, size_t *outlen);
size_t	 pol_quote(char *buf, size_t len, const char *s, size_t slen);
int	 pol_is_space(const char *, size_t, size_t *width);
void	 pol_trim_set(const char **, size_t *, const char *set);
void	 pol_trim_unicode_space(const char **, size_t *);

/* Notes: warnings kept with a rule or a list for policy_lint(). */
struct pnote {
	char	field[POLICY_ERR_FIELD];
	char	code[16];
	char	msg[POLICY_ERR_REASON];
};
struct pnotes {
	struct pnote	*v;
	size_t		 n;
	size_t		 cap;		/* 0: MAX_RULE_NOTES */
	size_t		 dropped;
};
void	 pol_note_add(struct pnotes *, const char *field, const char *code,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 pol_notes_free(struct pnotes *);

/* json.c: a bounded JSON tree with Go encoding/json's syntax rules. */
enum jtype {
	J_NULL,
	J_BOOL,
	J_NUM,
	J_STR,
	J_OBJ,
	J_ARR
};
struct jnode {
	enum jtype	 t;
	int		 b;
	char		*s;	/* J_STR: UTF-8, invalid bytes as U+FFFD */
	size_t		 len;	/* J_NUM: s is the number's text */
	char		*key;	/* set for members of an object */
	size_t		 keylen;
	struct jnode	*kids;
	struct jnode	*tail;
	struct jnode	*next;
	size_t		 n;
};
struct jchunk;
struct jdoc {
	struct jnode	*root;
	struct jchunk	*mem;
	size_t		 nodes;
};
int	 pol_json_parse(struct jdoc *, const char *, size_t, char *err,
	    size_t errlen);
void	 pol_json_free(struct jdoc *);
const char *pol_json_type_name(enum jtype);

/* decode.c: a JSON tree into the rule model, as Go's Unmarshal would. */
struct opdef {
	char		*type;
	char		*operand;
	char		*data;
	int		 sensitive;
	struct opdef	*list;
	size_t		 nlist;
	int		 list_null;	/* absent or null: Save() writes null */
};
struct ruledef {
	char		*created;
	char		*updated;
	char		*name;
	char		*description;
	char		*action;
	char		*duration;
	struct opdef	 op;
	int		 enabled;
	int		 precedence;
	int		 nolog;
	int		 has_name;	/* the name is not empty */
};
int	 pol_ruledef_init(struct ruledef *);
void	 pol_ruledef_free(struct ruledef *);
int	 pol_rule_decode(const struct jnode *, struct ruledef *,
	    struct pnotes *, struct policy_err *);
int	 pol_oplist_decode(const struct jnode *, struct opdef **, size_t *,
	    struct pnotes *, struct policy_err *, const char *field);

/* encode.c: the rule model as OpenSnitch's Save() writes it. */
int	 pol_ruledef_json(const struct ruledef *, const char *updated, char **,
	    size_t *);

/* ipaddr.c: Go's net.ParseIP / ParseCIDR / IPNet.Contains / IP.String. */
struct ipnet {
	uint8_t	family;		/* 4 or 6 (IPv4-mapped nets become 4) */
	uint8_t	bits;
	uint8_t	addr[16];	/* masked */
};
int	 pol_ip_parse(const char *, size_t, struct policy_ip *);
int	 pol_ipnet_parse(const char *, size_t, struct ipnet *);
int	 pol_ipnet_contains(const struct ipnet *, const struct policy_ip *);
void	 pol_ip_mask(uint8_t *out, const uint8_t *in, int nbytes, int bits);

/* glob.c: Go's path/filepath.Match on one DNS label. */
int	 pol_glob_valid(const char *, size_t);
int	 pol_glob_match(const char *, size_t, const char *, size_t);

/* duration.c: Go's time.ParseDuration, in milliseconds (rounded up). */
int	 pol_duration_parse(const char *, int64_t *ms);

/* strset.c: a hash set (or map to uint32) of byte strings. */
struct strset {
	uint32_t	*off;	/* per slot: the key's arena offset */
	uint8_t		*tag;	/* per slot: 8 bits of its hash; 0: empty */
	uint32_t	*val;	/* values, when made with withval */
	size_t		 cap;	/* slots */
	size_t		 n;
	char		*arena;
	size_t		 alen;
	size_t		 acap;
	uint8_t		 key[HASH_KEY_LEN];	/* hash_sip24's */
};
int	 pol_strset_init(struct strset *, size_t expect, int withval,
	    const uint8_t *key);
void	 pol_strset_free(struct strset *);
int	 pol_strset_add(struct strset *, const char *, size_t, uint32_t val,
	    uint32_t *old);
int	 pol_strset_find(const struct strset *, const char *, size_t,
	    uint32_t *val);
int	 pol_strset_reserve(struct strset *, size_t bytes);
int	 pol_strset_fit(struct strset *);

/* lpm.c: longest-prefix (any-prefix) membership of an address in nets. */
struct lpm {
	struct ipnet	*tab;	/* family 0: empty slot */
	size_t		 mask;
	size_t		 n;
	uint64_t	 lens4;		/* bit b: a /b IPv4 net exists */
	uint64_t	 lens6[3];	/* bits 0..128 */
	uint8_t		 key[HASH_KEY_LEN];	/* hash_sip24's */
};
int	 pol_lpm_init(struct lpm *, size_t expect, const uint8_t *key);
void	 pol_lpm_free(struct lpm *);
int	 pol_lpm_add(struct lpm *, const struct ipnet *);
int	 pol_lpm_contains(const struct lpm *, const struct policy_ip *);

/* lists.c: block lists shared by every operator on the same directory. */
enum lkind {
	LK_DOMAINS,
	LK_DOMAINS_RE,
	LK_IPS,
	LK_NETS,
	LK_MD5
};
struct lindex;
struct plist {
	char		*dir;
	enum lkind	 kind;
	int		 fold;		/* D8: entries lowercased */
	int		 refs;
	int		 loaded;
	struct lindex	*ix;
	struct pnotes	 notes;		/* from the last load */
};
struct policy;
struct plist *pol_list_get(struct policy *, const char *dir, enum lkind,
	    int fold);
void	 pol_list_put(struct policy *, struct plist *);
int	 pol_list_match_host(const struct plist *, const char *, size_t);
int	 pol_list_match_re(const struct plist *, const char *, size_t);
int	 pol_list_match_ip(const struct plist *, const struct policy_ip *,
	    const char *text);
int	 pol_list_match_key(const struct plist *, const char *, size_t);
size_t	 pol_list_entries(const struct plist *);
void	 pol_list_free(struct plist *);

/* compile.c: a decoded operator into its matcher. */
enum optype {
	OT_SIMPLE = 1,
	OT_REGEXP,
	OT_NETWORK,
	OT_RANGE,
	OT_LIST,
	OT_LISTS
};
enum opd {
	OPD_UNKNOWN = 0,
	OPD_TRUE,
	OPD_PATH,
	OPD_PID,
	OPD_CMD,
	OPD_PARENT,
	OPD_ENV,
	OPD_MD5,
	OPD_SHA1,
	OPD_UID,
	OPD_USER,
	OPD_SIP,
	OPD_SPORT,
	OPD_DIP,
	OPD_HOST,
	OPD_DPORT,
	OPD_DNET,
	OPD_SNET,
	OPD_PROTO,
	OPD_IFIN,
	OPD_IFOUT,
	OPD_LIST,
	OPD_L_DOMAINS,
	OPD_L_DOMAINS_RE,
	OPD_L_IPS,
	OPD_L_NETS,
	OPD_L_MD5,
	OPD_MAX
};
struct palias;
struct cop {
	enum optype	 type;
	enum opd	 opd;
	int		 sensitive;
	int		 always;	/* operand "true" */
	char		*data;		/* simple: compared text */
	size_t		 datalen;
	char		*env;		/* process.env.NAME: NAME */
	struct re2	*re;
	char		*lit;		/* regexp: in every match */
	size_t		 litlen;
	int		 on_empty;	/* regexp: result on "", -1 unknown */
	struct ipnet	*nets;
	size_t		 nnets;
	const struct palias *alias;	/* a changing alias: read its nets */
	uint64_t	 min;
	uint64_t	 max;
	struct cop	*kids;
	size_t		 nkids;
	struct plist	*list;
};
int	 pol_cop_value_match(const struct cop *, const char *);
int	 pol_cop_compile(struct policy *, const struct opdef *, struct cop *,
	    int depth, const char *field, struct policy_err *,
	    struct pnotes *);
void	 pol_cop_free(struct policy *, struct cop *);
int	 pol_legacy_list_expand(struct opdef *, struct pnotes *,
	    struct policy_err *);
enum policy_verdict pol_action_parse(const char *, int *exact);
size_t	 pol_re_literal(const char *, size_t, char *, size_t);

/* The set. */
struct palias {
	char		*name;
	struct ipnet	*nets;
	size_t		 n;
	int		 dynamic;	/* changes: rules point to it */
};
/* A network operator's networks: its own, or its changing alias's. */
static inline const struct ipnet *
cop_nets(const struct cop *c, size_t *n)
{
	if (c->alias != NULL) {
		*n = c->alias->n;
		return c->alias->nets;
	}
	*n = c->nnets;
	return c->nets;
}
struct prule {
	struct ruledef		 def;
	char			*file;
	enum policy_verdict	 action;
	int			 terminal;
	int			 compiled;
	struct cop		 op;
	int64_t			 expires;	/* INT64_MAX: never */
	struct pnotes		 notes;
};
struct policy {
	struct policy_opts	 opts;
	struct prule		**rules;	/* sorted by name, byte order */
	size_t			 nrules;
	size_t			 caprules;
	int			 dirty;
	struct prule		**active;	/* enabled, in order */
	size_t			 nactive;
	struct strset		 guard;		/* (operand,case,text): rule */
	int			 have_guard;
	uint32_t		*gnext;		/* chains of active indexes */
	int			 noguard;	/* tests: evaluate every rule */
	uint64_t		 gmask;		/* bit 2*opd+sensitive */
	int			*gopd;		/* per active rule: operand
						   | 0x100 if case-sensitive,
						   or -1 if unguarded */
	uint64_t		*cand;
	struct plist		*lists[MAX_LIST_DIRS];
	size_t			 nlists;
	const char		*dirs[MAX_LIST_DIRS];	/* distinct, active */
	size_t			 ndirs;
	const char		*envs[MAX_ENV_NAMES];
	size_t			 nenvs;
	unsigned		 needs;
	struct palias		 aliases[MAX_ALIASES];
	size_t			 naliases;
};
int	 policy_refresh(struct policy *);
#define MAX_GUARD_TEXT	1024
int	 pol_guard_key(char *, size_t, int opd, int sensitive, const char *,
	    size_t);
const struct palias *policy_alias(const struct policy *, const char *);

#endif /* POLICY_INT_H */
