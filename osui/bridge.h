/*
 * bridge.h: the state of tattle-osui: one tattle connection, one UI
 * connection, and what is under way between them.
 */
#ifndef TATTLE_OSUI_BRIDGE_H
#define TATTLE_OSUI_BRIDGE_H

#include "osui.h"
#include "grpc.h"
#include "tclient.h"

enum t_state { T_DOWN, T_HELLO, T_SYNC, T_READY };
enum ui_state { UI_DOWN, UI_CONNECTING, UI_PROBING, UI_IDLE,
    UI_SUBSCRIBING, UI_LIVE };

/* What a tattle request was for. */
enum { TREQ_NONE, TREQ_SUBSCRIBE, TREQ_RULES, TREQ_STATS, TREQ_PING,
    TREQ_ANSWER, TREQ_NOTIF };

struct ask_slot {
	int			 used;
	uint64_t		 id;
	struct grpc_call	*call;
	struct osui_conn	 conn;
	struct osui_rule	 rule;
	int			 have_rule;
	char			 err[256];
};

struct notif_slot {
	int			 used;
	uint64_t		 id;
	unsigned int		 pending;
	unsigned int		 failed;
	char			 err[512];
};

struct bridge {
	/* options */
	const char		*tsock;
	struct ui_addr		 ua;
	enum osui_gen		 want_gen;
	char			 hostname[256];

	/* tattle */
	struct tclient		 t;
	enum t_state		 t_state;
	uint64_t		 t_retry;
	uint32_t		 t_backoff;
	int			 t_reset;
	int			 t_asks;	/* subscribed to asks */
	char			 t_version[32];
	struct osui_rule	*rules;
	size_t			 nrules;
	int			 have_rules;
	int			 have_stats;
	char			 default_action[16];
	char			 fail_mode[16];
	struct osui_stats	 stats;
	int			 stats_news;
	int			 stats_wanted;

	/* the UI */
	enum ui_state		 ui_state;
	int			 ui_fd;		/* while connecting */
	struct grpc_conn	*g;
	const struct osui_codec	*codec;
	uint64_t		 ui_retry;
	uint32_t		 ui_backoff;
	int			 ui_reset;
	int			 ui_tcp_noted;
	struct grpc_call	*probe;
	struct grpc_call	*subscribe;
	struct grpc_call	*notifs;
	struct grpc_call	*ping;
	uint64_t		 ping_id;
	uint64_t		 last_ping;
	uint64_t		 alert_id;
	struct ask_slot		 asks[MAX_OSUI_ASKS];
	struct notif_slot	 nslots[MAX_OSUI_NOTIFS];
	struct {
		int		 level;
		char		*text;
	}			 alerts[MAX_OSUI_ALERTS];
	size_t			 nalerts;
};

/* bridge.c */
void	 bridge_tattle_msg(void *, yajl_val, const struct treq *);
void	 bridge_tattle_down(struct bridge *);
void	 bridge_ui_ready(struct bridge *, uint64_t);
void	 bridge_ui_down(struct bridge *);
void	 bridge_timers(struct bridge *, uint64_t);
void	 bridge_alert(struct bridge *, int, const char *, ...)
	    __attribute__((__format__(printf, 3, 4)));
void	 bridge_probe(struct bridge *, uint64_t);
void	 bridge_set_asks(struct bridge *);
uint64_t osui_now(void);

#endif /* TATTLE_OSUI_BRIDGE_H */
