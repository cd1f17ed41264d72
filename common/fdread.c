/*
 * fdread.c: read a whole memfd that packetd handed over.  The size comes
 * in the message; the bytes must be exactly that many.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "fdread.h"

/*
 * Read exactly size bytes (at most max) from fd into a new buffer with
 * a NUL after them.  -1 with *why when the size is over max or the
 * descriptor holds more or fewer bytes.
 */
int
fd_read_all(int fd, size_t size, size_t max, char **out, const char **why)
{
	char	*buf, extra;
	size_t	 done = 0;
	ssize_t	 n;

	*out = NULL;
	if (size > max) {
		*why = "larger than allowed";
		return -1;
	}
	if ((buf = malloc(size + 1)) == NULL) {
		*why = "out of memory";
		return -1;
	}
	while (done < size) {
		n = read(fd, buf + done, size - done);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			*why = "shorter than announced";
			free(buf);
			return -1;
		}
		done += n;
	}
	if (read(fd, &extra, 1) != 0) {
		*why = "longer than announced";
		free(buf);
		return -1;
	}
	buf[size] = '\0';
	*out = buf;
	return 0;
}
