/*
 * uiclient.h: the tattle command's side of the UI socket
 * (docs/ui-protocol.md): connecting, the hello exchange, requests and
 * their results, and the subcommands that use them.
 */
#ifndef TATTLE_UICLIENT_H
#define TATTLE_UICLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <yajl/yajl_tree.h>

#include "jsonw.h"

#define UI_SOCKET_DEFAULT	"/run/tattle/ui.sock"
#define MAX_UIC_LINE		(16u * 1024 * 1024)	/* a server line */
#define MAX_UIC_JSON		(96u * 1024 * 1024)	/* one written again */
#define MAX_UIC_RULE_FILE	(1024 * 1024)	/* rules add FILE */
#define UIC_TIMEOUT_MS		15000		/* a request's answer */

/* Exit statuses of the socket subcommands (tattle(1), EXIT STATUS). */
#define EXIT_UI_OK		0
#define EXIT_UI_FAIL		1	/* the daemon refused or failed */
#define EXIT_UI_USAGE		2
#define EXIT_UI_DOWN		3	/* no daemon on the socket */
#define EXIT_UI_NOTFOUND	4	/* no such rule */

struct uic {
	int		 fd;
	char		*buf;		/* bytes read, not yet a line */
	size_t		 len;
	size_t		 cap;
	char		*line;		/* the last line uic_next returned */
	uint64_t	 next_req;
	char		 server[64];
	char		 err[512];
};

int		 uic_open(struct uic *, const char *, const char *);
void		 uic_close(struct uic *);
int		 uic_send(struct uic *, const char *, size_t);
int		 uic_request(struct uic *, const char *, const char *,
		    uint64_t *);
yajl_val	 uic_next(struct uic *, int, int *);
int		 uic_pending(const struct uic *);
yajl_val	 uic_wait(struct uic *, uint64_t, int, int *);
yajl_val	 uic_call(struct uic *, const char *, const char *, int *);
yajl_val	 uic_get(yajl_val, const char *);
const char	*uic_str(yajl_val, const char *);
int		 uic_u64(yajl_val, const char *, uint64_t *);
int		 uic_is(yajl_val, const char *);
int		 uic_exit_code(const char *);
uint64_t	 uic_now_ms(void);

/* uifmt.c: connections for people. */
void		 uifmt_conn_line(FILE *, yajl_val);
void		 uifmt_conn_detail(FILE *, yajl_val);
void		 uifmt_time(FILE *, const char *);
void		 uifmt_safe(FILE *, const char *, size_t);

int		 cmd_prompt(int, char **);
int		 cmd_rules(int, char **);
int		 cmd_events(int, char **);
int		 cmd_stats(int, char **);

#endif /* TATTLE_UICLIENT_H */
