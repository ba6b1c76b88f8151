import ApplicatorHAL
import ApplicatorSimulation
import TestSupport
import Testing

@testable import ThermalLoop

private let period = 100 * millisecond

/// A clock that wakes exactly on the deadline, except for the wake-ups the
/// script names, which it delivers that much late. No wall-clock time is involved.
private struct ScriptedClock: LoopClock {
  /// Lateness by wake-up number (0 is the first sleep), ns.
  var lateByWake: [Int: UInt64]
  private var now: UInt64 = 0
  private var wakes = 0

  init(lateByWake: [Int: UInt64]) { self.lateByWake = lateByWake }

  mutating func nowNanoseconds() -> UInt64 { now }

  mutating func sleep(untilNanoseconds deadline: UInt64) -> UInt64 {
    let late = lateByWake[wakes] ?? 0
    wakes += 1
    now = max(now, deadline + late)
    return now
  }
}

private func run(
  _ script: [Int: UInt64], seconds: UInt64, loop: inout ControlLoop<SimulatedApplicator>
) -> (LoopRunner<ScriptedClock>, [TelemetryRecord], RunEnd) {
  var runner = LoopRunner(clock: ScriptedClock(lateByWake: script), periodNanoseconds: period)
  var sink = CollectingSink()
  let end = runner.run(
    &loop, durationNanoseconds: seconds * second, observeAfterTripNanoseconds: 0, sink: &sink,
    stop: NeverStop())
  return (runner, sink.records, end)
}

@Suite("Loop timing: lateness histogram, skip-and-count, overrun watchdog")
struct LoopTimingTests {
  @Test(
    "every value falls in its bucket, and a bucket above 1,024 ns is at most 1/16 of its value wide",
    arguments: [
      0, 1, 63, 64, 1_023, 1_024, 1_087, 1_088, 2_047, 2_048, 50_000, 999_999, 1 << 30,
      (1 << 31) - 1,
    ] as [UInt64])
  func bucketEdges(value: UInt64) {
    let bucket = LatenessHistogram.bucket(of: value)
    let low = LatenessHistogram.lowerEdgeNanoseconds(ofBucket: bucket)
    let high = LatenessHistogram.upperEdgeNanoseconds(ofBucket: bucket)
    #expect(low <= value && value < high)
    #expect(bucket < LatenessHistogram.bucketCount - 1)
    if value >= 1_024 {
      #expect(Double(high - low) <= Double(low) / 16)
    } else {
      #expect(high - low == 64)
    }
  }

  @Test("edges tile the range without gaps, and values beyond 2^31 ns overflow")
  func tiling() {
    for bucket in 0..<(LatenessHistogram.bucketCount - 1) {
      #expect(
        LatenessHistogram.upperEdgeNanoseconds(ofBucket: bucket)
          == LatenessHistogram.lowerEdgeNanoseconds(ofBucket: bucket + 1))
    }
    #expect(LatenessHistogram.bucket(of: 1 << 31) == LatenessHistogram.bucketCount - 1)
    #expect(LatenessHistogram.bucket(of: .max) == LatenessHistogram.bucketCount - 1)
  }

  @Test("min, mean and max are exact; a percentile reads at most 1/16 high and never low")
  func percentiles() {
    var histogram = LatenessHistogram()
    #expect(histogram.percentileNanoseconds(0.99) == 0)
    // 990 wake-ups 10 µs late and 10 that were 5 ms late.
    for _ in 0..<990 { histogram.record(10_000) }
    for _ in 0..<10 { histogram.record(5_000_000) }
    #expect(histogram.count == 1_000)
    #expect(histogram.minimumNanoseconds == 10_000)
    #expect(histogram.maximumNanoseconds == 5_000_000)
    #expect(histogram.meanNanoseconds == (990 * 10_000 + 10 * 5_000_000) / 1_000)
    // Rank 990 of 1,000 is the last 10 µs value; rank 991 the first 5 ms one.
    let p99 = histogram.percentileNanoseconds(0.99)
    #expect(p99 >= 10_000 && Double(p99) <= 10_000 * (1 + 1.0 / 16))
    let p991 = histogram.percentileNanoseconds(0.991)
    #expect(p991 == 5_000_000)  // the bucket's edge is capped at the largest value seen
    #expect(histogram.percentileNanoseconds(0.5) >= 10_000)
    #expect(histogram.percentileNanoseconds(1) == 5_000_000)
  }

  @Test("the watchdog counts overruns within a sliding window")
  func watchdogWindow() {
    var watchdog = OverrunWatchdog(limit: 3, windowNanoseconds: 10 * second)
    #expect(watchdog.noteOverrun(nowNanoseconds: 1 * second) == 1)
    #expect(watchdog.noteOverrun(nowNanoseconds: 5 * second) == 2)
    #expect(watchdog.noteOverrun(nowNanoseconds: 9 * second) == 3)
    // 11 s: the overrun at 1 s has left the window (11 − 1 ≥ 10).
    #expect(watchdog.noteOverrun(nowNanoseconds: 11 * second) == 3)
    #expect(watchdog.oldestWithinWindow(endingAt: 11 * second) == 5 * second)
    #expect(watchdog.countWithinWindow(endingAt: 30 * second) == 0)
    watchdog.clear()
    #expect(watchdog.countWithinWindow(endingAt: 11 * second) == 0)
    #expect(OverrunWatchdog(limit: 99, windowNanoseconds: 1).limit == OverrunWatchdog.capacity - 1)
  }

  @Test("a wake-up 2.5 periods late skips two periods and counts one overrun", .tags(.safety))
  func skipAndCount() throws {
    var loop = cryoLoop()
    // Wake-up 10 (deadline 1.0 s) comes 250 ms late, at 1.25 s.
    let (runner, records, end) = run([10: 250 * millisecond], seconds: 3, loop: &loop)
    #expect(end == .completed)
    #expect(runner.overruns == 1)
    #expect(runner.skippedPeriods == 2)
    // Ticks at 0 … 0.9 s, 1.25 s, then back on the grid at 1.3 s … 3.0 s.
    let times = records.dropLast().map(\.timeNanoseconds)
    let expected =
      (0..<10).map { UInt64($0) * period } + [1_250 * millisecond]
      + (13...30).map { UInt64($0) * period }
    #expect(times == expected)
    #expect(runner.ticks == UInt64(expected.count))
    let late = try #require(records.first { $0.timeNanoseconds == 1_250 * millisecond })
    #expect(late.latenessNanoseconds == 250 * millisecond)
    #expect(late.skippedPeriods == 2)
    #expect(records.map(\.skippedPeriods).reduce(0, +) == 2)
    #expect(records.filter { $0.latenessNanoseconds != 0 }.count == 1)
    #expect(runner.lateness.maximumNanoseconds == 250 * millisecond)
    #expect(runner.lateness.count == UInt64(expected.count) + 1)  // the last wake-up ends the run
    #expect(loop.trip == nil)
  }

  @Test(
    "a sixth overrun within 10 s trips loop-overrun and the output goes safe in the same tick",
    .tags(.safety))
  func watchdogTrips() throws {
    var loop = cryoLoop()
    // Overruns (one period late) at wake-ups 20, 30, … 70: about 1 s apart.
    var script: [Int: UInt64] = [:]
    for wake in stride(from: 20, through: 70, by: 10) { script[wake] = period }
    let (runner, records, end) = run(script, seconds: 20, loop: &loop)
    #expect(end == .tripped)
    #expect(runner.overruns == 6)
    let trip = try #require(loop.trip)
    #expect(trip.check == .loopOverrun)
    #expect(trip.reading == 6)
    #expect(trip.limit == 5)
    // Wake-up n has deadline n·period until the first skip; each overrun
    // skips one period, so the sixth overrun (wake-up 70) lands at 7.6 s.
    let first = try #require(records.first { $0.latenessNanoseconds != 0 })
    #expect(first.timeNanoseconds == 2_100 * millisecond)
    #expect(trip.conditionSinceNanoseconds == first.timeNanoseconds)
    let overrunTimes = records.filter { $0.latenessNanoseconds != 0 }.map(\.timeNanoseconds)
    #expect(overrunTimes.count == 6)
    #expect(trip.detectedNanoseconds == overrunTimes.last)
    #expect(trip.safeStateNanoseconds == trip.detectedNanoseconds)
    let tripped = try #require(records.first { $0.state == .tripped })
    #expect(tripped.timeNanoseconds == trip.detectedNanoseconds)
    #expect(tripped.trippedCheck == .loopOverrun)
    #expect(tripped.sentCommand == 0 && !tripped.enabled)
    #expect(!loop.applicator.powerStage.received.enabled)
    #expect(
      loop.supervisor.reactionBoundNanoseconds(for: trip, tickNanoseconds: period) == period)
  }

  @Test(
    "five overruns within 10 s, or six spread wider than the window, do not trip", .tags(.safety))
  func watchdogTolerates() {
    var loop = cryoLoop()
    var five: [Int: UInt64] = [:]
    for wake in stride(from: 20, through: 60, by: 10) { five[wake] = period }
    let (fiveRunner, _, fiveEnd) = run(five, seconds: 20, loop: &loop)
    #expect(fiveRunner.overruns == 5)
    #expect(fiveEnd == .completed && loop.trip == nil)

    var spread = cryoLoop()
    var wide: [Int: UInt64] = [:]
    // Overruns 25 wake-ups (about 2.6 s) apart: never more than four within 10 s.
    for wake in stride(from: 20, through: 145, by: 25) { wide[wake] = period }
    let (wideRunner, _, wideEnd) = run(wide, seconds: 20, loop: &spread)
    #expect(wideRunner.overruns == 6)
    #expect(wideEnd == .completed && spread.trip == nil)
  }
}

@Suite("Loop timing: a single long stall, and a safe-off that fails")
struct StallAndSafeOffTests {
  @Test("one wake-up a whole second late trips loop-overrun at once", .tags(.safety))
  func stallTrips() throws {
    var loop = cryoLoop()
    // Wake-up 30 (deadline 3.0 s) comes 1.2 s late: one overrun, far under the count.
    let (runner, records, end) = run([30: 1_200 * millisecond], seconds: 10, loop: &loop)
    #expect(end == .tripped)
    #expect(runner.overruns == 1)
    let trip = try #require(loop.trip)
    #expect(trip.check == .loopOverrun)
    #expect(trip.detectedNanoseconds == 4_200 * millisecond)
    #expect(abs(trip.reading - 1.2) < 1e-12)  // 1.2e9 ns × 1e-9
    #expect(trip.limit == 1)
    let tripped = try #require(records.first { $0.state == .tripped })
    #expect(tripped.timeNanoseconds == 4_200 * millisecond)
    #expect(tripped.sentCommand == 0 && !tripped.enabled)
  }

  @Test("a stall just under the limit does not trip on its own")
  func shortStallDoesNot() {
    var loop = cryoLoop()
    let (runner, _, end) = run([30: 999 * millisecond], seconds: 10, loop: &loop)
    #expect(runner.overruns == 1)
    #expect(end == .completed && loop.trip == nil)
  }

  @Test(
    "a safe-off that reports a fault is recorded in the trip, and retried every tick",
    .tags(.safety))
  func failedSafeOffIsRecorded() throws {
    var loop = ControlLoop(
      applicator: StuckStageApplicator(),
      controller: PIDController(
        gains: PIDGains(proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0),
        limits: OutputLimits(low: -1, high: 0.5)),
      supervisor: SafetySupervisor(
        configuration: .defaults(.cryolipolysis, without: [.rateOfChange, .freezeDetected]),
        plan: cryoPlan(),
        sensors: [
          SensorDescriptor(site: .plate, role: .control, periodNanoseconds: 100 * millisecond)
        ],
        controlIndex: 0),
      plan: cryoPlan(), controlIndex: 0, doseSensorIndex: 0)
    // 25 °C, then −17 °C: at or below the hard low limit (−16 °C) for 0.3 s.
    var k: UInt64 = 0
    while loop.trip == nil && k < 100 {
      loop.applicator.celsius = k < 10 ? 25 : -17
      _ = loop.tick(nowNanoseconds: k * 100 * millisecond)
      k += 1
    }
    let trip = try #require(loop.trip)
    #expect(trip.check == .hardLow)
    #expect(trip.safeStateFault == .io)
    let attempts = loop.applicator.powerStage.safeOffCalls
    _ = loop.tick(nowNanoseconds: k * 100 * millisecond)
    #expect(loop.applicator.powerStage.safeOffCalls == attempts + 1, "re-asserted in the next tick")
  }
}

/// A stage whose safe-off always reports an I/O error (a relay that does not answer).
private struct StuckStage: PowerStage {
  let commandRange = CommandRange.bipolar
  var safeOffCalls = 0
  mutating func write(command: Double, nowNanoseconds: UInt64) throws(FaultKind) {}
  mutating func setEnabled(_ enabled: Bool, nowNanoseconds: UInt64) throws(FaultKind) {}
  mutating func safeOff(nowNanoseconds: UInt64) -> FaultKind? {
    safeOffCalls += 1
    return .io
  }
  mutating func readBack(nowNanoseconds: UInt64) throws(FaultKind) -> Double? { nil }
}

/// One plate sensor reading whatever the test sets.
private struct StuckStageApplicator: Applicator {
  var powerStage = StuckStage()
  let sensorCount = 1
  var celsius = 25.0
  mutating func advance(toNanoseconds nowNanoseconds: UInt64) {}
  mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
    snapshot.count = 1
    snapshot.readings[0] = fresh(celsius, at: nowNanoseconds)
  }
  mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
    .allMade
  }
}
