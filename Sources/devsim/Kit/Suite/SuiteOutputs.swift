/// Where a suite run (or a merge of its shards) writes its reports; each
/// path is optional.
package struct SuiteOutputs {
  package var junit: String?
  package var json: String?
  package var html: String?
  package var manifest: String?

  package init(junit: String?, json: String?, html: String?, manifest: String?) {
    self.junit = junit
    self.json = json
    self.html = html
    self.manifest = manifest
  }

  /// Writes the JUnit, JSON and HTML reports of `results` that have a path,
  /// each whole or not at all, then the manifest holding their SHA-256 and
  /// every scenario with its seed and hash (the plan's fingerprint from
  /// `record`).
  package func write(
    _ results: [SuiteCaseResult], wallSeconds: Double, trace: TraceMatrix?, record: RunRecord,
    planSize: Int, shard: SuitePlan.Shard?, catalogue: RequirementCatalogue?
  ) throws(OutputFileError) {
    var reports: [RecordedInput] = []
    func write(_ kind: String, _ text: String, to path: String) throws(OutputFileError) {
      let bytes = Array(text.utf8)
      try AtomicFile.write(bytes, to: path)
      reports.append(RecordedInput(kind: kind, path: path, sha256: SHA256.hex(bytes)))
    }
    if let junit {
      try write(
        "junit",
        SuiteReport.junit(results, wallSeconds: wallSeconds, trace: trace, record: record),
        to: junit)
    }
    if let json {
      try write(
        "json", SuiteReport.json(results, wallSeconds: wallSeconds, trace: trace, record: record),
        to: json)
    }
    if let html {
      try write(
        "html",
        SuiteHTMLReport.html(results, wallSeconds: wallSeconds, trace: trace, record: record),
        to: html)
    }
    if let manifest {
      let written = SuiteManifest(
        planFingerprint: record.planFingerprint, planSize: planSize, shard: shard,
        record: record, catalogue: catalogue.map { ($0.path, $0.sha256) },
        scenarios: results.map {
          ManifestScenario(path: $0.path, seed: $0.seed, sha256: $0.sha256)
        },
        reports: reports)
      try AtomicFile.write(Array(written.json.utf8), to: manifest)
    }
  }
}
