#!/usr/bin/env python3
"""gen-seeds.py: (re)write the seed corpora that come from data already
in the tree or beside it.

    tests/fuzz/gen-seeds.py [SHARED]

SHARED is ../shared (default: beside the source tree).  Writes, under
tests/fuzz/corpus/:

  rule/          every rule file of the OpenSnitch conformance corpus and
                 of the shipped defaults (policy/default/rules)
                 (SHARED/opensnitch/conformance/cases.json): objects as
                 OpenSnitch writes them, strings (malformed files) as is
  list-*/        every list file of that corpus, by the lists operand
                 whose directory holds it
  dns/           the dnsmasq captures of tests/unit/data/dns, one payload
                 each (byte 0: 0 UDP, 1 TCP)
  dnstrack/      the same as query/reply record streams (see fuzz-dns.c)
  conf/          the shipped configuration, OpenSnitch's default and a
                 few edge cases
  procfs/        /proc/self/stat and cmdline of this script, and hostile
                 variants
  client/        every message of docs/ui-protocol.md a client sends,
                 statistics lines as packetd and ruled write them, and
                 asks with hostile process text

The msg seeds come from tests/fuzz/gen-msg-seeds, the pkt seeds from
tests/fuzz/capture-packets.py.  Files are named by content hash, so a
rerun on unchanged data changes nothing.
"""
import hashlib
import json
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")

LIST_KINDS = {
    "lists.domains": "list-domains",
    "lists.domains_regexp": "list-regexp",
    "lists.ips": "list-ips",
    "lists.nets": "list-nets",
    "lists.hash.md5": "list-md5",
}


def put(target, stem, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    h = hashlib.sha1(data).hexdigest()[:12]
    path = os.path.join(d, "%s-%s" % (stem, h))
    if not any(f.endswith("-" + h) for f in os.listdir(d)):
        with open(path, "wb") as f:
            f.write(data)
    return path


def operators(op):
    yield op
    for child in op.get("list") or []:
        if isinstance(child, dict):
            yield from operators(child)


def rules_and_lists(shared):
    cases = os.path.join(shared, "opensnitch", "conformance", "cases.json")
    with open(cases, encoding="utf-8") as f:
        corpus = json.load(f)
    nrules = nlists = 0
    for case in corpus:
        dirs = []
        for i, rule in enumerate(case["rules"]):
            if isinstance(rule, str):
                text = rule
            else:
                text = json.dumps(rule, indent=2, ensure_ascii=False)
                op = rule.get("operator")
                if isinstance(op, dict):
                    for o in operators(op):
                        kind = LIST_KINDS.get(o.get("operand"))
                        data = o.get("data")
                        if kind and isinstance(data, str) and data:
                            dirs.append((data.rstrip("/") + "/", kind))
            put("rule", case["id"], text)
            nrules += 1
        for path, content in (case.get("lists") or {}).items():
            for d, kind in dirs:
                if path.startswith(d):
                    put(kind, case["id"], content)
                    nlists += 1
                    break
    d = os.path.join(TOP, "policy", "default", "rules")
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        with open(os.path.join(d, name), encoding="utf-8") as f:
            put("rule", "default-" + name.replace(".json", ""), f.read())
        nrules += 1
    return nrules, nlists


def dns_records(stem):
    base = os.path.join(TOP, "tests", "unit", "data", "dns", stem)
    with open(base + ".query", "rb") as f:
        query = f.read()
    with open(base + ".reply", "rb") as f:
        reply = f.read()
    with open(base + ".tuple") as f:
        proto, client, _, _, _ = f.read().split()
    op = (8 if proto == "tcp" else 0) | (4 if ":" in client else 0)
    return op, query, reply


def record(op, port, uid, dt, payload):
    return struct.pack(">BBBBH", op, port, uid, dt, len(payload)) + payload


def dns():
    d = os.path.join(TOP, "tests", "unit", "data", "dns")
    stems = sorted(f[:-6] for f in os.listdir(d) if f.endswith(".query"))
    for stem in stems:
        op, query, reply = dns_records(stem)
        tcp = 1 if op & 8 else 0
        put("dns", stem + "-query", bytes([tcp]) + query)
        put("dns", stem + "-reply", bytes([tcp]) + reply)
        lookup = bytes(16) + b"\x01\xbb"
        stream = (record(op, 7, 42, 0, query) + record(op | 1, 7, 0, 1, reply)
                  + record(op | 3, 0, 42, 0, lookup))
        put("dnstrack", stem, stream)
        spoof = record(op, 7, 42, 0, query) + record(op | 2, 7, 0, 1, reply)
        put("dnstrack", stem + "-spoof", spoof)
        late = record(op, 7, 42, 0, query) + record(op | 1, 7, 0, 200, reply)
        put("dnstrack", stem + "-late", late)
    return len(stems)


OPENSNITCH_DEFAULT = """{
    "Server":
    {
        "Address":"unix:///tmp/osui.sock",
        "LogFile":"/var/log/opensnitchd.log"
    },
    "DefaultAction": "allow",
    "DefaultDuration": "once",
    "InterceptUnknown": false,
    "ProcMonitorMethod": "ebpf",
    "LogLevel": 2,
    "LogUTC": true,
    "LogMicro": false,
    "Firewall": "nftables",
    "FwOptions": {
        "ConfigPath": "/etc/opensnitchd/system-fw.json",
        "MonitorInterval": "15s",
        "QueueNum": 0,
        "QueueBypass": true
    },
    "Rules": {
        "Path": "/etc/opensnitchd/rules/",
        "EnableChecksums": false
    },
    "Ebpf": {
        "ModulesPath": ""
    },
    "Stats": {
        "MaxEvents": 150,
        "MaxStats": 25,
        "Workers": 6
    },
    "Internal": {
        "GCPercent": 100,
        "FlushConnsOnStart": true
    }
}
"""


def conf():
    with open(os.path.join(TOP, "policy", "default", "config.json")) as f:
        shipped = f.read()
    shipped = shipped.replace("%sysconfdir%", "/etc")
    shipped = shipped.replace("%ui_group%", "tattle")
    seeds = {
        "shipped": shipped,
        "opensnitch-default": OPENSNITCH_DEFAULT,
        "empty-object": "{}",
        "tattle-keys": '{"FailMode":"open","UISocket":"unix:///run/t/ui.sock",'
                       '"UIGroup":"wheel","PromptTimeout":"2m",'
                       '"DefaultAction":"reject","LogLevel":-1}',
        "null-values": '{"DefaultAction":null,"Rules":{"Path":null}}',
        "case-and-repeat": '{"defaultaction":"allow","DEFAULTACTION":"deny"}',
        "comment": '/* c */ {"LogLevel": 1} // end\n',
        "nested": '{"Server":{"a":[[[[{"b":[1,2,{"c":null}]}]]]]}}',
    }
    for stem, text in seeds.items():
        put("conf", stem, text)
    return len(seeds)


def procfs():
    n = 0
    # Not environ: this machine's environment has no place in the tree.
    # Taken once: they differ at every run.
    have = os.listdir(os.path.join(CORPUS, "procfs")) \
        if os.path.isdir(os.path.join(CORPUS, "procfs")) else []
    for name, mode in (("stat", 0), ("cmdline", 1)):
        if any(f.startswith("self-" + name) for f in have):
            continue
        try:
            with open("/proc/self/" + name, "rb") as f:
                put("procfs", "self-" + name, bytes([mode]) + f.read())
                n += 1
        except OSError:
            pass
    hostile = [
        (0, b"4242 (a) b) (c) S 1 4242 4242 0 -1 4194560 0 0 0 0 0 0 0 0 20"
            b" 0 1 0 123456 0 0"),
        (0, b"7 () R 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 18446744073709551615"),
        (0, b"1 (x"),
        (1, b"/usr/bin/curl\0-s\0https://example.com/\0"),
        (1, b"/proc/self/exe\0--flag\0\0  spaced  \0"),
        (1, b"/usr/bin/firefox" + b" " * 40 + b"\0"),
        (2, b"HOME=/root\0A=1\0LD_PRELOAD=/tmp/x.so\0HOME=/second\0"),
        (2, b"A\0=B\0A==\0"),
        (3, b"/usr/bin/foo (deleted)"),
        (3, b" (deleted)"),
    ]
    for mode, data in hostile:
        put("procfs", "hostile", bytes([mode]) + data)
        n += 1
    return n


def client():
    with open(os.path.join(TOP, "docs", "ui-protocol.md")) as f:
        doc = f.read()
    n = 0
    for c in re.findall(r'(\{"type":[^\n`]*\})', doc):
        try:
            json.loads(c)
        except ValueError:
            continue
        put("client", "line", b"\x00" + c.encode())
        n += 1
    stats = [
        "connections 12\nallowed 3\ndenied 9\nfail_mode closed\n",
        "by_rule.allow\\x20curl 4\nby_reason.rule 3\n"
        "queue xt NFQUEUE via nft_compat\n",
    ]
    for s in stats:
        put("client", "stats", b"\x01" + s.encode())
        n += 1
    # What a process controls of an ask: path, command line, cwd, a
    # parent, an environment value, its user name, the host.
    asks = [
        b"/usr/bin/curl\0curl -s https://example.org\0/home/u\0"
        b"/usr/bin/bash\0HOME=/home/u\0u\0example.org\0",
        b"/tmp/x\"}, \"action\": \"allow\0x\ny\r\0/\0/\0A=\"\0"
        b"r\xc3\xa9my\0\xff\xfe.example\0",
        b"/usr/bin/foo (deleted)\0\x1b[31mred\0\0\0\0\0\0",
    ]
    for a in asks:
        put("client", "ask", b"\x02" + a)
        n += 1
    return n


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(os.path.dirname(TOP), "shared")
    nrules, nlists = rules_and_lists(shared)
    print("rules: %d, list files: %d, dns captures: %d, configs: %d, "
          "procfs: %d, client lines: %d" % (nrules, nlists, dns(), conf(),
                                            procfs(), client()))


if __name__ == "__main__":
    main()
