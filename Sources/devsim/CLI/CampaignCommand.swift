import ApplicatorLinux
import DevsimKit
import Foundation

/// `devsim campaign`: random fault schedules drawn from a seed, each run
/// watched by the invariant checker; a failing run shrinks to a minimal
/// schedule and prints the command that replays it.
enum CampaignCommand: DevsimCommand {
  static let runs = Option(
    "--runs", value: "n", help: ["Runs (default: 100)."],
    convert: OptionValue.whole("--runs", in: 1...1_000_000))
  static let seed = CommonOptions.seed.help(
    "Seed of the fault schedules (default: 1); the same seed",
    "draws the same schedules.")
  static let jobs = CommonOptions.jobs.help("Runs at once (default: the number of cores).")
  static let schedule = Option(
    "--schedule", value: "schedule",
    help: [
      "Run one schedule, kind:target@seconds[=value], comma-separated",
      "(what a failing run prints to replay it); kinds as in profiles'",
      "faults[].kind, targets a sensor's name, stage or plant.",
    ], convert: OptionValue.text)
  static let quiet = CommonOptions.quiet.help("Accepted for symmetry with suite; prints the same.")
  static let json = Option(
    "--json", value: "file",
    help: [
      "Write the report: run record, plan (profile SHA-256, seed, runs,",
      "fingerprint), shard and its runs, every run's schedule, first",
      "trip, reaction time and verdict, and the failures shrunk;",
      "devsim campaign-merge merges shards' reports.",
    ], convert: OptionValue.text)
  static let shard = SuiteCommand.shard.help(
    "Run shard i of n (1-based): a range of consecutive runs, run k",
    "drawing the schedule it draws in one process. auto: the shard",
    "the CI's variables give (Bazel, GitLab CI, CircleCI, Buildkite, a",
    "Kubernetes Indexed Job). Bazel's TEST_TOTAL_SHARDS and",
    "TEST_SHARD_INDEX are honoured without it.")
  static let shardIndex = SuiteCommand.shardIndex
  static let shardCount = SuiteCommand.shardCount

  static let spec = CommandSpec(
    name: "campaign",
    abstract: "Run random fault schedules against a profile and check the invariants.",
    arguments: [
      ArgumentSpec(name: "profile", help: ["The profile whose treatment every run performs."])
    ],
    options: [
      runs.spec, seed.spec, jobs.spec, schedule.spec, json.spec, shard.spec, shardIndex.spec,
      shardCount.spec, quiet.spec,
    ],
    notes: """
      INVARIANTS (docs/safety.md):
        1 every trip reaches the power stage's safe state in its own tick;
        2 the stage stays safe (no reset in a campaign);
        3 every fault is detected within its check's bound once the readings make it detectable.
      """,
    exitCodes: [
      (.success, "every run kept the invariants"), (.checkFailed, "a run broke one"),
      (.usage, "bad usage (a malformed --schedule too)"), (.dataError, "bad profile"),
      (.noInput, nil), (.ioError, "the report could not be written"),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let runs = try runs.value(parsed) ?? 100
    let seed = try seed.value(parsed) ?? 1
    let jobs = try CommonOptions.jobs(parsed)
    let path = parsed.positionals[0]
    try OutputPaths.requireDistinct(
      outputs: [("--json", try json.value(parsed))], inputs: [("<profile>", path)])
    let loaded = try ProfileLoader.load(path)
    let profile = loaded.profile
    if let text = try schedule.value(parsed) {
      for (name, given) in [
        ("--json", parsed.text(json.spec.long)), ("--shard", parsed.text(shard.spec.long)),
        ("--shard-index", parsed.text(shardIndex.spec.long)),
        ("--shard-count", parsed.text(shardCount.spec.long)),
      ] where given != nil {
        throw UsageError("\(name) belongs to a campaign of --runs; --schedule replays one schedule")
      }
      let schedule = try FaultSchedule.parse(text, profile: profile)
      guard !schedule.isEmpty else {
        throw UsageError("--schedule: '\(text)' holds no fault; give kind:target@seconds[=value]")
      }
      var trip: CampaignTrip? = nil
      let violations = CampaignRun.check(profile, schedule: schedule, firstTrip: { trip = $0 })
      console.write("campaign replay of \(path): \(FaultSchedule.format(schedule))\n")
      console.write(
        "  first trip: "
          + (trip.map { trip in
            "\(trip.check)"
              + (trip.reactionNanoseconds.map { " \(Summary.seconds($0)) after the first fault" }
                ?? "")
          } ?? "none") + "\n")
      for violation in violations {
        console.write("  - invariant \(violation.invariant): \(violation.message)\n")
      }
      console.write(violations.isEmpty ? "1 passed, 0 failed\n" : "0 passed, 1 failed\n")
      return violations.isEmpty ? .success : .checkFailed
    }
    let environment = ProcessInfo.processInfo.environment
    let (shard, shardSource) = try SuiteCommand.resolveShard(
      parsed, environment: environment, console: console)
    var record = RunRecord.begin(
      arguments: ["devsim", "campaign"] + parsed.arguments, environment: environment)
    let plan = CampaignPlan(
      profilePath: path, profileSHA256: loaded.sha256, seed: seed, runs: runs)
    record.planFingerprint = plan.fingerprint
    record.planSize = runs
    record.shard = shard
    record.shardSource = shardSource
    record.inputs = [RecordedInput(kind: "profile", path: path, sha256: loaded.sha256)]
    if let statusFile = environment["TEST_SHARD_STATUS_FILE"] {
      _ = FileManager.default.createFile(atPath: statusFile, contents: nil)
    }
    // The plan first: a long campaign says what it runs before it runs.
    console.write(plan.headline(shard: shard, source: shardSource))
    let started = MonotonicClock.rawNanoseconds()
    let outcome = CampaignOutcome.run(
      profile, plan: plan, range: plan.runs(of: shard), jobs: jobs)
    let wall = Double(MonotonicClock.rawNanoseconds() - started) * 1e-9
    record.finished = RunRecord.timestamp(Date())
    // Under Bazel: the report among the test's undeclared outputs, unless named.
    let bazelOutputs = environment["TEST_UNDECLARED_OUTPUTS_DIR"]
    if let report = try json.value(parsed) ?? bazelOutputs.map({ "\($0)/campaign.json" }) {
      let text = CampaignReport.json(
        outcome, shard: shard, shardSource: shardSource, wallSeconds: wall, record: record)
      try AtomicFile.write(Array(text.utf8), to: report)
    }
    console.write(outcome.body())
    console.write(
      "campaign took \(DecimalText.string(wall, decimals: 2)) s on \(jobs) "
        + (jobs == 1 ? "job" : "jobs") + "; seed \(seed) replays it\n")
    console.write(outcome.closing)
    return outcome.failures.isEmpty ? .success : .checkFailed
  }
}
