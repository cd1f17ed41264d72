/*
 * policy_limits.h: every bound of the policy library in one place.
 *
 * Input beyond a bound is refused with an error naming the bound; nothing
 * is truncated silently.  The sizes are per object (one rule file, one list
 * directory), so the memory a policy set may use is at most
 * MAX_RULES * (MAX_RULE_FILE_SIZE-derived state) plus, per list directory,
 * about 2.5 times MAX_LIST_DIR_BYTES.
 */
#ifndef POLICY_LIMITS_H
#define POLICY_LIMITS_H

/* One rule file (bytes) and its JSON shape. */
#define MAX_RULE_FILE_SIZE	(1024 * 1024)
#define MAX_JSON_DEPTH		32	/* nested objects/arrays */
#define MAX_JSON_NODES		65536	/* values in one document */
#define MAX_OP_CHILDREN		256	/* operators in one "list" */

/* Rule set. */
#define MAX_RULES		65536	/* rules loaded at once */
#define MAX_RULE_NAME_LOAD	4096	/* a name read from an existing file */
#define POLICY_NAME_MAX		128	/* a name the daemon may write */
#define MAX_RULE_NOTES		16	/* warnings kept per rule */
#define MAX_ENV_NAMES		64	/* distinct process.env.NAME operands */
#define MAX_PARENTS		64	/* ancestors compared per connection */

/* Network aliases (LAN, MULTICAST, ...). */
#define MAX_ALIASES		32
#define MAX_ALIAS_NETS		64

/* Lists (lists.* operators). */
#define MAX_LIST_DIRS		256	/* distinct (dir, kind) indexes */
#define MAX_LIST_FILES		4096	/* files per directory */
#define MAX_LIST_DIR_BYTES	(1024UL * 1024 * 1024)	/* all files of a dir */
#define MAX_LIST_ENTRIES	(16 * 1024 * 1024)	/* keys per index */
#define MAX_LIST_KEY		1024	/* bytes of one key (longer: skipped) */
#define MAX_LIST_REGEXPS	20000	/* lists.domains_regexp patterns */
#define MAX_LIST_NOTES		32	/* line-level warnings kept per dir */
#define MAX_HOST_LABELS		128	/* labels in a host name */

/* Matching: a regexp's literal is looked for by a plain scan up to this
 * (value bytes x literal bytes), by memmem (linear) beyond. */
#define PCONTAINS_SCAN_MAX	4096

/* Buffers of struct policy_err / diagnostics. */
#define POLICY_ERR_FILE		256
#define POLICY_ERR_RULE		256
#define POLICY_ERR_FIELD	96
#define POLICY_ERR_REASON	512

#endif /* POLICY_LIMITS_H */
