/*
 * cmd_check.c: `tattle check`: lints a rules directory.  One line per
 * problem, naming the file, the rule and the field:
 *   error: FILE (rule "NAME"): FIELD: REASON          (will not load)
 *   warning: FILE (rule "NAME"): FIELD: MESSAGE [CODE]
 * CODE is D1..D8 for a deliberate difference from OpenSnitch, "surprising"
 * for OpenSnitch behaviour that users get wrong, "shadowed", "duplicate",
 * "json", "list", "disabled", "name".  Exit 0 clean, 1 warnings, 2 errors.
 * A lists rule naming a directory outside the lists roots is an error, as
 * tattled refuses it: the roots are --lists-root's, else ListsRoots of
 * --config (default: the installed config.json if there is one), else the
 * built-in defaults.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "conf.h"

struct check {
	size_t	errors;
	size_t	warnings;
};

int		cmd_check(int, char **);
static void	check_usage(FILE *);
static void	check_list_error(const char *, void *);
static void	check_diag(const struct policy_diag *, void *);
static int	check_config(const char *, int, struct tattle_config *);
static void	check_denied(const char *, size_t);

static void
check_usage(FILE *f)
{
	fprintf(f, "usage: tattle check [--rules-dir DIR] [--checksums] "
	    "[--config FILE]\n       [--lists-root DIR]...\n"
	    "Lint a rules directory (default %s): files that will not "
	    "load,\ndifferences from OpenSnitch (D1-D8), surprising "
	    "constructs, shadowed and\nduplicate rules, lists directories "
	    "outside the lists roots (--lists-root,\nelse ListsRoots of "
	    "--config, default %s).\nExit 0 clean, 1 warnings, 2 errors.\n",
	    _PATH_TATTLE_RULES, _PATH_TATTLE_CONF);
}

/*
 * The configuration's ListsRoots: the built-in defaults when the file
 * is the default one and absent.  -1 with a message on stderr.
 */
static int
check_config(const char *path, int given, struct tattle_config *cfg)
{
	struct stat	 st;
	char		 err[1024], *buf;
	ssize_t		 n;
	int		 fd;

	conf_defaults(cfg);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT && !given)
			return 0;
		fprintf(stderr, "tattle check: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_CONF_SIZE) {
		fprintf(stderr, "tattle check: %s: not a regular file of at "
		    "most %d bytes\n", path, MAX_CONF_SIZE);
		close(fd);
		return -1;
	}
	if ((buf = malloc(st.st_size + 1)) == NULL) {
		close(fd);
		return -1;
	}
	n = read(fd, buf, st.st_size + 1);
	close(fd);
	if (n < 0 || n > st.st_size ||
	    conf_parse(cfg, path, buf, n, NULL, err, sizeof(err)) == -1) {
		fprintf(stderr, "tattle check: %s\n", n < 0 || n > st.st_size ?
		    "configuration: read error or file grew" : err);
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

static void
check_list_error(const char *msg, void *arg)
{
	struct check	*c = arg;

	c->errors++;
	printf("error: %s\n", msg);
}

static void
check_diag(const struct policy_diag *d, void *arg)
{
	struct check	*c = arg;
	char		 name[POLICY_ERR_RULE + 16];
	size_t		 i, o = 0;

	if (d->sev == POLICY_SEV_ERROR)
		c->errors++;
	else
		c->warnings++;
	name[0] = '\0';
	if (d->rule != NULL) {
		name[o++] = '"';
		for (i = 0; d->rule[i] != '\0' && o + 6 < sizeof(name); i++)
			if ((unsigned char)d->rule[i] >= 0x20)
				name[o++] = d->rule[i];
		name[o++] = '"';
		name[o] = '\0';
	}
	printf("%s: %s%s%s%s: %s%s%s [%s]\n",
	    d->sev == POLICY_SEV_ERROR ? "error" : "warning",
	    d->file[0] ? d->file : "(no file)",
	    d->rule != NULL ? " (rule " : "", name, d->rule != NULL ? ")" : "",
	    d->field, d->field[0] ? ": " : "", d->msg, d->code);
}

/*
 * The installed rules directory is root's, _tattle's and the UI
 * group's only (rule files can name what a user runs): say so, and how
 * to run check, rather than a "Permission denied" per file.
 */
static void
check_denied(const char *dir, size_t nfiles)
{
	if (nfiles > 0)
		fprintf(stderr, "tattle check: %zu file%s in %s could not be "
		    "read (permission denied)\n", nfiles,
		    nfiles == 1 ? "" : "s", dir);
	else
		fprintf(stderr, "tattle check: %s: cannot read the directory "
		    "(permission denied)\n", dir);
	fprintf(stderr, "tattle check: rules are readable only by root, "
	    "%s and the group %s:\nrun it as a member of %s (as root: "
	    "adduser $USER %s, then log in again) or as root\n",
	    TATTLE_USER_PREFIX, TATTLE_UI_GROUP, TATTLE_UI_GROUP,
	    TATTLE_UI_GROUP);
}

int
cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules-dir", required_argument, NULL, 'r' },
		{ "checksums", no_argument, NULL, 'c' },
		{ "config", required_argument, NULL, 'C' },
		{ "lists-root", required_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct policy_opts	 opts;
	struct policy		*p;
	struct ruleload_err	*errs = NULL;
	struct check		 c;
	const char		*dir = _PATH_TATTLE_RULES;
	const char		*conf = _PATH_TATTLE_CONF;
	const char		*roots[MAX_CONF_PATHS];
	struct tattle_config	 cfg;
	size_t			 nerrs = 0, i, nroots = 0, denied = 0;
	int			 ch, conf_given = 0;

	memset(&opts, 0, sizeof(opts));
	memset(&c, 0, sizeof(c));
	opts.user_lookup = ruleload_user_lookup;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			dir = optarg;
			break;
		case 'c':
			opts.checksums = 1;
			break;
		case 'C':
			conf = optarg;
			conf_given = 1;
			break;
		case 'L':
			if (nroots == MAX_CONF_PATHS) {
				fprintf(stderr, "tattle check: more than %d "
				    "--lists-root\n", MAX_CONF_PATHS);
				return 2;
			}
			roots[nroots++] = optarg;
			break;
		case 'h':
			check_usage(stdout);
			return 0;
		default:
			check_usage(stderr);
			return 2;
		}
	}
	if (argc != optind) {
		check_usage(stderr);
		return 2;
	}
	if (nroots == 0) {
		if (check_config(conf, conf_given, &cfg) == -1)
			return 2;
		for (i = 0; i < cfg.nlists_roots; i++)
			roots[nroots++] = cfg.lists_roots[i];
	}
	opts.list_roots = roots;
	opts.nlist_roots = nroots;
	if ((p = policy_new(&opts)) == NULL) {
		fprintf(stderr, "tattle check: out of memory\n");
		return 2;
	}
	if (ruleload_rules(p, dir, &errs, &nerrs) == -1) {
		if (errno == EACCES)
			check_denied(dir, 0);
		else
			fprintf(stderr, "tattle check: %s: %s\n", dir,
			    strerror(errno));
		policy_free(p);
		return 2;
	}
	for (i = 0; i < nerrs; i++) {
		printf("error: %s\n", errs[i].msg);
		c.errors++;
		if (errs[i].errnum == EACCES)
			denied++;
	}
	ruleload_errs_free(errs, nerrs);
	if (denied > 0) {
		/* The summary line would count only what could be read. */
		(void)fflush(stdout);
		check_denied(dir, denied);
		policy_free(p);
		return 2;
	}
	if (ruleload_lists(p, check_list_error, &c) == -1) {
		fprintf(stderr, "tattle check: out of memory\n");
		policy_free(p);
		return 2;
	}
	policy_lint(p, check_diag, &c);
	printf("%s: %zu rule%s loaded, %zu error%s, %zu warning%s\n", dir,
	    policy_rule_count(p), policy_rule_count(p) == 1 ? "" : "s",
	    c.errors, c.errors == 1 ? "" : "s", c.warnings,
	    c.warnings == 1 ? "" : "s");
	policy_free(p);
	if (fflush(stdout) == EOF)
		return 2;
	return c.errors > 0 ? 2 : c.warnings > 0 ? 1 : 0;
}
