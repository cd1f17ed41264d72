/*
 * attributord: finds which process made each connection packetd hands
 * it, and passes the connection with that process's attributes on to
 * ruled.  Its sources, in order of trust: the ftrace events of packetd's
 * private instance, then sock_diag and a scan of /proc/PID/fd.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "attributord.h"
#include "attrd_path.h"
#include "fdread.h"

#define PROC_SUPER_MAGIC	0x9fa0

static void	 attributord_open(struct attrd *);
static void	 attributord_dispatch_packetd(struct chan *, struct msg *);
static void	 attributord_dispatch_ruled(struct chan *, struct msg *);
static void	 attributord_config(struct attrd *, const struct msg *);
static void	 attributord_file(struct attrd *, struct msg *);
static void	 attributord_needs(struct attrd *, const struct msg *);
static void	 attributord_check_conn(const struct attrd *,
		    const struct msg *);
static int	 attributord_fill(struct pollfd *, int);
static void	 attributord_handle(const struct pollfd *, int);
static int	 attributord_timeout_ms(void);

static struct attrd	 ad;
static const chan_dispatch_fn dispatchers[C_MAX] = {
	attributord_dispatch_packetd,
	attributord_dispatch_ruled,
};

int
main(int argc, char *argv[])
{
	struct child_env	 env;
	struct child_loop	 loop = { ad.chans, dispatchers, C_MAX,
				    attributord_fill, attributord_handle,
				    attributord_timeout_ms };
	int			 i;

	child_start(&env, ROLE_ATTRIBUTORD, argc, argv);
	attributord_open(&ad);
	attributord_sandbox(&env, ad.have_sd ? ad.sd.fd : -1);

	chan_init(&ad.chans[C_PARENT], FD_PARENT, ROLE_ATTRIBUTORD,
	    ROLE_PACKETD);
	chan_init(&ad.chans[C_RULED], FD_ATTR_RULED, ROLE_ATTRIBUTORD,
	    ROLE_RULED);
	for (i = 0; i < C_MAX; i++)
		if (chan_recv_many(&ad.chans[i]) == -1)
			fatal("%s", __func__);
	for (i = 0; i < C_MAX; i++)
		if (chan_send_hello(&ad.chans[i]) == -1)
			fatal("HELLO to %s", role_name(ad.chans[i].peer));
	log_debug("sandboxed, %zu system calls allowed, sock_diag %s",
	    attributord_sandbox_nsyscalls(), ad.have_sd ? "on" : "off");
	child_loop_run(&loop);
}

/*
 * Before the sandbox: the sock_diag socket (no socket() after it), the
 * /proc descriptor packetd placed, the tables.
 */
static void
attributord_open(struct attrd *a)
{
	struct statfs	 sfs;
	struct stat	 sb;

	if (fstat(FD_ATTR_PROC, &sb) == -1 || !S_ISDIR(sb.st_mode) ||
	    fstatfs(FD_ATTR_PROC, &sfs) == -1 ||
	    sfs.f_type != PROC_SUPER_MAGIC)
		fatalx("fd %d is not a /proc directory", FD_ATTR_PROC);
	if (fstat(FD_ATTR_ROOT, &sb) == -1 || !S_ISDIR(sb.st_mode))
		fatalx("fd %d is not the root directory", FD_ATTR_ROOT);
	a->rootfd = FD_ATTR_ROOT;
	/* packetd's mount namespace, the host's: where names are true. */
	if (fstatat(FD_ATTR_PROC, "self/ns/mnt", &sb, 0) == -1)
		fatal("/proc/self/ns/mnt");
	a->host_mntns_dev = sb.st_dev;
	a->host_mntns_ino = sb.st_ino;
	if (procfs_init(&a->pf, FD_ATTR_PROC) == -1 ||
	    proctable_init(&a->pt) == -1)
		fatal("%s", __func__);
	if (sockdiag_open(&a->sd) == -1)
		log_warn("sock_diag unavailable: only ftrace finds processes");
	else
		a->have_sd = 1;
	attrd_cache_init(&a->cache);
	attrd_trace_init(a);
	a->ac.pt = &a->pt;
	a->ac.sd = a->have_sd ? &a->sd : NULL;
	a->ac.pf = &a->pf;
	a->ac.scan_budget_ns = PROCFS_SCAN_BUDGET_NS;
	/* The network namespace tattled guards: the one it started us in. */
	if (fstatat(FD_ATTR_PROC, "self/ns/net", &sb, 0) == -1)
		fatal("/proc/self/ns/net");
	a->ac.netns_dev = sb.st_dev;
	a->ac.netns_ino = sb.st_ino;
}

static void
attributord_config(struct attrd *a, const struct msg *m)
{
	msg_get_body(m, &a->cfg, sizeof(a->cfg));
	a->have_config = 1;
	log_debug("config: checksums %s, unknown processes %s",
	    a->cfg.checksums ? "on" : "off", a->cfg.intercept_unknown ?
	    "go to the rules" : "get the default action");
}

/* /etc/passwd, for user names: the only file packetd sends here. */
static void
attributord_file(struct attrd *a, struct msg *m)
{
	struct msg_file	 f;
	const char	*why;
	char		*buf;

	msg_get_body(m, &f, sizeof(f));
	if (f.kind != FILE_PASSWD)
		fatalx("%s: file kind %u", __func__, f.kind);
	if (fd_read_all(m->fd, f.size, MAX_PASSWD, &buf, &why) == -1) {
		log_warnx("/etc/passwd from packetd: %s; no user names", why);
		return;
	}
	if (procfs_set_passwd(&a->pf, buf, f.size) == -1)
		log_warn("/etc/passwd from packetd; no user names");
	free(buf);
	attrd_cache_clear(&a->cache);
}

/*
 * What the loaded rules need beyond the usual attributes: the md5, the
 * sha1 and some environment variables.  Every change empties the cache, whose
 * entries were read for the old needs.
 */
static void
attributord_needs(struct attrd *a, const struct msg *m)
{
	struct msg_attr_needs	 n;
	const char		*name;
	unsigned int		 i, count;

	msg_get_body(m, &n, sizeof(n));
	if ((n.flags & ~(NEED_MD5 | NEED_SHA1)) != 0 || n.pad != 0)
		fatalx("%s: flags %#x", __func__, n.flags);
	count = msg_attr_count(m, ATTR_ENV_NAME);
	if (count > MAX_NEED_ENV)
		fatalx("%s: %u variables", __func__, count);
	for (i = 0; i < count; i++) {
		name = msg_get_str_n(m, ATTR_ENV_NAME, i);
		if (strlcpy(a->env[i], name, sizeof(a->env[i])) >=
		    sizeof(a->env[i]))
			fatalx("%s: variable name too long", __func__);
		a->envp[i] = a->env[i];
	}
	a->nenv = count;
	a->need_md5 = (n.flags & NEED_MD5) != 0;
	a->need_sha1 = (n.flags & NEED_SHA1) != 0;
	attrd_cache_clear(&a->cache);
	log_debug("rules need: md5 %s, sha1 %s, %u environment variables",
	    a->need_md5 ? "yes" : "no", a->need_sha1 ? "yes" : "no", a->nenv);
}

/* packetd parsed the packet; still, a tuple it could not have sent. */
static void
attributord_check_conn(const struct attrd *a, const struct msg *m)
{
	struct msg_conn	 c;

	if (!a->have_config)
		fatalx("%s: MSG_CONN before MSG_CONFIG", __func__);
	msg_get_body(m, &c, sizeof(c));
	if ((c.t.family != AF_INET && c.t.family != AF_INET6) ||
	    c.t.pad != 0 || c.pad != 0)
		fatalx("%s: family %u", __func__, c.t.family);
}

/* What attribution has done so far (packetd's ping, in test builds). */
void
attrd_log_stats(const struct attrd *a)
{
	const struct attrd_stats	*st = &a->st;

	log_info("attribution: %llu connections: ftrace %llu, sock_diag "
	    "%llu, /proc %llu, unknown %llu; attributes cached %llu, read "
	    "%llu; raced %llu (exec after send %llu), cut %llu, deleted "
	    "%llu; mean %llu us, max %llu us",
	    (unsigned long long)st->conns,
	    (unsigned long long)st->by_src[SRC_FTRACE],
	    (unsigned long long)st->by_src[SRC_SOCKDIAG],
	    (unsigned long long)st->by_src[SRC_PROC],
	    (unsigned long long)st->by_src[SRC_NONE],
	    (unsigned long long)a->cache.hits,
	    (unsigned long long)st->read,
	    (unsigned long long)st->raced,
	    (unsigned long long)st->exec_raced,
	    (unsigned long long)st->cut,
	    (unsigned long long)st->deleted,
	    (unsigned long long)(st->conns ? st->ns_total / st->conns / 1000 :
	    0), (unsigned long long)(st->ns_max / 1000));
	log_info("attribution paths: exec-time %llu, alias %llu, script "
	    "%llu, relative %llu, magic %llu, moved %llu, unsure %llu; "
	    "ftrace %s: %llu pages, %llu events, %llu lost pages, %llu bad; "
	    "other mount namespaces %llu, not the host's path %llu",
	    (unsigned long long)(st->path_why[AP_SAME] +
	    st->path_why[AP_EXEC_ONLY]),
	    (unsigned long long)st->path_why[AP_ALIAS],
	    (unsigned long long)st->path_why[AP_SCRIPT],
	    (unsigned long long)st->path_why[AP_RELATIVE],
	    (unsigned long long)st->path_why[AP_MAGIC],
	    (unsigned long long)st->path_why[AP_MOVED],
	    (unsigned long long)st->path_why[AP_UNSURE],
	    a->tr.state == TR_ON ? "on" : "off",
	    (unsigned long long)a->ft.st.pages,
	    (unsigned long long)a->ft.st.events,
	    (unsigned long long)a->ft.st.missed_pages,
	    (unsigned long long)a->ft.st.bad_pages,
	    (unsigned long long)st->foreign,
	    (unsigned long long)st->path_unsure);
}

static void
attributord_dispatch_packetd(struct chan *c, struct msg *m)
{
	if (msg_type(m) == MSG_PING)
		attrd_log_stats(&ad);
	if (child_dispatch_common(c, m))
		return;
	switch (msg_type(m)) {
	case MSG_CONFIG:
		attributord_config(&ad, m);
		break;
	case MSG_FILE:
		attributord_file(&ad, m);
		break;
	case MSG_TRACE_LAYOUT:
		attrd_trace_layout(&ad, m);
		break;
	case MSG_TRACE_FD:
		attrd_trace_fd(&ad, m);
		break;
	case MSG_CONN:
		attributord_check_conn(&ad, m);
		attrd_conn(&ad, m);
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
	}
}

static void
attributord_dispatch_ruled(struct chan *c, struct msg *m)
{
	(void)c;
	switch (msg_type(m)) {
	case MSG_HELLO:
		break;
	case MSG_ATTR_NEEDS:
		attributord_needs(&ad, m);
		break;
	default:
		fatalx("%s: unexpected %s", __func__,
		    msg_type_name(msg_type(m)));
	}
}

static int
attributord_fill(struct pollfd *pfd, int max)
{
	return attrd_trace_fill(&ad, pfd, max);
}

static void
attributord_handle(const struct pollfd *pfd, int n)
{
	int	 i, readable = 0;

	for (i = 0; i < n; i++)
		if (pfd[i].revents != 0)
			readable = 1;
	attrd_trace_tick(&ad, readable);
}

static int
attributord_timeout_ms(void)
{
	return attrd_trace_timeout_ms(&ad);
}
