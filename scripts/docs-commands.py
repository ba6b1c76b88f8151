#!/usr/bin/env python3
"""Run every command the docs show, and check its exit code.

Every fenced block in README.md, Profiles/README.md and docs/*.md must say
what it is (```sh, ```console, ```text, ```json ...). Each line of a ```sh
block, and each `$ ` line of a ```console block, is a command. The block is
preceded by an annotation with one line per command:

    <!-- docs-check
    exit 0                          run it; it must exit 0
    exit 143 after SIGTERM at 5 s   a long run: SIGTERM after 5 s, then exit 143
    exit 143 after SIGTERM at 140 s, in the window 30 s
                                    as above, and its summary must show the
                                    treatment's first window entry at least
                                    30 s before the stop
    exit 0, serves                  a server (devsim rig): started in the
                                    background, its printed path ("rig: PATH")
                                    replaces /dev/pts/N in the block's later
                                    commands, SIGTERM when the block ends;
                                    a later command stopped by SIGTERM must
                                    leave "output off by the host" in the
                                    server's log after its signal (the safe
                                    state on the wire)
    skip                            named in SKIP below, with its reason
    -->

Either `exit` form may end in `, on the CI bench`: the command runs against
a kernel-shaped tree that scripts/fake-board-tree.sh builds afresh (plain
files laid out as /sys and /dev), with boards/example-bench.json replaced by
boards/ci-bench.json and `--sysfs-root TREE` added. After it ends, every
duty_cycle in the tree must read 0; one stopped by SIGTERM must also have
driven (a duty_cycle above 0 seen before the signal). ci-bench.json may
differ from example-bench.json only in the lines CI cannot emulate, checked
by a diff (CI_BENCH_ALLOWED below): the GPIO lines (a plain tree cannot
hold a GPIO character device, so "enable": "none" and both interlocks
declared absent) and the watchdog line (a link to /dev/null stands in, a
character device that takes keepalives but cannot set a timeout).

`swift run -c release devsim` and a leading `devsim` run the built binary
(--devsim, default .build/release/devsim); `bash scripts/NAME.sh ...` runs the
repository's own script; a trailing `# comment` is dropped.
Commands run in a scratch directory where Profiles/, boards/, rigs/, docs/ and scripts/ are
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
    "sudo devsim run Profiles/cryolipolysis-35min.json --board boards/example-bench.json "
    "--rt-priority 80 --lock-memory":
        "needs root and the example bench's devices; the same run without the real-time "
        "options runs on the CI bench, and the real-time path is run unprivileged "
        "by the --speed realtime command of the same section",
    "bash scripts/campaign-shards.sh Profiles/cryolipolysis-35min.json 10000 42":
        "10,000 runs twice (one process, 4 shards) take longer than a docs command may; CI's "
        "campaign step runs the same script at 1,000 runs per mode",
    "bash scripts/campaign-shards.sh Profiles/laser-lipolysis-25min.json 10000 42":
        "as the cryolipolysis line above: CI's campaign step runs it at 1,000 runs",
}

# The longest any command may take before it counts as hung.
TIMEOUT = 240

ANNOTATION = re.compile(
    r"^exit (\d+)(?: after SIGTERM at (\d+(?:\.\d+)?) s(?:, in the window (\d+) s)?|(, serves))?"
    r"(, on the CI bench)?$|^(skip)$")
# Groups of ANNOTATION.
EXPECTED, AFTER, IN_WINDOW, SERVES, ON_BENCH, SKIPPED = 1, 2, 3, 4, 5, 6


def clock_seconds(text):
    """Seconds of a summary clock, M:SS or M:SS.s."""
    minutes, seconds = text.split(":")
    return int(minutes) * 60 + float(seconds)


def window_problem(output, seconds):
    """Why a stopped run's summary does not show `seconds` in the window
    before the stop, or None: a treatment phase's "first entry" and "ran"
    (the phase's time when the run stopped)."""
    phases = re.findall(r" ran (\d+:\d+(?:\.\d+)?)\n\s+first entry (\d+:\d+(?:\.\d+)?)", output)
    if not phases:
        return "its summary shows no treatment phase that entered the window"
    ran, entry = (clock_seconds(value) for value in phases[-1])
    if ran - entry < seconds:
        return f"in the window {ran - entry:.1f} s before the stop, expected at least {seconds} s"
    return None

# The CI bench: the example board, and the copy CI runs against a plain tree.
EXAMPLE_BENCH = "boards/example-bench.json"
CI_BENCH = "boards/ci-bench.json"
# Every line that differs between the two must be one of these: the enable
# line, an interlock, the watchdog.
CI_BENCH_ALLOWED = re.compile(r'^\s*("enable": |\{ "role": "(contact|coolant-flow)", |"watchdog": )')


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


def check_ci_bench(problems):
    """ci-bench.json differs from example-bench.json only in allowed lines."""
    import difflib
    import json
    texts = []
    for name in (EXAMPLE_BENCH, CI_BENCH):
        text = open(os.path.join(ROOT, name), encoding="utf-8").read()
        try:
            json.loads(text)
        except ValueError as error:
            problems.append(f"{name}: not JSON: {error}")
        texts.append(text.split("\n"))
    changed = [line for line in difflib.ndiff(*texts) if line[:2] in ("- ", "+ ")]
    if not changed:
        problems.append(f"{CI_BENCH} is the same as {EXAMPLE_BENCH}: it should differ in its GPIO lines")
    for line in changed:
        if not CI_BENCH_ALLOWED.match(line[2:]):
            problems.append(
                f"{CI_BENCH} differs from {EXAMPLE_BENCH} in a line CI could emulate: {line.strip()}")


def duty_cycles(tree):
    """Every duty_cycle file under `tree`, path and text."""
    found = {}
    for path in glob.glob(os.path.join(tree, "sys/class/pwm/pwmchip*/pwm*/duty_cycle")):
        try:
            found[path] = open(path, encoding="utf-8").read().strip()
        except OSError as error:
            found[path] = f"unreadable ({error})"
    return found


def resolve(text, devsim, substitutions):
    text = re.sub(r"^swift run -c release devsim\b", "devsim", text)
    for old, new in substitutions.items():
        text = text.replace(old, new)
    words = shlex.split(text)
    if len(words) > 1 and words[0] == "bash" and re.match(r"^scripts/[\w.-]+\.sh$", words[1]) \
            and os.path.isfile(os.path.join(ROOT, words[1])):
        return text  # the repository's own script, through the scratch directory's link
    if words[0] != "devsim":
        return None
    return shlex.quote(devsim) + text[len("devsim"):]


def run_block(block, devsim, workdir, results):
    substitutions = {}
    servers = []
    for command in block:
        match = command.spec
        if match.group(SKIPPED):
            results.append(("skip", command, "skipped (reason below)", 0))
            continue
        expected = int(match.group(EXPECTED))
        after = float(match.group(AFTER)) if match.group(AFTER) else None
        in_window = int(match.group(IN_WINDOW)) if match.group(IN_WINDOW) else None
        serves = bool(match.group(SERVES))
        tree = None
        text = command.text
        if match.group(ON_BENCH):
            if EXAMPLE_BENCH not in text:
                results.append(("FAIL", command, f"a CI-bench command must name {EXAMPLE_BENCH}", 0))
                continue
            tree = tempfile.mkdtemp(prefix="ci-bench-tree-", dir=workdir)
            subprocess.run(["bash", os.path.join(ROOT, "scripts", "fake-board-tree.sh"), tree], check=True)
            text = text.replace(EXAMPLE_BENCH, CI_BENCH) + " --sysfs-root " + shlex.quote(tree)
        line = resolve(text, devsim, substitutions)
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
            # Keep reading what the server prints, so its pipe never fills,
            # into its log: the rig logs what the host does on the wire.
            log = []
            threading.Thread(
                target=lambda p=process, l=log: [l.append(text) for text in iter(p.stdout.readline, "")],
                daemon=True).start()
            servers.append((command, process, expected, started, log))
            continue
        drove = False
        try:
            if after is not None:
                # Read what it prints meanwhile, so its pipes never fill.
                printed = {}
                readers = [threading.Thread(target=lambda s=stream: printed.__setitem__(s, s.read()), daemon=True)
                           for stream in (process.stdout, process.stderr)]
                for reader in readers:
                    reader.start()
                while process.poll() is None and time.monotonic() - started < after:
                    if tree and any(value != "0" for value in duty_cycles(tree).values()):
                        drove = True
                    time.sleep(0.05)
                logged_before = [len(server[4]) for server in servers]
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=TIMEOUT)
                for reader in readers:
                    reader.join(timeout=10)
                out, err = printed.get(process.stdout, ""), printed.get(process.stderr, "")
            else:
                out, err = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            results.append(("FAIL", command, f"still running after {TIMEOUT} s", time.monotonic() - started))
            continue
        if tree:
            left_on = {path: value for path, value in duty_cycles(tree).items() if value != "0"}
            if not duty_cycles(tree):
                results.append(("FAIL", command, "the CI bench tree has no duty_cycle file", 0))
                continue
            if left_on:
                results.append(("FAIL", command, f"duty_cycle not 0 afterwards: {left_on}", 0))
                continue
            if after is not None and not drove:
                results.append(("FAIL", command, "never drove before the SIGTERM (every duty_cycle 0)", 0))
                continue
        if after is not None and process.returncode == expected:
            problem = window_problem(out, in_window) if in_window is not None else None
            for server, before in zip(servers, logged_before):
                deadline = time.monotonic() + 5
                while not any("output off by the host" in text for text in server[4][before:]):
                    if time.monotonic() > deadline:
                        problem = "the server logged no 'output off by the host' after the SIGTERM"
                        break
                    time.sleep(0.05)
            if problem:
                results.append(("FAIL", command, problem, time.monotonic() - started))
                continue
        report(command, expected, process.returncode, err, started, results)
    for command, process, expected, started, _ in servers:
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
        if command.spec.group(SKIPPED):
            if command.text not in SKIP:
                problems.append(f"{command.where}: 'skip' but not in the skip list: {command.text}")
            used.add(command.text)
        elif command.text in SKIP:
            problems.append(f"{command.where}: in the skip list but annotated to run: {command.text}")
    for text in SKIP:
        if text not in used:
            problems.append(f"skip list entry no doc shows any more: {text}")
    if any(command.spec.group(ON_BENCH) for command in commands):
        check_ci_bench(problems)
    if problems:
        print("docs-commands: the docs and their annotations disagree:", file=sys.stderr)
        for problem in problems:
            print("  " + problem, file=sys.stderr)
        return 1
    skipped = [command for command in commands if command.spec.group(SKIPPED)]
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
        for name in ("Profiles", "boards", "rigs", "docs", "scripts"):
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
