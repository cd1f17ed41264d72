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
#include "asks.h"

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
int		 asks_next_waiting(size_t *, uint64_t, uint32_t *, uint64_t *,
		    const char **, size_t *);
void		 asks_expire(void);
size_t		 asks_count(void);
void		 backlog_add(const char *, size_t);
size_t		 backlog_count(void);
const char	*backlog_get(size_t, size_t *);
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

/*
 * From *i on, the next ask a new prompter is to see: waiting at now and
 * nobody's answer taken.  0: no more.
 */
int
asks_next_waiting(size_t *i, uint64_t now, uint32_t *id, uint64_t *deadline,
    const char **tail, size_t *len)
{
	struct ask_ent	*a;

	for (; *i < MAX_UI_ASKS; (*i)++) {
		a = &asks[*i];
		if (!a->used || a->deadline <= now || a->win_slot != -1)
			continue;
		*id = a->id;
		*deadline = a->deadline;
		*tail = a->tail;
		*len = a->len;
		(*i)++;
		return 1;
	}
	return 0;
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

size_t
backlog_count(void)
{
	return backlog_n;
}

/* The i-th kept event line, oldest first (i < backlog_count()). */
const char *
backlog_get(size_t i, size_t *len)
{
	size_t	 k = (backlog_first + i) % MAX_UI_BACKLOG;

	*len = backlog_len[k];
	return backlog[k];
}
