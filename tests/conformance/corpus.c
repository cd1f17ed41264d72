/*
 * corpus.c: runs every case of the OpenSnitch conformance corpus through
 * `tattle eval`, exactly as ../shared/opensnitch/conformance/README.md
 * ("How the project runs this corpus") says: per case an empty temp dir B
 * with the lists files under it and rules[i] as B/rules/NNNN.json, then in
 * B: tattle eval --rules-dir B/rules [--default-action A] [--checksums]
 * B/connection.json.  The "tattle" key replaces "expect" when present; a
 * corpus "rules[i]" load error is the file name NNNN.json.  A case with
 * a "tattle" key or a SURPRISING source must also make `tattle check`
 * warn (exit 1 or 2).
 *
 * usage: corpus [CASES.json [TATTLE]]   (defaults compiled in)
 * A missing or empty corpus is a failure, never a skip.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#define CASE_TIMEOUT_MS	20000
#define MAX_OUTPUT	65536
#define MAX_CORPUS	(64 * 1024 * 1024)

struct result {
	char	 action[64];
	char	*rule;		/* NULL: null */
	char	**errs;
	size_t	 nerrs;
};

static const char	*tattle_bin;
static size_t		 checked;	/* cases tattle check warned about */

int		 main(int, char **);
static yajl_val	 obj_get(yajl_val, const char *);
static int	 gen_value(yajl_gen, yajl_val);
static int	 write_value(const char *, yajl_val);
static int	 write_text(const char *, const char *, size_t);
static int	 mkdirs(const char *);
static int	 rm_entry(const char *, const struct stat *, int,
		    struct FTW *);
static int	 run_eval(const char *, int, const char *, int, char *,
		    size_t, char *, size_t);
static int	 parse_result(const char *, struct result *);
static void	 free_result(struct result *);
static int	 strcmpp(const void *, const void *);
static int	 run_case(yajl_val, const char *);
static char	*slurp(const char *, size_t *);

static yajl_val
obj_get(yajl_val o, const char *key)
{
	size_t	i;

	if (!YAJL_IS_OBJECT(o))
		return NULL;
	for (i = 0; i < o->u.object.len; i++)
		if (strcmp(o->u.object.keys[i], key) == 0)
			return o->u.object.values[i];
	return NULL;
}

static int
gen_value(yajl_gen g, yajl_val v)
{
	size_t	i;
	const char *k;

	if (YAJL_IS_STRING(v))
		return yajl_gen_string(g, (const unsigned char *)v->u.string,
		    strlen(v->u.string)) == yajl_gen_status_ok ? 0 : -1;
	if (YAJL_IS_NUMBER(v))
		return yajl_gen_number(g, v->u.number.r,
		    strlen(v->u.number.r)) == yajl_gen_status_ok ? 0 : -1;
	if (YAJL_IS_TRUE(v))
		return yajl_gen_bool(g, 1) == yajl_gen_status_ok ? 0 : -1;
	if (YAJL_IS_FALSE(v))
		return yajl_gen_bool(g, 0) == yajl_gen_status_ok ? 0 : -1;
	if (YAJL_IS_NULL(v))
		return yajl_gen_null(g) == yajl_gen_status_ok ? 0 : -1;
	if (YAJL_IS_ARRAY(v)) {
		if (yajl_gen_array_open(g) != yajl_gen_status_ok)
			return -1;
		for (i = 0; i < v->u.array.len; i++)
			if (gen_value(g, v->u.array.values[i]) == -1)
				return -1;
		return yajl_gen_array_close(g) == yajl_gen_status_ok ? 0 : -1;
	}
	if (yajl_gen_map_open(g) != yajl_gen_status_ok)
		return -1;
	for (i = 0; i < v->u.object.len; i++) {
		k = v->u.object.keys[i];
		if (yajl_gen_string(g, (const unsigned char *)k, strlen(k)) !=
		    yajl_gen_status_ok ||
		    gen_value(g, v->u.object.values[i]) == -1)
			return -1;
	}
	return yajl_gen_map_close(g) == yajl_gen_status_ok ? 0 : -1;
}

static int
write_text(const char *path, const char *s, size_t n)
{
	int	fd;
	ssize_t	w;
	size_t	o = 0;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		return -1;
	while (o < n) {
		if ((w = write(fd, s + o, n - o)) <= 0) {
			close(fd);
			return -1;
		}
		o += (size_t)w;
	}
	return close(fd);
}

static int
write_value(const char *path, yajl_val v)
{
	yajl_gen		 g;
	const unsigned char	*buf;
	size_t			 len;
	int			 r = -1;

	if (YAJL_IS_STRING(v))
		return write_text(path, v->u.string, strlen(v->u.string));
	if ((g = yajl_gen_alloc(NULL)) == NULL)
		return -1;
	if (gen_value(g, v) == 0 &&
	    yajl_gen_get_buf(g, &buf, &len) == yajl_gen_status_ok)
		r = write_text(path, (const char *)buf, len);
	yajl_gen_free(g);
	return r;
}

/* mkdir -p of the directories above path. */
static int
mkdirs(const char *path)
{
	char	buf[PATH_MAX], *s;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
	for (s = buf + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return 0;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

/*
 * Runs tattle eval (or check) in dir B; stdout into out, stderr errout.
 * Returns the exit status, or -1 (timeout, signal, fork failure).
 */
static int
run_eval(const char *b, int check, const char *action, int checksums,
    char *out, size_t outlen, char *errout, size_t errlen)
{
	char		 rules[PATH_MAX], conn[PATH_MAX];
	char		*argv[10];
	int		 po[2], pe[2], st, argc = 0, r;
	size_t		 no = 0, ne = 0;
	pid_t		 pid;
	struct pollfd	 pfd[2];
	struct timespec	 t0, t1;
	ssize_t		 n;
	long		 left;

	snprintf(rules, sizeof(rules), "%s/rules", b);
	snprintf(conn, sizeof(conn), "%s/connection.json", b);
	argv[argc++] = "tattle";
	argv[argc++] = check ? "check" : "eval";
	argv[argc++] = "--rules-dir";
	argv[argc++] = rules;
	if (action != NULL && !check) {
		argv[argc++] = "--default-action";
		argv[argc++] = (char *)action;
	}
	if (checksums)
		argv[argc++] = "--checksums";
	if (!check)
		argv[argc++] = conn;
	argv[argc] = NULL;
	if (pipe2(po, O_CLOEXEC) == -1)
		return -1;
	if (pipe2(pe, O_CLOEXEC) == -1) {
		close(po[0]);
		close(po[1]);
		return -1;
	}
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if (chdir(b) == -1 || dup2(po[1], 1) == -1 ||
		    dup2(pe[1], 2) == -1)
			_exit(127);
		execv(tattle_bin, argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pfd[0].fd = po[0];
	pfd[1].fd = pe[0];
	pfd[0].events = pfd[1].events = POLLIN;
	while (pfd[0].fd != -1 || pfd[1].fd != -1) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = CASE_TIMEOUT_MS - ((t1.tv_sec - t0.tv_sec) * 1000 +
		    (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(pfd, 2, (int)left) <= 0) {
			if (left > 0 && errno == EINTR)
				continue;
			kill(pid, SIGKILL);
			break;
		}
		if (pfd[0].fd != -1 && pfd[0].revents) {
			n = read(po[0], out + no, outlen - 1 - no);
			if (n <= 0 || (no += (size_t)n) >= outlen - 1)
				pfd[0].fd = -1;
		}
		if (pfd[1].fd != -1 && pfd[1].revents) {
			n = read(pe[0], errout + ne, errlen - 1 - ne);
			if (n <= 0 || (ne += (size_t)n) >= errlen - 1)
				pfd[1].fd = -1;
		}
	}
	out[no] = '\0';
	errout[ne] = '\0';
	close(po[0]);
	close(pe[0]);
	while ((r = waitpid(pid, &st, 0)) == -1 && errno == EINTR)
		;
	if (r == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int
strcmpp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
free_result(struct result *r)
{
	size_t	i;

	free(r->rule);
	for (i = 0; i < r->nerrs; i++)
		free(r->errs[i]);
	free(r->errs);
	memset(r, 0, sizeof(*r));
}

/* {"action":..,"rule":..,"load_errors":[..]} with the errors sorted. */
static int
fill_result(yajl_val o, struct result *r)
{
	yajl_val	a, ru, le;
	size_t		i;

	memset(r, 0, sizeof(*r));
	a = obj_get(o, "action");
	ru = obj_get(o, "rule");
	le = obj_get(o, "load_errors");
	if (!YAJL_IS_STRING(a) || (ru != NULL && !YAJL_IS_STRING(ru) &&
	    !YAJL_IS_NULL(ru)) || (le != NULL && !YAJL_IS_ARRAY(le)))
		return -1;
	snprintf(r->action, sizeof(r->action), "%s", a->u.string);
	if (ru != NULL && YAJL_IS_STRING(ru) &&
	    (r->rule = strdup(ru->u.string)) == NULL)
		return -1;
	if (le == NULL)
		return 0;
	if ((r->errs = calloc(le->u.array.len + 1, sizeof(*r->errs))) == NULL)
		return -1;
	for (i = 0; i < le->u.array.len; i++) {
		if (!YAJL_IS_STRING(le->u.array.values[i]))
			return -1;
		if ((r->errs[i] = strdup(le->u.array.values[i]->u.string)) ==
		    NULL)
			return -1;
		r->nerrs++;
	}
	if (r->nerrs > 0)
		qsort(r->errs, r->nerrs, sizeof(*r->errs), strcmpp);
	return 0;
}

static int
parse_result(const char *text, struct result *r)
{
	yajl_val	t;
	char		e[256];
	int		ret;

	if (strchr(text, '\n') != strrchr(text, '\n') ||
	    (t = yajl_tree_parse(text, e, sizeof(e))) == NULL)
		return -1;
	ret = fill_result(t, r);
	yajl_tree_free(t);
	return ret;
}

/* The corpus writes a refused nameless file as "rules[i]": NNNN.json. */
static void
map_rules_index(struct result *r)
{
	size_t	i;
	long	k;
	char	*end, buf[32];

	for (i = 0; i < r->nerrs; i++) {
		if (strncmp(r->errs[i], "rules[", 6) != 0)
			continue;
		k = strtol(r->errs[i] + 6, &end, 10);
		if (strcmp(end, "]") != 0 || k < 0)
			continue;
		snprintf(buf, sizeof(buf), "%04ld.json", k);
		free(r->errs[i]);
		r->errs[i] = strdup(buf);
	}
	if (r->nerrs > 0)
		qsort(r->errs, r->nerrs, sizeof(*r->errs), strcmpp);
}

static int
same_result(const struct result *a, const struct result *b)
{
	size_t	i;

	if (strcmp(a->action, b->action) != 0 || (a->rule == NULL) !=
	    (b->rule == NULL) || (a->rule && strcmp(a->rule, b->rule)) ||
	    a->nerrs != b->nerrs)
		return 0;
	for (i = 0; i < a->nerrs; i++)
		if (a->errs[i] == NULL || b->errs[i] == NULL ||
		    strcmp(a->errs[i], b->errs[i]) != 0)
			return 0;
	return 1;
}

static void
print_result(const char *what, const struct result *r)
{
	size_t	i;

	fprintf(stderr, "    %s: action=%s rule=%s%s%s load_errors=[", what,
	    r->action, r->rule ? "\"" : "", r->rule ? r->rule : "null",
	    r->rule ? "\"" : "");
	for (i = 0; i < r->nerrs; i++)
		fprintf(stderr, "%s%s", i ? "," : "", r->errs[i]);
	fprintf(stderr, "]\n");
}

/* 0 pass, 1 fail (said on stderr). */
static int
run_case(yajl_val c, const char *id)
{
	char		 why[1024];
	size_t		 whylen = sizeof(why);
	char		 b[] = "/tmp/tattle-corpus-XXXXXX", path[PATH_MAX];
	char		 out[MAX_OUTPUT], errout[MAX_OUTPUT];
	yajl_val	 rules, lists, conn, exp, act, cks, src;
	struct result	 want, got;
	size_t		 i;
	int		 st, ret = 1;

	memset(&want, 0, sizeof(want));
	memset(&got, 0, sizeof(got));
	why[0] = '\0';
	rules = obj_get(c, "rules");
	lists = obj_get(c, "lists");
	conn = obj_get(c, "connection");
	exp = obj_get(c, "tattle");
	if (exp == NULL)
		exp = obj_get(c, "expect");
	act = obj_get(c, "default_action");
	cks = obj_get(c, "checksums_enabled");
	if (!YAJL_IS_ARRAY(rules) || conn == NULL || exp == NULL ||
	    fill_result(exp, &want) == -1) {
		snprintf(why, whylen, "malformed case");
		goto out;
	}
	map_rules_index(&want);
	if (mkdtemp(b) == NULL) {
		snprintf(why, whylen, "mkdtemp: %s", strerror(errno));
		goto out;
	}
	for (i = 0; lists != NULL && i < lists->u.object.len; i++) {
		snprintf(path, sizeof(path), "%s/%s", b,
		    lists->u.object.keys[i]);
		if (mkdirs(path) == -1 ||
		    write_value(path, lists->u.object.values[i]) == -1) {
			snprintf(why, whylen, "%.300s: %s", path,
			    strerror(errno));
			goto clean;
		}
	}
	snprintf(path, sizeof(path), "%s/rules", b);
	if (mkdir(path, 0755) == -1) {
		snprintf(why, whylen, "%.300s: %s", path,
			    strerror(errno));
		goto clean;
	}
	for (i = 0; i < rules->u.array.len; i++) {
		snprintf(path, sizeof(path), "%s/rules/%04zu.json", b, i);
		if (write_value(path, rules->u.array.values[i]) == -1) {
			snprintf(why, whylen, "%.300s: %s", path,
			    strerror(errno));
			goto clean;
		}
	}
	snprintf(path, sizeof(path), "%s/connection.json", b);
	if (write_value(path, conn) == -1) {
		snprintf(why, whylen, "%.300s: %s", path,
			    strerror(errno));
		goto clean;
	}
	st = run_eval(b, 0, YAJL_IS_STRING(act) ? act->u.string : NULL,
	    cks != NULL && YAJL_IS_TRUE(cks), out, sizeof(out), errout,
	    sizeof(errout));
	if (st != 0) {
		snprintf(why, whylen, "tattle eval exited %d: %.300s", st,
		    errout);
		goto clean;
	}
	if (parse_result(out, &got) == -1) {
		snprintf(why, whylen, "not one JSON line: %.300s", out);
		goto clean;
	}
	if (!same_result(&want, &got)) {
		fprintf(stderr, "FAIL: %s: verdict differs\n", id);
		print_result("want", &want);
		print_result("got ", &got);
		why[0] = '\0';
		goto clean;
	}
	/*
	 * Where tattle differs (a "tattle" key) or OpenSnitch surprises,
	 * tattle check must say so: exit 1 (warnings) or 2 (errors).
	 */
	src = obj_get(c, "source");
	if (obj_get(c, "tattle") != NULL || (YAJL_IS_STRING(src) &&
	    strstr(src->u.string, "SURPRISING") != NULL)) {
		st = run_eval(b, 1, NULL, cks != NULL && YAJL_IS_TRUE(cks),
		    out, sizeof(out), errout, sizeof(errout));
		if (st != 1 && st != 2) {
			snprintf(why, whylen, "tattle check exited %d, not 1 "
			    "or 2: it did not warn: %.300s", st, out);
			goto clean;
		}
		checked++;
	}
	ret = 0;
clean:
	nftw(b, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
out:
	if (ret != 0 && why[0] != '\0')
		fprintf(stderr, "FAIL: %s: %s\n", id, why);
	free_result(&want);
	free_result(&got);
	return ret;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(path, "re")) == NULL)
		return NULL;
	if ((buf = malloc(MAX_CORPUS + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, MAX_CORPUS + 1, f);
	fclose(f);
	if (n > MAX_CORPUS) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int
main(int argc, char **argv)
{
	const char	*corpus = CORPUS_PATH;
	char		*text, err[512];
	yajl_val	 t, c, id;
	size_t		 i, len, pass = 0, fail = 0;

	tattle_bin = TATTLE_BIN;
	if (argc > 1)
		corpus = argv[1];
	if (argc > 2)
		tattle_bin = argv[2];
	if ((text = slurp(corpus, &len)) == NULL) {
		fprintf(stderr, "FAIL: corpus %s: %s\n", corpus,
		    strerror(errno));
		printf("0 passed, 1 failed\n");
		return 1;
	}
	t = yajl_tree_parse(text, err, sizeof(err));
	free(text);
	if (t == NULL || !YAJL_IS_ARRAY(t) || t->u.array.len == 0) {
		fprintf(stderr, "FAIL: corpus %s: not a non-empty JSON array "
		    "%s\n", corpus, t == NULL ? err : "");
		printf("0 passed, 1 failed\n");
		yajl_tree_free(t);
		return 1;
	}
	for (i = 0; i < t->u.array.len; i++) {
		c = t->u.array.values[i];
		id = obj_get(c, "id");
		if (run_case(c, YAJL_IS_STRING(id) ? id->u.string :
		    "(no id)") == 0)
			pass++;
		else
			fail++;
	}
	yajl_tree_free(t);
	printf("%s: %zu passed, %zu failed (%zu also through tattle check)\n",
	    corpus, pass, fail, checked);
	return fail > 0 ? 1 : 0;
}
