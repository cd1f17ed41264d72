/*
 * operands.c: a connection as policy/ sees it.  Its operands come from
 * packetd (the tuple, the socket's uid), attributord (the process) and
 * the DNS names ruled trusts (names.c).
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <string.h>

#include "compat.h"
#include "policy.h"
#include "ruled.h"

#define OPERANDS_MAX_PARENTS	64
#define OPERANDS_MAX_ENV	MAX_ATTRS

/* What the policy_conn points into: valid until the next connection. */
struct operands {
	struct policy_conn	 pc;
	const char		*parents[OPERANDS_MAX_PARENTS];
	struct policy_env	 env[OPERANDS_MAX_ENV];
	char			 envbuf[MAX_MSGSIZE];
};

static struct operands	 ops;

static void	 operands_env(struct operands *, const struct msg *);

/* IPv4-mapped IPv6 addresses are IPv4, as Go prints them. */
void
operands_ip(struct policy_ip *ip, uint8_t family, const uint8_t *a)
{
	static const uint8_t	 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				    0xff, 0xff };

	memset(ip, 0, sizeof(*ip));
	if (family == AF_INET) {
		ip->family = 4;
		memcpy(ip->addr, a, 4);
	} else if (memcmp(a, mapped, sizeof(mapped)) == 0) {
		ip->family = 4;
		memcpy(ip->addr, a + 12, 4);
	} else {
		ip->family = 6;
		memcpy(ip->addr, a, 16);
	}
}

/* The environment variables attributord read, as name and value. */
static void
operands_env(struct operands *o, const struct msg *m)
{
	struct policy_conn	*pc = &o->pc;
	const char		*kv, *eq;
	size_t			 i, n, off = 0, l;

	n = msg_attr_count(m, ATTR_PROC_ENV);
	for (i = 0; i < n; i++) {
		kv = msg_get_str_n(m, ATTR_PROC_ENV, i);
		if ((eq = strchr(kv, '=')) == NULL)
			continue;
		l = eq - kv;
		if (pc->nenv == OPERANDS_MAX_ENV || off + l + 1 >
		    sizeof(o->envbuf)) {
			pc->attrs_cut = 1;
			break;
		}
		memcpy(o->envbuf + off, kv, l);
		o->envbuf[off + l] = '\0';
		o->env[pc->nenv].name = o->envbuf + off;
		o->env[pc->nenv++].value = eq + 1;
		off += l + 1;
	}
	pc->env = o->env;
}

/*
 * The connection of attributord's message m (body ca) for policy/; it
 * points into m and into storage reused by the next call.
 */
const struct policy_conn *
operands_build(struct ruled *r, const struct msg *m,
    const struct msg_conn_attr *ca)
{
	struct policy_conn	*pc = &ops.pc;
	const struct msg_conn	*c = &ca->conn;
	size_t			 i, n;

	memset(pc, 0, sizeof(*pc));
	pc->path = msg_get_str(m, ATTR_PROC_PATH);
	pc->command = msg_get_str(m, ATTR_PROC_CMDLINE);
	n = msg_attr_count(m, ATTR_PROC_PARENT);
	for (i = 0; i < n && i < OPERANDS_MAX_PARENTS; i++)
		ops.parents[i] = msg_get_str_n(m, ATTR_PROC_PARENT, i);
	pc->parents = ops.parents;
	pc->nparents = i;
	pc->attrs_cut = i < n;
	operands_env(&ops, m);
	/* What attributord could not send whole (policy.h). */
	pc->command_cut = (ca->flags & CONN_F_CMDLINE_CUT) != 0;
	if (ca->flags & CONN_F_ATTRS_CUT)
		pc->attrs_cut = 1;
	/* Gone before /proc was read: what is missing is unknown, not "". */
	if (ca->flags & CONN_F_RACED) {
		if (pc->command == NULL)
			pc->command_cut = 1;
		pc->attrs_cut = 1;
	}
	/* A path that is not the host's: unknown (issue 15 item 1). */
	pc->path_unsure = (ca->flags & CONN_F_PATH_UNSURE) != 0;
	pc->md5 = msg_get_str(m, ATTR_PROC_MD5);
	pc->sha1 = msg_get_str(m, ATTR_PROC_SHA1);
	pc->pid = ca->pid;
	/* As OpenSnitch: the socket's owner from the queue, else the
	 * process's uid, else unknown. */
	if (c->uid != CONN_UID_UNKNOWN)
		pc->uid = c->uid;
	else if (ca->pid != 0)
		pc->uid = ca->puid;
	else
		pc->uid = -1;
	pc->proto = conn_proto_name(&c->t);
	operands_ip(&pc->src, c->t.family, c->t.saddr);
	operands_ip(&pc->dst, c->t.family, c->t.daddr);
	pc->sport = c->t.sport;
	pc->dport = c->t.dport;
	pc->host = names_host(r, c);
	pc->iface_in = msg_get_str(m, ATTR_IFACE_IN);
	pc->iface_out = msg_get_str(m, ATTR_IFACE_OUT);
	return pc;
}
