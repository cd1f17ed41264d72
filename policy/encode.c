/*
 * encode.c: a rule as OpenSnitch's Save() writes it: Go's
 * json.MarshalIndent(rule, "", "  "), keys in struct order, strings escaped
 * as Go does (HTML characters, U+2028/2029, invalid UTF-8 as \ufffd).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "policy_int.h"

struct obuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 oom;
};

int		pol_ruledef_json(const struct ruledef *, const char *, char **,
		    size_t *);
int		policy_rule_build(const struct policy_rule_spec *, char **,
		    size_t *);
static void	put(struct obuf *, const char *, size_t);
static void	puts_(struct obuf *, const char *);
static void	indent(struct obuf *, int);
static void	put_string(struct obuf *, const char *);
static void	put_key(struct obuf *, int, const char *);
static void	put_op(struct obuf *, const struct opdef *, int, int);
static size_t	u8len(const unsigned char *, size_t);
static void	spec_op(struct opdef *, const struct policy_op_spec *);

static void
put(struct obuf *b, const char *s, size_t n)
{
	size_t	 ncap;
	char	*np;

	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 512;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
puts_(struct obuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void
indent(struct obuf *b, int level)
{
	int	i;

	put(b, "\n", 1);
	for (i = 0; i < level; i++)
		put(b, "  ", 2);
}

/* Length of the valid UTF-8 character at s, 0 if invalid. */
static size_t
u8len(const unsigned char *s, size_t n)
{
	unsigned	cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf && n >= 2 && (s[1] & 0xc0) == 0x80)
		return 2;
	if (s[0] >= 0xe0 && s[0] <= 0xef && n >= 3 &&
	    (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		cp = (unsigned)(s[0] & 0x0f) << 12 |
		    (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		return cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff) ? 3 : 0;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4 && n >= 4 &&
	    (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80 &&
	    (s[3] & 0xc0) == 0x80) {
		cp = (unsigned)(s[0] & 0x07) << 18 |
		    (unsigned)(s[1] & 0x3f) << 12 |
		    (unsigned)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
		return cp >= 0x10000 && cp <= 0x10ffff ? 4 : 0;
	}
	return 0;
}

static void
put_string(struct obuf *b, const char *str)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 n = strlen(str), i, k;
	char			 e[6];

	put(b, "\"", 1);
	for (i = 0; i < n; i += k) {
		k = 1;
		if (s[i] >= 0x80) {
			if ((k = u8len(s + i, n - i)) == 0) {
				puts_(b, "\\ufffd");
				k = 1;
			} else if (k == 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
			    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
				puts_(b, s[i + 2] == 0xa8 ? "\\u2028" :
				    "\\u2029");
			else
				put(b, (const char *)s + i, k);
			continue;
		}
		switch (s[i]) {
		case '"':	puts_(b, "\\\""); break;
		case '\\':	puts_(b, "\\\\"); break;
		case '\b':	puts_(b, "\\b"); break;
		case '\f':	puts_(b, "\\f"); break;
		case '\n':	puts_(b, "\\n"); break;
		case '\r':	puts_(b, "\\r"); break;
		case '\t':	puts_(b, "\\t"); break;
		default:
			if (s[i] < 0x20 || s[i] == '<' || s[i] == '>' ||
			    s[i] == '&') {
				memcpy(e, "\\u00", 4);
				e[4] = hex_digit(s[i] >> 4);
				e[5] = hex_digit(s[i]);
				put(b, e, 6);
			} else
				put(b, (const char *)s + i, 1);
		}
	}
	put(b, "\"", 1);
}

static void
put_key(struct obuf *b, int level, const char *key)
{
	indent(b, level);
	put_string(b, key);
	put(b, ": ", 2);
}

static void
put_op(struct obuf *b, const struct opdef *op, int level, int last)
{
	size_t	i;

	put(b, "{", 1);
	put_key(b, level + 1, "operand");
	put_string(b, op->operand);
	put(b, ",", 1);
	put_key(b, level + 1, "data");
	put_string(b, op->data);
	put(b, ",", 1);
	put_key(b, level + 1, "type");
	put_string(b, op->type);
	put(b, ",", 1);
	put_key(b, level + 1, "list");
	if (op->list_null && op->nlist == 0)
		puts_(b, "null");
	else if (op->nlist == 0)
		puts_(b, "[]");
	else {
		put(b, "[", 1);
		for (i = 0; i < op->nlist; i++) {
			indent(b, level + 2);
			put_op(b, &op->list[i], level + 2, i + 1 == op->nlist);
		}
		indent(b, level + 1);
		put(b, "]", 1);
	}
	put(b, ",", 1);
	put_key(b, level + 1, "sensitive");
	puts_(b, op->sensitive ? "true" : "false");
	indent(b, level);
	put(b, last ? "}" : "},", last ? 1 : 2);
}

int
pol_ruledef_json(const struct ruledef *r, const char *updated, char **out,
    size_t *outlen)
{
	struct obuf	b;

	memset(&b, 0, sizeof(b));
	put(&b, "{", 1);
	put_key(&b, 1, "created");
	put_string(&b, r->created);
	put(&b, ",", 1);
	put_key(&b, 1, "updated");
	put_string(&b, updated != NULL ? updated : r->updated);
	put(&b, ",", 1);
	put_key(&b, 1, "name");
	put_string(&b, r->name);
	put(&b, ",", 1);
	put_key(&b, 1, "description");
	put_string(&b, r->description);
	put(&b, ",", 1);
	put_key(&b, 1, "action");
	put_string(&b, r->action);
	put(&b, ",", 1);
	put_key(&b, 1, "duration");
	put_string(&b, r->duration);
	put(&b, ",", 1);
	put_key(&b, 1, "operator");
	put_op(&b, &r->op, 1, 0);
	put_key(&b, 1, "enabled");
	puts_(&b, r->enabled ? "true," : "false,");
	put_key(&b, 1, "precedence");
	puts_(&b, r->precedence ? "true," : "false,");
	put_key(&b, 1, "nolog");
	puts_(&b, r->nolog ? "true" : "false");
	put(&b, "\n}", 2);
	if (b.oom) {
		free(b.p);
		return -1;
	}
	*out = b.p;
	if (outlen != NULL)
		*outlen = b.len;
	return 0;
}

static void
spec_op(struct opdef *d, const struct policy_op_spec *o)
{
	d->type = (char *)o->type;
	d->operand = (char *)o->operand;
	d->data = (char *)o->data;
	d->sensitive = o->sensitive;
	d->list_null = 1;
}

int
policy_rule_build(const struct policy_rule_spec *sp, char **out,
    size_t *outlen)
{
	struct ruledef	 r;
	struct opdef	 kids[MAX_OP_CHILDREN];
	size_t		 i;

	if (sp->name == NULL || sp->action == NULL || sp->duration == NULL ||
	    sp->ops == NULL || sp->nops == 0 || sp->nops > MAX_OP_CHILDREN) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < sp->nops; i++)
		if (sp->ops[i].type == NULL || sp->ops[i].operand == NULL ||
		    sp->ops[i].data == NULL) {
			errno = EINVAL;
			return -1;
		}
	memset(&r, 0, sizeof(r));
	memset(kids, 0, sp->nops * sizeof(kids[0]));
	r.created = (char *)(sp->created ? sp->created : "");
	r.updated = r.created;
	r.name = (char *)sp->name;
	r.description = (char *)(sp->description ? sp->description : "");
	r.action = (char *)sp->action;
	r.duration = (char *)sp->duration;
	r.enabled = 1;
	r.precedence = sp->precedence;
	r.nolog = sp->nolog;
	if (sp->nops == 1)
		spec_op(&r.op, &sp->ops[0]);
	else {
		r.op.type = "list";
		r.op.operand = "list";
		r.op.data = "";
		for (i = 0; i < sp->nops; i++)
			spec_op(&kids[i], &sp->ops[i]);
		r.op.list = kids;
		r.op.nlist = sp->nops;
	}
	/* The daemon's UI path makes the top "list" an empty array. */
	r.op.list_null = 0;
	if (pol_ruledef_json(&r, NULL, out, outlen) == -1) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}
