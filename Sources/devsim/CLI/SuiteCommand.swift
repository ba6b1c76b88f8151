import ApplicatorLinux
import DevsimKit
import Foundation
import Synchronization

/// `devsim suite`: every scenario under the given paths, in parallel, with
/// reports that CI systems read.
enum SuiteCommand: DevsimCommand {
  static let jobs = CommonOptions.jobs.help("Scenarios run at once (default: the number of cores).")
  static let junit = Option(
    "--junit", value: "file",
    help: [
      "Write JUnit XML (seed, profile hash, metrics and reaction",
      "times as testcase properties).",
    ], convert: OptionValue.text)
  static let json = Option(
    "--json", value: "file", help: ["Write a JSON summary."], convert: OptionValue.text)
  static let html = Option(
    "--html", value: "file",
    help: [
      "Write a self-contained HTML report: the totals, a table of",
      "scenarios (failures first) with their metrics, and each",
      "scenario's plot inline.",
    ], convert: OptionValue.text)
  static let shard = Option(
    "--shard", value: "i/n|auto",
    help: [
      "Run shard i of n (1-based): every n-th scenario in sorted",
      "order. auto: the shard the CI's variables give (Bazel, GitLab",
      "CI, CircleCI, Buildkite, a Kubernetes Indexed Job). Bazel's",
      "TEST_TOTAL_SHARDS and TEST_SHARD_INDEX are honoured without it;",
      "TEST_SHARD_STATUS_FILE is touched; TESTBRIDGE_TEST_ONLY",
      "(--test_filter) keeps the scenarios whose path it matches.",
    ],
    convert: { text throws(UsageError) -> SuitePlan.Shard? in
      if text == "auto" { return nil }
      do throws(OptionValueError) {
        return try SuitePlan.parseShard(text)
      } catch {
        throw UsageError(error.message)
      }
    })
  static let shardIndex = Option(
    "--shard-index", value: "i",
    help: ["This shard's index from 0, with --shard-count (a GitHub", "Actions matrix)."],
    convert: OptionValue.whole("--shard-index", in: 0...100_000))
  static let shardCount = Option(
    "--shard-count", value: "n",
    help: [
      "The number of shards: with --shard-index, or the total for",
      "--shard auto's Kubernetes index.",
    ], convert: OptionValue.whole("--shard-count", in: 1...100_000))
  static let requirements = Option(
    "--requirements", value: "file",
    help: [
      "The requirements catalogue the profiles' \"verifies\" lists name",
      "(default: requirements.json in the first path's folder or the",
      "closest folder above it). Adds the trace matrix and the gap list",
      "to the reports.",
    ], convert: OptionValue.text)
  static let failOnGaps = Flag(
    "--fail-on-gaps",
    help: [
      "Fail the run when a requirement or risk control has no passing",
      "scenario that verifies it fully, or a hazard no verified risk",
      "control (needs a catalogue; not with a shard).",
    ])
  static let manifest = Option(
    "--manifest", value: "file",
    help: [
      "Write a manifest: the run record, the plan's fingerprint, every",
      "scenario with its seed and SHA-256, and each report's SHA-256.",
    ], convert: OptionValue.text)
  static let rerun = Option(
    "--rerun", value: "manifest",
    help: [
      "Run exactly the scenarios of a manifest again (refused when a",
      "profile's or the catalogue's bytes changed); no paths with it.",
    ], convert: OptionValue.text)
  static let quiet = CommonOptions.quiet.help("Print only failures and the closing count.")
  static let forbidRelaxed = Flag(
    "--forbid-relaxed",
    help: [
      "Fail every scenario that relaxes a mode's absolute safety limits", "(its \"safety.relax\").",
    ])
  static let verbose = Flag(
    "--verbose",
    help: ["List every scenario with its trip and reaction time, not only", "the failures."])

  static let spec = CommandSpec(
    name: "suite",
    abstract: "Run every scenario under the given paths, with JUnit, JSON and HTML reports.",
    arguments: [
      ArgumentSpec(
        name: "path", count: .any,
        help: ["Profiles or directories of profiles (default: Profiles)."])
    ],
    options: [
      jobs.spec, junit.spec, json.spec, html.spec, manifest.spec, rerun.spec, shard.spec,
      shardIndex.spec, shardCount.spec,
      requirements.spec, failOnGaps.spec, forbidRelaxed.spec, quiet.spec, verbose.spec,
    ],
    exitCodes: [
      (.success, "every scenario passed"),
      (.checkFailed, "a scenario failed, or a gap remains with --fail-on-gaps"), (.usage, nil),
      (.dataError, "a profile or the catalogue is invalid, or no profiles found"),
      (.noInput, "a path or a profile is missing or unreadable (and none invalid)"),
      (.ioError, "a report could not be written"),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let jobs = try CommonOptions.jobs(parsed)
    try OutputPaths.requireDistinct(outputs: [
      ("--junit", try junit.value(parsed)), ("--json", try json.value(parsed)),
      ("--html", try html.value(parsed)), ("--manifest", try manifest.value(parsed)),
    ])
    let rerunPath = try rerun.value(parsed)
    if rerunPath != nil && !parsed.positionals.isEmpty {
      throw UsageError("--rerun takes its scenarios from the manifest: give no paths with it")
    }
    let environment = ProcessInfo.processInfo.environment
    let (shard, shardSource) = try resolveShard(parsed, environment: environment, console: console)
    var record = RunRecord.begin(
      arguments: ["devsim", "suite"] + parsed.arguments, environment: environment)
    let rerun = try rerunPath.map { path throws(KitError) in try SuiteManifest.rerun(path) }
    let paths =
      rerun.map { $0.scenarios.map(\.path) }
      ?? (parsed.positionals.isEmpty ? ["Profiles"] : parsed.positionals)
    let found = try SuitePlan.collect(paths)
    guard !found.isEmpty else { throw DataError("no profiles found") }
    let filter: ScenarioFilter?
    do throws(OptionValueError) {
      filter = try ScenarioFilter.from(environment)
    } catch {
      throw UsageError(error.message)
    }
    // The filter cuts the plan before it is sharded: every shard of a
    // filtered run names the filtered plan.
    let all = try filter.map { filter throws(DataError) in try filter.apply(found) } ?? found
    let failOnGaps = self.failOnGaps.isSet(parsed)
    if failOnGaps, let shard {
      throw UsageError(
        "--fail-on-gaps judges a whole plan; shard \(shard.index + 1)/\(shard.count) runs part of it"
      )
    }
    let cataloguePath =
      try requirements.value(parsed) ?? rerun?.cataloguePath
      ?? RequirementCatalogue.locate(near: paths[0])
    let catalogue = try cataloguePath.map { path throws(KitError) in
      try RequirementCatalogue.load(path)
    }
    if failOnGaps && catalogue == nil {
      throw UsageError(
        "--fail-on-gaps needs a catalogue: no \(RequirementCatalogue.fileName) in or above \(paths[0]); "
          + "name one with --requirements")
    }
    let cases = SuitePlan.select(all, shard: shard)
    record.planFingerprint = SuitePlan.fingerprint(all)
    record.planSize = all.count
    record.shard = shard
    record.shardSource = shardSource
    record.filter = filter?.recorded
    if let statusFile = environment["TEST_SHARD_STATUS_FILE"] {
      _ = FileManager.default.createFile(atPath: statusFile, contents: nil)
    }
    let started = MonotonicClock.rawNanoseconds()
    let html = try html.value(parsed)
    var results = run(
      cases, jobs: jobs, console: console, plots: html != nil, catalogue: catalogue)
    if forbidRelaxed.isSet(parsed) {
      for index in results.indices {
        results[index].failures += results[index].relaxations.map {
          "relaxes \($0.field) (--forbid-relaxed): \($0.reason)"
        }
      }
    }
    let wall = Double(MonotonicClock.rawNanoseconds() - started) * 1e-9
    var trace = catalogue.map { TraceMatrix(results, catalogue: $0) }
    trace?.isShard = shard != nil
    record.finished = RunRecord.timestamp(Date())
    record.inputs = inputs(results, catalogue: catalogue)
    // Under Bazel: the JUnit file where Bazel reads it, the JSON report and
    // the manifest among the test's undeclared outputs, unless named.
    let bazelOutputs = environment["TEST_UNDECLARED_OUTPUTS_DIR"]
    let outputs = SuiteOutputs(
      junit: try junit.value(parsed) ?? environment["XML_OUTPUT_FILE"],
      json: try json.value(parsed) ?? bazelOutputs.map({ "\($0)/suite.json" }), html: html,
      manifest: try manifest.value(parsed) ?? bazelOutputs.map({ "\($0)/manifest.json" }))
    try outputs.write(
      results, wallSeconds: wall, trace: trace, record: record, planSize: all.count, shard: shard,
      catalogue: catalogue)
    let failed = results.filter { !$0.passed }
    if verbose.isSet(parsed) && !quiet.isSet(parsed) {
      for result in results where result.passed { console.write(describe(result)) }
    }
    for result in failed { console.write(describe(result)) }
    let passed = results.count - failed.count
    if !quiet.isSet(parsed) || !failed.isEmpty {
      let shardText =
        shard.map {
          " (shard \($0.index + 1)/\($0.count) of \(all.count), \(shardSource ?? "--shard"))"
        } ?? ""
      let filterText =
        filter.map { " (\($0.recorded): \(all.count) of \(found.count) scenarios found)" } ?? ""
      console.write(
        "suite: \(results.count) scenarios\(shardText)\(filterText) on \(jobs) jobs in "
          + "\(DecimalText.string(wall, decimals: 2)) s\n")
    }
    console.write("\(passed) passed, \(failed.count) failed\n")
    if let trace { console.write(describe(trace, shard: shard)) }
    // A case that could not be loaded: bad data outranks a missing file.
    let loadErrors = results.compactMap(\.loadError)
    if !loadErrors.isEmpty {
      return loadErrors.contains { !($0.underlying is InputFileError) } ? .dataError : .noInput
    }
    let gapsFail = failOnGaps && trace?.gaps.isEmpty == false
    return failed.isEmpty && !gapsFail ? .success : .checkFailed
  }

  /// The shard to run and where it came from: `--shard i/n`, `--shard-index`
  /// with `--shard-count`, `--shard auto` (the CI's variables), or Bazel's
  /// variables without a flag. Another CI's variables without `--shard auto`
  /// are reported and ignored (GitLab sets them for matrix jobs too).
  static func resolveShard(
    _ parsed: ParsedArguments, environment: [String: String], console: Console
  )
    throws -> (SuitePlan.Shard?, String?)
  {
    let given = parsed.text(shard.spec.long) != nil
    let index = try shardIndex.value(parsed)
    let count = try shardCount.value(parsed)
    if let index {
      guard !given, let count else {
        throw UsageError("--shard-index needs --shard-count, and no --shard")
      }
      guard index < count else {
        throw UsageError("--shard-index \(index) is not below --shard-count \(count)")
      }
      return (
        SuitePlan.Shard(index: index, count: count), "--shard-index \(index) --shard-count \(count)"
      )
    }
    if given {
      if let fixed = try shard.value(parsed) ?? nil { return (fixed, "--shard") }
      let found: (shard: SuitePlan.Shard, source: String)?
      do throws(OptionValueError) {
        found = try ShardEnvironment.shard(environment, count: count)
      } catch {
        throw UsageError(error.message)
      }
      guard let found else {
        throw UsageError(
          "--shard auto: none of the sharding variables is set ("
            + ShardEnvironment.systems.map(\.index).joined(separator: ", ") + ")")
      }
      return (found.shard, found.source)
    }
    if let bazel = try SuitePlan.bazelShard(environment) {
      return (bazel, "Bazel TEST_SHARD_INDEX=\(bazel.index) TEST_TOTAL_SHARDS=\(bazel.count)")
    }
    for system in ShardEnvironment.present(environment) {
      console.writeError(
        "note: \(system.name)'s \(system.index) is set and ignored: the whole plan runs "
          + "(--shard auto runs the shard it names)\n")
    }
    return (nil, nil)
  }

  /// Every file the run read, with its hash: the catalogue, then each
  /// profile and the trace it replays.
  static func inputs(_ results: [SuiteCaseResult], catalogue: RequirementCatalogue?)
    -> [RecordedInput]
  {
    var inputs =
      catalogue.map { [RecordedInput(kind: "catalogue", path: $0.path, sha256: $0.sha256)] } ?? []
    for result in results where !result.sha256.isEmpty {
      inputs.append(RecordedInput(kind: "profile", path: result.path, sha256: result.sha256))
      if let trace = result.trace {
        inputs.append(RecordedInput(kind: "trace", path: trace.path, sha256: trace.sha256))
      }
    }
    return inputs
  }

  /// The trace's closing lines: the count of entries and gaps, each gap,
  /// and the scenarios without a `verifies` list.
  static func describe(_ trace: TraceMatrix, shard: SuitePlan.Shard?) -> String {
    let gaps = trace.gaps
    var text =
      "trace: \(trace.rows.count) entries of \(trace.catalogue.path), \(gaps.count) "
      + (gaps.count == 1 ? "gap" : "gaps")
      + (shard == nil ? "" : " in this shard (judge gaps on the whole plan)") + "\n"
    for gap in gaps { text += "  gap \(gap.item.id) (\(gap.item.kind.rawValue)): \(gap.reason)\n" }
    for path in trace.untraced { text += "  untraced \(path): no \"verifies\" list\n" }
    return text
  }

  /// One scenario for the log: PASS or FAIL, its name and file, each trip
  /// with its subject, time, reading and limit (with their unit) and
  /// reaction times, then what failed.
  static func describe(_ result: SuiteCaseResult) -> String {
    var text = "\(result.passed ? "PASS" : "FAIL") \(result.name)"
    text += result.name == result.path ? "\n" : " (\(result.path))\n"
    if let error = result.error {
      return text + "  - \(error)\n"
    }
    if result.trips.isEmpty { text += "  no trip\n" }
    for trip in result.trips {
      text +=
        "  trip \(trip.check)\(trip.subject) at \(Summary.clock(trip.detectedNanoseconds))"
        + (trip.measurement.isEmpty ? "" : " (\(trip.measurement))") + ": "
        + "\(Summary.seconds(trip.fromInjectionNanoseconds)) after injection, "
        + "\(Summary.seconds(trip.fromOnsetNanoseconds)) after its onset "
        + "(bound \(Summary.seconds(trip.boundNanoseconds)))\n"
    }
    for failure in result.failures { text += "  - \(failure)\n" }
    return text
  }

  /// Runs the cases on `jobs` threads; results come back in case order,
  /// with their plots when `plots` is set.
  static func run(
    _ cases: [String], jobs: Int, console: Console, plots: Bool = false,
    catalogue: RequirementCatalogue? = nil
  ) -> [SuiteCaseResult] {
    let next = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    let slots = Mutex<[SuiteCaseResult?]>(Array(repeating: nil, count: cases.count))
    let progress = console.errorIsTerminal
    let total = cases.count
    let progressLock = Mutex<Void>(())
    DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, cases.count))) { _ in
      while true {
        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard index < total else { return }
        let result = SuiteCase.run(cases[index], plot: plots, catalogue: catalogue)
        slots.withLock { $0[index] = result }
        let finished = done.wrappingAdd(1, ordering: .relaxed).newValue
        if progress {
          progressLock.withLock { _ in
            console.writeProgress(
              "[\(finished)/\(total)] \(result.passed ? "pass" : "FAIL") \(result.path)",
              last: finished == total)
          }
        }
      }
    }
    return slots.withLock { $0.compactMap { $0 } }
  }
}
