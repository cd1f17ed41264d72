#!/usr/bin/python3
# tests/osui/uiserver.py: an OpenSnitch UI gRPC server for the bridge's
# tests, built on real generated stubs: the ui_pb2/ui_pb2_grpc modules
# that Debian's python3-opensnitch-ui 1.5.8 installs (--gen 1.5), or the
# stubs grpcio-tools generated from osui/ui16.proto (--gen 1.6, --stubs
# DIR).  It records every call as a JSON line in --log, answers AskRule
# with "allow always, this executable" (or --answer), and sends the
# Notification commands written as JSON lines to the --control FIFO.
import argparse
import json
import os
import queue
import sys
import threading
import time
from concurrent import futures

import grpc
from google.protobuf import json_format

ap = argparse.ArgumentParser()
ap.add_argument("--gen", choices=("1.5", "1.6"), required=True)
ap.add_argument("--stubs", help="directory of ui16_pb2*.py (1.6)")
ap.add_argument("--listen", required=True, help="e.g. unix:/tmp/x.sock")
ap.add_argument("--log", required=True)
ap.add_argument("--control")
ap.add_argument("--answer", default="allow-always-path",
                choices=("allow-always-path", "deny-always-regexp-host",
                         "none"))
args = ap.parse_args()

if args.gen == "1.5":
    sys.path.insert(0, "/usr/lib/python3/dist-packages")
    from opensnitch import ui_pb2 as pb
    from opensnitch import ui_pb2_grpc as pbg
else:
    sys.path.insert(0, args.stubs)
    import ui16_pb2 as pb
    import ui16_pb2_grpc as pbg

log_lock = threading.Lock()
notifications = queue.Queue()


def record(rpc, msg=None, **extra):
    entry = {"rpc": rpc, "t": time.time()}
    if msg is not None:
        entry["msg"] = json_format.MessageToDict(
            msg, preserving_proto_field_name=True)
    entry.update(extra)
    with log_lock, open(args.log, "a") as f:
        f.write(json.dumps(entry) + "\n")


def make_rule(name, action, duration, otype, operand, data):
    op = pb.Operator(type=otype, operand=operand, data=data)
    if args.gen == "1.5":
        return pb.Rule(name=name, enabled=True, action=action,
                       duration=duration, operator=op)
    return pb.Rule(name=name, enabled=True, action=action,
                   duration=duration, operator=op,
                   created=int(time.time()))


class UI(pbg.UIServicer):
    def Subscribe(self, request, context):
        record("Subscribe", request, peer=context.peer())
        # As the UI does: the node's config back, with its own
        # default action in it.
        cfg = json.loads(request.config or "{}")
        cfg["DefaultAction"] = "deny"
        request.config = json.dumps(cfg)
        return request

    def Ping(self, request, context):
        record("Ping", request)
        return pb.PingReply(id=request.id)

    def AskRule(self, request, context):
        record("AskRule", request)
        if args.answer == "none":
            time.sleep(3600)
        if args.answer == "deny-always-regexp-host":
            return make_rule("deny-example", "deny", "always", "regexp",
                             "dest.host", "^(|.*\\.)example\\.com$")
        name = "allow-always-simple-" + \
            request.process_path.strip("/").replace("/", "-")
        return make_rule(name, "allow", "always", "simple",
                         "process.path", request.process_path)

    def Notifications(self, request_iterator, context):
        def reader():
            try:
                for reply in request_iterator:
                    record("NotificationReply", reply)
            except grpc.RpcError:
                pass
            record("NotificationsClosed")
        threading.Thread(target=reader, daemon=True).start()
        record("NotificationsOpen")
        while context.is_active():
            try:
                n = notifications.get(timeout=0.2)
            except queue.Empty:
                continue
            record("Notification", n)
            yield n

    def PostAlert(self, request, context):
        record("PostAlert", request)
        return pb.MsgResponse(id=request.id)


def control():
    nid = 100
    while True:
        with open(args.control) as f:
            for line in f:
                cmd = json.loads(line)
                nid += 1
                rules = [pb.Rule(name=r) if isinstance(r, str) else
                         json_format.ParseDict(r, pb.Rule())
                         for r in cmd.get("rules", [])]
                notifications.put(pb.Notification(
                    id=cmd.get("id", nid), type=pb.Action.Value(cmd["type"]),
                    data=cmd.get("data", ""), rules=rules))


if args.gen == "1.5":
    # The 1.5.8 stubs know no PostAlert: the server answers UNIMPLEMENTED.
    del UI.PostAlert
server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
pbg.add_UIServicer_to_server(UI(), server)
server.add_insecure_port(args.listen)
server.start()
if args.control:
    threading.Thread(target=control, daemon=True).start()
record("Listening", pid=os.getpid())
server.wait_for_termination()
