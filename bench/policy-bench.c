/*
 * policy-bench.c: the rule engine's figures (make bench-policy):
 *
 *  1. load a 1,000,000-domain hosts file (read + index), in a fresh child
 *     process so its peak RSS is the load's alone;   target <= 1 s, 96 MB
 *  2. one lookup against it (policy_match, a lists.domains rule), hits and
 *     misses, each timed alone;                       target <= 2 us median
 *  3. a realistic 500-rule set (per-program rules as prompts make them,
 *     program+host and program+port lists, host rules, regexps, networks,
 *     ranges, parent/env/user rules, block lists), a stream of 20,000
 *     connections from a pool of programs and hosts; target <= 5 us median
 *
 * usage: policy-bench [-n domains]      (policy-bench --load FILE: child)
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "policy.h"

#define NPROBES		200000
#define NCONNS		20000
#define NAPPS		300

static uint64_t	rng = 0x9e3779b97f4a7c15ULL;

int		 main(int, char **);
static uint64_t	 next(void);
static double	 now_us(void);
static int	 cmp_d(const void *, const void *);
static int	 domain(char *, size_t, unsigned);
static char	*read_all(const char *, size_t *);
static int	 load_child(const char *);
static int	 bench_load(unsigned, char *, size_t);
static void	 bench_lookup(unsigned);
static void	 bench_rules(void);
static struct policy *new_policy(void);
static void	 add(struct policy *, const char *, const char *);
static void	 report(const char *, double *, size_t, double);

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
now_us(void)
{
	struct timespec	t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int
cmp_d(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
domain(char *b, size_t len, unsigned i)
{
	static const char *const w[] = {
		"ads", "track", "cdn", "metrics", "pixel", "beacon", "stat",
		"img", "api", "telemetry"
	};
	static const char *const tld[] = { "com", "net", "org", "io", "de" };

	return snprintf(b, len, "%s%u.%s-%u.%s", w[i % 10], i,
	    w[(i / 10) % 10], i % 977, tld[i % 5]);
}

static char *
read_all(const char *path, size_t *len)
{
	FILE	*f;
	long	 n;
	char	*b;

	if ((f = fopen(path, "re")) == NULL || fseek(f, 0, SEEK_END) == -1 ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) == -1 ||
	    (b = malloc((size_t)n + 1)) == NULL ||
	    fread(b, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
	fclose(f);
	*len = (size_t)n;
	return b;
}

static int
user_none(const char *name, uint32_t *uid, void *arg)
{
	(void)arg;
	if (strcmp(name, "root") == 0) {
		*uid = 0;
		return 0;
	}
	return -1;
}

static struct policy *
new_policy(void)
{
	struct policy_opts	o;
	struct policy		*p;

	memset(&o, 0, sizeof(o));
	o.user_lookup = user_none;
	memset(o.hash_seed, 0x5e, sizeof(o.hash_seed));
	if ((p = policy_new(&o)) == NULL) {
		fprintf(stderr, "policy_new: out of memory\n");
		exit(1);
	}
	return p;
}

static void
add(struct policy *p, const char *file, const char *json)
{
	struct policy_err	err;
	char			msg[1024];

	if (policy_load_rule(p, file, json, strlen(json), 0, &err) == -1) {
		policy_err_format(&err, msg, sizeof(msg));
		fprintf(stderr, "bench rule refused: %s\n", msg);
		exit(1);
	}
}

/* The child: read the hosts file and index it; print ms, peak KB, keys. */
static int
load_child(const char *path)
{
	struct policy		*p = new_policy();
	struct policy_list_file	 f;
	struct rusage		 ru;
	double			 t0, t1;
	size_t			 len;
	char			*buf;

	add(p, "r.json", "{\"name\":\"block\",\"action\":\"deny\","
	    "\"enabled\":true,\"operator\":{\"type\":\"lists\",\"operand\":"
	    "\"lists.domains\",\"data\":\"hosts/\"}}");
	t0 = now_us();
	buf = read_all(path, &len);
	f.name = "hosts.txt";
	f.data = buf;
	f.len = len;
	if (policy_list_load(p, "hosts/", &f, 1, NULL) == -1) {
		fprintf(stderr, "policy_list_load failed\n");
		return 1;
	}
	t1 = now_us();
	free(buf);
	getrusage(RUSAGE_SELF, &ru);
	printf("%.1f %ld\n", (t1 - t0) / 1000, ru.ru_maxrss);
	policy_free(p);
	return 0;
}

static int
bench_load(unsigned n, char *path, size_t pathlen)
{
	char	 out[256], *args[4], self[64];
	FILE	*f;
	int	 fd, pfd[2], st;
	size_t	 got;
	pid_t	 pid;
	unsigned i;
	double	 ms;
	long	 kb;

	snprintf(path, pathlen, "/tmp/policy-bench-XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		perror("mkstemp");
		return -1;
	}
	fprintf(f, "# generated: %u domains\n", n);
	for (i = 0; i < n; i++) {
		domain(out, sizeof(out), 2 * i);
		fprintf(f, "0.0.0.0 %s\n", out);
	}
	if (fclose(f) == EOF || pipe(pfd) == -1)
		return -1;
	snprintf(self, sizeof(self), "/proc/%ld/exe", (long)getpid());
	if ((pid = fork()) == 0) {
		dup2(pfd[1], 1);
		args[0] = "policy-bench";
		args[1] = "--load";
		args[2] = path;
		args[3] = NULL;
		execv(self, args);
		_exit(127);
	}
	close(pfd[1]);
	got = (size_t)read(pfd[0], out, sizeof(out) - 1);
	close(pfd[0]);
	waitpid(pid, &st, 0);
	out[got < sizeof(out) ? got : 0] = '\0';
	if (sscanf(out, "%lf %ld", &ms, &kb) != 2) {
		fprintf(stderr, "load child failed\n");
		return -1;
	}
	printf("load %u domains (read + index, fresh process): %.0f ms, "
	    "peak RSS %.1f MB            [target <= 1000 ms, <= 96 MB]\n", n,
	    ms, (double)kb / 1024);
	return 0;
}

static void
report(const char *what, double *t, size_t n, double target)
{
	qsort(t, n, sizeof(*t), cmp_d);
	printf("%s: median %.2f us, p90 %.2f us, p99 %.2f us   [target <= "
	    "%.0f us median]\n", what, t[n / 2], t[n * 9 / 10],
	    t[n * 99 / 100], target);
}

static void
bench_lookup(unsigned n)
{
	struct policy		*p = new_policy();
	struct policy_conn	 c;
	struct policy_list_file	 f;
	struct policy_result	 r;
	size_t			 len, i, hits = 0;
	double			*t, t0;
	char			*buf, host[128];

	add(p, "r.json", "{\"name\":\"block\",\"action\":\"deny\","
	    "\"enabled\":true,\"operator\":{\"type\":\"lists\",\"operand\":"
	    "\"lists.domains\",\"data\":\"hosts/\"}}");
	len = (size_t)n * 40 + 64;
	buf = malloc(len);
	for (len = 0, i = 0; i < n; i++) {
		len += (size_t)snprintf(buf + len, 16, "0.0.0.0 ");
		len += (size_t)domain(buf + len, 128, 2 * (unsigned)i);
		buf[len++] = '\n';
	}
	f.name = "hosts.txt";
	f.data = buf;
	f.len = len;
	if (policy_list_load(p, "hosts/", &f, 1, NULL) == -1)
		exit(1);
	free(buf);
	memset(&c, 0, sizeof(c));
	c.path = "/usr/bin/firefox";
	c.proto = "tcp";
	c.dport = 443;
	c.uid = 1000;
	c.host = host;
	policy_ip_parse("93.184.215.14", &c.dst);
	t = calloc(NPROBES, sizeof(*t));
	for (i = 0; i < NPROBES; i++) {
		/* Half listed names, half not (odd indexes). */
		domain(host, sizeof(host), (unsigned)(next() % (2 * n)));
		t0 = now_us();
		policy_match(p, &c, &r);
		t[i] = now_us() - t0;
		hits += r.verdict == POLICY_DENY;
	}
	printf("lookups: %zu of %d hit\n", hits, NPROBES);
	report("one lookup in 1,000,000 domains (policy_match)", t, NPROBES,
	    2);
	free(t);
	policy_free(p);
}

/* A 500-rule set shaped like a user's rules directory. */
static void
bench_rules(void)
{
	static const char *const apps[] = {
		"firefox", "chromium", "curl", "wget", "ssh", "git", "apt",
		"thunderbird", "signal-desktop", "spotify", "steam", "code",
		"python3", "node", "systemd-resolved", "NetworkManager",
		"syncthing", "dropbox", "slack", "zoom", "discord", "vlc",
		"transmission-gtk", "flatpak", "snapd", "pip", "cargo", "go",
		"docker", "containerd"
	};
	static const char *const hosts[] = {
		"github.com", "api.github.com", "objects.githubusercontent.com",
		"deb.debian.org", "security.debian.org", "www.google.com",
		"mozilla.org", "incoming.telemetry.mozilla.org",
		"ads.example.com",
		"cdn.jsdelivr.net", "pypi.org", "files.pythonhosted.org",
		"registry.npmjs.org", "crates.io", "proxy.golang.org",
		"spclient.wg.spotify.com", "discord.com", "zoom.us",
		"update.code.visualstudio.com", "ocsp.digicert.com", ""
	};
	struct policy		*p = new_policy();
	struct policy_conn	 c;
	struct policy_result	 r;
	struct policy_list_file	 f;
	struct policy_env	 env[2];
	const char		*parents[2];
	char			 j[2048], name[128], path[128], file[64];
	char			 ip[64];
	char			*buf;
	double			*t, t0;
	size_t			 i, len, verdicts[4] = { 0, 0, 0, 0 };
	unsigned		 a, n = 0;

#define RULE(...) do {							\
	snprintf(j, sizeof(j), __VA_ARGS__);				\
	snprintf(file, sizeof(file), "%04u.json", n++);			\
	add(p, file, j);						\
} while (0)
#define HEAD	"{\"created\":\"2025-01-01T00:00:00Z\",\"name\":\"%s\"," \
	"\"action\":\"%s\",\"duration\":\"always\",\"enabled\":true," \
	"\"precedence\":%s,\"operator\":"

	/* 300 per-program rules, as "allow always" answers write them. */
	for (a = 0; a < NAPPS; a++) {
		snprintf(name, sizeof(name),
		    "allow-always-simple-usr-bin-%s-%u",
		    apps[a % 30], a);
		RULE(HEAD "{\"type\":\"simple\",\"operand\":\"process.path\","
		    "\"data\":\"/usr/bin/%s%u\"}}", name, a % 7 ? "allow" :
		    "deny", "false", apps[a % 30], a);
	}
	/* 80 program + host or program + port lists. */
	for (a = 0; a < 80; a++) {
		snprintf(name, sizeof(name), "allow-always-list-%s-%u",
		    apps[a % 30], a);
		if (a % 2)
			RULE(HEAD "{\"type\":\"list\",\"operand\":\"list\","
			    "\"list\":[{\"type\":\"simple\",\"operand\":"
			    "\"process.path\",\"data\":\"/usr/bin/%s%u\"},"
			    "{\"type\":\"simple\",\"operand\":\"dest.host\","
			    "\"data\":\"%s\"}]}}", name, "allow", "false",
			    apps[a % 30], a, hosts[a % 20]);
		else
			RULE(HEAD "{\"type\":\"list\",\"operand\":\"list\","
			    "\"list\":[{\"type\":\"simple\",\"operand\":"
			    "\"process.path\",\"data\":\"/usr/bin/%s%u\"},"
			    "{\"type\":\"simple\",\"operand\":\"dest.port\","
			    "\"data\":\"%u\"}]}}", name, "allow", "false",
			    apps[a % 30], a, a % 4 ? 443 : 22);
	}
	/* 40 host rules. */
	for (a = 0; a < 40; a++) {
		snprintf(name, sizeof(name), "host-%u", a);
		RULE(HEAD "{\"type\":\"simple\",\"operand\":\"dest.host\","
		    "\"data\":\"%s%s\"}}", name, a % 3 ? "allow" : "deny",
		    "false", a < 20 ? "" : "www.", hosts[a % 20]);
	}
	/* 20 regexps on hosts and paths. */
	for (a = 0; a < 20; a++) {
		snprintf(name, sizeof(name), "regexp-%u", a);
		if (a % 2)
			RULE(HEAD "{\"type\":\"regexp\",\"operand\":"
			    "\"dest.host\",\"data\":\"(^|\\\\.)tracker%u\\\\."
			    "example\\\\.(com|net)$\"}}", name, "deny", "false",
			    a);
		else
			RULE(HEAD "{\"type\":\"regexp\",\"operand\":"
			    "\"process.path\",\"data\":\"^/opt/app%u/.*/bin/"
			    "[a-z]+$\"}}", name, "allow", "false", a);
	}
	/* 20 networks, alone and with a port. */
	for (a = 0; a < 20; a++) {
		snprintf(name, sizeof(name), "net-%u", a);
		if (a == 0)
			RULE(HEAD "{\"type\":\"list\",\"operand\":\"list\","
			    "\"list\":[{\"type\":\"network\",\"operand\":"
			    "\"dest.network\",\"data\":\"LAN\"},{\"type\":"
			    "\"simple\",\"operand\":\"dest.port\",\"data\":"
			    "\"53\"}]}}", name, "allow", "false");
		else
			RULE(HEAD "{\"type\":\"network\",\"operand\":"
			    "\"dest.network\",\"data\":\"10.%u.0.0/16\"}}",
			    name,
			    "allow", "false", a);
	}
	/* 15 port ranges for a program. */
	for (a = 0; a < 15; a++) {
		snprintf(name, sizeof(name), "range-%u", a);
		RULE(HEAD "{\"type\":\"list\",\"operand\":\"list\",\"list\":["
		    "{\"type\":\"simple\",\"operand\":\"process.path\","
		    "\"data\":\"/usr/bin/%s%u\"},{\"type\":\"range\","
		    "\"operand\":\"dest.port\",\"data\":\"6881-6999\"}]}}",
		    name,
		    "allow", "false", apps[a % 30], a);
	}
	/* 10 parent, env, user rules. */
	for (a = 0; a < 10; a++) {
		snprintf(name, sizeof(name), "ctx-%u", a);
		if (a % 3 == 0)
			RULE(HEAD "{\"type\":\"simple\",\"operand\":"
			    "\"process.parent.path\",\"data\":\"/usr/bin/"
			    "tool%u\"}}", name, "deny", "false", a);
		else if (a % 3 == 1)
			RULE(HEAD "{\"type\":\"simple\",\"operand\":"
			    "\"process.env.APPIMAGE\",\"data\":"
			    "\"/tmp/app%u\"}}",
			    name, "deny", "false", a);
		else
			RULE(HEAD "{\"type\":\"simple\",\"operand\":"
			    "\"user.id\","
			    "\"data\":\"%u\"}}", name, "allow", "false",
			    2000 + a);
	}
	/* 5 block lists and 10 precedence rules. */
	for (a = 0; a < 5; a++) {
		snprintf(name, sizeof(name), "000-blocklist-%u", a);
		RULE(HEAD "{\"type\":\"lists\",\"operand\":\"%s\",\"data\":"
		    "\"lists/%u/\"}}", name, "deny", "false", a == 4 ?
		    "lists.ips" : "lists.domains", a);
	}
	for (a = 0; a < 10; a++) {
		snprintf(name, sizeof(name), "00-important-%u", a);
		RULE(HEAD "{\"type\":\"simple\",\"operand\":\"process.path\","
		    "\"data\":\"/usr/lib/important%u\"}}", name, "allow",
		    "true", a);
	}
	if (policy_rule_count(p) != 500) {
		fprintf(stderr, "bench: %zu rules\n", policy_rule_count(p));
		exit(1);
	}
	/* Block lists of 10,000 names each. */
	buf = malloc(10000 * 64);
	for (a = 0; a < 5; a++) {
		for (len = 0, i = 0; i < 10000; i++) {
			len += (size_t)snprintf(buf + len, 16, "%s",
			    a == 4 ? "" : "0.0.0.0 ");
			if (a == 4)
				len += (size_t)snprintf(buf + len, 32,
				    "198.%zu.%zu.%u", i / 250, i % 250, a);
			else
				len += (size_t)domain(buf + len, 64,
				    (unsigned)(i * 5 + a));
			buf[len++] = '\n';
		}
		snprintf(path, sizeof(path), "lists/%u/", a);
		f.name = "list.txt";
		f.data = buf;
		f.len = len;
		if (policy_list_load(p, path, &f, 1, NULL) == -1)
			exit(1);
	}
	free(buf);
	/* The stream: programs with rules (and 20% without), pooled hosts. */
	t = calloc(NCONNS, sizeof(*t));
	env[0].name = "HOME";
	env[0].value = "/home/alice";
	env[1].name = "LANG";
	env[1].value = "en_US.UTF-8";
	parents[0] = "/usr/bin/bash";
	parents[1] = "/usr/lib/systemd/systemd";
	for (i = 0; i < NCONNS; i++) {
		memset(&c, 0, sizeof(c));
		a = (unsigned)(next() % (NAPPS + NAPPS / 4));
		snprintf(path, sizeof(path), "/usr/bin/%s%u", apps[a % 30], a);
		c.path = path;
		c.command = path;
		c.parents = parents;
		c.nparents = 2;
		c.env = env;
		c.nenv = 2;
		c.pid = 1000 + (int64_t)(next() % 30000);
		c.uid = next() % 10 ? 1000 : 0;
		c.proto = next() % 4 ? "tcp" : "udp";
		c.host = hosts[next() % 21];
		c.dport = next() % 5 ? 443 : 53;
		c.sport = (uint16_t)(32768 + next() % 28000);
		snprintf(ip, sizeof(ip), "%u.%u.%u.%u",
		    (unsigned)(next() % 2 ? 10 : 93), (unsigned)(next() % 30),
		    (unsigned)(next() % 256), (unsigned)(next() % 256));
		policy_ip_parse(ip, &c.dst);
		policy_ip_parse("192.168.1.20", &c.src);
		t0 = now_us();
		policy_match(p, &c, &r);
		t[i] = now_us() - t0;
		verdicts[r.verdict]++;
	}
	printf("500-rule set: %zu connections: %zu none, %zu allow, %zu "
	    "deny, %zu reject\n", (size_t)NCONNS, verdicts[0], verdicts[1],
	    verdicts[2], verdicts[3]);
	report("one connection against 500 rules", t, NCONNS, 5);
	free(t);
	policy_free(p);
}

int
main(int argc, char **argv)
{
	char		path[64];
	unsigned	n = 1000000;

	if (argc == 3 && strcmp(argv[1], "--load") == 0)
		return load_child(argv[2]);
	if (argc == 3 && strcmp(argv[1], "-n") == 0)
		n = (unsigned)strtoul(argv[2], NULL, 10);
	else if (argc != 1) {
		fprintf(stderr, "usage: policy-bench [-n domains]\n");
		return 1;
	}
	if (bench_load(n, path, sizeof(path)) == -1)
		return 1;
	unlink(path);
	bench_lookup(n);
	bench_rules();
	return 0;
}
