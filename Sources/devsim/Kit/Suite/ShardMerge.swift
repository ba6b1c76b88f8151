/// The shard reports of one plan merged into the whole plan's results,
/// after proving that together they are that plan exactly once: one
/// fingerprint and one shard count, every index present once, no scenario
/// in two shards, and as many scenarios as the plan holds.
package struct ShardMerge {
  package var planFingerprint: String
  package var planSize: Int
  package var shardCount: Int
  /// The scenario filter the shards' plan was cut with, if any.
  package var filter: String?
  /// The catalogue every shard traced against, or `nil` when none did.
  package var catalogue: (path: String, sha256: String)?
  /// Every scenario, in the plan's order (sorted by path), as one unsharded run lists them.
  package var results: [SuiteCaseResult]
  /// The longest shard's wall time: the shards' elapsed time when they ran side by side.
  package var wallSeconds: Double

  /// Merges `reports`; refuses, naming the files, any set that is not the
  /// whole of one plan.
  package init(_ reports: [ShardReport]) throws(DataError) {
    guard let first = reports.first else { throw DataError("no shard reports to merge") }
    for report in reports
    where report.planFingerprint != first.planFingerprint || report.shard.count != first.shard.count
      || report.planSize != first.planSize
    {
      throw DataError(
        "\(report.path) is shard \(report.shard.index + 1)/\(report.shard.count) of plan "
          + "\(report.planFingerprint) (\(report.planSize) scenarios), but \(first.path) is shard "
          + "\(first.shard.index + 1)/\(first.shard.count) of plan \(first.planFingerprint) "
          + "(\(first.planSize) scenarios): another plan's shards cannot be merged")
    }
    try ShardSet.requireEachOnce(
      reports.map { ($0.path, $0.shard) }, planName: "plan \(first.planFingerprint)",
      describeMissing: { String($0 + 1) })
    for report in reports where report.catalogue?.sha256 != first.catalogue?.sha256 {
      throw DataError(
        "\(report.path) traced against catalogue \(report.catalogue?.sha256 ?? "none"), "
          + "\(first.path) against \(first.catalogue?.sha256 ?? "none")")
    }
    var shardOf: [String: String] = [:]
    for report in reports {
      for result in report.results {
        if let other = shardOf[result.path] {
          throw DataError(
            "scenario \(result.path) appears in two shards: \(other) and \(report.path)")
        }
        shardOf[result.path] = report.path
      }
    }
    guard shardOf.count == first.planSize else {
      throw DataError(
        "the shards hold \(shardOf.count) scenarios, but their plan \(first.planFingerprint) "
          + "holds \(first.planSize)")
    }
    planFingerprint = first.planFingerprint
    planSize = first.planSize
    shardCount = first.shard.count
    filter = first.filter
    catalogue = first.catalogue
    results = reports.flatMap(\.results).sorted { $0.path < $1.path }
    wallSeconds = reports.map(\.wallSeconds).max() ?? 0
  }
}
