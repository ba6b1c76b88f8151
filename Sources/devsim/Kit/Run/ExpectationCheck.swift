import ThermalLoop

/// Compares a run with its profile's expectations.
package enum ExpectationCheck {
  /// The reaction time of a trip: from `origin` (the first injected fault,
  /// or the run's start when nothing was injected) to detection, ns.
  package static func reactionNanoseconds(_ trip: TripRecord, origin: UInt64) -> UInt64 {
    trip.detectedNanoseconds - min(origin, trip.detectedNanoseconds)
  }

  /// Every expectation the run failed, as sentences; empty when it passed.
  package static func failures(_ profile: Profile, _ outcome: RunOutcome) -> [String] {
    var failures: [String] = []
    let expected = profile.expect.trips
    for (index, trip) in outcome.trips.enumerated() {
      if trip.safeStateNanoseconds != trip.detectedNanoseconds {
        failures.append("the safe state was not written in the tick of the \(trip.check.name) trip")
      }
      if let fault = trip.safeStateFault {
        failures.append(
          "the power stage's safe-off failed (\(fault.name)) in the tick of the \(trip.check.name) trip"
        )
      }
      guard index < expected.count else {
        failures.append(
          "unexpected trip: \(trip.check.name) at \(Summary.clock(trip.detectedNanoseconds))")
        continue
      }
      let want = expected[index]
      if trip.check != want.check {
        failures.append(
          "expected \(IndefiniteArticle.before("\(want.check.name)")) trip, "
            + "but \(trip.check.name) tripped")
        continue
      }
      let reaction = reactionNanoseconds(trip, origin: outcome.reactionOriginNanoseconds)
      if reaction > want.withinNanoseconds {
        failures.append(
          "\(trip.check.name) reacted in \(Summary.seconds(reaction)), "
            + "more than the expected \(Summary.seconds(want.withinNanoseconds))")
      }
    }
    for want in expected.dropFirst(outcome.trips.count) {
      failures.append(
        "expected \(IndefiniteArticle.before("\(want.check.name)")) trip, but it did not happen")
    }
    if let accepted = profile.expect.resetsAccepted {
      let got = outcome.resets.map(\.accepted)
      if got != accepted {
        failures.append(
          "resets were \(got.map { $0 ? "accepted" : "refused" }), expected "
            + "\(accepted.map { $0 ? "accepted" : "refused" })")
      }
    }
    // A closed-loop treatment phase that ran to its planned end without ever
    // entering its window failed, whatever the profile expects (a run that
    // ended early, by a trip or a stop, is judged by its expectations alone).
    if outcome.end == .completed && profile.isClosedLoop
      && profile.expect.timeInWindowAtLeast == nil
    {
      for (index, phase) in profile.phases.enumerated()
      where phase.phase.kind == .treatment && index < outcome.metrics.phases.count {
        let metrics = outcome.metrics.phases[index]
        if metrics.elapsedNanoseconds >= phase.phase.durationNanoseconds
          && metrics.firstEntryNanoseconds == nil
        {
          failures.append("phase \(phase.name): ran to its planned end without entering its window")
        }
      }
    }
    if let minimum = profile.expect.timeInWindowAtLeast {
      for (index, phase) in profile.phases.enumerated() where phase.phase.kind == .treatment {
        let fraction = outcome.metrics.phases[index].timeInWindowFraction
        if (fraction ?? 0) < minimum {
          let shown = fraction.map { Summary.percent($0) } ?? "never in the window"
          failures.append(
            "phase \(phase.name): time in window \(shown), expected at least \(Summary.percent(minimum))"
          )
        }
      }
    }
    return failures
  }
}
