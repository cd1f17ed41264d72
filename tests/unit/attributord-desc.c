/*
 * attributord-desc.c: a process described for MSG_CONN_ATTR.  The order and
 * content of the attributes; what is cut, and flagged, when a message
 * cannot hold everything; that ruled's checker takes every message
 * built, with room left for what ruled adds when it forwards it; and,
 * against this machine's /proc, a command line and an environment value
 * too long to keep.  No privileges.
 */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrd_desc.h"
#include "msg.h"
#include "procfs.h"
#include "t.h"

static void	 fill_str(char *, size_t, char);
static void	 add_parent(struct proc_attrs *, const char *);
static int	 check_as_ruled(const struct attrd_desc *, struct msg *);
static void	 test_add(void);
static void	 test_fill(void);
static void	 test_cut(void);
static void	 test_many(void);
static void	 test_raced(void);
static void	 test_procfs_cut(const char *);

static void
fill_str(char *s, size_t n, char c)
{
	memset(s, c, n - 1);
	s[0] = '/';
	s[n - 1] = '\0';
}

static void
add_parent(struct proc_attrs *a, const char *p)
{
	size_t	 off = 0, len = strlen(p) + 1;

	if (a->nparents > 0)
		off = a->parent_off[a->nparents - 1] +
		    strlen(a->parent_buf + a->parent_off[a->nparents - 1]) + 1;
	if (off + len > sizeof(a->parent_buf) || a->nparents >= MAX_PARENTS)
		return;
	memcpy(a->parent_buf + off, p, len);
	a->parent_off[a->nparents++] = (uint16_t)off;
}

/*
 * Build the message, check it as ruled would, and check that what
 * ruled adds when it forwards it (MSG_EVENT's larger body, a host name
 * and a rule name at their bounds) still fits.
 */
static int
check_as_ruled(const struct attrd_desc *d, struct msg *m)
{
	struct msg_conn_attr	 ca;
	const char		*why = "";
	char			 host[ATTRD_HOST_MAX], rule[MAX_RULE_NAME];

	memset(&ca, 0, sizeof(ca));
	ca.source = SRC_FTRACE;
	if (attrd_desc_msg(m, 42, &ca, NULL, d) == -1)
		return -1;
	if (msg_check(m, ROLE_RULED, ROLE_ATTRIBUTORD, &why) == -1) {
		fprintf(stderr, "msg_check: %s\n", why);
		return -1;
	}
	memset(host, 'h', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	memset(rule, 'r', sizeof(rule) - 1);
	rule[sizeof(rule) - 1] = '\0';
	if (m->len + sizeof(struct msg_event) - sizeof(struct msg_conn_attr) +
	    4 + sizeof(host) + 4 + sizeof(rule) > MAX_MSGSIZE ||
	    m->nattrs + 2 > MAX_ATTRS)
		return -1;
	return 0;
}

static void
test_add(void)
{
	static struct attrd_desc d;
	static char		 big[8192];
	const char		*v;
	size_t			 off = 0;
	uint16_t		 type, len;

	attrd_desc_init(&d);
	T_EQ_INT(d.puid, CONN_UID_UNKNOWN);
	T_EQ_INT(attrd_desc_add(&d, ATTR_PROC_PATH, "/usr/bin/curl"), 0);
	T_EQ_INT(attrd_desc_add(&d, ATTR_PROC_PARENT, "/bin/sh"), 0);
	T_EQ_INT(attrd_desc_add(&d, ATTR_PROC_PARENT, "/sbin/init"), 0);
	/* Not twice what may not repeat; not over a bound. */
	T_EQ_INT(attrd_desc_add(&d, ATTR_PROC_PATH, "/usr/bin/wget"), -1);
	T_EQ_INT(errno, EMSGSIZE);
	fill_str(big, 34, 'a');
	T_EQ_INT(attrd_desc_add(&d, ATTR_PROC_MD5, big), -1);
	fill_str(big, sizeof(big), 'a');
	T_EQ_INT(attrd_desc_add(&d, ATTR_PROC_CWD, big), -1);
	T_EQ_INT(d.nattrs, 3);
	T_EQ_INT(attrd_desc_next(&d, &off, &type, &v, &len), 1);
	T_EQ_INT(type, ATTR_PROC_PATH);
	T_EQ_INT(len, 14);
	T_EQ_STR(v, "/usr/bin/curl");
	T_EQ_INT(attrd_desc_next(&d, &off, &type, &v, &len), 1);
	T_EQ_STR(v, "/bin/sh");
	T_EQ_INT(attrd_desc_next(&d, &off, &type, &v, &len), 1);
	T_EQ_STR(v, "/sbin/init");
	T_EQ_INT(attrd_desc_next(&d, &off, &type, &v, &len), 0);
	/* Full: refused whole, the rest unchanged. */
	for (off = 0; off < 10; off++)
		(void)attrd_desc_add(&d, ATTR_PROC_PARENT, "/x");
	fill_str(big, 4096, 'p');
	while (attrd_desc_add(&d, ATTR_PROC_PARENT, big) == 0)
		;
	T_CHECK(d.len <= sizeof(d.buf));
	T_CHECK(d.len + 4 + 4096 > sizeof(d.buf) ||
	    d.nattrs == ATTRD_DESC_MAX_ATTRS);
}

/* Everything present: order, values, the flags from /proc's reading. */
static void
test_fill(void)
{
	static struct attrd_desc d;
	static struct proc_attrs a;
	static struct msg	 m;
	const char		*names[] = { "HOME", "UNSET", "LONG" };
	const char		*vals[] = { "/root", NULL, NULL };
	struct attrd_env	 env = { names, vals, 1ULL << 2, 3 };
	static const uint16_t	 order[] = { ATTR_PROC_PATH, ATTR_PROC_MD5,
	    ATTR_USER_NAME, ATTR_PROC_CMDLINE, ATTR_PROC_CWD, ATTR_CGROUP,
	    ATTR_PROC_ENV, ATTR_PROC_PARENT, ATTR_PROC_PARENT };
	const char		*v;
	size_t			 off = 0, i;
	uint16_t		 type, len;

	memset(&a, 0, sizeof(a));
	a.want = a.have = PA_STAT | PA_EXE | PA_CMDLINE | PA_CWD |
	    PA_PARENTS | PA_UID | PA_ENV | PA_MD5 | PA_CGROUP;
	a.exe_deleted = 1;
	snprintf(a.exe, sizeof(a.exe), "/usr/bin/curl");
	snprintf(a.md5, sizeof(a.md5), "0123456789abcdef0123456789abcdef");
	snprintf(a.user, sizeof(a.user), "alice");
	snprintf(a.cmdline, sizeof(a.cmdline), "curl -s https://x/");
	snprintf(a.cwd, sizeof(a.cwd), "/home/alice");
	snprintf(a.cgroup, sizeof(a.cgroup), "/user.slice");
	a.cmdline_cut = 1;
	add_parent(&a, "/usr/bin/bash");
	add_parent(&a, "/sbin/init");
	attrd_desc_init(&d);
	attrd_desc_fill(&d, "/usr/bin/curl", &a, &env);
	for (i = 0; attrd_desc_next(&d, &off, &type, &v, &len); i++) {
		T_CHECK(i < sizeof(order) / sizeof(order[0]));
		if (i < sizeof(order) / sizeof(order[0]))
			T_EQ_INT(type, order[i]);
		if (type == ATTR_PROC_ENV)
			T_EQ_STR(v, "HOME=/root");
		if (type == ATTR_PROC_PARENT && i == 7)
			T_EQ_STR(v, "/usr/bin/bash");
	}
	T_EQ_INT(i, sizeof(order) / sizeof(order[0]));
	/* Deleted, command line cut, one variable's value unknown. */
	T_EQ_INT(d.flags, CONN_F_DELETED | CONN_F_CMDLINE_CUT |
	    CONN_F_ATTRS_CUT);
	T_EQ_INT(check_as_ruled(&d, &m), 0);
	T_EQ_STR(msg_get_str(&m, ATTR_PROC_PATH), "/usr/bin/curl");
	T_EQ_INT(msg_attr_count(&m, ATTR_PROC_PARENT), 2);
	T_EQ_STR(msg_get_str_n(&m, ATTR_PROC_PARENT, 1), "/sbin/init");

	/* A process gone before /proc was read: the table's path only. */
	attrd_desc_init(&d);
	attrd_desc_fill(&d, "/tmp/x", NULL, NULL);
	T_EQ_INT(d.nattrs, 1);
	T_EQ_INT(d.flags, 0);
	attrd_desc_init(&d);
	attrd_desc_fill(&d, NULL, NULL, NULL);
	T_EQ_INT(d.nattrs, 0);
	T_EQ_INT(check_as_ruled(&d, &m), 0);
}

/*
 * Every attribute at its longest: what does not fit is left out, the
 * parents stay a prefix of the chain, and the message still passes.
 */
static void
test_cut(void)
{
	static struct attrd_desc d;
	static struct proc_attrs a;
	static struct msg	 m;
	static char		 path[MAX_PROC_PATH], vbuf[4000];
	const char		*names[] = { "A", "B" };
	const char		*vals[] = { vbuf, vbuf };
	struct attrd_env	 env = { names, vals, 0, 2 };
	const char		*v;
	size_t			 off = 0;
	uint16_t		 type, len;
	unsigned int		 parents = 0;
	int			 last_parent = 0, gap = 0;

	memset(&a, 0, sizeof(a));
	a.want = a.have = PA_STAT | PA_EXE | PA_CMDLINE | PA_CWD |
	    PA_PARENTS | PA_UID | PA_ENV | PA_MD5 | PA_CGROUP;
	fill_str(path, sizeof(path), 'p');
	fill_str(a.cmdline, sizeof(a.cmdline), 'c');
	fill_str(a.cwd, sizeof(a.cwd), 'w');
	fill_str(a.cgroup, sizeof(a.cgroup), 'g');
	fill_str(vbuf, sizeof(vbuf), 'v');
	fill_str(a.user, sizeof(a.user), 'u');
	snprintf(a.md5, sizeof(a.md5), "0123456789abcdef0123456789abcdef");
	add_parent(&a, "/short/parent");
	add_parent(&a, path);
	add_parent(&a, "/sbin/init");
	attrd_desc_init(&d);
	attrd_desc_fill(&d, path, &a, &env);
	T_CHECK(d.flags & CONN_F_ATTRS_CUT);
	T_CHECK(!(d.flags & CONN_F_RACED));
	T_CHECK(d.len <= ATTRD_DESC_MAX);
	while (attrd_desc_next(&d, &off, &type, &v, &len)) {
		if (type == ATTR_PROC_PARENT) {
			parents++;
			if (!last_parent && parents > 1)
				gap = 1;
		}
		last_parent = type == ATTR_PROC_PARENT;
	}
	T_EQ_INT(gap, 0);
	T_CHECK(parents < 3);
	T_EQ_INT(check_as_ruled(&d, &m), 0);
	/* The most useful came first and are all there. */
	T_CHECK(msg_get_str(&m, ATTR_PROC_PATH) != NULL);
	T_CHECK(msg_get_str(&m, ATTR_PROC_MD5) != NULL);
	T_CHECK(msg_get_str(&m, ATTR_PROC_CMDLINE) != NULL);
	T_CHECK(msg_get_str(&m, ATTR_PROC_CWD) != NULL);
}

/* More variables and parents than a message may count. */
static void
test_many(void)
{
	static struct attrd_desc d;
	static struct proc_attrs a;
	static struct msg	 m;
	static char		 nbuf[MAX_NEED_ENV][8];
	const char		*names[MAX_NEED_ENV], *vals[MAX_NEED_ENV];
	struct attrd_env	 env = { names, vals, 0, MAX_NEED_ENV };
	unsigned int		 i;

	for (i = 0; i < MAX_NEED_ENV; i++) {
		snprintf(nbuf[i], sizeof(nbuf[i]), "V%u", i);
		names[i] = nbuf[i];
		vals[i] = "1";
	}
	memset(&a, 0, sizeof(a));
	a.want = a.have = PA_STAT | PA_ENV | PA_PARENTS;
	for (i = 0; i < MAX_PARENTS; i++)
		add_parent(&a, "/p");
	attrd_desc_init(&d);
	attrd_desc_fill(&d, "/bin/x", &a, &env);
	T_EQ_INT(d.nattrs, ATTRD_DESC_MAX_ATTRS);
	T_CHECK(d.flags & CONN_F_ATTRS_CUT);
	T_EQ_INT(check_as_ruled(&d, &m), 0);
}

/* Asked for but not read: the process was leaving. */
static void
test_raced(void)
{
	static struct attrd_desc d;
	static struct proc_attrs a;

	memset(&a, 0, sizeof(a));
	a.want = PA_STAT | PA_EXE | PA_CMDLINE | PA_CWD;
	a.have = PA_STAT | PA_EXE;
	snprintf(a.exe, sizeof(a.exe), "/bin/x");
	attrd_desc_init(&d);
	attrd_desc_fill(&d, a.exe, &a, NULL);
	T_EQ_INT(d.flags, CONN_F_RACED);
	T_EQ_INT(d.nattrs, 1);
}

/*
 * A real process whose command line and one environment value are too
 * long: procfs says so, and the description flags both.
 */
static void
test_procfs_cut(const char *self)
{
	static struct proc_attrs a;
	static struct attrd_desc d;
	static char		 arg[3000], envv[ENV_BUF + 100];
	const char		*names[] = { "ATTRD_LONG", "ATTRD_SHORT" };
	const char		*vals[2];
	struct attrd_env	 env = { names, vals, 0, 2 };
	char			*argv[] = { (char *)self, "hold", arg, arg,
				    NULL };
	char			*envp[] = { envv, "ATTRD_SHORT=ok", NULL };
	static struct procfs	 pf;
	int			 p[2], procfd, i;
	pid_t			 pid;

	memset(arg, 'a', sizeof(arg) - 1);
	snprintf(envv, sizeof(envv), "ATTRD_LONG=");
	memset(envv + 11, 'e', sizeof(envv) - 12);
	T_EQ_INT(pipe(p), 0);
	if ((pid = fork()) == 0) {
		dup2(p[0], 0);
		close(p[1]);
		execve(self, argv, envp);
		_exit(127);
	}
	close(p[0]);
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	T_EQ_INT(procfs_init(&pf, procfd), 0);
	/* Until the child has exec'd, its cmdline is ours. */
	for (i = 0; i < 500; i++) {
		if (procfs_read_attrs(&pf, pid, 0, PA_CMDLINE | PA_ENV, names,
		    2, &a) == 0 && (a.have & PA_CMDLINE) &&
		    strncmp(a.cmdline + strlen(self), " hold", 5) == 0)
			break;
		usleep(2000);
	}
	/* Cut: the words that fitted whole. */
	T_EQ_INT(a.cmdline_cut, 1);
	T_EQ_INT(strlen(a.cmdline), strlen(self) + 5 + 1 + sizeof(arg) - 1);
	T_EQ_INT(a.env_cut, 1);
	T_CHECK(procfs_env(&a, 0) == NULL);
	T_EQ_STR(procfs_env(&a, 1), "ok");
	vals[0] = procfs_env(&a, 0);
	vals[1] = procfs_env(&a, 1);
	env.unknown = a.env_cut;
	attrd_desc_init(&d);
	attrd_desc_fill(&d, self, &a, &env);
	T_EQ_INT(d.flags, CONN_F_CMDLINE_CUT | CONN_F_ATTRS_CUT);
	close(p[1]);
	waitpid(pid, NULL, 0);
	procfs_free(&pf);
	close(procfd);
}

int
main(int argc, char *argv[])
{
	char	 c, self[4096];
	ssize_t	 n;

	if (argc > 1 && strcmp(argv[1], "hold") == 0) {
		(void)!read(0, &c, 1);
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	test_add();
	test_fill();
	test_cut();
	test_many();
	test_raced();
	test_procfs_cut(self);
	return t_done("attributord-desc");
}
