import ThermalLoop

/// Compares a run with its profile's expectations.
enum ExpectationCheck {
  /// The reaction time of a trip: from the first injected fault (or the run
  /// start, when nothing was injected) to detection, ns.
  static func reactionNanoseconds(_ trip: TripRecord, injection: UInt64?) -> UInt64 {
    trip.detectedNanoseconds - min(injection ?? 0, trip.detectedNanoseconds)
  }

  /// Every expectation the run failed, as sentences; empty when it passed.
  static func failures(_ profile: Profile, _ outcome: RunOutcome) -> [String] {
    var failures: [String] = []
    switch (profile.expect.trip, outcome.trip) {
    case (nil, let trip?):
      failures.append(
        "unexpected trip: \(trip.check.name) at \(Summary.clock(trip.detectedNanoseconds))")
    case (let expected?, nil):
      failures.append("expected a \(expected.check.name) trip, but nothing tripped")
    case (let expected?, let trip?):
      if trip.check != expected.check {
        failures.append("expected a \(expected.check.name) trip, but \(trip.check.name) tripped")
      } else {
        let reaction = reactionNanoseconds(trip, injection: outcome.firstInjectionNanoseconds)
        if reaction > expected.withinNanoseconds {
          failures.append(
            "\(trip.check.name) reacted in \(Summary.seconds(reaction)), "
              + "more than the expected \(Summary.seconds(expected.withinNanoseconds))")
        }
      }
      if trip.safeStateNanoseconds != trip.detectedNanoseconds {
        failures.append("the safe state was not written in the tick of the trip")
      }
    case (nil, nil): break
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
