/*
 * tjson.h: tattle's client-protocol JSON to the bridge's model and back.
 */
#ifndef TATTLE_OSUI_TJSON_H
#define TATTLE_OSUI_TJSON_H

#include <yajl/yajl_tree.h>

#include "jsonw.h"
#include "osui.h"

int	 tj_conn(yajl_val, struct osui_conn *, char *, size_t);
int	 tj_ask(yajl_val, struct osui_ask *, char *, size_t);
int	 tj_event(yajl_val, struct osui_event *, char *, size_t);
int	 tj_rule(yajl_val, struct osui_rule *, char *, size_t);
int	 tj_time(const char *, int64_t *);
void	 tj_stats(yajl_val, struct osui_stats *);
int	 tj_gen_rule(struct jw *, const struct osui_rule *);
char	*tj_config(const char *, const char *, const char *);

#endif /* TATTLE_OSUI_TJSON_H */
