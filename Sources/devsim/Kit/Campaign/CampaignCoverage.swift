import ThermalLoop

/// The first trip of a campaign run, as its coverage counts it.
package struct CampaignTrip: Equatable, Sendable {
  /// The check's name (`stale-data`).
  package var check: String
  /// From the first injected fault to detection, ns (`nil` when the trip
  /// came before any fault was injected).
  package var reactionNanoseconds: UInt64?

  package init(check: String, reactionNanoseconds: UInt64?) {
    self.check = check
    self.reactionNanoseconds = reactionNanoseconds
  }

  init(_ trip: TripRecord, injected: UInt64?) {
    check = "\(trip.check.name)"
    reactionNanoseconds = injected.flatMap {
      trip.detectedNanoseconds >= $0 ? trip.detectedNanoseconds - $0 : nil
    }
  }
}

/// What a campaign exercised: the fault kinds it drew against the checks
/// that tripped first, and the reaction times from the first injected fault.
package struct CampaignCoverage: Sendable {
  /// Runs by fault kind drawn, then by first check tripped ("none": no trip).
  package private(set) var runs: [String: [String: Int]] = [:]
  /// Reaction times of the runs that tripped after an injection, ns.
  package private(set) var reactions: [UInt64] = []
  /// Runs counted.
  package private(set) var count = 0

  package init() {}

  /// Counts one run: each kind in its schedule once, against its first trip.
  package mutating func add(_ schedule: [CampaignFault], trip: CampaignTrip?) {
    add(kinds: Set(schedule.map(\.kind)), trip: trip)
  }

  /// Counts one run by the kinds its schedule drew.
  package mutating func add(kinds: Set<String>, trip: CampaignTrip?) {
    count += 1
    let column = trip?.check ?? CampaignCoverage.noTrip
    for kind in kinds {
      runs[kind, default: [:]][column, default: 0] += 1
    }
    if let reaction = trip?.reactionNanoseconds { reactions.append(reaction) }
  }

  /// The column of runs without a trip.
  package static let noTrip = "no trip"

  /// The `p` quantile (0 … 1) of the reaction times, nearest rank, ns.
  package func reactionPercentile(_ p: Double) -> UInt64? {
    guard !reactions.isEmpty else { return nil }
    let sorted = reactions.sorted()
    let rank = Int((p * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
  }

  /// The coverage as text: a table of kinds × checks (runs), then the
  /// reaction-time percentiles.
  package func render() -> String {
    let kindOrder = FaultKinds.all.map(\.profile)
    let kinds = runs.keys.sorted {
      (kindOrder.firstIndex(of: $0) ?? .max, $0) < (kindOrder.firstIndex(of: $1) ?? .max, $1)
    }
    let checkOrder = SafetyCheck.allCases.map { "\($0.name)" } + [CampaignCoverage.noTrip]
    let checks = Set(runs.values.flatMap(\.keys)).sorted {
      (checkOrder.firstIndex(of: $0) ?? .max, $0) < (checkOrder.firstIndex(of: $1) ?? .max, $1)
    }
    var text =
      "coverage: \(count) runs by fault kind drawn (a run with several kinds counts in each) "
      + "× first check tripped\n"
    let first = max(kinds.map(\.count).max() ?? 0, "fault kind".count)
    let widths = checks.map { max($0.count, 3) }
    func row(_ label: String, _ cells: [String]) -> String {
      var line = "  " + label.padding(toLength: first, withPad: " ", startingAt: 0)
      for (cell, width) in zip(cells, widths) {
        line += "  " + String(repeating: " ", count: max(0, width - cell.count)) + cell
      }
      return line + "\n"
    }
    text += row("fault kind", checks)
    for kind in kinds {
      text += row(kind, checks.map { runs[kind]?[$0].map(String.init) ?? "·" })
    }
    let drawn = Set(runs.keys)
    let never = kindOrder.filter { !drawn.contains($0) && $0 != "freeze-event" }
    if !never.isEmpty { text += "  never drawn: \(never.joined(separator: ", "))\n" }
    let tripped = Set(checks)
    let untripped = SafetyCheck.allCases.map { "\($0.name)" }.filter { !tripped.contains($0) }
    if !untripped.isEmpty {
      text += "  checks never tripped: \(untripped.joined(separator: ", "))\n"
    }
    if let p50 = reactionPercentile(0.5), let p90 = reactionPercentile(0.9),
      let p99 = reactionPercentile(0.99), let worst = reactions.max()
    {
      text +=
        "reaction from the first injected fault (\(reactions.count) runs that tripped): "
        + "p50 \(Summary.seconds(p50))  p90 \(Summary.seconds(p90))  "
        + "p99 \(Summary.seconds(p99))  max \(Summary.seconds(worst))\n"
    } else {
      text += "reaction from the first injected fault: no run tripped\n"
    }
    return text
  }
}
