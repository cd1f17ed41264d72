/*
 * attributord.h: the process that finds which program made a
 * connection.
 */
#ifndef TATTLE_ATTRIBUTORD_H
#define TATTLE_ATTRIBUTORD_H

#include "child.h"

#define ATTR_MAX_FDS	64	/* 0-5, trace pipes, /proc walks */

void	 attributord_sandbox(const struct child_env *);
size_t	 attributord_sandbox_nsyscalls(void);

#endif /* TATTLE_ATTRIBUTORD_H */
