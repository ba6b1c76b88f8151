import Foundation
import Synchronization
import ThermalLoop

/// One run of a campaign as its report records it.
package struct CampaignRunResult: Equatable, Sendable {
  /// The run's index in the plan, from 0.
  package var run: Int
  /// The schedule drawn, as one line (``FaultSchedule/format(_:)``).
  package var schedule: String
  /// The first trip (`nil`: none).
  package var trip: CampaignTrip?
  /// Whether the run kept every invariant.
  package var passed: Bool

  package init(run: Int, schedule: String, trip: CampaignTrip?, passed: Bool) {
    self.run = run
    self.schedule = schedule
    self.trip = trip
    self.passed = passed
  }

  /// The fault kinds of the schedule: the name before each fault's `:`.
  package var kinds: Set<String> {
    Set(schedule.split(separator: ",").map { String($0.prefix { $0 != ":" }) })
  }
}

/// A run that broke an invariant: its schedule and, for the first
/// ``CampaignOutcome/shrunkFailures`` failures, the minimal schedule it
/// shrank to and the invariants that one breaks.
package struct CampaignFailure: Equatable, Sendable {
  package var run: Int
  package var schedule: String
  /// The minimal schedule (`nil`: not shrunk, a later failure).
  package var shrunk: String?
  /// The invariants the minimal schedule breaks.
  package var violations: [CampaignRun.Violation]

  package init(run: Int, schedule: String, shrunk: String?, violations: [CampaignRun.Violation]) {
    self.run = run
    self.schedule = schedule
    self.shrunk = shrunk
    self.violations = violations
  }
}

/// What a campaign, or one shard of it, found: every run's first trip and
/// verdict in run order, and the failures. The coverage table and the
/// percentiles are computed from the runs, so shards merged give the
/// figures one process gives.
package struct CampaignOutcome {
  /// The failures printed (shrunk and with their replay command).
  package static let shrunkFailures = 5

  package var plan: CampaignPlan
  /// The runs it holds: a shard's range, or every run of the plan.
  package var range: Range<Int>
  /// One result per run of `range`, in run order.
  package var results: [CampaignRunResult]
  /// The failed runs, in run order.
  package var failures: [CampaignFailure]

  package init(
    plan: CampaignPlan, range: Range<Int>, results: [CampaignRunResult],
    failures: [CampaignFailure]
  ) {
    self.plan = plan
    self.range = range
    self.results = results
    self.failures = failures
  }

  /// Runs `range` of `plan` on `jobs` threads; the first
  /// ``shrunkFailures`` failures are shrunk (a merge's first failures are
  /// among its shards' first, so each shard shrinks what the whole would).
  /// `adjust` changes the supervisor's configuration (tests break a check with it).
  package static func run(
    _ profile: Profile, plan: CampaignPlan, range: Range<Int>, jobs: Int,
    adjust: @escaping @Sendable (inout SafetyConfiguration) -> Void = { _ in }
  ) -> CampaignOutcome {
    let slots = Mutex<[CampaignRunResult?]>(Array(repeating: nil, count: range.count))
    let drawn = Mutex<[Int: [CampaignFault]]>([:])
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, range.count))) { _ in
      while true {
        let offset = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard offset < range.count else { return }
        let run = range.lowerBound + offset
        let schedule = FaultSchedule.draw(seed: plan.seed, run: run, profile: profile)
        var trip: CampaignTrip? = nil
        let passed = CampaignRun.check(
          profile, schedule: schedule, adjust: adjust, firstTrip: { trip = $0 }
        ).isEmpty
        if !passed { drawn.withLock { $0[run] = schedule } }
        let result = CampaignRunResult(
          run: run, schedule: FaultSchedule.format(schedule), trip: trip, passed: passed)
        slots.withLock { $0[offset] = result }
      }
    }
    let results = slots.withLock { $0.compactMap { $0 } }
    let failed = drawn.withLock { $0 }.sorted { $0.key < $1.key }
    let failures = failed.enumerated().map { position, entry in
      guard position < shrunkFailures else {
        return CampaignFailure(
          run: entry.key, schedule: FaultSchedule.format(entry.value), shrunk: nil, violations: [])
      }
      let minimal = CampaignRun.shrink(profile, schedule: entry.value, adjust: adjust)
      return CampaignFailure(
        run: entry.key, schedule: FaultSchedule.format(entry.value),
        shrunk: FaultSchedule.format(minimal),
        violations: CampaignRun.check(profile, schedule: minimal, adjust: adjust))
    }
    return CampaignOutcome(plan: plan, range: range, results: results, failures: failures)
  }

  /// The runs that failed.
  package var failedCount: Int { failures.count }

  /// The coverage of the runs held.
  package var coverage: CampaignCoverage {
    var coverage = CampaignCoverage()
    for result in results { coverage.add(kinds: result.kinds, trip: result.trip) }
    return coverage
  }

  /// The failures (the first ``shrunkFailures``, each shrunk, with the
  /// command that replays it), then the coverage table and percentiles.
  package func body() -> String {
    var text = ""
    for failure in failures.prefix(Self.shrunkFailures) {
      let minimal = failure.shrunk ?? failure.schedule
      text += "FAIL run \(failure.run): \(failure.schedule)\n"
      text += "  shrunk to: \(minimal)\n"
      for violation in failure.violations {
        text += "  - invariant \(violation.invariant): \(violation.message)\n"
      }
      text += "  replay: devsim campaign \(plan.profilePath) --schedule '\(minimal)'\n"
    }
    return text + coverage.render()
  }

  /// The closing count.
  package var closing: String {
    "\(results.count - failedCount) passed, \(failedCount) failed\n"
  }
}
