/*
 * attrd_desc.h: one process described as ruled is told it: the fixed
 * fields of MSG_CONN_ATTR and its attributes, encoded once so that the
 * attribute cache can keep it and a process's next connection costs no
 * /proc read.
 */
#ifndef TATTLE_ATTRD_DESC_H
#define TATTLE_ATTRD_DESC_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"
#include "procfs.h"

#define ATTRD_HOST_MAX		256	/* ATTR_HOST's bound in proto.h */
#define ATTRD_IFACE_MAX		16	/* ATTR_IFACE_IN/OUT's bound */
#define ATTRD_TLV_HDR		4	/* u16 attribute, u16 length */

/*
 * ruled forwards these attributes in MSG_ASK and MSG_EVENT, whose
 * bodies are larger and which add ATTR_HOST and ATTR_RULE_NAME: leave
 * it that much room, so that what ruled decided on is what the user
 * sees.
 */
#define ATTRD_FORWARD_RESERVE						\
	(sizeof(struct msg_event) - sizeof(struct msg_conn_attr) +	\
	 ATTRD_TLV_HDR + ATTRD_HOST_MAX + ATTRD_TLV_HDR + MAX_RULE_NAME)
/* Attributes: ruled's checker takes MAX_ATTRS; leave room as above. */
#define ATTRD_DESC_MAX_ATTRS	(MAX_ATTRS - 2 - 2)
#define ATTRD_DESC_MAX							\
	(MAX_MSGSIZE - sizeof(struct msg_hdr) -				\
	 sizeof(struct msg_conn_attr) -					\
	 2 * (ATTRD_TLV_HDR + ATTRD_IFACE_MAX) - ATTRD_FORWARD_RESERVE)

struct attrd_desc {
	int32_t		pid;		/* host pid; 0 unknown */
	int32_t		ppid;		/* 0 unknown */
	uint32_t	puid;		/* CONN_UID_UNKNOWN */
	uint32_t	flags;		/* CONN_F_* */
	uint64_t	start_time;	/* clock ticks after boot; 0 unknown */
	size_t		len;		/* bytes used in buf */
	unsigned int	nattrs;
	uint64_t	seen;		/* ATTR_BIT()s added */
	uint8_t		buf[ATTRD_DESC_MAX];	/* TLVs, as in a message */
};

_Static_assert(MAX_NEED_ENV <= 64, "attrd_env.unknown has 64 bits");

/* The environment values found for the names ruled asked for. */
struct attrd_env {
	const char *const	*names;
	const char *const	*values;	/* NULL: not set */
	uint64_t		 unknown;	/* bit i: set, value not read */
	unsigned int		 n;
};

void	attrd_desc_init(struct attrd_desc *);
int	attrd_desc_add(struct attrd_desc *, enum msg_attr, const char *);
int	attrd_desc_next(const struct attrd_desc *, size_t *, uint16_t *,
	    const char **, uint16_t *);
void	attrd_desc_fill(struct attrd_desc *, const char *,
	    const struct proc_attrs *, const struct attrd_env *);
int	attrd_desc_msg(struct msg *, uint32_t, const struct msg_conn_attr *,
	    const struct msg *, const struct attrd_desc *);

#endif /* TATTLE_ATTRD_DESC_H */
