/*
 * stattext.h: the text of MSG_STATS's ATTR_STATS, "name value" lines
 * (proto.h), built by packetd and ruled alike.
 */
#ifndef TATTLE_STATTEXT_H
#define TATTLE_STATTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"

struct stattext {
	char	 buf[MAX_STATS];
	size_t	 len;
	int	 full;		/* a line did not fit: the rest dropped */
};

void	 stattext_init(struct stattext *);
void	 stattext_num(struct stattext *, const char *, uint64_t);
void	 stattext_word(struct stattext *, const char *, const char *);

#endif /* TATTLE_STATTEXT_H */
