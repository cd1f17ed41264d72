/*
 * msg.h: building, sending, receiving and checking the messages of
 * proto.h.  Nothing here trusts a received byte before msg_check()
 * has passed it.
 */
#ifndef TATTLE_MSG_H
#define TATTLE_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

struct msg_attr_ref {
	uint16_t	type;
	uint16_t	len;
	uint32_t	off;		/* of the value, within buf */
};

struct msg {
	uint8_t			buf[MAX_MSGSIZE];
	size_t			len;	/* bytes in buf */
	int			fd;	/* carried descriptor, or -1 */
	unsigned int		nattrs;	/* valid after msg_check() */
	struct msg_attr_ref	attrs[MAX_ATTRS];
};

/* Building. */
void		 msg_init(struct msg *, enum msg_type, uint32_t);
int		 msg_set_body(struct msg *, const void *, size_t);
int		 msg_add_attr(struct msg *, enum msg_attr, const void *,
		    size_t);
int		 msg_add_str(struct msg *, enum msg_attr, const char *);
void		 msg_set_fd(struct msg *, int);

/* Transport over SOCK_SEQPACKET. */
int		 msg_send(int, const struct msg *);
int		 msg_send_buf(int, const void *, size_t, int);
int		 msg_recv(int, struct msg *);
int		 msg_recv2(int, struct msg *, struct msg *, int *, int *);
#define MSG_RECV_EMPTY	(-2)	/* msg_recv2(): nothing after the first */

/* Checking and reading. */
int		 msg_check(struct msg *, enum role, enum role, const char **);
int		 msg_check_once(const struct msg *, uint64_t *, const char **);
uint32_t	 msg_type(const struct msg *);
uint32_t	 msg_id(const struct msg *);
void		 msg_get_body(const struct msg *, void *, size_t);
const void	*msg_get_attr(const struct msg *, enum msg_attr, size_t *);
const char	*msg_get_str(const struct msg *, enum msg_attr);
unsigned int	 msg_attr_count(const struct msg *, enum msg_attr);
const char	*msg_get_str_n(const struct msg *, enum msg_attr, unsigned int);
int		 msg_copy_attrs(struct msg *, const struct msg *, uint64_t);
int		 msg_take_fd(struct msg *);
void		 msg_close_fd(struct msg *);

/* Names, for logs. */
const char	*msg_type_name(uint32_t);
const char	*role_name(enum role);
size_t		 msg_body_size(uint32_t);
uint64_t	 msg_attrs_allowed(uint32_t);
uint64_t	 msg_attrs_required(uint32_t);
int		 msg_carries_fd(uint32_t);
int		 msg_comes_once(uint32_t);
int		 attr_is_string(uint32_t);

#endif /* TATTLE_MSG_H */
