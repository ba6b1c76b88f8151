import ApplicatorLinux
import DevsimKit
import Foundation
import Synchronization

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

  static let spec = CommandSpec(
    name: "campaign",
    abstract: "Run random fault schedules against a profile and check the invariants.",
    arguments: [
      ArgumentSpec(name: "profile", help: ["The profile whose treatment every run performs."])
    ],
    options: [runs.spec, seed.spec, jobs.spec, schedule.spec, quiet.spec],
    notes: """
      INVARIANTS (docs/safety.md):
        1 every trip reaches the power stage's safe state in its own tick;
        2 the stage stays safe (no reset in a campaign);
        3 every fault is detected within its check's bound once the readings make it detectable.
      """,
    exitCodes: [
      (.success, "every run kept the invariants"), (.checkFailed, "a run broke one"),
      (.usage, "bad usage (a malformed --schedule too)"), (.dataError, "bad profile"),
      (.noInput, nil),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let runs = try runs.value(parsed) ?? 100
    let seed = try seed.value(parsed) ?? 1
    let jobs = try CommonOptions.jobs(parsed)
    let path = parsed.positionals[0]
    let profile = try ProfileLoader.load(path).profile
    if let text = try schedule.value(parsed) {
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
    console.write("campaign: \(runs) runs of \(path), seed \(seed), \(jobs) jobs\n")
    let failures = Mutex<[(run: Int, schedule: [CampaignFault])]>([])
    let coverage = Mutex(CampaignCoverage())
    let next = Atomic<Int>(0)
    let started = MonotonicClock.rawNanoseconds()
    DispatchQueue.concurrentPerform(iterations: min(jobs, runs)) { _ in
      var part = CampaignCoverage()
      defer { coverage.withLock { $0.merge(part) } }
      while true {
        let run = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard run < runs else { return }
        let schedule = FaultSchedule.draw(seed: seed, run: run, profile: profile)
        var trip: CampaignTrip? = nil
        if !CampaignRun.check(profile, schedule: schedule, firstTrip: { trip = $0 }).isEmpty {
          failures.withLock { $0.append((run, schedule)) }
        }
        part.add(schedule, trip: trip)
      }
    }
    let wall = Double(MonotonicClock.rawNanoseconds() - started) * 1e-9
    let failed = failures.withLock { $0 }.sorted { $0.run < $1.run }
    for failure in failed.prefix(5) {
      let minimal = CampaignRun.shrink(profile, schedule: failure.schedule)
      let violations = CampaignRun.check(profile, schedule: minimal)
      console.write("FAIL run \(failure.run): \(FaultSchedule.format(failure.schedule))\n")
      console.write("  shrunk to: \(FaultSchedule.format(minimal))\n")
      for violation in violations {
        console.write("  - invariant \(violation.invariant): \(violation.message)\n")
      }
      console.write(
        "  replay: devsim campaign \(path) --schedule '\(FaultSchedule.format(minimal))'\n")
    }
    console.write(coverage.withLock { $0.render() })
    console.write(
      "campaign took \(DecimalText.string(wall, decimals: 2)) s; seed \(seed) replays it\n")
    console.write("\(runs - failed.count) passed, \(failed.count) failed\n")
    return failed.isEmpty ? .success : .checkFailed
  }
}
