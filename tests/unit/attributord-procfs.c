/*
 * attributord-procfs.c: the pure parts of procfs.c: OpenSnitch's command-line
 * joining, environ lookup, /proc/PID/stat parsing, the passwd snapshot,
 * the " (deleted)" suffix.
 */
#include "config.h"

#include <string.h>

#include "procfs.h"
#include "t.h"

static void	test_cmdline(void);
static void	test_env(void);
static void	test_stat(void);
static void	test_passwd(void);
static void	test_deleted(void);

#define RAW(s)	s, sizeof(s) - 1

static void
test_cmdline(void)
{
	char	 out[64];

	T_EQ_INT(procfs_join_cmdline(RAW("curl\0-s\0https://x/\0"), NULL,
	    out, sizeof(out)), 0);
	T_EQ_STR(out, "curl -s https://x/");
	/* An argument with spaces is split; runs of spaces collapse. */
	T_EQ_INT(procfs_join_cmdline(RAW("sh\0-c\0echo   a  b\0"), NULL,
	    out, sizeof(out)), 0);
	T_EQ_STR(out, "sh -c echo a b");
	/* Empty arguments vanish; tabs and newlines are trimmed at ends. */
	T_EQ_INT(procfs_join_cmdline(RAW("a\0\0\t b\n\0"), NULL, out,
	    sizeof(out)), 0);
	T_EQ_STR(out, "a b");
	/* /proc/self/exe as argv[0] becomes the executable's path. */
	T_EQ_INT(procfs_join_cmdline(RAW("/proc/self/exe\0--x\0"),
	    "/usr/bin/app", out, sizeof(out)), 0);
	T_EQ_STR(out, "/usr/bin/app --x");
	T_EQ_INT(procfs_join_cmdline(RAW("/proc/self/exe\0--x\0"), NULL,
	    out, sizeof(out)), 0);
	T_EQ_STR(out, "/proc/self/exe --x");
	/* No trailing NUL (a process rewrote its memory). */
	T_EQ_INT(procfs_join_cmdline(RAW("a\0b"), NULL, out, sizeof(out)),
	    0);
	T_EQ_STR(out, "a b");
	T_EQ_INT(procfs_join_cmdline("", 0, NULL, out, sizeof(out)), 0);
	T_EQ_STR(out, "");
	/* Too long: -1, and what fitted, NUL-terminated. */
	T_EQ_INT(procfs_join_cmdline(RAW("abcdef\0ghij\0"), NULL, out, 9),
	    -1);
	T_EQ_STR(out, "abcdef");
	T_EQ_INT(procfs_join_cmdline(RAW("abc\0"), NULL, out, 0), -1);
}

static void
test_env(void)
{
	static const char env[] = "HOME=/root\0PATH=/bin\0EMPTY=\0"
	    "PATHX=no\0A=b=c\0";
	char		 v[16];

	T_EQ_INT(procfs_env_find(env, sizeof(env) - 1, "PATH", v,
	    sizeof(v)), 1);
	T_EQ_STR(v, "/bin");
	T_EQ_INT(procfs_env_find(env, sizeof(env) - 1, "EMPTY", v,
	    sizeof(v)), 1);
	T_EQ_STR(v, "");
	T_EQ_INT(procfs_env_find(env, sizeof(env) - 1, "A", v, sizeof(v)),
	    1);
	T_EQ_STR(v, "b=c");
	T_EQ_INT(procfs_env_find(env, sizeof(env) - 1, "PAT", v, sizeof(v)),
	    0);
	T_EQ_INT(procfs_env_find(env, sizeof(env) - 1, "home", v, sizeof(v)),
	    0);
	T_EQ_INT(procfs_env_find(env, sizeof(env) - 1, "", v, sizeof(v)), 0);
	T_EQ_INT(procfs_env_find(env, sizeof(env) - 1, "HOME", v, 4), -1);
	/* Unterminated last entry. */
	T_EQ_INT(procfs_env_find("X=1", 3, "X", v, sizeof(v)), 1);
	T_EQ_STR(v, "1");
}

static void
test_stat(void)
{
	static const char st[] = "4242 (my (odd) prog) S 17 4242 4242 0 -1 "
	    "4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 ...\n";
	char		 comm[17];
	pid_t		 ppid = 0;
	uint64_t	 start = 0;

	T_EQ_INT(procfs_parse_stat(st, &ppid, &start, comm, sizeof(comm)),
	    0);
	T_EQ_INT(ppid, 17);
	T_EQ_INT(start, 987654);
	T_EQ_STR(comm, "my (odd) prog");
	T_EQ_INT(procfs_parse_stat("1 (x) S 0 1", &ppid, &start, NULL, 0),
	    -1);
	T_EQ_INT(procfs_parse_stat("garbage", &ppid, &start, NULL, 0), -1);
	T_EQ_INT(procfs_parse_stat("1 (x) S z 1 1 0 -1 0 0 0 0 0 0 0 0 0 0 "
	    "0 1 0 5", &ppid, &start, NULL, 0), -1);
}

static void
test_passwd(void)
{
	static const char pw[] = "root:x:0:0:root:/root:/bin/bash\n"
	    "broken line\n"
	    "nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n"
	    "_tattle_attr:x:999:999::/:/usr/sbin/nologin";
	char		 name[MAX_USERNAME];

	T_EQ_INT(procfs_passwd_name(pw, sizeof(pw) - 1, 0, name,
	    sizeof(name)), 1);
	T_EQ_STR(name, "root");
	T_EQ_INT(procfs_passwd_name(pw, sizeof(pw) - 1, 65534, name,
	    sizeof(name)), 1);
	T_EQ_STR(name, "nobody");
	T_EQ_INT(procfs_passwd_name(pw, sizeof(pw) - 1, 999, name,
	    sizeof(name)), 1);
	T_EQ_STR(name, "_tattle_attr");
	T_EQ_INT(procfs_passwd_name(pw, sizeof(pw) - 1, 1000, name,
	    sizeof(name)), 0);
	T_EQ_INT(procfs_passwd_name(pw, sizeof(pw) - 1, 0, name, 3), 0);
}

static void
test_deleted(void)
{
	char	 p1[] = "/usr/lib/chromium/chromium (deleted)";
	char	 p2[] = "/usr/bin/curl";
	char	 p3[] = " (deleted)";

	T_EQ_INT(procfs_strip_deleted(p1), 1);
	T_EQ_STR(p1, "/usr/lib/chromium/chromium");
	T_EQ_INT(procfs_strip_deleted(p2), 0);
	T_EQ_STR(p2, "/usr/bin/curl");
	T_EQ_INT(procfs_strip_deleted(p3), 0);
}

int
main(void)
{
	test_cmdline();
	test_env();
	test_stat();
	test_passwd();
	test_deleted();
	return t_done("attributord-procfs");
}
