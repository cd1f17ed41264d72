/*
 * attributord-path.c: which path names a program, against this process's own
 * /proc entry and files made here: a name that leads to the running
 * file through links (absolute, relative, a linked directory, "..") is
 * replaced by /proc's; so is a "#!" script's, a relative one and a
 * /proc or /dev/fd one; a name that now leads elsewhere or nowhere is
 * kept (the file was renamed or replaced after the exec).  No
 * privileges.
 */
#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attrd_path.h"
#include "proctable.h"
#include "t.h"

static int	 procfd;
static pid_t	 me;
static char	 exe[PATH_MAX], tmp[64] = "/tmp/attrd-path-XXXXXX";

static void	 in_tmp(char *, const char *);
static void	 put(const char *, const char *);
static int	 choose(const char *, uint32_t, const char *, const char **);
static void	 test_resolve(void);
static void	 test_choose(void);

static void
in_tmp(char *out, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", tmp, name);
}

static void
put(const char *name, const char *text)
{
	char	 p[PATH_MAX];
	FILE	*f;

	in_tmp(p, name);
	if ((f = fopen(p, "w")) != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static int
choose(const char *f, uint32_t flags, const char *x, const char **out)
{
	return attrd_path_choose(procfd, me, f, flags, x, out);
}

static void
test_resolve(void)
{
	struct stat	 st, xst;
	char		 p[PATH_MAX], q[PATH_MAX + 64];
	int		 script;

	T_EQ_INT(stat(exe, &xst), 0);
	in_tmp(p, "alias");
	T_EQ_INT(attrd_path_resolve(procfd, me, p, &st, &script), 1);
	T_EQ_INT(st.st_ino, xst.st_ino);
	T_EQ_INT(script, 0);
	in_tmp(p, "r2");
	T_EQ_INT(attrd_path_resolve(procfd, me, p, &st, &script), 1);
	T_EQ_INT(st.st_ino, xst.st_ino);
	in_tmp(p, "dir");
	snprintf(q, sizeof(q), "%s/%s", p, basename(exe));
	T_EQ_INT(attrd_path_resolve(procfd, me, q, &st, &script), 1);
	T_EQ_INT(st.st_ino, xst.st_ino);
	/* ".." above the root stays at the root. */
	snprintf(q, sizeof(q), "/../../..%s", exe);
	T_EQ_INT(attrd_path_resolve(procfd, me, q, &st, &script), 1);
	T_EQ_INT(st.st_ino, xst.st_ino);
	snprintf(q, sizeof(q), "%s/../%s/alias", tmp, basename(tmp));
	T_EQ_INT(attrd_path_resolve(procfd, me, q, &st, &script), 1);
	T_EQ_INT(st.st_ino, xst.st_ino);
	in_tmp(p, "script");
	T_EQ_INT(attrd_path_resolve(procfd, me, p, &st, &script), 1);
	T_EQ_INT(script, 1);
	in_tmp(p, "other");
	T_EQ_INT(attrd_path_resolve(procfd, me, p, &st, &script), 1);
	T_EQ_INT(script, 0);
	T_CHECK(st.st_ino != xst.st_ino);
	in_tmp(p, "gone");
	T_EQ_INT(attrd_path_resolve(procfd, me, p, &st, &script), 0);
	in_tmp(p, "gone/deeper");
	T_EQ_INT(attrd_path_resolve(procfd, me, p, &st, &script), 0);
	in_tmp(p, "other/below");
	T_EQ_INT(attrd_path_resolve(procfd, me, p, &st, &script), 0);
	in_tmp(p, "dangling");
	T_EQ_INT(attrd_path_resolve(procfd, me, p, &st, &script), 0);
	/* A loop: cannot be told. */
	in_tmp(p, "loop1");
	T_EQ_INT(attrd_path_resolve(procfd, me, p, &st, &script), -1);
	T_EQ_INT(attrd_path_resolve(procfd, me, "relative", &st, &script),
	    -1);
	T_EQ_INT(attrd_path_resolve(procfd, me, tmp, &st, &script), 1);
	T_EQ_INT(attrd_path_resolve(procfd, me, "/", &st, &script), -1);
}

static void
test_choose(void)
{
	const char	*out;
	char		 p[PATH_MAX];

	/* Nothing, one, the other. */
	T_EQ_INT(choose(NULL, 0, NULL, &out), AP_NONE);
	T_CHECK(out == NULL);
	T_EQ_INT(choose("/a", PE_EXEC, NULL, &out), AP_EXEC_ONLY);
	T_EQ_STR(out, "/a");
	T_EQ_INT(choose("/a", PE_PROCFS, exe, &out), AP_EXE_ONLY);
	T_EQ_STR(out, exe);
	T_EQ_INT(choose("/a", PE_INHERITED, exe, &out), AP_EXE_ONLY);
	T_EQ_INT(choose("", PE_EXEC, exe, &out), AP_EXE_ONLY);
	T_EQ_INT(choose(exe, PE_EXEC, exe, &out), AP_SAME);
	T_EQ_STR(out, exe);
	/* Names that lead to the running file: /proc's. */
	in_tmp(p, "alias");
	T_EQ_INT(choose(p, PE_EXEC, exe, &out), AP_ALIAS);
	T_EQ_STR(out, exe);
	in_tmp(p, "r2");
	T_EQ_INT(choose(p, PE_EXEC, exe, &out), AP_ALIAS);
	T_EQ_INT(choose("./x", PE_EXEC, exe, &out), AP_RELATIVE);
	T_EQ_STR(out, exe);
	T_EQ_INT(choose("/proc/self/exe", PE_EXEC, exe, &out), AP_MAGIC);
	T_EQ_STR(out, exe);
	T_EQ_INT(choose("/dev/fd/3", PE_EXEC, exe, &out), AP_MAGIC);
	/* A script: its interpreter runs. */
	in_tmp(p, "script");
	T_EQ_INT(choose(p, PE_EXEC, exe, &out), AP_SCRIPT);
	T_EQ_STR(out, exe);
	/* Renamed away, or another file there now: the exec path. */
	in_tmp(p, "gone");
	T_EQ_INT(choose(p, PE_EXEC, exe, &out), AP_MOVED);
	T_EQ_STR(out, p);
	in_tmp(p, "other");
	T_EQ_INT(choose(p, PE_EXEC, exe, &out), AP_MOVED);
	T_EQ_STR(out, p);
	in_tmp(p, "loop1");
	T_EQ_INT(choose(p, PE_EXEC, exe, &out), AP_UNSURE);
	T_EQ_STR(out, p);
	T_CHECK(strcmp(attrd_path_why_name(AP_MOVED), "moved") == 0);
	T_CHECK(strcmp(attrd_path_why_name(99), "?") == 0);
}

int
main(void)
{
	char	 p[PATH_MAX], q[PATH_MAX], cmd[128];
	ssize_t	 n;

	me = getpid();
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mkdtemp(tmp) == NULL || procfd == -1) {
		perror("attributord-path");
		return 1;
	}
	in_tmp(p, "alias");
	T_EQ_INT(symlink(exe, p), 0);
	in_tmp(p, "r1");
	T_EQ_INT(symlink("alias", p), 0);
	in_tmp(p, "r2");
	T_EQ_INT(symlink("./r1", p), 0);
	snprintf(q, sizeof(q), "%s", exe);
	in_tmp(p, "dir");
	T_EQ_INT(symlink(dirname(q), p), 0);
	in_tmp(p, "dangling");
	T_EQ_INT(symlink("/nonexistent/attrd-path", p), 0);
	in_tmp(p, "loop1");
	T_EQ_INT(symlink("loop2", p), 0);
	in_tmp(p, "loop2");
	T_EQ_INT(symlink("loop1", p), 0);
	put("script", "#!/bin/sh\nexit 0\n");
	put("other", "not a program\n");

	test_resolve();
	test_choose();

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	(void)!system(cmd);
	return t_done("attributord-path");
}
