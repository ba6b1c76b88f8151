import DevsimKit
import Foundation

/// `devsim suite-merge`: the JSON reports of a plan's shards merged into
/// the whole plan's reports, refused unless they are that plan exactly once.
enum SuiteMergeCommand: DevsimCommand {
  static let junit = SuiteCommand.junit.help("Write the merged JUnit XML.")
  static let json = SuiteCommand.json.help(
    "Write the merged JSON summary (it can itself be merged as", "shard 1 of 1).")
  static let html = SuiteCommand.html.help(
    "Write the merged HTML report: totals, scenarios, trace matrix", "(without plots).")
  static let failOnGaps = Flag(
    "--fail-on-gaps",
    help: [
      "Fail when the merged trace matrix leaves a requirement or risk",
      "control without a passing scenario, or a hazard without a",
      "verified risk control.",
    ])
  static let manifest = SuiteCommand.manifest.help(
    "Write the merged plan's manifest: every scenario with its seed",
    "and SHA-256 and each merged report's SHA-256; `devsim suite",
    "--rerun` of it runs the whole plan again in one process.")
  static let quiet = CommonOptions.quiet.help("Print only failures and the closing count.")

  static let spec = CommandSpec(
    name: "suite-merge",
    abstract: "Merge the JSON reports of a suite's shards into the whole plan's reports.",
    discussion: """
      Each report is a shard's --json output; it names its plan's fingerprint, the plan's \
      size and its shard. The merge is refused, naming the files, when a shard is given \
      twice, a shard is missing, the shards belong to different plans (fingerprints, sizes or \
      shard counts differ) or a scenario appears in two shards. The trace matrix and the gap \
      list are computed again over the whole plan, against the catalogue the shards name \
      (refused if its bytes changed).
      """,
    arguments: [
      ArgumentSpec(
        name: "report", count: .oneOrMore, help: ["The JSON report of each shard (--json)."])
    ],
    options: [junit.spec, json.spec, html.spec, manifest.spec, failOnGaps.spec, quiet.spec],
    exitCodes: [
      (.success, "the shards make the whole plan and every scenario passed"),
      (.checkFailed, "a scenario failed, or a gap remains with --fail-on-gaps"), (.usage, nil),
      (
        .dataError,
        "a report is invalid, or the shards are not one plan exactly once (duplicate, missing, foreign)"
      ),
      (.noInput, "a report or the catalogue is missing or unreadable"),
      (.ioError, "a merged report could not be written"),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let inputs = parsed.positionals.map { ("<report>", Optional($0)) }
    try OutputPaths.requireDistinct(
      outputs: [
        ("--junit", try junit.value(parsed)), ("--json", try json.value(parsed)),
        ("--html", try html.value(parsed)), ("--manifest", try manifest.value(parsed)),
      ], inputs: inputs)
    let reports = try parsed.positionals.map { path throws(KitError) in
      try ShardReport.load(path)
    }
    let merged = try ShardMerge(reports)
    let catalogue = try merged.catalogue.map { named throws(KitError) in
      let loaded = try RequirementCatalogue.load(named.path)
      guard loaded.sha256 == named.sha256 else {
        throw .invalid(
          "\(named.path) changed since the shards ran: sha256 \(loaded.sha256), the shards have \(named.sha256)"
        )
      }
      return loaded
    }
    let failOnGaps = self.failOnGaps.isSet(parsed)
    if failOnGaps && catalogue == nil {
      throw UsageError("--fail-on-gaps needs a catalogue: the shards ran without one")
    }
    let trace = catalogue.map { TraceMatrix(merged.results, catalogue: $0) }
    var record = RunRecord.begin(
      arguments: ["devsim", "suite-merge"] + parsed.arguments,
      environment: ProcessInfo.processInfo.environment)
    record.planFingerprint = merged.planFingerprint
    record.planSize = merged.planSize
    record.filter = merged.filter
    record.inputs =
      reports.map { RecordedInput(kind: "shard", path: $0.path, sha256: $0.sha256) }
      + (catalogue.map { [RecordedInput(kind: "catalogue", path: $0.path, sha256: $0.sha256)] }
        ?? [])
    record.finished = RunRecord.timestamp(Date())
    let wall = merged.wallSeconds
    let outputs = SuiteOutputs(
      junit: try junit.value(parsed), json: try json.value(parsed), html: try html.value(parsed),
      manifest: try manifest.value(parsed))
    try outputs.write(
      merged.results, wallSeconds: wall, trace: trace, record: record,
      planSize: merged.planSize, shard: nil, catalogue: catalogue)
    let failed = merged.results.filter { !$0.passed }
    for result in failed { console.write(SuiteCommand.describe(result)) }
    if !quiet.isSet(parsed) || !failed.isEmpty {
      console.write(
        "suite-merge: \(merged.shardCount) shards of plan \(merged.planFingerprint.prefix(12)), "
          + "\(merged.results.count) scenarios\n")
    }
    console.write("\(merged.results.count - failed.count) passed, \(failed.count) failed\n")
    if let trace { console.write(SuiteCommand.describe(trace, shard: nil)) }
    let gapsFail = failOnGaps && trace?.gaps.isEmpty == false
    return failed.isEmpty && !gapsFail ? .success : .checkFailed
  }
}
