/*
 * relay.h: clients' requests to ruled and packetd and their results
 * back; asks, their end and events to the clients (relay.c).
 */
#ifndef TATTLE_PROMPTD_RELAY_H
#define TATTLE_PROMPTD_RELAY_H

#include <stdint.h>

#include "promptd.h"

void	 relay_request(int, uint32_t, struct uireq *);
void	 relay_ask(const struct msg *);
void	 relay_ask_gone(const struct msg *);
void	 relay_event(const struct msg *);
void	 relay_result(const struct msg *);
void	 relay_stats(enum role, const struct msg *);
void	 relay_expire(void);
int	 relay_timeout_ms(void);

#endif /* TATTLE_PROMPTD_RELAY_H */
