/*
 * attrd_cache.c: a fixed array searched by pid; a new process takes a
 * free slot, else the one read longest ago.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "attrd_cache.h"

static void	 attrd_cache_drop(struct attrd_cache_ent *);
static struct attrd_cache_ent *attrd_cache_slot(struct attrd_cache *,
		    pid_t);

void
attrd_cache_init(struct attrd_cache *c)
{
	memset(c, 0, sizeof(*c));
}

static void
attrd_cache_drop(struct attrd_cache_ent *e)
{
	free(e->buf);
	memset(e, 0, sizeof(*e));
}

void
attrd_cache_clear(struct attrd_cache *c)
{
	unsigned int	 i;

	for (i = 0; i < MAX_ATTR_CACHE; i++)
		attrd_cache_drop(&c->e[i]);
}

/*
 * The description of process (pid, start) as read at or after exec
 * time exec_ts, if it is no older than ATTR_CACHE_TTL_NS at now: 0 and
 * *d filled, or -1.
 */
int
attrd_cache_get(struct attrd_cache *c, pid_t pid, uint64_t start,
    uint64_t exec_ts, uint64_t now, struct attrd_desc *d)
{
	struct attrd_cache_ent	*e;
	unsigned int		 i;

	for (i = 0; i < MAX_ATTR_CACHE; i++) {
		e = &c->e[i];
		if (e->pid != pid)
			continue;
		if (e->start_time != start || e->exec_ts != exec_ts ||
		    now < e->read_ns || now - e->read_ns > ATTR_CACHE_TTL_NS)
			break;
		d->pid = e->pid;
		d->ppid = e->ppid;
		d->puid = e->puid;
		d->flags = e->flags;
		d->start_time = e->start_time;
		d->len = e->len;
		d->nattrs = e->nattrs;
		d->seen = e->seen;
		memcpy(d->buf, e->buf, e->len);
		c->hits++;
		return 0;
	}
	c->misses++;
	return -1;
}

static struct attrd_cache_ent *
attrd_cache_slot(struct attrd_cache *c, pid_t pid)
{
	struct attrd_cache_ent	*e, *old = NULL, *free_slot = NULL;
	unsigned int		 i;

	for (i = 0; i < MAX_ATTR_CACHE; i++) {
		e = &c->e[i];
		if (e->pid == pid)
			return e;
		if (e->pid == 0 && free_slot == NULL)
			free_slot = e;
		if (e->pid != 0 && (old == NULL || e->read_ns < old->read_ns))
			old = e;
	}
	return free_slot != NULL ? free_slot : old;
}

/* Keep d, read at now, for the process that exec'd at exec_ts. */
int
attrd_cache_put(struct attrd_cache *c, uint64_t exec_ts, uint64_t now,
    const struct attrd_desc *d)
{
	struct attrd_cache_ent	*e;
	uint8_t			*buf;

	if (d->pid <= 0 || d->start_time == 0) {
		errno = EINVAL;
		return -1;
	}
	if ((buf = malloc(d->len > 0 ? d->len : 1)) == NULL)
		return -1;
	memcpy(buf, d->buf, d->len);
	e = attrd_cache_slot(c, d->pid);
	attrd_cache_drop(e);
	e->pid = d->pid;
	e->ppid = d->ppid;
	e->puid = d->puid;
	e->flags = d->flags;
	e->start_time = d->start_time;
	e->exec_ts = exec_ts;
	e->read_ns = now;
	e->len = d->len;
	e->nattrs = d->nattrs;
	e->seen = d->seen;
	e->buf = buf;
	c->stored++;
	return 0;
}

/* Give back the memory of entries too old to answer. */
void
attrd_cache_expire(struct attrd_cache *c, uint64_t now)
{
	unsigned int	 i;

	for (i = 0; i < MAX_ATTR_CACHE; i++)
		if (c->e[i].pid != 0 && (now < c->e[i].read_ns ||
		    now - c->e[i].read_ns > ATTR_CACHE_TTL_NS)) {
			attrd_cache_drop(&c->e[i]);
			c->expired++;
		}
}
