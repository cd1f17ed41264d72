/*
 * requests.c: what clients ask of the rules (list, add, delete, enable,
 * disable), and rule files written or removed through packetd, which
 * alone owns the rules directory.  A rule without a file (temporary, or
 * from an answer that was not "always") lives in ruled only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "policy.h"
#include "ruled.h"

#define UI_FILE_PREFIX	"(client "	/* rules from clients, no file */

struct save {
	int		 used;
	uint32_t	 id;		/* of the MSG_RULE_SAVE */
	uint32_t	 req;		/* the client's ask or request id */
	uint32_t	 client;
	char		 name[POLICY_NAME_MAX + 1];
};

static struct save	 saves[MAX_SAVES];
static uint32_t		 next_save_id = 1;
static uint32_t		 next_ui_file = 1;

static void	 request_list(struct ruled *, uint32_t, uint32_t);
static void	 request_add(struct ruled *, const struct msg *, uint32_t,
		    uint32_t);
static void	 request_delete(struct ruled *, const char *, uint32_t,
		    uint32_t);
static void	 request_enable(struct ruled *, const char *, int, uint32_t,
		    uint32_t);
static int	 request_find(const char *, size_t *);
static int	 request_real_file(const char *);
static char	*request_replace(const char *, const char *, const char *);
static int	 request_is_always(const char *);
static void	 request_result_full(struct ruled *, uint32_t, uint32_t,
		    uint32_t, int, const char *, const char *, const char *,
		    const char *);

static void
request_result_full(struct ruled *r, uint32_t id, uint32_t client,
    uint32_t status, int more, const char *rule, const char *json,
    const char *file, const char *error)
{
	struct msg_result	 res;
	struct msg		 m;

	memset(&res, 0, sizeof(res));
	res.status = status;
	res.client = client;
	res.more = more;
	msg_init(&m, MSG_RESULT, id);
	msg_set_body(&m, &res, sizeof(res));
	if ((rule != NULL && msg_add_str(&m, ATTR_RULE_NAME, rule) == -1) ||
	    (json != NULL && msg_add_attr(&m, ATTR_JSON, json,
	    strlen(json)) == -1) ||
	    (file != NULL && msg_add_str(&m, ATTR_FILE_NAME, file) == -1) ||
	    (error != NULL && msg_add_str(&m, ATTR_ERROR, error) == -1))
		fatalx("%s: result does not fit a message", __func__);
	if (chan_send(&r->chans[C_PROMPT], &m) == -1)
		fatal("%s: to promptd", __func__);
}

void
request_result(struct ruled *r, uint32_t id, uint32_t client, uint32_t status,
    const char *rule, const char *json, const char *error)
{
	request_result_full(r, id, client, status, 0, rule, json, NULL, error);
}

/*
 * s with the first occurrence of from replaced by to, malloc'd; NULL
 * when from is not there.
 */
static char *
request_replace(const char *s, const char *from, const char *to)
{
	const char	*p = strstr(s, from);
	char		*out;
	size_t		 pre, fl = strlen(from), tl = strlen(to);

	if (p == NULL)
		return NULL;
	pre = p - s;
	if ((out = malloc(strlen(s) - fl + tl + 1)) == NULL)
		fatal(NULL);
	memcpy(out, s, pre);
	memcpy(out + pre, to, tl);
	strcpy(out + pre + tl, p + fl);
	return out;
}

/* policy_rule_json()'s top-level lines have a fixed form. */
static int
request_is_always(const char *name)
{
	char	*json;
	int	 always;

	if (policy_rule_json(rules_policy(), name, NULL, &json, NULL) == -1)
		return 0;
	always = strstr(json, "\n  \"duration\": \"always\",") != NULL;
	free(json);
	return always;
}

/* A file name that is a real file in the rules directory. */
static int
request_real_file(const char *file)
{
	return file != NULL && strncmp(file, UI_FILE_PREFIX,
	    strlen(UI_FILE_PREFIX)) != 0;
}

static int
request_find(const char *name, size_t *idx)
{
	struct policy	*pol = rules_policy();
	size_t		 i;

	for (i = 0; i < policy_rule_count(pol); i++)
		if (strcmp(policy_rule_name(pol, i), name) == 0) {
			*idx = i;
			return 0;
		}
	return -1;
}

/*
 * Ask packetd to write file with json (file NULL: "<name>.json" with the
 * rule's JSON), or to remove file (unlink).  The client hears the
 * outcome when packetd answers.
 */
uint32_t
request_save(struct ruled *r, uint32_t client, uint32_t req, const char *name,
    const char *file, const char *json, int unlink)
{
	struct msg_rule_save	 s;
	struct msg		 m;
	char			*own = NULL, fname[POLICY_NAME_MAX + 8];
	size_t			 k, len = 0;

	for (k = 0; k < MAX_SAVES && saves[k].used; k++)
		;
	if (k == MAX_SAVES) {
		request_result(r, req, client, RES_INTERNAL, name, NULL,
		    "too many rule writes in progress");
		return 0;
	}
	if (file == NULL) {
		snprintf(fname, sizeof(fname), "%s.json", name);
		file = fname;
	}
	if (!unlink && json == NULL) {
		if (policy_rule_json(rules_policy(), name, NULL, &own, NULL) ==
		    -1)
			fatal("%s: policy_rule_json", __func__);
		json = own;
	}
	if (json != NULL && (len = strlen(json)) > MAX_JSON) {
		free(own);
		request_result(r, req, client, RES_INTERNAL, name, NULL,
		    "the rule is too large to be written");
		return 0;
	}
	memset(&s, 0, sizeof(s));
	s.op = unlink ? SAVE_UNLINK : SAVE_WRITE;
	saves[k].used = 1;
	saves[k].id = next_save_id++;
	saves[k].req = req;
	saves[k].client = client;
	strlcpy(saves[k].name, name, sizeof(saves[k].name));
	msg_init(&m, MSG_RULE_SAVE, saves[k].id);
	msg_set_body(&m, &s, sizeof(s));
	msg_add_str(&m, ATTR_FILE_NAME, file);
	if (!unlink)
		msg_add_attr(&m, ATTR_JSON, json, len);
	free(own);
	if (chan_send(&r->chans[C_PARENT], &m) == -1)
		fatal("%s: to packetd", __func__);
	return saves[k].id;
}

/* packetd wrote or removed a rule file (id: the save). */
void
request_saved(struct ruled *r, const struct msg *m)
{
	struct msg_result	 res;
	size_t			 k;

	msg_get_body(m, &res, sizeof(res));
	for (k = 0; k < MAX_SAVES; k++)
		if (saves[k].used && saves[k].id == msg_id(m))
			break;
	if (k == MAX_SAVES)
		fatalx("%s: a result for no rule write", __func__);
	saves[k].used = 0;
	request_result(r, saves[k].req, saves[k].client, res.status,
	    saves[k].name, NULL, res.status == RES_READ_ONLY ?
	    "the rules directory is not writable: the rule is in force until "
	    "tattled stops" : res.status != RES_OK ? "the rule file could "
	    "not be written" : NULL);
}

static void
request_list(struct ruled *r, uint32_t id, uint32_t client)
{
	struct policy	*pol = rules_policy();
	const char	*name, *file;
	char		*json;
	size_t		 i, len;

	for (i = 0; i < policy_rule_count(pol); i++) {
		name = policy_rule_name(pol, i);
		if (policy_rule_json(pol, name, NULL, &json, &len) == -1)
			continue;
		file = policy_rule_file(pol, i);
		request_result_full(r, id, client, RES_OK, 1, name,
		    len < MAX_JSON ? json : NULL, request_real_file(file) ?
		    file : NULL, len < MAX_JSON ? NULL :
		    "too large to be listed");
		free(json);
	}
	request_result(r, id, client, RES_OK, NULL, NULL, NULL);
}

static void
request_add(struct ruled *r, const struct msg *m, uint32_t id,
    uint32_t client)
{
	struct policy		*pol = rules_policy();
	struct policy_err	 err;
	const char		*json, *name, *file;
	char			 token[64], line[1024], *copy;
	size_t			 len, i;

	if ((json = msg_get_attr(m, ATTR_JSON, &len)) == NULL) {
		request_result(r, id, client, RES_BAD_REQUEST, NULL, NULL,
		    "no rule");
		return;
	}
	snprintf(token, sizeof(token), UI_FILE_PREFIX "%u)", next_ui_file++);
	if (policy_load_rule(pol, token, json, len, ruled_now_ms(), &err) ==
	    -1) {
		policy_err_format(&err, line, sizeof(line));
		request_result(r, id, client, RES_BAD_REQUEST, NULL, NULL,
		    line);
		return;
	}
	for (i = 0; i < policy_rule_count(pol); i++) {
		file = policy_rule_file(pol, i);
		if (file != NULL && strcmp(file, token) == 0)
			break;
	}
	if (i == policy_rule_count(pol))
		fatalx("%s: the rule just loaded is not there", __func__);
	name = policy_rule_name(pol, i);
	if (!policy_rule_name_ok(name)) {
		policy_remove_file(pol, token);
		request_result(r, id, client, RES_BAD_NAME, NULL, NULL,
		    "a rule name must be 1 to 128 bytes without '/', '..', a "
		    "leading dot or control characters");
		return;
	}
	if ((copy = strdup(name)) == NULL)
		fatal(NULL);
	rules_changed(r);
	/* Durations other than always stay in memory only. */
	if (request_is_always(copy))
		(void)request_save(r, client, id, copy, NULL, NULL, 0);
	else
		request_result(r, id, client, RES_OK, copy, NULL, NULL);
	free(copy);
}

static void
request_delete(struct ruled *r, const char *name, uint32_t id,
    uint32_t client)
{
	struct policy	*pol = rules_policy();
	const char	*file;
	size_t		 i;

	if (name == NULL || request_find(name, &i) == -1) {
		request_result(r, id, client, RES_NOT_FOUND, name, NULL,
		    "no such rule");
		return;
	}
	file = policy_rule_file(pol, i);
	if (request_real_file(file)) {
		/* The file goes; inotify then takes the rule away. */
		(void)request_save(r, client, id, name, file, NULL, 1);
		return;
	}
	policy_remove_rule(pol, name);
	rules_changed(r);
	request_result(r, id, client, RES_OK, name, NULL, NULL);
}

/*
 * Enable or disable: the rule as it is, with "enabled" set, written back
 * to its file (or replaced in memory when it has none).
 */
static void
request_enable(struct ruled *r, const char *name, int on, uint32_t id,
    uint32_t client)
{
	struct policy		*pol = rules_policy();
	struct policy_err	 err;
	const char		*from = on ? "\n  \"enabled\": false," :
				    "\n  \"enabled\": true,";
	const char		*to = on ? "\n  \"enabled\": true," :
				    "\n  \"enabled\": false,";
	char			*json = NULL, *edited, *file = NULL;
	char			 line[1024];
	size_t			 i;

	if (name == NULL || request_find(name, &i) == -1) {
		request_result(r, id, client, RES_NOT_FOUND, name, NULL,
		    "no such rule");
		return;
	}
	if (policy_rule_file(pol, i) != NULL &&
	    (file = strdup(policy_rule_file(pol, i))) == NULL)
		fatal(NULL);
	if (policy_rule_json(pol, name, NULL, &json, NULL) == -1)
		fatal("%s: policy_rule_json", __func__);
	if ((edited = request_replace(json, from, to)) == NULL) {
		/* Already as asked. */
		request_result(r, id, client, RES_OK, name, NULL, NULL);
	} else if (request_real_file(file))
		(void)request_save(r, client, id, name, file, edited, 0);
	else if (policy_load_rule(pol, file, edited, strlen(edited),
	    ruled_now_ms(), &err) == -1) {
		policy_err_format(&err, line, sizeof(line));
		request_result(r, id, client, RES_INTERNAL, name, NULL, line);
	} else {
		rules_changed(r);
		request_result(r, id, client, RES_OK, name, NULL, NULL);
	}
	free(edited);
	free(json);
	free(file);
}

/* A client's request about the rules (id: promptd's request id). */
void
request_dispatch(struct ruled *r, const struct msg *m)
{
	struct msg_request	 q;
	const char		*name = msg_get_str(m, ATTR_RULE_NAME);

	msg_get_body(m, &q, sizeof(q));
	switch (q.op) {
	case RULES_LIST:
		request_list(r, msg_id(m), q.client);
		break;
	case RULES_ADD:
		request_add(r, m, msg_id(m), q.client);
		break;
	case RULES_DELETE:
		request_delete(r, name, msg_id(m), q.client);
		break;
	case RULES_ENABLE:
	case RULES_DISABLE:
		request_enable(r, name, q.op == RULES_ENABLE, msg_id(m),
		    q.client);
		break;
	default:
		request_result(r, msg_id(m), q.client, RES_BAD_REQUEST, NULL,
		    NULL, "unknown request");
	}
}
