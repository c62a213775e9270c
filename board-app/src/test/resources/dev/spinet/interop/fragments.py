"""Fragmented UDP datagrams for Spinet's reassembly, from the kernel side of the TAP.

  fragments.py echo HOST SIZE          a SIZE-byte datagram to HOST's UDP echo (port 7): the kernel
                                       fragments it (MTU 1500); prints fragments-ok when the echo is equal
  fragments.py crafted HOST SOURCE MODE
                                       two fragments built by hand and sent through a raw socket
                                       (IPPROTO_RAW, so IP_HDRINCL): MODE clean splits a 48-byte UDP
                                       datagram at 24 bytes; MODE overlap sends bytes 0..24, then
                                       bytes 16..48 with byte 20 changed (RFC 5722's overlap).
                                       Prints "echo equal", "echo different" or "no echo".
"""
import socket
import struct
import sys


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def echo(host, size):
    data = bytes((i * 31 + 7) & 0xFF for i in range(size))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    for _ in range(3):
        s.sendto(data, (host, 7))
        try:
            got, _ = s.recvfrom(65535)
        except socket.timeout:
            continue
        print("fragments-ok" if got == data else "fragments-mismatch %d of %d bytes" % (len(got), len(data)))
        return
    print("fragments-timeout")


def crafted(host, source, mode):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((source, 0))
    u.settimeout(2)
    port = u.getsockname()[1]
    payload = bytes(range(40))
    udp = bytearray(struct.pack("!HHHH", port, 7, 48, 0) + payload)
    pseudo = socket.inet_aton(source) + socket.inet_aton(host) + struct.pack("!BBH", 0, 17, len(udp))
    struct.pack_into("!H", udp, 6, checksum(pseudo + bytes(udp)) or 0xFFFF)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    identification = 0x5150 if mode == "clean" else 0x5151

    def fragment(offset, more, data):
        header = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), identification,
                                       (0x2000 if more else 0) | offset // 8, 64, 17, 0,
                                       socket.inet_aton(source), socket.inet_aton(host)))
        struct.pack_into("!H", header, 10, checksum(bytes(header)))
        raw.sendto(bytes(header) + data, (host, 0))

    fragment(0, True, bytes(udp[0:24]))
    if mode == "overlap":
        forged = bytearray(udp)
        forged[20] ^= 0x55
        fragment(16, False, bytes(forged[16:48]))
    else:
        fragment(24, False, bytes(udp[24:48]))
    try:
        got = u.recv(100)
        print("echo equal" if got == payload else "echo different")
    except socket.timeout:
        print("no echo")


if __name__ == "__main__":
    if sys.argv[1] == "echo":
        echo(sys.argv[2], int(sys.argv[3]))
    else:
        crafted(sys.argv[2], sys.argv[3], sys.argv[4])
