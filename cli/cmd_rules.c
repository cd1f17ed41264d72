/*
 * cmd_rules.c: `tattle rules`: the rules in force in the running daemon
 * (list), and changes to them (add, delete, enable, disable), through
 * the UI socket.  The daemon validates; this command only carries.
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
#include "uiclient.h"

int		 cmd_rules(int, char **);
static void	 rules_usage(FILE *);
static void	 rules_op(FILE *, yajl_val, int);
static void	 rules_print(yajl_val);
static int	 rules_list(struct uic *, int);
static char	*rules_read(const char *);
static int	 rules_add(struct uic *, const char *, int);
static int	 rules_named(struct uic *, const char *, const char *, int);

static void
rules_usage(FILE *f)
{
	fprintf(f, "usage: tattle rules [--socket PATH] [--json] [list]\n"
	    "       tattle rules [--socket PATH] [--json] add FILE|-\n"
	    "       tattle rules [--socket PATH] [--json] delete|enable|"
	    "disable NAME\n"
	    "List or change the rules of the running daemon.  add takes one "
	    "rule in\nOpenSnitch's JSON format; always-rules are saved in "
	    "the rules directory.\n"
	    "  -s, --socket PATH   the UI socket (default %s)\n"
	    "  -j, --json          print the daemon's JSON reply\n"
	    "Exit 0 done, 1 refused or failed, 2 usage, 3 daemon not running, "
	    "4 no such rule.\n", UI_SOCKET_DEFAULT);
}

/* An operator as a person reads it: operand OP data, list with &&. */
static void
rules_op(FILE *f, yajl_val op, int depth)
{
	yajl_val	 list, d;
	const char	*type, *operand, *sep = "";
	size_t		 i;

	if (op == NULL || !YAJL_IS_OBJECT(op)) {
		fputs("?", f);
		return;
	}
	type = uic_str(op, "type");
	list = uic_get(op, "list");
	if (type != NULL && strcmp(type, "list") == 0 && list != NULL &&
	    YAJL_IS_ARRAY(list) && depth == 0) {
		for (i = 0; i < list->u.array.len; i++) {
			fputs(sep, f);
			rules_op(f, list->u.array.values[i], depth + 1);
			sep = " && ";
		}
		return;
	}
	operand = uic_str(op, "operand");
	uifmt_safe(f, operand != NULL ? operand : "?", 64);
	if (type == NULL || strcmp(type, "simple") == 0)
		fputs(" == ", f);
	else if (strcmp(type, "regexp") == 0)
		fputs(" =~ ", f);
	else
		fprintf(f, " %s ", type);
	d = uic_get(op, "data");
	if (d != NULL && YAJL_IS_STRING(d))
		uifmt_safe(f, d->u.string, 80);
	else if (d != NULL && YAJL_IS_NUMBER(d))
		fputs(d->u.number.r, f);
	else
		fputs("?", f);
}

static void
rules_print(yajl_val rules)
{
	yajl_val	 r, b;
	const char	*s, *file;
	size_t		 i;

	if (rules->u.array.len == 0) {
		printf("no rules\n");
		return;
	}
	for (i = 0; i < rules->u.array.len; i++) {
		r = rules->u.array.values[i];
		b = uic_get(r, "enabled");
		uifmt_safe(stdout, (s = uic_str(r, "name")) != NULL ? s : "?",
		    128);
		printf("\n    %s ", b != NULL && YAJL_IS_TRUE(b) ?
		    "enabled" : "DISABLED");
		uifmt_safe(stdout, (s = uic_str(r, "action")) != NULL ? s :
		    "?", 16);
		printf(" ");
		uifmt_safe(stdout, (s = uic_str(r, "duration")) != NULL ? s :
		    "?", 16);
		b = uic_get(r, "precedence");
		if (b != NULL && YAJL_IS_TRUE(b))
			printf(", precedence");
		b = uic_get(r, "temporary");
		if (b != NULL && YAJL_IS_TRUE(b)) {
			printf(", temporary");
			if ((s = uic_str(r, "expires")) != NULL) {
				printf(" until ");
				uifmt_time(stdout, s);
			}
		}
		if ((file = uic_str(r, "file")) != NULL) {
			printf(", file ");
			uifmt_safe(stdout, file, 140);
		}
		printf("\n    ");
		rules_op(stdout, uic_get(r, "operator"), 0);
		printf("\n");
	}
}

static int
rules_list(struct uic *c, int json)
{
	yajl_val	 v, rules;
	char		*text;
	int		 code;

	if ((v = uic_call(c, "rules.list", NULL, &code)) == NULL) {
		fprintf(stderr, "tattle rules: %s\n", c->err);
		return code;
	}
	rules = uic_get(v, "rules");
	if (rules == NULL || !YAJL_IS_ARRAY(rules)) {
		fprintf(stderr, "tattle rules: the reply has no rule list\n");
		yajl_tree_free(v);
		return EXIT_UI_FAIL;
	}
	if (json) {
		if ((text = jw_tree_text(rules, MAX_UIC_JSON, NULL)) ==
		    NULL) {
			fprintf(stderr, "tattle rules: out of memory\n");
			yajl_tree_free(v);
			return EXIT_UI_FAIL;
		}
		printf("%s\n", text);
		free(text);
	} else
		rules_print(rules);
	yajl_tree_free(v);
	return EXIT_UI_OK;
}

/* FILE or "-": at most MAX_UIC_RULE_FILE bytes, NUL-terminated. */
static char *
rules_read(const char *path)
{
	char	*buf;
	size_t	 n = 0;
	ssize_t	 r;
	int	 fd, save;

	if (strcmp(path, "-") == 0)
		fd = 0;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if ((buf = malloc(MAX_UIC_RULE_FILE + 1)) == NULL)
		goto fail;
	while (n <= MAX_UIC_RULE_FILE) {
		r = read(fd, buf + n, MAX_UIC_RULE_FILE + 1 - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			goto fail;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > MAX_UIC_RULE_FILE) {
		errno = EFBIG;
		goto fail;
	}
	buf[n] = '\0';
	if (fd != 0)
		close(fd);
	return buf;
 fail:
	save = errno;
	free(buf);
	if (fd > 0)
		close(fd);
	errno = save;
	return NULL;
}

static int
rules_add(struct uic *c, const char *path, int json)
{
	yajl_val	 rule, v;
	char		*buf, *text, *members, err[256];
	const char	*name;
	int		 code;

	if ((buf = rules_read(path)) == NULL) {
		fprintf(stderr, "tattle rules: %s: %s\n", path,
		    errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
		return EXIT_UI_FAIL;
	}
	rule = yajl_tree_parse(buf, err, sizeof(err));
	free(buf);
	if (rule == NULL || !YAJL_IS_OBJECT(rule)) {
		if (rule == NULL && strchr(err, '\n') != NULL)
			*strchr(err, '\n') = '\0';
		fprintf(stderr, "tattle rules: %s: not one JSON object%s%s\n",
		    path, rule == NULL ? ": " : "", rule == NULL ? err : "");
		yajl_tree_free(rule);
		return EXIT_UI_FAIL;
	}
	text = jw_tree_text(rule, MAX_UIC_JSON, NULL);
	yajl_tree_free(rule);
	if (text == NULL || asprintf(&members, "\"rule\":%s", text) == -1) {
		free(text);
		fprintf(stderr, "tattle rules: out of memory\n");
		return EXIT_UI_FAIL;
	}
	free(text);
	v = uic_call(c, "rules.add", members, &code);
	free(members);
	if (v == NULL) {
		fprintf(stderr, "tattle rules: add %s: %s\n", path, c->err);
		return code;
	}
	if (json)
		printf("%s\n", c->line);
	else if ((name = uic_str(v, "rule")) != NULL) {
		printf("added rule ");
		uifmt_safe(stdout, name, 128);
		printf("\n");
	}
	yajl_tree_free(v);
	return EXIT_UI_OK;
}

static int
rules_named(struct uic *c, const char *op, const char *name, int json)
{
	yajl_val	 v;
	struct jw	 w;
	char		 type[32];
	char		*members;
	size_t		 n;
	int		 code;

	/* A name that is not UTF-8 goes as \ufffd: no rule has it. */
	jw_init(&w, MAX_UIC_JSON);
	jw_key(&w, "name");
	jw_str(&w, name);
	if ((members = jw_take(&w, &n)) == NULL) {
		fprintf(stderr, "tattle rules: out of memory\n");
		return EXIT_UI_FAIL;
	}
	snprintf(type, sizeof(type), "rules.%s", op);
	v = uic_call(c, type, members, &code);
	free(members);
	if (v == NULL) {
		fprintf(stderr, "tattle rules: %s ", op);
		uifmt_safe(stderr, name, 128);
		fprintf(stderr, ": %s\n", c->err);
		return code;
	}
	if (json)
		printf("%s\n", c->line);
	else {
		printf("%s rule ", strcmp(op, "delete") == 0 ? "deleted" :
		    strcmp(op, "enable") == 0 ? "enabled" : "disabled");
		uifmt_safe(stdout, name, 128);
		printf("\n");
	}
	yajl_tree_free(v);
	return EXIT_UI_OK;
}

int
cmd_rules(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct uic	 c;
	const char	*sock = UI_SOCKET_DEFAULT, *op = "list";
	int		 ch, json = 0, rv;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "s:jh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 's':
			sock = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			rules_usage(stdout);
			return EXIT_UI_OK;
		default:
			rules_usage(stderr);
			return EXIT_UI_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0)
		op = argv[0];
	if (!((strcmp(op, "list") == 0 && argc <= 1) ||
	    ((strcmp(op, "add") == 0 || strcmp(op, "delete") == 0 ||
	    strcmp(op, "enable") == 0 || strcmp(op, "disable") == 0) &&
	    argc == 2))) {
		rules_usage(stderr);
		return EXIT_UI_USAGE;
	}
	if ((rv = uic_open(&c, sock, "tattle rules")) != EXIT_UI_OK) {
		fprintf(stderr, "tattle rules: %s\n", c.err);
		uic_close(&c);
		return rv;
	}
	if (strcmp(op, "list") == 0)
		rv = rules_list(&c, json);
	else if (strcmp(op, "add") == 0)
		rv = rules_add(&c, argv[1], json);
	else
		rv = rules_named(&c, op, argv[1], json);
	uic_close(&c);
	if (fflush(stdout) == EOF)
		return EXIT_UI_FAIL;
	return rv;
}
