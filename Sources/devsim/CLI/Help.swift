/// Help texts, in swift-argument-parser's layout.
enum Help {
  static let main = """
    OVERVIEW: Simulate, drive and supervise skin-contact thermal applicators.

    USAGE: devsim <command> [<options>]

    OPTIONS:
      -h, --help              Show help information.
      --version               Show the version.

    SUBCOMMANDS:
      run                     Run a profile's treatment against the simulated applicator.
      validate                Check profiles without running them.
      bench                   Measure the simulator's speed (use a release build).
      help                    Show help for a subcommand.

      See 'devsim help <subcommand>' for detailed help.

    """

  static let run = """
    OVERVIEW: Run a profile's treatment against the simulated applicator.

    USAGE: devsim run <profile> [--seed <n>] [-o <file>] [--format <format>] [--speed <speed>] [--quiet]

    ARGUMENTS:
      <profile>               The profile (JSON) to run.

    OPTIONS:
      --seed <n>              The noise seed (default: the profile's "seed").
      -o, --out <file>        Write telemetry to <file>, whole or not at all.
      --format <format>       csv or jsonl (default: from the file name, else csv).
      --speed <speed>         max (virtual time, default), realtime, or a factor N (N× real time).
      --quiet                 Print only failures.
      -h, --help              Show help information.

    EXIT CODES:
      0 passed, 1 an expectation failed or an unexpected trip, 64 bad usage,
      65 bad profile, 74 I/O failure.

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

  static let bench = """
    OVERVIEW: Measure the simulator's speed (use a release build).

    USAGE: devsim bench plant [--minutes <m>] [--repeat <n>] [--ticks <n>]

    ARGUMENTS:
      plant                   A cryolipolysis hold at 10 Hz on the default grid: the plant
                              alone and the whole loop, in simulated seconds per wall second.

    OPTIONS:
      --minutes <m>           Simulated minutes per run (default: 60).
      --repeat <n>            Runs; the median is reported (default: 5).
      --ticks <n>             Run exactly <n> ticks once and print no timing (for the
                              allocation check).
      -h, --help              Show help information.

    """

  static func usageLine(for command: String?) -> String {
    switch command {
    case "run":
      "USAGE: devsim run <profile> [--seed <n>] [-o <file>] [--format <format>] [--speed <speed>] [--quiet]"
    case "validate": "USAGE: devsim validate <profile> ..."
    case "bench": "USAGE: devsim bench plant [--minutes <m>] [--repeat <n>] [--ticks <n>]"
    default: "USAGE: devsim <command> [<options>]"
    }
  }

  static func text(for command: String) -> String? {
    switch command {
    case "run": run
    case "validate": validate
    case "bench": bench
    case "help": main
    default: nil
    }
  }
}
