import DevsimKit
import Foundation

/// `devsim campaign-merge`: the JSON reports of a campaign's shards merged
/// into the whole campaign, refused unless they are its plan exactly once;
/// prints what one process running every run prints.
enum CampaignMergeCommand: DevsimCommand {
  static let json = Option(
    "--json", value: "file",
    help: ["Write the merged report (it can itself be merged as shard 1", "of 1)."],
    convert: OptionValue.text)

  static let spec = CommandSpec(
    name: "campaign-merge",
    abstract: "Merge the JSON reports of a campaign's shards into the whole campaign.",
    discussion: """
      Each report is a shard's --json output; it names its plan (profile SHA-256, seed, \
      runs) by fingerprint and its shard, and holds every run of the shard. The merge is \
      refused, naming the files, when a shard is given twice, a shard is missing or the \
      shards belong to different plans (fingerprints or shard counts differ). The coverage \
      table, the reaction-time percentiles and the failures are computed again over every \
      run: the text is the one campaign process's, apart from the timing line.
      """,
    arguments: [
      ArgumentSpec(
        name: "report", count: .oneOrMore, help: ["The JSON report of each shard (--json)."])
    ],
    options: [json.spec],
    exitCodes: [
      (.success, "the shards make the whole plan and every run kept the invariants"),
      (.checkFailed, "a run broke one"), (.usage, nil),
      (
        .dataError,
        "a report is invalid, or the shards are not one plan exactly once (duplicate, missing, foreign)"
      ),
      (.noInput, "a report is missing or unreadable"),
      (.ioError, "the merged report could not be written"),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    try OutputPaths.requireDistinct(
      outputs: [("--json", try json.value(parsed))],
      inputs: parsed.positionals.map { ("<report>", Optional($0)) })
    let reports = try parsed.positionals.map { path throws(KitError) in
      try CampaignReport.load(path)
    }
    let merged = try CampaignMerge(reports)
    let outcome = merged.outcome
    var record = RunRecord.begin(
      arguments: ["devsim", "campaign-merge"] + parsed.arguments,
      environment: ProcessInfo.processInfo.environment)
    record.planFingerprint = outcome.plan.fingerprint
    record.planSize = outcome.plan.runs
    record.inputs = reports.map { RecordedInput(kind: "shard", path: $0.path, sha256: $0.sha256) }
    record.finished = RunRecord.timestamp(Date())
    if let path = try json.value(parsed) {
      let text = CampaignReport.json(
        outcome, shard: nil, shardSource: nil, wallSeconds: merged.wallSeconds, record: record)
      try AtomicFile.write(Array(text.utf8), to: path)
    }
    console.write(outcome.plan.headline(shard: nil, source: nil))
    console.write(outcome.body())
    console.write(
      "campaign took \(DecimalText.string(merged.wallSeconds, decimals: 2)) s, the longest of "
        + "\(merged.shardCount) shards of plan \(outcome.plan.fingerprint.prefix(12)); "
        + "seed \(outcome.plan.seed) replays it\n")
    console.write(outcome.closing)
    return outcome.failures.isEmpty ? .success : .checkFailed
  }
}
