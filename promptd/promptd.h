/*
 * promptd.h: the process that talks to the user.
 */
#ifndef TATTLE_PROMPTD_H
#define TATTLE_PROMPTD_H

#include "child.h"

#define PROMPT_MAX_FDS	16	/* 0-5 and UI clients */

void	 promptd_sandbox(const struct child_env *);
size_t	 promptd_sandbox_nsyscalls(void);

#endif /* TATTLE_PROMPTD_H */
