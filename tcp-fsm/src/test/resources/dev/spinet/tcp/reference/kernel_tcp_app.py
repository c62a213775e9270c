# The kernel side of the differential conformance suite: runs inside the test's network
# namespace and makes the socket calls the Java test asks for, one command per stdin line,
# one "ok ..." or "err ..." line back on stdout. Sockets are named by the test.
#   listen NAME PORT RCVBUF      passive open on KERNEL_IP:PORT (RCVBUF 0: the default)
#   connect NAME PORT RCVBUF     nonblocking active open to PEER_IP:PORT
#   accept NAME LISTENER PEERPORT  takes the connection from PEERPORT off LISTENER's queue
#   send NAME N | read NAME N | shutdown NAME | close NAME | abort NAME | reset | quit
#   keepalive NAME               SO_KEEPALIVE, first probe after 1 s idle, then every 1 s, 3 probes
#   linger2 NAME SECONDS         TCP_LINGER2: how long the closed socket waits in FIN-WAIT-2
#   congestion ALGORITHM         TCP_CONGESTION of the sockets created from now on ("default": the namespace's)
import select
import socket
import struct
import sys
import time

KERNEL_IP, PEER_IP = sys.argv[1], sys.argv[2]
sockets = {}
congestion = None
unclaimed = {}


def reply(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def new_socket(rcvbuf):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if congestion:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, congestion.encode())
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    return s


def accept(listener_name, peer_port):
    listener = sockets[listener_name]
    deadline = time.monotonic() + 2.0
    while (listener_name, peer_port) not in unclaimed:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([listener], [], [], left)[0]:
            raise RuntimeError("no connection from port %d was accepted" % peer_port)
        connection, address = listener.accept()
        connection.setblocking(False)
        unclaimed[(listener_name, address[1])] = connection
    return unclaimed.pop((listener_name, peer_port))


def abort(s):
    # SO_LINGER with a zero timeout: close() sends RST (the ABORT call of RFC 9293 3.10.5).
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


for line in sys.stdin:
    words = line.split()
    if not words:
        continue
    command, args = words[0], words[1:]
    try:
        if command == "listen":
            s = new_socket(int(args[2]))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((KERNEL_IP, int(args[1])))
            s.listen(8)
            s.setblocking(False)
            sockets[args[0]] = s
            reply("ok")
        elif command == "connect":
            s = new_socket(int(args[2]))
            s.setblocking(False)
            s.connect_ex((PEER_IP, int(args[1])))
            sockets[args[0]] = s
            reply("ok")
        elif command == "accept":
            sockets[args[0]] = accept(args[1], int(args[2]))
            reply("ok")
        elif command == "send":
            reply("ok wrote %d" % sockets[args[0]].send(b"x" * int(args[1])))
        elif command == "read":
            try:
                reply("ok read %d" % len(sockets[args[0]].recv(int(args[1]))))
            except BlockingIOError:
                reply("ok read 0")
        elif command == "shutdown":
            sockets[args[0]].shutdown(socket.SHUT_WR)
            reply("ok")
        elif command == "keepalive":
            s = sockets[args[0]]
            s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
            reply("ok")
        elif command == "linger2":
            sockets[args[0]].setsockopt(socket.IPPROTO_TCP, socket.TCP_LINGER2, int(args[1]))
            reply("ok")
        elif command == "congestion":
            congestion = None if args[0] == "default" else args[0]
            reply("ok")
        elif command == "close":
            sockets.pop(args[0]).close()
            reply("ok")
        elif command == "abort":
            abort(sockets.pop(args[0]))
            reply("ok")
        elif command == "reset":
            for s in list(sockets.values()) + list(unclaimed.values()):
                try:
                    abort(s)
                except OSError:
                    pass
            sockets.clear()
            unclaimed.clear()
            reply("ok")
        elif command == "quit":
            reply("ok")
            break
        else:
            reply("err unknown command " + command)
    except Exception as e:
        reply("err %s: %s" % (type(e).__name__, e))
