/*
 * lists.c: the lists.* operators' block lists.  A list is a directory; the
 * caller hands in its files' contents and every lists operator on the same
 * (directory, kind, folding) shares one index:
 *
 *  lists.domains        hosts-file lines "0.0.0.0 host" / "127.0.0.1 host";
 *                       exact names in a hash set, "*.x" / ".x" wildcards
 *                       as a hash set of suffixes (one probe per label of
 *                       the host), globs bucketed by label count and their
 *                       literal tail (one probe per label, then only the
 *                       globs that can match);
 *  lists.domains_regexp one RE2 per line, each searched in turn;
 *  lists.ips/nets       exact address text in a hash set, networks in lpm.c;
 *  lists.hash.md5       one key per line in a hash set.
 *
 * Line rules follow OpenSnitch (SEMANTICS §4) with D7 (each line loses a
 * trailing CR and trailing blanks first) and D8 (domain entries lowercased
 * when the rule is case-insensitive).  Odd lines are noted for lint.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"
#include "re2.h"

struct lre {
	struct re2	*re;
	char		*lit;
	size_t		 litlen;
};

struct lindex {
	struct strset	 exact;
	struct strset	 wild;
	struct strset	 gkey;		/* "N|tail" -> first glob + 1 */
	char		**globs;
	uint32_t	*gnext;		/* next glob + 1 in the bucket, 0 end */
	size_t		 nglobs;
	size_t		 capglobs;
	struct lpm	 nets;
	struct lre	*res;
	size_t		 nres;
	size_t		 capres;
	size_t		 entries;
};

struct lbuild {
	struct plist		*pl;
	struct lindex		*ix;
	struct strset		 seen;		/* regexp lines */
	struct policy_err	*err;
	const char		*file;
	size_t			 lineno;
	size_t			 ignored;	/* per file */
	size_t			 upper;
	size_t			 crlf;
	int			 failed;
};

struct plist	*pol_list_get(struct policy *, const char *, enum lkind, int);
void		 pol_list_put(struct policy *, struct plist *);
int		 pol_list_match_host(const struct plist *, const char *,
		    size_t);
int		 pol_list_match_re(const struct plist *, const char *, size_t);
int		 pol_list_match_ip(const struct plist *,
		    const struct policy_ip *, const char *);
int		 pol_list_match_key(const struct plist *, const char *, size_t);
size_t		 pol_list_entries(const struct plist *);
void		 pol_list_free(struct plist *);
int		 policy_list_file_wanted(const char *);
int		 policy_list_load(struct policy *, const char *,
		    const struct policy_list_file *, size_t,
		    struct policy_err *);
static int	 plist_build(struct plist *, const struct policy_list_file *,
		    size_t, const uint8_t *, struct policy_err *);
static void	 lindex_free(struct lindex *);
static struct lindex *lindex_new(enum lkind, size_t, size_t,
		    const uint8_t *);
static void	 line_domain(struct lbuild *, const char *, size_t);
static void	 line_regexp(struct lbuild *, const char *, size_t);
static void	 line_ip(struct lbuild *, const char *, size_t);
static void	 line_md5(struct lbuild *, const char *, size_t);
static void	 add_wild(struct lbuild *, const char *, size_t);
static void	 add_glob(struct lbuild *, const char *, size_t);
static void	 add_exact(struct lbuild *, const char *, size_t);
static void	 file_notes(struct lbuild *);
static int	 has_glob_meta(const char *, size_t);
static int	 match_wild(const struct lindex *, const char *, size_t);
static int	 match_glob(const struct lindex *, const char *, size_t);
static int	 glob_labels(const char *, size_t, const char *, size_t);

#define CORE_TRIM	"\r\n\t "

int
policy_list_file_wanted(const char *name)
{
	return name[0] != '.' && name[0] != '\0' && strchr(name, '.') != NULL;
}

struct plist *
pol_list_get(struct policy *p, const char *dir, enum lkind kind, int fold)
{
	struct plist	*pl;
	size_t		 i;

	for (i = 0; i < p->nlists; i++) {
		pl = p->lists[i];
		if (pl->kind == kind && pl->fold == fold &&
		    strcmp(pl->dir, dir) == 0) {
			pl->refs++;
			return pl;
		}
	}
	if (p->nlists >= MAX_LIST_DIRS)
		return NULL;
	if ((pl = calloc(1, sizeof(*pl))) == NULL)
		return NULL;
	if ((pl->dir = strdup(dir)) == NULL) {
		free(pl);
		return NULL;
	}
	pl->kind = kind;
	pl->fold = fold;
	pl->refs = 1;
	pl->notes.cap = MAX_LIST_NOTES;
	p->lists[p->nlists++] = pl;
	p->dirty = 1;
	return pl;
}

void
pol_list_put(struct policy *p, struct plist *pl)
{
	size_t	i;

	if (pl == NULL || --pl->refs > 0)
		return;
	for (i = 0; i < p->nlists; i++) {
		if (p->lists[i] == pl) {
			p->lists[i] = p->lists[--p->nlists];
			break;
		}
	}
	pol_list_free(pl);
	p->dirty = 1;
}

void
pol_list_free(struct plist *pl)
{
	lindex_free(pl->ix);
	pol_notes_free(&pl->notes);
	free(pl->dir);
	free(pl);
}

static void
lindex_free(struct lindex *ix)
{
	size_t	i;

	if (ix == NULL)
		return;
	pol_strset_free(&ix->exact);
	pol_strset_free(&ix->wild);
	pol_strset_free(&ix->gkey);
	for (i = 0; i < ix->nglobs; i++)
		free(ix->globs[i]);
	free(ix->globs);
	free(ix->gnext);
	pol_lpm_free(&ix->nets);
	for (i = 0; i < ix->nres; i++) {
		policy_re2_free(ix->res[i].re);
		free(ix->res[i].lit);
	}
	free(ix->res);
	free(ix);
}

/* Tables sized once from the line count; the key arena from the bytes. */
static struct lindex *
lindex_new(enum lkind kind, size_t bytes, size_t lines, const uint8_t *seed)
{
	struct lindex	*ix;
	size_t		 expect;

	if ((ix = calloc(1, sizeof(*ix))) == NULL)
		return NULL;
	expect = kind == LK_DOMAINS_RE ? 0 : lines;
	if (pol_strset_init(&ix->exact, expect, 0, seed) == -1 ||
	    pol_strset_init(&ix->wild, 0, 0, seed) == -1 ||
	    pol_strset_init(&ix->gkey, 0, 1, seed) == -1 ||
	    pol_lpm_init(&ix->nets, kind == LK_DOMAINS ? 0 : expect,
	    seed) == -1 ||
	    pol_strset_reserve(&ix->exact,
	    kind == LK_DOMAINS ? bytes : 0) == -1) {
		lindex_free(ix);
		return NULL;
	}
	return ix;
}

static int
has_glob_meta(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[' || s[i] == ']')
			return 1;
	return 0;
}

static void
oom(struct lbuild *b)
{
	if (!b->failed)
		pol_err_set(b->err, "", "%s: out of memory", b->file);
	b->failed = 1;
}

static void
add_exact(struct lbuild *b, const char *k, size_t n)
{
	int	r;

	if (b->ix->exact.n >= MAX_LIST_ENTRIES) {
		if (!b->failed)
			pol_err_set(b->err, "", "%s: more than %d entries "
			    "(MAX_LIST_ENTRIES)", b->file, MAX_LIST_ENTRIES);
		b->failed = 1;
		return;
	}
	if ((r = pol_strset_add(&b->ix->exact, k, n, 0, NULL)) == -1)
		oom(b);
	else if (r == 1)
		b->ix->entries++;
}

/*
 * "*.x.com" / ".x.com": every proper subdomain of x.com.  Labels are
 * trimmed of white space; an empty label makes the entry match nothing,
 * as in OpenSnitch's trie.
 */
static void
add_wild(struct lbuild *b, const char *s, size_t n)
{
	char		 buf[MAX_LIST_KEY + 1];
	const char	*lab, *dot;
	size_t		 ll, o = 0;
	int		 r;

	for (;;) {
		dot = memchr(s, '.', n);
		lab = s;
		ll = dot ? (size_t)(dot - s) : n;
		pol_trim_unicode_space(&lab, &ll);
		if (ll == 0 || o + ll + 1 > sizeof(buf))
			return;
		if (o > 0)
			buf[o++] = '.';
		memcpy(buf + o, lab, ll);
		o += ll;
		if (dot == NULL)
			break;
		n -= (size_t)(dot - s) + 1;
		s = dot + 1;
	}
	if ((r = pol_strset_add(&b->ix->wild, buf, o, 0, NULL)) == -1)
		oom(b);
	else if (r == 1)
		b->ix->entries++;
}

/* Bucket key: label count and the labels after the last glob label. */
static size_t
glob_key(const char *s, size_t n, char *key, size_t keylen)
{
	size_t	labels = 1, i, start, end, tail = n;

	for (i = 0; i < n; i++)
		if (s[i] == '.')
			labels++;
	for (end = n;;) {
		for (start = end; start > 0 && s[start - 1] != '.'; start--)
			;
		if (has_glob_meta(s + start, end - start) ||
		    memchr(s + start, '\\', end - start) != NULL)
			break;
		tail = start;
		if (start == 0)
			break;
		end = start - 1;
	}
	return (size_t)snprintf(key, keylen, "%zu|%.*s", labels,
	    (int)(n - tail), s + tail);
}

static void
add_glob(struct lbuild *b, const char *s, size_t n)
{
	char		 key[MAX_LIST_KEY + 32], q[128];
	const char	*lab, *dot, *rest = s;
	size_t		 ll, left = n, kl, ncap;
	uint32_t	 old = 0;
	char		**ng;
	uint32_t	*nn;
	int		 r;

	for (;;) {
		dot = memchr(rest, '.', left);
		lab = rest;
		ll = dot ? (size_t)(dot - rest) : left;
		if (!pol_glob_valid(lab, ll)) {
			pol_quote(q, sizeof(q), s, n);
			pol_note_add(&b->pl->notes, b->file, "list",
			    "line %zu: glob %s is malformed: entry "
			    "skipped", b->lineno,
			    q);
			return;
		}
		if (dot == NULL)
			break;
		left -= ll + 1;
		rest = dot + 1;
	}
	if (b->ix->nglobs >= MAX_LIST_ENTRIES)
		return;
	if (b->ix->nglobs == b->ix->capglobs) {
		ncap = b->ix->capglobs ? b->ix->capglobs * 2 : 64;
		if ((ng = realloc(b->ix->globs, ncap * sizeof(*ng))) == NULL) {
			oom(b);
			return;
		}
		b->ix->globs = ng;
		if ((nn = realloc(b->ix->gnext, ncap * sizeof(*nn))) == NULL) {
			oom(b);
			return;
		}
		b->ix->gnext = nn;
		b->ix->capglobs = ncap;
	}
	if ((kl = glob_key(s, n, key, sizeof(key))) >= sizeof(key))
		return;		/* line_domain() keeps n within MAX_LIST_KEY */
	if ((b->ix->globs[b->ix->nglobs] = pol_strndup(s, n)) == NULL) {
		oom(b);
		return;
	}
	r = pol_strset_add(&b->ix->gkey, key, kl, (uint32_t)b->ix->nglobs + 1,
	    &old);
	if (r == -1) {
		free(b->ix->globs[b->ix->nglobs]);
		oom(b);
		return;
	}
	b->ix->gnext[b->ix->nglobs] = r == 0 ? old : 0;
	b->ix->nglobs++;
	b->ix->entries++;
}

static void
line_domain(struct lbuild *b, const char *line, size_t n)
{
	const char	*host, *key, *suf;
	size_t		 hl, kl, sl, i;
	char		 low[MAX_LIST_KEY], *heap = NULL, q[128];
	static const char *const skip[] = {
		"local", "localhost", "localhost.localdomain", "broadcasthost"
	};

	if (n < 9)
		return;
	if (memcmp(line, "0.0.0.0", 7) == 0) {
		host = line + 8;
		hl = n - 8;
	} else if (memcmp(line, "127.0.0.1", 9) == 0) {
		if (n < 10)
			return;
		host = line + 10;
		hl = n - 10;
	} else {
		if (line[0] != '#')
			b->ignored++;
		return;
	}
	for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
		if (strlen(skip[i]) == hl && memcmp(skip[i], host, hl) == 0)
			return;
	key = host;
	kl = hl;
	pol_trim_set(&key, &kl, CORE_TRIM);
	if (kl > MAX_LIST_KEY) {
		pol_note_add(&b->pl->notes, b->file, "list", "line %zu: host "
		    "name longer than %d bytes skipped", b->lineno,
		    MAX_LIST_KEY);
		return;
	}
	if (memchr(key, ' ', kl) != NULL || memchr(key, '\t', kl) != NULL ||
	    memchr(key, '#', kl) != NULL) {
		pol_quote(q, sizeof(q), key, kl);
		pol_note_add(&b->pl->notes, b->file, "surprising", "line %zu: "
		    "entry %s is one host name with blanks in it (no inline "
		    "comments, one host per line): it never matches",
		    b->lineno, q);
	}
	if (b->pl->fold) {
		for (i = 0; i < kl; i++)
			if (key[i] >= 'A' && key[i] <= 'Z')
				break;
		if (i < kl)
			b->upper++;
		if (pol_ascii(key, kl)) {
			memcpy(low, key, kl);
			pol_lower_ascii(low, kl);
			key = low;
		} else {
			if ((heap = pol_lower(key, kl, &kl)) == NULL) {
				oom(b);
				return;
			}
			key = heap;
			/* Folding can grow it: a bad byte becomes U+FFFD. */
			if (kl > MAX_LIST_KEY) {
				pol_note_add(&b->pl->notes, b->file, "list",
				    "line %zu: host name longer than %d bytes "
				    "once lowercased skipped", b->lineno,
				    MAX_LIST_KEY);
				goto out;
			}
		}
	}
	suf = NULL;
	sl = 0;
	if (kl >= 2 && key[0] == '*' && key[1] == '.') {
		suf = key + 2;
		sl = kl - 2;
	} else if (kl >= 1 && key[0] == '.') {
		suf = key + 1;
		sl = kl - 1;
	}
	if (suf != NULL) {
		pol_trim_set(&suf, &sl, ".");
		if (sl > 0) {
			add_wild(b, suf, sl);
			goto out;
		}
	}
	if (has_glob_meta(key, kl))
		add_glob(b, key, kl);
	else
		add_exact(b, key, kl);
out:
	free(heap);
}

static void
line_regexp(struct lbuild *b, const char *line, size_t n)
{
	const char	*t = line;
	size_t		 tl = n, ncap;
	struct lre	*nr;
	struct re2	*re;
	char		 e[256], q[128], lit[256];
	int		 r;

	if (n == 0 || line[0] == '#')
		return;
	pol_trim_set(&t, &tl, CORE_TRIM);
	if ((r = pol_strset_add(&b->seen, t, tl, 0, NULL)) == -1) {
		oom(b);
		return;
	}
	if (r == 0)
		return;
	if (b->ix->nres >= MAX_LIST_REGEXPS) {
		if (!b->failed)
			pol_err_set(b->err, "", "%s: more than %d regexps "
			    "(MAX_LIST_REGEXPS)", b->file, MAX_LIST_REGEXPS);
		b->failed = 1;
		return;
	}
	if ((re = policy_re2_compile(line, n, e, sizeof(e))) == NULL) {
		pol_quote(q, sizeof(q), line, n);
		pol_note_add(&b->pl->notes, b->file, "list", "line %zu: regexp "
		    "%s refused: %s", b->lineno, q, e);
		return;
	}
	if (b->ix->nres == b->ix->capres) {
		ncap = b->ix->capres ? b->ix->capres * 2 : 16;
		if ((nr = realloc(b->ix->res, ncap * sizeof(*nr))) == NULL) {
			policy_re2_free(re);
			oom(b);
			return;
		}
		b->ix->res = nr;
		b->ix->capres = ncap;
	}
	nr = &b->ix->res[b->ix->nres];
	nr->re = re;
	nr->litlen = pol_re_literal(line, n, lit, sizeof(lit));
	nr->lit = nr->litlen ? pol_strndup(lit, nr->litlen) : NULL;
	if (nr->litlen && nr->lit == NULL)
		nr->litlen = 0;
	b->ix->nres++;
	b->ix->entries++;
}

/* lists.ips and lists.nets: exact address text, or a network. */
static void
line_ip(struct lbuild *b, const char *line, size_t n)
{
	const char		*w = line;
	size_t			 wl = n;
	struct policy_ip	 ip;
	struct ipnet		 net;
	char			 canon[64], q[128];
	int			 r;

	if (n == 0 || line[0] == '#')
		return;
	pol_trim_set(&w, &wl, CORE_TRIM);
	if (pol_ip_parse(w, wl, &ip) == 0) {
		policy_ip_format(&ip, canon, sizeof(canon));
		if (strlen(canon) != wl || memcmp(canon, w, wl) != 0) {
			pol_quote(q, sizeof(q), w, wl);
			pol_note_add(&b->pl->notes, b->file, "surprising",
			    "line %zu: %s is compared as text and is not "
			    "written as the daemon prints addresses (\"%s\"): "
			    "it never matches", b->lineno, q, canon);
		}
		add_exact(b, w, wl);
		return;
	}
	if (pol_ipnet_parse(w, wl, &net) == 0) {
		if ((r = pol_lpm_add(&b->ix->nets, &net)) == -1)
			oom(b);
		else if (r == 1)
			b->ix->entries++;
		return;
	}
	pol_quote(q, sizeof(q), w, wl);
	pol_note_add(&b->pl->notes, b->file, "list", "line %zu: %s is neither "
	    "an address nor a network: %s", b->lineno, q,
	    b->pl->kind == LK_NETS ? "skipped" : "it never matches");
}

static void
line_md5(struct lbuild *b, const char *line, size_t n)
{
	const char	*w = line;
	size_t		 wl = n, i;
	char		 q[128];

	if (n == 0 || line[0] == '#')
		return;
	pol_trim_set(&w, &wl, CORE_TRIM);
	for (i = 0; i < wl; i++)
		if (!((w[i] >= '0' && w[i] <= '9') ||
		    (w[i] >= 'a' && w[i] <= 'f')))
			break;
	if (wl != 32 || i != wl) {
		pol_quote(q, sizeof(q), w, wl);
		pol_note_add(&b->pl->notes, b->file, "surprising", "line %zu: "
		    "%s is not 32 lowercase hex digits; the whole line is the "
		    "key (md5sum's \"hash  path\" is not split): it never "
		    "matches", b->lineno, q);
	}
	add_exact(b, w, wl);
}

static void
file_notes(struct lbuild *b)
{
	if (b->ignored > 0)
		pol_note_add(&b->pl->notes, b->file, "list", "%zu line(s) "
		    "neither \"0.0.0.0 host\" nor \"127.0.0.1 host\" are "
		    "ignored (a plain list of names needs lists.domains_regexp "
		    "or a hosts-file format)", b->ignored);
	if (b->upper > 0)
		pol_note_add(&b->pl->notes, b->file, "D8", "%zu entr%s with "
		    "upper-case letters: tattle lowercases them for this "
		    "case-insensitive rule; OpenSnitch never matches them",
		    b->upper, b->upper == 1 ? "y" : "ies");
	if (b->crlf > 0 && b->pl->kind == LK_DOMAINS_RE)
		pol_note_add(&b->pl->notes, b->file, "D7", "%zu line(s) end in "
		    "CR or blanks: tattle trims them; OpenSnitch keeps them "
		    "in the regexp (so \"$\" never matches)", b->crlf);
	b->ignored = b->upper = b->crlf = 0;
}

static int
plist_build(struct plist *pl, const struct policy_list_file *files,
    size_t nfiles, const uint8_t *seed, struct policy_err *err)
{
	struct lbuild	 b;
	const char	*p, *end, *nl;
	size_t		 i, n, total = 0, lines = 0;

	if (nfiles > MAX_LIST_FILES) {
		pol_err_set(err, "", "%zu files (MAX_LIST_FILES is %d)", nfiles,
		    MAX_LIST_FILES);
		return -1;
	}
	for (i = 0; i < nfiles; i++) {
		if (files[i].data == NULL ||
		    !policy_list_file_wanted(files[i].name))
			continue;
		total += files[i].len;
		p = files[i].data;
		end = p + files[i].len;
		while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
			lines++;
			p = nl + 1;
		}
		lines++;
	}
	if (total > MAX_LIST_DIR_BYTES) {
		pol_err_set(err, "", "%zu bytes of lists (MAX_LIST_DIR_BYTES "
		    "is %lu)", total, MAX_LIST_DIR_BYTES);
		return -1;
	}
	memset(&b, 0, sizeof(b));
	b.pl = pl;
	b.err = err;
	pol_notes_free(&pl->notes);
	pl->notes.cap = MAX_LIST_NOTES;
	if ((b.ix = lindex_new(pl->kind, total, lines, seed)) == NULL ||
	    pol_strset_init(&b.seen, 0, 0, seed) == -1) {
		pol_err_set(err, "", "out of memory");
		lindex_free(b.ix);
		return -1;
	}
	for (i = 0; i < nfiles && !b.failed; i++) {
		b.file = files[i].name;
		if (!policy_list_file_wanted(files[i].name)) {
			pol_note_add(&pl->notes, b.file, "surprising",
			    "file not read: only names with a dot, not "
			    "starting with one, are (OpenSnitch reads "
			    "\"%s%s*.*\")", pl->dir,
			    pl->dir[0] != '\0' &&
			    pl->dir[strlen(pl->dir) - 1] == '/' ? "" : "/");
			continue;
		}
		if (files[i].data == NULL)
			continue;
		p = files[i].data;
		end = p + files[i].len;
		for (b.lineno = 1; p < end && !b.failed; b.lineno++) {
			nl = memchr(p, '\n', (size_t)(end - p));
			n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			/* D7: a trailing CR and trailing blanks go. */
			if (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' ||
			    p[n - 1] == '\t')) {
				b.crlf++;
				while (n > 0 && (p[n - 1] == '\r' ||
				    p[n - 1] == ' ' || p[n - 1] == '\t'))
					n--;
			}
			switch (pl->kind) {
			case LK_DOMAINS:
				line_domain(&b, p, n);
				break;
			case LK_DOMAINS_RE:
				line_regexp(&b, p, n);
				break;
			case LK_IPS:
			case LK_NETS:
				line_ip(&b, p, n);
				break;
			case LK_MD5:
				line_md5(&b, p, n);
				break;
			}
			if (nl == NULL)
				break;
			p = nl + 1;
		}
		file_notes(&b);
	}
	pol_strset_free(&b.seen);
	if (b.failed) {
		lindex_free(b.ix);
		return -1;
	}
	/* Sized for every line: give back what comments and repeats took. */
	(void)pol_strset_fit(&b.ix->exact);
	(void)pol_strset_fit(&b.ix->wild);
	(void)pol_strset_fit(&b.ix->gkey);
	lindex_free(pl->ix);
	pl->ix = b.ix;
	pl->loaded = 1;
	return 0;
}

/* Proper subdomains of a wildcard suffix; labels trimmed as the trie did. */
static int
match_wild(const struct lindex *ix, const char *h, size_t n)
{
	char		 buf[1024];
	const char	*lab, *dot, *s = h;
	size_t		 ll, left = n, o = 0, i, w;
	int		 space = 0;

	if (ix->wild.n == 0)
		return 0;
	for (i = 0; i < n && !space; i += w)
		space = pol_is_space(h + i, n - i, &w);
	if (space) {
		/* Rebuild the name with each label trimmed. */
		if (n >= sizeof(buf))
			return 0;
		for (;;) {
			dot = memchr(s, '.', left);
			lab = s;
			ll = dot ? (size_t)(dot - s) : left;
			pol_trim_unicode_space(&lab, &ll);
			memcpy(buf + o, lab, ll);
			o += ll;
			if (dot == NULL)
				break;
			buf[o++] = '.';
			left -= (size_t)(dot - s) + 1;
			s = dot + 1;
		}
		h = buf;
		n = o;
	}
	for (i = 0; i < n; i++)
		if (h[i] == '.' && pol_strset_find(&ix->wild, h + i + 1,
		    n - i - 1, NULL))
			return 1;
	return 0;
}

/* Every label of the pattern matches the host's label at that place. */
static int
glob_labels(const char *pat, size_t pn, const char *h, size_t hn)
{
	const char	*pd, *hd;
	size_t		 pl, hl;

	for (;;) {
		pd = memchr(pat, '.', pn);
		hd = memchr(h, '.', hn);
		if ((pd == NULL) != (hd == NULL))
			return 0;
		pl = pd ? (size_t)(pd - pat) : pn;
		hl = hd ? (size_t)(hd - h) : hn;
		if (!pol_glob_match(pat, pl, h, hl))
			return 0;
		if (pd == NULL)
			return 1;
		pat = pd + 1;
		pn -= pl + 1;
		h = hd + 1;
		hn -= hl + 1;
	}
}

static int
match_glob(const struct lindex *ix, const char *h, size_t n)
{
	size_t		 labels = 1, i, kl, t;
	size_t		 dots[MAX_HOST_LABELS];
	char		 key[1100];
	uint32_t	 g;

	if (ix->nglobs == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (h[i] == '.') {
			if (labels >= MAX_HOST_LABELS)
				return 0;
			dots[labels - 1] = i;
			labels++;
		}
	if (n + 32 > sizeof(key))
		return 0;
	/* t: how many labels of the host form the bucket's literal tail. */
	for (t = 0; t < labels; t++) {
		if (t == 0)
			kl = (size_t)snprintf(key, sizeof(key), "%zu|", labels);
		else {
			i = dots[labels - 1 - t] + 1;
			kl = (size_t)snprintf(key, sizeof(key), "%zu|%.*s",
			    labels, (int)(n - i), h + i);
		}
		if (!pol_strset_find(&ix->gkey, key, kl, &g))
			continue;
		for (; g != 0; g = ix->gnext[g - 1])
			if (glob_labels(ix->globs[g - 1],
			    strlen(ix->globs[g - 1]), h, n))
				return 1;
	}
	return 0;
}

int
pol_list_match_host(const struct plist *pl, const char *h, size_t n)
{
	const struct lindex	*ix = pl->ix;

	if (!pl->loaded || ix == NULL || n == 0)
		return 0;
	return pol_strset_find(&ix->exact, h, n, NULL) ||
	    match_wild(ix, h, n) || match_glob(ix, h, n);
}

int
pol_list_match_re(const struct plist *pl, const char *h, size_t n)
{
	const struct lindex	*ix = pl->ix;
	size_t			 i;
	int			 r;

	if (!pl->loaded || ix == NULL || n == 0)
		return 0;
	for (i = 0; i < ix->nres; i++) {
		if (ix->res[i].litlen > 0 && !pol_contains(h, n, ix->res[i].lit,
		    ix->res[i].litlen))
			continue;
		if ((r = policy_re2_search(ix->res[i].re, h, n)) != 0)
			return r;
	}
	return 0;
}

int
pol_list_match_ip(const struct plist *pl, const struct policy_ip *ip,
    const char *text)
{
	const struct lindex	*ix = pl->ix;

	if (!pl->loaded || ix == NULL)
		return 0;
	return pol_strset_find(&ix->exact, text, strlen(text), NULL) ||
	    pol_lpm_contains(&ix->nets, ip);
}

int
pol_list_match_key(const struct plist *pl, const char *k, size_t n)
{
	if (!pl->loaded || pl->ix == NULL || n == 0)
		return 0;
	return pol_strset_find(&pl->ix->exact, k, n, NULL);
}

size_t
pol_list_entries(const struct plist *pl)
{
	return pl->ix != NULL ? pl->ix->entries : 0;
}

int
policy_list_load(struct policy *p, const char *dir,
    const struct policy_list_file *files, size_t nfiles,
    struct policy_err *err)
{
	struct policy_err	 scratch;
	size_t			 i;
	int			 ret = 0;

	if (err == NULL)
		err = &scratch;
	memset(err, 0, sizeof(*err));
	pol_err_file(err, dir);
	for (i = 0; i < p->nlists; i++) {
		if (strcmp(p->lists[i]->dir, dir) != 0)
			continue;
		if (plist_build(p->lists[i], files, nfiles, p->opts.hash_seed,
		    err) == -1)
			ret = -1;
	}
	return ret;
}

/* A path component by component: "", "." and ".." are refused. */
int
policy_list_dir_ok(const char *const *roots, size_t nroots, const char *dir,
    char *why, size_t whylen)
{
	const char	*s, *e;
	size_t		 i, rl;

	if (dir[0] != '/') {
		snprintf(why, whylen, "lists directory \"%.200s\" is not an "
		    "absolute path: only directories under the lists roots "
		    "(ListsRoots) are read", dir);
		return 0;
	}
	for (s = dir; *s != '\0'; s = *e == '\0' ? e : e + 1) {
		while (*s == '/')
			s++;
		e = s + strcspn(s, "/");
		if ((e - s == 1 && s[0] == '.') ||
		    (e - s == 2 && s[0] == '.' && s[1] == '.')) {
			snprintf(why, whylen, "lists directory \"%.200s\" has "
			    "a \".\" or \"..\" component: refused", dir);
			return 0;
		}
	}
	for (i = 0; i < nroots; i++) {
		rl = strlen(roots[i]);
		while (rl > 1 && roots[i][rl - 1] == '/')
			rl--;
		if (strncmp(dir, roots[i], rl) == 0 &&
		    (dir[rl] == '/' || dir[rl] == '\0' || rl == 1))
			return 1;
	}
	snprintf(why, whylen, "lists directory \"%.200s\" is outside the "
	    "lists roots (ListsRoots in the configuration): tattled reads "
	    "lists only there", dir);
	return 0;
}
