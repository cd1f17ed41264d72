#!/usr/bin/env python3
"""probe.py: the attack suite's traffic, run inside the test's network
namespace (ip netns exec NS python3 probe.py ...).  Every command is
bounded in time and prints one line the test reads.

  connect HOST PORT [SECONDS]      TCP connect: "ok", "timeout", "refused"
  listen HOST PORT...              accept and close forever (background)
  flood-syn DST PORT COUNT SECONDS raw TCP SYNs from distinct source
                                   ports: "sent N"
  flood-udp DST PORT COUNT SECONDS UDP datagrams to distinct ports from
                                   one socket: "sent N"
  udp-ports DST PORT COUNT         COUNT datagrams to DST:PORT, each from a
                                   socket of its own (a new flow each),
                                   held open 30 s: "sent N"
  udp-spread DST PORT NPORTS PER   PER datagrams to each of NPORTS ports
                                   from PORT, each from a new socket: "sent N"
  count-lo PORT SECONDS [READY]    packets to PORT that left lo (accepted
                                   by every hook), counted with a packet
                                   socket: "seen N" (and "capture-dropped
                                   N" if the counter lost some); READY, a
                                   file created once it counts
  dns-query CPORT CLIENT SERVER NAME [QID]
                                   a query for NAME from CLIENT:CPORT to
                                   SERVER:53 (id QID, 0x4242): "sent"
  dns-reply CPORT CLIENT NAME ADDR MODE SENDER [QID]
                                   from SENDER:53 to CLIENT:CPORT, a reply
                                   for NAME naming ADDR as MODE says:
                                   "sent"
  dns-burst CPORT NPORTS CLIENT SERVER PREFIX N [LINGER]
                                   from each of NPORTS ports from CPORT, N
                                   queries nobody answers, for
                                   PREFIX-PORT-I.test with id I: "sent M";
                                   the sockets stay open LINGER s (0)
        MODE: good, badid, badname, loop (a pointer to itself), forward (a
        pointer past the end), truncated, many:N (N answers), longchain
        (40 CNAMEs before the address)
  udp-echo ADDR PORT...            echo every UDP datagram back (background)
  udp-ask CPORT CLIENT SERVER PORT one datagram from CLIENT:CPORT to
                                   SERVER:PORT, 2 s for the echo:
                                   "answered" or "timeout"
  dns-server ADDR                  answer queries for PREFIX-I.test with
                                   10.90.I/250.I%250+1 (background)
  dns-flood CPORT CLIENT SERVER PREFIX COUNT
                                   COUNT queries for PREFIX-I.test, each
                                   waiting for its answer: "answered N"
  flood-from SRC SPORT DST COUNT SECONDS
                                   UDP datagrams from SRC:SPORT to DST,
                                   ports 1024-65023 in turn: "sent N"
  raw-send DST PROTO COUNT [ICMPTYPE]
                                   COUNT datagrams of IP protocol PROTO
                                   (an ICMP message of type ICMPTYPE if
                                   given) from a raw socket: "sent N"
  raw-count PROTO SECONDS [ICMPTYPE]
                                   datagrams of PROTO received (of that
                                   ICMP type if given): "seen N"
"""
import errno
import os
import random
import select
import socket
import struct
import sys
import time

SO_SNDBUFFORCE = 32
SO_RCVBUFFORCE = 33
SOL_PACKET = 263
PACKET_STATISTICS = 6


def out(*a):
    print(*a, flush=True)


def cmd_connect(host, port, secs="1.5"):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.settimeout(float(secs))
    try:
        s.connect((host, int(port)))
        out("ok")
    except socket.timeout:
        out("timeout")
    except ConnectionRefusedError:
        out("refused")
    except OSError as e:
        out("error", e.errno)
    finally:
        s.close()


def cmd_listen(host, *ports):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    socks = []
    for p in ports:
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((host, int(p)))
        s.listen(1024)
        socks.append(s)
    out("listening")
    while True:
        r, _, _ = select.select(socks, [], [], 1.0)
        for s in r:
            try:
                c, _ = s.accept()
                c.close()
            except OSError:
                pass


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def cmd_flood_syn(dst, port, count, secs):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 256 << 20)
    src = "127.0.0.1" if dst.startswith("127.") else dst
    sa, da = socket.inet_aton(src), socket.inet_aton(dst)
    end = time.monotonic() + float(secs)
    n = 0
    for i in range(int(count)):
        if time.monotonic() > end:
            break
        sport = 1024 + i % 64000
        seq = random.getrandbits(32)
        hdr = struct.pack("!HHIIBBHHH", sport, int(port), seq, 0, 5 << 4,
                          0x02, 65535, 0, 0)
        pseudo = sa + da + struct.pack("!BBH", 0, socket.IPPROTO_TCP,
                                       len(hdr))
        hdr = hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
        try:
            s.sendto(hdr, (dst, 0))
            n += 1
        except OSError as e:
            if e.errno not in (errno.ENOBUFS, errno.EPERM):
                raise
    out("sent", n)


def cmd_flood_udp(dst, port, count, secs):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    # Datagrams held in the queue count against the send buffer: a big
    # one lets thousands wait at once, as many senders would.
    s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 256 << 20)
    end = time.monotonic() + float(secs)
    base = int(port)
    n = 0
    for i in range(int(count)):
        if time.monotonic() > end:
            break
        try:
            s.sendto(b"flood", (dst, base + i % 1000))
            n += 1
        except OSError as e:
            if e.errno not in (errno.ENOBUFS, errno.EPERM):
                raise
    out("sent", n)


def cmd_udp_ports(dst, port, count):
    """COUNT datagrams to DST:PORT, each from a socket of its own."""
    socks = []
    for i in range(int(count)):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(b"ask", (dst, int(port)))
        socks.append(s)
    out("sent", len(socks))
    time.sleep(30)


def cmd_udp_spread(dst, port0, nports, per):
    """PER datagrams to each of NPORTS ports, each from a new socket."""
    n = 0
    for p in range(int(port0), int(port0) + int(nports)):
        for i in range(int(per)):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.sendto(b"ask", (dst, p))
            s.close()
            n += 1
    out("sent", n)


def cmd_count_lo(port, secs, ready=None):
    """Packets to PORT seen leaving on lo: they passed every hook."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 64 << 20)
    s.bind(("lo", 0))
    if ready:
        # The caller starts the traffic only now (a slow start of
        # Python must not make the count miss the packets).
        open(ready, "w").close()
    s.settimeout(0.2)
    port = int(port)
    end = time.monotonic() + float(secs)
    seen = 0
    while time.monotonic() < end:
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] != socket.PACKET_OUTGOING:
            continue
        ip = frame[14:]
        if len(ip) < 24 or ip[0] >> 4 != 4:
            continue
        hl = (ip[0] & 15) * 4
        if ip[9] not in (6, 17) or len(ip) < hl + 4:
            continue
        dport = struct.unpack("!H", ip[hl + 2:hl + 4])[0]
        if ip[9] == 17 and port <= dport < port + 1000:
            seen += 1
        elif ip[9] == 6 and dport == port and ip[hl + 13] & 0x12 == 0x02:
            seen += 1
    # Frames the capture itself lost would make "seen 0" a lie: say so.
    drops = struct.unpack("II", s.getsockopt(SOL_PACKET,
                                             PACKET_STATISTICS, 8))[1]
    if drops:
        out("seen", seen, "capture-dropped", drops)
    else:
        out("seen", seen)


def dns_name(name):
    b = b""
    for label in name.split("."):
        b += bytes([len(label)]) + label.encode()
    return b + b"\0"


def dns_query(qid, name):
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + \
        dns_name(name) + struct.pack("!HH", 1, 1)


def dns_a(addr, ttl=300):
    return b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, ttl, 4) + \
        socket.inet_aton(addr)


def dns_reply(qid, name, addr, mode):
    q = dns_name(name) + struct.pack("!HH", 1, 1)
    hdr = lambda an: struct.pack("!HHHHHH", qid, 0x8180, 1, an, 0, 0)
    if mode in ("good", "badid"):
        return hdr(1) + q + dns_a(addr)
    if mode == "badname":
        q2 = dns_name("other." + name) + struct.pack("!HH", 1, 1)
        return hdr(1) + q2 + dns_a(addr)
    if mode == "loop":
        # The answer's owner is a pointer to itself.
        at = 12 + len(q)
        return hdr(1) + q + struct.pack("!H", 0xc000 | at) + \
            struct.pack("!HHIH", 1, 1, 300, 4) + socket.inet_aton(addr)
    if mode == "forward":
        # The question name points past the end of the message.
        return hdr(1) + b"\xc0\xff" + struct.pack("!HH", 1, 1) + dns_a(addr)
    if mode == "truncated":
        return (hdr(1) + q + dns_a(addr))[:-3]
    if mode.startswith("many:"):
        n = int(mode[5:])
        return hdr(n) + q + dns_a(addr) * n
    if mode == "longchain":
        # 40 CNAMEs, then the address: longer than any chain followed.
        rr = b""
        prev = 12
        body = hdr(41) + q
        for i in range(40):
            target = dns_name("c%d.%s" % (i, name))
            rr = struct.pack("!H", 0xc000 | prev) + \
                struct.pack("!HHIH", 5, 1, 300, len(target)) + target
            prev = len(body) + 12
            body += rr
        return body + struct.pack("!H", 0xc000 | prev) + \
            struct.pack("!HHIH", 1, 1, 300, 4) + socket.inet_aton(addr)
    raise SystemExit("unknown mode " + mode)


def cmd_dns_query(cport, client, server, name, qid="0x4242"):
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.bind((client, int(cport)))
    c.sendto(dns_query(int(qid, 0), name), (server, 53))
    c.close()
    out("sent")


def cmd_dns_reply(cport, client, name, addr, mode, sender, qid="0x4242"):
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind((sender, 53))
    qid = int(qid, 0) + (1 if mode == "badid" else 0)
    a.sendto(dns_reply(qid, name, addr, mode), (client, int(cport)))
    a.close()
    out("sent")


def cmd_dns_burst(cport0, nports, client, server, prefix, perport,
                  linger="0"):
    """Queries nobody answers: PREFIX-PORT-I.test, id I, from each port.
    The sockets stay open LINGER seconds after (a resolver waiting for
    its answers): a query copied once it left still has its owner."""
    n = 0
    socks = []
    for p in range(int(cport0), int(cport0) + int(nports)):
        c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        c.bind((client, p))
        for i in range(1, int(perport) + 1):
            c.sendto(dns_query(i, "%s-%d-%d.test" % (prefix, p, i)),
                     (server, 53))
            n += 1
        socks.append(c)
    out("sent", n)
    time.sleep(min(float(linger), 60.0))
    for c in socks:
        c.close()


def flood_addr(name):
    i = int(name.split("-")[-1].split(".")[0])
    return "10.90.%d.%d" % (i // 250, 1 + i % 250)


def cmd_dns_server(addr):
    """Answer every query for PREFIX-I.test with 10.90.I/250.I%250+1."""
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind((addr, 53))
    out("serving")
    while True:
        q, peer = a.recvfrom(512)
        if len(q) < 17:
            continue
        qid = struct.unpack("!H", q[:2])[0]
        labels, i = [], 12
        while i < len(q) and q[i] != 0:
            labels.append(q[i + 1:i + 1 + q[i]].decode("ascii", "replace"))
            i += 1 + q[i]
        name = ".".join(labels)
        try:
            addr4 = flood_addr(name)
        except ValueError:
            continue
        a.sendto(dns_reply(qid, name, addr4, "good"), peer)


def cmd_dns_flood(cport, client, server, prefix, count):
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.bind((client, int(cport)))
    c.settimeout(2)
    n = 0
    for i in range(int(count)):
        c.sendto(dns_query(i & 0xffff, "%s-%d.test" % (prefix, i)),
                 (server, 53))
        try:
            c.recvfrom(512)
            n += 1
        except socket.timeout:
            pass
    out("answered", n)


def cmd_udp_echo(addr, *ports):
    socks = []
    for p in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((addr, int(p)))
        socks.append(s)
    out("echoing")
    while True:
        r, _, _ = select.select(socks, [], [], 1.0)
        for s in r:
            try:
                d, peer = s.recvfrom(2048)
                s.sendto(d, peer)
            except OSError:
                pass


def cmd_udp_ask(cport, client, server, port):
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((client, int(cport)))
    c.settimeout(2)
    c.sendto(b"tunnelled bytes", (server, int(port)))
    try:
        c.recvfrom(2048)
        out("answered")
    except socket.timeout:
        out("timeout")


def cmd_flood_from(src, sport, dst, count, secs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 64 << 20)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind((src, int(sport)))
    end = time.monotonic() + float(secs)
    data = b"\x12\x34\x81\x80" + b"\0" * 8
    n = 0
    for i in range(int(count)):
        if i & 255 == 0 and time.monotonic() > end:
            break
        try:
            s.sendto(data, (dst, 1024 + i % 64000))
            n += 1
        except OSError as e:
            if e.errno not in (errno.ENOBUFS, errno.EPERM,
                               errno.ECONNREFUSED):
                raise
    out("sent", n)


def raw_body(proto, icmptype):
    if icmptype is None:
        return b"tattle-raw-probe"
    hdr = struct.pack("!BBHHH", int(icmptype), 0, 0, 0x7a7a, 1)
    body = hdr + b"tattle-raw-probe"
    c = csum(body)
    return body[:2] + struct.pack("!H", c) + body[4:]


def cmd_raw_send(dst, proto, count, icmptype=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, int(proto))
    body = raw_body(int(proto), icmptype)
    n = 0
    for _ in range(int(count)):
        try:
            s.sendto(body, (dst, 0))
            n += 1
        except OSError as e:
            if e.errno not in (errno.EPERM, errno.ENOBUFS):
                raise
        time.sleep(0.02)
    out("sent", n)


def cmd_raw_count(proto, secs, icmptype=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, int(proto))
    s.settimeout(0.2)
    end = time.monotonic() + float(secs)
    seen = 0
    while time.monotonic() < end:
        try:
            pkt = s.recv(65535)
        except socket.timeout:
            continue
        hl = (pkt[0] & 15) * 4
        if b"tattle-raw-probe" not in pkt[hl:]:
            continue
        if icmptype is not None and pkt[hl] != int(icmptype):
            continue
        seen += 1
    out("seen", seen)


def main():
    cmds = {
        "connect": cmd_connect, "listen": cmd_listen,
        "flood-syn": cmd_flood_syn, "flood-udp": cmd_flood_udp,
        "count-lo": cmd_count_lo, "udp-ports": cmd_udp_ports,
        "udp-spread": cmd_udp_spread,
        "dns-query": cmd_dns_query, "dns-reply": cmd_dns_reply,
        "dns-server": cmd_dns_server, "dns-burst": cmd_dns_burst,
        "dns-flood": cmd_dns_flood, "flood-from": cmd_flood_from,
        "udp-echo": cmd_udp_echo, "udp-ask": cmd_udp_ask,
        "raw-send": cmd_raw_send, "raw-count": cmd_raw_count,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        raise SystemExit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    main()
