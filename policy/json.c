/*
 * json.c: parses one JSON document into a bounded tree with yajl, keeping
 * to the syntax Go's encoding/json accepts: one value, only space, tab, CR
 * and LF as white space (yajl also takes \v and \f), no BOM, no comments,
 * no trailing data; invalid UTF-8 inside strings is kept as U+FFFD, one
 * per bad byte, as Go does.  Numbers are kept as text (Go rejects them by
 * type later, never by size).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "policy_int.h"

#define JCHUNK	(64 * 1024)

struct jchunk {
	struct jchunk	*next;
	size_t		 used;
	size_t		 size;
	char		 mem[];
};

struct jparse {
	struct jdoc	*doc;
	struct jnode	*stack[MAX_JSON_DEPTH + 1];
	size_t		 depth;
	char		*key;
	size_t		 keylen;
	const char	*fail;
};

int		 pol_json_parse(struct jdoc *, const char *, size_t, char *,
		    size_t);
void		 pol_json_free(struct jdoc *);
const char	*pol_json_type_name(enum jtype);
static void	*jalloc(struct jdoc *, size_t);
static char	*jstr(struct jdoc *, const unsigned char *, size_t, size_t *);
static size_t	 utf8_valid_len(const unsigned char *, size_t);
static struct jnode *jadd(struct jparse *, enum jtype);
static int	 j_null(void *);
static int	 j_bool(void *, int);
static int	 j_num(void *, const char *, size_t);
static int	 j_str(void *, const unsigned char *, size_t);
static int	 j_smap(void *);
static int	 j_key(void *, const unsigned char *, size_t);
static int	 j_end(void *);
static int	 j_sarr(void *);
static int	 ws_check(const char *, size_t, size_t *);

static const yajl_callbacks jcb = {
	j_null, j_bool, NULL, NULL, j_num, j_str,
	j_smap, j_key, j_end, j_sarr, j_end
};

const char *
pol_json_type_name(enum jtype t)
{
	switch (t) {
	case J_NULL:	return "null";
	case J_BOOL:	return "bool";
	case J_NUM:	return "number";
	case J_STR:	return "string";
	case J_OBJ:	return "object";
	case J_ARR:	return "array";
	}
	return "?";
}

static void *
jalloc(struct jdoc *doc, size_t n)
{
	struct jchunk	*c = doc->mem;
	size_t		 sz;
	void		*p;

	n = (n + 15) & ~(size_t)15;
	if (c == NULL || c->size - c->used < n) {
		sz = n > JCHUNK ? n : JCHUNK;
		if ((c = malloc(sizeof(*c) + sz)) == NULL)
			return NULL;
		c->next = doc->mem;
		c->used = 0;
		c->size = sz;
		doc->mem = c;
	}
	p = c->mem + c->used;
	c->used += n;
	return p;
}

/* Length of the valid UTF-8 character at s (Go's rules), 0 if invalid. */
static size_t
utf8_valid_len(const unsigned char *s, size_t n)
{
	unsigned	cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		if (n >= 2 && (s[1] & 0xc0) == 0x80)
			return 2;
		return 0;
	}
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		cp = (unsigned)(s[0] & 0x0f) << 12 |
		    (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 ||
		    (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		cp = (unsigned)(s[0] & 0x07) << 18 |
		    (unsigned)(s[1] & 0x3f) << 12 |
		    (unsigned)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
		if (cp < 0x10000 || cp > 0x10ffff)
			return 0;
		return 4;
	}
	return 0;
}

/* A copy of a decoded string, invalid bytes replaced by U+FFFD. */
static char *
jstr(struct jdoc *doc, const unsigned char *s, size_t n, size_t *outlen)
{
	size_t	 i, k, bad = 0, o = 0;
	char	*p;

	for (i = 0; i < n; i += k)
		if ((k = utf8_valid_len(s + i, n - i)) == 0) {
			bad++;
			k = 1;
		}
	if ((p = jalloc(doc, n + 2 * bad + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i += k) {
		if ((k = utf8_valid_len(s + i, n - i)) == 0) {
			memcpy(p + o, "\xef\xbf\xbd", 3);
			o += 3;
			k = 1;
			continue;
		}
		memcpy(p + o, s + i, k);
		o += k;
	}
	p[o] = '\0';
	*outlen = o;
	return p;
}

static struct jnode *
jadd(struct jparse *jp, enum jtype t)
{
	struct jnode	*n, *parent;

	if (jp->doc->nodes >= MAX_JSON_NODES) {
		jp->fail = "too many values (MAX_JSON_NODES)";
		return NULL;
	}
	if ((n = jalloc(jp->doc, sizeof(*n))) == NULL) {
		jp->fail = "out of memory";
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->t = t;
	jp->doc->nodes++;
	if (jp->depth == 0) {
		jp->doc->root = n;
		return n;
	}
	parent = jp->stack[jp->depth - 1];
	if (parent->t == J_OBJ) {
		n->key = jp->key;
		n->keylen = jp->keylen;
		jp->key = NULL;
	}
	if (parent->tail != NULL)
		parent->tail->next = n;
	else
		parent->kids = n;
	parent->tail = n;
	parent->n++;
	return n;
}

static int
j_null(void *ctx)
{
	return jadd(ctx, J_NULL) != NULL;
}

static int
j_bool(void *ctx, int b)
{
	struct jnode	*n;

	if ((n = jadd(ctx, J_BOOL)) == NULL)
		return 0;
	n->b = b;
	return 1;
}

static int
j_num(void *ctx, const char *s, size_t len)
{
	struct jparse	*jp = ctx;
	struct jnode	*n;

	if ((n = jadd(jp, J_NUM)) == NULL)
		return 0;
	if ((n->s = jstr(jp->doc, (const unsigned char *)s, len,
	    &n->len)) == NULL) {
		jp->fail = "out of memory";
		return 0;
	}
	return 1;
}

static int
j_str(void *ctx, const unsigned char *s, size_t len)
{
	struct jparse	*jp = ctx;
	struct jnode	*n;

	if ((n = jadd(jp, J_STR)) == NULL)
		return 0;
	if ((n->s = jstr(jp->doc, s, len, &n->len)) == NULL) {
		jp->fail = "out of memory";
		return 0;
	}
	return 1;
}

static int
j_key(void *ctx, const unsigned char *s, size_t len)
{
	struct jparse	*jp = ctx;

	if ((jp->key = jstr(jp->doc, s, len, &jp->keylen)) == NULL) {
		jp->fail = "out of memory";
		return 0;
	}
	return 1;
}

static int
j_open(struct jparse *jp, enum jtype t)
{
	struct jnode	*n;

	if (jp->depth >= MAX_JSON_DEPTH) {
		jp->fail = "nested too deeply (MAX_JSON_DEPTH)";
		return 0;
	}
	if ((n = jadd(jp, t)) == NULL)
		return 0;
	jp->stack[jp->depth++] = n;
	return 1;
}

static int
j_smap(void *ctx)
{
	return j_open(ctx, J_OBJ);
}

static int
j_sarr(void *ctx)
{
	return j_open(ctx, J_ARR);
}

static int
j_end(void *ctx)
{
	struct jparse	*jp = ctx;

	if (jp->depth > 0)
		jp->depth--;
	return 1;
}

/*
 * yajl takes \v and \f as white space between tokens; Go does not.  Finds
 * the first such byte outside strings.
 */
static int
ws_check(const char *buf, size_t len, size_t *at)
{
	size_t	i;
	int	instr = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			if (buf[i] == '\\')
				i++;
			else if (buf[i] == '"')
				instr = 0;
			continue;
		}
		if (buf[i] == '"')
			instr = 1;
		else if (buf[i] == '\v' || buf[i] == '\f') {
			*at = i;
			return -1;
		}
	}
	return 0;
}

int
pol_json_parse(struct jdoc *doc, const char *buf, size_t len, char *err,
    size_t errlen)
{
	struct jparse	 jp;
	yajl_handle	 h;
	yajl_status	 st;
	unsigned char	*msg;
	size_t		 at, ml;

	memset(doc, 0, sizeof(*doc));
	memset(&jp, 0, sizeof(jp));
	jp.doc = doc;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		snprintf(err, errlen, "invalid JSON: starts with a UTF-8 "
		    "byte order mark (Go's decoder refuses it)");
		return -1;
	}
	if (ws_check(buf, len, &at) == -1) {
		snprintf(err, errlen, "invalid JSON at byte %zu: \\v or \\f "
		    "is not white space", at);
		return -1;
	}
	if ((h = yajl_alloc(&jcb, NULL, &jp)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	yajl_config(h, yajl_dont_validate_strings, 1);
	st = yajl_parse(h, (const unsigned char *)buf, len);
	at = yajl_get_bytes_consumed(h);
	if (st == yajl_status_ok) {
		st = yajl_complete_parse(h);
		at = len;
	}
	if (st != yajl_status_ok) {
		if (jp.fail != NULL)
			snprintf(err, errlen, "invalid JSON: %s", jp.fail);
		else if (len == 0)
			snprintf(err, errlen, "invalid JSON: empty file");
		else {
			msg = yajl_get_error(h, 0, NULL, 0);
			ml = msg ? strcspn((char *)msg, "\n") : 0;
			snprintf(err, errlen, "invalid JSON at byte %zu: %.*s",
			    at, (int)ml, msg ? (char *)msg : "");
			if (msg != NULL)
				yajl_free_error(h, msg);
		}
		yajl_free(h);
		pol_json_free(doc);
		return -1;
	}
	yajl_free(h);
	if (doc->root == NULL) {
		snprintf(err, errlen, "invalid JSON: no value");
		pol_json_free(doc);
		return -1;
	}
	return 0;
}

void
pol_json_free(struct jdoc *doc)
{
	struct jchunk	*c, *next;

	for (c = doc->mem; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	doc->mem = NULL;
	doc->root = NULL;
	doc->nodes = 0;
}
