import ApplicatorLinux
import ApplicatorSimulation
import DevsimKit
import Foundation
import Synchronization
import ThermalLoop

/// `devsim bench`: speed figures, measured in a release build.
enum BenchCommand: DevsimCommand {
  static func minutes(default fallback: String, in range: ClosedRange<Double>) -> Option<Double> {
    Option(
      "--minutes", value: "m", help: ["Simulated minutes per run (default: \(fallback))."],
      convert: OptionValue.number("--minutes", in: range))
  }
  static func repeats(default fallback: Int) -> Option<Int> {
    Option(
      "--repeat", value: "n", help: ["Runs; the median is reported (default: \(fallback))."],
      convert: OptionValue.whole("--repeat", in: 1...1000))
  }
  static let plantMinutes = minutes(default: "60", in: 0.1...10_000)
  static let plantRepeats = repeats(default: 5)
  static let plantTicks = Option(
    "--ticks", value: "n",
    help: ["Run exactly <n> ticks once and print no timing", "(for the allocation check)."],
    convert: OptionValue.whole("--ticks", in: 1...100_000_000))
  static let scenarios = Option(
    "--scenarios", value: "n", help: ["Scenarios (default: 300)."],
    convert: OptionValue.whole("--scenarios", in: 1...100_000))
  static let jobs = CommonOptions.jobs.help("Scenarios at once (default: the number of cores).")
  static let serialSeconds = Option(
    "--seconds", value: "s", help: ["Length of the serial loop (default: 60)."],
    convert: OptionValue.number("--seconds", in: 1...3600))
  static let tickTicks = Option(
    "--ticks", value: "n", help: ["Ticks timed (default: 1,000,000)."],
    convert: OptionValue.whole("--ticks", in: 1_000...100_000_000))
  static let rate = Option(
    "--rate", value: "hz", help: ["Loop rate (default: 1000)."],
    convert: OptionValue.number("--rate", in: 1...20_000))
  static let latencySeconds = Option(
    "--seconds", value: "s", help: ["Length of the run (default: 30)."],
    convert: OptionValue.number("--seconds", in: 1...86_400))
  static let plotMinutes = minutes(default: "60: 36,000 records", in: 0.1...600)
  static let plotRepeats = repeats(default: 10)

  static let spec = CommandSpec(
    name: "bench",
    abstract:
      "Measure speed and timing: the plant, a tick, loop latency, a suite, a serial link, a plot (use a release build).",
    exitCodes: [(.success, "measured"), (.usage, nil), (.ioError, "a pty or file failed")],
    subcommands: [
      CommandSpec(
        name: "bench plant",
        abstract:
          "A cryolipolysis hold at 10 Hz on the default grid: the plant alone and the whole loop, in simulated seconds per wall second.",
        options: [plantMinutes.spec, plantRepeats.spec, plantTicks.spec],
        exitCodes: [(.success, "measured"), (.usage, nil)]),
      CommandSpec(
        name: "bench suite",
        abstract:
          "Full-length 35-minute cryolipolysis scenarios on every core, as a suite runs them: scenarios per minute.",
        options: [scenarios.spec, jobs.spec], exitCodes: [(.success, "measured"), (.usage, nil)]),
      CommandSpec(
        name: "bench serial",
        abstract:
          "Query round trips per second over a pty to an emulated rig, then a 100 Hz control loop over it: missed ticks.",
        options: [serialSeconds.spec],
        exitCodes: [(.success, "measured"), (.usage, nil), (.ioError, "the pty failed")]),
      CommandSpec(
        name: "bench tick",
        abstract:
          "The cost of one control tick (PID, full supervisor, simulated probes and stage, metrics, telemetry record) without the tissue solver: median and p99 in ns, timed tick by tick.",
        options: [tickTicks.spec], exitCodes: [(.success, "measured"), (.usage, nil)]),
      CommandSpec(
        name: "bench latency",
        abstract:
          "The bench-tick loop against the monotonic clock at <hz>: how late each wake-up came (min, mean, p99, max, histogram).",
        options: [rate.spec, latencySeconds.spec] + CommonOptions.realTime,
        exitCodes: [(.success, "measured"), (.usage, nil), (.ioError, "no control thread")]),
      CommandSpec(
        name: "bench plot",
        abstract:
          "Drawing a run of --minutes at 10 Hz as an SVG, and reading it back from a CSV telemetry file first.",
        options: [plotMinutes.spec, plotRepeats.spec],
        exitCodes: [(.success, "measured"), (.usage, nil), (.ioError, "the scratch file failed")]),
    ], subcommandNoun: "benchmark")

  /// The build configuration the figures come from: only a release build's
  /// are the project's figures.
  static var buildConfiguration: String {
    #if DEBUG
      "debug build (figures are not comparable: use swift build -c release)"
    #else
      "release build"
    #endif
  }

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    console.write("devsim \(Version.string), \(buildConfiguration)\n")
    switch parsed.command {
    case "bench suite": return try suite(parsed, console: console)
    case "bench serial": return try serial(parsed, console: console)
    case "bench tick": return try tick(parsed, console: console)
    case "bench latency": return try latency(parsed, console: console)
    case "bench plot": return try plot(parsed, console: console)
    default: return try plant(parsed, console: console)
    }
  }

  /// The plant alone and the whole loop, in simulated seconds per wall second.
  private static func plant(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let minutes = try plantMinutes.value(parsed) ?? 60
    let repeats = try plantRepeats.value(parsed) ?? 5
    if let ticks = try plantTicks.value(parsed) {
      // A fixed amount of work and a fixed output, for the allocation check.
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
  private static func suite(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let scenarios = try scenarios.value(parsed) ?? 300
    let jobs = try CommonOptions.jobs(parsed)
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

  /// Query round trips per second over a pty, then a 100 Hz loop over it.
  private static func serial(_ parsed: ParsedArguments, console: Console) throws
    -> ExitCode
  {
    let seconds = try serialSeconds.value(parsed) ?? 60
    let bench = try SerialBenchmark(tickHz: 100)
    defer { bench.stop() }
    let trips = try bench.roundTrips(seconds: 3)
    console.write(
      "bench serial: query round trips over a pty (MEAS:TEMP? 1 to an emulated rig on a thread)\n")
    let baseline = PtyEchoBaseline.roundTripsPerSecond(seconds: 3) ?? 0
    console.write(
      "  \(DecimalText.string(trips.perSecond, decimals: 0)) round trips per second (\(trips.count) in 3 s); "
        + "a raw pty echo on this machine now: \(DecimalText.string(baseline, decimals: 0))/s "
        + "(ratio \(DecimalText.string(baseline > 0 ? trips.perSecond / baseline : 0, decimals: 2)))\n"
    )
    let realTime = SerialBenchmark.raisePriority()
    let runner = try bench.loop(seconds: seconds)
    console.write(
      "bench serial: 100 Hz control loop over the pty for \(DecimalText.string(seconds, decimals: 0)) s, "
        + (realTime
          ? "host and rig threads under SCHED_FIFO 50" : "normal scheduling (no SCHED_FIFO)")
        + "\n")
    console.write(
      "  \(runner.ticks) ticks, \(runner.skippedPeriods) missed (\(runner.overruns) overruns), "
        + "worst lateness \(DecimalText.string(Double(runner.maximumLatenessNanoseconds) * 1e-6, decimals: 3)) ms\n"
    )
    return .success
  }

  /// The cost of one tick without the tissue solver, ns.
  private static func tick(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let ticks = try tickTicks.value(parsed) ?? 1_000_000
    let figures = TickBenchmark.measure(ticks: ticks)
    console.write(
      "bench tick: one control tick (PID, supervisor with every cryolipolysis check, 5 simulated probes, "
        + "TEC stage with read-back, metrics, telemetry record into the ring), one-node plate instead "
        + "of the tissue solver, \(ticks) ticks at 10 Hz\n")
    let ns = { (value: Double) in DecimalText.string(value, decimals: 1) + " ns" }
    console.write(
      "  median \(ns(figures.medianNanoseconds))  p99 \(ns(figures.p99Nanoseconds))  per tick, timed one by one "
        + "(clock-pair overhead \(ns(figures.timerOverheadNanoseconds)) subtracted)\n")
    console.write(
      "  mean \(ns(figures.meanNanoseconds)) per tick over an untimed run of the same length\n")
    if let trip = figures.trip {
      console.write(
        "  note: the loop tripped (\(trip.check.name)); later ticks ran the tripped path\n")
    }
    return .success
  }

  /// The loop of `bench tick` run against the wall clock at `--rate` Hz:
  /// how late each wake-up came.
  private static func latency(_ parsed: ParsedArguments, console: Console) throws
    -> ExitCode
  {
    let rate = try rate.value(parsed) ?? 1_000
    let seconds = try latencySeconds.value(parsed) ?? 30
    let request = try CommonOptions.realTimeRequest(parsed)
    let period = UInt64((1e9 / rate).rounded())
    let ticks = Int(seconds * rate)
    let duration = UInt64(ticks - 1) * period
    var loop = TickBenchmark.makeLoop(ticks: ticks, tickNanoseconds: period)
    var runner = LoopRunner(clock: MonotonicClock(), periodNanoseconds: period)
    let (_, policy) = try ControlThread.run(request, console: console) { () throws(KitError) in
      var sink = DiscardingSink()
      // Keep measuring after a trip (the loop stays in its safe state).
      _ = runner.run(
        &loop, durationNanoseconds: duration, observeAfterTripNanoseconds: duration, sink: &sink,
        stop: SignalStop.install())
    }
    console.write(
      "bench latency: the bench-tick loop at \(DecimalText.string(rate, decimals: 0)) Hz "
        + "(period \(TimingReport.duration(Double(period)))) for \(DecimalText.string(seconds, decimals: 0)) s "
        + "on the monotonic clock, control thread \(policy.description)\n")
    console.write("  \(TimingReport.latenessLine(runner.lateness))\n")
    console.write(
      "  \(runner.ticks) ticks, \(runner.overruns) overruns, \(runner.skippedPeriods) skipped periods"
        + (loop.trip.map { "; the loop tripped \($0.check.name) and stayed safe" } ?? "") + "\n")
    console.write("  histogram (p99 is read as its bucket's upper edge: at most 6.25 % high)\n")
    for line in TimingReport.histogramLines(runner.lateness) { console.write("  \(line)\n") }
    return .success
  }

  /// Drawing a recorded run as SVG: from memory, and from its CSV telemetry file.
  private static func plot(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let minutes = try plotMinutes.value(parsed) ?? 60
    let repeats = try plotRepeats.value(parsed) ?? 10
    let fixture = PlotBenchmark(minutes: minutes)
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("devsim-bench-plot-\(getpid()).csv").path
    try AtomicFile.write(fixture.telemetryCSV, to: path)
    defer { unlink(path) }
    var memory: [Double] = []
    var file: [Double] = []
    var bytes = 0
    for _ in 0..<repeats {
      var start = MonotonicClock.rawNanoseconds()
      bytes = fixture.drawFromMemory()
      memory.append(Double(MonotonicClock.rawNanoseconds() - start) * 1e-6)
      start = MonotonicClock.rawNanoseconds()
      _ = try PlotBenchmark.drawFromFile(path)
      file.append(Double(MonotonicClock.rawNanoseconds() - start) * 1e-6)
    }
    console.write(
      "bench plot: \(DecimalText.string(minutes, decimals: 1)) min cryolipolysis run at 10 Hz, "
        + "\(fixture.series.count) records, 5 probes, drawn as a \(Int(RunPlot.width))×\(Int(RunPlot.height)) SVG "
        + "(\(bytes / 1024) KiB), \(repeats) runs\n")
    console.write("  from memory (run --plot)   \(milliseconds(memory))\n")
    console.write(
      "  from CSV (plot)            \(milliseconds(file)), reading "
        + "\(fixture.telemetryCSV.count / 1024) KiB\n")
    return .success
  }

  private static func milliseconds(_ times: [Double]) -> String {
    let sorted = times.sorted()
    return "median \(DecimalText.string(sorted[sorted.count / 2], decimals: 1)) ms "
      + "(min \(DecimalText.string(sorted[0], decimals: 1)), max \(DecimalText.string(sorted[sorted.count - 1], decimals: 1)))"
  }

  private static func describe(_ rates: [Double]) -> String {
    let sorted = rates.sorted()
    let median = sorted[sorted.count / 2]
    return "median \(DecimalText.string(median, decimals: 0))× real time "
      + "(min \(DecimalText.string(sorted[0], decimals: 0)), max \(DecimalText.string(sorted[sorted.count - 1], decimals: 0)))"
  }
}
