import ApplicatorLinux
import DevsimKit
import Foundation
import Synchronization

/// `devsim suite`: every scenario under the given paths, in parallel, with
/// reports that CI systems read.
enum SuiteCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments, options: ["--jobs", "--junit", "--json", "--shard", "--html"],
      flags: ["--quiet", "--help"],
      aliases: ["-j": "--jobs", "-h": "--help"])
    if parsed.flag("--help") {
      console.write(Help.suite)
      return .success
    }
    let jobs = try parseJobs(parsed.option("--jobs"))
    let environment = ProcessInfo.processInfo.environment
    var shard = try parsed.option("--shard").map { text throws(CommandError) in
      try SuitePlan.parseShard(text)
    }
    if shard == nil { shard = try SuitePlan.bazelShard(environment) }
    let all = try SuitePlan.collect(parsed.positionals.isEmpty ? ["Profiles"] : parsed.positionals)
    guard !all.isEmpty else { throw CommandError(code: .dataError, message: "no profiles found") }
    let cases = SuitePlan.select(all, shard: shard)
    if let statusFile = environment["TEST_SHARD_STATUS_FILE"] {
      _ = FileManager.default.createFile(atPath: statusFile, contents: nil)
    }
    let started = MonotonicClock.rawNanoseconds()
    let html = parsed.option("--html")
    let results = run(cases, jobs: jobs, console: console, plots: html != nil)
    let wall = Double(MonotonicClock.rawNanoseconds() - started) * 1e-9
    if let path = parsed.option("--junit") {
      try AtomicFile.write(Array(SuiteReport.junit(results, wallSeconds: wall).utf8), to: path)
    }
    if let path = parsed.option("--json") {
      try AtomicFile.write(Array(SuiteReport.json(results, wallSeconds: wall).utf8), to: path)
    }
    if let html {
      try AtomicFile.write(
        Array(SuiteHTMLReport.html(results, wallSeconds: wall).utf8), to: html)
    }
    let failed = results.filter { !$0.passed }
    for result in failed {
      console.write("FAIL \(result.path)\n")
      if let error = result.error { console.write("  - \(error)\n") }
      for failure in result.failures { console.write("  - \(failure)\n") }
    }
    let passed = results.count - failed.count
    if !parsed.flag("--quiet") || !failed.isEmpty {
      let shardText = shard.map { " (shard \($0.index + 1)/\($0.count) of \(all.count))" } ?? ""
      console.write(
        "suite: \(results.count) scenarios\(shardText) on \(jobs) jobs in "
          + "\(DecimalText.string(wall, decimals: 2)) s\n")
    }
    console.write("\(passed) passed, \(failed.count) failed\n")
    if results.contains(where: { $0.error != nil }) { return .dataError }
    return failed.isEmpty ? .success : .checkFailed
  }

  /// Runs the cases on `jobs` threads; results come back in case order,
  /// with their plots when `plots` is set.
  static func run(_ cases: [String], jobs: Int, console: Console, plots: Bool = false)
    -> [SuiteCaseResult]
  {
    let next = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    let slots = Mutex<[SuiteCaseResult?]>(Array(repeating: nil, count: cases.count))
    let progress = console.errorIsTerminal
    let total = cases.count
    let progressLock = Mutex<Void>(())
    DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, cases.count))) { _ in
      while true {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard index < total else { return }
        let result = SuiteCase.run(cases[index], plot: plots)
        slots.withLock { $0[index] = result }
        let finished = done.wrappingAdd(1, ordering: .relaxed).newValue
        if progress {
          progressLock.withLock { _ in
            console.writeError(
              "\r[\(finished)/\(total)] \(result.passed ? "pass" : "FAIL") \(result.path)\u{1B}[K"
                + (finished == total ? "\n" : ""))
          }
        }
      }
    }
    return slots.withLock { $0.compactMap { $0 } }
  }

  private static func parseJobs(_ text: String?) throws(CommandError) -> Int {
    guard let text else { return max(1, ProcessInfo.processInfo.activeProcessorCount) }
    guard let jobs = Int(text), (1...256).contains(jobs) else {
      throw CommandError(
        code: .usage, message: "--jobs takes a number 1 … 256, found '\(text)'", showUsage: true)
    }
    return jobs
  }
}
