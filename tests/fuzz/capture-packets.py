#!/usr/bin/env python3
"""capture-packets.py: capture real packets for the pkt fuzz target's
seed corpus (tests/fuzz/corpus/pkt), as NFQUEUE would hand them to
packetd: from the IP header on.

    sudo tests/fuzz/capture-packets.py [OUTDIR]

Creates a network namespace (removed on exit), lowers lo's MTU there to
1280 so that large datagrams fragment, captures on lo with a packet
socket while the kernel sends: TCP SYNs (v4, v6), UDP (v4, v6, a DNS
query), UDP-Lite, ICMP and ICMPv6 echo, SCTP INIT and DCCP Request
(through raw sockets, the kernel adding the IP header), IPv4 and IPv6
fragments, and IPv6 with hop-by-hop and destination options.  Each
distinct packet becomes one file named by kind and content hash.
"""
import hashlib
import os
import socket
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ETH_P_ALL = 0x0003
ETH_HLEN = 14
IPPROTO_UDPLITE = 136
IPPROTO_SCTP = 132
IPPROTO_DCCP = 33
IPV6_HOPOPTS = 54
IPV6_DSTOPTS = 59


def in_namespace(out):
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    subprocess.run(["ip", "link", "set", "lo", "mtu", "1280"], check=True)
    cap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                        socket.htons(ETH_P_ALL))
    cap.bind(("lo", 0))
    cap.settimeout(0.2)
    kinds = []

    def drain(kind):
        seen = 0
        while True:
            try:
                frame = cap.recv(65535)
            except socket.timeout:
                break
            kinds.append((kind, frame[ETH_HLEN:]))
            seen += 1
        return seen

    def tcp_syn(family, addr):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(0.5)
        try:
            s.connect((addr, 9))
        except OSError:
            pass
        s.close()

    def udp(family, addr, port, payload, proto=0, opt=None):
        s = socket.socket(family, socket.SOCK_DGRAM, proto)
        if opt is not None:
            s.setsockopt(socket.IPPROTO_IPV6, opt[0], opt[1])
        s.sendto(payload, (addr, port))
        s.close()

    def raw(family, proto, addr, payload):
        s = socket.socket(family, socket.SOCK_RAW, proto)
        s.sendto(payload, (addr, 0))
        s.close()

    tcp_syn(socket.AF_INET, "127.0.0.1")
    drain("tcp4-syn")
    tcp_syn(socket.AF_INET6, "::1")
    drain("tcp6-syn")
    udp(socket.AF_INET, "127.0.0.1", 9, b"hello")
    drain("udp4")
    udp(socket.AF_INET6, "::1", 9, b"hello")
    drain("udp6")
    with open(os.path.join(HERE, "..", "unit", "data", "dns",
                           "a-host.query"), "rb") as f:
        udp(socket.AF_INET, "127.0.0.1", 53, f.read())
    drain("udp4-dns")
    udp(socket.AF_INET, "127.0.0.1", 9, b"lite", IPPROTO_UDPLITE)
    drain("udplite4")
    udp(socket.AF_INET6, "::1", 9, b"lite", IPPROTO_UDPLITE)
    drain("udplite6")
    echo = struct.pack(">BBHHH", 8, 0, 0, 0x1234, 1) + b"ping"
    raw(socket.AF_INET, socket.IPPROTO_ICMP, "127.0.0.1", echo)
    drain("icmp4-echo")
    echo6 = struct.pack(">BBHHH", 128, 0, 0, 0x1234, 1) + b"ping"
    raw(socket.AF_INET6, socket.IPPROTO_ICMPV6, "::1", echo6)
    drain("icmp6-echo")
    # SCTP common header + INIT chunk; DCCP generic header, Request.
    init = struct.pack(">BBHIIHHI", 1, 0, 20, 0x01020304, 65535, 1, 1,
                       0x0a0b0c0d)
    sctp = struct.pack(">HHII", 40000, 9, 0, 0) + init
    raw(socket.AF_INET, IPPROTO_SCTP, "127.0.0.1", sctp)
    drain("sctp4-init")
    raw(socket.AF_INET6, IPPROTO_SCTP, "::1", sctp)
    drain("sctp6-init")
    dccp = struct.pack(">HHBBHBBHI", 40000, 9, 5, 0, 0, 0x01, 0, 0, 1) + \
        struct.pack(">I", 7)
    raw(socket.AF_INET, IPPROTO_DCCP, "127.0.0.1", dccp)
    drain("dccp4-request")
    udp(socket.AF_INET, "127.0.0.1", 9, bytes(range(256)) * 12)
    drain("udp4-frag")
    udp(socket.AF_INET6, "::1", 9, bytes(range(256)) * 12)
    drain("udp6-frag")
    padn = bytes([0, 0, 1, 4, 0, 0, 0, 0])
    udp(socket.AF_INET6, "::1", 9, b"hbh", opt=(IPV6_HOPOPTS, padn))
    drain("udp6-hopopts")
    udp(socket.AF_INET6, "::1", 9, b"dst", opt=(IPV6_DSTOPTS, padn))
    drain("udp6-dstopts")

    os.makedirs(out, exist_ok=True)
    written = 0
    for kind, pkt in kinds:
        h = hashlib.sha1(pkt).hexdigest()[:12]
        if any(f.endswith("-" + h) for f in os.listdir(out)):
            continue
        with open(os.path.join(out, "%s-%s" % (kind, h)), "wb") as f:
            f.write(pkt)
        written += 1
    print("%d packets captured, %d new files in %s" % (len(kinds), written,
                                                       out))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(HERE, "corpus", "pkt")
    if os.environ.get("TATTLE_CAPTURE_NS"):
        in_namespace(out)
        return
    ns = "tattle-cap-%d" % os.getpid()
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        env = dict(os.environ, TATTLE_CAPTURE_NS=ns)
        subprocess.run(["ip", "netns", "exec", ns, sys.executable,
                        os.path.abspath(__file__), os.path.abspath(out)],
                       env=env, check=True, timeout=60)
    finally:
        subprocess.run(["ip", "netns", "del", ns])


if __name__ == "__main__":
    main()
