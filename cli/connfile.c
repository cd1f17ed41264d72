/*
 * connfile.c: a connection in the conformance corpus's "connection" format
 * (conformance/README.md) into struct policy_conn.  Keys it does not know
 * are ignored; a known key of the wrong type is an error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "cli.h"

struct cli_connfile {
	struct policy_conn	 c;
	yajl_val		 tree;
	const char		**parents;
	struct policy_env	*env;
};

struct cli_connfile *cli_connfile_parse(const char *, size_t, char *,
		    size_t);
const struct policy_conn *cli_connfile_get(const struct cli_connfile *);
void		 cli_connfile_free(struct cli_connfile *);
static int	 get_str(yajl_val, const char *, const char **, char *, size_t);
static int	 get_int(yajl_val, const char *, long long, long long,
		    long long *, char *, size_t);
static int	 get_ip(yajl_val, const char *, struct policy_ip *, char *,
		    size_t);
static int	 get_parents(struct cli_connfile *, yajl_val, char *, size_t);
static int	 get_env(struct cli_connfile *, yajl_val, char *, size_t);

static int
get_str(yajl_val v, const char *key, const char **out, char *err,
    size_t errlen)
{
	if (YAJL_IS_NULL(v)) {
		*out = "";
		return 0;
	}
	if (!YAJL_IS_STRING(v)) {
		snprintf(err, errlen, "\"%s\": expected a string", key);
		return -1;
	}
	*out = YAJL_GET_STRING(v);
	return 0;
}

static int
get_int(yajl_val v, const char *key, long long min, long long max,
    long long *out, char *err, size_t errlen)
{
	if (!YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) < min ||
	    YAJL_GET_INTEGER(v) > max) {
		snprintf(err, errlen, "\"%s\": expected an integer from %lld "
		    "to %lld", key, min, max);
		return -1;
	}
	*out = YAJL_GET_INTEGER(v);
	return 0;
}

static int
get_ip(yajl_val v, const char *key, struct policy_ip *ip, char *err,
    size_t errlen)
{
	const char	*s;

	if (get_str(v, key, &s, err, errlen) == -1)
		return -1;
	memset(ip, 0, sizeof(*ip));
	if (s[0] == '\0')
		return 0;
	if (policy_ip_parse(s, ip) == -1) {
		snprintf(err, errlen, "\"%s\": \"%s\" is not an IP address",
		    key, s);
		return -1;
	}
	return 0;
}

static int
get_parents(struct cli_connfile *cc, yajl_val v, char *err, size_t errlen)
{
	size_t	i, n;

	if (YAJL_IS_NULL(v))
		return 0;
	if (!YAJL_IS_ARRAY(v)) {
		snprintf(err, errlen, "\"process.parent.paths\": expected an "
		    "array of strings");
		return -1;
	}
	n = v->u.array.len;
	if ((cc->parents = calloc(n + 1, sizeof(*cc->parents))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++)
		if (get_str(v->u.array.values[i], "process.parent.paths",
		    &cc->parents[i], err, errlen) == -1)
			return -1;
	cc->c.parents = cc->parents;
	cc->c.nparents = n;
	return 0;
}

static int
get_env(struct cli_connfile *cc, yajl_val v, char *err, size_t errlen)
{
	size_t	i, n;

	if (YAJL_IS_NULL(v))
		return 0;
	if (!YAJL_IS_OBJECT(v)) {
		snprintf(err, errlen, "\"process.env\": expected an object of "
		    "strings");
		return -1;
	}
	n = v->u.object.len;
	if ((cc->env = calloc(n + 1, sizeof(*cc->env))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		cc->env[i].name = v->u.object.keys[i];
		if (get_str(v->u.object.values[i], "process.env",
		    &cc->env[i].value, err, errlen) == -1)
			return -1;
	}
	cc->c.env = cc->env;
	cc->c.nenv = n;
	return 0;
}

struct cli_connfile *
cli_connfile_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct cli_connfile	*cc;
	yajl_val	 t, v;
	const char	*k;
	size_t		 i;
	long long	 x;
	int		 r = 0;

	if (strlen(text) != len) {
		snprintf(err, errlen, "a NUL byte in the connection");
		return NULL;
	}
	if ((cc = calloc(1, sizeof(*cc))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	cc->c.uid = -1;
	if ((cc->tree = yajl_tree_parse(text, err, errlen)) == NULL) {
		if (err[0] == '\0')
			snprintf(err, errlen, "invalid JSON");
		err[strcspn(err, "\n")] = '\0';
		free(cc);
		return NULL;
	}
	t = cc->tree;
	if (!YAJL_IS_OBJECT(t)) {
		snprintf(err, errlen, "the connection must be a JSON object");
		cli_connfile_free(cc);
		return NULL;
	}
	for (i = 0; i < t->u.object.len && r == 0; i++) {
		k = t->u.object.keys[i];
		v = t->u.object.values[i];
		if (strcmp(k, "process.path") == 0)
			r = get_str(v, k, &cc->c.path, err, errlen);
		else if (strcmp(k, "process.command") == 0)
			r = get_str(v, k, &cc->c.command, err, errlen);
		else if (strcmp(k, "process.parent.paths") == 0)
			r = get_parents(cc, v, err, errlen);
		else if (strcmp(k, "process.env") == 0)
			r = get_env(cc, v, err, errlen);
		else if (strcmp(k, "process.hash.md5") == 0)
			r = get_str(v, k, &cc->c.md5, err, errlen);
		else if (strcmp(k, "process.hash.sha1") == 0)
			r = get_str(v, k, &cc->c.sha1, err, errlen);
		else if (strcmp(k, "process.id") == 0) {
			if ((r = get_int(v, k, 0, INT32_MAX, &x, err,
			    errlen)) == 0)
				cc->c.pid = x;
		} else if (strcmp(k, "user.id") == 0) {
			if ((r = get_int(v, k, -1, UINT32_MAX, &x, err,
			    errlen)) == 0)
				cc->c.uid = x;
		} else if (strcmp(k, "protocol") == 0)
			r = get_str(v, k, &cc->c.proto, err, errlen);
		else if (strcmp(k, "source.ip") == 0)
			r = get_ip(v, k, &cc->c.src, err, errlen);
		else if (strcmp(k, "dest.ip") == 0)
			r = get_ip(v, k, &cc->c.dst, err, errlen);
		else if (strcmp(k, "source.port") == 0) {
			if ((r = get_int(v, k, 0, 65535, &x, err,
			    errlen)) == 0)
				cc->c.sport = (uint16_t)x;
		} else if (strcmp(k, "dest.port") == 0) {
			if ((r = get_int(v, k, 0, 65535, &x, err,
			    errlen)) == 0)
				cc->c.dport = (uint16_t)x;
		} else if (strcmp(k, "dest.host") == 0)
			r = get_str(v, k, &cc->c.host, err, errlen);
		else if (strcmp(k, "iface.in") == 0)
			r = get_str(v, k, &cc->c.iface_in, err, errlen);
		else if (strcmp(k, "iface.out") == 0)
			r = get_str(v, k, &cc->c.iface_out, err, errlen);
	}
	if (r == -1) {
		cli_connfile_free(cc);
		return NULL;
	}
	return cc;
}

const struct policy_conn *
cli_connfile_get(const struct cli_connfile *cc)
{
	return &cc->c;
}

void
cli_connfile_free(struct cli_connfile *cc)
{
	if (cc == NULL)
		return;
	yajl_tree_free(cc->tree);
	free(cc->parents);
	free(cc->env);
	free(cc);
}
