/// A campaign's JSON report (`devsim campaign --json`, `devsim
/// campaign-merge --json`): the run record, the plan, the shard and its
/// runs, and every run's schedule, first trip, reaction time and verdict,
/// with the failures' shrunk schedules; what a merge needs to compute every
/// figure the campaign prints. Read back for a merge.
package struct CampaignReport {
  /// The largest report read, bytes (a million runs fit).
  package static let maximumBytes = 256 << 20

  /// The file, as given.
  package var path: String
  /// The SHA-256 of its bytes.
  package var sha256: String
  /// The shard it ran, 0-based; a report of the whole plan reads as shard 1 of 1.
  package var shard: SuitePlan.Shard
  package var wallSeconds: Double
  package var outcome: CampaignOutcome

  /// The report as JSON. `shard` is `nil` for the whole plan; the seed is a
  /// string (a 64-bit seed is more than a JSON number holds exactly).
  package static func json(
    _ outcome: CampaignOutcome, shard: SuitePlan.Shard?, shardSource: String?,
    wallSeconds: Double, record: RunRecord
  ) -> String {
    let plan = outcome.plan
    var text = "{\"devsim\":\(JSONText.quoted(Version.string)),\"report\":\"campaign\",\n"
    text += "\"run\":\(record.json),\n"
    text +=
      "\"plan\":{\"profile\":\(JSONText.quoted(plan.profilePath)),"
      + "\"profileSha256\":\(JSONText.quoted(plan.profileSHA256)),"
      + "\"seed\":\"\(plan.seed)\",\"runs\":\(plan.runs),"
      + "\"fingerprint\":\(JSONText.quoted(plan.fingerprint))},\n"
    text +=
      "\"shard\":"
      + (shard.map {
        "{\"index\":\($0.index + 1),\"count\":\($0.count),"
          + "\"source\":\(JSONText.quoted(shardSource ?? "--shard")),"
          + "\"firstRun\":\(outcome.range.lowerBound),\"endRun\":\(outcome.range.upperBound)}"
      } ?? "null") + ",\n"
    text += "\"wallSeconds\":\(DecimalText.string(wallSeconds, decimals: 3)),"
    text +=
      "\"passed\":\(outcome.results.count - outcome.failedCount),\"failed\":\(outcome.failedCount),\n"
    let coverage = outcome.coverage
    text += "\"coverage\":{"
    text += coverage.runs.keys.sorted().map { kind in
      "\(JSONText.quoted(kind)):{"
        + (coverage.runs[kind] ?? [:]).sorted { $0.key < $1.key }.map {
          "\(JSONText.quoted($0.key)):\($0.value)"
        }.joined(separator: ",") + "}"
    }.joined(separator: ",")
    text += "},\n\"reactionSeconds\":"
    if let p50 = coverage.reactionPercentile(0.5), let p90 = coverage.reactionPercentile(0.9),
      let p99 = coverage.reactionPercentile(0.99), let worst = coverage.reactions.max()
    {
      func seconds(_ nanoseconds: UInt64) -> String {
        DecimalText.string(Double(nanoseconds) * 1e-9, decimals: 3)
      }
      text +=
        "{\"runs\":\(coverage.reactions.count),\"p50\":\(seconds(p50)),\"p90\":\(seconds(p90)),"
        + "\"p99\":\(seconds(p99)),\"max\":\(seconds(worst))}"
    } else {
      text += "null"
    }
    text += ",\n\"results\":["
    text += outcome.results.map { result in
      "\n{\"run\":\(result.run),\"schedule\":\(JSONText.quoted(result.schedule)),"
        + "\"firstTrip\":\(result.trip.map { JSONText.quoted($0.check) } ?? "null"),"
        + "\"reactionNanoseconds\":\(result.trip?.reactionNanoseconds.map(String.init) ?? "null"),"
        + "\"passed\":\(result.passed)}"
    }.joined(separator: ",")
    text += "\n],\n\"failures\":["
    text += outcome.failures.map { failure in
      "\n{\"run\":\(failure.run),\"schedule\":\(JSONText.quoted(failure.schedule)),"
        + "\"shrunk\":\(failure.shrunk.map(JSONText.quoted) ?? "null"),\"violations\":["
        + failure.violations.map {
          "{\"invariant\":\($0.invariant),\"message\":\(JSONText.quoted($0.message))}"
        }.joined(separator: ",") + "]}"
    }.joined(separator: ",")
    return text + "\n]}\n"
  }

  /// Reads `path`. Refused, naming the file: a report that is not a
  /// campaign's, a fingerprint that is not its plan's, runs that are not
  /// exactly its shard's range in order, failures that are not its failed runs.
  package static func load(_ path: String) throws(KitError) -> CampaignReport {
    try JSONFile.load(path, maximumBytes: maximumBytes) { bytes in
      let top = try JSONFile.root(of: bytes, file: path).object()
      guard let kind = top.optional("report"), (try? kind.string()) == "campaign" else {
        throw DataError(
          "not a campaign report (devsim campaign --json): $.report is not \"campaign\"")
      }
      let planReader = try top.required("plan")
      let planObject = try planReader.object()
      let seedReader = try planObject.required("seed")
      guard let seed = UInt64(try seedReader.string()) else {
        throw seedReader.fail("expected a seed as a string of digits")
      }
      let plan = CampaignPlan(
        profilePath: try planObject.required("profile").string(),
        profileSHA256: try planObject.required("profileSha256").string(), seed: seed,
        runs: Int(try planObject.required("runs").integer(in: 1...1_000_000)))
      let stated = try planObject.required("fingerprint").string()
      guard stated == plan.fingerprint else {
        throw planReader.fail(
          "fingerprint \(stated) is not the plan's (\(plan.fingerprint)): the report was changed")
      }
      var shard = SuitePlan.Shard(index: 0, count: 1)
      let shardReader = try top.required("shard")
      if !shardReader.isNull {
        let object = try shardReader.object()
        let count = Int(try object.required("count").integer(in: 1...100_000))
        let index = Int(try object.required("index").integer(in: 1...Int64(count)))
        shard = SuitePlan.Shard(index: index - 1, count: count)
      }
      let range = plan.runs(of: shard)
      let resultsReader = try top.required("results")
      let results = try resultsReader.array().map(result)
      guard results.map(\.run) == Array(range) else {
        throw resultsReader.fail(
          "shard \(shard.index + 1)/\(shard.count) of \(plan.runs) runs holds runs "
            + (range.isEmpty ? "none" : "\(range.lowerBound) … \(range.upperBound - 1)")
            + ", in order; these are not them")
      }
      let failuresReader = try top.required("failures")
      let failures = try failuresReader.array().map(failure)
      guard failures.map(\.run) == results.filter({ !$0.passed }).map(\.run) else {
        throw failuresReader.fail("the failures are not the runs that failed, in order")
      }
      return CampaignReport(
        path: path, sha256: SHA256.hex(bytes), shard: shard,
        wallSeconds: try top.required("wallSeconds").number(in: 0...1e9),
        outcome: CampaignOutcome(plan: plan, range: range, results: results, failures: failures))
    }
  }

  private static func result(_ reader: JSONReader) throws -> CampaignRunResult {
    let object = try reader.object()
    let tripReader = try object.required("firstTrip")
    let reactionReader = try object.required("reactionNanoseconds")
    let reaction =
      reactionReader.isNull ? nil : UInt64(try reactionReader.integer(in: 0...(1 << 53)))
    let trip =
      tripReader.isNull
      ? nil : CampaignTrip(check: try tripReader.string(), reactionNanoseconds: reaction)
    if trip == nil && reaction != nil {
      throw reactionReader.fail("a reaction time without a trip")
    }
    return CampaignRunResult(
      run: Int(try object.required("run").integer(in: 0...1_000_000)),
      schedule: try object.required("schedule").string(), trip: trip,
      passed: try object.required("passed").bool())
  }

  private static func failure(_ reader: JSONReader) throws -> CampaignFailure {
    let object = try reader.object()
    let shrunkReader = try object.required("shrunk")
    return CampaignFailure(
      run: Int(try object.required("run").integer(in: 0...1_000_000)),
      schedule: try object.required("schedule").string(),
      shrunk: shrunkReader.isNull ? nil : try shrunkReader.string(),
      violations: try object.required("violations").array().map { item in
        let violation = try item.object()
        return CampaignRun.Violation(
          invariant: Int(try violation.required("invariant").integer(in: 1...3)),
          message: try violation.required("message").string())
      })
  }
}
