/*
 * tattled: packetd, the privileged parent.  It reads the configuration,
 * opens everything privileged, starts the three children, then locks
 * itself down to _tattle with CAP_NET_ADMIN and runs the event loop.
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "nflog.h"
#include "packetd.h"
#include "queue.h"
#include "sandbox.h"

static __dead void usage(int);
static void	 packetd_options(struct packetd *, int, char **);
static void	 packetd_load_config(struct packetd *);
static void	 packetd_conf_note(const char *);
static void	 packetd_check_users(void);
static void	 packetd_enter_netns(const char *);
static void	 packetd_open_rules(struct packetd *);
static void	 packetd_loop(struct packetd *);
static void	 packetd_test_hooks(struct packetd *);

/* main() hands it to every function as p; no other file names it. */
static struct packetd	 packetd_state;

static const struct option longopts[] = {
	{ "config",	required_argument,	NULL, 'c' },
	{ "rules-dir",	required_argument,	NULL, 'r' },
	{ "ui-socket",	required_argument,	NULL, 's' },
	{ "netns",	required_argument,	NULL, 'N' },
	{ "foreground",	no_argument,		NULL, 'f' },
	{ "debug",	no_argument,		NULL, 'd' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "cleanup",	no_argument,		NULL, 'C' },
	{ "boot-table",	no_argument,		NULL, 'B' },
	{ NULL,		0,			NULL, 0 }
};

static __dead void
usage(int status)
{
	fprintf(status ? stderr : stdout,
"usage: tattled [-dfhnvV] [-c file] [-r dir] [-s path] [-N name]\n"
"  -c, --config FILE     configuration file (default %s)\n"
"  -r, --rules-dir DIR   rules directory (overrides Rules.Path)\n"
"  -s, --ui-socket PATH  UI socket (overrides UISocket; default %s)\n"
"  -N, --netns NAME      guard only network namespace NAME (/run/netns/NAME)\n"
"  -f, --foreground      stay in the foreground, log to stderr\n"
"  -d, --debug           foreground, verbose, children keep stderr\n"
"  -v, --verbose         log debug messages\n"
"  -n                    check the configuration and rules, then exit\n"
"      --cleanup         remove ftrace instances left by earlier runs\n"
"      --boot-table      load the fail-closed table for boot, then exit\n"
"  -h, --help            this help\n"
"  -V, --version         print the version\n",
	    _PATH_TATTLE_CONF, DEFAULT_UI_SOCKET);
	exit(status);
}

static void
packetd_options(struct packetd *p, int argc, char **argv)
{
	const char	*rules = NULL, *uisock = NULL;
	int		 ch;

	strlcpy(p->conf_path, _PATH_TATTLE_CONF, sizeof(p->conf_path));
	while ((ch = getopt_long(argc, argv, "c:r:s:N:fdvnhVC", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (strlcpy(p->conf_path, optarg, sizeof(p->conf_path))
			    >= sizeof(p->conf_path))
				usage(1);
			break;
		case 'r':
			rules = optarg;
			break;
		case 's':
			uisock = optarg;
			break;
		case 'N':
			if (strlcpy(p->netns, optarg, sizeof(p->netns)) >=
			    sizeof(p->netns) || strchr(optarg, '/') != NULL ||
			    optarg[0] == '.' || optarg[0] == '\0') {
				fprintf(stderr, "tattled: bad namespace name "
				    "\"%s\"\n", optarg);
				exit(1);
			}
			break;
		case 'f':
			p->foreground = 1;
			break;
		case 'd':
			p->debug = p->foreground = p->verbose = 1;
			break;
		case 'v':
			p->verbose = 1;
			break;
		case 'n':
			p->check_only = 1;
			break;
		case 'C':
			p->cleanup_only = 1;
			break;
		case 'B':
			p->boot_table = 1;
			break;
		case 'h':
			usage(0);
		case 'V':
			printf("tattled %s (protocol %d)\n", PACKAGE_VERSION,
			    TATTLE_PROTO_VERSION);
			exit(0);
		default:
			usage(1);
		}
	}
	if (optind != argc)
		usage(1);
	if (p->cleanup_only || p->boot_table)
		return;
	packetd_load_config(p);
	if (rules != NULL && strlcpy(p->cfg.rules_path, rules,
	    sizeof(p->cfg.rules_path)) >= sizeof(p->cfg.rules_path)) {
		fprintf(stderr, "tattled: rules directory path too long\n");
		exit(1);
	}
	if (uisock != NULL && (uisock[0] != '/' || strlcpy(p->cfg.ui_socket,
	    uisock, sizeof(p->cfg.ui_socket)) >= sizeof(p->cfg.ui_socket))) {
		fprintf(stderr, "tattled: --ui-socket needs an absolute path "
		    "of at most %zu bytes\n", sizeof(p->cfg.ui_socket) - 1);
		exit(1);
	}
}

static void
packetd_conf_note(const char *line)
{
	log_info("%s", line);
}

static void
packetd_load_config(struct packetd *p)
{
	char		 err[1024], *buf;
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	conf_defaults(&p->cfg);
	if ((fd = open(p->conf_path, O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "tattled: %s: %s\n", p->conf_path,
		    strerror(errno));
		exit(1);
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_CONF_SIZE) {
		fprintf(stderr, "tattled: %s: not a regular file of at most "
		    "%d bytes\n", p->conf_path, MAX_CONF_SIZE);
		exit(1);
	}
	if ((buf = malloc(st.st_size + 1)) == NULL)
		fatal(NULL);
	n = read(fd, buf, st.st_size + 1);
	close(fd);
	if (n < 0 || n > st.st_size) {
		fprintf(stderr, "tattled: %s: read error or file grew\n",
		    p->conf_path);
		exit(1);
	}
	if (conf_parse(&p->cfg, p->conf_path, buf, n, packetd_conf_note, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "tattled: %s\n", err);
		exit(1);
	}
	free(buf);
}

/* A missing user stops tattled here, naming it, before anything runs. */
static void
packetd_check_users(void)
{
	int	 r, missing = 0;

	for (r = ROLE_PACKETD; r < ROLE_MAX; r++)
		if (getpwnam(sandbox_user(r)) == NULL) {
			log_warnx("user %s does not exist", sandbox_user(r));
			missing++;
		}
	if (missing)
		fatalx("create the tattle users first: systemd-sysusers "
		    "tattle.conf, as make install does (see tattled(8))");
}

static void
packetd_enter_netns(const char *name)
{
	char	 path[128];
	int	 fd;

	/* packetd_options() took at most sizeof(p->netns) - 1 bytes. */
	if (snprintf(path, sizeof(path), "/run/netns/%s", name) >=
	    (int)sizeof(path))
		fatalx("network namespace name too long: %s", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		fatal("network namespace %s", path);
	if (setns(fd, CLONE_NEWNET) == -1)
		fatal("setns %s", path);
	close(fd);
	log_info("guarding network namespace %s", name);
}

/*
 * The rules directory must exist.  If _tattle cannot write it, tattle
 * runs read-only (rules from answers stay in memory) and says how to fix
 * it.
 */
static void
packetd_open_rules(struct packetd *p)
{
	struct passwd	*pw = getpwnam(sandbox_user(ROLE_PACKETD));
	struct stat	 st;

	if ((p->rulesfd = open(p->cfg.rules_path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		fatal("rules directory %s", p->cfg.rules_path);
	if (fstat(p->rulesfd, &st) == -1)
		fatal("fstat %s", p->cfg.rules_path);
	if (pw != NULL) {
		p->own_uid = pw->pw_uid;
		p->own_gid = pw->pw_gid;
	}
	if (pw == NULL || !((st.st_uid == pw->pw_uid && (st.st_mode & S_IWUSR))
	    || (st.st_gid == pw->pw_gid && (st.st_mode & S_IWGRP)) ||
	    (st.st_mode & S_IWOTH))) {
		p->read_only = 1;
		log_warnx("rules directory %s is not writable by %s: rules "
		    "from answers will not be saved; fix: chown %s %s",
		    p->cfg.rules_path, sandbox_user(ROLE_PACKETD),
		    sandbox_user(ROLE_PACKETD), p->cfg.rules_path);
	}
}

int
main(int argc, char *argv[])
{
	struct packetd	*p = &packetd_state;

	/*
	 * Whatever started us may have left descriptors open (a shell's
	 * redirections, a service manager's): none of them is ours, and
	 * none may reach the children or outlive the privileges.
	 */
	if (close_range(3, ~0U, 0) == -1)
		fatal("close_range");
	p->procfd = p->rootfd = p->uisock = p->rulesfd = p->inotifyfd = -1;
	p->kstatsfd = -1;
	p->trace.on_fd = p->trace.size_fd = p->trace.enable_fd = -1;
	p->trace.instfd = -1;
	log_init(1, LOG_DAEMON);
	packetd_options(p, argc, argv);
	log_setverbose(p->verbose || p->cfg.log_level <= 0);
	if (p->cleanup_only) {
		/* The service's ExecStopPost: tattled itself, once it has
		 * dropped root, cannot remove its tracefs instance. */
		if (geteuid() != 0)
			fatalx("--cleanup must run as root");
		exit(tracefs_cleanup_stale(0) == -1);
	}
	if (p->boot_table) {
		if (geteuid() != 0)
			fatalx("--boot-table must run as root");
		exit(boottable_install(p->conf_path));
	}
	if (p->check_only)
		exit(check_rules(p));
	if (geteuid() != 0)
		fatalx("tattled must start as root (it drops to %s)",
		    sandbox_user(ROLE_PACKETD));
	packetd_check_users();
	if (!p->foreground) {
		log_init(0, LOG_DAEMON);
		if (daemon(0, 0) == -1)
			fatal("daemon");
	}
	signals_install();
	if (p->netns[0] != '\0')
		packetd_enter_netns(p->netns);
	packetd_open_rules(p);
	rulesdir_watch(p);
	if ((p->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC))
	    == -1)
		fatal("/proc");
	/* The host's root, for attributord to check what a path names
	 * outside a process's mount namespace (attrd_path.c). */
	if ((p->rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1)
		fatal("/");
	p->uisock = uisock_open(&p->cfg, &p->ui_gid);
	p->default_verdict = startup_verdict(p->cfg.default_action);
	p->decide_timeout_ns = (p->cfg.prompt_timeout + 5) * 1000000000ull;
	verdict_open(p);
	packetd_stats_open(p);
	startup_trace_open(p);

	spawn_children(p);
	startup_wait_hello(p);
	startup_check_sandboxes(p);
	startup_send_trace(p);
	startup_send_config(p);
	startup_send_passwd(p);
	startup_wait_ready(p);
	verdict_install(p);
	sdnotify_ready();
	packetd_sandbox(p);
	log_info("tattle %s started: fail mode %s, default action %s, "
	    "rules %s%s", PACKAGE_VERSION, p->cfg.fail_open ? "open" : "closed",
	    conf_action_name(p->cfg.default_action), p->cfg.rules_path,
	    p->read_only ? " (read-only)" : "");
	log_debug("packetd sandboxed, %zu system calls allowed",
	    packetd_sandbox_nsyscalls());
	packetd_loop(p);
	packetd_shutdown(p, 0);
}

enum { PFD_INOTIFY = ROLE_MAX, PFD_QUEUE, PFD_NFLOG, PFD_MAX };

static void
packetd_loop(struct packetd *p)
{
	struct pollfd	 pfd[PFD_MAX];
	struct timespec	 ts, *tsp;
	sigset_t	 empty;
	int		 i, ms;

	sigemptyset(&empty);
	memset(pfd, 0, sizeof(pfd));
	for (i = 0; i < PFD_MAX; i++)
		pfd[i].fd = -1;
	while (!sig_term) {
		for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++) {
			pfd[i].fd = p->children[i].chan.fd;
			pfd[i].events = POLLIN;
			if (chan_want_write(&p->children[i].chan))
				pfd[i].events |= POLLOUT;
		}
		pfd[PFD_INOTIFY].fd = p->inotifyfd;
		pfd[PFD_INOTIFY].events = POLLIN;
		pfd[PFD_QUEUE].fd = queue_fd(p->queue);
		pfd[PFD_QUEUE].events = POLLIN;
		pfd[PFD_NFLOG].fd = nflog_fd(p->nflog);
		pfd[PFD_NFLOG].events = POLLIN;
		ms = verdict_timeout_ms(p);
		tsp = NULL;
		if (ms >= 0) {
			ts.tv_sec = ms / 1000;
			ts.tv_nsec = (ms % 1000) * 1000000L;
			tsp = &ts;
		}
		if (ppoll(pfd, PFD_MAX, tsp, &empty) == -1 && errno != EINTR)
			fatal("ppoll");
		/*
		 * Verdicts first: they release held packets.  Only the
		 * channels poll found readable: a read of each of the
		 * others would be a failing system call per wake-up.
		 */
		for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++) {
			if ((pfd[i].revents & POLLOUT) &&
			    chan_flush(&p->children[i].chan) == -1)
				packetd_shutdown(p, 1);
			if ((pfd[i].revents & (POLLIN | POLLHUP | POLLERR |
			    POLLNVAL)) &&
			    packetd_drain(p, &p->children[i]) == -1)
				packetd_shutdown(p, 1);
		}
		verdict_flush(p);
		/* The queue's reading takes the DNS copies first. */
		if (pfd[PFD_QUEUE].revents & POLLIN)
			verdict_dispatch_queue(p);
		else if (pfd[PFD_NFLOG].revents & POLLIN)
			verdict_dispatch_nflog(p);
		verdict_expire(p);
		verdict_flush(p);
		if (pfd[PFD_INOTIFY].revents & POLLIN)
			rulesdir_dispatch(p);
		if (sig_chld)
			packetd_shutdown(p, 1);
		packetd_test_hooks(p);
	}
}

/*
 * Test builds: SIGUSR1 pings every child; SIGUSR2 asks the child named
 * in TATTLE_TEST_HOOK ("ruled:openat", "promptd:badmsg") to misbehave,
 * or ("ruled:config2") sends it a second MSG_CONFIG.
 */
static void
packetd_test_hooks(struct packetd *p)
{
#ifdef TATTLE_TEST_HOOKS
	static const char *const names[TEST_HOOK_MAX] = {
		[TEST_HOOK_OPENAT] = "openat", [TEST_HOOK_SOCKET] = "socket",
		[TEST_HOOK_PTRACE] = "ptrace", [TEST_HOOK_EXECVE] = "execve",
		[TEST_HOOK_BADMSG] = "badmsg", [TEST_HOOK_HELLO2] = "hello2",
		[TEST_HOOK_CONFIG2] = "config2",
	};
	static uint64_t		 seq;
	struct msg		 m;
	struct msg_ping		 ping;
	struct msg_test_hook	 t;
	struct msg_config	 cfg;
	struct timespec		 ts;
	const char		*spec, *colon;
	int			 i, which;

	if (sig_usr1) {
		sig_usr1 = 0;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++) {
			memset(&ping, 0, sizeof(ping));
			ping.seq = ++seq;
			ping.stamp_ns = (uint64_t)ts.tv_sec * 1000000000ull +
			    ts.tv_nsec;
			msg_init(&m, MSG_PING, 0);
			msg_set_body(&m, &ping, sizeof(ping));
			if (chan_send(&p->children[i].chan, &m) == -1)
				log_warn("ping %s", role_name(i));
		}
	}
	if (sig_usr2) {
		sig_usr2 = 0;
		if ((spec = getenv("TATTLE_TEST_HOOK")) == NULL ||
		    (colon = strchr(spec, ':')) == NULL)
			return;
		for (which = 1; which < TEST_HOOK_MAX; which++)
			if (strcmp(colon + 1, names[which]) == 0)
				break;
		for (i = ROLE_ATTRIBUTORD; i < ROLE_MAX; i++) {
			if (strncmp(spec, role_name(i), colon - spec) != 0 ||
			    role_name(i)[colon - spec] != '\0' ||
			    which == TEST_HOOK_MAX)
				continue;
			memset(&t, 0, sizeof(t));
			t.which = which;
			msg_init(&m, MSG_TEST_HOOK, 0);
			msg_set_body(&m, &t, sizeof(t));
			if (which == TEST_HOOK_CONFIG2) {
				/* packetd misbehaves: MSG_CONFIG comes once. */
				memset(&cfg, 0, sizeof(cfg));
				cfg.default_action = VERDICT_DENY;
				msg_init(&m, MSG_CONFIG, 0);
				msg_set_body(&m, &cfg, sizeof(cfg));
			}
			if (chan_send(&p->children[i].chan, &m) == -1)
				log_warn("test syscall to %s", role_name(i));
		}
	}
#endif
}
