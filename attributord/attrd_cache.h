/*
 * attrd_cache.h: the attributes last read for a process, so that its
 * next connections cost no /proc read.  An entry answers only for the
 * same process (pid and start time) running the same program (no exec
 * since: the ftrace exec event changes the table's exec time), and only
 * for ATTR_CACHE_TTL_NS: a command line, cwd or uid may change without
 * an event, and is then at most that old.
 */
#ifndef TATTLE_ATTRD_CACHE_H
#define TATTLE_ATTRD_CACHE_H

#include <stdint.h>
#include <sys/types.h>

#include "attr_limits.h"
#include "attrd_desc.h"

struct attrd_cache_ent {
	int32_t		 pid;		/* 0: free */
	int32_t		 ppid;
	uint32_t	 puid;
	uint32_t	 flags;
	uint64_t	 start_time;
	uint64_t	 exec_ts;	/* the table's, when read */
	uint64_t	 read_ns;
	size_t		 len;
	unsigned int	 nattrs;
	uint64_t	 seen;
	uint8_t		*buf;		/* len bytes of attrd_desc.buf */
};

struct attrd_cache {
	struct attrd_cache_ent	 e[MAX_ATTR_CACHE];
	uint64_t		 hits, misses, stored, expired;
};

void	attrd_cache_init(struct attrd_cache *);
void	attrd_cache_clear(struct attrd_cache *);
int	attrd_cache_get(struct attrd_cache *, pid_t, uint64_t, uint64_t,
	    uint64_t, struct attrd_desc *);
int	attrd_cache_put(struct attrd_cache *, uint64_t, uint64_t,
	    const struct attrd_desc *);
void	attrd_cache_expire(struct attrd_cache *, uint64_t);

#endif /* TATTLE_ATTRD_CACHE_H */
