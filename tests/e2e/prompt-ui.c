/*
 * prompt-ui.c: the end-to-end tests' hands on the UI socket and on the
 * network of their namespace.
 *
 *   prompt-ui pipe [-n] [-u USER] [-p GROUP] [-g GROUP] SOCKET
 *	connect (as USER; -p: with GROUP as its primary group, -g: as its
 *	one supplementary group), then copy stdin lines to the socket and
 *	socket lines to stdout until either closes (at the end of stdin
 *	the client hangs up).  "!raw N C" on stdin sends N bytes of C and
 *	no newline; "!nul" sends a line with a NUL byte in it; "!flood N"
 *	sends N requests in one write.  -n: never read the socket (a
 *	client that does not keep up).
 *   prompt-ui many SOCKET N	N clients at once: print the first line
 *	each is sent, then hold them all until stdin ends.
 *   prompt-ui get KEY.PATH...	print the values at the paths of the
 *	JSON object on stdin, one a line ("" when absent; objects and
 *	arrays as their member count).
 *   prompt-ui serve ADDR PORT	accept TCP connections, write "hi\n",
 *	close; until killed.
 *   prompt-ui conn ADDR PORT N MS	N connections at once from this one
 *	process; print "ok K refused R timeout T" after at most MS ms.
 *	ADDR may be NAME@DNS: NAME is looked up first (an A query to the
 *	DNS server at DNS, port 53), as a program's resolver would.
 *   prompt-ui dns ADDR IP...	a DNS server on ADDR port 53 that answers
 *	every A query with an IP, the next of up to 8 each time; until killed.
 *   prompt-ui latency SOCKET ADDR PORT N	N times: connect to ADDR
 *	PORT and time the `ask` that comes for it, then answer it
 *	(allow once); print the times in microseconds.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#define MAX_LINE	(1024 * 1024)
#define MAX_CONNS	256

static int	 ui_connect(const char *);
static gid_t	 group_id(const char *);
static void	 drop_to(const char *, const char *, const char *);
static int	 cmd_many(int, char **);
static void	 flood(int, int);
static int	 cmd_pipe(int, char **);
static int	 cmd_get(int, char **);
static int	 cmd_serve(int, char **);
static int	 cmd_conn(int, char **);
static int	 cmd_latency(int, char **);
static int	 cmd_dns(int, char **);
static int	 dns_resolve(const char *, const char *, char *, size_t);
static int	 tcp_addr(const char *, int, struct sockaddr_storage *,
		    socklen_t *);
static uint64_t	 now_us(void);
static int	 read_line(int, char *, size_t *, size_t, int);
int		 main(int, char **);

static uint64_t
now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int
ui_connect(const char *path)
{
	struct sockaddr_un	 sun;
	int			 s;

	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		close(s);
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(s);
		return -1;
	}
	return s;
}

static gid_t
group_id(const char *name)
{
	struct group	*gr;

	if ((gr = getgrnam(name)) == NULL) {
		fprintf(stderr, "prompt-ui: no group %s\n", name);
		exit(2);
	}
	return gr->gr_gid;
}

/*
 * Become user, with primary as its primary group (NULL: its own) and
 * group as the only other one (NULL: none).
 */
static void
drop_to(const char *user, const char *primary, const char *group)
{
	struct passwd	*pw;
	gid_t		 groups[1], gid;
	int		 n = 0;

	if ((pw = getpwnam(user)) == NULL) {
		fprintf(stderr, "prompt-ui: no user %s\n", user);
		exit(2);
	}
	gid = primary != NULL ? group_id(primary) : pw->pw_gid;
	if (group != NULL)
		groups[n++] = group_id(group);
	if (setgroups(n, groups) == -1 || setgid(gid) == -1 ||
	    setuid(pw->pw_uid) == -1) {
		perror("prompt-ui: dropping privileges");
		exit(2);
	}
}

/* n requests, all in one write: they arrive within the same second. */
static void
flood(int s, int n)
{
	static char	 b[MAX_LINE];
	size_t		 o = 0;
	int		 i;

	for (i = 0; i < n && o + 64 < sizeof(b); i++)
		o += (size_t)snprintf(b + o, sizeof(b) - o,
		    "{\"type\":\"nope\",\"req\":%d}\n", i + 1);
	(void)!write(s, b, o);
}

static int
cmd_pipe(int argc, char **argv)
{
	struct pollfd	 pfd[2];
	const char	*user = NULL, *group = NULL, *primary = NULL;
	static char	 in[MAX_LINE], out[MAX_LINE];
	char		 c, *nl;
	size_t		 inlen = 0, n, i;
	ssize_t		 r;
	int		 s, ch, noread = 0;

	optind = 2;
	while ((ch = getopt(argc, argv, "nu:p:g:")) != -1) {
		switch (ch) {
		case 'n':
			noread = 1;
			break;
		case 'u':
			user = optarg;
			break;
		case 'p':
			primary = optarg;
			break;
		case 'g':
			group = optarg;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 1)
		return 2;
	if (user != NULL)
		drop_to(user, primary, group);
	if ((s = ui_connect(argv[optind])) == -1) {
		printf("{\"type\":\"connect-failed\",\"errno\":%d}\n", errno);
		fflush(stdout);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;) {
		pfd[0].fd = 0;
		pfd[0].events = POLLIN;
		pfd[1].fd = noread ? -1 : s;
		pfd[1].events = POLLIN;
		pfd[1].revents = 0;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (pfd[1].revents) {
			r = read(s, out, sizeof(out));
			if (r <= 0) {
				printf("{\"type\":\"closed\",\"errno\":%d}\n",
				    r == 0 ? 0 : errno);
				return 0;
			}
			fwrite(out, 1, (size_t)r, stdout);
		}
		if (!pfd[0].revents)
			continue;
		r = read(0, in + inlen, sizeof(in) - inlen);
		if (r <= 0)
			return 0;
		inlen += (size_t)r;
		while ((nl = memchr(in, '\n', inlen)) != NULL) {
			n = (size_t)(nl - in);
			if (strncmp(in, "!raw ", 5) == 0) {
				i = (size_t)strtoul(in + 5, NULL, 10);
				c = in[n - 1];
				while (i-- > 0)
					(void)!write(s, &c, 1);
			} else if (strncmp(in, "!flood ", 7) == 0)
				flood(s, (int)strtol(in + 7, NULL, 10));
			else if (strncmp(in, "!nul", 4) == 0)
				(void)!write(s, "{\"type\":\"he\0llo\"}\n", 18);
			else
				(void)!write(s, in, n + 1);
			memmove(in, in + n + 1, inlen - n - 1);
			inlen -= n + 1;
		}
	}
}

static int
cmd_many(int argc, char **argv)
{
	char	 buf[4096], c;
	size_t	 have;
	int	 i, n, s;
	ssize_t	 r;

	if (argc != 4 || (n = atoi(argv[3])) < 1 || n > MAX_CONNS)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < n; i++) {
		if ((s = ui_connect(argv[2])) == -1) {
			printf("{\"type\":\"connect-failed\",\"errno\":%d}\n",
			    errno);
			continue;
		}
		/* The first line, byte by byte: no more is taken. */
		for (have = 0; have < sizeof(buf) - 1; have++) {
			if ((r = read(s, &c, 1)) <= 0 || c == '\n')
				break;
			buf[have] = c;
		}
		buf[have] = '\0';
		printf("%s\n", have > 0 ? buf : "{\"type\":\"closed\"}");
	}
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}

static void
print_val(yajl_val v)
{
	if (v == NULL)
		printf("\n");
	else if (YAJL_IS_STRING(v))
		printf("%s\n", v->u.string);
	else if (YAJL_IS_NUMBER(v))
		printf("%s\n", v->u.number.r);
	else if (YAJL_IS_TRUE(v))
		printf("true\n");
	else if (YAJL_IS_FALSE(v))
		printf("false\n");
	else if (YAJL_IS_NULL(v))
		printf("null\n");
	else if (YAJL_IS_OBJECT(v))
		printf("%zu\n", YAJL_GET_OBJECT(v)->len);
	else
		printf("%zu\n", YAJL_GET_ARRAY(v)->len);
}

/* KEY.PATH: dots separate keys; a number picks an array element. */
static yajl_val
get_path(yajl_val v, char *path)
{
	char	*k, *end;
	size_t	 i, idx;

	for (k = strtok(path, "."); k != NULL && v != NULL;
	    k = strtok(NULL, ".")) {
		if (YAJL_IS_ARRAY(v)) {
			idx = strtoul(k, &end, 10);
			if (*end != '\0' || idx >= YAJL_GET_ARRAY(v)->len)
				return NULL;
			v = YAJL_GET_ARRAY(v)->values[idx];
			continue;
		}
		if (!YAJL_IS_OBJECT(v))
			return NULL;
		for (i = 0; i < YAJL_GET_OBJECT(v)->len; i++)
			if (strcmp(YAJL_GET_OBJECT(v)->keys[i], k) == 0)
				break;
		if (i == YAJL_GET_OBJECT(v)->len)
			return NULL;
		v = YAJL_GET_OBJECT(v)->values[i];
	}
	return v;
}

static int
cmd_get(int argc, char **argv)
{
	static char	 buf[MAX_LINE + 1];
	char		 err[256];
	yajl_val	 root;
	size_t		 n;
	int		 i;

	n = fread(buf, 1, MAX_LINE, stdin);
	buf[n] = '\0';
	if ((root = yajl_tree_parse(buf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "prompt-ui get: %s\n", err);
		return 1;
	}
	for (i = 2; i < argc; i++)
		print_val(get_path(root, argv[i]));
	yajl_tree_free(root);
	return 0;
}

static int
tcp_addr(const char *addr, int port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*len = sizeof(*sin);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*len = sizeof(*sin6);
		return 0;
	}
	return -1;
}

static int
cmd_serve(int argc, char **argv)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	int			 s, c, one = 1;

	if (argc != 4 || tcp_addr(argv[2], atoi(argv[3]), &ss, &len) == -1)
		return 2;
	if ((s = socket(ss.ss_family, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ==
	    -1 || bind(s, (struct sockaddr *)&ss, len) == -1 ||
	    listen(s, 128) == -1) {
		perror("prompt-ui serve");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		if ((c = accept(s, NULL, NULL)) == -1)
			continue;
		(void)!write(c, "hi\n", 3);
		close(c);
	}
}

/* Skip a DNS name at off; the offset after it, or 0. */
static size_t
dns_skip(const unsigned char *b, size_t n, size_t off)
{
	while (off < n) {
		if (b[off] == 0)
			return off + 1;
		if ((b[off] & 0xc0) == 0xc0)
			return off + 2 <= n ? off + 2 : 0;
		off += 1 + b[off];
	}
	return 0;
}

/* name's A record from the server at dns: its text into ip. */
static int
dns_resolve(const char *dns, const char *name, char *ip, size_t iplen)
{
	struct sockaddr_in	 sin;
	unsigned char		 q[512], r[512];
	const char		*l, *dot;
	size_t			 o = 12, off;
	ssize_t			 n;
	struct timeval		 tv = { 3, 0 };
	int			 s, an, i;
	uint16_t		 type, rdlen, id = (uint16_t)getpid();

	memset(q, 0, sizeof(q));
	q[0] = id >> 8;
	q[1] = id & 0xff;
	q[2] = 0x01;		/* recursion desired */
	q[5] = 1;		/* one question */
	for (l = name; *l != '\0' && o < 400; l = *dot ? dot + 1 : dot) {
		if ((dot = strchr(l, '.')) == NULL)
			dot = l + strlen(l);
		q[o++] = (unsigned char)(dot - l);
		memcpy(q + o, l, (size_t)(dot - l));
		o += (size_t)(dot - l);
	}
	q[o++] = 0;
	q[o++] = 0;
	q[o++] = 1;		/* A */
	q[o++] = 0;
	q[o++] = 1;		/* IN */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(53);
	if (inet_pton(AF_INET, dns, &sin.sin_addr) != 1)
		return -1;
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(s, q, o, 0, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    (n = recv(s, r, sizeof(r), 0)) < 12 || r[0] != q[0] ||
	    r[1] != q[1]) {
		close(s);
		return -1;
	}
	close(s);
	an = r[6] << 8 | r[7];
	if ((off = dns_skip(r, (size_t)n, 12)) == 0)
		return -1;
	off += 4;
	for (i = 0; i < an; i++) {
		if ((off = dns_skip(r, (size_t)n, off)) == 0 ||
		    off + 10 > (size_t)n)
			return -1;
		type = (uint16_t)(r[off] << 8 | r[off + 1]);
		rdlen = (uint16_t)(r[off + 8] << 8 | r[off + 9]);
		off += 10;
		if (off + rdlen > (size_t)n)
			return -1;
		if (type == 1 && rdlen == 4)
			return inet_ntop(AF_INET, r + off, ip, iplen) ==
			    NULL ? -1 : 0;
		off += rdlen;
	}
	return -1;
}

/* Answer every A query with one address. */
static int
cmd_dns(int argc, char **argv)
{
	struct sockaddr_in	 sin, from;
	socklen_t		 flen;
	unsigned char		 b[512], a[8][4];
	ssize_t			 n;
	size_t			 qend;
	int			 s, i, na, next = 0;

	if (argc < 4 || argc - 3 > 8)
		return 2;
	for (na = 0; na < argc - 3; na++)
		if (inet_pton(AF_INET, argv[3 + na], a[na]) != 1)
			return 2;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(53);
	if (inet_pton(AF_INET, argv[2], &sin.sin_addr) != 1 ||
	    (s = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		perror("prompt-ui dns");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		flen = sizeof(from);
		n = recvfrom(s, b, sizeof(b) - 16, 0,
		    (struct sockaddr *)&from, &flen);
		if (n < 12 || (qend = dns_skip(b, (size_t)n, 12)) == 0 ||
		    qend + 4 > (size_t)n)
			continue;
		qend += 4;
		b[2] = 0x81;		/* response, recursion desired */
		b[3] = 0x80;		/* recursion available */
		b[7] = 1;		/* one answer */
		b[8] = b[9] = b[10] = b[11] = 0;
		memcpy(b + qend, "\xc0\x0c\0\x01\0\x01\0\0\0\x3c\0\x04", 12);
		/* Several addresses: each query gets the next (round robin). */
		i = next++ % na;
		memcpy(b + qend + 12, a[i], 4);
		(void)sendto(s, b, qend + 16, 0, (struct sockaddr *)&from,
		    flen);
	}
}

static int
cmd_conn(int argc, char **argv)
{
	struct sockaddr_storage	 ss;
	struct pollfd		 pfd[MAX_CONNS];
	socklen_t		 len;
	uint64_t		 end;
	int			 n, i, ms, left, ok = 0, refused = 0, other = 0;
	int			 err, pending;
	socklen_t		 elen;
	char			 ip[INET6_ADDRSTRLEN], *at;

	if (argc != 6)
		return 2;
	if ((at = strchr(argv[2], '@')) != NULL) {
		*at = '\0';
		if (dns_resolve(at + 1, argv[2], ip, sizeof(ip)) == -1) {
			printf("unresolved %s\n", argv[2]);
			return 1;
		}
		argv[2] = ip;
	}
	if (tcp_addr(argv[2], atoi(argv[3]), &ss, &len) == -1)
		return 2;
	n = atoi(argv[4]);
	ms = atoi(argv[5]);
	if (n < 1 || n > MAX_CONNS)
		return 2;
	for (i = 0; i < n; i++) {
		pfd[i].fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK,
		    0);
		pfd[i].events = POLLOUT;
		if (pfd[i].fd == -1 || (connect(pfd[i].fd,
		    (struct sockaddr *)&ss, len) == -1 &&
		    errno != EINPROGRESS)) {
			refused += errno == ECONNREFUSED;
			other += errno != ECONNREFUSED;
			if (pfd[i].fd != -1)
				close(pfd[i].fd);
			pfd[i].fd = -1;
		}
	}
	end = now_us() + (uint64_t)ms * 1000;
	for (;;) {
		pending = 0;
		for (i = 0; i < n; i++)
			pending += pfd[i].fd != -1;
		if (pending == 0 || now_us() >= end)
			break;
		left = (int)((end - now_us()) / 1000) + 1;
		if (poll(pfd, n, left) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			elen = sizeof(err);
			getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR, &err,
			    &elen);
			if (err == 0)
				ok++;
			else if (err == ECONNREFUSED)
				refused++;
			else
				other++;
			close(pfd[i].fd);
			pfd[i].fd = -1;
		}
	}
	pending = 0;
	for (i = 0; i < n; i++)
		if (pfd[i].fd != -1) {
			pending++;
			close(pfd[i].fd);
		}
	printf("ok %d refused %d timeout %d other %d\n", ok, refused,
	    pending, other);
	return 0;
}

/* One line from fd into buf (NUL-terminated), within ms. */
static int
read_line(int fd, char *buf, size_t *have, size_t cap, int ms)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	char		*nl;
	ssize_t		 r;
	size_t		 n;
	uint64_t	 end = now_us() + (uint64_t)ms * 1000;

	for (;;) {
		if ((nl = memchr(buf, '\n', *have)) != NULL) {
			n = (size_t)(nl - buf);
			buf[n] = '\0';
			return (int)n;
		}
		if (now_us() >= end || *have == cap)
			return -1;
		if (poll(&pfd, 1, (int)((end - now_us()) / 1000) + 1) <= 0)
			continue;
		if ((r = read(fd, buf + *have, cap - *have)) <= 0)
			return -1;
		*have += (size_t)r;
	}
}

static int
cmd_latency(int argc, char **argv)
{
	static char		 buf[MAX_LINE];
	struct sockaddr_storage	 ss;
	socklen_t		 len;
	char			 err[128], ans[160];
	yajl_val		 v, t, id;
	const char		*hello = "{\"type\":\"hello\",\"version\":1,"
				    "\"client\":\"latency\"}\n"
				    "{\"type\":\"subscribe\",\"asks\":true}\n";
	size_t			 have = 0;
	uint64_t		 t0;
	int			 s, c, i, n, l, got;

	if (argc != 6 || tcp_addr(argv[3], atoi(argv[4]), &ss, &len) == -1)
		return 2;
	n = atoi(argv[5]);
	if ((s = ui_connect(argv[2])) == -1) {
		perror("prompt-ui latency: connect");
		return 1;
	}
	(void)!write(s, hello, strlen(hello));
	/* hello, then the subscription's result. */
	for (got = 0; got < 2; ) {
		if ((l = read_line(s, buf, &have, sizeof(buf), 3000)) < 0)
			return 1;
		got++;
		memmove(buf, buf + l + 1, have - (size_t)l - 1);
		have -= (size_t)l + 1;
	}
	for (i = 0; i < n; i++) {
		c = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
		t0 = now_us();
		if (connect(c, (struct sockaddr *)&ss, len) == -1 &&
		    errno != EINPROGRESS)
			return 1;
		for (;;) {
			if ((l = read_line(s, buf, &have, sizeof(buf),
			    5000)) < 0) {
				fprintf(stderr, "prompt-ui latency: no ask\n");
				return 1;
			}
			v = yajl_tree_parse(buf, err, sizeof(err));
			memmove(buf, buf + l + 1, have - (size_t)l - 1);
			have -= (size_t)l + 1;
			if (v == NULL)
				continue;
			t = get_path(v, (char[]){ "type" });
			if (t != NULL && YAJL_IS_STRING(t) &&
			    strcmp(t->u.string, "ask") == 0)
				break;
			yajl_tree_free(v);
		}
		printf("%llu\n", (unsigned long long)(now_us() - t0));
		id = get_path(v, (char[]){ "id" });
		snprintf(ans, sizeof(ans), "{\"type\":\"answer\",\"id\":%s,"
		    "\"action\":\"allow\",\"duration\":\"once\",\"match\":"
		    "[\"ip\"]}\n", id != NULL && YAJL_IS_NUMBER(id) ?
		    id->u.number.r : "0");
		(void)!write(s, ans, strlen(ans));
		yajl_tree_free(v);
		close(c);
		usleep(20000);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 2 && strcmp(argv[1], "pipe") == 0)
		return cmd_pipe(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "get") == 0)
		return cmd_get(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "many") == 0)
		return cmd_many(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "serve") == 0)
		return cmd_serve(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "conn") == 0)
		return cmd_conn(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "latency") == 0)
		return cmd_latency(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "dns") == 0)
		return cmd_dns(argc, argv);
	fprintf(stderr, "usage: prompt-ui pipe|many|get|serve|conn|dns|"
	    "latency ...\n");
	return 2;
}
