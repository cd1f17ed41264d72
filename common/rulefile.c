/*
 * rulefile.c: which names packetd may create or remove in the rules
 * directory.  A rule's name becomes a file name only through this gate:
 * no path separator, no "..", no leading dot, no control character,
 * bounded, and ".json" at the end.
 */
#include <string.h>

#include "rulefile.h"

int
rulefile_name_ok(const char *name)
{
	size_t	 n, i;

	if (name == NULL || (n = strlen(name)) <= 5 || n > MAX_RULEFILE_NAME)
		return 0;
	if (strcmp(name + n - 5, ".json") != 0)
		return 0;
	if (name[0] == '.' || strstr(name, "..") != NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (name[i] == '/' || name[i] == '\\' ||
		    (unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	return 1;
}
