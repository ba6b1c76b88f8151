/// The shards given to a merge, by index: the check that suite and
/// campaign merges share, that each shard of one count is there exactly once.
package enum ShardSet {
  /// Refuses `shards` (each report's path and shard) unless every index of
  /// their count appears once: a doubled shard names both files, missing
  /// ones are listed with `describeMissing` (1-based index and what it
  /// holds) and the plan `planName` names.
  package static func requireEachOnce(
    _ shards: [(path: String, shard: SuitePlan.Shard)], planName: String,
    describeMissing: (Int) -> String
  ) throws(DataError) {
    guard let count = shards.first?.shard.count else { return }
    var byIndex: [Int: String] = [:]
    for (path, shard) in shards {
      if let other = byIndex[shard.index] {
        throw DataError(
          "shard \(shard.index + 1)/\(shard.count) is given twice: \(other) and \(path)")
      }
      byIndex[shard.index] = path
    }
    let missing = (0..<count).filter { byIndex[$0] == nil }
    guard missing.isEmpty else {
      throw DataError(
        "shard\(missing.count == 1 ? "" : "s") "
          + missing.map(describeMissing).joined(separator: ", ")
          + " of \(count) missing (\(planName)): given "
          + shards.map { "\($0.path) (\($0.shard.index + 1))" }.joined(separator: ", "))
    }
  }
}
