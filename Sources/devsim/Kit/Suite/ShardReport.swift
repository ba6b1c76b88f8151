/// One shard's JSON report (``SuiteReport/json(_:wallSeconds:trace:record:)``)
/// read back for a merge: which plan and which shard it says it is, its
/// catalogue, and its scenarios' results.
package struct ShardReport {
  /// The largest report read, bytes.
  package static let maximumBytes = 64 << 20

  /// The file, as given.
  package var path: String
  /// The SHA-256 of its bytes.
  package var sha256: String
  /// The plan's fingerprint (``SuitePlan/fingerprint(_:)``).
  package var planFingerprint: String
  /// The number of scenarios in the whole plan.
  package var planSize: Int
  /// The shard it ran, 0-based; a run of the whole plan reads as shard 1 of 1.
  package var shard: SuitePlan.Shard
  /// The scenario filter the plan was cut with (``RunRecord/filter``), if any.
  package var filter: String?
  /// The catalogue the run traced against: its path and SHA-256.
  package var catalogue: (path: String, sha256: String)?
  package var wallSeconds: Double
  package var results: [SuiteCaseResult]

  /// Reads `path`; a report without the run record's plan (written before
  /// shards carried it, or not by `devsim suite`) is refused naming the key.
  package static func load(_ path: String) throws(KitError) -> ShardReport {
    try JSONFile.load(path, maximumBytes: maximumBytes) { bytes in
      let top = try JSONFile.root(of: bytes, file: path).object()
      let plan = try top.required("run").object().required("plan").object()
      let size = Int(try plan.required("scenarios").integer(in: 0...100_000_000))
      var shard = SuitePlan.Shard(index: 0, count: 1)
      if let node = plan.optional("shard"), let object = try? node.object() {
        let count = Int(try object.required("count").integer(in: 1...100_000))
        let index = Int(try object.required("index").integer(in: 1...Int64(count)))
        shard = SuitePlan.Shard(index: index - 1, count: count)
      }
      let filter = try plan.optional("filter").flatMap(optionalString)
      var catalogue: (String, String)? = nil
      if let node = top.optional("catalogue") {
        let object = try node.object()
        catalogue = (try object.required("path").string(), try object.required("sha256").string())
      }
      return ShardReport(
        path: path, sha256: SHA256.hex(bytes),
        planFingerprint: try plan.required("fingerprint").string(), planSize: size, shard: shard,
        filter: filter, catalogue: catalogue,
        wallSeconds: try top.required("wallSeconds").number(in: 0...1e9),
        results: try top.required("cases").array().map(result))
    }
  }

  /// One case of the report as the writers take it back.
  private static func result(_ reader: JSONReader) throws -> SuiteCaseResult {
    let object = try reader.object()
    func strings(_ key: String) throws -> [String] {
      try object.required(key).array().map { try $0.string() }
    }
    var result = SuiteCaseResult(
      path: try object.required("path").string(), name: try object.required("name").string(),
      mode: try object.required("mode").string(),
      seed: UInt64(try object.required("seed").integer(in: 0...(1 << 53))),
      sha256: try object.required("profileSha256").string(), failures: try strings("failures"),
      error: try object.optional("error").flatMap(optionalString),
      metrics: [], trips: [], wallSeconds: try object.required("wallSeconds").number(in: 0...1e9))
    if let verifies = object.optional("verifies"), (try? verifies.array()) != nil {
      result.verifies = try verifies.array().map { try $0.string() }
    }
    result.expectedChecks = try strings("expectedTrips")
    result.description = try object.required("description").string()
    result.warnings = try strings("warnings")
    result.relaxations = try object.required("relaxed").array().map { item in
      let relaxed = try item.object()
      return Relaxation(
        field: try relaxed.required("field").string(),
        reason: try relaxed.required("reason").string())
    }
    if let node = object.optional("trace"), let trace = try? node.object() {
      result.trace = (try trace.required("path").string(), try trace.required("sha256").string())
    }
    let metrics = try object.required("metrics")
    guard case .object(let members) = metrics.node.value else {
      throw metrics.fail("expected an object, found \(metrics.node.value.typeName)")
    }
    for member in members {
      let value = JSONReader(
        node: member.node, path: "\(metrics.path).\(member.key)", file: metrics.file)
      let number = try value.number()
      result.metrics.append(
        (member.key, DecimalText.string(number, decimals: SuiteCase.metricDecimals(member.key))))
      // The HTML report's time in window, from the JSON's four-decimal figure.
      if member.key.hasSuffix(windowSuffix) {
        result.windowFractions.append((String(member.key.dropLast(windowSuffix.count)), number))
      }
    }
    if let dose = object.optional("dose") { result.doseText = try dose.string() }
    result.trips = try object.required("trips").array().map { item in
      let trip = try item.object()
      func nanoseconds(_ key: String) throws -> UInt64 {
        UInt64((try trip.required(key).number(in: 0...1e7) * 1e9).rounded())
      }
      return SuiteTrip(
        check: try trip.required("check").string(), subject: try trip.required("subject").string(),
        fromInjectionNanoseconds: try nanoseconds("reactionFromInjectionSeconds"),
        fromOnsetNanoseconds: try nanoseconds("reactionFromOnsetSeconds"),
        boundNanoseconds: try nanoseconds("reactionBoundSeconds"),
        detectedNanoseconds: try nanoseconds("detectedSeconds"),
        measurement: try trip.optional("measurement")?.string() ?? "")
    }
    return result
  }

  /// The suffix of a time-in-window metric (``SuiteCase``).
  private static let windowSuffix = ".timeInWindow"

  private static func optionalString(_ reader: JSONReader) throws -> String? {
    if case .null = reader.node.value { return nil }
    return try reader.string()
  }
}
