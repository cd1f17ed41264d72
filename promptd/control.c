/*
 * control.c: the UI socket.  packetd bound it (root-owned directory,
 * mode 0660, the UI group); promptd accepts on it, lets in root and the
 * UI group's members only (the kernel's SO_PEERCRED and SO_PEERGROUPS,
 * recorded when the client connected), and reads JSON lines with a
 * bound on length, rate and requests in flight.  Output to a client is
 * buffered up to a bound; a client that does not read is dropped, so
 * no client can stall promptd.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "promptd.h"
#include "asks.h"
#include "control.h"

struct ui_client {
	int		 fd;		/* -1: a free slot */
	uint32_t	 gen;		/* tells a reused slot apart */
	uint64_t	 num;		/* for logs */
	uid_t		 uid;
	pid_t		 pid;
	int		 hello;
	int		 prompter;
	int		 listener;
	char		 name[MAX_UI_CLIENT_NAME];
	char		*in;		/* MAX_UI_LINE + 1 bytes */
	size_t		 inlen;
	char		*out;
	size_t		 outoff;
	size_t		 outlen;	/* bytes from outoff */
	size_t		 outcap;
	uint64_t	 rate_start;
	uint32_t	 rate_n;
};

static struct ui_client	 clients[MAX_UI_CLIENTS];
static int		 pollmap[CHILD_MAX_POLLFDS];
static size_t		 outbuf_total;
static control_request_fn control_request;

void		 control_init(control_request_fn);
int		 control_fill(struct pollfd *, int);
void		 control_handle(const struct pollfd *, int);
int		 client_send(int, uint32_t, const char *, size_t);
int		 client_alive(int, uint32_t);
int		 client_prompter(int, uint32_t *);
void		 client_send_error(int, uint32_t, const char *,
		    enum uierr_code, const char *);
void		 clients_broadcast(int, const char *, size_t, int, uint32_t);
void		 clients_count(uint32_t *, uint32_t *, uint32_t *);
void		 clients_update_ruled(void);
static int	 control_peer_allowed(int, struct ucred *);
static void	 control_refuse(int, enum uierr_code, const char *);
static void	 control_accept(void);
static int	 client_slot_free(void);
static void	 client_close(int, const char *);
static int	 client_flush(int);
static void	 client_read(int);
static void	 client_line(int, char *, size_t);
static void	 client_subscribe(int, const struct uireq *);
static void	 client_replay_asks(int, uint32_t);
static void	 client_replay_backlog(int, uint32_t, uint32_t);
static int	 client_rate(int);

/* request: where a client's request (not hello or subscribe) goes. */
void
control_init(control_request_fn request)
{
	int	 i;

	control_request = request;
	for (i = 0; i < MAX_UI_CLIENTS; i++)
		clients[i].fd = -1;
}

/*
 * Root, or the UI group as the client's effective gid or one of its
 * supplementary groups.  The groups are the ones the client's process
 * had when it connected, not what /etc/group says now.
 */
static int
control_peer_allowed(int fd, struct ucred *uc)
{
	gid_t		 small[64], *g = small;
	socklen_t	 len = sizeof(*uc);
	size_t		 i, n;
	int		 ok = 0;

	memset(uc, 0, sizeof(*uc));
	uc->uid = (uid_t)-1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, uc, &len) == -1 ||
	    len != sizeof(*uc)) {
		log_warn("%s: SO_PEERCRED", __func__);
		return 0;
	}
	if (uc->uid == 0 || uc->gid == pds.cfg.ui_gid)
		return 1;
	len = sizeof(small);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) == -1) {
		if (errno != ERANGE || len > MAX_UI_PEER_GROUPS *
		    sizeof(gid_t) || (g = malloc(len)) == NULL) {
			log_warn("%s: SO_PEERGROUPS", __func__);
			return 0;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) == -1) {
			log_warn("%s: SO_PEERGROUPS", __func__);
			free(g);
			return 0;
		}
	}
	n = len / sizeof(gid_t);
	for (i = 0; i < n && !ok; i++)
		ok = g[i] == pds.cfg.ui_gid;
	if (g != small)
		free(g);
	return ok;
}

/*
 * One error line to a client that is not let in, then close.  What it
 * sent is read first: closing a unix socket with unread data would
 * reset it before it could read the line.
 */
static void
control_refuse(int fd, enum uierr_code code, const char *why)
{
	struct jw	 w;
	char		*line, junk[4096];
	size_t		 len;
	int		 i;

	jw_init(&w, 4096);
	uiout_error(&w, NULL, code, why);
	jw_bytes(&w, "\n", 1);
	if ((line = jw_take(&w, &len)) != NULL) {
		for (i = 0; i < 16 && read(fd, junk, sizeof(junk)) > 0; i++)
			;
		/* Best effort: the client is refused either way. */
		if (write(fd, line, len) != (ssize_t)len)
			log_debug("refusal to a client: not written whole");
		free(line);
	}
	close(fd);
}

static int
client_slot_free(void)
{
	int	 i;

	for (i = 0; i < MAX_UI_CLIENTS; i++)
		if (clients[i].fd == -1)
			return i;
	return -1;
}

static void
control_accept(void)
{
	struct ui_client	*c;
	struct ucred		 uc;
	struct jw		 w;
	char			*line, why[128];
	size_t			 len;
	int			 fd, slot, k;

	for (k = 0; k < 8; k++) {
		fd = accept4(pds.listen_fd, NULL, NULL,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd == -1) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("%s: accept", __func__);
			return;
		}
		if (!control_peer_allowed(fd, &uc)) {
			pds.st.refused++;
			log_warnx("UI client refused: uid %u (pid %d) is not "
			    "root and not in the UI group (gid %u)",
			    (unsigned int)uc.uid, (int)uc.pid,
			    (unsigned int)pds.cfg.ui_gid);
			snprintf(why, sizeof(why), "uid %u is not root and not "
			    "in the UI group (gid %u)", (unsigned int)uc.uid,
			    (unsigned int)pds.cfg.ui_gid);
			control_refuse(fd, UIERR_FORBIDDEN, why);
			continue;
		}
		if ((slot = client_slot_free()) == -1) {
			pds.st.busy++;
			log_warnx("UI client refused: uid %u (pid %d): already "
			    "%d clients", (unsigned int)uc.uid, (int)uc.pid,
			    MAX_UI_CLIENTS);
			control_refuse(fd, UIERR_BUSY, "too many clients");
			continue;
		}
		c = &clients[slot];
		if ((c->in = malloc(MAX_UI_LINE + 1)) == NULL) {
			log_warn("%s", __func__);
			control_refuse(fd, UIERR_INTERNAL, "out of memory");
			continue;
		}
		c->fd = fd;
		c->gen++;
		c->num = ++pds.st.accepted;
		c->uid = uc.uid;
		c->pid = uc.pid;
		log_debug("UI client #%llu: uid %u, pid %d",
		    (unsigned long long)c->num, (unsigned int)uc.uid,
		    (int)uc.pid);
		jw_init(&w, 4096);
		uiout_hello(&w);
		if ((line = jw_take(&w, &len)) != NULL) {
			client_send(slot, c->gen, line, len);
			free(line);
		}
	}
}

/* Close slot; why (if not NULL) is logged. */
static void
client_close(int slot, const char *why)
{
	struct ui_client	*c = &clients[slot];
	int			 was_counted = c->prompter || c->listener;

	if (c->fd == -1)
		return;
	if (why != NULL)
		log_info("UI client #%llu (uid %u%s%s) disconnected: %s",
		    (unsigned long long)c->num, (unsigned int)c->uid,
		    c->name[0] ? ", " : "", c->name, why);
	close(c->fd);
	c->fd = -1;
	free(c->in);
	c->in = NULL;
	c->inlen = 0;
	free(c->out);
	outbuf_total -= c->outlen + c->outoff;
	c->out = NULL;
	c->outoff = c->outlen = c->outcap = 0;
	c->hello = c->prompter = c->listener = 0;
	c->name[0] = '\0';
	c->rate_n = 0;
	if (was_counted)
		clients_update_ruled();
}

int
client_alive(int slot, uint32_t gen)
{
	return slot >= 0 && slot < MAX_UI_CLIENTS && clients[slot].fd != -1 &&
	    clients[slot].gen == gen;
}

/* Whether slot is a prompter now, and its generation. */
int
client_prompter(int slot, uint32_t *gen)
{
	if (slot < 0 || slot >= MAX_UI_CLIENTS || clients[slot].fd == -1 ||
	    !clients[slot].prompter)
		return 0;
	*gen = clients[slot].gen;
	return 1;
}

/* Write what waits.  -1: the client is gone (closed here). */
static int
client_flush(int slot)
{
	struct ui_client	*c = &clients[slot];
	ssize_t			 n;

	while (c->outlen > 0) {
		n = write(c->fd, c->out + c->outoff, c->outlen);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			client_close(slot, errno == EPIPE ||
			    errno == ECONNRESET ? "closed" : "write failed");
			return -1;
		}
		c->outoff += (size_t)n;
		c->outlen -= (size_t)n;
		outbuf_total -= (size_t)n;
	}
	if (c->outlen == 0)
		c->outoff = 0;
	return 0;
}

/*
 * Queue one line (len bytes, no newline) for a client and try to send
 * it at once.  A client whose backlog passes its bound, or whose bytes
 * would pass promptd's total, is dropped.  -1: the client is gone.
 */
int
client_send(int slot, uint32_t gen, const char *line, size_t len)
{
	struct ui_client	*c;
	size_t			 need, cap;
	char			*p;

	if (!client_alive(slot, gen))
		return -1;
	c = &clients[slot];
	need = c->outlen + len + 1;
	if (need > MAX_UI_OUTBUF ||
	    outbuf_total + len + 1 > MAX_UI_OUTBUF_TOTAL) {
		pds.st.slow++;
		client_close(slot, "it does not read what it is sent");
		return -1;
	}
	if (c->outoff > 0 && c->outoff + need > c->outcap) {
		memmove(c->out, c->out + c->outoff, c->outlen);
		c->outoff = 0;
	}
	if (c->outoff + need > c->outcap) {
		cap = c->outcap ? c->outcap : 4096;
		while (cap < c->outoff + need)
			cap *= 2;
		if ((p = realloc(c->out, cap)) == NULL) {
			client_close(slot, "out of memory");
			return -1;
		}
		c->out = p;
		c->outcap = cap;
	}
	memcpy(c->out + c->outoff + c->outlen, line, len);
	c->out[c->outoff + c->outlen + len] = '\n';
	c->outlen += len + 1;
	outbuf_total += len + 1;
	return client_flush(slot);
}

void
client_send_error(int slot, uint32_t gen, const char *req,
    enum uierr_code code, const char *msg)
{
	struct jw	 w;
	char		*line;
	size_t		 len;

	jw_init(&w, 2 * UIERR_MSG + 2 * MAX_UI_REQ_TOKEN);
	uiout_error(&w, req, code, msg);
	if ((line = jw_take(&w, &len)) == NULL)
		return;
	client_send(slot, gen, line, len);
	free(line);
}

/*
 * One line to every client of a kind (prompters: asks; listeners:
 * events), except the one named by (skip, skip_gen).
 */
void
clients_broadcast(int prompters, const char *line, size_t len, int skip,
    uint32_t skip_gen)
{
	int	 i;

	for (i = 0; i < MAX_UI_CLIENTS; i++) {
		if (clients[i].fd == -1 ||
		    (i == skip && clients[i].gen == skip_gen))
			continue;
		if (prompters ? clients[i].prompter : clients[i].listener)
			client_send(i, clients[i].gen, line, len);
	}
}

/* Clients, prompters and listeners connected now. */
void
clients_count(uint32_t *all, uint32_t *prompters, uint32_t *listeners)
{
	int	 i;

	*all = *prompters = *listeners = 0;
	for (i = 0; i < MAX_UI_CLIENTS; i++) {
		if (clients[i].fd == -1)
			continue;
		(*all)++;
		*prompters += clients[i].prompter != 0;
		*listeners += clients[i].listener != 0;
	}
}

/*
 * Tell ruled whom it may ask and whether anyone wants events.  promptd
 * counts itself as a listener: it keeps the recent events for `tattle
 * events` (the backlog).
 */
void
clients_update_ruled(void)
{
	struct msg_clients	 mc;
	struct msg		 m;
	uint32_t		 all, p, l;

	if (!pds.have_config)
		return;
	clients_count(&all, &p, &l);
	l++;
	if (pds.sent_clients && p == pds.sent_prompters &&
	    l == pds.sent_listeners)
		return;
	memset(&mc, 0, sizeof(mc));
	mc.prompters = p;
	mc.listeners = l;
	msg_init(&m, MSG_CLIENTS, 0);
	msg_set_body(&m, &mc, sizeof(mc));
	if (chan_send(pds.ruled, &m) == -1)
		fatal("%s: MSG_CLIENTS to ruled", __func__);
	pds.sent_clients = 1;
	pds.sent_prompters = p;
	pds.sent_listeners = l;
	log_debug("prompters %u, listeners %u (promptd included)", p, l);
}

/* At most MAX_UI_RATE lines in a one-second window. */
static int
client_rate(int slot)
{
	struct ui_client	*c = &clients[slot];
	uint64_t		 now = promptd_now_ms();

	if (now - c->rate_start >= 1000) {
		c->rate_start = now;
		c->rate_n = 0;
	}
	return ++c->rate_n <= MAX_UI_RATE ? 0 : -1;
}

/* Every open ask to one new prompter, with the time it has left. */
static void
client_replay_asks(int slot, uint32_t gen)
{
	struct jw	 w;
	const char	*tail;
	char		*line;
	uint64_t	 now = promptd_now_ms(), deadline;
	size_t		 i = 0, tlen, len;
	uint32_t	 id;

	while (asks_next_waiting(&i, now, &id, &deadline, &tail, &tlen)) {
		jw_init(&w, tlen + 128);
		uiout_ask_line(&w, id, (uint32_t)(deadline - now), tail, tlen);
		if ((line = jw_take(&w, &len)) == NULL)
			continue;
		if (client_send(slot, gen, line, len) == -1) {
			free(line);
			return;
		}
		free(line);
	}
}

/* The last max events, oldest first. */
static void
client_replay_backlog(int slot, uint32_t gen, uint32_t max)
{
	const char	*line;
	size_t		 i, n = backlog_count(), len;

	for (i = n > max ? n - max : 0; i < n; i++) {
		line = backlog_get(i, &len);
		if (client_send(slot, gen, line, len) == -1)
			return;
	}
}

static void
client_subscribe(int slot, const struct uireq *r)
{
	struct ui_client	*c = &clients[slot];
	struct jw		 w;
	char			*line;
	size_t			 len;
	uint32_t		 gen = c->gen;
	int			 changed;

	changed = c->prompter != r->asks || c->listener != r->events;
	c->prompter = r->asks;
	c->listener = r->events;
	if (changed)
		clients_update_ruled();
	if (r->backlog > 0)
		client_replay_backlog(slot, gen, r->backlog);
	if (r->asks && client_alive(slot, gen))
		client_replay_asks(slot, gen);
	jw_init(&w, 2 * MAX_UI_REQ_TOKEN + 64);
	jw_obj(&w);
	jw_kstr(&w, "type", "result");
	if (r->req[0] != '\0') {
		jw_key(&w, "req");
		jw_raw(&w, r->req, strlen(r->req));
	}
	jw_key(&w, "ok");
	jw_bool(&w, 1);
	jw_end(&w);
	if ((line = jw_take(&w, &len)) != NULL) {
		client_send(slot, gen, line, len);
		free(line);
	}
}

/* One complete line from a client. */
static void
client_line(int slot, char *line, size_t len)
{
	struct ui_client	*c = &clients[slot];
	struct uireq		 r;
	struct uierr		 e;
	uint32_t		 gen = c->gen;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (client_rate(slot) == -1) {
		pds.st.bad++;
		client_send_error(slot, gen, NULL, UIERR_RATE, "more than "
		    "100 requests in a second");
		client_close(slot, "over the request rate");
		return;
	}
	if (len == 0)
		return;
	if (uireq_parse(line, len, &r, &e) == -1) {
		client_send_error(slot, gen, e.req, e.code, e.msg);
		if (e.fatal) {
			pds.st.bad++;
			client_close(slot, e.msg);
		}
		return;
	}
	if (!c->hello && r.type != UIREQ_HELLO) {
		client_send_error(slot, gen, r.req, UIERR_BAD_REQUEST,
		    "type: send a hello first");
	} else if (r.type == UIREQ_HELLO) {
		if (c->hello)
			client_send_error(slot, gen, r.req, UIERR_BAD_REQUEST,
			    "type: a second hello");
		c->hello = 1;
		strlcpy(c->name, r.client, sizeof(c->name));
	} else if (r.type == UIREQ_SUBSCRIBE)
		client_subscribe(slot, &r);
	else
		control_request(slot, gen, &r);
	uireq_clear(&r);
}

static void
client_read(int slot)
{
	struct ui_client	*c = &clients[slot];
	uint32_t		 gen = c->gen;
	ssize_t			 n;
	char			*nl;
	size_t			 used;
	int			 k;

	for (k = 0; k < 4 && client_alive(slot, gen); k++) {
		n = read(c->fd, c->in + c->inlen, MAX_UI_LINE + 1 - c->inlen);
		if (n == 0) {
			client_close(slot, "closed");
			return;
		}
		if (n == -1) {
			if (errno != EAGAIN && errno != EINTR)
				client_close(slot, "read failed");
			return;
		}
		c->inlen += (size_t)n;
		used = 0;
		while (client_alive(slot, gen) && (nl = memchr(c->in + used,
		    '\n', c->inlen - used)) != NULL) {
			client_line(slot, c->in + used,
			    (size_t)(nl - (c->in + used)));
			used = (size_t)(nl - c->in) + 1;
		}
		if (!client_alive(slot, gen))
			return;
		memmove(c->in, c->in + used, c->inlen - used);
		c->inlen -= used;
		if (c->inlen == MAX_UI_LINE + 1) {
			pds.st.bad++;
			client_send_error(slot, gen, NULL, UIERR_TOO_LONG,
			    "a line over 65536 bytes");
			client_close(slot, "a line over the limit");
			return;
		}
	}
}

int
control_fill(struct pollfd *pfd, int max)
{
	int	 i, n = 0;

	/* Nobody is let in before the UI group is known. */
	if (pds.have_config && n < max) {
		pfd[n].fd = pds.listen_fd;
		pfd[n].events = POLLIN;
		pfd[n].revents = 0;
		pollmap[n++] = -1;
	}
	for (i = 0; i < MAX_UI_CLIENTS && n < max; i++) {
		if (clients[i].fd == -1)
			continue;
		pfd[n].fd = clients[i].fd;
		pfd[n].events = POLLIN;
		if (clients[i].outlen > 0)
			pfd[n].events |= POLLOUT;
		pfd[n].revents = 0;
		pollmap[n++] = i;
	}
	return n;
}

void
control_handle(const struct pollfd *pfd, int n)
{
	int	 i, slot;

	for (i = 0; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		if ((slot = pollmap[i]) == -1) {
			control_accept();
			continue;
		}
		if (clients[slot].fd != pfd[i].fd)
			continue;	/* closed and reused in this round */
		if ((pfd[i].revents & POLLOUT) && client_flush(slot) == -1)
			continue;
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			client_read(slot);
	}
}
