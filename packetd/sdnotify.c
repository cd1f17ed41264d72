/*
 * sdnotify.c: tell the service manager that tattle is deciding (the
 * table is in, every child ready), so that `systemctl start tattled`
 * returns then and units ordered after it start protected.  The
 * protocol is one datagram to $NOTIFY_SOCKET (sd_notify(3)); written
 * here rather than linking libsystemd for ten lines.  Without the
 * variable (not started by systemd) it does nothing.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "packetd.h"

void
sdnotify_ready(void)
{
	static const char	 msg[] = "READY=1\nSTATUS=deciding";
	struct sockaddr_un	 sun;
	const char		*path;
	socklen_t		 len;
	size_t			 n;
	int			 s;

	if ((path = getenv("NOTIFY_SOCKET")) == NULL)
		return;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n < 2 ||
	    n >= sizeof(sun.sun_path)) {
		log_warnx("NOTIFY_SOCKET \"%s\": not a socket path", path);
		return;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	len = offsetof(struct sockaddr_un, sun_path) + n;
	if (path[0] == '@')
		sun.sun_path[0] = '\0';		/* abstract */
	else
		len++;				/* the NUL */
	if ((s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("NOTIFY_SOCKET: socket");
		return;
	}
	if (sendto(s, msg, sizeof(msg) - 1, MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len) == -1)
		log_warn("NOTIFY_SOCKET %s", path);
	close(s);
}
