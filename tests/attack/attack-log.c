/*
 * attack-log.c: text that others choose (file names in the rules
 * directory, rule names, lines a child sends) cannot forge a log line
 * or drive the terminal an administrator reads the log in: control
 * characters come out as \xNN.
 */
#include <string.h>

#include "log.h"
#include "t.h"

static char	 got[8192];
static int	 lines;

static void
attack_sink(int pri, const char *line)
{
	strncpy(got, line, sizeof(got) - 1);
	lines++;
}

int
main(void)
{
	char	 big[3000];

	log_init(1, LOG_DAEMON);
	log_set_sink(attack_sink);
	log_warnx("rule file %s: invalid JSON",
	    "x\nlost child: ruled (pid 1) killed by signal 9\n.json");
	T_EQ_INT(lines, 1);
	T_CHECK(strchr(got, '\n') == NULL);
	T_EQ_STR(got, "rule file x\\x0alost child: ruled (pid 1) killed by "
	    "signal 9\\x0a.json: invalid JSON");
	log_info("%s", "\x1b]2;owned\x07\r\t\x7f");
	T_EQ_STR(got, "\\x1b]2;owned\\x07\\x0d\\x09\\x7f");
	log_info("%s", "non-ASCII stays: \xc3\xa9");
	T_EQ_STR(got, "non-ASCII stays: \xc3\xa9");
	/* All escapes: cut at the line's bound, never past it. */
	memset(big, '\n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_line(LOG_INFO, big);
	T_CHECK(strlen(got) < 4096);
	T_CHECK(strlen(got) % 4 == 0);
	return t_done("attack-log");
}
