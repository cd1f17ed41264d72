/*
 * control.h: the UI socket and its clients (control.c).  A client's
 * request goes to the function given to control_init(); what is sent to
 * clients comes in through client_send() and its kin.
 */
#ifndef TATTLE_PROMPTD_CONTROL_H
#define TATTLE_PROMPTD_CONTROL_H

#include <poll.h>
#include <stdint.h>

#include "promptd.h"

typedef void	(*control_request_fn)(int, uint32_t, struct uireq *);

void	 control_init(control_request_fn);
int	 control_fill(struct pollfd *, int);
void	 control_handle(const struct pollfd *, int);
int	 client_send(int, uint32_t, const char *, size_t);
int	 client_alive(int, uint32_t);
int	 client_prompter(int, uint32_t *);
void	 client_send_error(int, uint32_t, const char *, enum uierr_code,
	    const char *);
void	 clients_broadcast(int, const char *, size_t, int, uint32_t);
void	 clients_count(uint32_t *, uint32_t *, uint32_t *);
void	 clients_update_ruled(void);

#endif /* TATTLE_PROMPTD_CONTROL_H */
