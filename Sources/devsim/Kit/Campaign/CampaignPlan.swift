/// The runs a campaign draws: a profile (by the SHA-256 of its bytes), a
/// seed and a number of runs, cut into shards of consecutive runs.
///
/// Run `i` draws its schedule from the seed and `i` alone
/// (``FaultSchedule/draw(seed:run:profile:)``), so a shard that runs `i`
/// draws what one process running every run draws for it.
package struct CampaignPlan: Equatable {
  /// The profile as the command line named it (the replay commands print it).
  package var profilePath: String
  /// The SHA-256 of the profile's bytes.
  package var profileSHA256: String
  package var seed: UInt64
  /// The number of runs in the whole plan, every shard's.
  package var runs: Int

  package init(profilePath: String, profileSHA256: String, seed: UInt64, runs: Int) {
    self.profilePath = profilePath
    self.profileSHA256 = profileSHA256
    self.seed = seed
    self.runs = runs
  }

  /// The plan's fingerprint: the SHA-256 of its profile's hash, its seed and
  /// its number of runs, one per line. Every shard of one plan computes the
  /// same; another profile's bytes, seed or count changes it (the path does
  /// not: shards may run from different checkouts).
  package var fingerprint: String {
    SHA256.hex(
      Array("devsim campaign\nprofile \(profileSHA256)\nseed \(seed)\nruns \(runs)\n".utf8))
  }

  /// The runs of `shard` (`nil`: every run): shard `i` of `n` runs
  /// `i·runs/n ..< (i+1)·runs/n`, so the shards together run each run
  /// once, in ranges that differ in length by one at most.
  package func runs(of shard: SuitePlan.Shard?) -> Range<Int> {
    guard let shard, shard.count > 0 else { return 0..<runs }
    func start(_ index: Int) -> Int {
      Int((Int64(index) * Int64(runs)) / Int64(shard.count))
    }
    return start(shard.index)..<start(shard.index + 1)
  }

  /// The first line a campaign prints: the plan, and for a shard which part of it.
  package func headline(shard: SuitePlan.Shard?, source: String?) -> String {
    var text = "campaign: "
    if let shard {
      let range = runs(of: shard)
      text +=
        (range.isEmpty
          ? "no run" : "runs \(range.lowerBound) … \(range.upperBound - 1) (\(range.count))")
        + " of \(runs) runs of \(profilePath), seed \(seed), "
        + "shard \(shard.index + 1)/\(shard.count) (\(source ?? "--shard"))\n"
    } else {
      text += "\(runs) runs of \(profilePath), seed \(seed)\n"
    }
    return text
  }
}
