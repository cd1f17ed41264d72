/*
 * gen-msg-seeds.c: write the msg fuzz target's seeds, one valid message
 * of each type carrying every attribute it allows (only the required ones
 * where all would not fit), in fuzz-msg's input format: a byte saying
 * whether a descriptor comes with it, then the datagram.
 *
 *	tests/fuzz/gen-msg-seeds tests/fuzz/corpus/msg
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"

static int	 gen_write(const char *, uint32_t, const struct msg *);
static void	 gen_attrs(struct msg *, uint64_t);

static void
gen_attrs(struct msg *m, uint64_t mask)
{
	static const uint8_t	 bytes[] = { 0, 1, 2, 0xff };
	uint32_t		 a;

	for (a = 1; a < ATTR_MAX; a++) {
		if ((mask & ATTR_BIT(a)) == 0)
			continue;
		if (attr_is_string(a))
			(void)msg_add_str(m, a, "x.json");
		else
			(void)msg_add_attr(m, a, bytes, sizeof(bytes));
	}
}

static int
gen_write(const char *dir, uint32_t type, const struct msg *m)
{
	char		 path[4096];
	uint8_t		 withfd = msg_carries_fd(type);
	int		 fd;

	snprintf(path, sizeof(path), "%s/%02u-%s", dir, type,
	    msg_type_name(type));
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1 || write(fd, &withfd, 1) != 1 ||
	    write(fd, m->buf, m->len) != (ssize_t)m->len) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

int
main(int argc, char *argv[])
{
	uint8_t		 body[MAX_MSGSIZE];
	struct msg	 m, one;
	uint32_t	 type;
	size_t		 i, n;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (type = 1; type < MSG_TYPE_MAX; type++) {
		n = msg_body_size(type);
		for (i = 0; i < n; i++)
			body[i] = (uint8_t)(i % 5 == 0 ? 1 : 0);
		msg_init(&m, type, 7);
		if (msg_set_body(&m, body, n) == -1)
			return 1;
		one = m;
		gen_attrs(&m, msg_attrs_allowed(type));
		/* Too many for one datagram: only one of each. */
		if (m.len > MAX_MSGSIZE - 64) {
			m = one;
			gen_attrs(&m, msg_attrs_required(type));
		}
		if (gen_write(argv[1], type, &m) == -1)
			return 1;
	}
	return 0;
}
