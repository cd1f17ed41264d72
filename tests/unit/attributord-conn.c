/*
 * attributord-conn.c: attributord's work for one connection, on flow events
 * put in by hand (the raw pipe handed over is an empty pipe) and this
 * process's own /proc: the ftrace hand-over; a connection from this
 * process with all its attributes, then from the cache; more variables
 * than procfs reads at once; a process that exec'd after sending, or
 * ended before it was read; nothing found.  Every message built passes
 * ruled's checker.  No privileges.
 */
#include "config.h"

#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attributord.h"
#include "t.h"

#define NENV	20		/* more than procfs reads in one call */
#define GONE	4194000		/* a pid no process has here */

static struct attrd	 ad;
static char		 self[PATH_MAX];
static const char	*argv0;

static void	 fake_layout(struct trace_layout *);
static void	 flow(uint16_t, pid_t, uint64_t);
static void	 conn(struct msg *, uint32_t, uint16_t);
static void	 attribute(uint32_t, uint16_t, struct msg_conn_attr *,
		    struct msg *);
static void	 test_handover(void);
static void	 test_self(void);
static void	 test_exec_after(void);
static void	 test_gone(void);
static void	 test_unknown(void);

static void
fake_layout(struct trace_layout *lay)
{
	memset(lay, 0, sizeof(*lay));
	lay->version = TRACE_LAYOUT_VERSION;
	lay->page_size = 4096;
	lay->ncpu = 1;
	lay->clock = TRACE_CLOCK_MONO;
	lay->commit_off = 8;
	lay->commit_size = 8;
	lay->data_off = 16;
	lay->id[TE_CONNECT] = 1;
	lay->id[TE_EXEC] = 2;
	lay->id[TE_NEWTASK] = 3;
	lay->id[TE_EXIT] = 4;
	lay->f[TF_TYPE].size = 2;
	lay->f[TF_FLAGS].off = 2;
	lay->f[TF_FLAGS].size = 1;
	lay->f[TF_PID].off = 4;
	lay->f[TF_PID].size = 4;
}

/* A TCP connect by tid from 127.0.0.1:sport to 127.0.0.1:443 at ts. */
static void
flow(uint16_t sport, pid_t tid, uint64_t ts)
{
	struct ftrace_event	 e;

	memset(&e, 0, sizeof(e));
	e.type = FT_CONNECT;
	e.tuple.family = AF_INET;
	e.tuple.proto = IPPROTO_TCP;
	e.tuple.sport = sport;
	e.tuple.dport = 443;
	inet_pton(AF_INET, "127.0.0.1", e.tuple.saddr);
	inet_pton(AF_INET, "127.0.0.1", e.tuple.daddr);
	e.tid = tid;
	e.ts = ts;
	ftrace_keep_flow(&ad.ft, &e);
}

static void
conn(struct msg *m, uint32_t id, uint16_t sport)
{
	struct msg_conn	 c;

	memset(&c, 0, sizeof(c));
	c.t.family = AF_INET;
	c.t.proto = IPPROTO_TCP;
	c.t.sport = sport;
	c.t.dport = 443;
	inet_pton(AF_INET, "127.0.0.1", c.t.saddr);
	inet_pton(AF_INET, "127.0.0.1", c.t.daddr);
	c.uid = CONN_UID_UNKNOWN;
	c.stamp_ns = attr_now();
	msg_init(m, MSG_CONN, id);
	msg_set_body(m, &c, sizeof(c));
	msg_add_str(m, ATTR_IFACE_OUT, "lo");
}

/* Attribute connection id from sport; out checked as ruled would. */
static void
attribute(uint32_t id, uint16_t sport, struct msg_conn_attr *ca,
    struct msg *out)
{
	static struct msg	 m;
	const char		*why = "";

	conn(&m, id, sport);
	T_EQ_INT(msg_check(&m, ROLE_ATTRIBUTORD, ROLE_PACKETD, &why), 0);
	attrd_attribute(&ad, &m, out);
	T_EQ_INT(msg_check(out, ROLE_RULED, ROLE_ATTRIBUTORD, &why), 0);
	if (*why != '\0')
		fprintf(stderr, "msg_check: %s\n", why);
	T_EQ_INT(msg_id(out), id);
	msg_get_body(out, ca, sizeof(*ca));
	T_EQ_INT(ca->conn.t.sport, sport);
	T_EQ_STR(msg_get_str(out, ATTR_IFACE_OUT), "lo");
}

/* The layout and the pipes arrive as packetd sends them. */
static void
test_handover(void)
{
	struct trace_layout	 lay;
	struct msg_trace_fd	 t;
	static struct msg	 m;
	const char		*why = "";
	int			 p[2];

	fake_layout(&lay);
	msg_init(&m, MSG_TRACE_LAYOUT, 0);
	msg_set_body(&m, &lay, sizeof(lay));
	T_EQ_INT(msg_check(&m, ROLE_ATTRIBUTORD, ROLE_PACKETD, &why), 0);
	attrd_trace_layout(&ad, &m);
	T_EQ_INT(ad.tr.state, TR_FDS);
	T_EQ_INT(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
	memset(&t, 0, sizeof(t));
	msg_init(&m, MSG_TRACE_FD, 0);
	msg_set_body(&m, &t, sizeof(t));
	msg_set_fd(&m, p[0]);
	attrd_trace_fd(&ad, &m);
	T_EQ_INT(m.fd, -1);		/* taken */
	T_EQ_INT(ad.tr.state, TR_ON);
	T_CHECK(ad.ac.ft == &ad.ft);
	T_EQ_INT(ad.tr.fd[0], p[0]);
	close(p[1]);
}

/*
 * This process: found by its event, described from /proc (path,
 * command line, cwd, parents, user, cgroup, the variables asked for,
 * also past procfs's MAX_ENV_NAMES, and the md5), then from the cache.
 */
static void
test_self(void)
{
	static struct msg	 out;
	static char		 name[NENV][16];
	struct msg_conn_attr	 ca;
	char			 cwd[PATH_MAX], want[64];
	const char		*v;
	unsigned int		 i, n;

	for (i = 0; i < NENV; i++) {
		snprintf(name[i], sizeof(name[i]), "ATTRD_T%u", i);
		snprintf(ad.env[i], sizeof(ad.env[i]), "%s", name[i]);
		ad.envp[i] = ad.env[i];
	}
	ad.nenv = NENV;
	ad.need_md5 = 1;
	flow(40000, getpid(), attr_now() - 1000);
	attribute(1, 40000, &ca, &out);
	T_EQ_INT(ca.source, SRC_FTRACE);
	T_EQ_INT(ca.pid, getpid());
	T_EQ_INT(ca.ppid, getppid());
	T_EQ_INT(ca.puid, getuid());
	T_EQ_INT(ca.flags, 0);
	T_CHECK(ca.start_time != 0);
	T_CHECK(ca.attr_ns > 0);
	T_EQ_STR(msg_get_str(&out, ATTR_PROC_PATH), self);
	v = msg_get_str(&out, ATTR_PROC_CMDLINE);
	T_CHECK(v != NULL && strncmp(v, argv0, strlen(argv0)) == 0);
	T_CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	T_EQ_STR(msg_get_str(&out, ATTR_PROC_CWD), cwd);
	T_CHECK(msg_get_str(&out, ATTR_PROC_MD5) != NULL &&
	    strlen(msg_get_str(&out, ATTR_PROC_MD5)) == 32);
	T_CHECK(msg_get_str(&out, ATTR_CGROUP) != NULL);
	T_CHECK(msg_attr_count(&out, ATTR_PROC_PARENT) >= 1);
	/* Every other variable is set, the odd ones are not. */
	n = msg_attr_count(&out, ATTR_PROC_ENV);
	T_EQ_INT(n, NENV / 2);
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "ATTRD_T%u=v%u", 2 * i, 2 * i);
		T_EQ_STR(msg_get_str_n(&out, ATTR_PROC_ENV, i), want);
	}
	T_EQ_INT(ad.st.read, 1);

	/* Its next connection: the same description, no /proc read. */
	flow(40001, getpid(), attr_now() - 1000);
	attribute(2, 40001, &ca, &out);
	T_EQ_INT(ca.source, SRC_FTRACE);
	T_EQ_INT(ca.pid, getpid());
	T_EQ_STR(msg_get_str(&out, ATTR_PROC_PATH), self);
	T_EQ_INT(msg_attr_count(&out, ATTR_PROC_ENV), NENV / 2);
	T_EQ_INT(ad.st.read, 1);
	T_EQ_INT(ad.cache.hits, 1);
}

/*
 * The process exec'd after the packet left: what sent it is no longer
 * what runs.  Unknown, and flagged.
 */
static void
test_exec_after(void)
{
	static struct msg	 out;
	struct msg_conn_attr	 ca;
	struct proc_entry	*pe;
	uint64_t		 ts = attr_now() - 1000000;

	pe = proctable_get(&ad.pt, getpid());
	T_CHECK(pe != NULL);
	if (pe == NULL)
		return;
	pe->exec_ts = ts + 10;
	flow(40002, getpid(), ts);
	attribute(3, 40002, &ca, &out);
	T_EQ_INT(ca.source, SRC_NONE);
	T_EQ_INT(ca.pid, 0);
	T_EQ_INT(ca.flags, CONN_F_RACED);
	T_CHECK(msg_get_str(&out, ATTR_PROC_PATH) == NULL);
	T_EQ_INT(ad.st.exec_raced, 1);
	pe->exec_ts = 0;
}

/* Ended before it could be read: the table's exec path, flagged. */
static void
test_gone(void)
{
	static struct msg	 out;
	struct msg_conn_attr	 ca;
	struct proc_entry	*pe;
	uint64_t		 now = attr_now();

	pe = proctable_add(&ad.pt, GONE, GONE, now - 3000);
	pe->born_ts = now - 3000;
	pe->exec_ts = now - 2500;
	pe->ppid = getpid();
	T_EQ_INT(proctable_set_path(pe, "/gone/prog", 10, PE_EXEC), 0);
	pe->flags |= PE_EXITED;
	pe->exit_ts = now - 500;
	flow(40003, GONE, now - 1000);
	attribute(4, 40003, &ca, &out);
	T_EQ_INT(ca.source, SRC_FTRACE);
	T_EQ_INT(ca.pid, GONE);
	T_EQ_INT(ca.ppid, getpid());
	T_EQ_INT(ca.puid, CONN_UID_UNKNOWN);
	T_EQ_INT(ca.flags, CONN_F_RACED);
	T_EQ_STR(msg_get_str(&out, ATTR_PROC_PATH), "/gone/prog");
	T_CHECK(msg_get_str(&out, ATTR_PROC_CMDLINE) == NULL);
}

/* No event, no sock_diag: unknown, nothing made up. */
static void
test_unknown(void)
{
	static struct msg	 out;
	struct msg_conn_attr	 ca;

	attribute(5, 40099, &ca, &out);
	T_EQ_INT(ca.source, SRC_NONE);
	T_EQ_INT(ca.pid, 0);
	T_EQ_INT(ca.flags, 0);
	T_EQ_INT(out.nattrs, 1);	/* the interface only */
	T_EQ_INT(ad.st.conns, 5);
	T_EQ_INT(ad.st.by_src[SRC_FTRACE], 3);
	T_EQ_INT(ad.st.by_src[SRC_NONE], 2);
}

int
main(int argc, char *argv[])
{
	static char	 envs[NENV][32];
	char		*envp[NENV + 2];
	ssize_t		 n;
	unsigned int	 i, k = 0;
	struct stat	 nsst;
	int		 procfd;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	/* /proc/PID/environ is the environment exec gave: exec again. */
	if (getenv("ATTRD_CONN_TEST") == NULL) {
		for (i = 0; i < NENV; i += 2) {
			snprintf(envs[i], sizeof(envs[i]), "ATTRD_T%u=v%u", i,
			    i);
			envp[k++] = envs[i];
		}
		envp[k++] = "ATTRD_CONN_TEST=1";
		envp[k] = NULL;
		execve(self, argv, envp);
		perror("attributord-conn: exec");
		return 1;
	}
	(void)argc;
	argv0 = argv[0];
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	T_EQ_INT(procfs_init(&ad.pf, procfd), 0);
	/* As attributord_open(): the host's root and mount namespace. */
	ad.rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	T_CHECK(ad.rootfd != -1);
	T_EQ_INT(fstatat(procfd, "self/ns/mnt", &nsst, 0), 0);
	ad.host_mntns_dev = nsst.st_dev;
	ad.host_mntns_ino = nsst.st_ino;
	T_EQ_INT(proctable_init(&ad.pt), 0);
	attrd_cache_init(&ad.cache);
	attrd_trace_init(&ad);
	ad.ac.pt = &ad.pt;
	ad.ac.pf = &ad.pf;
	ad.ac.scan_budget_ns = PROCFS_SCAN_BUDGET_NS;
	ad.have_config = 1;

	test_handover();
	test_self();
	test_exec_after();
	test_gone();
	test_unknown();

	attrd_cache_clear(&ad.cache);
	ftrace_free(&ad.ft);
	proctable_free(&ad.pt);
	procfs_free(&ad.pf);
	return t_done("attributord-conn");
}
