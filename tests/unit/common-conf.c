/*
 * common-conf.c: config.json parsing: OpenSnitch's file accepted as is,
 * Go's decoding habits, tattle's keys, and an error naming the key for
 * every bad value.
 */
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "conf.h"
#include "t.h"

static int	 nnotes;
static char	 last_note[512];

static void
note(const char *line)
{
	nnotes++;
	strlcpy(last_note, line, sizeof(last_note));
}

static int
parse(struct tattle_config *c, const char *text, char *err, size_t errlen)
{
	conf_defaults(c);
	nnotes = 0;
	last_note[0] = '\0';
	err[0] = '\0';
	return conf_parse(c, "config.json", text, strlen(text), note, err,
	    errlen);
}

/* The shape of OpenSnitch's shipped daemon/data/default-config.json. */
static const char opensnitch_default[] =
"{\n"
"    \"Server\":\n"
"    {\n"
"        \"Address\":\"unix:///tmp/osui.sock\",\n"
"        \"LogFile\":\"/var/log/opensnitchd.log\",\n"
"        \"Authentication\": { \"Type\": \"simple\", \"TLSOptions\": {\n"
"            \"CACert\": \"\", \"SkipVerify\": false,\n"
"            \"ClientAuthType\": \"no-client-cert\" } }\n"
"    },\n"
"    \"DefaultAction\": \"allow\",\n"
"    \"DefaultDuration\": \"once\",\n"
"    \"InterceptUnknown\": false,\n"
"    \"ProcMonitorMethod\": \"ebpf\",\n"
"    \"LogLevel\": 2,\n"
"    \"LogUTC\": true,\n"
"    \"LogMicro\": false,\n"
"    \"Firewall\": \"nftables\",\n"
"    \"FwOptions\": {\n"
"        \"ConfigPath\": \"/etc/opensnitchd/system-fw.json\",\n"
"        \"MonitorInterval\": \"15s\",\n"
"        \"QueueBypass\": true\n"
"    },\n"
"    \"Rules\": {\n"
"        \"Path\": \"/etc/opensnitchd/rules/\",\n"
"        \"EnableChecksums\": false\n"
"    },\n"
"    \"Ebpf\": { \"EventsWorkers\": 8, \"QueueEventsSize\": 0 },\n"
"    \"Stats\": { \"MaxEvents\": 250, \"MaxStats\": 25, \"Workers\": 6 },\n"
"    \"Internal\": { \"GCPercent\": 100, \"FlushConnsOnStart\": true }\n"
"}\n";

static void
test_opensnitch_default(void)
{
	struct tattle_config	 c;
	char			 err[512];

	T_EQ_INT(parse(&c, opensnitch_default, err, sizeof(err)), 0);
	T_EQ_STR(err, "");
	T_EQ_INT(c.default_action, CFG_ALLOW);
	T_EQ_STR(c.rules_path, "/etc/opensnitchd/rules/");
	T_EQ_INT(c.checksums, 0);
	T_EQ_INT(c.log_level, 2);
	/* QueueBypass true is noted, and tattle stays closed. */
	T_EQ_INT(c.fail_open, 0);
	T_CHECK(nnotes >= 6);
}

static void
test_defaults(void)
{
	struct tattle_config	 c;
	char			 err[512];

	T_EQ_INT(parse(&c, "{}", err, sizeof(err)), 0);
	T_EQ_INT(c.default_action, CFG_DENY);
	T_EQ_INT(c.fail_open, 0);
	T_EQ_INT(c.prompt_timeout, DEFAULT_PROMPT_TIMEOUT);
	T_EQ_STR(c.ui_socket, DEFAULT_UI_SOCKET);
	T_EQ_STR(c.rules_path, _PATH_TATTLE_RULES);
	T_EQ_STR(c.ui_group, TATTLE_UI_GROUP);
}

static void
test_tattle_keys(void)
{
	struct tattle_config	 c;
	char			 err[512];

	T_EQ_INT(parse(&c, "{\"FailMode\":\"open\",\"UISocket\":"
	    "\"unix:///run/x/ui.sock\",\"UIGroup\":\"wheel\","
	    "\"PromptTimeout\":\"2m\",\"DefaultAction\":\"Reject\"}",
	    err, sizeof(err)), 0);
	T_EQ_INT(c.fail_open, 1);
	T_EQ_STR(c.ui_socket, "/run/x/ui.sock");
	T_EQ_STR(c.ui_group, "wheel");
	T_EQ_INT(c.prompt_timeout, 120);
	T_EQ_INT(c.default_action, CFG_REJECT);
	T_EQ_INT(parse(&c, "{\"PromptTimeout\":45}", err, sizeof(err)), 0);
	T_EQ_INT(c.prompt_timeout, 45);
}

/* Go: keys match case-insensitively; a repeated key's last value wins. */
static void
test_go_quirks(void)
{
	struct tattle_config	 c;
	char			 err[512];

	T_EQ_INT(parse(&c, "{\"defaultaction\":\"allow\","
	    "\"DEFAULTACTION\":\"reject\",\"rules\":{\"path\":\"/a\"},"
	    "\"Rules\":{\"PATH\":\"/b\"},\"FailMode\":null}",
	    err, sizeof(err)), 0);
	T_EQ_INT(c.default_action, CFG_REJECT);
	T_EQ_STR(c.rules_path, "/b");
	T_EQ_INT(c.fail_open, 0);
	T_EQ_INT(parse(&c, "{\"NoSuchKey\":1}", err, sizeof(err)), 0);
	T_EQ_STR(last_note, "config.json: NoSuchKey: unknown key, ignored");
}

static void
expect_error(const char *text, const char *want)
{
	struct tattle_config	 c;
	char			 err[512];

	T_EQ_INT(parse(&c, text, err, sizeof(err)), -1);
	T_EQ_STR(err, want);
}

static void
test_errors(void)
{
	char	*deep;
	int	 i;

	expect_error("{\"DefaultAction\":\"drop\"}",
	    "config.json: DefaultAction: \"drop\" is not allow, deny or "
	    "reject");
	expect_error("{\"DefaultAction\":1}",
	    "config.json: DefaultAction: must be a string");
	expect_error("{\"InterceptUnknown\":\"true\"}",
	    "config.json: InterceptUnknown: must be true or false");
	expect_error("{\"Rules\":{\"EnableChecksums\":1}}",
	    "config.json: Rules.EnableChecksums: must be true or false");
	expect_error("{\"Rules\":{\"Path\":\"relative\"}}",
	    "config.json: Rules.Path: must be an absolute path");
	expect_error("{\"Rules\":[]}", "config.json: Rules: must be an object");
	expect_error("{\"FailMode\":\"maybe\"}",
	    "config.json: FailMode: \"maybe\" is not closed or open");
	expect_error("{\"PromptTimeout\":0}",
	    "config.json: PromptTimeout: must be between 1 and 3600 seconds");
	expect_error("{\"PromptTimeout\":\"10h\"}",
	    "config.json: PromptTimeout: \"10h\" is not a duration");
	expect_error("{\"LogLevel\":9}",
	    "config.json: LogLevel: must be between -1 and 4");
	expect_error("{\"UIGroup\":\"\"}",
	    "config.json: UIGroup: must not be empty");
	expect_error("{\"UISocket\":\"tmp/x\"}",
	    "config.json: UISocket: must be an absolute path");
	expect_error("[]", "config.json: not a JSON object");
	expect_error("\xef\xbb\xbf{}",
	    "config.json: starts with a byte order mark");
	expect_error("{} {}", "config.json: invalid JSON: parse error: "
	    "trailing garbage");
	deep = malloc(100);
	for (i = 0; i < 40; i++)
		deep[i] = '[';
	deep[i] = '\0';
	expect_error(deep, "config.json: nested deeper than 16 levels");
	free(deep);
}

int
main(void)
{
	test_opensnitch_default();
	test_defaults();
	test_tattle_keys();
	test_go_quirks();
	test_errors();
	return t_done("common-conf");
}
