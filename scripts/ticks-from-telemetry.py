#!/usr/bin/env python3
"""Converts devsim telemetry (CSV) into recorded ticks: the binary input of
the parity program (Parity/main.swift) and of the firmware's lockstep host
(scripts/firmware-lockstep.py), exactly as `devsim replay` reads telemetry
(Trace.swift): time rounded to ns, "repeated" samples not new, faults and
empty cells as no data, read-back error = read-back - sent command.

Output, little-endian 64-bit words: the sensor count n, then per tick: time
(ns); per sensor: kind (0 fault, 1 sample), celsius (bit pattern), isNew
(0/1); contact (0/1); coolant (0/1); has read-back error (0/1); read-back
error (bit pattern).

Usage: scripts/ticks-from-telemetry.py RUN.csv OUT.bin
"""
import csv
import math
import os
import struct
import sys

if len(sys.argv) != 3:
    sys.exit("usage: ticks-from-telemetry.py RUN.csv OUT.bin")
rows = [r for r in csv.reader(open(sys.argv[1], encoding="utf-8")) if r and not r[0].startswith("#")]
header, rows = rows[0], rows[1:]
sensors = [c[:-5] for c in header if c.endswith("_degC") and c not in ("target_degC", "setpoint_degC")]
col = {name: i for i, name in enumerate(header)}
words, last = [len(sensors)], None
for r in rows:
    t = int(math.floor(float(r[col["time_s"]]) * 1e9 + 0.5))
    if last is not None and t <= last:
        continue  # devsim's telemetry ends with a repeat of the last tick
    last = t
    words.append(t)
    for s in sensors:
        status, cell = r[col[s + "_status"]], r[col[s + "_degC"]]
        if status.startswith("fault") or cell in ("", "nan"):
            words += [0, 0, 0]
        else:
            words += [1, struct.unpack("<Q", struct.pack("<d", float(cell)))[0], 0 if status == "repeated" else 1]
    words += [0 if r[col["contact_bool"]] == "0" else 1, 0 if r[col["coolant_bool"]] == "0" else 1]
    rb, cmd = float(r[col["readback_fraction"]]), float(r[col["sent_command_fraction"]])
    if math.isfinite(rb) and math.isfinite(cmd):
        words += [1, struct.unpack("<Q", struct.pack("<d", rb - cmd))[0]]
    else:
        words += [0, 0]
with open(sys.argv[2] + ".tmp", "wb") as out:
    out.write(struct.pack(f"<{len(words)}Q", *words))
os.replace(sys.argv[2] + ".tmp", sys.argv[2])
print(f"   {len(sensors)} sensors, {len(words) // (1 + 3 * len(sensors) + 4)} ticks")
