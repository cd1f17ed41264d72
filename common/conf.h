/*
 * conf.h: /etc/tattle/config.json.  OpenSnitch's default-config.json
 * keys are accepted (the ones tattle cannot honour are noted and
 * ignored), plus tattle's own: FailMode, UISocket, UIGroup,
 * PromptTimeout, ListsRoots, ResolvConf.  Parsed only by packetd (and
 * the tattle command); the children get what they need as messages.
 */
#ifndef TATTLE_CONF_H
#define TATTLE_CONF_H

#include <limits.h>
#include <stddef.h>

#define MAX_CONF_SIZE		(1024 * 1024)
#define MAX_CONF_DEPTH	16
#define MAX_PROMPT_TIMEOUT	3600
#define DEFAULT_PROMPT_TIMEOUT	30
#define DEFAULT_UI_SOCKET	"/run/tattle/ui.sock"
#define MAX_CONF_PATHS		8	/* ListsRoots, ResolvConf */
#define MAX_CONF_PATH_LEN	1024
/* ListsRoots' defaults: tattle's own, and where OpenSnitch's wiki puts them. */
#define DEFAULT_LISTS_ROOT2	"/etc/opensnitchd/blocklists"
#define DEFAULT_RESOLV_CONF	"/etc/resolv.conf"
/* systemd-resolved's upstream servers (/etc/resolv.conf names its stub). */
#define DEFAULT_RESOLV_CONF2	"/run/systemd/resolve/resolv.conf"

enum cfg_action {
	CFG_ALLOW = 1,
	CFG_DENY,
	CFG_REJECT
};

struct tattle_config {
	char		rules_path[PATH_MAX];
	char		ui_socket[108];		/* fits sun_path */
	char		ui_group[64];
	char		default_duration[32];
	int		default_action;		/* enum cfg_action */
	int		intercept_unknown;
	int		checksums;
	int		fail_open;
	int		log_level;		/* OpenSnitch's -1..4 */
	unsigned int	prompt_timeout;		/* seconds */
	unsigned int	queue_num;
	/* lists rules may name only directories under these */
	char		lists_roots[MAX_CONF_PATHS][MAX_CONF_PATH_LEN];
	size_t		nlists_roots;
	/* TATTLE_RESOLVERS: the nameservers these files name */
	char		resolv_conf[MAX_CONF_PATHS][MAX_CONF_PATH_LEN];
	size_t		nresolv_conf;
};

typedef void	(*conf_note_fn)(const char *);

void	 conf_defaults(struct tattle_config *);
int	 conf_parse(struct tattle_config *, const char *, const void *,
	    size_t, conf_note_fn, char *, size_t);
const char *conf_action_name(int);

#endif /* TATTLE_CONF_H */
