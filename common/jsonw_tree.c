/*
 * jsonw_tree.c: a yajl tree written again as compact JSON with the
 * tree's one writer.  promptd re-encodes a client's rule this way for
 * ruled, the tattle command a rule file for its request and the
 * daemon's replies for --json.  The depth is the writer's bound.
 */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "jsonw.h"

void		 jw_tree(struct jw *, yajl_val);
char		*jw_tree_text(yajl_val, size_t, size_t *);

void
jw_tree(struct jw *w, yajl_val v)
{
	size_t	 i;

	if (w->err)
		return;
	switch (v->type) {
	case yajl_t_string:
		jw_str(w, v->u.string);
		break;
	case yajl_t_number:
		jw_raw(w, v->u.number.r, strlen(v->u.number.r));
		break;
	case yajl_t_true:
	case yajl_t_false:
		jw_bool(w, v->type == yajl_t_true);
		break;
	case yajl_t_null:
		jw_null(w);
		break;
	case yajl_t_object:
		jw_obj(w);
		for (i = 0; i < v->u.object.len && !w->err; i++) {
			jw_key(w, v->u.object.keys[i]);
			jw_tree(w, v->u.object.values[i]);
		}
		jw_end(w);
		break;
	case yajl_t_array:
		jw_arr(w);
		for (i = 0; i < v->u.array.len && !w->err; i++)
			jw_tree(w, v->u.array.values[i]);
		jw_end(w);
		break;
	default:
		w->err = 1;
	}
}

/* The text (malloc'd, NUL-terminated; *len if not NULL), or NULL. */
char *
jw_tree_text(yajl_val v, size_t max, size_t *len)
{
	struct jw	 w;
	char		*s;
	size_t		 n;

	jw_init(&w, max);
	jw_tree(&w, v);
	if ((s = jw_take(&w, &n)) != NULL && len != NULL)
		*len = n;
	return s;
}
