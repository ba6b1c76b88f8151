import ApplicatorHAL
import ApplicatorSimulation
import TestSupport
import Testing
import ThermalLoop

private let tick = 100 * millisecond

/// Cryo on the simulated applicator: sensors 0 plate (controlled), 1 skin
/// surface, 2 TEC hot side; perfusion at 30 % (a vacuum-cup fold).
func cryoLoop(
  faults: [ScheduledFault] = [], seed: UInt64 = 1, stageReadBack: Bool = true
) -> ControlLoop<SimulatedApplicator> {
  var plant = PlantConfiguration()
  plant.perfusionScale = 0.3
  let models = [
    SensorModel(location: .plate), SensorModel(location: .depth(metres: 0)),
    SensorModel(location: .hotSide),
  ]
  let descriptors = [
    SensorDescriptor(site: .plate, role: .control, periodNanoseconds: tick),
    SensorDescriptor(site: .skin, role: .monitor, periodNanoseconds: tick),
    SensorDescriptor(site: .hotSide, role: .monitor, periodNanoseconds: tick),
  ]
  let plan = cryoPlan()
  return ControlLoop(
    applicator: SimulatedApplicator(
      plant: plant, sensors: models, faults: faults, seed: seed, stageReadBack: stageReadBack),
    controller: PIDController(
      gains: PIDGains(
        proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0.01, derivativeSecondsPerCelsius: 0,
        derivativeFilterSeconds: 2),
      limits: OutputLimits(low: -1, high: 0.5)),
    supervisor: SafetySupervisor(
      configuration: SafetyConfiguration(mode: .cryolipolysis), plan: plan, sensors: descriptors,
      controlIndex: 0),
    plan: plan, controlIndex: 0, doseSensorIndex: 1)
}

/// Ticks at 10 Hz until the first trip (or `limit`); returns the trip's tick index.
private func runUntilTrip(
  _ loop: inout ControlLoop<SimulatedApplicator>, limit: UInt64,
  eachTick: (UInt64, TelemetryRecord, ControlLoop<SimulatedApplicator>) -> Void = { _, _, _ in }
) -> UInt64? {
  var k: UInt64 = 0
  while k * tick <= limit {
    let record = loop.tick(nowNanoseconds: k * tick)
    eachTick(k * tick, record, loop)
    if loop.trip != nil { return k }
    k += 1
  }
  return nil
}

@Suite("ControlLoop")
struct ControlLoopTests {
  @Test(
    "an open plate sensor: output off while the persistence runs, safe state in the trip's tick",
    .tags(.safety))
  func openSensorSafeStateSameTick() throws {
    let injection = 5 * second
    var loop = cryoLoop(faults: [
      ScheduledFault(atNanoseconds: injection, target: .sensor(index: 0, .open))
    ])
    var states: [UInt64: LoopState] = [:]
    var commands: [UInt64: Double] = [:]
    let tripTick = try #require(
      runUntilTrip(&loop, limit: 60 * second) { now, record, loop in
        states[now] = record.state
        commands[now] = loop.applicator.powerStage.received.command
      })
    let trip = try #require(loop.trip)
    #expect(trip.check == .sensorPlausibility)
    #expect(trip.sensorIndex == 0)
    #expect(trip.reading == SensorModel(location: .plate).openReadsCelsius)
    #expect(trip.limit == -40)
    // Detectable from the first conversion after injection; tripped 0.3 s later.
    #expect(trip.conditionSinceNanoseconds == injection)
    #expect(trip.detectedNanoseconds == injection + 300 * millisecond)
    #expect(tripTick * tick == trip.detectedNanoseconds)
    #expect(loop.applicator.firstInjectionNanoseconds == injection)

    // Before the fault the loop was cooling hard; while the persistence ran,
    // the implausible reading held the output at 0 without a trip.
    #expect(states[injection - tick] == .running)
    #expect(commands[injection - tick] == -1)
    for now in [injection, injection + tick, injection + 2 * tick] {
      #expect(states[now] == .holding)
      #expect(commands[now] == 0)
    }

    // The safe state, as the power stage itself recorded it, in the trip's tick.
    let received = loop.applicator.powerStage.received
    #expect(received.command == 0)
    #expect(!received.enabled)
    #expect(received.commandNanoseconds == trip.detectedNanoseconds)
    #expect(received.enableNanoseconds == trip.detectedNanoseconds)
    #expect(loop.applicator.powerStage.deliveredOutput == 0)
    #expect(trip.safeStateNanoseconds == trip.detectedNanoseconds)
    #expect(states[trip.detectedNanoseconds] == .tripped)

    // Latched: later ticks keep it safe.
    for k in (tripTick + 1)...(tripTick + 50) {
      let record = loop.tick(nowNanoseconds: k * tick)
      #expect(record.state == .tripped)
      #expect(record.trippedCheck == .sensorPlausibility)
      #expect(record.sentCommand == 0)
      #expect(!record.enabled)
      #expect(!loop.applicator.powerStage.received.enabled)
    }
  }

  @Test(
    "a shorted TEC driver drives the plate to the hard low; opening the enable lets it warm",
    .tags(.safety, .physics))
  func driverShorted() throws {
    // The loop settles in the window first (≈ 2 min), then the driver fails
    // shorted at full cooling, ignoring every command. The stage has no
    // read-back here: with one, the read-back check catches the short in
    // 0.5 s, long before the plate reaches the hard low.
    let injection = 300 * second
    var loop = cryoLoop(
      faults: [ScheduledFault(atNanoseconds: injection, target: .stage(.driverShorted))],
      stageReadBack: false)
    var coldest = Double.infinity
    let tripTick = try #require(
      runUntilTrip(&loop, limit: 400 * second) { now, _, loop in
        if now > injection && loop.trip == nil {
          // Shorted and enabled: full cooling whatever was commanded.
          #expect(loop.applicator.powerStage.deliveredOutput == -1)
        }
        coldest = min(coldest, loop.applicator.plant.plateCelsius)
      })
    let trip = try #require(loop.trip)
    #expect(trip.check == .hardLow)
    #expect(trip.sensorIndex == 0)
    #expect(trip.reading <= -16)
    #expect(trip.detectedNanoseconds == trip.conditionSinceNanoseconds + 300 * millisecond)
    #expect(trip.detectedNanoseconds > injection)
    // Only the enable cuts a shorted driver: it is open, and nothing is delivered.
    let received = loop.applicator.powerStage.received
    #expect(!received.enabled)
    #expect(received.enableNanoseconds == trip.detectedNanoseconds)
    #expect(loop.applicator.powerStage.deliveredOutput == 0)
    // With the TEC cut, the warmer skin and the heatsink warm the plate at once.
    var previous = loop.applicator.plant.plateCelsius
    for k in (tripTick + 1)...(tripTick + 600) {
      _ = loop.tick(nowNanoseconds: k * tick)
      let plate = loop.applicator.plant.plateCelsius
      #expect(plate > previous, "t = \(Double(k) / 10) s")
      previous = plate
    }
    #expect(previous > -12)
    #expect(coldest < -16)
  }

  @Test("the telemetry ring drains oldest first and counts what it overwrote")
  func ringOrder() {
    var ring = TelemetryRing()
    var sink = CollectingSink()
    for k in 0..<5 {
      var record = TelemetryRecord()
      record.timeNanoseconds = UInt64(k)
      ring.push(record)
    }
    ring.drain(into: &sink)
    #expect(sink.records.map(\.timeNanoseconds) == [0, 1, 2, 3, 4])
    #expect(ring.count == 0)
    // Overfill: 200 records into 128 slots, wrapping around the earlier position.
    for k in 5..<205 {
      var record = TelemetryRecord()
      record.timeNanoseconds = UInt64(k)
      ring.push(record)
    }
    #expect(ring.count == TelemetryRing.capacity)
    #expect(ring.dropped == 200 - TelemetryRing.capacity)
    sink.records.removeAll()
    ring.drain(into: &sink)
    #expect(sink.records.map(\.timeNanoseconds) == (77..<205).map { UInt64($0) })
  }

  @Test("the runner ticks on the period, drains every record in order, and ends safe")
  func runnerTelemetry() {
    var loop = cryoLoop()
    var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: tick)
    var sink = CollectingSink()
    let end = runner.run(
      &loop, durationNanoseconds: 30 * second, observeAfterTripNanoseconds: 0, sink: &sink,
      stop: NeverStop())
    #expect(end == .completed)
    // 0 s … 30 s inclusive, then the runner's closing record in the finished state.
    #expect(runner.ticks == 301)
    #expect(runner.overruns == 0)
    #expect(sink.records.count == 302)
    for (k, record) in sink.records.prefix(301).enumerated() {
      #expect(record.timeNanoseconds == UInt64(k) * tick)
      #expect(record.state == .running)
    }
    let last = sink.records[301]
    #expect(last.state == .finished)
    #expect(last.timeNanoseconds >= 30 * second)
    #expect(!last.enabled)
    #expect(last.sentCommand == 0)
    #expect(!loop.applicator.powerStage.received.enabled)
    #expect(loop.applicator.powerStage.received.command == 0)
  }

  @Test("a tripped run ends after the observation time, with the trip in telemetry", .tags(.safety))
  func runnerTrip() throws {
    var loop = cryoLoop(faults: [
      ScheduledFault(atNanoseconds: 2 * second, target: .sensor(index: 0, .dropout))
    ])
    var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: tick)
    var sink = CollectingSink()
    let end = runner.run(
      &loop, durationNanoseconds: 60 * second, observeAfterTripNanoseconds: 3 * second,
      sink: &sink, stop: NeverStop())
    #expect(end == .tripped)
    let trip = try #require(loop.trip)
    // Dropout from 2.0 s: the last new sample was at 1.9 s, so the stale trip
    // comes at 2.9 s. Without a controlled reading the loop holds the output
    // off from the first failed read (before the supervisor's own 0.3 s hold).
    #expect(trip.check == .staleData)
    #expect(trip.detectedNanoseconds == 2_900 * millisecond)
    #expect(sink.records.last?.timeNanoseconds == trip.detectedNanoseconds + 3 * second)
    #expect(sink.records.last?.state == .finished)
    let held = sink.records.filter { $0.state == .holding }.map(\.timeNanoseconds)
    #expect(held == (20..<29).map { UInt64($0) * tick })
    for record in sink.records where record.state == .holding {
      #expect(record.sentCommand == 0)
    }
    let first = try #require(sink.records.first { $0.state == .tripped })
    #expect(first.timeNanoseconds == trip.detectedNanoseconds)
    #expect(first.trippedCheck == .staleData)
    #expect(first.status[0] == .failed(.timedOut))
  }

  /// A replay's rows need not lie on the period's grid: each is ticked at
  /// its own time, none is dropped, and a gap between rows is no overrun of
  /// this loop (no lateness, no skipped period, no loop-overrun trip).
  @Test("the runner ticks at recorded times off its grid, then ends safe")
  func runnerRecordedTimes() {
    var loop = cryoLoop()
    var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: tick)
    var sink = CollectingSink()
    // Off the 100 ms grid, one gap of 5 s (fifty periods) and one of 30 ms.
    let times: [UInt64] = [
      250 * millisecond, 330 * millisecond, 360 * millisecond, 5_360 * millisecond,
      5_500 * millisecond,
    ]
    let end = runner.run(
      &loop, tickTimes: times, observeAfterTripNanoseconds: 0, sink: &sink, stop: NeverStop())
    #expect(end == .completed)
    #expect(runner.ticks == UInt64(times.count))
    #expect(runner.overruns == 0 && runner.skippedPeriods == 0)
    #expect(loop.trip == nil)
    #expect(sink.records.prefix(times.count).map(\.timeNanoseconds) == times)
    #expect(sink.records.prefix(times.count).allSatisfy { $0.latenessNanoseconds == 0 })
    // The closing record, in the finished state at the last recorded time.
    #expect(sink.records.count == times.count + 1)
    #expect(sink.records.last?.state == .finished)
    #expect(sink.records.last?.timeNanoseconds == times.last)
    #expect(!loop.applicator.powerStage.received.enabled)
    #expect(loop.applicator.powerStage.received.command == 0)
  }

  /// A stop request ends a recorded schedule before another row, in the safe state.
  @Test("a stop request ends a recorded schedule safely", .tags(.safety))
  func runnerRecordedTimesStop() {
    final class StopAfter: StopRequest {
      var calls = 0
      func isStopRequested() -> Bool {
        calls += 1
        // Checked during each sleep and after each tick: true from the third row's sleep.
        return calls > 4
      }
    }
    var loop = cryoLoop()
    var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: tick)
    var sink = CollectingSink()
    let end = runner.run(
      &loop, tickTimes: (0..<100).map { UInt64($0) * tick }, observeAfterTripNanoseconds: 0,
      sink: &sink, stop: StopAfter())
    #expect(end == .stopped)
    #expect(runner.ticks == 2)
    #expect(sink.records.last?.state == .finished)
    #expect(!loop.applicator.powerStage.received.enabled)
  }

  @Test("the same seed gives identical telemetry; another seed, different noise")
  func determinism() {
    func run(seed: UInt64) -> [TelemetryRecord] {
      var loop = cryoLoop(seed: seed)
      var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: tick)
      var sink = CollectingSink()
      _ = runner.run(
        &loop, durationNanoseconds: 60 * second, observeAfterTripNanoseconds: 0, sink: &sink,
        stop: NeverStop())
      return sink.records
    }
    func fingerprint(_ records: [TelemetryRecord]) -> [UInt64] {
      records.flatMap { record in
        [
          record.timeNanoseconds, record.controllerCommand.bitPattern,
          record.sentCommand.bitPattern,
          record.readBack.bitPattern, UInt64(record.state.rawValue),
        ] + (0..<record.sensorCount).map { record.celsius[$0].bitPattern }
      }
    }
    let a = run(seed: 7)
    let b = run(seed: 7)
    let c = run(seed: 8)
    #expect(a.count == 602)  // 0 … 60 s and the closing record
    #expect(fingerprint(a) == fingerprint(b))
    // Same plant, different noise: readings differ, by no more than noise can.
    var differing = 0
    for (x, y) in zip(a, c) {
      for index in 0..<x.sensorCount where x.celsius[index] != y.celsius[index] {
        differing += 1
      }
    }
    #expect(differing > 100)
    // At t = 0 the plant and the probes' lag states are identical; only the
    // noise differs. Irwin–Hall noise is bounded by 6σ = 0.12 °C per reading
    // and quantisation moves each by at most half of 0.01 °C, so two seeds'
    // first readings differ by at most 2·(0.12 + 0.005) = 0.25 °C.
    var anyDifferent = false
    for index in 0..<a[0].sensorCount {
      let difference = abs(a[0].celsius[index] - c[0].celsius[index])
      #expect(difference <= 0.25 + 1e-12)
      if difference > 0 { anyDifferent = true }
    }
    #expect(anyDifferent)
  }

  @Test(
    "output is re-enabled only by an explicit reset, and only once the cause is gone",
    .tags(.safety))
  func resetAfterCauseGone() throws {
    // The plate sensor's reads fail from 2 s to 4 s, then it recovers.
    let plan = cryoPlan()
    let applicator = ScriptedApplicator(range: .bipolar, sensorCount: 3) { now in
      let plate: SensorReading =
        now >= 2 * second && now < 4 * second ? .fault(.timedOut) : fresh(-12, at: now)
      return [plate, fresh(30, at: now), fresh(20, at: now)]
    }
    var loop = ControlLoop(
      applicator: applicator,
      controller: PIDController(
        gains: PIDGains(proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0.01),
        limits: OutputLimits(low: -1, high: 0.5)),
      supervisor: SafetySupervisor(
        configuration: SafetyConfiguration(mode: .cryolipolysis), plan: plan, sensors: cryoSensors,
        controlIndex: 0),
      plan: plan, controlIndex: 0, doseSensorIndex: 2)
    var k: UInt64 = 0
    func step() -> TelemetryRecord {
      defer { k += 1 }
      return loop.tick(nowNanoseconds: k * tick)
    }
    while k * tick < 3 * second { _ = step() }
    let trip = try #require(loop.trip)
    #expect(trip.check == .staleData)
    #expect(trip.detectedNanoseconds == 2_900 * millisecond)
    // Still failing at 3.5 s: the reset is refused.
    while k * tick <= 3_500 * millisecond { _ = step() }
    let refused = loop.reset(nowNanoseconds: (k - 1) * tick)
    #expect(!refused)
    // Data back from 4 s: the loop stays safe on its own.
    while k * tick <= 5 * second {
      let record = step()
      #expect(record.state == .tripped)
      #expect(!loop.applicator.powerStage.received.enabled)
    }
    let allowed = loop.reset(nowNanoseconds: (k - 1) * tick)
    #expect(allowed)
    let record = step()
    #expect(record.state == .running)
    #expect(loop.trip == nil)
    #expect(loop.applicator.powerStage.received.enabled)
  }

  @Test(
    "operator resets in a run: refused while a timed dropout lasts, accepted once it has cleared",
    .tags(.safety))
  func runnerResets() throws {
    // The plate sensor's reads fail from 2 s to 5 s; the stale trip comes at
    // 2.9 s (last new sample 1.9 s). Resets at 4 s (cause present: refused)
    // and 6 s (samples fresh again since 5 s: accepted). Without the pending
    // resets the run would end 1 s after the trip.
    var loop = cryoLoop(faults: [
      ScheduledFault(
        trigger: .at(nanoseconds: 2 * second), target: .sensor(index: 0, .dropout),
        durationNanoseconds: 3 * second)
    ])
    var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: tick)
    var sink = CollectingSink()
    let end = runner.run(
      &loop, durationNanoseconds: 30 * second, observeAfterTripNanoseconds: second,
      resetsAt: [4 * second, 6 * second], sink: &sink, stop: NeverStop())
    #expect(end == .completed)
    #expect(runner.ticks == 301)
    #expect(runner.resetCount == 2)
    #expect(runner.resetAttempts[0].nanoseconds == 4 * second)
    #expect(!runner.resetAttempts[0].accepted)
    #expect(runner.resetAttempts[1].nanoseconds == 6 * second)
    #expect(runner.resetAttempts[1].accepted)
    // One trip in the whole run, and none latched at its end.
    #expect(loop.tripCount == 1)
    #expect(loop.tripLog[0].check == .staleData)
    #expect(loop.tripLog[0].subject == .sensor(0))
    #expect(loop.tripLog[0].detectedNanoseconds == 2_900 * millisecond)
    #expect(loop.trip == nil)
    // Safe from the trip until the accepted reset, running after it.
    let tripped = sink.records.filter { $0.state == .tripped }.map(\.timeNanoseconds)
    #expect(tripped == (29..<60).map { UInt64($0) * tick })
    let after = sink.records.filter { $0.timeNanoseconds >= 6 * second && $0.state != .finished }
    #expect(after.count == 241)
    #expect(after.allSatisfy { $0.state == .running && $0.trippedCheck == nil })
    #expect(after.contains { $0.enabled })
  }

  @Test(
    "an operator reset while the cause persists is refused and the run ends tripped",
    .tags(.safety))
  func runnerResetRefused() throws {
    // The dropout never clears: the reset at 6 s is refused; with no reset
    // left, the run ends at once (6 s ≥ 2.9 s + 1 s of observation).
    var loop = cryoLoop(faults: [
      ScheduledFault(atNanoseconds: 2 * second, target: .sensor(index: 0, .dropout))
    ])
    var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: tick)
    var sink = CollectingSink()
    let end = runner.run(
      &loop, durationNanoseconds: 30 * second, observeAfterTripNanoseconds: second,
      resetsAt: [6 * second], sink: &sink, stop: NeverStop())
    #expect(end == .tripped)
    #expect(runner.ticks == 61)
    #expect(runner.resetCount == 1)
    #expect(runner.resetAttempts[0].nanoseconds == 6 * second)
    #expect(!runner.resetAttempts[0].accepted)
    #expect(loop.tripCount == 1)
    let trip = try #require(loop.trip)
    #expect(trip.check == .staleData)
    #expect(trip.detectedNanoseconds == 2_900 * millisecond)
    #expect(!loop.applicator.powerStage.received.enabled)
    #expect(sink.records.last?.state == .finished)
  }

  /// An interlock read that fails keeps its fault kind: the trip names the
  /// read fault, not a lost contact, and the output goes off in that tick.
  @Test(
    "an interlock read error trips naming its fault kind; a key switch names the key switch",
    .tags(.safety), arguments: [FaultKind.io, .timedOut])
  func interlockReadError(fault: FaultKind) throws {
    let plan = cryoPlan()
    func loop(_ applicator: ScriptedApplicator) -> ControlLoop<ScriptedApplicator> {
      ControlLoop(
        applicator: applicator,
        controller: PIDController(
          gains: PIDGains(proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0.01),
          limits: OutputLimits(low: -1, high: 0.5)),
        supervisor: SafetySupervisor(
          configuration: SafetyConfiguration(mode: .cryolipolysis), plan: plan,
          sensors: cryoSensors, controlIndex: 0),
        plan: plan, controlIndex: 0, doseSensorIndex: 1)
    }
    let readings = { (now: UInt64) in [fresh(-12, at: now), fresh(30, at: now), fresh(20, at: now)]
    }
    var failing = ScriptedApplicator(range: .bipolar, sensorCount: 3, readings: readings)
    failing.interlockFault = { now in now >= second ? fault : nil }
    var unread = loop(failing)
    var k: UInt64 = 0
    while unread.trip == nil && k <= 50 {
      _ = unread.tick(nowNanoseconds: k * 100 * millisecond)
      k += 1
    }
    let trip = try #require(unread.trip)
    #expect(trip.check == .interlock)
    #expect(trip.subject == .interlocksUnreadable(fault))
    #expect(trip.conditionSinceNanoseconds == second)
    #expect(trip.detectedNanoseconds == 3 * second, "the shorter persistence, 2 s")
    #expect(!unread.applicator.powerStage.received.enabled)

    var keyed = ScriptedApplicator(range: .bipolar, sensorCount: 3, readings: readings)
    keyed.interlocks = { now in now >= second ? .keySwitchOff : .allMade }
    var key = loop(keyed)
    k = 0
    while key.trip == nil && k <= 50 {
      _ = key.tick(nowNanoseconds: k * 100 * millisecond)
      k += 1
    }
    let keyTrip = try #require(key.trip)
    #expect(keyTrip.subject == .interlock(.keySwitch))
    #expect(keyTrip.detectedNanoseconds == second, "at once")
  }
}
