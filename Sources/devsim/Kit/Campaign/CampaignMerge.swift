/// The shard reports of one campaign merged into the whole campaign, after
/// proving that together they are its plan exactly once: one fingerprint
/// and one shard count, every index present once (each report holds its
/// shard's runs, checked when it was read), so every run once.
package struct CampaignMerge {
  package var shardCount: Int
  /// Every run of the plan, as one process running them all records them.
  package var outcome: CampaignOutcome
  /// The longest shard's wall time: the shards' elapsed time when they ran side by side.
  package var wallSeconds: Double

  /// Merges `reports`; refuses, naming the files, any set that is not the
  /// whole of one plan.
  package init(_ reports: [CampaignReport]) throws(DataError) {
    guard let first = reports.first else { throw DataError("no campaign reports to merge") }
    let plan = first.outcome.plan
    for report in reports
    where report.outcome.plan.fingerprint != plan.fingerprint
      || report.shard.count != first.shard.count
    {
      throw DataError(
        "\(report.path) is shard \(report.shard.index + 1)/\(report.shard.count) of campaign plan "
          + "\(report.outcome.plan.fingerprint) (\(Self.describe(report.outcome.plan))), but "
          + "\(first.path) is shard \(first.shard.index + 1)/\(first.shard.count) of plan "
          + "\(plan.fingerprint) (\(Self.describe(plan))): another plan's shards cannot be merged")
    }
    try ShardSet.requireEachOnce(
      reports.map { ($0.path, $0.shard) }, planName: "campaign plan \(plan.fingerprint)",
      describeMissing: {
        "\($0 + 1) (runs \(Self.describe(plan.runs(of: .init(index: $0, count: first.shard.count)))))"
      })
    let ordered = reports.sorted { $0.shard.index < $1.shard.index }
    let results = ordered.flatMap(\.outcome.results)
    // Each report held its shard's range; the ranges of one count tile the plan.
    guard results.map(\.run) == Array(0..<plan.runs) else {
      throw DataError("the shards do not hold runs 0 … \(plan.runs - 1) once each")
    }
    let failures = ordered.flatMap(\.outcome.failures)
    for failure in failures.prefix(CampaignOutcome.shrunkFailures) where failure.shrunk == nil {
      throw DataError(
        "run \(failure.run) failed and is among the campaign's first "
          + "\(CampaignOutcome.shrunkFailures) failures, but its shard did not shrink it")
    }
    shardCount = first.shard.count
    outcome = CampaignOutcome(
      plan: plan, range: 0..<plan.runs, results: results, failures: failures)
    wallSeconds = reports.map(\.wallSeconds).max() ?? 0
  }

  private static func describe(_ plan: CampaignPlan) -> String {
    "\(plan.runs) runs, seed \(plan.seed), profile sha256 \(plan.profileSHA256.prefix(12))…"
  }

  private static func describe(_ range: Range<Int>) -> String {
    range.isEmpty ? "none" : "\(range.lowerBound) … \(range.upperBound - 1)"
  }
}
