/*
 * attrd_desc.c: encode what /proc said about a process as the
 * attributes of MSG_CONN_ATTR.  Nothing here reads the system.  What
 * does not fit in one message is left out and flagged, most useful
 * first: path, md5, sha1, user, command line, cwd, cgroup, environment, then
 * the parents, nearest first, as far as they fit.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attrd_desc.h"

#define ATTRD_WANTED	(PA_EXE | PA_CMDLINE | PA_CWD | PA_PARENTS | \
			 PA_UID | PA_ENV | PA_MD5 | PA_SHA1 | PA_CGROUP)

/* Each attribute's bound and whether it may repeat, from the catalogue. */
static const struct {
	size_t	max;
	int	repeat;
} attrd_attr[ATTR_MAX] = {
#define X_ATTR_BOUND(name, num, kind, mx, rep)	[num] = { mx, rep },
	ATTR_CATALOGUE(X_ATTR_BOUND)
#undef X_ATTR_BOUND
};

static void	 attrd_desc_env(struct attrd_desc *, const struct attrd_env *);
static void	 attrd_desc_parents(struct attrd_desc *,
		    const struct proc_attrs *);
static void	 attrd_desc_put(struct attrd_desc *, enum msg_attr,
		    const char *);

void
attrd_desc_init(struct attrd_desc *d)
{
	d->pid = 0;
	d->ppid = 0;
	d->puid = CONN_UID_UNKNOWN;
	d->flags = 0;
	d->start_time = 0;
	d->len = 0;
	d->nattrs = 0;
	d->seen = 0;
}

/*
 * Append one string attribute; -1 (EMSGSIZE) when it does not fit, is
 * over its bound or is a second one that may not repeat: ruled would
 * refuse the message, and end the daemon.
 */
int
attrd_desc_add(struct attrd_desc *d, enum msg_attr a, const char *s)
{
	size_t		 n = strlen(s) + 1;
	uint16_t	 t = (uint16_t)a, l;

	if ((unsigned int)a >= ATTR_MAX || n > attrd_attr[a].max ||
	    ((d->seen & ATTR_BIT(a)) && !attrd_attr[a].repeat) ||
	    d->nattrs >= ATTRD_DESC_MAX_ATTRS ||
	    ATTRD_TLV_HDR + n > sizeof(d->buf) - d->len) {
		errno = EMSGSIZE;
		return -1;
	}
	l = (uint16_t)n;
	memcpy(d->buf + d->len, &t, sizeof(t));
	memcpy(d->buf + d->len + 2, &l, sizeof(l));
	memcpy(d->buf + d->len + ATTRD_TLV_HDR, s, n);
	d->len += ATTRD_TLV_HDR + n;
	d->nattrs++;
	d->seen |= ATTR_BIT(a);
	return 0;
}

/* The attribute at *off, and *off moved past it; 0 at the end. */
int
attrd_desc_next(const struct attrd_desc *d, size_t *off, uint16_t *type,
    const char **val, uint16_t *len)
{
	if (*off + ATTRD_TLV_HDR > d->len)
		return 0;
	memcpy(type, d->buf + *off, sizeof(*type));
	memcpy(len, d->buf + *off + 2, sizeof(*len));
	if (*len > d->len - *off - ATTRD_TLV_HDR)
		return 0;
	*val = (const char *)d->buf + *off + ATTRD_TLV_HDR;
	*off += ATTRD_TLV_HDR + *len;
	return 1;
}

static void
attrd_desc_put(struct attrd_desc *d, enum msg_attr a, const char *s)
{
	if (attrd_desc_add(d, a, s) == -1)
		d->flags |= CONN_F_ATTRS_CUT;
}

static void
attrd_desc_env(struct attrd_desc *d, const struct attrd_env *env)
{
	char		 kv[4096];
	unsigned int	 i;
	int		 n;

	for (i = 0; env != NULL && i < env->n; i++) {
		if (i < MAX_NEED_ENV && (env->unknown & (1ULL << i)))
			d->flags |= CONN_F_ATTRS_CUT;
		if (env->values[i] == NULL)
			continue;
		n = snprintf(kv, sizeof(kv), "%s=%s", env->names[i],
		    env->values[i]);
		if (n < 0 || (size_t)n >= sizeof(kv))
			d->flags |= CONN_F_ATTRS_CUT;
		else
			attrd_desc_put(d, ATTR_PROC_ENV, kv);
	}
}

/* A prefix of the chain, so a missing ancestor is never skipped over. */
static void
attrd_desc_parents(struct attrd_desc *d, const struct proc_attrs *a)
{
	const char	*p;
	unsigned int	 i;

	for (i = 0; (p = procfs_parent(a, i)) != NULL; i++)
		if (attrd_desc_add(d, ATTR_PROC_PARENT, p) == -1) {
			d->flags |= CONN_F_ATTRS_CUT;
			return;
		}
}

/*
 * Describe a process: path is the one chosen for it (attrd_path), a
 * what /proc gave (NULL when it could not be read), env the variables
 * ruled asked for.  An attribute asked for but not read (the process
 * was leaving, or a parent's pid was reused) sets CONN_F_RACED.
 */
void
attrd_desc_fill(struct attrd_desc *d, const char *path,
    const struct proc_attrs *a, const struct attrd_env *env)
{
	if (path != NULL && *path != '\0')
		attrd_desc_put(d, ATTR_PROC_PATH, path);
	if (a == NULL)
		return;
	if ((a->want & ~a->have) & ATTRD_WANTED)
		d->flags |= CONN_F_RACED;
	if ((a->have & PA_EXE) && a->exe_deleted)
		d->flags |= CONN_F_DELETED;
	if (a->have & PA_MD5)
		attrd_desc_put(d, ATTR_PROC_MD5, a->md5);
	if (a->have & PA_SHA1)
		attrd_desc_put(d, ATTR_PROC_SHA1, a->sha1);
	if ((a->have & PA_UID) && a->user[0] != '\0')
		attrd_desc_put(d, ATTR_USER_NAME, a->user);
	if (a->have & PA_CMDLINE) {
		if (a->cmdline_cut)
			d->flags |= CONN_F_CMDLINE_CUT;
		attrd_desc_put(d, ATTR_PROC_CMDLINE, a->cmdline);
	}
	if (a->have & PA_CWD)
		attrd_desc_put(d, ATTR_PROC_CWD, a->cwd);
	if (a->have & PA_CGROUP)
		attrd_desc_put(d, ATTR_CGROUP, a->cgroup);
	if (a->have & PA_ENV)
		attrd_desc_env(d, env);
	if (a->have & PA_PARENTS)
		attrd_desc_parents(d, a);
}

/*
 * MSG_CONN_ATTR for connection id: ca's tuple, source and timing, d's
 * process, the interfaces packetd named in conn (may be NULL).
 */
int
attrd_desc_msg(struct msg *out, uint32_t id, const struct msg_conn_attr *ca,
    const struct msg *conn, const struct attrd_desc *d)
{
	struct msg_conn_attr	 body = *ca;
	const char		*v;
	size_t			 off = 0;
	uint16_t		 type, len;

	body.pid = (uint32_t)d->pid;
	body.ppid = (uint32_t)d->ppid;
	body.puid = d->puid;
	body.flags = d->flags;
	body.start_time = d->start_time;
	body.pad = 0;
	msg_init(out, MSG_CONN_ATTR, id);
	if (msg_set_body(out, &body, sizeof(body)) == -1)
		return -1;
	if (conn != NULL && (v = msg_get_str(conn, ATTR_IFACE_IN)) != NULL &&
	    msg_add_str(out, ATTR_IFACE_IN, v) == -1)
		return -1;
	if (conn != NULL && (v = msg_get_str(conn, ATTR_IFACE_OUT)) != NULL &&
	    msg_add_str(out, ATTR_IFACE_OUT, v) == -1)
		return -1;
	while (attrd_desc_next(d, &off, &type, &v, &len))
		if (msg_add_attr(out, type, v, len) == -1)
			return -1;
	return 0;
}
