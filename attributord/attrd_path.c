/*
 * attrd_path.c: the exec event's file name (F) is what a process was
 * started from, and renaming the file later does not change it;
 * /proc/PID/exe (X) is the file the kernel runs, symbolic links
 * resolved, as OpenSnitch reports it.  They differ when the file was
 * renamed or replaced after the exec (F is the honest answer), and when
 * F was a symbolic link, a script run by its interpreter, a relative
 * name or an fexecve() descriptor (X is what OpenSnitch's rules name).
 * F is told apart by resolving it now, inside the process's own root,
 * and comparing the file found with the running one.  Directories are
 * opened O_PATH: a walk learns names and inodes, never reads contents
 * (the one exception: the two bytes of a "#!" check, through
 * /proc/PID/root).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "attr_limits.h"
#include "attrd_path.h"
#include "proctable.h"

static int	 ap_open_root(int, pid_t, struct stat *);
static int	 ap_step(int *, int, const char *);
static int	 ap_is_script(int, const char *);
static int	 ap_splice(char *, size_t, const char *, const char *);
static int	 ap_canon(char *, size_t, const char *);
static int	 ap_walk(int, const char *, struct stat *, int *, char *,
		    size_t);

static const char *const ap_names[] = {
	[AP_NONE] = "none", [AP_SAME] = "same", [AP_EXEC_ONLY] = "exec",
	[AP_EXE_ONLY] = "exe", [AP_RELATIVE] = "relative",
	[AP_MAGIC] = "magic", [AP_ALIAS] = "alias", [AP_SCRIPT] = "script",
	[AP_MOVED] = "moved", [AP_UNSURE] = "unsure",
};

const char *
attrd_path_why_name(int why)
{
	if (why < 0 || why > AP_UNSURE)
		return "?";
	return ap_names[why];
}

static int
ap_open_root(int procfd, pid_t pid, struct stat *st)
{
	char	 name[32];
	int	 fd;

	snprintf(name, sizeof(name), "%d/root", (int)pid);
	if ((fd = openat(procfd, name, O_PATH | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, st) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Replace *dir by its subdirectory (or parent) name. */
static int
ap_step(int *dir, int root_same, const char *name)
{
	int	 nd;

	if (strcmp(name, "..") == 0 && root_same)
		return 0;		/* ".." at the root stays there */
	if ((nd = openat(*dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return -1;
	close(*dir);
	*dir = nd;
	return 0;
}

/* Does the regular file name in dir start with "#!"? */
static int
ap_is_script(int dir, const char *name)
{
	char	 head[2];
	int	 fd, r;

	if ((fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC)) == -1)
		return 0;
	r = read(fd, head, sizeof(head)) == 2 && head[0] == '#' &&
	    head[1] == '!';
	close(fd);
	return r;
}

/* out = link "/" rest; -1 if that does not fit. */
static int
ap_splice(char *out, size_t outlen, const char *link, const char *rest)
{
	int	 n;

	n = snprintf(out, outlen, "%s/%s", link, rest);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* canon += "/" comp, or canon cut at its last "/" for ".." (-1: too long). */
static int
ap_canon(char *canon, size_t len, const char *comp)
{
	char	*slash;
	size_t	 n;

	if (canon == NULL)
		return 0;
	if (strcmp(comp, "..") == 0) {
		if ((slash = strrchr(canon, '/')) != NULL)
			*slash = '\0';
		return 0;
	}
	n = strlen(canon);
	return snprintf(canon + n, len - n, "/%s", comp) >= (int)(len - n) ?
	    -1 : 0;
}

/*
 * Resolve the absolute path from the directory root as if it were "/",
 * following at most MAX_SYMLINKS symbolic links, without leaving it.
 * 1 with *st the file found (and, when script is not NULL, *script when
 * it is a "#!" file; when canon is not NULL, the name without links in
 * it), 0 when nothing is there, -1 when it cannot be told.
 */
static int
ap_walk(int root, const char *path, struct stat *st, int *script,
    char *canon, size_t canonlen)
{
	char		 work[2][MAX_PROC_PATH], link[MAX_PROC_PATH];
	char		 comp[MAX_PROC_PATH];
	struct stat	 rst, dst;
	const char	*rest, *slash;
	size_t		 n;
	ssize_t		 ln;
	int		 dir = -1, links = 0, cur = 0, r = -1;

	if (script != NULL)
		*script = 0;
	if (canon != NULL)
		canon[0] = '\0';
	if (path[0] != '/' || strlen(path) >= sizeof(work[0]) ||
	    fstat(root, &rst) == -1)
		return -1;
	if ((dir = openat(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		goto out;
	snprintf(work[cur], sizeof(work[cur]), "%s", path);
	rest = work[cur];
	for (;;) {
		while (*rest == '/')
			rest++;
		if (*rest == '\0')
			goto out;	/* a directory, not a program */
		slash = strchr(rest, '/');
		n = slash != NULL ? (size_t)(slash - rest) : strlen(rest);
		memcpy(comp, rest, n);
		comp[n] = '\0';
		rest += n;
		while (*rest == '/')
			rest++;
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if (fstat(dir, &dst) == -1)
				goto out;
			if (ap_step(&dir, dst.st_dev == rst.st_dev &&
			    dst.st_ino == rst.st_ino, comp) == -1)
				goto out;
			(void)ap_canon(canon, canonlen, comp);
			continue;
		}
		if ((ln = readlinkat(dir, comp, link, sizeof(link))) >= 0) {
			if ((size_t)ln >= sizeof(link) ||
			    ++links > MAX_SYMLINKS)
				goto out;
			link[ln] = '\0';
			if (ap_splice(work[!cur], sizeof(work[!cur]), link,
			    rest) == -1)
				goto out;
			cur = !cur;
			rest = work[cur];
			if (link[0] == '/') {
				close(dir);
				if (canon != NULL)
					canon[0] = '\0';
				if ((dir = openat(root, ".", O_PATH |
				    O_DIRECTORY | O_CLOEXEC)) == -1)
					goto out;
			}
			continue;
		}
		if (errno == ENOENT || errno == ENOTDIR) {
			r = 0;
			goto out;
		}
		if (errno != EINVAL)	/* EINVAL: not a symbolic link */
			goto out;
		if (ap_canon(canon, canonlen, comp) == -1)
			goto out;
		if (*rest != '\0') {
			if (ap_step(&dir, 0, comp) == -1) {
				r = errno == ENOENT || errno == ENOTDIR ? 0 :
				    -1;
				goto out;
			}
			continue;
		}
		if (fstatat(dir, comp, st, AT_SYMLINK_NOFOLLOW) == -1) {
			r = errno == ENOENT ? 0 : -1;
			goto out;
		}
		if (script != NULL)
			*script = S_ISREG(st->st_mode) &&
			    ap_is_script(dir, comp);
		r = 1;
		goto out;
	}
 out:
	if (dir != -1)
		close(dir);
	return r;
}

/*
 * Resolve the absolute path as process pid would, from its root (see
 * ap_walk).
 */
int
attrd_path_resolve(int procfd, pid_t pid, const char *path, struct stat *st,
    int *script)
{
	struct stat	 rst;
	int		 root, r;

	if ((root = ap_open_root(procfd, pid, &rst)) == -1)
		return -1;
	r = ap_walk(root, path, st, script, NULL, 0);
	close(root);
	return r;
}

/*
 * Issue 15 item 1: inside a mount namespace of its own, a process (even
 * an unprivileged one, in a user namespace) can mount another file over
 * an allowed program's path, and then both the exec event's name and
 * /proc/PID/exe say that path.  The names are the namespace's; the
 * host's truth is what the same name leads to from the host's root
 * (rootfd, which packetd opened before any chroot).  Being in another
 * namespace is not by itself unsure: services with ProtectSystem=,
 * ip netns exec and containers that bind the host's own files see the
 * same files under the same names.
 *
 * Called only for a process in another mount namespace than
 * attributord's.  *path is the name chosen by attrd_path_choose; fpath
 * and xpath as there.  The first of them that leads, on the host, to
 * the very file the process runs (device and inode of /proc/PID/exe) is
 * sure: *path is set to it (when it is not the chosen one, to its name
 * without links, in canon) and 0 returned.  Otherwise -1: the path is
 * unsure.  Which host name the running file has, if any, cannot be
 * found at a bounded cost: it is not looked for.
 */
int
attrd_path_host(int procfd, int rootfd, pid_t pid, const char *fpath,
    const char *xpath, const char **path, char *canon, size_t canonlen)
{
	const char	*cand[3];
	struct stat	 xst, hst;
	char		 exe[32];
	size_t		 i;

	snprintf(exe, sizeof(exe), "%d/exe", (int)pid);
	if (fstatat(procfd, exe, &xst, 0) == -1)
		return -1;
	cand[0] = *path;
	cand[1] = xpath;
	cand[2] = fpath;
	for (i = 0; i < nitems(cand); i++) {
		if (cand[i] == NULL || cand[i][0] != '/' || (i > 0 &&
		    cand[0] != NULL && strcmp(cand[i], cand[0]) == 0) ||
		    (i > 1 && cand[1] != NULL && strcmp(cand[i], cand[1]) == 0))
			continue;
		if (ap_walk(rootfd, cand[i], &hst, NULL, canon, canonlen) !=
		    1 || hst.st_dev != xst.st_dev || hst.st_ino != xst.st_ino)
			continue;
		if (i > 0)
			*path = canon;
		return 0;
	}
	return -1;
}

/*
 * The path to report for process pid: F (fpath, with the proctable
 * flags fflags saying where it came from) or X (xpath, /proc's exe with
 * " (deleted)" removed), either may be NULL.  *out is set to one of
 * them (NULL when both are); the reason is returned.
 */
int
attrd_path_choose(int procfd, pid_t pid, const char *fpath, uint32_t fflags,
    const char *xpath, const char **out)
{
	struct stat	 fst, xst;
	char		 exe[32];
	int		 script, r;

	*out = NULL;
	if (fpath != NULL && *fpath == '\0')
		fpath = NULL;
	if (xpath != NULL && *xpath == '\0')
		xpath = NULL;
	if (xpath == NULL) {
		*out = fpath;
		return fpath != NULL ? AP_EXEC_ONLY : AP_NONE;
	}
	*out = xpath;
	if (fpath == NULL || !(fflags & PE_EXEC))
		return AP_EXE_ONLY;
	if (strcmp(fpath, xpath) == 0)
		return AP_SAME;
	if (fpath[0] != '/')
		return AP_RELATIVE;
	/* These name the reader's own files, not the process's. */
	if (strncmp(fpath, "/proc/", 6) == 0 ||
	    strncmp(fpath, "/dev/fd/", 8) == 0)
		return AP_MAGIC;
	snprintf(exe, sizeof(exe), "%d/exe", (int)pid);
	r = attrd_path_resolve(procfd, pid, fpath, &fst, &script);
	if (r == 1 && fstatat(procfd, exe, &xst, 0) == 0 &&
	    fst.st_dev == xst.st_dev && fst.st_ino == xst.st_ino)
		return AP_ALIAS;
	if (r == 1 && script)
		return AP_SCRIPT;
	*out = fpath;
	return r == -1 ? AP_UNSURE : AP_MOVED;
}
