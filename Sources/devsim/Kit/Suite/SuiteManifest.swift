/// One scenario of a manifest: the profile, its seed and the hash of its bytes.
package struct ManifestScenario: Equatable {
  package var path: String
  package var seed: UInt64
  package var sha256: String

  package init(path: String, seed: UInt64, sha256: String) {
    self.path = path
    self.seed = seed
    self.sha256 = sha256
  }
}

/// `manifest.json`: what a suite run read and wrote, by hash. A report
/// cannot hold its own hash, so the manifest holds every report's; it also
/// lists every scenario with its seed and hash, so `devsim suite --rerun
/// MANIFEST` runs exactly those scenarios again, refusing a profile whose
/// bytes changed.
package struct SuiteManifest {
  package static let version = 1
  /// The largest manifest read back, bytes.
  package static let maximumBytes = 16 << 20

  /// The plan's fingerprint (``SuitePlan/fingerprint(_:)``).
  package var planFingerprint: String
  /// The number of scenarios in the whole plan (every shard).
  package var planSize: Int
  /// The shard this run was, 0-based (`nil`: the whole plan).
  package var shard: SuitePlan.Shard?
  package var record: RunRecord
  package var catalogue: (path: String, sha256: String)?
  package var scenarios: [ManifestScenario]
  package var reports: [RecordedInput]

  package init(
    planFingerprint: String, planSize: Int, shard: SuitePlan.Shard?, record: RunRecord,
    catalogue: (path: String, sha256: String)?, scenarios: [ManifestScenario],
    reports: [RecordedInput]
  ) {
    self.planFingerprint = planFingerprint
    self.planSize = planSize
    self.shard = shard
    self.record = record
    self.catalogue = catalogue
    self.scenarios = scenarios
    self.reports = reports
  }

  /// The manifest as JSON.
  package var json: String {
    var text =
      "{\"devsim\":\(JSONText.quoted(Version.string)),\"manifestVersion\":\(Self.version),\n"
    text +=
      "\"plan\":{\"fingerprint\":\(JSONText.quoted(planFingerprint)),\"scenarios\":\(planSize),"
      + "\"shard\":\(shard.map { "{\"index\":\($0.index + 1),\"count\":\($0.count)}" } ?? "null")},\n"
    text += "\"run\":\(record.json),\n"
    text +=
      "\"catalogue\":"
      + (catalogue.map {
        "{\"path\":\(JSONText.quoted($0.path)),\"sha256\":\(JSONText.quoted($0.sha256))}"
      } ?? "null") + ",\n"
    text += "\"scenarios\":["
    text += scenarios.map {
      "\n{\"path\":\(JSONText.quoted($0.path)),\"seed\":\($0.seed),\"sha256\":\(JSONText.quoted($0.sha256))}"
    }.joined(separator: ",")
    text += "\n],\n\"reports\":["
    text += reports.map {
      "\n{\"kind\":\(JSONText.quoted($0.kind)),\"path\":\(JSONText.quoted($0.path)),\"sha256\":\(JSONText.quoted($0.sha256))}"
    }.joined(separator: ",")
    return text + "\n]}\n"
  }

  /// What a rerun needs from a manifest: its scenarios and its catalogue path.
  package struct Rerun {
    package var scenarios: [ManifestScenario]
    package var cataloguePath: String?
  }

  /// Reads the scenarios and the catalogue of a manifest, and checks that
  /// each profile (and the catalogue) still has the bytes it had: a changed
  /// file is refused, naming it and both hashes.
  package static func rerun(_ path: String) throws(KitError) -> Rerun {
    let plan = try JSONFile.load(path, maximumBytes: maximumBytes) { bytes in
      let top = try JSONFile.root(of: bytes, file: path).object()
      let versionReader = try top.required("manifestVersion")
      guard try versionReader.integer(in: 0...1_000) == Int64(version) else {
        throw versionReader.fail("this devsim reads manifest version \(version)")
      }
      let scenarios = try top.required("scenarios").array().map { item in
        let object = try item.object()
        return (
          ManifestScenario(
            path: try object.required("path").string(),
            seed: UInt64(try object.required("seed").integer(in: 0...(1 << 53))),
            sha256: try object.required("sha256").string()), item
        )
      }
      var catalogue: (String, String)? = nil
      if let node = top.optional("catalogue"), let object = try? node.object() {
        catalogue = (try object.required("path").string(), try object.required("sha256").string())
      }
      return (scenarios, catalogue)
    }
    for (scenario, _) in plan.0 {
      try unchanged(scenario.path, scenario.sha256, manifest: path)
    }
    if let (cataloguePath, sha256) = plan.1 {
      try unchanged(cataloguePath, sha256, manifest: path)
    }
    return Rerun(scenarios: plan.0.map(\.0), cataloguePath: plan.1?.0)
  }

  private static func unchanged(_ path: String, _ sha256: String, manifest: String)
    throws(KitError)
  {
    let now = SHA256.hex(try InputFile.read(path, maximumBytes: ProfileLoader.maximumBytes))
    guard now == sha256 else {
      throw .invalid(
        "\(path) changed since \(manifest) was written: sha256 \(now), the manifest has \(sha256)")
    }
  }
}
