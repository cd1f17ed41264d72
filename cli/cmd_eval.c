/*
 * cmd_eval.c: `tattle eval`: loads a rules directory as the daemon does at
 * start-up, evaluates one connection and prints one JSON line:
 *   {"action":"allow|deny|reject|prompt-or-default","rule":NAME|null,
 *    "load_errors":[...]}
 * Exit 0 when it evaluated, 1 with a message on stderr when it could not.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "jsonw.h"

int		cmd_eval(int, char **);
static void	eval_usage(FILE *);
static void	eval_warn(const char *, void *);
static int	read_conn(const char *, char **, size_t *);
static int	parse_action(const char *, enum policy_verdict *);
static int	eval_print(const struct policy_result *,
		    const struct ruleload_err *, size_t);

/*
 * {"action":...,"rule":...,"load_errors":[...]}: a file name that is not
 * UTF-8 is printed with \ufffd for its bad bytes (common/jsonw.h).
 */
static int
eval_print(const struct policy_result *res, const struct ruleload_err *errs,
    size_t nerrs)
{
	struct jw	 w;
	char		*text;
	size_t		 i, len;

	/* No bound of its own: as long as the refused files' names. */
	jw_init(&w, SIZE_MAX / 2);
	jw_obj(&w);
	jw_kstr(&w, "action", policy_verdict_name(res->verdict));
	jw_key(&w, "rule");
	if (res->rule != NULL)
		jw_str(&w, res->rule);
	else
		jw_null(&w);
	jw_key(&w, "load_errors");
	jw_arr(&w);
	for (i = 0; i < nerrs; i++)
		jw_str(&w, errs[i].key);
	jw_end(&w);
	jw_end(&w);
	if ((text = jw_take(&w, &len)) == NULL)
		return -1;
	printf("%s\n", text);
	free(text);
	return 0;
}

static void
eval_usage(FILE *f)
{
	fprintf(f, "usage: tattle eval --rules-dir DIR [--default-action "
	    "allow|deny|reject]\n"
	    "                   [--checksums] CONN.json|-\n"
	    "Evaluate one connection against the rules in DIR, as the daemon "
	    "would,\nand print {\"action\":...,\"rule\":...,\"load_errors\":"
	    "[...]}.\n"
	    "  --rules-dir DIR        the rules directory (*.json)\n"
	    "  --default-action A     the configured DefaultAction "
	    "(informational)\n"
	    "  --checksums            Rules.EnableChecksums is true\n"
	    "  CONN.json              the connection, \"-\" for stdin\n");
}

static void
eval_warn(const char *msg, void *arg)
{
	(void)arg;
	fprintf(stderr, "tattle eval: %s\n", msg);
}

static int
parse_action(const char *s, enum policy_verdict *v)
{
	if (strcmp(s, "allow") == 0)
		*v = POLICY_ALLOW;
	else if (strcmp(s, "deny") == 0)
		*v = POLICY_DENY;
	else if (strcmp(s, "reject") == 0)
		*v = POLICY_REJECT;
	else
		return -1;
	return 0;
}

static int
read_conn(const char *path, char **buf, size_t *len)
{
	size_t	cap = 4096, n = 0;
	ssize_t	r;
	char	*p, *np;

	if (strcmp(path, "-") != 0)
		return ruleload_read_file(AT_FDCWD, path, MAX_CONN_FILE_SIZE,
		    buf, len);
	if ((p = malloc(cap)) == NULL)
		return -1;
	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= MAX_CONN_FILE_SIZE + 1) {
				free(p);
				errno = EFBIG;
				return -1;
			}
			cap *= 2;
			if ((np = realloc(p, cap)) == NULL) {
				free(p);
				return -1;
			}
			p = np;
		}
		r = read(STDIN_FILENO, p + n, cap - n - 1);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			free(p);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}

int
cmd_eval(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules-dir", required_argument, NULL, 'r' },
		{ "default-action", required_argument, NULL, 'a' },
		{ "checksums", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct policy_opts	 opts;
	struct policy_result	 res;
	struct policy		*p;
	struct ruleload_err	*errs = NULL;
	struct cli_connfile	*conn;
	const char		*dir = NULL;
	char			*buf, err[512];
	size_t			 nerrs = 0, len, i;
	int			 ch;

	memset(&opts, 0, sizeof(opts));
	opts.user_lookup = ruleload_user_lookup;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			dir = optarg;
			break;
		case 'a':
			if (parse_action(optarg, &opts.default_action) == -1) {
				fprintf(stderr, "tattle eval: --default-action "
				    "%s: not allow, deny or reject\n", optarg);
				return 1;
			}
			break;
		case 'c':
			opts.checksums = 1;
			break;
		case 'h':
			eval_usage(stdout);
			return 0;
		default:
			eval_usage(stderr);
			return 1;
		}
	}
	if (dir == NULL || argc - optind != 1) {
		eval_usage(stderr);
		return 1;
	}
	if (read_conn(argv[optind], &buf, &len) == -1) {
		fprintf(stderr, "tattle eval: %s: %s\n", argv[optind],
		    strerror(errno));
		return 1;
	}
	err[0] = '\0';
	conn = cli_connfile_parse(buf, len, err, sizeof(err));
	free(buf);
	if (conn == NULL) {
		fprintf(stderr, "tattle eval: %s: malformed connection: %s\n",
		    argv[optind], err);
		return 1;
	}
	if ((p = policy_new(&opts)) == NULL) {
		fprintf(stderr, "tattle eval: out of memory\n");
		cli_connfile_free(conn);
		return 1;
	}
	if (ruleload_rules(p, dir, &errs, &nerrs) == -1) {
		fprintf(stderr, "tattle eval: %s: %s\n", dir, strerror(errno));
		goto fail;
	}
	for (i = 0; i < nerrs; i++)
		fprintf(stderr, "tattle eval: refused: %s\n", errs[i].msg);
	if (ruleload_lists(p, eval_warn, NULL) == -1 ||
	    policy_match(p, cli_connfile_get(conn), &res) == -1) {
		fprintf(stderr, "tattle eval: out of memory\n");
		goto fail;
	}
	if (eval_print(&res, errs, nerrs) == -1) {
		fprintf(stderr, "tattle eval: out of memory\n");
		goto fail;
	}
	ruleload_errs_free(errs, nerrs);
	cli_connfile_free(conn);
	policy_free(p);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "tattle eval: stdout: %s\n", strerror(errno));
		return 1;
	}
	return 0;
fail:
	ruleload_errs_free(errs, nerrs);
	cli_connfile_free(conn);
	policy_free(p);
	return 1;
}
