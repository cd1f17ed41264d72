/*
 * ruled.h: the decision process.
 */
#ifndef TATTLE_RULED_H
#define TATTLE_RULED_H

#include "child.h"

#define RULED_MAX_FDS	16	/* 0-5 and descriptors in flight */

void	 ruled_sandbox(const struct child_env *);
size_t	 ruled_sandbox_nsyscalls(void);

#endif /* TATTLE_RULED_H */
