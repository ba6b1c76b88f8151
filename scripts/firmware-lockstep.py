#!/usr/bin/env python3
"""Lockstep host for the firmware image (issue 17).

Starts QEMU (mps2-an386, -icount shift=0) with UART0 to UART4 on Unix
socket chardevs (the link's five lanes: byte k of a tick frame goes on lane
k mod 5, the answers come back on UART0), then, for each recorded tick of a ticks file (the binary input of
the parity program, written by scripts/ticks-from-telemetry.py), sends one
tick frame (Firmware/Loop/LinkProtocol.swift) and waits for the firmware's
answer before sending the next: results do not depend on QEMU's speed.
Writes one line per answered tick in the parity program's format
(`time state command-bits controller-bits trip`, hexadecimal), so the output
compares byte for byte with the host build's, and a figures line on stderr.

Link faults, to test the firmware's safe state:
  --corrupt-at K   flip a bit in tick K's frame (CRC error)
  --drop-at K      never send tick K (the sequence number skips)
  --stall-at K     send nothing from tick K on for --stall-seconds
The run then stops after the fault's answer and checks that the firmware
answered with the fault, the stage safe (command 0, enable open) and, for a
stall, within the stated bound; the exit status says whether it did.

Exit status: 0 done (and, with a fault, the firmware went safe as stated),
1 the firmware did not, 2 a link or QEMU failure, 64 usage.
"""
import argparse
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib

TICK_MAGIC = b"\xd5\x54"
ANSWER_MAGIC = b"\xd5\x41"
ANSWER_BYTES = 46
LANES = 5  # Firmware/Loop/LinkProtocol.swift
LINK_FAULTS = {1: "corrupt-frame", 2: "dropped-frame", 3: "host-gone", 4: "bad-frame"}
# The firmware's stated host-gone bound: 3 to 4 SysTick wraps of 2^24 counts at 25 MHz.
WRAP_SECONDS = (1 << 24) / 25e6
HOST_GONE_MIN_S, HOST_GONE_MAX_S = 3 * WRAP_SECONDS, 4 * WRAP_SECONDS


def fail(message, status=2):
    print(f"firmware-lockstep: FAIL: {message}", file=sys.stderr)
    sys.exit(status)


def read_ticks(path):
    """Yields (time, [(kind, celsius_bits, is_new)], contact, coolant, has_rb, rb_bits)."""
    data = open(path, "rb").read()
    (count,) = struct.unpack_from("<Q", data, 0)
    row_words = 1 + 3 * count + 4
    offset = 8
    rows = []
    while offset + 8 * row_words <= len(data):
        w = struct.unpack_from(f"<{row_words}Q", data, offset)
        offset += 8 * row_words
        sensors = [(w[1 + 3 * i], w[2 + 3 * i], w[3 + 3 * i]) for i in range(count)]
        tail = 1 + 3 * count
        rows.append((w[0], sensors, w[tail], w[tail + 1], w[tail + 2], w[tail + 3]))
    return count, rows


def tick_frame(kind, sequence, row, count):
    time_ns, sensors, contact, coolant, has_rb, rb_bits = row
    body = struct.pack("<BBIQ", kind, count, sequence, time_ns)
    for status, bits, is_new in sensors:
        body += struct.pack("<BBQ", 1 if status else 0, 1 if is_new else 0, bits)
    body += struct.pack("<BBBQ", contact, coolant, has_rb, rb_bits)
    return TICK_MAGIC + body + struct.pack("<I", zlib.crc32(body))


class LaneLink:
    """The link's lanes: sendall spreads a frame over them, recv reads lane 0."""

    def __init__(self, lanes):
        self.lanes = lanes

    def sendall(self, frame):
        for lane, connection in enumerate(self.lanes):
            connection.sendall(frame[lane::len(self.lanes)])

    def settimeout(self, seconds):
        self.lanes[0].settimeout(seconds)

    def recv(self, size, flags=0):
        return self.lanes[0].recv(size, flags)

    def close(self):
        for connection in self.lanes:
            connection.close()


def read_answer(link, deadline_s):
    buffer = b""
    link.settimeout(deadline_s)
    while len(buffer) < ANSWER_BYTES:
        try:
            chunk = link.recv(ANSWER_BYTES - len(buffer), socket.MSG_WAITALL)
        except socket.timeout:
            fail(f"no answer within {deadline_s} s")
        if not chunk:
            fail("QEMU closed the link")
        buffer += chunk
    if buffer[:2] != ANSWER_MAGIC:
        fail(f"answer without its magic: {buffer[:4].hex()}")
    body, (crc,) = buffer[2:42], struct.unpack_from("<I", buffer, 42)
    if zlib.crc32(body) != crc:
        fail("answer with a bad CRC")
    fields = struct.unpack("<BBIQBBQQII", body)
    keys = ("link", "state", "sequence", "time", "trip", "enabled", "command", "controller",
            "cost", "stack")
    return dict(zip(keys, fields))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("image")
    parser.add_argument("ticks")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--corrupt-at", type=int)
    parser.add_argument("--drop-at", type=int)
    parser.add_argument("--stall-at", type=int)
    parser.add_argument("--stall-seconds", type=float, default=4.0)
    parser.add_argument("--qemu", default="qemu-system-arm")
    parser.add_argument("--icount", default="shift=0",
                        help="QEMU's -icount option ('off': no -icount, guest time is host time)")
    parser.add_argument("--ticks-limit", type=int, help="send only the first N ticks")
    args = parser.parse_args()
    faults = [f for f in (args.corrupt_at, args.drop_at, args.stall_at) if f is not None]
    if len(faults) > 1:
        parser.error("at most one link fault per run")
    count, rows = read_ticks(args.ticks)
    if args.ticks_limit is not None:
        rows = rows[: args.ticks_limit]
    if not rows:
        fail("no ticks in the input", 64)

    workdir = tempfile.mkdtemp(prefix="firmware-lockstep-")
    paths = [os.path.join(workdir, f"uart{lane}.sock") for lane in range(LANES)]
    serials = []
    for lane, path in enumerate(paths):
        serials += ["-chardev", f"socket,id=uart{lane},path={path},server=on,wait=on",
                    "-serial", f"chardev:uart{lane}"]
    started = time.monotonic()
    qemu = subprocess.Popen(
        [args.qemu, "-M", "mps2-an386", "-display", "none", "-monitor", "none",
         *(["-icount", args.icount] if args.icount != "off" else []), "-semihosting-config", "enable=on,target=native",
         *serials, "-kernel", args.image],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # QEMU opens the sockets in order, each waiting for its client.
    lanes = []
    for path in paths:
        lane = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for _ in range(2000):
            try:
                lane.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if qemu.poll() is not None:
                    fail(f"QEMU ended: {qemu.stderr.read().decode(errors='replace')}")
                time.sleep(0.01)
        else:
            fail(f"could not connect to QEMU's socket {path}")
        lanes.append(lane)
    link = LaneLink(lanes)

    status = 0
    lines, costs, stack = [], [], 0
    first_answer_s = None
    try:
        for k, row in enumerate(rows):
            frame = tick_frame(1, k, row, count)
            if k == args.drop_at:
                continue
            if k == args.stall_at:
                quiet = time.monotonic()
                answer = read_answer(link, args.stall_seconds + 30)
                waited = time.monotonic() - quiet
                status = judge(answer, "host-gone", f"after {waited:.2f} s of silence")
                if not HOST_GONE_MIN_S - 0.05 <= waited <= HOST_GONE_MAX_S + 1.5:
                    print(f"firmware-lockstep: host-gone after {waited:.2f} s, outside "
                          f"{HOST_GONE_MIN_S:.2f}..{HOST_GONE_MAX_S:.2f} s", file=sys.stderr)
                    status = 1
                break
            if k == args.corrupt_at:
                frame = bytearray(frame)
                frame[8] ^= 0x01  # a bit of the tick time
                frame = bytes(frame)
            link.sendall(frame)
            answer = read_answer(link, 30)
            if first_answer_s is None:
                first_answer_s = time.monotonic() - started
            if args.corrupt_at is not None and k == args.corrupt_at:
                status = judge(answer, "corrupt-frame", f"at tick {k}")
                break
            if args.drop_at is not None and k == args.drop_at + 1:
                status = judge(answer, "dropped-frame", f"at tick {k}, the one after the lost frame")
                break
            if answer["link"] != 0:
                fail(f"tick {k}: unexpected link fault {LINK_FAULTS.get(answer['link'])}", 1)
            if answer["sequence"] != k or answer["time"] != row[0]:
                fail(f"tick {k}: answer for sequence {answer['sequence']}", 2)
            lines.append(f"{answer['time']:x} {answer['state']:x} {answer['command']:x} "
                         f"{answer['controller']:x} {answer['trip']:x}\n")
            costs.append(answer["cost"])
            stack = max(stack, answer["stack"])
        end_row = (rows[-1][0], [(0, 0, 0)] * count, 0, 0, 0, 0)
        link.sendall(tick_frame(2, len(rows), end_row, count))
        end = read_answer(link, 30)
        stack = max(stack, end["stack"])
    finally:
        try:
            exit_status = qemu.wait(timeout=10)
        except subprocess.TimeoutExpired:
            qemu.kill()
            exit_status = qemu.wait()
        link.close()
    wall_s = time.monotonic() - started
    if exit_status != 0:
        fail(f"QEMU ended with status {exit_status}: "
             f"{qemu.stdout.read().decode(errors='replace')}{qemu.stderr.read().decode(errors='replace')}")
    with open(args.output + ".tmp", "w", encoding="utf-8") as out:
        out.writelines(lines)
    os.replace(args.output + ".tmp", args.output)
    if costs:
        simulated_s = (rows[len(costs) - 1][0] - rows[0][0]) / 1e9
        ordered = sorted(costs)
        print(f"   {len(costs)} ticks in {wall_s:.1f} s wall ({len(costs) / wall_s:.0f} ticks/s;"
              f" {wall_s / max(simulated_s / 60, 1e-9):.2f} s wall per simulated minute);"
              f" first answer {first_answer_s:.2f} s after QEMU started;"
              f" tick cost median {statistics.median(ordered) * 40:.0f},"
              f" max {ordered[-1] * 40} instructions (SysTick counts x 40, resolution 40);"
              f" stack high-water {stack} bytes", file=sys.stderr)
    return status


def judge(answer, expected, where):
    name = LINK_FAULTS.get(answer["link"], "none")
    safe = answer["command"] == 0 and answer["enabled"] == 0
    ok = name == expected and safe
    print(f"   link fault {expected} {where}: firmware answered {name}, command "
          f"{struct.unpack('<d', struct.pack('<Q', answer['command']))[0]}, "
          f"enable {'closed' if answer['enabled'] else 'open'}: {'safe' if ok else 'NOT SAFE'}",
          file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
