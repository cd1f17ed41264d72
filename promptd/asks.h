/*
 * asks.h: the open asks and the recent events promptd keeps for clients
 * that come later (asks.c).  Storage only: it calls nothing of promptd
 * but the clock.
 */
#ifndef TATTLE_PROMPTD_ASKS_H
#define TATTLE_PROMPTD_ASKS_H

#include <stddef.h>
#include <stdint.h>

int	 asks_add(uint32_t, const char *, size_t, uint64_t);
void	 asks_remove(uint32_t);
int	 asks_open(uint32_t);
void	 asks_set_winner(uint32_t, int, uint32_t);
int	 asks_winner(uint32_t, int *, uint32_t *);
int	 asks_next_waiting(size_t *, uint64_t, uint32_t *, uint64_t *,
	    const char **, size_t *);
void	 asks_expire(void);
size_t	 asks_count(void);
void	 backlog_add(const char *, size_t);
size_t	 backlog_count(void);
const char *backlog_get(size_t, size_t *);

#endif /* TATTLE_PROMPTD_ASKS_H */
