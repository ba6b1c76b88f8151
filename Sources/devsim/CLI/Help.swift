/// Help texts, in swift-argument-parser's layout.
enum Help {
  static let main = """
    OVERVIEW: Simulate, drive and supervise skin-contact thermal applicators.

    USAGE: devsim <command> [<options>]

    OPTIONS:
      -h, --help              Show help information.
      --version               Show the version.

    SUBCOMMANDS:
      run                     Run a profile's treatment on the simulator, or in real time on a rig or a board.
      validate                Check profiles without running them.
      suite                   Run every scenario under the given paths, with JUnit, JSON and HTML reports.
      campaign                Run random fault schedules against a profile and check the invariants.
      replay                  Feed a recorded trace through a profile's supervisor and controller.
      rig                     Serve the simulated applicator as a SCPI test rig on a pty or TCP.
      board                   Check a Linux board file against the board's devices.
      plot                    Draw a telemetry file as an SVG: temperatures, window, command, trips.
      tune                    Relay or step autotune around a profile's setpoint; gains by a stated rule.
      compare                 Hand-tuned, autotuned and model-based control on the same seeded plant.
      codegen                 Write a profile's control loop as Swift source (Embedded Swift builds).
      bench                   Measure speed and timing: the plant, a tick, loop latency, a suite, a
                              serial link, a plot (use a release build).
      help                    Show help for a subcommand.

      See 'devsim help <subcommand>' for detailed help.

    """

  static let run = """
    OVERVIEW: Run a profile's treatment on the simulator, or in real time on a rig or a board.

    USAGE: devsim run <profile> [--seed <n>] [-o <file>] [--format <format>] [--plot <file.svg>] [--speed <speed>] [--rig <device> | --board <file> [--sysfs-root <dir>]] [--rt-priority <n>] [--lock-memory] [--quiet]

    ARGUMENTS:
      <profile>               The profile (JSON) to run.

    OPTIONS:
      --seed <n>              The noise seed (default: the profile's "seed").
      -o, --out <file>        Write telemetry to <file>, whole or not at all.
      --format <format>       csv or jsonl (default: from the file name, else csv).
      --plot <file.svg>       Draw the run as a self-contained SVG (see 'devsim help plot').
      --speed <speed>         max (virtual time, default), realtime, or a factor N (N× real time).
      --rig <device>          Run the loop in real time against a rig on a tty (/dev/ttyUSB0)
                              or a TCP serial server (tcp://host:port) instead of the simulator.
      --board <file>          Run the loop in real time against a Linux board's sysfs sensors,
                              PWM channels and GPIO lines, as the board file maps them
                              (docs/boards.md).
      --sysfs-root <dir>      With --board: resolve /sys and /dev paths under <dir> (tests).
      --rt-priority <n>       Wall-clock runs: the control thread under SCHED_FIFO priority
                              <n> (1 … 99); without the privilege, a note and SCHED_OTHER.
      --lock-memory           Wall-clock runs: mlockall, so no page fault stalls the loop.
                              The policy in effect is in the summary's timing lines.
      --quiet                 Print only failures.
      -h, --help              Show help information.

    EXIT CODES:
      0 passed, 1 an expectation failed or an unexpected trip, 64 bad usage,
      65 bad profile or board file, 74 I/O failure (an output file, a rig that went away,
      a board whose outputs could not be confirmed off).

    """

  static let validate = """
    OVERVIEW: Check profiles without running them.

    USAGE: devsim validate <profile> ...

    ARGUMENTS:
      <profile>               One or more profiles (JSON) to check.

    OPTIONS:
      -h, --help              Show help information.

    EXIT CODES:
      0 all valid, 64 bad usage, 65 at least one profile is invalid.

    """

  static let codegen = """
    OVERVIEW: Write a profile's control loop as Swift source (Embedded Swift builds).

    USAGE: devsim codegen <profile> [-o <file.swift>]

    ARGUMENTS:
      <profile>               The profile (JSON) whose plan, sensors, controller and
                              supervisor configuration to write.

    OPTIONS:
      -o, --out <file.swift>  Write the source to <file.swift>, whole or not at all
                              (default: standard output).
      -h, --help              Show help information.

    EXIT CODES:
      0 written, 64 bad usage, 65 bad profile, 74 the output could not be written.

    """

  static let bench = """
    OVERVIEW: Measure the simulator's speed (use a release build).

    USAGE: devsim bench plant [--minutes <m>] [--repeat <n>] [--ticks <n>]
           devsim bench suite [--scenarios <n>] [--jobs <n>]
           devsim bench serial [--seconds <s>]
           devsim bench tick [--ticks <n>]
           devsim bench latency [--rate <hz>] [--seconds <s>] [--rt-priority <n>] [--lock-memory]
           devsim bench plot [--minutes <m>] [--repeat <n>]

    ARGUMENTS:
      plant                   A cryolipolysis hold at 10 Hz on the default grid: the plant
                              alone and the whole loop, in simulated seconds per wall second.
      suite                   Full-length 35-minute cryolipolysis scenarios on every core,
                              as a suite runs them: scenarios per minute.
      serial                  Query round trips per second over a pty to an emulated rig,
                              then a 100 Hz control loop over it: missed ticks.
      tick                    The cost of one control tick (PID, full supervisor, simulated
                              probes and stage, metrics, telemetry record) without the
                              tissue solver: median and p99 in ns, timed tick by tick.
      latency                 The bench-tick loop against the monotonic clock at <hz>: how
                              late each wake-up came (min, mean, p99, max, histogram).
      plot                    Drawing a run of --minutes at 10 Hz (default 60: 36,000 records)
                              as an SVG, and reading it back from a CSV telemetry file first.

    OPTIONS:
      --minutes <m>           Simulated minutes per run (default: 60).
      --repeat <n>            Runs; the median is reported (default: 5).
      --ticks <n>             bench plant: run exactly <n> ticks once and print no timing
                              (for the allocation check); bench tick: ticks timed
                              (default: 1,000,000).
      --scenarios <n>         Scenarios for the suite benchmark (default: 300).
      -j, --jobs <n>          Scenarios at once (default: the number of cores).
      --seconds <s>           Length of the serial loop (default: 60) or of the latency
                              run (default: 30).
      --rate <hz>             bench latency: loop rate (default: 1000).
      --rt-priority <n>       bench latency: SCHED_FIFO priority of the loop's thread.
      --lock-memory           bench latency: mlockall first.
      -h, --help              Show help information.

    """

  static let suite = """
    OVERVIEW: Run every scenario under the given paths, with JUnit, JSON and HTML reports.

    USAGE: devsim suite [<path> ...] [--jobs <n>] [--junit <file>] [--json <file>] [--html <file>] [--shard <i/n>] [--quiet]

    ARGUMENTS:
      <path>                  Profiles or directories of profiles (default: Profiles).

    OPTIONS:
      -j, --jobs <n>          Scenarios run at once (default: the number of cores).
      --junit <file>          Write JUnit XML (seed, profile hash, metrics and reaction
                              times as testcase properties).
      --json <file>           Write a JSON summary.
      --html <file>           Write a self-contained HTML report: the totals, a table of
                              scenarios (failures first) with their metrics, and each
                              scenario's plot inline.
      --shard <i/n>           Run shard i of n (1-based): every n-th scenario in sorted
                              order. Bazel's TEST_TOTAL_SHARDS and TEST_SHARD_INDEX
                              (0-based) are honoured too; TEST_SHARD_STATUS_FILE is touched.
      --quiet                 Print only failures and the closing count.
      -h, --help              Show help information.

    EXIT CODES:
      0 every scenario passed, 1 a scenario failed, 64 bad usage, 65 a profile is
      invalid, 74 a report could not be written.

    """

  static let campaign = """
    OVERVIEW: Run random fault schedules against a profile and check the invariants.

    USAGE: devsim campaign <profile> [--runs <n>] [--seed <s>] [--jobs <n>]
           devsim campaign <profile> --schedule <schedule>

    ARGUMENTS:
      <profile>               The profile whose treatment every run performs.

    OPTIONS:
      --runs <n>              Runs (default: 100).
      --seed <s>              Seed of the fault schedules (default: 1); the same seed
                              draws the same schedules.
      -j, --jobs <n>          Runs at once (default: the number of cores).
      --schedule <schedule>   Run one schedule, kind:target@seconds[=value], comma-separated
                              (what a failing run prints to replay it).
      -h, --help              Show help information.

    INVARIANTS (docs/safety.md):
      1 every trip reaches the power stage's safe state in its own tick;
      2 the stage stays safe (no reset in a campaign);
      3 every fault is detected within its check's bound once the readings make it detectable.

    EXIT CODES:
      0 every run kept the invariants, 1 a run broke one, 64 bad usage, 65 bad profile.

    """

  static let replay = """
    OVERVIEW: Feed a recorded trace through a profile's supervisor and controller.

    USAGE: devsim replay <trace> --profile <profile> [-o <file>] [--format <format>] [--quiet]

    ARGUMENTS:
      <trace>                 A CSV trace: devsim's own telemetry, or the minimal form
                              (time_s, <sensor>_degC per sensor, optional <sensor>_status,
                              readback_fraction, contact_bool, coolant_bool).

    OPTIONS:
      --profile <profile>     Whose sensors, supervisor, controller and expectations to use.
      -o, --out <file>        Write the replay's telemetry (commands and trips) to <file>.
      --format <format>       csv or jsonl (default: from the file name, else csv).
      --quiet                 Print only failures.
      -h, --help              Show help information.

    EXIT CODES:
      0 the expectations held, 1 they did not, 64 bad usage, 65 bad profile or trace.

    """

  static let rig = """
    OVERVIEW: Serve the simulated applicator as a SCPI test rig on a pty or TCP.

    USAGE: devsim rig [<profile>] [--pty | --link <path> | --listen tcp://<addr>:<port>] [--speed <speed>] [--unplug-after <time>]

    ARGUMENTS:
      <profile>               Whose plant and probes the rig has (channels in the profile's
                              sensor order; default: a cryolipolysis plate rig).

    OPTIONS:
      --pty                   Serve on a new pseudo-terminal (the default); its path is printed.
      --link <path>           Also make <path> a symlink to the pseudo-terminal.
      --listen <url>          Serve on TCP instead (tcp://127.0.0.1:0 picks a port).
      --speed <speed>         Rig time per wall time (default realtime; a factor N runs the
                              physics and the lease N× faster, for a host run at --speed N).
      --unplug-after <time>   Close the link after this much rig time, as a USB unplug would;
                              the rig keeps running (its lease must turn the output off).
      -h, --help              Show help information.

    The first line printed is the device (rig: /dev/pts/N or rig: tcp://host:port); events
    (lease expiry, protection trips, injected faults) follow, one per line. SIGINT or SIGTERM
    stops the rig. The protocol is in docs/rig-protocol.md.

    """

  static let board = """
    OVERVIEW: Check a Linux board file against the board's devices.

    USAGE: devsim board check <board> [--sysfs-root <dir>]

    ARGUMENTS:
      <board>                 The board file (JSON, docs/boards.md).

    OPTIONS:
      --sysfs-root <dir>      Resolve /sys and /dev paths under <dir> (tests).
      -h, --help              Show help information.

    Opens every sensor and reads it once, checks every PWM channel and GPIO line exists,
    reads the interlocks, and prints what it found. It drives no output: PWM channels are
    not exported, output lines not requested, the watchdog not opened (that would arm it).

    EXIT CODES:
      0 every device found and read, 1 a sensor or interlock read failed, 64 bad usage,
      65 bad board file (unknown device, missing file, channel out of range, a channel or
      line used twice, an interlock neither wired nor declared absent), 74 I/O failure.

    """

  static let plot = """
    OVERVIEW: Draw a telemetry file as an SVG: temperatures, window, command, trips.

    USAGE: devsim plot <telemetry> [-o <file.svg>]

    ARGUMENTS:
      <telemetry>             A telemetry file that 'devsim run -o' wrote (CSV or JSON Lines).

    OPTIONS:
      -o, --out <file.svg>    Where to write the plot (default: <telemetry> with .svg).
      -h, --help              Show help information.

    The plot (1200×700, self-contained, prints in black and white) has a temperature
    panel with every sensor and depth probe, the window shaded over the treatment
    phases, the phase setpoint as a stepped line and the phase boundaries; a command
    panel with the command sent to the power stage, the controller's request and the
    read-back where there is one; trip markers labelled with the check that fired; the
    dose. Time is in minutes. Long runs are thinned per pixel column, keeping extremes.

    EXIT CODES:
      0 written, 64 bad usage, 65 not devsim telemetry, 74 a file could not be read or written.

    """

  static let tune = """
    OVERVIEW: Relay or step autotune around a profile's setpoint; gains by a stated rule.

    USAGE: devsim tune <profile> [--method relay|step] [--rule <rule>] [--write <file>] [--model]
                       [--step <u>] [--hysteresis <c>] [--band <c>] [--max-time <s>] [--seed <n>]
                       [--rig <device>] [--speed <speed>]

    The profile's PID brings the plant to the first treatment setpoint and holds it; then
    the experiment runs through the same loop and supervisor as a treatment (window checks
    off, every always-on check on), with results per direction (heating, cooling):
      step    a step of +u, back to the hold, a step of -u; each response is fitted with a
              first-order-plus-dead-time model (two-point start, least squares).
      relay   Åström–Hägglund relay, hold ± u, switching at setpoint ± hysteresis; the exact
              FOPDT limit cycle gives K per direction and τ, θ. Gains use the exact ultimate
              gain of that FOPDT; the describing-function estimate is printed beside it, and
              used (ultimate-cycle rules only) when no FOPDT fits the cycle.

    ARGUMENTS:
      <profile>               The profile (JSON) whose plant, sensors and supervisor to use.

    OPTIONS:
      --method <method>       step (default) or relay.
      --rule <rule>           simc (default), ziegler-nichols or no-overshoot.
      --write <file>          Write the profile with the new gains (everything else kept),
                              whole or not at all.
      --model                 With --write: write the model-based controller (step method).
      --step <u>              Step size (default 0.02) or relay amplitude (default 0.1), fraction
                              of full scale.
      --hysteresis <c>        Relay hysteresis, °C (default 0.1).
      --band <c>              Abort when the temperature leaves setpoint ± c (default 3).
      --max-time <s>          Abort after this much loop time, s (default 3600).
      --seed <n>              The simulator's noise seed (default: the profile's).
      --rig <device>          Tune a rig on a tty or tcp://host:port in real time instead.
      --speed <speed>         With --rig: loop time per wall time (default realtime).
      -h, --help              Show help information.

    EXIT CODES:
      0 tuned, 1 aborted (a trip, the band, no response, the time bound; the output was
      put in its safe state), 64 bad usage, 65 bad profile, 74 I/O failure.

    """

  static let compare = """
    OVERVIEW: Hand-tuned, autotuned and model-based control on the same seeded plant.

    USAGE: devsim compare <profile> [--rule <rule>] [--seed <n>]

    Runs a step test on the profile's plant (as devsim tune --method step), then the
    profile's treatment three times with the same seed: the profile's own gains, the
    autotuned gains by the rule, and the model-based controller (the fitted model's
    feedforward and planned approach, the autotuned PID trimming). Prints, per
    controller, time in window after first entry, settling, overshoot, IAE, actuator
    effort (mean |command|) and trips.

    ARGUMENTS:
      <profile>               The profile (JSON) to compare on.

    OPTIONS:
      --rule <rule>           simc (default), ziegler-nichols or no-overshoot.
      --seed <n>              The simulator's noise seed (default: the profile's).
      -h, --help              Show help information.

    EXIT CODES:
      0 compared, 1 tuning aborted, 64 bad usage, 65 bad profile.

    """

  static func usageLine(for command: String?) -> String {
    switch command {
    case "run":
      "USAGE: devsim run <profile> [--seed <n>] [-o <file>] [--format <format>] [--plot <file.svg>] [--speed <speed>] [--rig <device> | --board <file>] [--rt-priority <n>] [--lock-memory] [--quiet]"
    case "validate": "USAGE: devsim validate <profile> ..."
    case "codegen": "USAGE: devsim codegen <profile> [-o <file.swift>]"
    case "bench": "USAGE: devsim bench plant|suite|serial|tick|latency|plot [<options>]"
    case "board": "USAGE: devsim board check <board> [--sysfs-root <dir>]"
    case "plot": "USAGE: devsim plot <telemetry> [-o <file.svg>]"
    case "rig":
      "USAGE: devsim rig [<profile>] [--pty | --link <path> | --listen tcp://<addr>:<port>]"
    case "campaign":
      "USAGE: devsim campaign <profile> [--runs <n>] [--seed <s>] [--jobs <n>] [--schedule <schedule>]"
    case "replay":
      "USAGE: devsim replay <trace> --profile <profile> [-o <file>] [--format <format>] [--quiet]"
    case "suite":
      "USAGE: devsim suite [<path> ...] [--jobs <n>] [--junit <file>] [--json <file>] [--html <file>] [--shard <i/n>] [--quiet]"
    case "tune":
      "USAGE: devsim tune <profile> [--method relay|step] [--rule <rule>] [--write <file>] [--model]"
    case "compare": "USAGE: devsim compare <profile> [--rule <rule>] [--seed <n>]"
    default: "USAGE: devsim <command> [<options>]"
    }
  }

  static func text(for command: String) -> String? {
    switch command {
    case "run": run
    case "validate": validate
    case "codegen": codegen
    case "bench": bench
    case "suite": suite
    case "campaign": campaign
    case "replay": replay
    case "rig": rig
    case "board": board
    case "plot": plot
    case "tune": tune
    case "compare": compare
    case "help": main
    default: nil
    }
  }
}
