#!/usr/bin/env python3
"""Run every command the docs show, and check its exit code.

Every fenced block in README.md, Profiles/README.md and docs/*.md must say
what it is (```sh, ```console, ```text, ```json ...). Each line of a ```sh
block, and each `$ ` line of a ```console block, is a command. The block is
preceded by an annotation with one line per command:

    <!-- docs-check
    exit 0                          run it; it must exit 0
    exit 143 after SIGTERM at 5 s   a long run: SIGTERM after 5 s, then exit 143
    exit 0, serves                  a server (devsim rig): started in the
                                    background, its printed path ("rig: PATH")
                                    replaces /dev/pts/N in the block's later
                                    commands, SIGTERM when the block ends
    skip                            named in SKIP below, with its reason
    -->

`swift run -c release devsim` and a leading `devsim` run the built binary
(--devsim, default .build/release/devsim); a trailing `# comment` is dropped.
Commands run in a scratch directory where Profiles/, boards/, docs/ and scripts/ are
links to the repository's, so what they write stays out of the tree.

    python3 scripts/docs-commands.py            run them all (CI)
    python3 scripts/docs-commands.py --check    parse and check annotations only
"""

import argparse
import glob
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The one skip list: every command the docs show but CI cannot run, and why.
SKIP = {
    "swift test": "the test suite is CI's own 'swift test' step",
    "devsim board check boards/example-bench.json":
        "needs the example bench's devices (max31865 IIO, ntc_thermistor hwmon, pwmchip0, "
        "gpiochip0); BoardEndToEndTests runs board check against a kernel-shaped tree",
    "devsim run Profiles/cryolipolysis-35min.json --board boards/example-bench.json":
        "needs the example bench's devices; BoardEndToEndTests runs --board against a "
        "kernel-shaped tree, SIGTERM included",
    "sudo devsim run Profiles/cryolipolysis-35min.json --board boards/example-bench.json "
    "--rt-priority 80 --lock-memory":
        "needs root and the example bench's devices; the real-time path is run unprivileged "
        "by the --speed realtime command of the same section",
}

# The longest any command may take before it counts as hung.
TIMEOUT = 120

ANNOTATION = re.compile(
    r"^exit (\d+)(?: after SIGTERM at (\d+(?:\.\d+)?) s|(, serves))?$|^(skip)$")


class Command:
    def __init__(self, path, line, text, spec):
        self.path, self.line, self.text, self.spec = path, line, text, spec

    @property
    def where(self):
        return f"{os.path.relpath(self.path, ROOT)}:{self.line}"


def doc_files():
    return [os.path.join(ROOT, "README.md"), os.path.join(ROOT, "Profiles", "README.md")] + sorted(
        glob.glob(os.path.join(ROOT, "docs", "*.md")))


def strip_comment(text):
    """The command without a trailing `# comment` (outside quotes)."""
    quote = None
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or text[index - 1].isspace()):
            return text[:index].rstrip()
    return text.rstrip()


def parse(path, problems):
    """The command blocks of one file: a list of lists of Command."""
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks = []
    inside = None
    annotation = None
    pending = []  # annotation lines being read
    reading_annotation = False
    for number, line in enumerate(lines, 1):
        where = f"{os.path.relpath(path, ROOT)}:{number}"
        if inside is None:
            if reading_annotation:
                if line.strip() == "-->":
                    reading_annotation = False
                    annotation = (number, pending)
                else:
                    pending.append(line.strip())
                continue
            if line.strip() == "<!-- docs-check":
                reading_annotation, pending = True, []
                continue
            if line.startswith("```"):
                info = line[3:].strip()
                if not info:
                    problems.append(f"{where}: a fenced block without a language (```text, ```sh ...)")
                inside = (info, number, annotation, [])
                annotation = None
                continue
            if re.match(r"^ {4}(\$ |devsim |swift |sudo |bash )", line):
                problems.append(f"{where}: a command outside a fenced block: {line.strip()}")
            if line.strip() and annotation is not None:
                problems.append(
                    f"{os.path.relpath(path, ROOT)}:{annotation[0]}: an annotation not followed by a block")
                annotation = None
            continue
        info, start, note, commands = inside
        if line.startswith("```"):
            inside = None
            if info in ("sh", "bash", "shell", "console"):
                specs = note[1] if note else None
                if specs is None:
                    problems.append(f"{os.path.relpath(path, ROOT)}:{start}: a command block without a docs-check annotation")
                    continue
                if len(specs) != len(commands):
                    problems.append(
                        f"{os.path.relpath(path, ROOT)}:{start}: {len(commands)} commands but "
                        f"{len(specs)} annotation lines")
                    continue
                block = []
                for (line_number, text), spec in zip(commands, specs):
                    match = ANNOTATION.match(spec)
                    if not match:
                        problems.append(f"{os.path.relpath(path, ROOT)}:{line_number}: bad annotation '{spec}'")
                        continue
                    block.append(Command(path, line_number, text, match))
                blocks.append(block)
            elif note:
                problems.append(f"{os.path.relpath(path, ROOT)}:{start}: an annotation on a ```{info} block")
            continue
        if info in ("sh", "bash", "shell"):
            text = strip_comment(line)
            if text:
                commands.append((number, text))
        elif info == "console" and line.startswith("$ "):
            commands.append((number, strip_comment(line[2:])))
    if inside is not None:
        problems.append(f"{os.path.relpath(path, ROOT)}:{inside[1]}: an unclosed fenced block")
    return blocks


def resolve(text, devsim, substitutions):
    text = re.sub(r"^swift run -c release devsim\b", "devsim", text)
    for old, new in substitutions.items():
        text = text.replace(old, new)
    words = shlex.split(text)
    if words[0] != "devsim":
        return None
    return shlex.quote(devsim) + text[len("devsim"):]


def run_block(block, devsim, workdir, results):
    substitutions = {}
    servers = []
    for command in block:
        match = command.spec
        if match.group(4):
            results.append(("skip", command, "skipped (reason below)", 0))
            continue
        expected = int(match.group(1))
        after = float(match.group(2)) if match.group(2) else None
        serves = bool(match.group(3))
        line = resolve(command.text, devsim, substitutions)
        if line is None:
            results.append(("FAIL", command, "not a devsim command (name it in SKIP)", 0))
            continue
        started = time.monotonic()
        process = subprocess.Popen(
            ["bash", "-c", "exec " + line if not re.search(r"[|;&<>]", line) else line],
            cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True)
        if serves:
            path = None
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                printed = process.stdout.readline()
                found = re.match(r"^rig: (\S+)", printed or "")
                if found:
                    path = found.group(1)
                    break
                if process.poll() is not None:
                    break
            if path is None:
                process.kill()
                results.append(("FAIL", command, "printed no 'rig: PATH' within 10 s", 0))
                continue
            substitutions["/dev/pts/N"] = path
            # Keep reading what the server prints, so its pipe never fills.
            threading.Thread(target=process.stdout.read, daemon=True).start()
            servers.append((command, process, expected, started))
            continue
        try:
            if after is not None:
                try:
                    process.wait(timeout=after)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGTERM)
            out, err = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            out, err = process.communicate()
            results.append(("FAIL", command, f"still running after {TIMEOUT} s", time.monotonic() - started))
            continue
        report(command, expected, process.returncode, err, started, results)
    for command, process, expected, started in servers:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            _, err = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            _, err = process.communicate()
        report(command, expected, process.returncode, err, started, results)


def report(command, expected, code, errors, started, results):
    seconds = time.monotonic() - started
    if code == expected:
        results.append(("ok", command, f"exit {code}", seconds))
    else:
        tail = "\n".join((errors or "").strip().split("\n")[-5:])
        results.append(("FAIL", command, f"exit {code}, expected {expected}\n{tail}", seconds))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="parse and check only, run nothing")
    parser.add_argument("--devsim", default=os.path.join(ROOT, ".build", "release", "devsim"))
    arguments = parser.parse_args()
    problems = []
    blocks = []
    for path in doc_files():
        blocks += parse(path, problems)
    commands = [command for block in blocks for command in block]
    used = set()
    for command in commands:
        if command.spec.group(4):
            if command.text not in SKIP:
                problems.append(f"{command.where}: 'skip' but not in the skip list: {command.text}")
            used.add(command.text)
        elif command.text in SKIP:
            problems.append(f"{command.where}: in the skip list but annotated to run: {command.text}")
    for text in SKIP:
        if text not in used:
            problems.append(f"skip list entry no doc shows any more: {text}")
    if problems:
        print("docs-commands: the docs and their annotations disagree:", file=sys.stderr)
        for problem in problems:
            print("  " + problem, file=sys.stderr)
        return 1
    skipped = [command for command in commands if command.spec.group(4)]
    if arguments.check:
        print(f"docs-commands: {len(commands)} commands in {len(blocks)} blocks: "
              f"{len(commands) - len(skipped)} to run, {len(skipped)} skipped")
        for command in commands:
            print(f"  {command.where}: {command.spec.group(0):32} {command.text}")
        return 0
    if not os.access(arguments.devsim, os.X_OK):
        print(f"docs-commands: no devsim binary at {arguments.devsim} (swift build -c release)",
              file=sys.stderr)
        return 1
    started = time.monotonic()
    results = []
    with tempfile.TemporaryDirectory(prefix="devsim-docs-") as workdir:
        for name in ("Profiles", "boards", "docs", "scripts"):
            os.symlink(os.path.join(ROOT, name), os.path.join(workdir, name))
        for block in blocks:
            run_block(block, os.path.abspath(arguments.devsim), workdir, results)
            for status, command, detail, seconds in results[-len(block):]:
                first = detail.split("\n")[0]
                print(f"{status:4} {first:28} {seconds:6.1f} s  {command.where}  {command.text}")
                if status == "FAIL":
                    for extra in detail.split("\n")[1:]:
                        print("       " + extra)
    failed = [result for result in results if result[0] == "FAIL"]
    ran = [result for result in results if result[0] != "skip"]
    print("skipped (the one skip list, scripts/docs-commands.py):")
    for command in skipped:
        print(f"  {command.where}  {command.text}\n      reason: {SKIP[command.text]}")
    print(f"docs-commands: {len(ran)} run, {len(skipped)} skipped, {len(failed)} failed "
          f"in {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
