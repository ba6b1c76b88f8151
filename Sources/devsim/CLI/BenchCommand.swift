import ApplicatorHAL
import Foundation
import Synchronization

/// `devsim bench`: speed figures, measured in a release build.
enum BenchCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments, options: ["--minutes", "--repeat", "--ticks", "--scenarios", "--jobs"],
      flags: ["--help"], aliases: ["-h": "--help", "-j": "--jobs"])
    if parsed.flag("--help") {
      console.write(Help.bench)
      return .success
    }
    if parsed.positionals == ["suite"] { return try suite(parsed, console: console) }
    guard parsed.positionals == ["plant"] else {
      throw CommandError(
        code: .usage,
        message: parsed.positionals.isEmpty
          ? "missing <benchmark>"
          : "unknown benchmark '\(parsed.positionals.joined(separator: " "))'",
        showUsage: true)
    }
    let minutes = try number(
      parsed.option("--minutes"), name: "--minutes", default: 60, in: 0.1...10_000)
    let repeats = Int(
      try number(parsed.option("--repeat"), name: "--repeat", default: 5, in: 1...1000))
    if let text = parsed.option("--ticks") {
      // A fixed amount of work and a fixed output, for the allocation check.
      let ticks = Int(try number(text, name: "--ticks", default: 0, in: 1...100_000_000))
      let plate = PlantBenchmark.stepPlant(ticks: ticks)
      let loopTicks = PlantBenchmark.runLoop(ticks: ticks)
      console.write(
        "plant \(ticks) steps, loop \(loopTicks) ticks, plate \(plate < 0 ? "cold" : "warm")\n")
      return .success
    }
    let ticks = Int(minutes * 600)
    var plantRates: [Double] = []
    var loopRates: [Double] = []
    let simulated = Double(ticks) * 0.1
    for _ in 0..<repeats {
      var start = MonotonicClock.rawNanoseconds()
      _ = PlantBenchmark.stepPlant(ticks: ticks)
      plantRates.append(simulated / (Double(MonotonicClock.rawNanoseconds() - start) * 1e-9))
      start = MonotonicClock.rawNanoseconds()
      _ = PlantBenchmark.runLoop(ticks: ticks)
      loopRates.append(simulated / (Double(MonotonicClock.rawNanoseconds() - start) * 1e-9))
    }
    let nodes = TissueColumn(configuration: PlantConfiguration()).nodeCount
    console.write(
      "bench plant: \(DecimalText.string(minutes, decimals: 1)) min cryolipolysis at 10 Hz, "
        + "default grid (\(nodes) nodes), 0.1 s steps, \(repeats) runs\n")
    console.write("  plant alone  \(describe(plantRates))\n")
    console.write("  whole loop   \(describe(loopRates))\n")
    return .success
  }

  /// Full-length 35-minute cryolipolysis scenarios on the tissue model, the
  /// way a suite runs them (virtual clock, supervisor, discarding sink), on
  /// every core at once.
  private static func suite(_ parsed: Arguments, console: Console) throws(CommandError) -> ExitCode
  {
    let scenarios = Int(
      try number(parsed.option("--scenarios"), name: "--scenarios", default: 300, in: 1...100_000))
    let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
    let jobs = Int(
      try number(parsed.option("--jobs"), name: "--jobs", default: Double(cores), in: 1...256))
    let next = Atomic<Int>(0)
    let start = MonotonicClock.rawNanoseconds()
    DispatchQueue.concurrentPerform(iterations: jobs) { _ in
      while next.wrappingAdd(1, ordering: .relaxed).oldValue < scenarios {
        _ = PlantBenchmark.runLoop(ticks: 35 * 600 + 1)
      }
    }
    let seconds = Double(MonotonicClock.rawNanoseconds() - start) * 1e-9
    console.write(
      "bench suite: \(scenarios) scenarios of a 35-minute cryolipolysis treatment at 10 Hz "
        + "on the tissue model, \(jobs) jobs, no telemetry files\n")
    console.write(
      "  \(DecimalText.string(Double(scenarios) / seconds * 60, decimals: 0)) scenarios per minute "
        + "(\(DecimalText.string(seconds, decimals: 2)) s)\n")
    return .success
  }

  private static func describe(_ rates: [Double]) -> String {
    let sorted = rates.sorted()
    let median = sorted[sorted.count / 2]
    return "median \(DecimalText.string(median, decimals: 0))× real time "
      + "(min \(DecimalText.string(sorted[0], decimals: 0)), max \(DecimalText.string(sorted[sorted.count - 1], decimals: 0)))"
  }

  private static func number(
    _ text: String?, name: String, default fallback: Double, in range: ClosedRange<Double>
  ) throws(CommandError) -> Double {
    guard let text else { return fallback }
    guard let value = Double(text), range.contains(value) else {
      throw CommandError(
        code: .usage,
        message:
          "\(name) takes a number in \(format(range.lowerBound)) … \(format(range.upperBound)), found '\(text)'",
        showUsage: true)
    }
    return value
  }
}
