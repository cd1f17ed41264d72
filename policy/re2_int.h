/*
 * re2_int.h: what re2.c, re2_parse.c and re2_class.c share: the parse
 * tree of a Go regexp and code point range sets.
 */
#ifndef TATTLE_RE2_INT_H
#define TATTLE_RE2_INT_H

#include <stddef.h>
#include <stdint.h>

/* Parser flags, as Go's regexp/syntax keeps them. */
#define RE2_F_FOLD	0x01	/* (?i) */
#define RE2_F_DOTNL	0x02	/* (?s) */
#define RE2_F_ONELINE	0x04	/* not (?m) */
#define RE2_F_NONGREEDY	0x08	/* (?U), irrelevant to a boolean search */

enum re2_op {
	RE2_EMPTY,		/* matches the empty string */
	RE2_CLASS,		/* one code point out of cls (a literal too) */
	RE2_CAT,
	RE2_ALT,
	RE2_REPEAT,		/* sub{min,max}; max -1 = unbounded */
	RE2_CAPTURE,		/* a capturing group: only height counts */
	RE2_BOT,		/* \A, ^ */
	RE2_EOT,		/* \z, $ */
	RE2_BOL,		/* (?m)^ */
	RE2_EOL,		/* (?m)$ */
	RE2_WB,			/* \b */
	RE2_NWB,		/* \B */
	RE2_LPAREN,		/* parse stack only */
	RE2_VBAR		/* parse stack only */
};

/* A set of code points: sorted, disjoint, non-adjacent [lo, hi] pairs. */
struct re2_rset {
	uint32_t	(*r)[2];
	size_t		 n;
	size_t		 cap;
};

struct re2_node {
	enum re2_op	 op;
	int		 min, max;
	int		 counted;	/* {n,m}, not * + ? */
	int		 flags;		/* LPAREN: flags to restore */
	int		 cap;		/* LPAREN: capturing */
	int		 height;
	struct re2_rset	 cls;		/* CLASS */
	struct re2_node	*sub;		/* first child */
	struct re2_node	*next;		/* next sibling */
	struct re2_node	*all;		/* every node, for freeing */
};

struct re2_tree {
	struct re2_node	*root;
	struct re2_node	*nodes;		/* list through ->all */
	size_t		 nranges;	/* over all classes */
};

/* re2_parse.c */
int	 pol_re2_parse(const char *, size_t, struct re2_tree *, char *, size_t);
void	 pol_re2_tree_free(struct re2_tree *);

/* re2_class.c */
int	 pol_re2_rset_add(struct re2_rset *, uint32_t, uint32_t);
int	 pol_re2_rset_add_folded(struct re2_rset *, uint32_t, uint32_t);
int	 pol_re2_rset_clean(struct re2_rset *);
int	 pol_re2_rset_negate(struct re2_rset *);
void	 pol_re2_rset_free(struct re2_rset *);
int	 pol_re2_rset_perl(struct re2_rset *, char, int);
int	 pol_re2_rset_posix(struct re2_rset *, const char *, size_t, int);
int	 pol_re2_rset_unicode(struct re2_rset *, const char *, size_t, int,
	    int);

#endif /* TATTLE_RE2_INT_H */
