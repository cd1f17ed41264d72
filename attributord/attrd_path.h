/*
 * attrd_path.h: which path names the program that made a connection.
 */
#ifndef TATTLE_ATTRD_PATH_H
#define TATTLE_ATTRD_PATH_H

#include <sys/stat.h>
#include <sys/types.h>

#include <stdint.h>

/* Why a path was chosen: the exec event's (F) or /proc's exe (X). */
enum attrd_path_why {
	AP_NONE = 0,		/* neither is known */
	AP_SAME,		/* F and X agree */
	AP_EXEC_ONLY,		/* no X (the process is gone): F */
	AP_EXE_ONLY,		/* F not from an exec event: X */
	AP_RELATIVE,		/* F relative to a cwd that may have moved: X */
	AP_MAGIC,		/* F under /proc or /dev/fd (fexecve): X */
	AP_ALIAS,		/* F leads to the running file (links): X */
	AP_SCRIPT,		/* F is a "#!" script; X its interpreter */
	AP_MOVED,		/* F names another file or none now: F */
	AP_UNSURE		/* F could not be resolved: F */
};

int	 attrd_path_choose(int, pid_t, const char *, uint32_t, const char *,
	    const char **);
int	 attrd_path_resolve(int, pid_t, const char *, struct stat *, int *);
int	 attrd_path_host(int, int, pid_t, const char *, const char *,
	    const char **, char *, size_t);
const char *attrd_path_why_name(int);

#endif /* TATTLE_ATTRD_PATH_H */
