/*
 * name.c: whether a rule name may become a file name.  The daemon writes
 * rules as <rules dir>/<name>.json, so a name from a prompt answer or the
 * UI must not climb out of the directory or hide itself (OpenSnitch's
 * unchecked names are a path traversal, users/SECURITY.md).  Names read
 * from existing files are only keys and are not held to this.
 */
#include "config.h"

#include <string.h>

#include "policy.h"

int	policy_rule_name_ok(const char *);

int
policy_rule_name_ok(const char *name)
{
	size_t	n, i;

	if (name == NULL || (n = strlen(name)) == 0 || n > POLICY_NAME_MAX)
		return 0;
	if (name[0] == '.' || strstr(name, "..") != NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if (name[i] == '/' || name[i] == '\\' ||
		    (unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	}
	return 1;
}
