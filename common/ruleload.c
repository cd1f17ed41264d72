/*
 * ruleload.c: reads a rules directory and the list directories its rules
 * name, the way the daemon does at start-up (SEMANTICS §2): every
 * "*.json" in lexical byte order, no recursion; each list directory's
 * files ("*.*", not hidden), a missing directory being an empty list.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ruleload.h"

int		 ruleload_rules(struct policy *, const char *,
		    struct ruleload_err **, size_t *);
int		 ruleload_lists(struct policy *,
		    void (*)(const char *, void *), void *);
void		 ruleload_errs_free(struct ruleload_err *, size_t);
int		 ruleload_read_file(int, const char *, size_t, char **,
		    size_t *);
int		 ruleload_user_lookup(const char *, uint32_t *, void *);
static int	 namecmp(const void *, const void *);
static int	 list_names(int, int (*)(const char *), char ***, size_t *);
static int	 want_json(const char *);
static int	 want_any(const char *);
static int	 add_err(struct ruleload_err **, size_t *, const char *,
		    const char *);
static int	 load_list_dir(struct policy *, const char *,
		    void (*)(const char *, void *), void *);

int
ruleload_user_lookup(const char *name, uint32_t *uid, void *arg)
{
	struct passwd	 pw, *res = NULL;
	char		 buf[4096];

	(void)arg;
	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return -1;
	*uid = (uint32_t)pw.pw_uid;
	return 0;
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
want_json(const char *name)
{
	size_t	n = strlen(name);

	return n >= 5 && strcmp(name + n - 5, ".json") == 0;
}

static int
want_any(const char *name)
{
	return strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

/* The names in a directory that want() takes, sorted bytewise. */
static int
list_names(int dfd, int (*want)(const char *), char ***out, size_t *n)
{
	DIR		 *d;
	struct dirent	 *de;
	char		**v = NULL, **nv;
	size_t		  cap = 0;
	int		  fd;

	*out = NULL;
	*n = 0;
	if ((fd = dup(dfd)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!want(de->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				goto fail;
			v = nv;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			goto fail;
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), namecmp);
	*out = v;
	return 0;
fail:
	while (*n > 0)
		free(v[--(*n)]);
	free(v);
	closedir(d);
	errno = ENOMEM;
	return -1;
}

/* Reads a regular file of at most max bytes (one more is an error). */
int
ruleload_read_file(int dfd, const char *name, size_t max, char **buf,
    size_t *len)
{
	struct stat	 st;
	char		*p;
	size_t		 n = 0;
	ssize_t		 r;
	int		 fd, save;

	*buf = NULL;
	*len = 0;
	if ((fd = openat(dfd, name, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		goto fail;
	}
	if ((size_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	if ((p = malloc((size_t)st.st_size + 1)) == NULL)
		goto fail;
	while (n < (size_t)st.st_size) {
		r = read(fd, p + n, (size_t)st.st_size - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			save = r == 0 ? EIO : errno;
			free(p);
			errno = save;
			goto fail;
		}
		n += (size_t)r;
	}
	p[n] = '\0';
	close(fd);
	*buf = p;
	*len = n;
	return 0;
fail:
	save = errno;
	close(fd);
	errno = save;
	return -1;
}

static int
add_err(struct ruleload_err **errs, size_t *n, const char *key,
    const char *msg)
{
	struct ruleload_err	*ne;

	if ((ne = realloc(*errs, (*n + 1) * sizeof(**errs))) == NULL)
		return -1;
	*errs = ne;
	ne[*n].key = strdup(key);
	ne[*n].msg = strdup(msg);
	ne[*n].errnum = 0;
	if (ne[*n].key == NULL || ne[*n].msg == NULL) {
		free(ne[*n].key);
		free(ne[*n].msg);
		return -1;
	}
	(*n)++;
	return 0;
}

void
ruleload_errs_free(struct ruleload_err *errs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(errs[i].key);
		free(errs[i].msg);
	}
	free(errs);
}

/*
 * Loads every *.json of dir.  Returns -1 (errno set) if the directory
 * cannot be read; refused files go to *errs.
 */
int
ruleload_rules(struct policy *p, const char *dir, struct ruleload_err **errs,
    size_t *nerrs)
{
	struct policy_err	  err;
	char			**names, *buf, line[2048];
	size_t			  n, i, len;
	int			  dfd, ret = 0, save;

	*errs = NULL;
	*nerrs = 0;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if (list_names(dfd, want_json, &names, &n) == -1) {
		close(dfd);
		return -1;
	}
	for (i = 0; i < n && ret == 0; i++) {
		if (ruleload_read_file(dfd, names[i], MAX_RULE_FILE_SIZE, &buf,
		    &len) == -1) {
			snprintf(line, sizeof(line), "%s: %s%s", names[i],
			    strerror(errno), errno == EFBIG ?
			    " (MAX_RULE_FILE_SIZE)" : "");
			save = errno;
			if (add_err(errs, nerrs, names[i], line) == -1)
				ret = -1;
			else
				(*errs)[*nerrs - 1].errnum = save;
			continue;
		}
		if (policy_load_rule(p, names[i], buf, len, 0, &err) == -1) {
			policy_err_format(&err, line, sizeof(line));
			if (add_err(errs, nerrs, err.has_rule ? err.rule :
			    names[i], line) == -1)
				ret = -1;
		}
		free(buf);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	close(dfd);
	if (ret == -1)
		errno = ENOMEM;
	return ret;
}

static int
load_list_dir(struct policy *p, const char *dir,
    void (*warn)(const char *, void *), void *arg)
{
	struct policy_list_file	 *files = NULL;
	struct policy_err	  err;
	char			**names = NULL, *buf, line[2048];
	size_t			  n = 0, i, len, total = 0;
	int			  dfd, ret;

	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT && errno != ENOTDIR) {
			snprintf(line, sizeof(line), "%s: %s", dir,
			    strerror(errno));
			warn(line, arg);
		}
		/* As OpenSnitch: the rule loads and matches nothing. */
		return policy_list_load(p, dir, NULL, 0, NULL);
	}
	if (list_names(dfd, want_any, &names, &n) == -1 ||
	    (n > 0 && (files = calloc(n, sizeof(*files))) == NULL)) {
		close(dfd);
		return -1;
	}
	for (i = 0; i < n; i++) {
		files[i].name = names[i];
		if (!policy_list_file_wanted(names[i]))
			continue;
		if (ruleload_read_file(dfd, names[i],
		    MAX_LIST_DIR_BYTES - total, &buf, &len) == -1) {
			if (errno != EISDIR) {
				snprintf(line, sizeof(line), "%s/%s: %s", dir,
				    names[i], strerror(errno));
				warn(line, arg);
			}
			continue;
		}
		files[i].data = buf;
		files[i].len = len;
		total += len;
	}
	close(dfd);
	ret = policy_list_load(p, dir, files, n, &err);
	if (ret == -1) {
		policy_err_format(&err, line, sizeof(line));
		warn(line, arg);
	}
	for (i = 0; i < n; i++) {
		free((char *)files[i].data);
		free(names[i]);
	}
	free(files);
	free(names);
	return 0;
}

/* Hands in every list directory the loaded rules name. */
int
ruleload_lists(struct policy *p, void (*warn)(const char *, void *),
    void *arg)
{
	size_t	i, n;
	char	**dirs;
	int	ret = 0;

	/* Loading changes nothing in the set of directories, but copy. */
	n = policy_list_dir_count(p);
	if ((dirs = calloc(n + 1, sizeof(*dirs))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if ((dirs[i] = strdup(policy_list_dir(p, i))) == NULL)
			ret = -1;
	for (i = 0; i < n && ret == 0; i++)
		if (load_list_dir(p, dirs[i], warn, arg) == -1)
			ret = -1;
	for (i = 0; i < n; i++)
		free(dirs[i]);
	free(dirs);
	return ret;
}
