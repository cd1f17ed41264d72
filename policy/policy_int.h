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
void	 perr_set(struct policy_err *, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 perr_file(struct policy_err *, const char *file);
void	 perr_rule(struct policy_err *, const char *name);
char	*pstrndup(const char *, size_t);
int	 pascii(const char *, size_t);
int	 pparse_u64(const char *, size_t, uint64_t *);
void	 plower_ascii(char *, size_t);
int	 pfold_equal(const char *, size_t, const char *, size_t);
int	 pcontains(const char *, size_t, const char *, size_t);
char	*plower(const char *, size_t, size_t *outlen);
size_t	 pquote(char *buf, size_t len, const char *s, size_t slen);
int	 pis_space(const char *, size_t, size_t *width);
void	 ptrim_set(const char **, size_t *, const char *set);
void	 ptrim_unicode_space(const char **, size_t *);

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
void	 pnote_add(struct pnotes *, const char *field, const char *code,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 pnotes_free(struct pnotes *);

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
int	 json_parse(struct jdoc *, const char *, size_t, char *err,
	    size_t errlen);
void	 json_free(struct jdoc *);
const char *json_type_name(enum jtype);

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
int	 ruledef_init(struct ruledef *);
void	 ruledef_free(struct ruledef *);
void	 opdef_free(struct opdef *);
int	 rule_decode(const struct jnode *, struct ruledef *, struct pnotes *,
	    struct policy_err *);
int	 oplist_decode(const struct jnode *, struct opdef **, size_t *,
	    struct pnotes *, struct policy_err *, const char *field);

/* encode.c: the rule model as OpenSnitch's Save() writes it. */
int	 ruledef_json(const struct ruledef *, const char *updated, char **,
	    size_t *);

/* ipaddr.c: Go's net.ParseIP / ParseCIDR / IPNet.Contains / IP.String. */
struct ipnet {
	uint8_t	family;		/* 4 or 6 (IPv4-mapped nets become 4) */
	uint8_t	bits;
	uint8_t	addr[16];	/* masked */
};
int	 ip_parse(const char *, size_t, struct policy_ip *);
int	 ipnet_parse(const char *, size_t, struct ipnet *);
int	 ipnet_contains(const struct ipnet *, const struct policy_ip *);
void	 ip_mask(uint8_t *out, const uint8_t *in, int nbytes, int bits);

/* glob.c: Go's path/filepath.Match on one DNS label. */
int	 glob_valid(const char *, size_t);
int	 glob_match(const char *, size_t, const char *, size_t);

/* duration.c: Go's time.ParseDuration, in milliseconds (rounded up). */
int	 duration_parse(const char *, int64_t *ms);

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
int	 strset_init(struct strset *, size_t expect, int withval,
	    const uint8_t *key);
void	 strset_free(struct strset *);
int	 strset_add(struct strset *, const char *, size_t, uint32_t val,
	    uint32_t *old);
int	 strset_find(const struct strset *, const char *, size_t,
	    uint32_t *val);
int	 strset_reserve(struct strset *, size_t bytes);
int	 strset_fit(struct strset *);

/* lpm.c: longest-prefix (any-prefix) membership of an address in nets. */
struct lpm {
	struct ipnet	*tab;	/* family 0: empty slot */
	size_t		 mask;
	size_t		 n;
	uint64_t	 lens4;		/* bit b: a /b IPv4 net exists */
	uint64_t	 lens6[3];	/* bits 0..128 */
	uint8_t		 key[HASH_KEY_LEN];	/* hash_sip24's */
};
int	 lpm_init(struct lpm *, size_t expect, const uint8_t *key);
void	 lpm_free(struct lpm *);
int	 lpm_add(struct lpm *, const struct ipnet *);
int	 lpm_contains(const struct lpm *, const struct policy_ip *);

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
struct plist *plist_get(struct policy *, const char *dir, enum lkind, int fold);
void	 plist_put(struct policy *, struct plist *);
int	 plist_build(struct plist *, const struct policy_list_file *, size_t,
	    const uint8_t *key, struct policy_err *);
int	 plist_match_host(const struct plist *, const char *, size_t);
int	 plist_match_re(const struct plist *, const char *, size_t);
int	 plist_match_ip(const struct plist *, const struct policy_ip *,
	    const char *text);
int	 plist_match_key(const struct plist *, const char *, size_t);
size_t	 plist_entries(const struct plist *);
void	 plist_free(struct plist *);

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
enum opd opd_lookup(const char *);
int	 cop_value_match(const struct cop *, const char *);
int	 cop_compile(struct policy *, const struct opdef *, struct cop *,
	    int depth, const char *field, struct policy_err *,
	    struct pnotes *);
void	 cop_free(struct policy *, struct cop *);
int	 legacy_list_expand(struct opdef *, struct pnotes *,
	    struct policy_err *);
enum policy_verdict action_parse(const char *, int *exact);
size_t	 re_literal(const char *, size_t, char *, size_t);

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
int	 guard_key(char *, size_t, int opd, int sensitive, const char *,
	    size_t);
int	 guard_operand(enum opd);
const struct palias *policy_alias(const struct policy *, const char *);

#endif /* POLICY_INT_H */
