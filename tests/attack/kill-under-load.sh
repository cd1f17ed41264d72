#!/bin/bash
# SECURITY.md A.9, D.31: every process killed, by SIGKILL and by SIGSEGV,
# while a flood of new connections is being decided.  tattled stops at
# once with a line naming the child and how it died; the fail mode
# (closed) holds: not one packet of the flood, and no new connection
# even to a port a rule allows, gets through afterwards.
. "${top_srcdir:-.}/tests/attack/lib.sh"
attack_setup
attack_rule_port allow-8080 allow 8080
probe_bg_started=

for victim in attributord ruled promptd packetd; do
	for sig in KILL SEGV; do
		[ "$victim" = packetd ] && [ "$sig" = SEGV ] && continue
		what="$victim by SIG$sig"
		start_tattled || { fail "$what: start"; continue; }
		if [ -z "$probe_bg_started" ]; then
			probe_bg listen 127.0.0.1 8080
			probe_bg_started=1
			sleep 0.3
		fi
		check_probe "$what: before, a rule's port is open" ok \
		    connect 127.0.0.1 8080 1
		probe count-lo 20000 6 >"$T_TMP/count" &
		counter=$!
		probe flood-udp 127.0.0.1 20000 1000000 4 >/dev/null &
		flooder=$!
		sleep 1
		pid=$(pid_of "$victim")
		kids="$(child_pid attributord) $(child_pid ruled) $(child_pid promptd)"
		T0=$(now_ms)
		kill -"$sig" "$pid"
		wait_exit 10000
		if [ "$victim" = packetd ]; then
			check_eq "$what: exit status" "$EXIT_STATUS" 137
			sleep 0.5
			left=0
			for k in $kids; do
				running "$k" && left=$((left + 1))
			done
			check_eq "$what: its children are gone" "$left" 0
		else
			n=$([ "$sig" = KILL ] && echo 9 || echo 11)
			check_eq "$what: exit status (stopped after $EXIT_MS ms)" \
			    "$EXIT_STATUS" 1
			check "$what: the log names it" grep -q \
			    "lost child: $victim (pid $pid) killed by signal $n" "$LOG"
		fi
		check_probe "$what: after, even the rule's port is closed" \
		    timeout connect 127.0.0.1 8080 1
		wait "$flooder" "$counter"
		check_eq "$what: flood packets that got through" \
		    "$(cat "$T_TMP/count")" "seen 0"
	done
done
done_test
