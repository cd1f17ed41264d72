/*
 * boottable.c: `tattled --boot-table`, run by tattle-early.service
 * before the network comes up.  It loads tattle's table in its fail-closed
 * form and exits: with nothing bound to the queue the kernel drops every
 * new connection but loopback's, until tattled starts and takes the
 * table over in one batch.  A configuration that cannot be read still
 * gets the table (the defaults: queue 0, fail closed), since a broken
 * file must not open the machine; FailMode "open" gets none.  A table
 * already there (tattled running) is left alone.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "conf.h"
#include "fw.h"
#include "log.h"
#include "packetd.h"

static int	boottable_config(const char *, struct tattle_config *);
static void	boottable_note(const char *);

static void
boottable_note(const char *line)
{
	log_info("%s", line);
}

/* 0 with *cfg from path; -1 (said why) with *cfg the defaults. */
static int
boottable_config(const char *path, struct tattle_config *cfg)
{
	char		 err[1024], *buf = NULL;
	struct stat	 st;
	ssize_t		 n = -1;
	int		 fd, rv = -1;

	conf_defaults(cfg);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("%s", path);
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_CONF_SIZE)
		log_warnx("%s: not a regular file of at most %d bytes", path,
		    MAX_CONF_SIZE);
	else if ((buf = malloc(st.st_size + 1)) == NULL)
		log_warn("%s", path);
	else if ((n = read(fd, buf, st.st_size + 1)) < 0 || n > st.st_size)
		log_warnx("%s: read error or file grew", path);
	else if (conf_parse(cfg, path, buf, n, boottable_note, err,
	    sizeof(err)) == -1)
		log_warnx("%s", err);
	else
		rv = 0;
	close(fd);
	free(buf);
	if (rv == -1)
		conf_defaults(cfg);
	return rv;
}

/* Exit status: 0 when the table is in (or FailMode is open), 1 if not. */
int
boottable_install(const char *conf_path)
{
	struct tattle_config	 cfg;
	struct fw_opts		 fo;
	struct fw		 fw;
	struct mnl_socket	*nl;
	int			 ex;

	if (boottable_config(conf_path, &cfg) == -1)
		log_warnx("loading the fail-closed table with the defaults "
		    "(queue %u) instead", cfg.queue_num);
	if (cfg.fail_open) {
		log_info("FailMode is open: no table at boot; new connections "
		    "pass until tattled starts");
		return 0;
	}
	if ((nl = fw_socket()) == NULL) {
		log_warn("netlink");
		return 1;
	}
	fw_init(&fw, nl);
	/* Never over a running tattled's table (a second start of the unit). */
	if ((ex = fw_exists(&fw)) != 0) {
		if (ex == 1)
			log_info("table inet %s already there: left as it is",
			    FW_TABLE);
		else
			log_warnx("nftables: %s", fw.err);
		mnl_socket_close(nl);
		return ex == 1 ? 0 : 1;
	}
	memset(&fo, 0, sizeof(fo));
	fo.queue_num = cfg.queue_num;
	fo.reject_bit = FW_REJECT_BIT_DEFAULT;
	fo.boot = 1;
	fo.qkind = FW_QUEUE_AUTO;
	if (fw_install(&fw, &fo) == -1) {
		log_warnx("nftables table inet %s: %s", FW_TABLE, fw.err);
		mnl_socket_close(nl);
		return 1;
	}
	mnl_socket_close(nl);
	log_info("boot table inet %s loaded: new connections but loopback's "
	    "are dropped until tattled takes over queue %u", FW_TABLE,
	    cfg.queue_num);
	return 0;
}
