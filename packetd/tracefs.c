/*
 * tracefs.c: create, configure and tear down packetd's private ftrace
 * instance.  Runs as root at start-up (tracefs_open), unprivileged at
 * exit (tracefs_stop, through write fds opened while root), and as root
 * again from `tattled --cleanup` or the next start (tracefs_remove,
 * tracefs_cleanup_stale): once packetd has dropped to its own user it can
 * no longer rmdir the instance, because instances/ is root's, mode 0750.
 */
#include "config.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tracefs.h"

#define TRACEFS_MAGIC		0x74726163
#define MAX_FORMAT		16384	/* bytes of one format file */

struct tf_event {
	const char	*path;		/* under events/ */
	const char	*filter;	/* kernel-side filter, or NULL */
	int		 required;
};

struct tf_def {
	uint8_t		 ev;
	uint8_t		 required;
	const char	*name;
};

static int	tfs_mounted(void);
static int	tfs_write(int, const char *, const char *);
static ssize_t	tfs_read(int, const char *, char *, size_t);
static int	tfs_rmdir_instance(int, const char *);
static int	tfs_setup_event(struct tracefs *, enum trace_ev);
static int	tfs_open_raw(struct tracefs *);
static int	tfs_keep_fds(struct tracefs *);
static int	tfs_page_size(struct tracefs *);
static int	tfs_parse_field(const char *, char *, size_t, uint16_t *,
		    uint16_t *);

/*
 * The kernel filters cut volume: only TCP SYN_SENT transitions, only
 * UDP route lookups made for output (iif is the loopback index then),
 * only exits that end a whole process.  attributord checks the same
 * conditions again, so a kernel that refuses a filter costs volume, not
 * correctness.  The fib tracepoints record ports for TCP and UDP only:
 * UDPLITE is left to sock_diag.
 */
static const struct tf_event tf_events[TE_MAX] = {
	[TE_CONNECT] = { "sock/inet_sock_set_state",
	    "newstate == 2 && protocol == 6", 1 },
	[TE_ROUTE4] = { "fib/fib_table_lookup", "proto == 17 && iif == 1", 0 },
	[TE_ROUTE6] = { "fib6/fib6_table_lookup", "proto == 17 && iif == 1",
	    0 },
	[TE_EXEC] = { "sched/sched_process_exec", NULL, 1 },
	[TE_NEWTASK] = { "task/task_newtask", NULL, 1 },
	[TE_EXIT] = { "sched/sched_process_exit", "group_dead == 1", 1 },
};

static const struct tf_def tf_defs[TF_MAX] = {
	[TF_TYPE] = { TE_MAX, 1, "common_type" },
	[TF_FLAGS] = { TE_MAX, 1, "common_flags" },
	[TF_PID] = { TE_MAX, 1, "common_pid" },
	[TF_CONN_NEWSTATE] = { TE_CONNECT, 1, "newstate" },
	[TF_CONN_SPORT] = { TE_CONNECT, 1, "sport" },
	[TF_CONN_DPORT] = { TE_CONNECT, 1, "dport" },
	[TF_CONN_FAMILY] = { TE_CONNECT, 1, "family" },
	[TF_CONN_PROTO] = { TE_CONNECT, 1, "protocol" },
	[TF_CONN_SADDR] = { TE_CONNECT, 1, "saddr" },
	[TF_CONN_DADDR] = { TE_CONNECT, 1, "daddr" },
	[TF_CONN_SADDR6] = { TE_CONNECT, 1, "saddr_v6" },
	[TF_CONN_DADDR6] = { TE_CONNECT, 1, "daddr_v6" },
	[TF_R4_IIF] = { TE_ROUTE4, 1, "iif" },
	[TF_R4_PROTO] = { TE_ROUTE4, 1, "proto" },
	[TF_R4_SRC] = { TE_ROUTE4, 1, "src" },
	[TF_R4_DST] = { TE_ROUTE4, 1, "dst" },
	[TF_R4_SPORT] = { TE_ROUTE4, 1, "sport" },
	[TF_R4_DPORT] = { TE_ROUTE4, 1, "dport" },
	[TF_R6_IIF] = { TE_ROUTE6, 1, "iif" },
	[TF_R6_PROTO] = { TE_ROUTE6, 1, "proto" },
	[TF_R6_SRC] = { TE_ROUTE6, 1, "src" },
	[TF_R6_DST] = { TE_ROUTE6, 1, "dst" },
	[TF_R6_SPORT] = { TE_ROUTE6, 1, "sport" },
	[TF_R6_DPORT] = { TE_ROUTE6, 1, "dport" },
	[TF_EXEC_FILENAME] = { TE_EXEC, 1, "filename" },
	[TF_EXEC_PID] = { TE_EXEC, 1, "pid" },
	[TF_EXEC_OLDPID] = { TE_EXEC, 1, "old_pid" },
	[TF_NT_PID] = { TE_NEWTASK, 1, "pid" },
	[TF_NT_FLAGS] = { TE_NEWTASK, 1, "clone_flags" },
	[TF_EXIT_PID] = { TE_EXIT, 1, "pid" },
	[TF_EXIT_GROUPDEAD] = { TE_EXIT, 0, "group_dead" },
};

static int
tfs_mounted(void)
{
	struct statfs	 sfs;

	if (statfs(TRACEFS_DIR, &sfs) == -1)
		return -1;
	return sfs.f_type == TRACEFS_MAGIC;
}

static int
tfs_write(int dirfd, const char *path, const char *val)
{
	size_t	 len = strlen(val);
	ssize_t	 n;
	int	 fd, saved;

	if ((fd = openat(dirfd, path, O_WRONLY | O_TRUNC | O_CLOEXEC)) == -1)
		return -1;
	n = write(fd, val, len);
	saved = errno;
	close(fd);
	if (n != (ssize_t)len) {
		errno = n == -1 ? saved : EIO;
		return -1;
	}
	return 0;
}

/* Read a whole small file into buf, NUL-terminated; -1 if it does not fit. */
static ssize_t
tfs_read(int dirfd, const char *path, char *buf, size_t len)
{
	size_t	 have = 0;
	ssize_t	 n;
	int	 fd, saved;

	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while (have < len - 1) {
		n = read(fd, buf + have, len - 1 - have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			saved = errno;
			close(fd);
			if (n == -1) {
				errno = saved;
				return -1;
			}
			buf[have] = '\0';
			return (ssize_t)have;
		}
		have += (size_t)n;
	}
	close(fd);
	errno = EFBIG;
	return -1;
}

/*
 * Parse one "field:TYPE NAME;\toffset:N;\tsize:N;" line's name, offset and
 * size.  The name is the last word before the first ';', without an array
 * suffix.
 */
static int
tfs_parse_field(const char *line, char *name, size_t namelen,
    uint16_t *off, uint16_t *size)
{
	const char	*semi, *start, *p;
	unsigned long	 o, s;
	char		*end;
	size_t		 len;

	if ((semi = strchr(line, ';')) == NULL)
		return -1;
	start = semi;
	while (start > line && start[-1] != ' ' && start[-1] != ':' &&
	    start[-1] != '\t')
		start--;
	for (p = start; p < semi && *p != '['; p++)
		;
	len = (size_t)(p - start);
	if (len == 0 || len >= namelen)
		return -1;
	memcpy(name, start, len);
	name[len] = '\0';
	if ((p = strstr(semi, "offset:")) == NULL)
		return -1;
	o = strtoul(p + 7, &end, 10);
	if (end == p + 7 || *end != ';' || o > UINT16_MAX)
		return -1;
	if ((p = strstr(end, "size:")) == NULL)
		return -1;
	s = strtoul(p + 5, &end, 10);
	if (end == p + 5 || *end != ';' || s == 0 || s > UINT16_MAX ||
	    o + s > UINT16_MAX)
		return -1;
	*off = (uint16_t)o;
	*size = (uint16_t)s;
	return 0;
}

/*
 * Parse an event's format file: its ID (required unless id is NULL), and
 * the offset and size of each field named in names[] (out[i] stays
 * {0, 0} when the event lacks it).
 */
int
tracefs_parse_format(const char *text, const char *const *names,
    unsigned int n, uint16_t *id, struct trace_field *out)
{
	const char	*line, *p;
	char		 name[64];
	unsigned long	 v;
	uint16_t	 off, size;
	unsigned int	 i;
	char		*end;
	int		 have_id = 0;

	for (i = 0; i < n; i++)
		out[i].off = out[i].size = 0;
	for (line = text; line != NULL && *line != '\0'; line = p) {
		p = strchr(line, '\n');
		if (p != NULL)
			p++;
		while (*line == ' ' || *line == '\t')
			line++;
		if (strncmp(line, "ID:", 3) == 0) {
			v = strtoul(line + 3, &end, 10);
			if (end == line + 3 || v == 0 || v > UINT16_MAX)
				return -1;
			if (id != NULL)
				*id = (uint16_t)v;
			have_id = 1;
			continue;
		}
		if (strncmp(line, "field:", 6) != 0)
			continue;
		if (tfs_parse_field(line, name, sizeof(name), &off, &size)
		    == -1)
			return -1;
		for (i = 0; i < n; i++)
			if (strcmp(name, names[i]) == 0) {
				out[i].off = off;
				out[i].size = size;
			}
	}
	return have_id || id == NULL ? 0 : -1;
}

/* events/header_page: where the commit word and the records start. */
int
tracefs_parse_header_page(const char *text, struct trace_layout *lay)
{
	static const char *const names[] = { "commit", "data" };
	struct trace_field	 f[2];

	if (tracefs_parse_format(text, names, 2, NULL, f) == -1)
		return -1;
	if ((f[0].size != 4 && f[0].size != 8) || f[1].size == 0)
		return -1;
	if (f[1].off < f[0].off + f[0].size)
		return -1;
	lay->commit_off = f[0].off;
	lay->commit_size = f[0].size;
	lay->data_off = f[1].off;
	return 0;
}

static int
tfs_setup_event(struct tracefs *t, enum trace_ev ev)
{
	const struct tf_event	*e = &tf_events[ev];
	const char		*names[TF_MAX];
	struct trace_field	 got[TF_MAX];
	unsigned int		 idx[TF_MAX], n = 0, i;
	char			 path[128], *text;
	uint16_t		 id = 0;

	for (i = 0; i < TF_MAX; i++)
		if (tf_defs[i].ev == ev || tf_defs[i].ev == TE_MAX) {
			names[n] = tf_defs[i].name;
			idx[n++] = i;
		}
	if ((text = malloc(MAX_FORMAT)) == NULL)
		return -1;
	snprintf(path, sizeof(path), "events/%s/format", e->path);
	if (tfs_read(t->instfd, path, text, MAX_FORMAT) == -1) {
		log_warn("%s: %s", __func__, path);
		free(text);
		return -1;
	}
	if (tracefs_parse_format(text, names, n, &id, got) == -1) {
		log_warnx("%s: %s: malformed format file", __func__, path);
		free(text);
		return -1;
	}
	free(text);
	for (i = 0; i < n; i++) {
		struct trace_field *dst = &t->layout.f[idx[i]];

		if (got[i].size == 0 && tf_defs[idx[i]].required) {
			log_warnx("%s: %s: no field %s", __func__, e->path,
			    names[i]);
			return -1;
		}
		if (tf_defs[idx[i]].ev == TE_MAX && dst->size != 0 &&
		    (dst->off != got[i].off || dst->size != got[i].size)) {
			log_warnx("%s: %s: %s differs between events",
			    __func__, e->path, names[i]);
			return -1;
		}
		*dst = got[i];
	}
	if (e->filter != NULL) {
		snprintf(path, sizeof(path), "events/%s/filter", e->path);
		if (tfs_write(t->instfd, path, e->filter) == -1)
			log_warn("%s: %s: filter refused, filtering in "
			    "attributord only", __func__, e->path);
	}
	snprintf(path, sizeof(path), "events/%s/enable", e->path);
	if (tfs_write(t->instfd, path, "1") == -1) {
		log_warn("%s: %s", __func__, path);
		return -1;
	}
	t->layout.id[ev] = id;
	return 0;
}

static int
tfs_page_size(struct tracefs *t)
{
	char		 buf[4096];
	unsigned long	 kb = 0;
	char		*end;

	/* Kernels before 6.8 have no sub-buffer size: a page each. */
	if (tfs_read(t->instfd, "buffer_subbuf_size_kb", buf, sizeof(buf))
	    != -1) {
		kb = strtoul(buf, &end, 10);
		if (end == buf || kb == 0 || kb > 1024)
			return -1;
	}
	t->layout.page_size = kb ? (uint32_t)(kb * 1024) :
	    (uint32_t)sysconf(_SC_PAGESIZE);
	if (tfs_read(t->instfd, "events/header_page", buf, sizeof(buf)) == -1)
		return -1;
	if (tracefs_parse_header_page(buf, &t->layout) == -1) {
		log_warnx("%s: malformed events/header_page", __func__);
		return -1;
	}
	if (t->layout.data_off >= t->layout.page_size)
		return -1;
	return 0;
}

/* One raw pipe per possible CPU: tracefs makes per_cpu/cpuN for each. */
static int
tfs_open_raw(struct tracefs *t)
{
	char		 path[64];
	unsigned int	 cpu;
	int		 fd;

	for (cpu = 0; cpu < MAX_TRACE_CPUS; cpu++) {
		snprintf(path, sizeof(path), "per_cpu/cpu%u/trace_pipe_raw",
		    cpu);
		fd = openat(t->instfd, path, O_RDONLY | O_NONBLOCK |
		    O_CLOEXEC);
		if (fd == -1 && errno == ENOENT)
			break;
		if (fd == -1) {
			log_warn("%s: %s", __func__, path);
			return -1;
		}
		t->raw[cpu] = fd;
		t->ncpu = cpu + 1;
	}
	if (t->ncpu == 0 || (cpu == MAX_TRACE_CPUS &&
	    faccessat(t->instfd, "per_cpu/cpu256", F_OK, 0) == 0)) {
		log_warnx("%s: %u CPUs; tattle handles 1 to %d", __func__,
		    t->ncpu, MAX_TRACE_CPUS);
		return -1;
	}
	t->layout.ncpu = t->ncpu;
	return 0;
}

/*
 * Write fds opened now, as root, keep working after packetd's uid
 * change: the kernel checks permission at open.  They are all packetd
 * needs to switch tracing off at exit.
 */
static int
tfs_keep_fds(struct tracefs *t)
{
	t->on_fd = openat(t->instfd, "tracing_on", O_WRONLY | O_CLOEXEC);
	t->size_fd = openat(t->instfd, "buffer_size_kb", O_WRONLY |
	    O_CLOEXEC);
	t->enable_fd = openat(t->instfd, "events/enable", O_WRONLY |
	    O_CLOEXEC);
	if (t->on_fd == -1 || t->size_fd == -1 || t->enable_fd == -1) {
		log_warn("%s: instance control files", __func__);
		return -1;
	}
	return 0;
}

static int
tfs_rmdir_instance(int instdir, const char *name)
{
	char	 path[64];
	int	 fd;

	/* Switch it off first, so a busy instance at least stops. */
	snprintf(path, sizeof(path), "%s/tracing_on", name);
	if ((fd = openat(instdir, path, O_WRONLY | O_CLOEXEC)) != -1) {
		if (write(fd, "0", 1) != 1)
			log_debug("%s: cannot switch tracing off", name);
		close(fd);
	}
	return unlinkat(instdir, name, AT_REMOVEDIR);
}

/*
 * Create and configure instances/tattle-<owner>.  On failure everything
 * made so far is undone and -1 returned; packetd then runs without
 * ftrace and attributord falls back to sock_diag and /proc.
 */
int
tracefs_open(struct tracefs *t, pid_t owner)
{
	char		 path[64];
	unsigned int	 i;
	int		 instdir = -1, m;

	memset(t, 0, sizeof(*t));
	t->owner = owner;
	t->instfd = t->on_fd = t->size_fd = t->enable_fd = -1;
	for (i = 0; i < MAX_TRACE_CPUS; i++)
		t->raw[i] = -1;
	t->layout.version = TRACE_LAYOUT_VERSION;
	t->layout.clock = TRACE_CLOCK_MONO;
	snprintf(t->name, sizeof(t->name), TRACEFS_PREFIX "%ld", (long)owner);

	if ((m = tfs_mounted()) == -1) {
		log_warn("%s: %s", __func__, TRACEFS_DIR);
		return -1;
	}
	if (m == 0) {
		if (mount("nodev", TRACEFS_DIR, "tracefs", 0, NULL) == -1) {
			log_warn("%s: mount tracefs on %s", __func__,
			    TRACEFS_DIR);
			return -1;
		}
		log_info("mounted tracefs on %s", TRACEFS_DIR);
	}
	tracefs_cleanup_stale(owner);
	if ((instdir = open(TRACEFS_DIR "/instances", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		log_warn("%s: %s/instances", __func__, TRACEFS_DIR);
		return -1;
	}
	if (mkdirat(instdir, t->name, 0700) == -1 && (errno != EEXIST ||
	    tfs_rmdir_instance(instdir, t->name) == -1 ||
	    mkdirat(instdir, t->name, 0700) == -1)) {
		log_warn("%s: instances/%s", __func__, t->name);
		close(instdir);
		return -1;
	}
	t->instfd = openat(instdir, t->name, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC);
	close(instdir);
	if (t->instfd == -1)
		goto fail;
	snprintf(path, sizeof(path), "%d", TRACEFS_BUFFER_KB);
	if (tfs_write(t->instfd, "tracing_on", "0") == -1 ||
	    tfs_write(t->instfd, "buffer_size_kb", path) == -1 ||
	    tfs_write(t->instfd, "trace_clock", "mono") == -1) {
		log_warn("%s: configuring %s", __func__, t->name);
		goto fail;
	}
	if (tfs_page_size(t) == -1)
		goto fail;
	for (i = 0; i < TE_MAX; i++)
		if (tfs_setup_event(t, i) == -1 && tf_events[i].required)
			goto fail;
	if (t->layout.id[TE_ROUTE4] == 0 || t->layout.id[TE_ROUTE6] == 0)
		log_warnx("%s: no route lookup events: short-lived UDP "
		    "senders are attributed by sock_diag only", __func__);
	if (tfs_keep_fds(t) == -1 || tfs_open_raw(t) == -1)
		goto fail;
	if (write(t->on_fd, "1", 1) != 1) {
		log_warn("%s: tracing_on", __func__);
		goto fail;
	}
	log_info("ftrace instance %s: %u CPUs, %u KiB each, %u-byte pages",
	    t->name, t->ncpu, TRACEFS_BUFFER_KB, t->layout.page_size);
	return 0;
 fail:
	tracefs_stop(t);
	tracefs_close(t);
	tracefs_remove(owner);
	return -1;
}

/*
 * Stop tracing and give the buffer memory back, through the fds kept
 * from start-up: this works after the uid change.  The empty directory
 * stays until tracefs_remove() runs as root.
 */
void
tracefs_stop(struct tracefs *t)
{
	if (t->on_fd != -1 && pwrite(t->on_fd, "0", 1, 0) != 1)
		log_warn("%s: tracing_on", __func__);
	if (t->enable_fd != -1 && pwrite(t->enable_fd, "0", 1, 0) != 1)
		log_warn("%s: events/enable", __func__);
	if (t->size_fd != -1 && pwrite(t->size_fd, "1", 1, 0) != 1)
		log_warn("%s: buffer_size_kb", __func__);
}

/* packetd closes its copies of the raw pipes once attributord has them. */
void
tracefs_close_raw(struct tracefs *t)
{
	unsigned int	 i;

	for (i = 0; i < MAX_TRACE_CPUS; i++)
		if (t->raw[i] != -1) {
			close(t->raw[i]);
			t->raw[i] = -1;
		}
}

void
tracefs_close(struct tracefs *t)
{
	tracefs_close_raw(t);
	if (t->on_fd != -1)
		close(t->on_fd);
	if (t->size_fd != -1)
		close(t->size_fd);
	if (t->enable_fd != -1)
		close(t->enable_fd);
	if (t->instfd != -1)
		close(t->instfd);
	t->on_fd = t->size_fd = t->enable_fd = t->instfd = -1;
}

/*
 * As root: remove instances/tattle-<pid>.  Fails with EBUSY while any
 * process still holds one of its files open.
 */
int
tracefs_remove(pid_t pid)
{
	char	 name[32];
	int	 instdir, r, saved;

	snprintf(name, sizeof(name), TRACEFS_PREFIX "%ld", (long)pid);
	if ((instdir = open(TRACEFS_DIR "/instances", O_RDONLY |
	    O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	r = tfs_rmdir_instance(instdir, name);
	saved = errno;
	close(instdir);
	errno = saved;
	return r;
}

/*
 * As root: remove every tattle-<pid> instance whose pid is dead (a
 * crash, or the previous run's leftover that `tattled --cleanup` was not
 * run for), except keep's.  Returns how many were removed.
 */
int
tracefs_cleanup_stale(pid_t keep)
{
	DIR		*d;
	struct dirent	*de;
	char		*end;
	long		 pid;
	int		 n = 0;

	if ((d = opendir(TRACEFS_DIR "/instances")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, TRACEFS_PREFIX,
		    strlen(TRACEFS_PREFIX)) != 0)
			continue;
		errno = 0;
		pid = strtol(de->d_name + strlen(TRACEFS_PREFIX), &end, 10);
		if (*end != '\0' || pid <= 0 || pid > INT_MAX || errno != 0 ||
		    pid == (long)keep)
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (tfs_rmdir_instance(dirfd(d), de->d_name) == 0) {
			log_info("removed stale ftrace instance %s",
			    de->d_name);
			n++;
		} else
			log_warn("%s: %s", __func__, de->d_name);
	}
	closedir(d);
	return n;
}
