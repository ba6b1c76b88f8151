import ApplicatorLinux
import DevsimKit
import Foundation
import Synchronization

/// `devsim campaign`: random fault schedules drawn from a seed, each run
/// watched by the invariant checker; a failing run shrinks to a minimal
/// schedule and prints the command that replays it.
enum CampaignCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments, options: ["--runs", "--seed", "--jobs", "--schedule"],
      flags: ["--quiet", "--help"], aliases: ["-j": "--jobs", "-h": "--help"])
    if parsed.flag("--help") {
      console.write(Help.campaign)
      return .success
    }
    guard parsed.positionals.count == 1 else {
      throw CommandError(
        code: .usage,
        message: parsed.positionals.isEmpty
          ? "missing <profile>" : "campaign takes one profile, found \(parsed.positionals.count)",
        showUsage: true)
    }
    let runs = try integer(parsed.option("--runs"), name: "--runs", default: 100, in: 1...1_000_000)
    let seed = UInt64(
      try integer(parsed.option("--seed"), name: "--seed", default: 1, in: 0...Int.max))
    let jobs = try integer(
      parsed.option("--jobs"), name: "--jobs",
      default: max(1, ProcessInfo.processInfo.activeProcessorCount), in: 1...256)
    let path = parsed.positionals[0]
    let profile = try ProfileLoader.load(path).profile
    if let text = parsed.option("--schedule") {
      let schedule = try FaultSchedule.parse(text, profile: profile)
      let violations = CampaignRun.check(profile, schedule: schedule)
      console.write("campaign replay of \(path): \(FaultSchedule.format(schedule))\n")
      for violation in violations {
        console.write("  - invariant \(violation.invariant): \(violation.message)\n")
      }
      console.write(violations.isEmpty ? "1 passed, 0 failed\n" : "0 passed, 1 failed\n")
      return violations.isEmpty ? .success : .checkFailed
    }
    console.write("campaign: \(runs) runs of \(path), seed \(seed), \(jobs) jobs\n")
    let failures = Mutex<[(run: Int, schedule: [CampaignFault])]>([])
    let next = Atomic<Int>(0)
    let started = MonotonicClock.rawNanoseconds()
    DispatchQueue.concurrentPerform(iterations: min(jobs, runs)) { _ in
      while true {
        let run = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard run < runs else { return }
        let schedule = FaultSchedule.draw(seed: seed, run: run, profile: profile)
        if !CampaignRun.check(profile, schedule: schedule).isEmpty {
          failures.withLock { $0.append((run, schedule)) }
        }
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
    console.write(
      "campaign took \(DecimalText.string(wall, decimals: 2)) s; seed \(seed) replays it\n")
    console.write("\(runs - failed.count) passed, \(failed.count) failed\n")
    return failed.isEmpty ? .success : .checkFailed
  }

  private static func integer(
    _ text: String?, name: String, default fallback: Int, in range: ClosedRange<Int>
  ) throws(CommandError) -> Int {
    guard let text else { return fallback }
    guard let value = Int(text), range.contains(value) else {
      throw CommandError(
        code: .usage,
        message:
          "\(name) takes a whole number \(range.lowerBound) … \(range.upperBound), found '\(text)'",
        showUsage: true)
    }
    return value
  }
}
