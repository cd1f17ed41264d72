/*
 * decode.c: a JSON tree into the rule model the way Go's json.Unmarshal
 * fills OpenSnitch's Rule struct: keys match fields case-insensitively,
 * unknown keys are ignored, null leaves a field alone, a duplicate key
 * overwrites (an object is decoded into what is already there), and a type
 * mismatch fails the file while the rest is still decoded (so the error
 * can name the rule).  Each of these is also noted for policy_lint().
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_int.h"

enum fkind {
	F_STR,
	F_BOOL,
	F_OP,
	F_LIST
};

struct field {
	const char	*name;
	enum fkind	 kind;
	size_t		 off;
};

#define RF(n, k, m)	{ n, k, offsetof(struct ruledef, m) }
#define OF(n, k, m)	{ n, k, offsetof(struct opdef, m) }

static const struct field rule_fields[] = {
	RF("created", F_STR, created),
	RF("updated", F_STR, updated),
	RF("name", F_STR, name),
	RF("description", F_STR, description),
	RF("action", F_STR, action),
	RF("duration", F_STR, duration),
	RF("operator", F_OP, op),
	RF("enabled", F_BOOL, enabled),
	RF("precedence", F_BOOL, precedence),
	RF("nolog", F_BOOL, nolog),
	{ NULL, F_STR, 0 }
};

static const struct field op_fields[] = {
	OF("operand", F_STR, operand),
	OF("data", F_STR, data),
	OF("type", F_STR, type),
	OF("list", F_LIST, list),
	OF("sensitive", F_BOOL, sensitive),
	{ NULL, F_STR, 0 }
};

struct dctx {
	struct pnotes		*notes;
	struct policy_err	*err;
	int			 failed;
	int			 oom;
};

int	 pol_ruledef_init(struct ruledef *);
void	 pol_ruledef_free(struct ruledef *);
int	 pol_rule_decode(const struct jnode *, struct ruledef *,
	    struct pnotes *, struct policy_err *);
int	 pol_oplist_decode(const struct jnode *, struct opdef **, size_t *,
	    struct pnotes *, struct policy_err *, const char *);
static void	opdef_free(struct opdef *);
static int	opdef_init(struct opdef *);
static void	decode_obj(struct dctx *, const struct jnode *,
		    const struct field *, void *, const char *);
static void	decode_value(struct dctx *, const struct jnode *,
		    const struct field *, void *, const char *);
static void	decode_list(struct dctx *, const struct jnode *,
		    struct opdef **, size_t *, int *, const char *);
static void	type_error(struct dctx *, const char *, const char *,
		    const struct jnode *);
static void	path_join(char *, size_t, const char *, const char *);

static int
opdef_init(struct opdef *op)
{
	memset(op, 0, sizeof(*op));
	op->list_null = 1;
	if ((op->type = strdup("")) == NULL ||
	    (op->operand = strdup("")) == NULL ||
	    (op->data = strdup("")) == NULL) {
		opdef_free(op);
		return -1;
	}
	return 0;
}

static void
opdef_free(struct opdef *op)
{
	size_t	i;

	free(op->type);
	free(op->operand);
	free(op->data);
	for (i = 0; i < op->nlist; i++)
		opdef_free(&op->list[i]);
	free(op->list);
	memset(op, 0, sizeof(*op));
}

int
pol_ruledef_init(struct ruledef *r)
{
	memset(r, 0, sizeof(*r));
	if ((r->created = strdup("")) == NULL ||
	    (r->updated = strdup("")) == NULL ||
	    (r->name = strdup("")) == NULL ||
	    (r->description = strdup("")) == NULL ||
	    (r->action = strdup("")) == NULL ||
	    (r->duration = strdup("")) == NULL ||
	    opdef_init(&r->op) == -1) {
		pol_ruledef_free(r);
		return -1;
	}
	return 0;
}

void
pol_ruledef_free(struct ruledef *r)
{
	free(r->created);
	free(r->updated);
	free(r->name);
	free(r->description);
	free(r->action);
	free(r->duration);
	opdef_free(&r->op);
	memset(r, 0, sizeof(*r));
}

static void
path_join(char *buf, size_t len, const char *base, const char *name)
{
	if (base == NULL || base[0] == '\0')
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%s.%s", base, name);
}

static void
type_error(struct dctx *d, const char *path, const char *want,
    const struct jnode *n)
{
	if (d->failed)
		return;
	d->failed = 1;
	pol_err_set(d->err, path, "expected %s, got %s (Go's decoder refuses "
	    "the whole file)", want, pol_json_type_name(n->t));
}

static void
decode_list(struct dctx *d, const struct jnode *n, struct opdef **list,
    size_t *nlist, int *isnull, const char *path)
{
	const struct jnode	*k;
	struct opdef		*v;
	size_t			 i, j;
	char			 sub[POLICY_ERR_FIELD];

	if (n->t == J_NULL) {
		for (j = 0; j < *nlist; j++)
			opdef_free(&(*list)[j]);
		free(*list);
		*list = NULL;
		*nlist = 0;
		if (isnull != NULL)
			*isnull = 1;
		return;
	}
	if (n->t != J_ARR) {
		type_error(d, path, "an array of operators", n);
		return;
	}
	if (n->n > MAX_OP_CHILDREN) {
		if (!d->failed)
			pol_err_set(d->err, path, "%zu operators in one list "
			    "(MAX_OP_CHILDREN is %d)", n->n, MAX_OP_CHILDREN);
		d->failed = 1;
		return;
	}
	v = NULL;
	if (n->n > 0 && (v = calloc(n->n, sizeof(*v))) == NULL) {
		d->oom = 1;
		return;
	}
	for (i = 0, k = n->kids; k != NULL; k = k->next, i++) {
		if (opdef_init(&v[i]) == -1) {
			d->oom = 1;
			break;
		}
		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		if (k->t == J_OBJ)
			decode_obj(d, k, op_fields, &v[i], sub);
		else if (k->t != J_NULL)
			type_error(d, sub, "an operator object", k);
	}
	if (d->oom) {
		for (j = 0; j < i; j++)
			opdef_free(&v[j]);
		free(v);
		return;
	}
	for (j = 0; j < *nlist; j++)
		opdef_free(&(*list)[j]);
	free(*list);
	*list = v;
	*nlist = n->n;
	if (isnull != NULL)
		*isnull = 0;
}

static void
decode_value(struct dctx *d, const struct jnode *n, const struct field *f,
    void *obj, const char *path)
{
	char		**sp;
	int		 *bp;
	struct opdef	 *op;

	switch (f->kind) {
	case F_STR:
		if (n->t == J_NULL)
			return;
		if (n->t != J_STR) {
			type_error(d, path, "a string", n);
			return;
		}
		if (memchr(n->s, '\0', n->len) != NULL) {
			if (!d->failed)
				pol_err_set(d->err, path, "a NUL character "
				    "(\\u0000) is not supported in rule text");
			d->failed = 1;
			return;
		}
		sp = (char **)((char *)obj + f->off);
		free(*sp);
		if ((*sp = strdup(n->s)) == NULL)
			d->oom = 1;
		return;
	case F_BOOL:
		if (n->t == J_NULL)
			return;
		if (n->t != J_BOOL) {
			type_error(d, path, "true or false", n);
			return;
		}
		bp = (int *)(void *)((char *)obj + f->off);
		*bp = n->b;
		return;
	case F_OP:
		if (n->t == J_NULL)
			return;
		if (n->t != J_OBJ) {
			type_error(d, path, "an operator object", n);
			return;
		}
		decode_obj(d, n, op_fields, (char *)obj + f->off, path);
		return;
	case F_LIST:
		op = obj;
		decode_list(d, n, &op->list, &op->nlist, &op->list_null, path);
		return;
	}
}

static void
decode_obj(struct dctx *d, const struct jnode *n, const struct field *fields,
    void *obj, const char *base)
{
	const struct jnode	*k;
	const struct field	*f;
	unsigned		 seen = 0, bit;
	char			 path[POLICY_ERR_FIELD], q[128];
	size_t			 i;

	for (k = n->kids; k != NULL && !d->oom; k = k->next) {
		f = NULL;
		for (i = 0; fields[i].name != NULL; i++) {
			if (pol_fold_equal(k->key, k->keylen, fields[i].name,
			    strlen(fields[i].name))) {
				f = &fields[i];
				break;
			}
		}
		pol_quote(q, sizeof(q), k->key, k->keylen);
		if (f == NULL) {
			pol_note_add(d->notes, base, "json", "unknown key %s "
			    "ignored", q);
			continue;
		}
		path_join(path, sizeof(path), base, f->name);
		bit = 1U << i;
		if (seen & bit)
			pol_note_add(d->notes, path, "json", "duplicate key "
			    "%s: the last one wins (Go's decoder)", q);
		seen |= bit;
		if (strlen(f->name) != k->keylen ||
		    memcmp(f->name, k->key, k->keylen) != 0)
			pol_note_add(d->notes, path, "surprising", "key %s is "
			    "read as \"%s\" (Go matches keys "
			    "case-insensitively)", q, f->name);
		decode_value(d, k, f, obj, path);
	}
}

int
pol_rule_decode(const struct jnode *root, struct ruledef *r,
    struct pnotes *notes, struct policy_err *err)
{
	struct dctx		 d;
	const struct jnode	*k;

	memset(&d, 0, sizeof(d));
	d.notes = notes;
	d.err = err;
	if (root->t == J_NULL)
		return 0;
	if (root->t != J_OBJ) {
		pol_err_set(err, "", "a rule file holds one JSON object, not "
		    "%s %s", root->t == J_ARR || root->t == J_OBJ ? "an" : "a",
		    pol_json_type_name(root->t));
		return -1;
	}
	decode_obj(&d, root, rule_fields, r, "");
	if (d.oom) {
		pol_err_set(err, "", "out of memory");
		return -1;
	}
	for (k = root->kids; k != NULL; k = k->next)
		if (pol_fold_equal(k->key, k->keylen, "enabled", 7))
			break;
	if (k == NULL)
		pol_note_add(notes, "enabled", "surprising", "no \"enabled\" "
		    "key: the rule is disabled (false is Go's zero value)");
	/* An error names the rule if it has a name, even after a type error. */
	r->has_name = r->name[0] != '\0';
	return d.failed ? -1 : 0;
}

/* The legacy list: the JSON text of an operator array in "data". */
int
pol_oplist_decode(const struct jnode *root, struct opdef **list, size_t *n,
    struct pnotes *notes, struct policy_err *err, const char *field)
{
	struct dctx	d;

	memset(&d, 0, sizeof(d));
	d.notes = notes;
	d.err = err;
	decode_list(&d, root, list, n, NULL, field);
	if (d.oom) {
		pol_err_set(err, field, "out of memory");
		return -1;
	}
	return d.failed ? -1 : 0;
}
