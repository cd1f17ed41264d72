/*
 * model.c: the bridge's model of connections, rules and commands: freeing
 * it, and the JSON text that OpenSnitch puts in a list operator's data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "jsonw.h"
#include "osui.h"

static int	 op_child_from_json(yajl_val, struct osui_op *, char *,
		    size_t);

void
osui_conn_free(struct osui_conn *c)
{
	size_t	 i;

	free(c->protocol);
	free(c->src_ip);
	free(c->dst_ip);
	free(c->host);
	free(c->path);
	free(c->command);
	free(c->cwd);
	for (i = 0; i < c->nparents; i++)
		free(c->parents[i]);
	memset(c, 0, sizeof(*c));
}

void
osui_event_free(struct osui_event *e)
{
	free(e->verdict);
	free(e->rule);
	free(e->reason);
	osui_conn_free(&e->conn);
	memset(e, 0, sizeof(*e));
}

void
osui_op_free(struct osui_op *op)
{
	size_t	 i;

	free(op->type);
	free(op->operand);
	free(op->data);
	for (i = 0; i < op->nlist; i++)
		osui_op_free(&op->list[i]);
	free(op->list);
	memset(op, 0, sizeof(*op));
}

void
osui_rule_free(struct osui_rule *r)
{
	free(r->name);
	free(r->description);
	free(r->action);
	free(r->duration);
	osui_op_free(&r->op);
	memset(r, 0, sizeof(*r));
}

void
osui_rules_free(struct osui_rule *r, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		osui_rule_free(&r[i]);
	free(r);
}

void
osui_notif_free(struct osui_notif *n)
{
	osui_rules_free(n->rules, n->nrules);
	memset(n, 0, sizeof(*n));
}

static int
op_child_from_json(yajl_val v, struct osui_op *op, char *err, size_t errlen)
{
	static const char	*k_type[] = { "type", NULL };
	static const char	*k_operand[] = { "operand", NULL };
	static const char	*k_data[] = { "data", NULL };
	static const char	*k_sens[] = { "sensitive", NULL };
	yajl_val		 t, o, d, s;

	memset(op, 0, sizeof(*op));
	t = yajl_tree_get(v, k_type, yajl_t_string);
	o = yajl_tree_get(v, k_operand, yajl_t_string);
	d = yajl_tree_get(v, k_data, yajl_t_any);
	s = yajl_tree_get(v, k_sens, yajl_t_any);
	if (!YAJL_IS_OBJECT(v) || t == NULL || o == NULL) {
		snprintf(err, errlen, "operator list: an entry lacks "
		    "\"type\" or \"operand\"");
		return -1;
	}
	op->type = osui_strdup(YAJL_GET_STRING(t));
	op->operand = osui_strdup(YAJL_GET_STRING(o));
	/* The UI writes ports and ids as numbers or strings. */
	if (d != NULL && YAJL_IS_STRING(d))
		op->data = osui_strdup(YAJL_GET_STRING(d));
	else if (d != NULL && YAJL_IS_NUMBER(d))
		op->data = osui_strdup(YAJL_GET_NUMBER(d));
	else
		op->data = osui_strdup("");
	op->sensitive = s != NULL && YAJL_IS_TRUE(s);
	if (op->type == NULL || op->operand == NULL || op->data == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/*
 * OpenSnitch 1.5.8 carries a list operator's children only as a JSON
 * array in data; fill op->list from it when the list is empty.
 */
int
osui_op_list_from_data(struct osui_op *op, char *err, size_t errlen)
{
	yajl_val	 root;
	char		 perr[128];
	size_t		 i, n;

	if (op->type == NULL || strcmp(op->type, "list") != 0 ||
	    op->nlist > 0)
		return 0;
	if (op->data == NULL || op->data[0] == '\0') {
		snprintf(err, errlen, "list operator without entries");
		return -1;
	}
	if ((root = yajl_tree_parse(op->data, perr, sizeof(perr))) == NULL) {
		snprintf(err, errlen, "list operator data is not JSON");
		return -1;
	}
	if (!YAJL_IS_ARRAY(root) || (n = YAJL_GET_ARRAY(root)->len) == 0 ||
	    n > MAX_OSUI_OPLIST) {
		yajl_tree_free(root);
		snprintf(err, errlen, "list operator data must be an array "
		    "of 1 to %d operators", MAX_OSUI_OPLIST);
		return -1;
	}
	if ((op->list = calloc(n, sizeof(*op->list))) == NULL) {
		yajl_tree_free(root);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		op->nlist = i + 1;
		if (op_child_from_json(YAJL_GET_ARRAY(root)->values[i],
		    &op->list[i], err, errlen) == -1) {
			yajl_tree_free(root);
			return -1;
		}
	}
	yajl_tree_free(root);
	return 0;
}

/* The JSON array OpenSnitch's UI puts in a list operator's data. */
char *
osui_op_list_to_data(const struct osui_op *op)
{
	const struct osui_op	*c;
	struct jw		 w;
	size_t			 len, i;

	jw_init(&w, MAX_GRPC_MSG);
	jw_arr(&w);
	for (i = 0; i < op->nlist; i++) {
		c = &op->list[i];
		jw_obj(&w);
		jw_kstr(&w, "type", c->type != NULL ? c->type : "");
		jw_kstr(&w, "operand", c->operand != NULL ? c->operand : "");
		jw_kstr(&w, "data", c->data != NULL ? c->data : "");
		jw_kbool(&w, "sensitive", c->sensitive);
		jw_end(&w);
	}
	jw_end(&w);
	return jw_take(&w, &len);
}

/*
 * argv from tattle's command line, split where it was joined: cmd is
 * a writable copy whose spaces become NULs; the last entry keeps the
 * rest when there are more than max words.
 */
size_t
osui_split_args(char *cmd, char **argv, size_t max)
{
	char	*p, *sp;
	size_t	 n = 0;

	if (cmd == NULL || *cmd == '\0' || max == 0)
		return 0;
	for (p = cmd; ; p = sp + 1) {
		argv[n++] = p;
		if (n == max || (sp = strchr(p, ' ')) == NULL)
			break;
		*sp = '\0';
	}
	return n;
}

/* tattle's rule name rules (docs/ui-protocol.md, answer). */
int
osui_rule_name_ok(const char *name)
{
	const unsigned char	*p;
	size_t			 len;

	if (name == NULL || (len = strlen(name)) == 0 || len > 128)
		return 0;
	if (name[0] == '.')
		return 0;
	for (p = (const unsigned char *)name; *p; p++)
		if (*p == '/' || *p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}
