/*
 * uiaddr.c: where the UI listens, reaching it without blocking, and
 * making sure a unix-socket UI is the user's own.  OpenSnitch's daemon
 * connects to whoever bound the path first (SECURITY.md 1.1); the
 * bridge asks the kernel who listens there and refuses anyone but its
 * own user.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "osui.h"

static int	 ui_addr_inet(const char *, struct ui_addr *, char *, size_t);

static int
ui_addr_inet(const char *s, struct ui_addr *a, char *err, size_t errlen)
{
	struct addrinfo	 hints, *res;
	char		 host[256];
	const char	*colon, *port;
	size_t		 hlen;
	int		 rv;

	if (s[0] == '[') {
		if ((colon = strstr(s, "]:")) == NULL)
			goto bad;
		hlen = colon - s - 1;
		port = colon + 2;
		s++;
	} else {
		if ((colon = strrchr(s, ':')) == NULL)
			goto bad;
		hlen = colon - s;
		port = colon + 1;
	}
	if (hlen == 0 || hlen >= sizeof(host) || *port == '\0' ||
	    strspn(port, "0123456789") != strlen(port))
		goto bad;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rv = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "UI address %s: %s", host,
		    gai_strerror(rv));
		return -1;
	}
	memcpy(&a->ss, res->ai_addr, res->ai_addrlen);
	a->len = res->ai_addrlen;
	a->family = res->ai_family;
	freeaddrinfo(res);
	snprintf(a->authority, sizeof(a->authority), "%s:%s", host, port);
	return 0;
bad:
	snprintf(err, errlen, "UI address \"%s\": want unix:PATH, "
	    "unix://PATH or HOST:PORT", s);
	return -1;
}

/* unix:PATH, unix://PATH (OpenSnitch's spelling) or HOST:PORT. */
int
ui_addr_parse(const char *s, struct ui_addr *a, char *err, size_t errlen)
{
	struct sockaddr_un	*sun = (struct sockaddr_un *)&a->ss;
	const char		*path;

	memset(a, 0, sizeof(*a));
	snprintf(a->text, sizeof(a->text), "%s", s);
	if (strncmp(s, "unix:", 5) != 0)
		return ui_addr_inet(s, a, err, errlen);
	path = s + 5;
	if (strncmp(path, "//", 2) == 0)
		path += 2;
	if (*path == '\0' || strlen(path) >= sizeof(sun->sun_path)) {
		snprintf(err, errlen, "UI address \"%s\": the socket path is "
		    "empty or longer than %zu bytes", s,
		    sizeof(sun->sun_path) - 1);
		return -1;
	}
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	a->len = sizeof(*sun);
	a->family = AF_UNIX;
	snprintf(a->path, sizeof(a->path), "%s", path);
	/* What grpc's own clients send for a unix socket. */
	snprintf(a->authority, sizeof(a->authority), "localhost");
	return 0;
}

/* 0 connected, 1 under way (wait for POLLOUT), -1 failed (errno). */
int
ui_connect(const struct ui_addr *a, int *fdp)
{
	int	 fd;

	*fdp = -1;
	if ((fd = socket(a->family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len) == 0) {
		*fdp = fd;
		return 0;
	}
	if (errno == EINPROGRESS) {
		*fdp = fd;
		return 1;
	}
	close(fd);
	return -1;
}

/* After POLLOUT on a connect under way: 0 or -1 (errno). */
int
ui_connect_done(int fd)
{
	socklen_t	 len = sizeof(int);
	int		 e = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) == -1)
		return -1;
	if (e != 0) {
		errno = e;
		return -1;
	}
	return 0;
}

/*
 * A unix-socket UI must run as this user.  TCP peers cannot be asked;
 * the caller says so once.
 */
int
ui_peer_check(int fd, const struct ui_addr *a, char *why, size_t len)
{
	struct ucred	 cr;
	struct passwd	*pw;
	socklen_t	 sl = sizeof(cr);
	uid_t		 me = geteuid();

	if (a->family != AF_UNIX)
		return 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &sl) == -1) {
		snprintf(why, len, "refusing the UI at %s: cannot learn who "
		    "runs it (SO_PEERCRED: %s)", a->path, strerror(errno));
		return -1;
	}
	if (cr.uid == me)
		return 0;
	pw = getpwuid(cr.uid);
	snprintf(why, len, "refusing the UI at %s: it runs as uid %u (%s), "
	    "not as uid %u like tattle-osui; another user's UI would see "
	    "your connections, answer your prompts and change tattle's "
	    "rules. Start opensnitch-ui as yourself, or give --ui a socket "
	    "in a directory only you can write", a->path,
	    (unsigned int)cr.uid, pw != NULL ? pw->pw_name : "no such user",
	    (unsigned int)me);
	return -1;
}
