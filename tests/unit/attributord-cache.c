/*
 * attributord-cache.c: the per-process attribute cache answers only for the
 * same process running the same program, for ATTR_CACHE_TTL_NS, and
 * stays within MAX_ATTR_CACHE entries.
 */
#include "config.h"

#include <string.h>

#include "attrd_cache.h"
#include "t.h"

#define NS	1000000000ULL

static void	 desc(struct attrd_desc *, pid_t, uint64_t, const char *);

static void
desc(struct attrd_desc *d, pid_t pid, uint64_t start, const char *path)
{
	attrd_desc_init(d);
	d->pid = pid;
	d->ppid = 1;
	d->puid = 1000;
	d->flags = CONN_F_DELETED;
	d->start_time = start;
	(void)attrd_desc_add(d, ATTR_PROC_PATH, path);
}

int
main(void)
{
	static struct attrd_cache	 c;
	static struct attrd_desc	 d, out;
	const char			*v;
	size_t				 off = 0;
	uint16_t			 type, len;
	unsigned int			 i;
	uint64_t			 t0 = 100 * NS;

	attrd_cache_init(&c);
	desc(&d, 4242, 77, "/usr/bin/curl");
	T_EQ_INT(attrd_cache_put(&c, 5 * NS, t0, &d), 0);

	/* The same process, program and time: the same description. */
	T_EQ_INT(attrd_cache_get(&c, 4242, 77, 5 * NS, t0 + NS / 2, &out), 0);
	T_EQ_INT(out.pid, 4242);
	T_EQ_INT(out.ppid, 1);
	T_EQ_INT(out.puid, 1000);
	T_EQ_INT(out.flags, CONN_F_DELETED);
	T_EQ_INT(out.start_time, 77);
	T_EQ_INT(out.nattrs, 1);
	T_EQ_INT(out.len, d.len);
	T_EQ_INT(attrd_desc_next(&out, &off, &type, &v, &len), 1);
	T_EQ_STR(v, "/usr/bin/curl");
	/* A second path would now be refused: "seen" came back too. */
	T_EQ_INT(attrd_desc_add(&out, ATTR_PROC_PATH, "/x"), -1);

	/* Another start time (pid reused), an exec since, too old. */
	T_EQ_INT(attrd_cache_get(&c, 4242, 78, 5 * NS, t0, &out), -1);
	T_EQ_INT(attrd_cache_get(&c, 4242, 77, 6 * NS, t0, &out), -1);
	T_EQ_INT(attrd_cache_get(&c, 4242, 77, 5 * NS,
	    t0 + ATTR_CACHE_TTL_NS + 1, &out), -1);
	T_EQ_INT(attrd_cache_get(&c, 4242, 77, 5 * NS, t0 - 1, &out), -1);
	T_EQ_INT(attrd_cache_get(&c, 4243, 77, 5 * NS, t0, &out), -1);
	T_EQ_INT(c.hits, 1);
	T_EQ_INT(c.misses, 5);

	/* Read again: replaces, does not add. */
	desc(&d, 4242, 77, "/usr/bin/wget");
	T_EQ_INT(attrd_cache_put(&c, 6 * NS, t0 + NS, &d), 0);
	T_EQ_INT(attrd_cache_get(&c, 4242, 77, 6 * NS, t0 + NS, &out), 0);
	off = 0;
	T_EQ_INT(attrd_desc_next(&out, &off, &type, &v, &len), 1);
	T_EQ_STR(v, "/usr/bin/wget");
	for (i = 0, off = 0; i < MAX_ATTR_CACHE; i++)
		off += c.e[i].pid == 4242;
	T_EQ_INT(off, 1);

	/* Unknown identities are not kept. */
	desc(&d, 0, 77, "/x");
	T_EQ_INT(attrd_cache_put(&c, 0, t0, &d), -1);
	desc(&d, 10, 0, "/x");
	T_EQ_INT(attrd_cache_put(&c, 0, t0, &d), -1);

	/* Full: the one read longest ago makes room. */
	attrd_cache_clear(&c);
	for (i = 0; i <= MAX_ATTR_CACHE; i++) {
		desc(&d, (pid_t)(1000 + i), 1, "/p");
		T_EQ_INT(attrd_cache_put(&c, 0, t0 + i, &d), 0);
	}
	T_EQ_INT(attrd_cache_get(&c, 1000, 1, 0, t0 + MAX_ATTR_CACHE, &out),
	    -1);
	T_EQ_INT(attrd_cache_get(&c, 1001, 1, 0, t0 + MAX_ATTR_CACHE, &out),
	    0);
	T_EQ_INT(attrd_cache_get(&c, 1000 + MAX_ATTR_CACHE, 1, 0,
	    t0 + MAX_ATTR_CACHE, &out), 0);

	/* Expiry gives the memory back. */
	attrd_cache_expire(&c, t0 + ATTR_CACHE_TTL_NS + MAX_ATTR_CACHE + 1);
	T_EQ_INT(c.expired, MAX_ATTR_CACHE);
	for (i = 0, off = 0; i < MAX_ATTR_CACHE; i++)
		off += c.e[i].pid != 0 || c.e[i].buf != NULL;
	T_EQ_INT(off, 0);
	attrd_cache_clear(&c);
	return t_done("attributord-cache");
}
