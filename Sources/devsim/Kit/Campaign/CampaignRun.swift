import ApplicatorSimulation
import ThermalLoop

/// One run of a campaign: a profile with a fault schedule, watched tick by
/// tick by an invariant checker that reads the power stage's own record
/// and the readings, never the supervisor's state.
///
/// The invariants (docs/safety.md):
/// 1. After any trip, the power stage receives the safe state (command 0,
///    enable open) in the tick of the trip, by its own record.
/// 2. It stays there: no later tick re-enables it or commands it (no reset
///    is scheduled in a campaign).
/// 3. Every injected fault is detected (some trip latches) within its
///    check's bound (persistence plus one sample period) after it becomes
///    detectable, detectable being defined per fault kind from the readings.
package enum CampaignRun {
  /// A broken invariant.
  package struct Violation: Equatable, Sendable {
    package var invariant: Int
    package var message: String
  }

  /// Runs one schedule; returns the violations (empty: the run passed).
  /// `adjust` changes the supervisor's configuration (tests use it to break a check).
  package static func check(
    _ profile: Profile, schedule: [CampaignFault],
    adjust: (inout SafetyConfiguration) -> Void = { _ in },
    firstTrip: (CampaignTrip?) -> Void = { _ in }
  ) -> [Violation] {
    var scenario = profile
    scenario.faults = schedule.compactMap { fault in
      FaultSchedule.scheduled(fault, profile: profile).map {
        ProfileFault(label: "\(fault.kind) on \(fault.target)", fault: $0)
      }
    }
    let expected = scenario.safety
    adjust(&scenario.safety)
    var loop = Simulation.makeLoop(scenario, seed: profile.seed)
    var watch = Watch(profile: profile, safety: expected, schedule: schedule)
    var violations: [Violation] = []
    var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: profile.tickNanoseconds)
    var discard = DiscardingSink()
    runner.begin()
    while let record = runner.step(
      &loop, untilNanoseconds: profile.durationNanoseconds, sink: &discard, stop: NeverStop())
    {
      let now = runner.nowNanoseconds
      let received = loop.applicator.powerStage.received
      if let trip = loop.trip {
        let inTick = trip.detectedNanoseconds == now
        let safe =
          received.command == 0 && !received.enabled
          && (!inTick || (received.commandNanoseconds == now && received.enableNanoseconds == now))
        if !safe && violations.isEmpty {
          violations.append(
            Violation(
              invariant: inTick ? 1 : 2,
              message: inTick
                ? "\(trip.check.name) tripped at \(Summary.clock(now)) but the stage did not receive the safe state in that tick"
                : "after the \(trip.check.name) trip the stage was driven again at \(Summary.clock(now))"
            ))
        }
        if now >= trip.detectedNanoseconds + 5_000_000_000 { break }
      }
      watch.observe(record, now: now, injections: loop.applicator.faultInjectionTimes)
    }
    let end = runner.end == .completed ? profile.durationNanoseconds : runner.nowNanoseconds
    runner.finish(&loop, sink: &discard)
    let first = loop.tripCount > 0 ? loop.tripLog[0] : nil
    firstTrip(first.map { CampaignTrip($0, injected: loop.applicator.firstInjectionNanoseconds) })
    violations += watch.undetected(firstTrip: first?.detectedNanoseconds, end: end)
    return violations
  }

  /// Removes faults, then magnitudes, while the run still fails: the smallest
  /// schedule that still breaks an invariant.
  package static func shrink(
    _ profile: Profile, schedule: [CampaignFault],
    adjust: (inout SafetyConfiguration) -> Void = { _ in }
  ) -> [CampaignFault] {
    var current = schedule
    var changed = true
    while changed {
      changed = false
      for index in current.indices.reversed() where current.count > 1 {
        var smaller = current
        smaller.remove(at: index)
        if !check(profile, schedule: smaller, adjust: adjust).isEmpty {
          current = smaller
          changed = true
        }
      }
      for index in current.indices where current[index].value != nil {
        var simpler = current
        simpler[index].value = nil
        if !check(profile, schedule: simpler, adjust: adjust).isEmpty {
          current = simpler
          changed = true
        }
      }
    }
    return current
  }
}

/// Per-fault detectability, judged from the readings and the stage as the
/// telemetry shows them.
private struct Watch {
  package let profile: Profile
  package let safety: SafetyConfiguration
  package let schedule: [CampaignFault]
  package let tick: UInt64
  /// When each fault became detectable and its bound, ns.
  package var detectable: [(at: UInt64, bound: UInt64, what: String)?]
  private var lastNew: [UInt64]
  private var unchangedValue: [Double]
  private var unchangedSince: [UInt64]
  private var highSince: UInt64?
  private var previousCommand = 0.0
  private var disagreeSince: UInt64?
  private var mismatchSince: UInt64?
  private var previous: TelemetryRecord?
  private var history: [[(UInt64, Double)]]

  package init(profile: Profile, safety: SafetyConfiguration, schedule: [CampaignFault]) {
    self.profile = profile
    self.safety = safety
    self.schedule = schedule
    tick = profile.tickNanoseconds
    detectable = Array(repeating: nil, count: schedule.count)
    lastNew = Array(repeating: 0, count: profile.sensors.count)
    unchangedValue = Array(repeating: .nan, count: profile.sensors.count)
    unchangedSince = Array(repeating: 0, count: profile.sensors.count)
    history = Array(repeating: [], count: profile.sensors.count)
  }

  private func period(_ sensor: Int) -> UInt64 {
    max(profile.sensors[sensor].model.periodNanoseconds, tick)
  }

  package mutating func observe(_ record: TelemetryRecord, now: UInt64, injections: [UInt64?]) {
    let sensors = profile.sensors
    // Shared trackers: last new sample, unchanged readings, command high, history.
    for index in 0..<record.sensorCount where index < sensors.count {
      if record.status[index] == .new {
        lastNew[index] = now
        let value = record.celsius[index]
        if !(abs(value - unchangedValue[index]) <= sensors[index].model.resolutionCelsius) {
          unchangedValue[index] = value
          unchangedSince[index] = now
        }
      }
      if record.celsius[index].isFinite {
        history[index].append((now, record.celsius[index]))
        history[index].removeAll { $0.0 + 1_000_000_000 < now }
      }
    }
    if abs(previousCommand) > safety.stuckCommandFraction {
      if highSince == nil { highSince = now }
    } else {
      highSince = nil
    }
    previousCommand = record.sentCommand
    let control = profile.controlIndex
    let redundant = sensors.indices.filter { sensors[$0].descriptor.role == .redundant }
    for (index, fault) in schedule.enumerated() where detectable[index] == nil {
      guard index < injections.count, let injected = injections[index], injected <= now else {
        continue
      }
      let sensor = sensors.firstIndex { $0.name == fault.target }
      switch (fault.kind, sensor) {
      case ("open", let s?), ("short", let s?):
        if !safety.plausibleRange.contains(record.celsius[s]) {
          detectable[index] = (
            now, safety.plausibilityPersistenceNanoseconds + period(s), "implausible reading"
          )
        }
      case ("dropout", let s?), ("stale", let s?):
        let trip = max(
          safety.staleTripNanoseconds, safety.staleHoldNanoseconds,
          3 * sensors[s].model.periodNanoseconds)
        if now - lastNew[s] >= trip {
          detectable[index] = (lastNew[s], trip + period(s), "no new sample")
        }
      case ("stuck", let s?) where sensors[s].descriptor.role != .monitor:
        let persistence = max(
          safety.stuckPersistenceNanoseconds, 5 * sensors[s].model.periodNanoseconds)
        if let high = highSince, record.status[s] == .new {
          let since = max(unchangedSince[s], high)
          if now - since >= persistence {
            detectable[index] = (
              since, persistence + period(s), "reading unchanged while the command is high"
            )
          }
        }
      case ("drift", let s?), ("detached", let s?):
        guard let other = redundant.first, s == control || redundant.contains(s) else { break }
        let a = record.celsius[control]
        let b = record.celsius[other]
        let both = safety.plausibleRange.contains(a) && safety.plausibleRange.contains(b)
        if both && abs(a - b) > safety.disagreementCelsius {
          let since = disagreeSince ?? now
          disagreeSince = since
          if now - since >= safety.disagreementPersistenceNanoseconds {
            detectable[index] = (
              since, safety.disagreementPersistenceNanoseconds + period(s), "sensors disagree"
            )
          }
        } else {
          disagreeSince = nil
        }
      case ("spikes", let s?) where sensors[s].descriptor.role != .monitor:
        if let slope = Self.slope(history[s]), history[s].count >= 10,
          slope > safety.rateRiseLimitCelsiusPerSecond + 0.2
            || -slope > safety.rateFallLimitCelsiusPerSecond + 0.2
        {
          detectable[index] = (now, period(s), "slope beyond the rate limit")
        }
      case ("output-open", nil), ("driver-shorted", nil):
        // The read-back of the command written in the last tick, as the
        // supervisor compares it in this one: more than the tolerance off
        // for the whole persistence.
        guard profile.stageReadBack, let last = previous, last.readBack.isFinite else { break }
        if abs(last.readBack - last.sentCommand) > safety.readBackTolerance {
          let since = mismatchSince ?? now
          mismatchSince = since
          if now - since >= safety.readBackPersistenceNanoseconds {
            detectable[index] = (
              since, safety.readBackPersistenceNanoseconds + tick, "read-back mismatch"
            )
          }
        } else {
          mismatchSince = nil
        }
      case ("contact-lost", nil):
        if !record.interlocks.contactMade {
          detectable[index] = (now, safety.contactPersistenceNanoseconds + tick, "contact open")
        }
      case ("coolant-lost", nil):
        if !record.interlocks.coolantFlowing {
          detectable[index] = (
            now, safety.coolantPersistenceNanoseconds + tick, "coolant flow open"
          )
        }
      default: break
      }
    }
    previous = record
  }

  /// The least-squares slope of the last second's readings, °C/s.
  private static func slope(_ samples: [(UInt64, Double)]) -> Double? {
    guard samples.count >= 3, let last = samples.last?.0 else { return nil }
    let times = samples.map { Double(Int64($0.0) - Int64(last)) * 1e-9 }
    let meanT = times.reduce(0, +) / Double(times.count)
    let meanV = samples.reduce(0) { $0 + $1.1 } / Double(samples.count)
    var covariance = 0.0
    var variance = 0.0
    for (t, sample) in zip(times, samples) {
      covariance += (t - meanT) * (sample.1 - meanV)
      variance += (t - meanT) * (t - meanT)
    }
    return variance > 0 ? covariance / variance : nil
  }

  /// Faults that became detectable before the first trip and were not
  /// detected within their bound (runs that ended first are not judged).
  package func undetected(firstTrip: UInt64?, end: UInt64) -> [CampaignRun.Violation] {
    var violations: [CampaignRun.Violation] = []
    for (index, entry) in detectable.enumerated() {
      guard let entry else { continue }
      if let firstTrip, firstTrip <= entry.at + entry.bound { continue }
      guard entry.at + entry.bound <= end else { continue }
      let fault = schedule[index]
      violations.append(
        CampaignRun.Violation(
          invariant: 3,
          message:
            "\(fault.kind) on \(fault.target): detectable at \(Summary.clock(entry.at)) (\(entry.what)), "
            + "not detected within \(Summary.seconds(entry.bound))"
            + (firstTrip.map { "; first trip at \(Summary.clock($0))" } ?? "; no trip")))
    }
    return violations
  }
}
