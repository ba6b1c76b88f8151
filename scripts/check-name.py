#!/usr/bin/env python3
"""Prints the name of a SafetyCheck given its raw value + 1 in hexadecimal,
as the parity program and the firmware report a trip (0: none), read from
Sources/ThermalLoop/SafetyCheck.swift (declaration order = raw value).

Usage: scripts/check-name.py CODE
"""
import os
import re
import sys

source = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources",
                           "ThermalLoop", "SafetyCheck.swift"), encoding="utf-8").read()
body = source[source.index("enum SafetyCheck"):]
cases_part = body[: body.index("/// A stable kebab-case name")]
cases = re.findall(r"^  case (\w+)$", cases_part, re.MULTILINE)
names = dict(re.findall(r'case \.(\w+): "([a-z-]+)"', body))
code = int(sys.argv[1], 16)
print("none" if code == 0 else names.get(cases[code - 1], cases[code - 1]) if code <= len(cases) else f"unknown-{code}")
