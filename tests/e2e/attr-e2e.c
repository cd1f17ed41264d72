/*
 * attr-e2e.c: attribution against the real kernel.  Creates its own
 * tracefs instance (removed at the end, also on failure) and runs every
 * connection inside a network namespace it creates: traffic is on that
 * namespace's loopback only, and no firewall rule is installed anywhere.
 * Needs root; prints a skip and exits 77 otherwise.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>

#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftrace.h"
#include "procfs.h"
#include "proctable.h"
#include "resolve.h"
#include "sockdiag.h"
#include "tracefs.h"
#include "../unit/t.h"

#define TCP_PORT	18080
#define UDP_PORT	18053
#define WAIT_MS		5000

struct attr_report {			/* as attr-client.c writes it */
	int32_t		pid;
	int32_t		tid;
	uint16_t	sport;
	uint16_t	pad;
	int32_t		err;
};

struct client {
	pid_t		pid;		/* host pid */
	int		report;		/* read end of its fd 3 */
	int		go;		/* write end of its fd 4 */
	struct attr_report rep;
};

static void	 cleanup(void);
static void	 on_alarm(int);
static int	 lo_up(void);
static int	 copy_file(const char *, const char *);
static int	 spawn(struct client *, const char *, const char *,
		    const char *, const char *, int);
static void	 keep_up(void);
static int	 read_report(struct client *);
static void	 finish(struct client *);
static void	 tuple_for(struct conn_tuple *, int, int, const char *,
		    uint16_t, uint16_t);
static void	 resolve(const struct conn_tuple *, int, struct attr_who *);
static int	 listen_on(int, const char *, int);
static void	 test_basic(void);
static void	 test_thread(void);
static void	 test_udp_exit(void);
static void	 test_rename(void);
static void	 test_deleted(void);
static void	 test_attrs(void);
static void	 test_pidns(void);
static void	 test_raw(void);
static int	 caps_child(int, int, uint32_t, pid_t);
static void	 test_caps(int);
static void	 test_tracefs(void);

static struct tracefs	 tfs;
static struct ftrace	 ft;
static struct proctable	 pt;
static struct sockdiag	 sd;
static struct procfs	 pf;
static int		 have_tfs;
static int		 have_tmpdir;
static pid_t		 main_pid;
static char		 tmpdir[64] = "/tmp/tattle-attr-XXXXXX";
static char		 client_path[PATH_MAX];
static char		 client_src[PATH_MAX + 16];
static unsigned int	 n_ftrace, n_sockdiag, n_unknown;

static void
cleanup(void)
{
	char	 cmd[128];

	if (have_tfs) {
		ftrace_free(&ft);
		tracefs_stop(&tfs);
		tracefs_close(&tfs);
		(void)tracefs_remove(tfs.owner);
		have_tfs = 0;
	}
	if (have_tmpdir && getpid() == main_pid) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		(void)!system(cmd);
		have_tmpdir = 0;
	}
}

static void
on_alarm(int sig)
{
	(void)sig;
	/* Stop tracing and remove the instance even when a test hangs. */
	if (have_tfs) {
		tracefs_stop(&tfs);
		tracefs_close(&tfs);
		(void)tracefs_remove(tfs.owner);
	}
	_exit(1);
}

static int
lo_up(void)
{
	struct ifreq	 ifr;
	int		 s, r;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	r = ioctl(s, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (r == 0)
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	close(s);
	return r;
}

static int
copy_file(const char *from, const char *to)
{
	char	 buf[65536];
	ssize_t	 n;
	int	 in, out, r = 0;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755)) ==
	    -1) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			r = -1;
	if (n == -1)
		r = -1;
	close(in);
	if (close(out) == -1)
		r = -1;
	return r;
}

static int
listen_on(int family, const char *addr, int port)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&ss;
	socklen_t		 sl;
	int			 s;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, addr, &s4->sin_addr);
		sl = sizeof(*s4);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, addr, &s6->sin6_addr);
		sl = sizeof(*s6);
	}
	if ((s = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&ss, sl) == -1 || listen(s, 64) == -1)
		return -1;
	return s;
}

/*
 * Start path with argv0, mode, addr, port; its fds 3 and 4 are our
 * pipes.  With pidns, it runs as pid 1 of a new pid namespace and
 * c->pid is its host pid.
 */
static int
spawn(struct client *c, const char *path, const char *argv0,
    const char *mode, const char *addr, int pidns)
{
	char	 port[8];
	int	 rp[2], gp[2], hp[2];
	pid_t	 pid, inner;

	memset(c, 0, sizeof(*c));
	snprintf(port, sizeof(port), "%d", strstr(mode, "udp") != NULL ?
	    UDP_PORT : TCP_PORT);
	if (pipe2(rp, O_CLOEXEC) == -1 || pipe2(gp, O_CLOEXEC) == -1 ||
	    pipe2(hp, O_CLOEXEC) == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if (dup2(rp[1], 3) == -1 || dup2(gp[0], 4) == -1)
			_exit(120);
		if (pidns) {
			if (unshare(CLONE_NEWPID) == -1)
				_exit(121);
			if ((inner = fork()) == -1)
				_exit(122);
			if (inner > 0) {
				if (write(hp[1], &inner, sizeof(inner)) !=
				    sizeof(inner))
					_exit(123);
				waitpid(inner, NULL, 0);
				_exit(0);
			}
		}
		execl(path, argv0, mode, addr, port, (char *)NULL);
		_exit(127);
	}
	close(rp[1]);
	close(gp[0]);
	close(hp[1]);
	c->report = rp[0];
	c->go = gp[1];
	c->pid = pid;
	if (pidns && read(hp[0], &c->pid, sizeof(c->pid)) !=
	    sizeof(c->pid))
		c->pid = -1;
	close(hp[0]);
	return 0;
}

/*
 * Read the ring while waiting, as attributord does between packets:
 * with other tests running, an unread ring overflows, and a loss rightly
 * keeps ftrace out of the next attributions (FTRACE_FLOW_KEEP_NS).
 */
static void
keep_up(void)
{
	struct attr_ctx	 ac;

	memset(&ac, 0, sizeof(ac));
	ac.pt = &pt;
	ac.pf = &pf;
	(void)ftrace_drain(&ft, attr_now(), attr_event_cb, &ac);
}

static int
read_report(struct client *c)
{
	struct pollfd	 p = { c->report, POLLIN, 0 };
	int		 i;

	for (i = 0; i < WAIT_MS / 20; i++) {
		if (poll(&p, 1, 20) == 1)
			break;
		keep_up();
	}
	if (i == WAIT_MS / 20)
		return -1;
	return read(c->report, &c->rep, sizeof(c->rep)) ==
	    (ssize_t)sizeof(c->rep) ? 0 : -1;
}

static void
finish(struct client *c)
{
	pid_t	 w;
	int	 i;

	(void)!write(c->go, "x", 1);
	close(c->go);
	close(c->report);
	/* Reap the direct child (in the pid-ns case, the intermediate). */
	for (i = 0; i < 500; i++) {
		w = waitpid(-1, NULL, WNOHANG);
		if (w <= 0)
			break;
	}
	while (waitpid(-1, NULL, 0) > 0)
		;
}

static void
tuple_for(struct conn_tuple *t, int family, int proto, const char *daddr,
    uint16_t sport, uint16_t dport)
{
	memset(t, 0, sizeof(*t));
	t->family = (uint8_t)family;
	t->proto = (uint8_t)proto;
	t->sport = sport;
	t->dport = dport;
	inet_pton(family, daddr, t->daddr);
	inet_pton(family, daddr, t->saddr);	/* loopback to loopback */
}

static void
resolve(const struct conn_tuple *t, int use_ftrace, struct attr_who *w)
{
	struct attr_ctx	 ac;

	memset(&ac, 0, sizeof(ac));
	ac.ft = use_ftrace ? &ft : NULL;
	ac.pt = &pt;
	ac.sd = &sd;
	ac.pf = &pf;
	ac.scan_budget_ns = PROCFS_SCAN_BUDGET_NS;
	attr_resolve(&ac, t, attr_now(), w);
	if (w->source == ATTR_SRC_FTRACE)
		n_ftrace++;
	else if (w->source == ATTR_SRC_SOCKDIAG)
		n_sockdiag++;
	else
		n_unknown++;
}

/*
 * TCP, UDP and UDPLITE, v4 and v6, and IPv4 from an AF_INET6 socket
 * (::ffff:127.0.0.1): the exact path and pid, by ftrace and by
 * sock_diag + /proc.
 */
static void
test_basic(void)
{
	static const struct { const char *mode, *addr, *tuple_addr;
	    int fam, proto, ft; } cases[] = {
		{ "tcp", "127.0.0.1", "127.0.0.1", AF_INET, IPPROTO_TCP, 1 },
		{ "tcp", "::1", "::1", AF_INET6, IPPROTO_TCP, 1 },
		{ "tcp", "::1", "::1", AF_INET6, IPPROTO_TCP, 0 },
		{ "tcp", "::ffff:127.0.0.1", "127.0.0.1", AF_INET,
		    IPPROTO_TCP, 1 },
		{ "udp", "127.0.0.1", "127.0.0.1", AF_INET, IPPROTO_UDP, 0 },
		{ "udp", "::1", "::1", AF_INET6, IPPROTO_UDP, 0 },
		{ "udp", "127.0.0.1", "127.0.0.1", AF_INET, IPPROTO_UDP, 1 },
		{ "udp", "::1", "::1", AF_INET6, IPPROTO_UDP, 1 },
		{ "udp", "::ffff:127.0.0.1", "127.0.0.1", AF_INET,
		    IPPROTO_UDP, 0 },
		{ "udp", "::ffff:127.0.0.1", "127.0.0.1", AF_INET,
		    IPPROTO_UDP, 1 },
		{ "udplite", "127.0.0.1", "127.0.0.1", AF_INET,
		    IPPROTO_UDPLITE, 0 },
		/* No ports in the fib events for UDPLITE: sock_diag. */
		{ "udplite", "::1", "::1", AF_INET6, IPPROTO_UDPLITE, 1 },
	};
	struct client		 c;
	struct conn_tuple	 t;
	struct attr_who		 w;
	unsigned int		 i;
	int			 before = t_failed;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		T_EQ_INT(spawn(&c, client_path, client_path, cases[i].mode,
		    cases[i].addr, 0), 0);
		T_EQ_INT(read_report(&c), 0);
		T_EQ_INT(c.rep.err, 0);
		tuple_for(&t, cases[i].fam, cases[i].proto,
		    cases[i].tuple_addr, c.rep.sport,
		    cases[i].proto == IPPROTO_TCP ? TCP_PORT : UDP_PORT);
		resolve(&t, cases[i].ft, &w);
		T_EQ_INT(w.source, cases[i].ft && cases[i].proto !=
		    IPPROTO_UDPLITE ? ATTR_SRC_FTRACE : ATTR_SRC_SOCKDIAG);
		T_EQ_INT(w.pid, c.pid);
		T_EQ_STR(w.exec_path, client_path);
		if (w.source == ATTR_SRC_SOCKDIAG) {
			T_CHECK(w.inode != 0);
			T_EQ_INT(w.sock_uid, 0);
		}
		if (t_failed != before) {
			fprintf(stderr, "case %u: %s %s src %d pid %d/%d\n",
			    i, cases[i].mode, cases[i].addr, w.source, w.pid,
			    c.pid);
			before = t_failed;
		}
		finish(&c);
	}
}

/* A connect from a second thread belongs to the process. */
static void
test_thread(void)
{
	struct client		 c;
	struct conn_tuple	 t;
	struct attr_who		 w;

	T_EQ_INT(spawn(&c, client_path, client_path, "tcp-thread",
	    "127.0.0.1", 0), 0);
	T_EQ_INT(read_report(&c), 0);
	T_CHECK(c.rep.tid != c.rep.pid);
	tuple_for(&t, AF_INET, IPPROTO_TCP, "127.0.0.1", c.rep.sport,
	    TCP_PORT);
	resolve(&t, 1, &w);
	T_EQ_INT(w.source, ATTR_SRC_FTRACE);
	T_EQ_INT(w.pid, c.pid);
	T_EQ_INT(w.tid, c.rep.tid);
	T_EQ_STR(w.exec_path, client_path);
	finish(&c);
}

/* One UDP datagram, then _exit: gone before anyone looks. */
static void
test_udp_exit(void)
{
	static const char *const addrs[] = { "127.0.0.1", "::1" };
	struct client		 c;
	struct conn_tuple	 t;
	struct attr_who		 w;
	unsigned int		 i;
	int			 st;

	for (i = 0; i < 2; i++) {
		T_EQ_INT(spawn(&c, client_path, client_path, "udp-exit",
		    addrs[i], 0), 0);
		T_EQ_INT(read_report(&c), 0);
		T_EQ_INT(waitpid(c.pid, &st, 0), c.pid);
		tuple_for(&t, i ? AF_INET6 : AF_INET, IPPROTO_UDP, addrs[i],
		    c.rep.sport, UDP_PORT);
		/* sock_diag + /proc alone cannot know it any more. */
		resolve(&t, 0, &w);
		T_EQ_INT(w.source, ATTR_SRC_UNKNOWN);
		resolve(&t, 1, &w);
		T_EQ_INT(w.source, ATTR_SRC_FTRACE);
		T_EQ_INT(w.pid, c.pid);
		T_EQ_INT(w.exited, 1);
		T_EQ_STR(w.exec_path, client_path);
		close(c.go);
		close(c.report);
	}
}

/* Renamed after exec: the exec path stands; /proc shows the new name. */
static void
test_rename(void)
{
	struct client		 c;
	struct conn_tuple	 t;
	struct attr_who		 w;
	static struct proc_attrs a;
	char			 path[PATH_MAX], moved[PATH_MAX];

	snprintf(path, sizeof(path), "%s/tattle-test-client-ren", tmpdir);
	snprintf(moved, sizeof(moved), "%s/renamed-elsewhere", tmpdir);
	T_EQ_INT(copy_file(client_src, path), 0);
	T_EQ_INT(spawn(&c, path, path, "wait-tcp", "127.0.0.1", 0), 0);
	T_EQ_INT(read_report(&c), 0);
	T_EQ_INT(rename(path, moved), 0);
	T_EQ_INT(write(c.go, "g", 1), 1);
	T_EQ_INT(read_report(&c), 0);
	tuple_for(&t, AF_INET, IPPROTO_TCP, "127.0.0.1", c.rep.sport,
	    TCP_PORT);
	resolve(&t, 1, &w);
	T_EQ_INT(w.source, ATTR_SRC_FTRACE);
	T_EQ_INT(w.pid, c.pid);
	T_EQ_STR(w.exec_path, path);
	T_EQ_INT(procfs_read_attrs(&pf, c.pid, 0, PA_EXE, NULL, 0, &a), 0);
	T_EQ_STR(a.exe, moved);
	finish(&c);
}

/*
 * Deleted while running: reported as deleted, and its md5 is the running
 * image's, not that of another file put at the same path.
 */
static void
test_deleted(void)
{
	struct client		 c;
	struct conn_tuple	 t;
	struct attr_who		 w;
	static struct proc_attrs a;
	char			 path[PATH_MAX], want[MD5_DIGEST_STRING_LENGTH],
				 other[MD5_DIGEST_STRING_LENGTH];

	snprintf(path, sizeof(path), "%s/tattle-test-client-del", tmpdir);
	T_EQ_INT(copy_file(client_src, path), 0);
	T_CHECK(MD5File(path, want) != NULL);
	T_EQ_INT(spawn(&c, path, path, "wait-udp", "127.0.0.1", 0), 0);
	T_EQ_INT(read_report(&c), 0);
	T_EQ_INT(unlink(path), 0);
	T_EQ_INT(copy_file("/bin/true", path), 0);
	T_CHECK(MD5File(path, other) != NULL);
	T_EQ_INT(write(c.go, "g", 1), 1);
	T_EQ_INT(read_report(&c), 0);
	tuple_for(&t, AF_INET, IPPROTO_UDP, "127.0.0.1", c.rep.sport,
	    UDP_PORT);
	resolve(&t, 0, &w);
	T_EQ_INT(w.source, ATTR_SRC_SOCKDIAG);
	T_EQ_INT(w.pid, c.pid);
	T_EQ_INT(procfs_read_attrs(&pf, c.pid, w.start_time, PA_EXE | PA_MD5,
	    NULL, 0, &a), 0);
	T_CHECK(a.have & PA_EXE);
	T_EQ_INT(a.exe_deleted, 1);
	T_EQ_STR(a.exe, path);
	T_EQ_STR(a.md5, want);
	T_CHECK(strcmp(a.md5, other) != 0);
	resolve(&t, 1, &w);
	T_EQ_INT(w.source, ATTR_SRC_FTRACE);
	T_EQ_STR(w.exec_path, path);
	finish(&c);
}

/*
 * argv[0] says firefox; the path says what really runs.  And the other
 * attributes: command line, cwd, uid and user name, environment, parent
 * chain to pid 1, cgroup.
 */
static void
test_attrs(void)
{
	static const char *const env[] = { "TATTLE_E2E_VAR", "TATTLE_UNSET" };
	struct client		 c;
	struct conn_tuple	 t;
	struct attr_who		 w;
	static struct proc_attrs a;
	char			 want[PATH_MAX + 64], self[PATH_MAX],
				 cwd[PATH_MAX], init[PATH_MAX],
				 cg[MAX_CGROUP], best[MAX_CGROUP], *nl;
	unsigned int		 i;
	pid_t			 pid;
	int			 ppid;
	ssize_t			 n;
	FILE			*f;

	T_EQ_INT(spawn(&c, client_path, "/usr/bin/firefox", "tcp",
	    "127.0.0.1", 0), 0);
	T_EQ_INT(read_report(&c), 0);
	tuple_for(&t, AF_INET, IPPROTO_TCP, "127.0.0.1", c.rep.sport,
	    TCP_PORT);
	resolve(&t, 1, &w);
	T_EQ_INT(w.source, ATTR_SRC_FTRACE);
	T_EQ_STR(w.exec_path, client_path);
	T_EQ_INT(procfs_read_attrs(&pf, c.pid, w.start_time, PA_EXE |
	    PA_CMDLINE | PA_CWD | PA_UID | PA_ENV | PA_PARENTS | PA_CGROUP,
	    env, 2, &a), 0);
	T_EQ_INT(a.have, a.want);
	T_EQ_STR(a.exe, client_path);
	T_EQ_INT(a.exe_deleted, 0);
	snprintf(want, sizeof(want), "/usr/bin/firefox tcp 127.0.0.1 %d",
	    TCP_PORT);
	T_EQ_STR(a.cmdline, want);
	T_CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	T_EQ_STR(a.cwd, cwd);
	T_EQ_INT(a.uid, 0);
	T_EQ_STR(a.user, "root");
	T_EQ_INT(a.nenv, 2);
	T_EQ_STR(procfs_env(&a, 0), "value with spaces=and equals");
	T_CHECK(procfs_env(&a, 1) == NULL);
	T_EQ_INT(a.ppid, getpid());
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	T_CHECK(a.nparents >= 1);
	T_EQ_STR(procfs_parent(&a, 0), self);
	/* The chain again, walked here with stdio: the readable exes. */
	for (i = 0, pid = getpid(); pid > 0 && i < MAX_PARENTS; pid = ppid) {
		snprintf(cwd, sizeof(cwd), "/proc/%d/exe", (int)pid);
		if ((n = readlink(cwd, init, sizeof(init) - 1)) > 0) {
			init[n] = '\0';
			procfs_strip_deleted(init);
			T_EQ_STR(procfs_parent(&a, i), init);
			i++;
		}
		snprintf(cwd, sizeof(cwd), "/proc/%d/stat", (int)pid);
		ppid = 0;
		if ((f = fopen(cwd, "r")) != NULL) {
			if (fgets(want, sizeof(want), f) != NULL &&
			    (nl = strrchr(want, ')')) != NULL)
				sscanf(nl + 2, "%*c %d", &ppid);
			fclose(f);
		}
		if (pid == 1)
			break;
	}
	T_EQ_INT(a.nparents, i);
	/*
	 * cgroup: the v2 path unless it is the root, then the first v1
	 * hierarchy that says more.
	 */
	best[0] = '\0';
	if ((f = fopen("/proc/self/cgroup", "r")) != NULL) {
		while (fgets(cg, sizeof(cg), f) != NULL) {
			if ((nl = strchr(cg, '\n')) != NULL)
				*nl = '\0';
			if ((nl = strchr(cg, ':')) == NULL ||
			    (nl = strchr(nl + 1, ':')) == NULL)
				continue;
			if (strncmp(cg, "0::", 3) == 0 && strcmp(nl + 1, "/"))
				snprintf(best, sizeof(best), "%s", nl + 1);
			else if (best[0] == '\0' && strcmp(nl + 1, "/"))
				snprintf(best, sizeof(best), "%s", nl + 1);
		}
		fclose(f);
	}
	T_EQ_STR(a.cgroup, best[0] ? best : "/");
	/* A start time from another process: refused, not mixed up. */
	T_EQ_INT(procfs_read_attrs(&pf, c.pid, w.start_time + 1, PA_EXE,
	    NULL, 0, &a), -1);
	finish(&c);
}

/* A process in its own pid namespace, by its host pid. */
static void
test_pidns(void)
{
	static const char *const modes[] = { "tcp", "udp" };
	struct client		 c;
	struct conn_tuple	 t;
	struct attr_who		 w;
	unsigned int		 i;

	for (i = 0; i < 2; i++) {
		T_EQ_INT(spawn(&c, client_path, client_path, modes[i],
		    "127.0.0.1", 1), 0);
		T_CHECK(c.pid > 1);
		T_EQ_INT(read_report(&c), 0);
		T_EQ_INT(c.rep.pid, 1);		/* as it sees itself */
		tuple_for(&t, AF_INET, i ? IPPROTO_UDP : IPPROTO_TCP,
		    "127.0.0.1", c.rep.sport, i ? UDP_PORT : TCP_PORT);
		resolve(&t, i == 0, &w);
		T_EQ_INT(w.source, i ? ATTR_SRC_SOCKDIAG : ATTR_SRC_FTRACE);
		T_EQ_INT(w.pid, c.pid);
		T_EQ_STR(w.exec_path, client_path);
		finish(&c);
	}
}

/* A raw ICMP sender that exits at once: unknown, and said so. */
static void
test_raw(void)
{
	struct client		 c;
	struct conn_tuple	 t;
	struct attr_who		 w;

	T_EQ_INT(spawn(&c, client_path, client_path, "raw-exit",
	    "127.0.0.1", 0), 0);
	T_EQ_INT(read_report(&c), 0);
	T_EQ_INT(c.rep.err, 0);
	waitpid(c.pid, NULL, 0);
	tuple_for(&t, AF_INET, IPPROTO_ICMP, "127.0.0.1", 0, 0);
	resolve(&t, 1, &w);
	T_EQ_INT(w.source, ATTR_SRC_UNKNOWN);
	T_EQ_INT(w.pid, -1);
	if (!sd.raw_ok)
		T_EQ_INT(w.unsupported, 1);
	close(c.go);
	close(c.report);
}

/*
 * As nobody with CAP_SYS_PTRACE + CAP_DAC_READ_SEARCH only, find a root
 * process's socket and read its attributes; without them, fail.
 */
static int
caps_child(int keep, int lsock, uint32_t inode, pid_t target)
{
	static struct proc_attrs a;
	pid_t			 pid = 0;
	int			 r;

	/* Our copy of the socket would be found first. */
	close(lsock);
	capng_clear(CAPNG_SELECT_BOTH);
	if (keep)
		capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
		    CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH, -1);
	if (capng_change_id(65534, 65534, CAPNG_DROP_SUPP_GRP |
	    CAPNG_CLEAR_BOUNDING) != 0)
		return 10;
	if (getuid() != 65534 || geteuid() != 65534)
		return 11;
	r = procfs_find_inode(&pf, inode, PROCFS_SCAN_BUDGET_NS * 10, &pid);
	if (r != 1 || pid != target) {
		if (keep)
			fprintf(stderr, "caps_child: find_inode %d pid %d: "
			    "%s\n", r, (int)pid, strerror(errno));
		return 20;
	}
	if (procfs_read_attrs(&pf, target, 0, PA_EXE | PA_CWD | PA_CMDLINE |
	    PA_ENV | PA_MD5, NULL, 0, &a) == -1)
		return 21;
	if ((a.have & (PA_EXE | PA_CWD | PA_CMDLINE | PA_ENV | PA_MD5)) !=
	    (PA_EXE | PA_CWD | PA_CMDLINE | PA_ENV | PA_MD5))
		return 22;
	return 0;
}

static void
test_caps(int lsock)
{
	char		 link[64], path[64];
	unsigned int	 inode = 0;
	pid_t		 pid;
	ssize_t		 n;
	int		 st, keep;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", lsock);
	n = readlink(path, link, sizeof(link) - 1);
	T_CHECK(n > 0);
	link[n > 0 ? n : 0] = '\0';
	T_EQ_INT(sscanf(link, "socket:[%u]", &inode), 1);
	for (keep = 1; keep >= 0; keep--) {
		if ((pid = fork()) == 0)
			_exit(caps_child(keep, lsock, inode, getppid()));
		T_EQ_INT(waitpid(pid, &st, 0), pid);
		T_CHECK(WIFEXITED(st));
		if (keep)
			T_EQ_INT(WEXITSTATUS(st), 0);
		else
			T_EQ_INT(WEXITSTATUS(st), 20);
	}
}

/*
 * The instance: nobody cannot rmdir it, but the fds kept from start-up
 * stop tracing and shrink the buffer as nobody; a dead owner's instance
 * is removed as stale; ours goes at the end (cleanup()).
 */
static void
test_tracefs(void)
{
	struct stat	 sb;
	char		 path[128], buf[64];
	pid_t		 pid, dead;
	int		 st, fd;
	ssize_t		 n;

	T_EQ_INT(stat(TRACEFS_DIR "/instances", &sb), 0);
	T_EQ_INT(sb.st_uid, 0);
	T_EQ_INT(sb.st_mode & 0022, 0);
	snprintf(path, sizeof(path), TRACEFS_DIR "/instances/%s", tfs.name);
	T_EQ_INT(stat(path, &sb), 0);
	if ((pid = fork()) == 0) {
		if (setgid(65534) == -1 || setuid(65534) == -1)
			_exit(10);
		if (rmdir(path) == 0 || (errno != EACCES && errno != EPERM))
			_exit(11);
		tracefs_stop(&tfs);
		_exit(0);
	}
	T_EQ_INT(waitpid(pid, &st, 0), pid);
	T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	snprintf(path, sizeof(path), TRACEFS_DIR "/instances/%s/tracing_on",
	    tfs.name);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	T_CHECK(n > 0 && buf[0] == '0');
	snprintf(path, sizeof(path), TRACEFS_DIR
	    "/instances/%s/buffer_size_kb", tfs.name);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	T_CHECK(atoi(buf) < TRACEFS_BUFFER_KB);

	/* Busy while a raw pipe is open: rmdir needs everything closed. */
	T_EQ_INT(tracefs_remove(tfs.owner), -1);
	T_EQ_INT(errno, EBUSY);

	if ((dead = fork()) == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	snprintf(path, sizeof(path), TRACEFS_DIR "/instances/"
	    TRACEFS_PREFIX "%d", (int)dead);
	T_EQ_INT(mkdir(path, 0700), 0);
	T_CHECK(tracefs_cleanup_stale(tfs.owner) >= 1);
	T_CHECK(stat(path, &sb) == -1 && errno == ENOENT);
}

int
main(int argc, char *argv[])
{
	char			 self[PATH_MAX], *slash, buf[65536];
	struct stat		 sb;
	ssize_t			 n;
	int			 procfd, fd, l4, l6;

	(void)argc;
	(void)argv;
	if (geteuid() != 0) {
		printf("attr-e2e: skip: needs root\n");
		return 77;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, on_alarm);
	alarm(120);
	atexit(cleanup);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return 1;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return 1;
	*slash = '\0';
	snprintf(client_src, sizeof(client_src), "%s/attr-client", self);
	setenv("TATTLE_E2E_VAR", "value with spaces=and equals", 1);
	main_pid = getpid();
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	have_tmpdir = 1;
	if (chmod(tmpdir, 0755) == -1)
		return 1;
	snprintf(client_path, sizeof(client_path),
	    "%s/tattle-test-client-%ld", tmpdir, (long)getpid());
	if (strlen(self) > PATH_MAX - 16)
		return 1;
	T_EQ_INT(copy_file(client_src, client_path), 0);

	if (tracefs_open(&tfs, getpid()) == -1) {
		fprintf(stderr, "attr-e2e: tracefs_open failed\n");
		return 1;
	}
	have_tfs = 1;
	T_EQ_INT(ftrace_init(&ft, &tfs.layout, tfs.raw, tfs.ncpu), 0);
	T_EQ_INT(proctable_init(&pt), 0);
	if (unshare(CLONE_NEWNET) == -1 || lo_up() == -1) {
		fprintf(stderr, "attr-e2e: network namespace: %s\n",
		    strerror(errno));
		return 1;
	}
	T_EQ_INT(sockdiag_open(&sd), 0);
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	T_EQ_INT(procfs_init(&pf, procfd), 0);
	if ((fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC)) != -1 &&
	    fstat(fd, &sb) == 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		T_EQ_INT(procfs_set_passwd(&pf, buf, (size_t)n), 0);
	if (fd != -1)
		close(fd);
	l4 = listen_on(AF_INET, "127.0.0.1", TCP_PORT);
	l6 = listen_on(AF_INET6, "::1", TCP_PORT);
	T_CHECK(l4 != -1 && l6 != -1);

	test_basic();
	test_thread();
	test_udp_exit();
	test_rename();
	test_deleted();
	test_attrs();
	test_pidns();
	test_raw();
	test_caps(l4);
	test_tracefs();

	printf("attr-e2e: attributed by ftrace %u, by sock_diag+/proc %u, "
	    "unknown %u; ftrace: %llu pages, %llu events, %llu lost-pages, "
	    "worst lag %.3f ms\n", n_ftrace, n_sockdiag, n_unknown,
	    (unsigned long long)ft.st.pages, (unsigned long long)ft.st.events,
	    (unsigned long long)ft.st.missed_pages, ft.st.max_lag_ns / 1e6);
	sockdiag_close(&sd);
	procfs_free(&pf);
	proctable_free(&pt);
	cleanup();
	return t_done("attr-e2e");
}
