/*
 * conf.c: parse config.json.  Keys match case-insensitively and a
 * repeated key's last value wins, as Go's encoding/json decodes
 * OpenSnitch's config; a value of the wrong type refuses the file,
 * naming the key.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yajl/yajl_tree.h>

#include "compat.h"
#include "conf.h"

/* conf_shape(): why a document is refused before it is parsed. */
#define CONF_DEEP	1
#define CONF_COMMENT	2

struct conf_ctx {
	struct tattle_config	*cfg;
	const char		*fname;
	conf_note_fn		 note;
	char			*err;
	size_t			 errlen;
};

typedef int	(*conf_key_fn)(struct conf_ctx *, const char *, yajl_val);

struct conf_key {
	const char	*name;
	conf_key_fn	 fn;
};

static int	 conf_shape(const char *, size_t);
static int	 conf_walk(struct conf_ctx *, const char *, yajl_val,
		    const struct conf_key *);
static int	 conf_fail(struct conf_ctx *, const char *, const char *, ...)
		    __attribute__((__format__(printf, 3, 4)));
static void	 conf_note(struct conf_ctx *, const char *, const char *);
static int	 conf_string(struct conf_ctx *, const char *, yajl_val, char *,
		    size_t);
static int	 conf_bool(struct conf_ctx *, const char *, yajl_val, int *);
static int	 key_default_action(struct conf_ctx *, const char *, yajl_val);
static int	 key_default_duration(struct conf_ctx *, const char *,
		    yajl_val);
static int	 key_intercept_unknown(struct conf_ctx *, const char *,
		    yajl_val);
static int	 key_log_level(struct conf_ctx *, const char *, yajl_val);
static int	 key_fw_options(struct conf_ctx *, const char *, yajl_val);
static int	 key_queue_num(struct conf_ctx *, const char *, yajl_val);
static int	 key_queue_bypass(struct conf_ctx *, const char *, yajl_val);
static int	 key_rules(struct conf_ctx *, const char *, yajl_val);
static int	 key_rules_path(struct conf_ctx *, const char *, yajl_val);
static int	 key_checksums(struct conf_ctx *, const char *, yajl_val);
static int	 key_fail_mode(struct conf_ctx *, const char *, yajl_val);
static int	 key_ui_socket(struct conf_ctx *, const char *, yajl_val);
static int	 key_ui_group(struct conf_ctx *, const char *, yajl_val);
static int	 key_prompt_timeout(struct conf_ctx *, const char *, yajl_val);
static int	 key_lists_roots(struct conf_ctx *, const char *, yajl_val);
static int	 key_resolv_conf(struct conf_ctx *, const char *, yajl_val);
static int	 conf_paths(struct conf_ctx *, const char *, yajl_val,
		    char (*)[MAX_CONF_PATH_LEN], size_t *);
static int	 key_ignored(struct conf_ctx *, const char *, yajl_val);
static int	 key_ignored_quiet(struct conf_ctx *, const char *, yajl_val);

static const struct conf_key top_keys[] = {
	{ "DefaultAction",	key_default_action },
	{ "DefaultDuration",	key_default_duration },
	{ "InterceptUnknown",	key_intercept_unknown },
	{ "LogLevel",		key_log_level },
	{ "FwOptions",		key_fw_options },
	{ "Rules",		key_rules },
	{ "FailMode",		key_fail_mode },
	{ "UISocket",		key_ui_socket },
	{ "UIGroup",		key_ui_group },
	{ "PromptTimeout",	key_prompt_timeout },
	{ "ListsRoots",		key_lists_roots },
	{ "ResolvConf",		key_resolv_conf },
	/* OpenSnitch keys tattle has no use for: noted, not errors. */
	{ "Server",		key_ignored },
	{ "ProcMonitorMethod",	key_ignored },
	{ "Firewall",		key_ignored },
	{ "Ebpf",		key_ignored },
	{ "Audit",		key_ignored },
	{ "Stats",		key_ignored },
	{ "Internal",		key_ignored },
	{ "Tasks",		key_ignored },
	{ "LogUTC",		key_ignored_quiet },
	{ "LogMicro",		key_ignored_quiet },
	{ NULL,			NULL }
};

static const struct conf_key fw_keys[] = {
	{ "QueueNum",		key_queue_num },
	{ "QueueBypass",	key_queue_bypass },
	{ "ConfigPath",		key_ignored },
	{ "MonitorInterval",	key_ignored_quiet },
	{ NULL,			NULL }
};

static const struct conf_key rules_keys[] = {
	{ "Path",		key_rules_path },
	{ "EnableChecksums",	key_checksums },
	{ NULL,			NULL }
};

void
conf_defaults(struct tattle_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strlcpy(cfg->rules_path, _PATH_TATTLE_RULES, sizeof(cfg->rules_path));
	strlcpy(cfg->ui_socket, DEFAULT_UI_SOCKET, sizeof(cfg->ui_socket));
	strlcpy(cfg->ui_group, TATTLE_UI_GROUP, sizeof(cfg->ui_group));
	strlcpy(cfg->default_duration, "once", sizeof(cfg->default_duration));
	/* Absent, OpenSnitch allows; tattle fails closed. */
	cfg->default_action = CFG_DENY;
	cfg->log_level = 1;
	cfg->prompt_timeout = DEFAULT_PROMPT_TIMEOUT;
	/* <sysconfdir>/tattle/lists: beside the rules directory. */
	snprintf(cfg->lists_roots[0], sizeof(cfg->lists_roots[0]), "%.*s/lists",
	    (int)(strrchr(_PATH_TATTLE_RULES, '/') - _PATH_TATTLE_RULES),
	    _PATH_TATTLE_RULES);
	strlcpy(cfg->lists_roots[1], DEFAULT_LISTS_ROOT2,
	    sizeof(cfg->lists_roots[1]));
	cfg->nlists_roots = 2;
	strlcpy(cfg->resolv_conf[0], DEFAULT_RESOLV_CONF,
	    sizeof(cfg->resolv_conf[0]));
	strlcpy(cfg->resolv_conf[1], DEFAULT_RESOLV_CONF2,
	    sizeof(cfg->resolv_conf[1]));
	cfg->nresolv_conf = 2;
}

const char *
conf_action_name(int a)
{
	switch (a) {
	case CFG_ALLOW:
		return "allow";
	case CFG_DENY:
		return "deny";
	case CFG_REJECT:
		return "reject";
	}
	return "unknown";
}

static int
conf_fail(struct conf_ctx *c, const char *key, const char *fmt, ...)
{
	char	 reason[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (key != NULL)
		snprintf(c->err, c->errlen, "%s: %s: %s", c->fname, key,
		    reason);
	else
		snprintf(c->err, c->errlen, "%s: %s", c->fname, reason);
	return -1;
}

static void
conf_note(struct conf_ctx *c, const char *key, const char *what)
{
	char	 line[512];

	if (c->note == NULL)
		return;
	snprintf(line, sizeof(line), "%s: %s: %s", c->fname, key, what);
	c->note(line);
}

/*
 * yajl_tree recurses when it frees; refuse deep documents up front.
 * yajl_tree_parse() also skips comments, which Go's encoding/json has
 * not: refused too, or brackets inside one would hide the real depth.
 */
static int
conf_shape(const char *s, size_t len)
{
	size_t	 i;
	int	 depth = 0, instr = 0, esc = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			if (esc)
				esc = 0;
			else if (s[i] == '\\')
				esc = 1;
			else if (s[i] == '"')
				instr = 0;
			continue;
		}
		if (s[i] == '"')
			instr = 1;
		else if (s[i] == '/')
			return CONF_COMMENT;
		else if (s[i] == '{' || s[i] == '[') {
			if (++depth > MAX_CONF_DEPTH)
				return CONF_DEEP;
		} else if (s[i] == '}' || s[i] == ']')
			depth--;
	}
	return 0;
}

int
conf_parse(struct tattle_config *cfg, const char *fname, const void *buf,
    size_t len, conf_note_fn note, char *err, size_t errlen)
{
	struct conf_ctx	 c = { cfg, fname, note, err, errlen };
	yajl_val	 root;
	char		*text, yerr[256];
	int		 rv;

	if (len > MAX_CONF_SIZE)
		return conf_fail(&c, NULL, "larger than %d bytes",
		    MAX_CONF_SIZE);
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		return conf_fail(&c, NULL, "starts with a byte order mark");
	if (memchr(buf, '\0', len) != NULL)
		return conf_fail(&c, NULL, "contains a NUL byte");
	if ((rv = conf_shape(buf, len)) == CONF_DEEP)
		return conf_fail(&c, NULL, "nested deeper than %d levels",
		    MAX_CONF_DEPTH);
	if (rv == CONF_COMMENT)
		return conf_fail(&c, NULL, "contains a comment (JSON has "
		    "none)");
	if ((text = malloc(len + 1)) == NULL)
		return conf_fail(&c, NULL, "%s", strerror(errno));
	memcpy(text, buf, len);
	text[len] = '\0';
	yerr[0] = '\0';
	root = yajl_tree_parse(text, yerr, sizeof(yerr));
	free(text);
	if (root == NULL) {
		yerr[strcspn(yerr, "\n")] = '\0';
		return conf_fail(&c, NULL, "invalid JSON: %s", yerr);
	}
	if (!YAJL_IS_OBJECT(root))
		rv = conf_fail(&c, NULL, "not a JSON object");
	else
		rv = conf_walk(&c, NULL, root, top_keys);
	yajl_tree_free(root);
	return rv;
}

/* Apply each member in document order, so a repeated key's last wins. */
static int
conf_walk(struct conf_ctx *c, const char *prefix, yajl_val obj,
    const struct conf_key *keys)
{
	const struct conf_key	*k;
	char			 path[128];
	size_t			 i;

	for (i = 0; i < obj->u.object.len; i++) {
		const char	*name = obj->u.object.keys[i];
		yajl_val	 v = obj->u.object.values[i];

		if (prefix != NULL)
			snprintf(path, sizeof(path), "%s.%s", prefix, name);
		else
			snprintf(path, sizeof(path), "%s", name);
		for (k = keys; k->name != NULL; k++)
			if (strcasecmp(k->name, name) == 0)
				break;
		if (k->name == NULL) {
			conf_note(c, path, "unknown key, ignored");
			continue;
		}
		/* null leaves the default, as in Go. */
		if (YAJL_IS_NULL(v))
			continue;
		if (k->fn(c, path, v) == -1)
			return -1;
	}
	return 0;
}

static int
conf_string(struct conf_ctx *c, const char *key, yajl_val v, char *out,
    size_t outlen)
{
	if (!YAJL_IS_STRING(v))
		return conf_fail(c, key, "must be a string");
	if (strlen(v->u.string) >= outlen)
		return conf_fail(c, key, "longer than %zu bytes", outlen - 1);
	strlcpy(out, v->u.string, outlen);
	return 0;
}

static int
conf_bool(struct conf_ctx *c, const char *key, yajl_val v, int *out)
{
	if (!YAJL_IS_TRUE(v) && !YAJL_IS_FALSE(v))
		return conf_fail(c, key, "must be true or false");
	*out = YAJL_IS_TRUE(v);
	return 0;
}

static int
conf_uint(struct conf_ctx *c, const char *key, yajl_val v, unsigned int max,
    unsigned int *out)
{
	if (!YAJL_IS_INTEGER(v))
		return conf_fail(c, key, "must be an integer");
	if (YAJL_GET_INTEGER(v) < 0 || YAJL_GET_INTEGER(v) > max)
		return conf_fail(c, key, "must be between 0 and %u", max);
	*out = YAJL_GET_INTEGER(v);
	return 0;
}

static int
key_default_action(struct conf_ctx *c, const char *key, yajl_val v)
{
	char	 s[16];

	if (conf_string(c, key, v, s, sizeof(s)) == -1)
		return -1;
	if (strcasecmp(s, "allow") == 0)
		c->cfg->default_action = CFG_ALLOW;
	else if (strcasecmp(s, "deny") == 0)
		c->cfg->default_action = CFG_DENY;
	else if (strcasecmp(s, "reject") == 0)
		c->cfg->default_action = CFG_REJECT;
	else
		return conf_fail(c, key, "\"%s\" is not allow, deny or reject",
		    s);
	return 0;
}

static int
key_default_duration(struct conf_ctx *c, const char *key, yajl_val v)
{
	return conf_string(c, key, v, c->cfg->default_duration,
	    sizeof(c->cfg->default_duration));
}

static int
key_intercept_unknown(struct conf_ctx *c, const char *key, yajl_val v)
{
	return conf_bool(c, key, v, &c->cfg->intercept_unknown);
}

static int
key_log_level(struct conf_ctx *c, const char *key, yajl_val v)
{
	if (!YAJL_IS_INTEGER(v))
		return conf_fail(c, key, "must be an integer");
	if (YAJL_GET_INTEGER(v) < -1 || YAJL_GET_INTEGER(v) > 4)
		return conf_fail(c, key, "must be between -1 and 4");
	c->cfg->log_level = YAJL_GET_INTEGER(v);
	return 0;
}

static int
key_fw_options(struct conf_ctx *c, const char *key, yajl_val v)
{
	if (!YAJL_IS_OBJECT(v))
		return conf_fail(c, key, "must be an object");
	return conf_walk(c, key, v, fw_keys);
}

static int
key_queue_num(struct conf_ctx *c, const char *key, yajl_val v)
{
	return conf_uint(c, key, v, 65535, &c->cfg->queue_num);
}

static int
key_queue_bypass(struct conf_ctx *c, const char *key, yajl_val v)
{
	int	 b;

	if (conf_bool(c, key, v, &b) == -1)
		return -1;
	if (b)
		conf_note(c, key, "ignored: tattle fails closed unless "
		    "FailMode is \"open\"");
	return 0;
}

static int
key_rules(struct conf_ctx *c, const char *key, yajl_val v)
{
	if (!YAJL_IS_OBJECT(v))
		return conf_fail(c, key, "must be an object");
	return conf_walk(c, key, v, rules_keys);
}

static int
key_rules_path(struct conf_ctx *c, const char *key, yajl_val v)
{
	if (conf_string(c, key, v, c->cfg->rules_path,
	    sizeof(c->cfg->rules_path)) == -1)
		return -1;
	if (c->cfg->rules_path[0] != '/')
		return conf_fail(c, key, "must be an absolute path");
	return 0;
}

static int
key_checksums(struct conf_ctx *c, const char *key, yajl_val v)
{
	return conf_bool(c, key, v, &c->cfg->checksums);
}

static int
key_fail_mode(struct conf_ctx *c, const char *key, yajl_val v)
{
	char	 s[16];

	if (conf_string(c, key, v, s, sizeof(s)) == -1)
		return -1;
	if (strcasecmp(s, "closed") == 0)
		c->cfg->fail_open = 0;
	else if (strcasecmp(s, "open") == 0)
		c->cfg->fail_open = 1;
	else
		return conf_fail(c, key, "\"%s\" is not closed or open", s);
	return 0;
}

static int
key_ui_socket(struct conf_ctx *c, const char *key, yajl_val v)
{
	char	 s[sizeof(c->cfg->ui_socket) + 8];
	char	*p = s;

	if (conf_string(c, key, v, s, sizeof(s)) == -1)
		return -1;
	/* OpenSnitch writes its addresses as unix:///path. */
	if (strncmp(p, "unix://", 7) == 0)
		p += 7;
	if (*p != '/')
		return conf_fail(c, key, "must be an absolute path");
	if (strlen(p) >= sizeof(c->cfg->ui_socket))
		return conf_fail(c, key, "longer than %zu bytes",
		    sizeof(c->cfg->ui_socket) - 1);
	strlcpy(c->cfg->ui_socket, p, sizeof(c->cfg->ui_socket));
	return 0;
}

static int
key_ui_group(struct conf_ctx *c, const char *key, yajl_val v)
{
	if (conf_string(c, key, v, c->cfg->ui_group,
	    sizeof(c->cfg->ui_group)) == -1)
		return -1;
	if (c->cfg->ui_group[0] == '\0')
		return conf_fail(c, key, "must not be empty");
	return 0;
}

/* Seconds, or a duration such as "30s" / "2m". */
static int
key_prompt_timeout(struct conf_ctx *c, const char *key, yajl_val v)
{
	unsigned long	 n;
	char		*end;
	const char	*s;

	if (YAJL_IS_INTEGER(v)) {
		if (YAJL_GET_INTEGER(v) < 0)
			return conf_fail(c, key, "must be between 1 and %d "
			    "seconds", MAX_PROMPT_TIMEOUT);
		n = YAJL_GET_INTEGER(v);
	} else if (YAJL_IS_STRING(v)) {
		s = v->u.string;
		errno = 0;
		n = strtoul(s, &end, 10);
		if (end == s || errno != 0 || *s == '-')
			return conf_fail(c, key, "\"%s\" is not a duration",
			    s);
		if (strcmp(end, "m") == 0) {
			/* Checked before the product can wrap. */
			if (n > MAX_PROMPT_TIMEOUT / 60)
				n = MAX_PROMPT_TIMEOUT + 1;
			else
				n *= 60;
		} else if (strcmp(end, "s") != 0 && *end != '\0')
			return conf_fail(c, key, "\"%s\" is not a duration",
			    s);
	} else
		return conf_fail(c, key, "must be seconds or a duration");
	if (n == 0 || n > MAX_PROMPT_TIMEOUT)
		return conf_fail(c, key, "must be between 1 and %d seconds",
		    MAX_PROMPT_TIMEOUT);
	c->cfg->prompt_timeout = n;
	return 0;
}

static int
key_ignored(struct conf_ctx *c, const char *key, yajl_val v)
{
	conf_note(c, key, "accepted and ignored by tattle");
	return 0;
}

static int
key_ignored_quiet(struct conf_ctx *c, const char *key, yajl_val v)
{
	return 0;
}

/* An array of absolute paths; it replaces the defaults. */
static int
conf_paths(struct conf_ctx *c, const char *key, yajl_val v,
    char (*out)[MAX_CONF_PATH_LEN], size_t *n)
{
	yajl_val	e;
	size_t		i;

	if (!YAJL_IS_ARRAY(v))
		return conf_fail(c, key, "must be an array of paths");
	if (v->u.array.len > MAX_CONF_PATHS)
		return conf_fail(c, key, "more than %d paths", MAX_CONF_PATHS);
	for (i = 0; i < v->u.array.len; i++) {
		e = v->u.array.values[i];
		if (conf_string(c, key, e, out[i], MAX_CONF_PATH_LEN) == -1)
			return -1;
		if (out[i][0] != '/')
			return conf_fail(c, key, "\"%s\" is not an absolute "
			    "path", out[i]);
	}
	*n = v->u.array.len;
	return 0;
}

static int
key_lists_roots(struct conf_ctx *c, const char *key, yajl_val v)
{
	return conf_paths(c, key, v, c->cfg->lists_roots,
	    &c->cfg->nlists_roots);
}

static int
key_resolv_conf(struct conf_ctx *c, const char *key, yajl_val v)
{
	return conf_paths(c, key, v, c->cfg->resolv_conf,
	    &c->cfg->nresolv_conf);
}
