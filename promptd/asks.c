/*
 * asks.c: what promptd remembers for clients that come later: the asks
 * still open (a prompter that connects while one waits must see it,
 * with the time really left) and the most recent events (`tattle
 * events` without -f).  Both are bounded in entries and bytes; an ask
 * that does not fit is still sent to the prompters connected now.
 */
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "promptd.h"

struct ask_ent {
	int		 used;
	uint32_t	 id;
	char		*tail;		/* {"conn":...,"suggested":...} */
	size_t		 len;
	uint64_t	 deadline;	/* promptd_now_ms() */
	int		 win_slot;	/* whose answer was taken, or -1 */
	uint32_t	 win_gen;
};

static struct ask_ent	 asks[MAX_UI_ASKS];
static size_t		 ask_bytes;
static char		*backlog[MAX_UI_BACKLOG];
static size_t		 backlog_len[MAX_UI_BACKLOG];
static size_t		 backlog_first, backlog_n, backlog_bytes;

int		 asks_add(uint32_t, const char *, size_t, uint64_t);
void		 asks_remove(uint32_t);
int		 asks_open(uint32_t);
void		 asks_set_winner(uint32_t, int, uint32_t);
int		 asks_winner(uint32_t, int *, uint32_t *);
void		 asks_replay(int, uint32_t);
void		 asks_expire(void);
size_t		 asks_count(void);
void		 backlog_add(const char *, size_t);
void		 backlog_replay(int, uint32_t, uint32_t);
static struct ask_ent *asks_find(uint32_t);

static struct ask_ent *
asks_find(uint32_t id)
{
	size_t	 i;

	for (i = 0; i < MAX_UI_ASKS; i++)
		if (asks[i].used && asks[i].id == id)
			return &asks[i];
	return NULL;
}

/* Keep an ask; -1 if the table or its byte budget is full. */
int
asks_add(uint32_t id, const char *tail, size_t len, uint64_t deadline)
{
	struct ask_ent	*a;
	size_t		 i;

	asks_remove(id);
	if (ask_bytes + len > MAX_UI_ASK_BYTES)
		return -1;
	for (i = 0; i < MAX_UI_ASKS && asks[i].used; i++)
		;
	if (i == MAX_UI_ASKS)
		return -1;
	a = &asks[i];
	if ((a->tail = malloc(len)) == NULL)
		return -1;
	memcpy(a->tail, tail, len);
	a->len = len;
	a->id = id;
	a->deadline = deadline;
	a->win_slot = -1;
	a->win_gen = 0;
	a->used = 1;
	ask_bytes += len;
	return 0;
}

void
asks_remove(uint32_t id)
{
	struct ask_ent	*a;

	if ((a = asks_find(id)) == NULL)
		return;
	free(a->tail);
	ask_bytes -= a->len;
	memset(a, 0, sizeof(*a));
}

int
asks_open(uint32_t id)
{
	return asks_find(id) != NULL;
}

/* The client whose answer ruled took: it is not told the ask is gone. */
void
asks_set_winner(uint32_t id, int slot, uint32_t gen)
{
	struct ask_ent	*a;

	if ((a = asks_find(id)) == NULL)
		return;
	a->win_slot = slot;
	a->win_gen = gen;
}

int
asks_winner(uint32_t id, int *slot, uint32_t *gen)
{
	struct ask_ent	*a;

	if ((a = asks_find(id)) == NULL || a->win_slot == -1)
		return -1;
	*slot = a->win_slot;
	*gen = a->win_gen;
	return 0;
}

/* Every open ask to one new prompter, with the time it has left. */
void
asks_replay(int slot, uint32_t gen)
{
	struct jw	 w;
	uint64_t	 now = promptd_now_ms();
	char		*line;
	size_t		 i, len;

	for (i = 0; i < MAX_UI_ASKS; i++) {
		if (!asks[i].used || asks[i].deadline <= now ||
		    asks[i].win_slot != -1)
			continue;
		jw_init(&w, asks[i].len + 128);
		uiout_ask_line(&w, asks[i].id,
		    (uint32_t)(asks[i].deadline - now), asks[i].tail,
		    asks[i].len);
		if ((line = jw_take(&w, &len)) == NULL)
			continue;
		if (client_send(slot, gen, line, len) == -1) {
			free(line);
			return;
		}
		free(line);
	}
}

/* ruled says when an ask ends; this only catches an ask it never did. */
void
asks_expire(void)
{
	uint64_t	 now = promptd_now_ms();
	size_t		 i;

	for (i = 0; i < MAX_UI_ASKS; i++)
		if (asks[i].used &&
		    asks[i].deadline + UI_ASK_GRACE_MS < now) {
			log_debug("ask %u: no end from ruled; forgotten",
			    asks[i].id);
			asks_remove(asks[i].id);
		}
}

size_t
asks_count(void)
{
	size_t	 i, n = 0;

	for (i = 0; i < MAX_UI_ASKS; i++)
		n += asks[i].used != 0;
	return n;
}

/* The newest event line, the oldest going when a bound is reached. */
void
backlog_add(const char *line, size_t len)
{
	size_t	 k;
	char	*p;

	if (len > MAX_UI_BACKLOG_BYTES || (p = malloc(len)) == NULL)
		return;
	memcpy(p, line, len);
	while (backlog_n > 0 && (backlog_n == MAX_UI_BACKLOG ||
	    backlog_bytes + len > MAX_UI_BACKLOG_BYTES)) {
		free(backlog[backlog_first]);
		backlog_bytes -= backlog_len[backlog_first];
		backlog[backlog_first] = NULL;
		backlog_first = (backlog_first + 1) % MAX_UI_BACKLOG;
		backlog_n--;
	}
	k = (backlog_first + backlog_n) % MAX_UI_BACKLOG;
	backlog[k] = p;
	backlog_len[k] = len;
	backlog_bytes += len;
	backlog_n++;
}

/* The last max events, oldest first. */
void
backlog_replay(int slot, uint32_t gen, uint32_t max)
{
	size_t	 i, k, skip;

	skip = backlog_n > max ? backlog_n - max : 0;
	for (i = skip; i < backlog_n; i++) {
		k = (backlog_first + i) % MAX_UI_BACKLOG;
		if (client_send(slot, gen, backlog[k], backlog_len[k]) == -1)
			return;
	}
}
