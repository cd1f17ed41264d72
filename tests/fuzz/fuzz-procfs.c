/*
 * fuzz-procfs.c: what attributord parses of /proc that the process it
 * is looking at controls: /proc/PID/stat (comm is the process's to set,
 * parentheses and spaces included), cmdline and environ (its own memory),
 * and the " (deleted)" suffix of exe (the file's name).  Byte 0 picks
 * which; the rest is the file.  Promises checked: results stay in their
 * buffers; the joined command line has single spaces and no blank at
 * either end; an environment value is the bytes after NAME= up to NUL.
 */
#include <sys/types.h>

#include <string.h>

#include "fuzz.h"
#include "procfs.h"

static void	 fuzz_procfs_stat(const char *, size_t);
static void	 fuzz_procfs_cmdline(const char *, size_t);
static void	 fuzz_procfs_env(const char *, size_t);
static void	 fuzz_procfs_deleted(const char *, size_t);

static void
fuzz_procfs_stat(const char *p, size_t len)
{
	char		*s, comm[17];
	pid_t		 ppid = -1;
	uint64_t	 start = 0;

	if ((s = malloc(len + 1)) == NULL)
		return;
	memcpy(s, p, len);
	s[len] = '\0';
	if (procfs_parse_stat(s, &ppid, &start, comm, sizeof(comm)) == 0) {
		FUZZ_ASSERT(ppid >= 0);
		FUZZ_ASSERT(strlen(comm) < sizeof(comm));
	}
	free(s);
}

static void
fuzz_procfs_cmdline(const char *p, size_t len)
{
	char	 out[MAX_CMDLINE];
	char	*raw;
	size_t	 n;

	if ((raw = malloc(len ? len : 1)) == NULL)
		return;
	memcpy(raw, p, len);
	(void)procfs_join_cmdline(raw, len, "/usr/bin/fuzz", out,
	    sizeof(out));
	n = strlen(out);
	FUZZ_ASSERT(n < sizeof(out));
	if (n > 0) {
		FUZZ_ASSERT(out[0] != ' ' && out[n - 1] != ' ');
		FUZZ_ASSERT(strstr(out, "  ") == NULL);
	}
	/* A small buffer: cut, never overrun. */
	(void)procfs_join_cmdline(raw, len, NULL, out, 7);
	FUZZ_ASSERT(strlen(out) < 7);
	free(raw);
}

static void
fuzz_procfs_env(const char *p, size_t len)
{
	static const char *const names[] = { "HOME", "A", "LD_PRELOAD", "" };
	char	 out[MAX_ENV_VALUE];
	char	*env;
	size_t	 i;
	int	 rv;

	if ((env = malloc(len ? len : 1)) == NULL)
		return;
	memcpy(env, p, len);
	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		rv = procfs_env_find(env, len, names[i], out, sizeof(out));
		FUZZ_ASSERT(rv >= -1 && rv <= 1);
		if (rv == 1) {
			FUZZ_ASSERT(names[i][0] != '\0');
			FUZZ_ASSERT(strlen(out) < sizeof(out));
			FUZZ_ASSERT(memmem(env, len, out, strlen(out)) !=
			    NULL);
		}
	}
	free(env);
}

static void
fuzz_procfs_deleted(const char *p, size_t len)
{
	char	*s;
	size_t	 n;
	int	 rv;

	if ((s = malloc(len + 1)) == NULL)
		return;
	memcpy(s, p, len);
	s[len] = '\0';
	n = strlen(s);
	rv = procfs_strip_deleted(s);
	FUZZ_ASSERT(rv == 0 ? strlen(s) == n :
	    strlen(s) == n - strlen(" (deleted)") && strlen(s) > 0);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*p = (const char *)data + 1;

	if (size < 1)
		return 0;
	switch (data[0] & 3) {
	case 0:
		fuzz_procfs_stat(p, size - 1);
		break;
	case 1:
		fuzz_procfs_cmdline(p, size - 1);
		break;
	case 2:
		fuzz_procfs_env(p, size - 1);
		break;
	default:
		fuzz_procfs_deleted(p, size - 1);
		break;
	}
	return 0;
}
