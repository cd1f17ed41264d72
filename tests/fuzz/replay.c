/*
 * replay.c: a fuzz target without libFuzzer.  Runs the target once on
 * every file named on the command line or found in the directories
 * named there (default: FUZZ_CORPUS, a colon-separated list built in),
 * so that `make check` replays each seed corpus and every crash ever
 * found (tests/fuzz/regress/TARGET) with whatever compiler and
 * sanitizers the build uses.  A target that aborts fails the test; no
 * input at all fails it too.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#define REPLAY_MAX_INPUT	(16 * 1024 * 1024)

static int	 replay_file(const char *);
static int	 replay_path(const char *);
static int	 replay_dir(const char *);

static size_t	 ninputs;

static int
replay_file(const char *path)
{
	struct stat	 st;
	uint8_t		*buf;
	ssize_t		 n;
	size_t		 done = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (st.st_size > REPLAY_MAX_INPUT) {
		fprintf(stderr, "replay: %s: larger than %d bytes\n", path,
		    REPLAY_MAX_INPUT);
		close(fd);
		return -1;
	}
	/* One byte more, so that an empty file is not a NULL pointer. */
	if ((buf = malloc(st.st_size + 1)) == NULL) {
		close(fd);
		return -1;
	}
	while (done < (size_t)st.st_size) {
		n = read(fd, buf + done, st.st_size - done);
		if (n <= 0) {
			fprintf(stderr, "replay: %s: short read\n", path);
			free(buf);
			close(fd);
			return -1;
		}
		done += n;
	}
	close(fd);
	LLVMFuzzerTestOneInput(buf, done);
	free(buf);
	ninputs++;
	return 0;
}

static int
replay_dir(const char *dir)
{
	struct dirent	 **ents;
	char		 path[4096];
	int		 i, n, rv = 0;

	if ((n = scandir(dir, &ents, NULL, alphasort)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    ents[i]->d_name) < sizeof(path) && replay_path(path) == -1)
			rv = -1;
		free(ents[i]);
	}
	free(ents);
	return rv;
}

static int
replay_path(const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1) {
		/* A target may have no regressions yet. */
		if (errno == ENOENT && strstr(path, "/regress/") != NULL)
			return 0;
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return S_ISDIR(st.st_mode) ? replay_dir(path) : replay_file(path);
}

int
main(int argc, char *argv[])
{
	int	 i, rv = 0;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (replay_path(argv[i]) == -1)
				rv = 1;
	} else {
		if (replay_path(FUZZ_DIR "/corpus/" FUZZ_NAME) == -1)
			rv = 1;
		if (replay_path(FUZZ_DIR "/regress/" FUZZ_NAME) == -1)
			rv = 1;
	}
	printf("%s: %zu inputs replayed\n", argv[0], ninputs);
	if (ninputs == 0) {
		fprintf(stderr, "%s: no input found\n", argv[0]);
		return 1;
	}
	return rv;
}
