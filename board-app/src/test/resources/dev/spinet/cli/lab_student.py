"""What a student does with each lab's board, checked from the student's side.

Usage: lab_student.py LAB BOARD_ADDRESS STUDENT_ADDRESS
Prints one line: "ok LAB: ..." when the board behaved as its lab role says, otherwise
"bad LAB: ..." (and exits 1). The kernel's TCP is the oracle: its TCP_INFO counts the
retransmissions the board causes.
"""
import json
import socket
import struct
import sys
import time
import urllib.request

LAB, BOARD, STUDENT = sys.argv[1], sys.argv[2], sys.argv[3]
PORT = 4000  # the lab port, B's in the lab reports (LabRoles.PORT)
RESUME_PORT = 4001  # flow-control: a connection here makes the board read (LabRoles.RESUME_PORT)
OTHER_PORT = 4001  # reset: a port nobody listens on
STUDENT_PORT = 50000  # where a connecting role opens to (LabRoles.CONNECT_TO_PORT)
BOARD_FROM_PORT = 40000  # where a connecting role opens from (LabRoles.CONNECT_FROM_PORT)


def bad(why):
    print("bad %s: %s" % (LAB, why))
    sys.exit(1)


def connect(port=PORT):
    return socket.create_connection((BOARD, port), timeout=10)


def echo(s, data):
    s.sendall(data)
    got = b""
    s.settimeout(10)
    while len(got) < len(data):
        chunk = s.recv(4096)
        if not chunk:
            break
        got += chunk
    return got


def until_eof(s, timeout):
    """Seconds until the board's FIN, and the bytes before it; None on timeout."""
    s.settimeout(timeout)
    start = time.monotonic()
    data = b""
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                return time.monotonic() - start, data
            data += chunk
    except socket.timeout:
        return None


def total_retrans(s):
    # struct tcp_info (linux/tcp.h): 8 single bytes, then u32 fields; tcpi_total_retrans is at 100.
    info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    return struct.unpack_from("I", info, 100)[0]


def status():
    with urllib.request.urlopen("http://%s/status.json" % BOARD, timeout=10) as r:
        return json.load(r)


if LAB in ("handshake", "resources"):
    s = connect()
    if echo(s, b"hello, board\n") != b"hello, board\n":
        bad("no echo on port %d" % PORT)
    s.close()
    print("ok %s: echo on port %d" % (LAB, PORT))

elif LAB == "reset":
    s = connect()
    if echo(s, b"one\n") != b"one\n":
        bad("no echo on port %d" % PORT)
    try:
        socket.create_connection((BOARD, OTHER_PORT), timeout=5)
        bad("port %d accepted a connection" % OTHER_PORT)
    except ConnectionRefusedError:
        pass
    s.close()
    print("ok reset: echo on %d, port %d refused with RST" % (PORT, OTHER_PORT))

elif LAB == "keepalive":
    s = connect()
    if echo(s, b"ping\n") != b"ping\n":
        bad("no echo on port %d" % PORT)
    time.sleep(13)  # idle: probes start after 10 s, every 2 s
    probes = status()["tcp"]["counters"]["KEEPALIVE_PROBES"]
    if probes < 1:
        bad("no keepalive probe after 13 s idle")
    s.close()
    print("ok keepalive: %d probe(s) after 13 s idle" % probes)

elif LAB == "close":
    s = connect()
    s.sendall(b"bye?\n")
    s.shutdown(socket.SHUT_WR)
    result = until_eof(s, 10)
    if result is None:
        bad("the board never closed")
    seconds, data = result
    if data != b"bye\n" or not 1.5 <= seconds <= 5:
        bad("expected 'bye' and a close about 2 s after ours, got %r after %.2f s" % (data, seconds))
    print("ok close: 'bye' and FIN %.2f s after our FIN" % seconds)

elif LAB in ("simultaneous-close", "time-wait"):
    s = connect()
    s.sendall(b"data\n")
    result = until_eof(s, 10)
    if result is None:
        bad("the board never closed")
    seconds, _ = result
    if not 0.5 <= seconds <= 4:
        bad("the board closed %.2f s after the data, expected about 1 s" % seconds)
    local_port = s.getsockname()[1]
    s.close()
    time.sleep(0.5)
    if LAB == "time-wait":
        states = [c["state"] for c in status()["activity"]["connections"] if c["remote_port"] == local_port]
        if states != ["TIME_WAIT"]:
            bad("the board closed first, so it should hold TIME_WAIT; its connection is %r" % states)
    print("ok %s: the board closed %.2f s after the data" % (LAB, seconds))

elif LAB == "abort":
    s = connect()
    s.settimeout(10)
    start = time.monotonic()
    try:
        s.recv(100)
        bad("the board closed instead of resetting")
    except ConnectionResetError:
        pass
    seconds = time.monotonic() - start
    if not 2 <= seconds <= 5:
        bad("RST after %.2f s, expected about 3 s" % seconds)
    print("ok abort: RST %.2f s after the connection opened" % seconds)

elif LAB == "flow-control":
    s = connect()
    s.sendall(b"x" * 30000)  # the kernel queues it; the board's 2 KiB window lets little through
    s.shutdown(socket.SHUT_WR)
    if until_eof(s, 4) is not None:
        bad("the board read everything while it should read nothing")
    socket.create_connection((BOARD, RESUME_PORT), timeout=5).close()  # a headless board: tell it to read
    result = until_eof(s, 15)
    if result is None:
        bad("a connection to port %d did not make the board read" % RESUME_PORT)
    print("ok flow-control: stalled at the zero window, then read after a connection to %d (%.2f s)" % (RESUME_PORT, result[0]))

elif LAB == "give-up":
    s = connect()
    time.sleep(6)  # the board goes silent 5 s after the connection opens
    s.sendall(b"anyone?\n")
    time.sleep(3)
    retrans = total_retrans(s)
    if retrans < 1:
        bad("no retransmission: the board still answers")
    print("ok give-up: the kernel retransmitted %d time(s)" % retrans)

elif LAB == "retransmission":
    s = connect()
    if echo(s, b"lost twice\n") != b"lost twice\n":
        bad("no echo")
    retrans = total_retrans(s)
    if retrans < 2:
        bad("expected the first two data segments lost, the kernel retransmitted %d" % retrans)
    s.close()
    print("ok retransmission: echo after %d retransmissions" % retrans)

elif LAB in ("simultaneous-open", "syn-sent"):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((STUDENT, STUDENT_PORT))
    listener.listen(1)
    listener.settimeout(25)
    try:
        conn, (address, port) = listener.accept()
    except socket.timeout:
        bad("the board did not connect to port %d within 25 s" % STUDENT_PORT)
    if address != BOARD or port != BOARD_FROM_PORT:
        bad("connection from %s:%d, expected %s:%d" % (address, port, BOARD, BOARD_FROM_PORT))
    conn.close()
    print("ok %s: the board connected from port %d" % (LAB, BOARD_FROM_PORT))

else:
    bad("no student check for this lab")
