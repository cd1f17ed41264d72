/*
 * fuzz-conf.c: conf_parse(), config.json as packetd reads it at start
 * (as root, before any sandbox).  Whatever the bytes, the result is a
 * configuration within its bounds, or an error naming the reason.
 */
#include <string.h>

#include "conf.h"
#include "fuzz.h"

static void	 fuzz_conf_note(const char *);

static void
fuzz_conf_note(const char *line)
{
	FUZZ_ASSERT(line != NULL && strlen(line) < 4096);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tattle_config	 cfg;
	char			 err[512];
	char			*copy;

	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	conf_defaults(&cfg);
	err[0] = '\0';
	if (conf_parse(&cfg, "fuzz.json", copy, size, fuzz_conf_note, err,
	    sizeof(err)) == -1) {
		FUZZ_ASSERT(err[0] != '\0' && strlen(err) < sizeof(err));
		free(copy);
		return 0;
	}
	FUZZ_ASSERT(memchr(cfg.rules_path, '\0', sizeof(cfg.rules_path)));
	FUZZ_ASSERT(memchr(cfg.ui_socket, '\0', sizeof(cfg.ui_socket)));
	FUZZ_ASSERT(memchr(cfg.ui_group, '\0', sizeof(cfg.ui_group)));
	FUZZ_ASSERT(memchr(cfg.default_duration, '\0',
	    sizeof(cfg.default_duration)));
	FUZZ_ASSERT(cfg.ui_socket[0] == '/');
	FUZZ_ASSERT(cfg.ui_group[0] != '\0');
	FUZZ_ASSERT(cfg.default_action >= CFG_ALLOW &&
	    cfg.default_action <= CFG_REJECT);
	FUZZ_ASSERT(cfg.prompt_timeout >= 1 &&
	    cfg.prompt_timeout <= MAX_PROMPT_TIMEOUT);
	FUZZ_ASSERT(cfg.fail_open == 0 || cfg.fail_open == 1);
	FUZZ_ASSERT(cfg.queue_num <= 65535);
	free(copy);
	return 0;
}
