/*
 * attrd_conn.c: one connection from packetd, attributed and passed on
 * to ruled under the same id, in the order packetd sent them.  Who sent
 * it comes from the resolver (ftrace, else sock_diag and the /proc
 * scan); what that process is comes from the attribute cache or /proc,
 * read through a descriptor of /proc/PID so that a process that ends
 * meanwhile yields unknown values, never a newcomer's.  Every step has
 * its modules' time bound; nothing waits for another process.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "attributord.h"
#include "attrd_path.h"

/* How one connection went, for the log and the counters. */
struct attrd_note {
	int	 why;		/* enum attrd_path_why */
	int	 cached;	/* attributes from the cache */
	int	 read;		/* attributes read from /proc */
	int	 foreign;	/* in another mount namespace */
};

static uint32_t	 attrd_find(struct attrd *, const struct msg_conn *,
		    uint64_t, struct attr_who *, struct attrd_desc *);
static void	 attrd_describe(struct attrd *, const struct attr_who *,
		    uint64_t, struct attrd_desc *, struct attrd_note *);
static void	 attrd_gone(const struct attr_who *, struct attrd_desc *,
		    struct attrd_note *);
static int	 attrd_read(struct attrd *, pid_t, uint64_t,
		    struct proc_attrs *, struct attrd_env *);
static void	 attrd_env_take(const struct proc_attrs *, unsigned int,
		    unsigned int, struct attrd_env *, const char **);
static int	 attrd_same_process(struct attrd *, pid_t, uint64_t,
		    uint64_t, uint64_t, struct proc_entry **);
static void	 attrd_remember_path(struct proc_entry *, const char *, int);
static int	 attrd_foreign_ns(const struct attrd *,
		    const struct proc_attrs *);
static void	 attrd_count(struct attrd *, const struct msg_conn_attr *,
		    const struct attrd_desc *, const struct attrd_note *);
static void	 attrd_log_conn(uint32_t, const struct msg_conn_attr *,
		    const struct attrd_desc *, const struct attrd_note *);

static const char *const attrd_src_names[SRC_MAX] = {
	[SRC_NONE] = "unknown", [SRC_FTRACE] = "ftrace",
	[SRC_SOCKDIAG] = "sock_diag", [SRC_PROC] = "proc",
};

/*
 * Who sent it.  A process that exec'd after sending no longer runs the
 * program that sent it, and that program's path is gone from the table:
 * unknown, flagged raced, rather than the new program's name.
 */
static uint32_t
attrd_find(struct attrd *ad, const struct msg_conn *c, uint64_t now,
    struct attr_who *w, struct attrd_desc *d)
{
	struct proc_entry	*pe;
	uint64_t		 sent;
	uint32_t		 src;

	attr_resolve(&ad->ac, &c->t, now, w);
	if (ad->ac.ft != NULL)
		ad->tr.last_drain = now;
	switch (w->source) {
	case ATTR_SRC_FTRACE:
		src = SRC_FTRACE;
		break;
	case ATTR_SRC_SOCKDIAG:
		src = SRC_SOCKDIAG;
		break;
	default:
		return SRC_NONE;
	}
	sent = w->ev_ts != 0 ? w->ev_ts : c->stamp_ns;
	if (ad->ac.ft != NULL && (pe = proctable_get(&ad->pt, w->pid)) !=
	    NULL && pe->exec_ts > sent) {
		d->flags |= CONN_F_RACED;
		ad->st.exec_raced++;
		return SRC_NONE;
	}
	return src;
}

/* The process left before /proc could be read: the table's path only. */
static void
attrd_gone(const struct attr_who *w, struct attrd_desc *d,
    struct attrd_note *note)
{
	attrd_desc_fill(d, w->exec_path, NULL, NULL);
	d->flags |= CONN_F_RACED;
	note->why = w->exec_path[0] != '\0' ? AP_EXEC_ONLY : AP_NONE;
}

/* Copy the values of names base..base+n-1 out of a (reused later). */
static void
attrd_env_take(const struct proc_attrs *a, unsigned int base, unsigned int n,
    struct attrd_env *env, const char **vals)
{
	static char	 arena[ATTRD_DESC_MAX];
	static size_t	 used;
	const char	*v;
	size_t		 len;
	unsigned int	 i;

	if (base == 0)
		used = 0;
	for (i = 0; i < n; i++) {
		if (a->env_cut & (1u << i))
			env->unknown |= 1ULL << (base + i);
		if ((v = procfs_env(a, i)) == NULL)
			continue;
		/* More than a message holds could not be sent anyway. */
		len = strlen(v) + 1;
		if (len > sizeof(arena) - used) {
			env->unknown |= 1ULL << (base + i);
			continue;
		}
		memcpy(arena + used, v, len);
		vals[base + i] = arena + used;
		used += len;
	}
}

/*
 * Read the attributes of (pid, start) from /proc: the usual ones, the
 * md5 when a rule or the configuration wants it, the sha1 when a rule
 * does, and the variables
 * ruled named (procfs reads MAX_ENV_NAMES at a time).  -1 when the
 * process is gone or its start time differs.
 */
static int
attrd_read(struct attrd *ad, pid_t pid, uint64_t start, struct proc_attrs *a,
    struct attrd_env *env)
{
	static struct proc_attrs more;
	static const char	*vals[MAX_NEED_ENV];
	uint32_t		 want = PA_EXE | PA_CMDLINE | PA_CWD |
				    PA_PARENTS | PA_UID | PA_CGROUP | PA_MNTNS;
	unsigned int		 k, n;

	if (ad->nenv > 0)
		want |= PA_ENV;
	if (ad->need_md5 || ad->cfg.checksums)
		want |= PA_MD5;
	if (ad->need_sha1)
		want |= PA_SHA1;
	memset(vals, 0, sizeof(vals));
	memset(env, 0, sizeof(*env));
	env->names = ad->envp;
	env->values = vals;
	env->n = ad->nenv;
	n = ad->nenv < MAX_ENV_NAMES ? ad->nenv : MAX_ENV_NAMES;
	if (procfs_read_attrs(&ad->pf, pid, start, want, ad->envp, n, a) ==
	    -1 || !(a->have & PA_STAT))
		return -1;
	attrd_env_take(a, 0, n, env, vals);
	for (k = n; k < ad->nenv && (a->have & PA_ENV); k += n) {
		n = ad->nenv - k < MAX_ENV_NAMES ? ad->nenv - k :
		    MAX_ENV_NAMES;
		if (procfs_read_attrs(&ad->pf, pid, a->start_time, PA_ENV,
		    ad->envp + k, n, &more) == -1 || !(more.have & PA_ENV))
			a->have &= ~PA_ENV;
		else
			attrd_env_take(&more, k, n, env, vals);
	}
	return 0;
}

/*
 * With ftrace: is the process the table knew before the read (born and
 * exec'd at those times) still the one there, and did it not end before
 * the read began?  Otherwise the pid may have gone to a newcomer whose
 * /proc was read.  *pe is the table's entry now (NULL if it has none).
 */
static int
attrd_same_process(struct attrd *ad, pid_t pid, uint64_t born,
    uint64_t execd, uint64_t t_read, struct proc_entry **pe)
{
	struct proc_entry	*e;

	(void)ftrace_drain(&ad->ft, attr_now(), attr_event_cb, &ad->ac);
	*pe = e = proctable_get(&ad->pt, pid);
	if (e == NULL)
		return born == 0 && execd == 0;
	if (e->born_ts != born || e->exec_ts != execd)
		return 0;
	return !((e->flags & PE_EXITED) && e->exit_ts < t_read);
}

/*
 * A path other than the table's was chosen (a link, a script, a
 * relative name, or the table had none from an exec): keep it, so the
 * next connection need not resolve it again.
 */
static void
attrd_remember_path(struct proc_entry *pe, const char *path, int why)
{
	if (pe == NULL || path == NULL || (pe->flags & PE_THREAD))
		return;
	if (why != AP_EXE_ONLY && why != AP_RELATIVE && why != AP_MAGIC &&
	    why != AP_ALIAS && why != AP_SCRIPT)
		return;
	if (pe->path != NULL && strcmp(pe->path, path) == 0)
		return;
	(void)proctable_set_path(pe, path, strlen(path),
	    why == AP_EXE_ONLY ? PE_PROCFS : PE_EXEC);
}

/*
 * Whether the process a describes is in another mount namespace than
 * attributord (which is packetd's, the host's): its names may not be
 * the host's.  Read with the other attributes, through the same /proc
 * directory (a process gone meanwhile is not described at all); when
 * it could not be read, it counts as another.
 */
static int
attrd_foreign_ns(const struct attrd *ad, const struct proc_attrs *a)
{
	if (!(a->have & PA_MNTNS))
		return 1;
	return a->mntns_dev != (uint64_t)ad->host_mntns_dev ||
	    a->mntns_ino != (uint64_t)ad->host_mntns_ino;
}

/* What process w is: from the cache, else from /proc, else the table. */
static void
attrd_describe(struct attrd *ad, const struct attr_who *w, uint64_t now,
    struct attrd_desc *d, struct attrd_note *note)
{
	static struct proc_attrs a;
	static char		 canon[MAX_PROC_PATH];
	struct attrd_env	 env;
	struct proc_entry	*pe;
	const char		*path;
	uint64_t		 born = 0, execd = 0, start, t_read;
	int			 events;

	events = ad->ac.ft != NULL && !ftrace_recent_loss(&ad->ft, now);
	if ((pe = proctable_get(&ad->pt, w->pid)) != NULL &&
	    (pe->flags & PE_THREAD))
		pe = NULL;
	start = w->start_time != 0 ? w->start_time : pe != NULL ?
	    pe->start_time : 0;
	d->pid = w->pid;
	d->ppid = pe != NULL && pe->ppid > 0 ? pe->ppid : 0;
	d->start_time = start;
	if (events && pe != NULL && start != 0 && attrd_cache_get(&ad->cache,
	    w->pid, start, pe->exec_ts, now, d) == 0) {
		note->cached = 1;
		note->why = AP_SAME;
		return;
	}
	if (w->exited) {
		attrd_gone(w, d, note);
		return;
	}
	if (pe != NULL) {
		born = pe->born_ts;
		execd = pe->exec_ts;
	}
	t_read = attr_now();
	note->read = 1;
	if (attrd_read(ad, w->pid, start, &a, &env) == -1 ||
	    (ad->ac.ft != NULL && !attrd_same_process(ad, w->pid, born, execd,
	    t_read, &pe)) ||
	    (pe != NULL && proctable_check_start(&ad->pt, pe,
	    a.start_time) == -1)) {
		attrd_gone(w, d, note);
		return;
	}
	note->why = attrd_path_choose(ad->pf.procfd, w->pid, w->exec_path,
	    w->path_flags, (a.have & PA_EXE) ? a.exe : NULL, &path);
	attrd_remember_path(pe, path, note->why);
	/* Issue 15 item 1: the namespace's name must be the host's too. */
	if (path != NULL && (note->foreign = attrd_foreign_ns(ad, &a)) &&
	    attrd_path_host(ad->pf.procfd, ad->rootfd, w->pid, w->exec_path,
	    (a.have & PA_EXE) ? a.exe : NULL, &path, canon,
	    sizeof(canon)) == -1)
		d->flags |= CONN_F_PATH_UNSURE;
	attrd_desc_fill(d, path, &a, &env);
	d->ppid = a.ppid > 0 ? a.ppid : 0;
	d->puid = (a.have & PA_UID) ? a.uid : CONN_UID_UNKNOWN;
	d->start_time = a.start_time;
	if (events && pe != NULL && !(d->flags & CONN_F_RACED))
		(void)attrd_cache_put(&ad->cache, pe->exec_ts, t_read, d);
}

static void
attrd_count(struct attrd *ad, const struct msg_conn_attr *ca,
    const struct attrd_desc *d, const struct attrd_note *note)
{
	struct attrd_stats	*st = &ad->st;

	st->conns++;
	st->by_src[ca->source]++;
	st->read += note->read;
	st->raced += (d->flags & CONN_F_RACED) != 0;
	st->cut += (d->flags & (CONN_F_ATTRS_CUT | CONN_F_CMDLINE_CUT)) != 0;
	st->deleted += (d->flags & CONN_F_DELETED) != 0;
	st->foreign += note->foreign;
	st->path_unsure += (d->flags & CONN_F_PATH_UNSURE) != 0;
	if (note->why >= 0 && (size_t)note->why < nitems(st->path_why))
		st->path_why[note->why]++;
	st->ns_total += ca->attr_ns;
	if (ca->attr_ns > st->ns_max)
		st->ns_max = ca->attr_ns;
}

/* One line per connection (-v): what the e2e tests read. */
static void
attrd_log_conn(uint32_t id, const struct msg_conn_attr *ca,
    const struct attrd_desc *d, const struct attrd_note *note)
{
	const char	*v, *path = "-";
	size_t		 off = 0;
	uint16_t	 type, len;

	if (!log_getverbose())
		return;
	while (attrd_desc_next(d, &off, &type, &v, &len))
		if (type == ATTR_PROC_PATH) {
			path = v;
			break;
		}
	log_debug("conn %u: %s, pid %d, path %s, %s%s%s%s%s%s%s%s, %llu us",
	    id, attrd_src_names[ca->source], d->pid, path,
	    note->cached ? "cached" : note->read ? "read" : "table",
	    (d->flags & CONN_F_PATH_UNSURE) ? " path-unsure" : "",
	    (d->flags & CONN_F_DELETED) ? " deleted" : "",
	    (d->flags & CONN_F_RACED) ? " raced" : "",
	    (d->flags & CONN_F_CMDLINE_CUT) ? " cmdline-cut" : "",
	    (d->flags & CONN_F_ATTRS_CUT) ? " attrs-cut" : "",
	    note->why != AP_NONE && note->why != AP_SAME ? " path=" : "",
	    note->why != AP_NONE && note->why != AP_SAME ?
	    attrd_path_why_name(note->why) : "",
	    (unsigned long long)(ca->attr_ns / 1000));
}

/* MSG_CONN m attributed: the MSG_CONN_ATTR for ruled in out. */
void
attrd_attribute(struct attrd *ad, const struct msg *m, struct msg *out)
{
	static struct attrd_desc d;
	struct msg_conn_attr	 ca;
	struct attr_who		 w;
	struct attrd_note	 note;
	uint64_t		 t0 = attr_now();

	attrd_trace_ready(ad);
	memset(&ca, 0, sizeof(ca));
	memset(&note, 0, sizeof(note));
	msg_get_body(m, &ca.conn, sizeof(ca.conn));
	attrd_desc_init(&d);
	ca.source = attrd_find(ad, &ca.conn, t0, &w, &d);
	if (ca.source != SRC_NONE)
		attrd_describe(ad, &w, t0, &d, &note);
	ca.attr_ns = attr_now() - t0;
	if (attrd_desc_msg(out, msg_id(m), &ca, m, &d) == -1)
		fatal("%s: MSG_CONN_ATTR", __func__);
	attrd_count(ad, &ca, &d, &note);
	attrd_log_conn(msg_id(m), &ca, &d, &note);
}

void
attrd_conn(struct attrd *ad, const struct msg *m)
{
	static struct msg	 out;

	attrd_attribute(ad, m, &out);
	if (chan_send(&ad->chans[C_RULED], &out) == -1)
		fatal("%s: to ruled", __func__);
}
