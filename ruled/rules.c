/*
 * rules.c: the rule set in force.  packetd hands over rule files and
 * list files as sealed memfds; ruled parses them with policy/, the only
 * place where rule text is parsed.  A file that fails to load is logged
 * and the rule it held stays in force.  At start ruled asks for the
 * lists its rules name and says it is ready once they are in.
 */
#include <sys/random.h>

#include <limits.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "conf.h"
#include "fdread.h"
#include "policy.h"
#include "ruled.h"

#define MAX_PASSWD	(16 * 1024 * 1024)
#define MAX_LIST_BYTES	(512u * 1024 * 1024)	/* one directory, all files */

/* The files of the lists directory being received. */
struct list_rx {
	char			 dir[PATH_MAX];
	struct policy_list_file	*files;
	char			**bufs;
	size_t			 n, cap, bytes;
};

/* Names of the files seen since the last full set. */
struct seen {
	char	**names;
	size_t	  n, cap;
};

static struct policy	*pol;
static struct list_rx	 rx;
static struct seen	 seen;
static unsigned int	 sent_needs = ~0u;
static int64_t		 next_expiry = INT64_MAX;	/* cached */
static char		*requested[MAX_LIST_DIRS_RULED];
static const char	*roots[MAX_CONF_PATHS];	/* ListsRoots */
static size_t		 nrequested;

static int	 rules_user_lookup(const char *, uint32_t *, void *);
static void	 rules_list_file(struct ruled *, const char *, char *, size_t);
static void	 rules_list_reset(void);
static void	 rules_send_needs(struct ruled *);
static void	 rules_request_lists(struct ruled *);
static int	 rules_lists_pending(void);
static void	 rules_send_ready(struct ruled *);
static void	 rules_seen_add(const char *);
static int	 rules_seen_has(const char *);
static void	 rules_seen_clear(void);
static void	 rules_forget_unseen(struct ruled *);

struct policy *
rules_policy(void)
{
	return pol;
}

/* user.name rules: the /etc/passwd snapshot packetd sent, no NSS. */
static int
rules_user_lookup(const char *name, uint32_t *uid, void *arg)
{
	const struct ruled	*r = arg;
	const char		*line, *end, *f;
	size_t			 nl = strlen(name);
	char			*e;
	unsigned long		 v;
	int			 i;

	if (r->passwd == NULL)
		return -1;
	for (line = r->passwd; line < r->passwd + r->passwd_len;
	    line = end + 1) {
		if ((end = memchr(line, '\n', r->passwd + r->passwd_len -
		    line)) == NULL)
			end = r->passwd + r->passwd_len;
		if ((size_t)(end - line) <= nl || line[nl] != ':' ||
		    strncmp(line, name, nl) != 0)
			continue;
		/* name:password:uid: */
		for (f = line, i = 0; i < 2 && f < end; f++)
			if (*f == ':')
				i++;
		errno = 0;
		v = strtoul(f, &e, 10);
		if (e == f || *e != ':' || errno != 0 || v > UINT32_MAX)
			return -1;
		*uid = v;
		return 0;
	}
	return -1;
}

/*
 * The policy set comes to life with the configuration.  Its ATTR_DIRs
 * are the lists roots: a lists rule naming another place is refused
 * (rules.add answers why; a rule file is skipped, and the log says why).
 */
void
rules_init(struct ruled *r, const struct msg *m)
{
	struct policy_opts	 o;
	unsigned int		 i, n = msg_attr_count(m, ATTR_DIR);

	if (n > MAX_CONF_PATHS)
		fatalx("%s: %u lists roots", __func__, n);
	for (i = 0; i < n; i++)
		if ((roots[i] = strdup(msg_get_str_n(m, ATTR_DIR, i))) == NULL)
			fatal(NULL);
	memset(&o, 0, sizeof(o));
	o.list_roots = roots;
	o.nlist_roots = n;
	o.checksums = r->cfg.checksums;
	o.user_lookup = rules_user_lookup;
	o.user_arg = r;
	if (getrandom(&o.hash_seed, sizeof(o.hash_seed), 0) !=
	    sizeof(o.hash_seed))
		fatal("getrandom");
	if ((pol = policy_new(&o)) == NULL)
		fatal("policy_new");
}

static void
rules_rule_file(struct ruled *r, const char *name, char *buf, size_t len)
{
	struct policy_err	 err;
	char			 line[1024];

	if (r->full_set)
		rules_seen_add(name);
	if (policy_load_rule(pol, name, buf, len, ruled_now_ms(), &err) ==
	    -1) {
		policy_err_format(&err, line, sizeof(line));
		log_warnx("rule file %s", line);
		r->stats.rule_errors++;
		return;
	}
	log_debug("rule file %s loaded", name);
}

void
rules_file(struct ruled *r, struct msg *m)
{
	struct msg_file	 f;
	const char	*name = msg_get_str(m, ATTR_FILE_NAME), *why;
	char		*buf;
	int		 fd = msg_take_fd(m);

	msg_get_body(m, &f, sizeof(f));
	switch (f.kind) {
	case FILE_PASSWD:
		if (fd_read_all(fd, f.size, MAX_PASSWD, &buf, &why) == -1)
			fatalx("%s: %s: %s", __func__, name, why);
		free(r->passwd);
		r->passwd = buf;
		r->passwd_len = f.size;
		break;
	case FILE_RULE:
		if (strchr(name, '/') != NULL)
			fatalx("%s: rule file name with a slash", __func__);
		if (fd_read_all(fd, f.size, MAX_RULE_FILE_SIZE, &buf,
		    &why) == -1)
			fatalx("%s: %s: %s", __func__, name, why);
		rules_rule_file(r, name, buf, f.size);
		free(buf);
		if (r->rules_loaded)
			rules_changed(r);
		break;
	case FILE_LIST:
		if (fd_read_all(fd, f.size, MAX_LIST_BYTES, &buf, &why) == -1)
			fatalx("%s: %s: %s", __func__, name, why);
		rules_list_file(r, name, buf, f.size);
		break;
	default:
		fatalx("%s: file kind %u", __func__, f.kind);
	}
	close(fd);
}

void
rules_file_gone(struct ruled *r, const struct msg *m)
{
	const char	*name = msg_get_str(m, ATTR_FILE_NAME);

	if (policy_remove_file(pol, name))
		log_info("rule file %s removed: its rule is gone", name);
	rules_changed(r);
}

/*
 * A full set of rule files is in: forget the files not sent again (the
 * start, or a rescan after inotify lost events), then ask for lists.
 */
void
rules_begin(struct ruled *r)
{
	rules_seen_clear();
	r->full_set = 1;
}

void
rules_loaded(struct ruled *r)
{
	if (!r->full_set)
		fatalx("%s: MSG_RULES_LOADED without MSG_RULES_BEGIN",
		    __func__);
	/* At start the set was empty: nothing to forget. */
	if (r->rules_loaded)
		rules_forget_unseen(r);
	rules_seen_clear();
	r->full_set = 0;
	if (!r->rules_loaded)
		log_info("%zu rules loaded", policy_rule_count(pol));
	r->rules_loaded = 1;
	rules_changed(r);
}

/* After any change: what attribution must collect, what lists to read. */
void
rules_changed(struct ruled *r)
{
	next_expiry = policy_next_expiry(pol);
	decided_forget();
	rules_send_needs(r);
	rules_request_lists(r);
	if (!rules_lists_pending())
		rules_send_ready(r);
}

static void
rules_send_needs(struct ruled *r)
{
	struct msg		 m;
	struct msg_attr_needs	 n;
	unsigned int		 needs = policy_needs(pol);
	size_t			 i;

	if (needs == sent_needs && !(needs & POLICY_NEED_ENV))
		return;
	memset(&n, 0, sizeof(n));
	if ((needs & POLICY_NEED_MD5) || r->cfg.checksums)
		n.flags |= NEED_MD5;
	if (needs & POLICY_NEED_SHA1)
		n.flags |= NEED_SHA1;
	msg_init(&m, MSG_ATTR_NEEDS, 0);
	msg_set_body(&m, &n, sizeof(n));
	for (i = 0; i < policy_env_count(pol); i++)
		if (msg_add_str(&m, ATTR_ENV_NAME, policy_env_name(pol, i)) ==
		    -1) {
			log_warnx("too many environment variables in rules; "
			    "only the first %zu are read", i);
			break;
		}
	sent_needs = needs;
	if (chan_send(&r->chans[C_ATTR], &m) == -1)
		fatal("%s: to attributord", __func__);
}

static int
rules_requested(const char *dir)
{
	size_t	 i;

	for (i = 0; i < nrequested; i++)
		if (strcmp(requested[i], dir) == 0)
			return 1;
	return 0;
}

/* Ask packetd for every lists directory not yet asked for. */
static void
rules_request_lists(struct ruled *r)
{
	struct msg	 m;
	const char	*dir;
	size_t		 i, n = 0;

	msg_init(&m, MSG_LIST_DIRS, 0);
	msg_set_body(&m, &(struct msg_empty){ 0 }, sizeof(struct msg_empty));
	for (i = 0; i < policy_list_dir_count(pol); i++) {
		dir = policy_list_dir(pol, i);
		if (rules_requested(dir) || nrequested >= MAX_LIST_DIRS_RULED)
			continue;
		if ((requested[nrequested] = strdup(dir)) == NULL)
			fatal(NULL);
		nrequested++;
		if (msg_add_str(&m, ATTR_DIR, dir) == -1)
			fatalx("%s: lists directory names too long", __func__);
		n++;
	}
	if (n > 0 && chan_send(&r->chans[C_PARENT], &m) == -1)
		fatal("%s: to packetd", __func__);
}

static int
rules_lists_pending(void)
{
	size_t	 i;

	for (i = 0; i < policy_list_dir_count(pol); i++)
		if (!policy_list_dir_loaded(pol, i) &&
		    rules_requested(policy_list_dir(pol, i)))
			return 1;
	return 0;
}

static void
rules_send_ready(struct ruled *r)
{
	struct msg	 m;

	if (r->ready || !r->rules_loaded)
		return;
	r->ready = 1;
	msg_init(&m, MSG_READY, 0);
	msg_set_body(&m, &(struct msg_empty){ 0 }, sizeof(struct msg_empty));
	if (chan_send(&r->chans[C_PARENT], &m) == -1)
		fatal("%s", __func__);
}

/* One file of the lists directory packetd is sending ("dir/name"). */
static void
rules_list_file(struct ruled *r, const char *path, char *buf, size_t len)
{
	const char	*slash = strrchr(path, '/');
	size_t		 dl;

	if (slash == NULL || slash[1] == '\0')
		fatalx("%s: list file name %s", __func__, path);
	dl = slash - path;
	if (rx.n > 0 && (strlen(rx.dir) != dl || strncmp(rx.dir, path, dl)))
		fatalx("%s: %s is not in %s", __func__, path, rx.dir);
	if (dl >= sizeof(rx.dir) || rx.bytes + len > MAX_LIST_BYTES) {
		log_warnx("lists directory %.*s: too large; %s skipped",
		    (int)dl, path, path);
		free(buf);
		return;
	}
	memcpy(rx.dir, path, dl);
	rx.dir[dl] = '\0';
	if (rx.n == rx.cap) {
		rx.cap = rx.cap ? rx.cap * 2 : 16;
		if ((rx.files = reallocarray(rx.files, rx.cap,
		    sizeof(*rx.files))) == NULL ||
		    (rx.bufs = reallocarray(rx.bufs, rx.cap,
		    sizeof(*rx.bufs))) == NULL)
			fatal(NULL);
	}
	rx.bufs[rx.n] = buf;
	if ((rx.files[rx.n].name = strdup(slash + 1)) == NULL)
		fatal(NULL);
	rx.files[rx.n].data = buf;
	rx.files[rx.n].len = len;
	rx.n++;
	rx.bytes += len;
}

static void
rules_list_reset(void)
{
	size_t	 i;

	for (i = 0; i < rx.n; i++) {
		free(rx.bufs[i]);
		free((char *)rx.files[i].name);
	}
	rx.n = rx.bytes = 0;
	rx.dir[0] = '\0';
}

/* The whole directory is in (or packetd says why it is not). */
void
rules_lists_loaded(struct ruled *r, const struct msg *m)
{
	struct policy_err	 err;
	const char		*dir = msg_get_str(m, ATTR_DIR);
	const char		*error = msg_get_str(m, ATTR_ERROR);
	char			 line[1024];

	if (rx.n > 0 && strcmp(rx.dir, dir) != 0)
		fatalx("%s: files of %s, end of %s", __func__, rx.dir, dir);
	if (error != NULL)
		log_warnx("lists directory %s: %s; its rules match nothing",
		    dir, error);
	if (policy_list_load(pol, dir, rx.files, rx.n, &err) == -1) {
		policy_err_format(&err, line, sizeof(line));
		log_warnx("lists directory %s: %s", dir, line);
	} else if (error == NULL)
		log_info("lists directory %s: %zu files, %zu bytes", dir,
		    rx.n, rx.bytes);
	rules_list_reset();
	if (!rules_lists_pending())
		rules_send_ready(r);
}

/* Temporary rules whose time is up; cheap when none is. */
void
rules_expire(struct ruled *r)
{
	size_t	 n;

	if (pol == NULL || ruled_now_ms() < (uint64_t)next_expiry)
		return;
	if ((n = policy_expire(pol, ruled_now_ms())) > 0)
		log_info("%zu temporary rules expired", n);
	rules_changed(r);
}

int64_t
rules_next_expiry(void)
{
	return next_expiry;
}

static void
rules_seen_add(const char *name)
{
	if (seen.n == seen.cap) {
		seen.cap = seen.cap ? seen.cap * 2 : 64;
		if ((seen.names = reallocarray(seen.names, seen.cap,
		    sizeof(*seen.names))) == NULL)
			fatal(NULL);
	}
	if ((seen.names[seen.n++] = strdup(name)) == NULL)
		fatal(NULL);
}

static int
rules_seen_has(const char *name)
{
	size_t	 i;

	for (i = 0; i < seen.n; i++)
		if (strcmp(seen.names[i], name) == 0)
			return 1;
	return 0;
}

static void
rules_seen_clear(void)
{
	size_t	 i;

	for (i = 0; i < seen.n; i++)
		free(seen.names[i]);
	seen.n = 0;
}

/* Rules from files that a full set no longer contains. */
static void
rules_forget_unseen(struct ruled *r)
{
	const char	*file;
	char		*copy;
	size_t		 i;

	for (i = 0; i < policy_rule_count(pol); ) {
		file = policy_rule_file(pol, i);
		if (file == NULL || rules_seen_has(file)) {
			i++;
			continue;
		}
		if ((copy = strdup(file)) == NULL)
			fatal(NULL);
		policy_remove_file(pol, copy);
		log_info("rule file %s is gone", copy);
		free(copy);
	}
}

/* packetd read the ResolvConf files: TATTLE_RESOLVERS follows them. */
void
rules_resolvers(struct ruled *r, const struct msg *m)
{
	struct msg_resolvers	 b;
	struct policy_ip	 ips[MAX_RESOLVERS];
	char			 text[MAX_RESOLVERS * 48], one[48];
	size_t			 i, o = 0;

	(void)r;
	msg_get_body(m, &b, sizeof(b));
	if (b.n > MAX_RESOLVERS)
		fatalx("%s: %u resolvers", __func__, b.n);
	text[0] = '\0';
	for (i = 0; i < b.n; i++) {
		if (b.ip[i].family != 4 && b.ip[i].family != 6)
			fatalx("%s: address family %u", __func__,
			    b.ip[i].family);
		memset(&ips[i], 0, sizeof(ips[i]));
		ips[i].family = b.ip[i].family;
		memcpy(ips[i].addr, b.ip[i].addr, sizeof(ips[i].addr));
		policy_ip_format(&ips[i], one, sizeof(one));
		o += snprintf(text + o, sizeof(text) - o, "%s%s",
		    i > 0 ? " " : "", one);
	}
	if (policy_set_resolvers(pol, ips, b.n) == -1)
		fatal("%s", __func__);
	log_info("resolvers (%s): %s", POLICY_RESOLVERS_ALIAS,
	    b.n > 0 ? text : "none besides the local stub");
}
