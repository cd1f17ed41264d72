/*
 * packetd-queue.c: the parser of the kernel's queue counters
 * (/proc/net/netfilter/nfnetlink_queue), on real-looking and bad text.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "t.h"
#include "queue.h"

int
main(void)
{
	static const char	 text[] =
	    "    7 123456     3 2 65535     0     5       42  1\n"
	    "    8 123456     0 2 65535    11     0        9  1\n";
	static const char	 bad[] = "    7 abc\n";
	static const char	 longline[300] = { [0 ... 298] = '1' };
	struct queue_kstats	 ks;

	memset(&ks, 0, sizeof(ks));
	T_EQ_INT(queue_kstats_parse(text, strlen(text), 7, &ks), 0);
	T_EQ_INT(ks.queue, 7);
	T_EQ_INT(ks.portid, 123456);
	T_EQ_INT(ks.total, 3);
	T_EQ_INT(ks.copy_mode, 2);
	T_EQ_INT(ks.copy_range, 65535);
	T_EQ_INT(ks.dropped, 0);
	T_EQ_INT(ks.user_dropped, 5);
	T_EQ_INT(ks.id_sequence, 42);
	T_EQ_INT(queue_kstats_parse(text, strlen(text), 8, &ks), 0);
	T_EQ_INT(ks.dropped, 11);
	T_EQ_INT(ks.id_sequence, 9);
	/* a queue nobody bound is not listed */
	T_EQ_INT(queue_kstats_parse(text, strlen(text), 9, &ks), 1);
	T_EQ_INT(queue_kstats_parse("", 0, 9, &ks), 1);
	/* no trailing newline still parses */
	T_EQ_INT(queue_kstats_parse(text, strlen(text) - 1, 8, &ks), 0);
	T_EQ_INT(queue_kstats_parse(bad, strlen(bad), 7, &ks), -1);
	T_EQ_INT(queue_kstats_parse(longline, strlen(longline), 7, &ks), -1);
	return t_done("packetd-queue");
}
