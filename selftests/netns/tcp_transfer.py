#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""One TCP connection between two network namespaces, made by one process:
a listener in TO_NS on BIND_ADDR port 5001, a sender in FROM_NS that
connects to TO_ADDR and writes BYTES zero bytes. Prints "received N of
BYTES bytes" and exits 1 unless all of them arrived within 60 s.

  tcp_transfer.py FROM_NS TO_NS TO_ADDR BYTES [BIND_ADDR]

A socket stays in the namespace it was made in, so the process moves
(setns) to make each one; one program started instead of the shell
tools' nine matters on the debug kernel under TCG.
"""
import ctypes
import os
import socket
import sys
import threading

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def enter(ns):
    fd = os.open("/run/netns/" + ns, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET):
            err = ctypes.get_errno()
            raise OSError(err, "setns " + ns + ": " + os.strerror(err))
    finally:
        os.close(fd)


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    from_ns, to_ns, to_addr, want = sys.argv[1:5]
    bind = sys.argv[5] if len(sys.argv) == 6 else to_addr
    want = int(want)

    enter(to_ns)
    listener = socket.socket(family(bind), socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((bind, 5001))
    listener.listen(1)
    listener.settimeout(60)
    got = [0]

    def receive():
        try:
            conn, _ = listener.accept()
            conn.settimeout(60)
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                got[0] += len(data)
        except OSError as e:
            print("listener:", e)

    receiver = threading.Thread(target=receive)
    receiver.start()
    enter(from_ns)
    try:
        sender = socket.create_connection((to_addr, 5001), timeout=60)
        chunk = bytes(65536)
        left = want
        while left > 0:
            n = sender.send(chunk[:min(left, len(chunk))])
            left -= n
        sender.close()
    except OSError as e:
        print("sender:", e)
        listener.shutdown(socket.SHUT_RDWR)	# ends the accept
    receiver.join()
    print("received", got[0], "of", want, "bytes")
    sys.exit(0 if got[0] == want else 1)


main()
