/*
 * rulefile.h: the gate a rule file name passes before packetd writes or
 * removes it.
 */
#ifndef TATTLE_RULEFILE_H
#define TATTLE_RULEFILE_H

#define MAX_RULEFILE_NAME	(128 + 5)	/* a rule name and ".json" */

int	 rulefile_name_ok(const char *);

#endif /* TATTLE_RULEFILE_H */
