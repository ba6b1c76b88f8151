import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// The examples in docs/ci, played on one machine: for each CI system,
/// three shard processes run the shard command the example holds, with
/// exactly the variables that system sets and each in its own checkout;
/// their reports travel as the example's artifacts do; the example's merge
/// command merges them. The merge must give the unsharded run's results.
///
/// The commands are read from the example files, so the docs cannot drift
/// from what is tested. The scenarios are a few shipped profiles (with the
/// catalogue) copied as `Profiles/`, to keep 6 systems × 3 shards quick;
/// what a merge refuses is SuiteMergeTests' subject.
@Suite(.tags(.safety)) struct CIShardExamplesTests {
  /// The shipped profiles each checkout holds, under `Profiles/`.
  static let scenarios = [
    "faults/cryo-plate-open.json", "faults/laser-stuck-on.json", "faults/cryo-contact-lost.json",
    "no-trip/cryo-setpoint-up.json", "no-trip/laser-setpoint-change.json",
  ]

  /// One CI system's example and what the system does around its commands.
  struct System: Sendable, CustomTestStringConvertible {
    var name: String
    /// The example, under docs/ci.
    var file: String
    /// The variables the system sets for shard `index` (from 0) of 3.
    var variables: @Sendable (Int) -> [String: String]
    /// What the system substitutes in the command before a shell runs it.
    var interpolate: @Sendable (String, Int) -> String = { command, _ in command }
    /// Directories that exist before the command runs (a mounted volume).
    var mounts: [String] = []
    /// How the shard's report names where its shard came from.
    var source: @Sendable (Int) -> String

    var testDescription: String { name }
  }

  static let systems: [System] = [
    System(
      name: "GitHub Actions", file: "github-actions.yml", variables: { _ in [:] },
      interpolate: { command, index in
        command.replacingOccurrences(of: "${{ matrix.shard }}", with: "\(index)")
      },
      source: { "--shard-index \($0) --shard-count 3" }),
    System(
      name: "GitLab CI", file: "gitlab-ci.yml",
      variables: { ["CI_NODE_INDEX": "\($0 + 1)", "CI_NODE_TOTAL": "3"] },
      source: { "GitLab CI CI_NODE_INDEX=\($0 + 1) CI_NODE_TOTAL=3" }),
    System(
      name: "CircleCI", file: "circleci.yml",
      variables: { ["CIRCLE_NODE_INDEX": "\($0)", "CIRCLE_NODE_TOTAL": "3"] },
      source: { "CircleCI CIRCLE_NODE_INDEX=\($0) CIRCLE_NODE_TOTAL=3" }),
    System(
      name: "Buildkite", file: "buildkite.yml",
      variables: { ["BUILDKITE_PARALLEL_JOB": "\($0)", "BUILDKITE_PARALLEL_JOB_COUNT": "3"] },
      // The pipeline upload turns `$$` into `$`.
      interpolate: { command, _ in command.replacingOccurrences(of: "$$", with: "$") },
      source: { "Buildkite BUILDKITE_PARALLEL_JOB=\($0) BUILDKITE_PARALLEL_JOB_COUNT=3" }),
    System(
      name: "Kubernetes Indexed Job", file: "kubernetes-indexed-job.yaml",
      variables: { ["JOB_COMPLETION_INDEX": "\($0)"] }, mounts: ["shards"],
      source: { "Kubernetes Indexed Job JOB_COMPLETION_INDEX=\($0) --shard-count=3" }),
  ]

  /// The example's first line running `devsim suite` (`merge`: `devsim
  /// suite-merge`), from `devsim` to the end of the line.
  static func command(in file: String, merge: Bool) throws -> String {
    let text = try String(
      contentsOf: repositoryRoot.appendingPathComponent("docs/ci/\(file)"), encoding: .utf8)
    let word = merge ? "devsim suite-merge " : "devsim suite "
    let line = try #require(
      text.split(separator: "\n").first { $0.contains(word) }, "\(file) has no '\(word)' line")
    let start = try #require(line.range(of: word)).lowerBound
    return String(line[start...]).trimmingWhitespace()
  }

  /// A fresh checkout: `Profiles/` with the scenarios and the catalogue.
  static func checkout(_ directory: URL) throws {
    let source = repositoryRoot.appendingPathComponent("Profiles")
    let profiles = directory.appendingPathComponent("Profiles")
    for file in scenarios + [RequirementCatalogue.fileName] {
      let target = profiles.appendingPathComponent(file)
      try FileManager.default.createDirectory(
        at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target)
    }
  }

  /// A directory on whose `PATH` `devsim` is the built executable, as the
  /// examples' build steps leave it.
  static func toolDirectory(in scratch: URL) throws -> URL {
    let bin = scratch.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      at: bin.appendingPathComponent("devsim"), withDestinationURL: devsimExecutable)
    return bin
  }

  /// Runs `command` with `sh -c` in `directory`, with `variables` and a
  /// `PATH` holding devsim as the only environment.
  static func shell(_ command: String, in directory: URL, tools: URL, variables: [String: String])
    throws -> (status: Int32, output: String, errors: String)
  {
    try runProcess(
      "/bin/sh", ["-c", command],
      environment: variables.merging(["PATH": "\(tools.path):/usr/bin:/bin"]) { a, _ in a },
      directory: directory)
  }

  /// The unsharded run of the same checkout, with --fail-on-gaps as the merges have it.
  static func unsharded(in scratch: URL, tools: URL) throws -> (
    status: Int32, report: [String: Any]
  ) {
    let machine = scratch.appendingPathComponent("whole")
    try checkout(machine)
    let run = try shell(
      "devsim suite Profiles --fail-on-gaps --json whole.json --quiet", in: machine, tools: tools,
      variables: [:])
    return (run.status, try jsonObject(machine.appendingPathComponent("whole.json").path))
  }

  /// The merged report against the unsharded one: the same exit status,
  /// totals, trace matrix, gaps, and every scenario's verdict, failures,
  /// trips, reaction times and metrics (wall times and run record aside).
  static func expectSameResults(
    merged: (status: Int32, report: [String: Any]), whole: (status: Int32, report: [String: Any]),
    _ name: String
  ) throws {
    #expect(merged.status == whole.status, "\(name): the merge judges as the unsharded run")
    for key in wholePlanReportKeys {
      #expect(
        try canonicalJSON(merged.report[key] ?? NSNull())
          == canonicalJSON(whole.report[key] ?? NSNull()), "\(name): \(key)")
    }
    #expect(try suiteCases(merged.report) == suiteCases(whole.report), "\(name): the cases")
    #expect(try suiteCases(whole.report).count == scenarios.count)
    let plan = { (report: [String: Any]) in
      ((report["run"] as? [String: Any])?["plan"] as? [String: Any])?["fingerprint"] as? String
    }
    #expect(plan(merged.report) != nil && plan(merged.report) == plan(whole.report))
  }

  /// The shard report's plan: its shard's index (from 1) and source.
  static func shardOf(_ path: String) throws -> (index: Int?, source: String?) {
    let plan = try #require(
      (try jsonObject(path)["run"] as? [String: Any])?["plan"] as? [String: Any])
    let shard = try #require(plan["shard"] as? [String: Any], "\(path) names no shard")
    #expect(shard["count"] as? Int == 3)
    return (shard["index"] as? Int, shard["source"] as? String)
  }

  @Test(arguments: systems)
  func threeShardsFromTheExampleMergeToTheUnshardedRun(_ system: System) throws {
    try #require(FileManager.default.isExecutableFile(atPath: devsimExecutable.path))
    let scratch = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let tools = try Self.toolDirectory(in: scratch)
    let whole = try Self.unsharded(in: scratch, tools: tools)
    #expect(whole.status == 1, "the subset leaves catalogue entries unverified: a gap fails it")

    let shardCommand = try Self.command(in: system.file, merge: false)
    let mergeCommand = try Self.command(in: system.file, merge: true)
    // Where the merge job finds the shards' reports: the folder of its glob.
    let pattern = try #require(
      mergeCommand.split(separator: " ").first { $0.contains("*") }, "\(mergeCommand)")
    let mergeMachine = scratch.appendingPathComponent("merge")
    try Self.checkout(mergeMachine)
    let inbox = mergeMachine.appendingPathComponent(
      String(pattern).split(separator: "/").dropLast().joined(separator: "/"))
    try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)

    for index in 0..<3 {
      let machine = scratch.appendingPathComponent("shard-\(index)")
      try Self.checkout(machine)
      for mount in system.mounts {
        try FileManager.default.createDirectory(
          at: machine.appendingPathComponent(mount), withIntermediateDirectories: true)
      }
      let run = try Self.shell(
        system.interpolate(shardCommand, index), in: machine, tools: tools,
        variables: system.variables(index))
      #expect(run.status == 0, "\(system.name) shard \(index): \(run.errors)")
      // The artifact: the one report the shard wrote outside Profiles/.
      let written = try #require(
        FileManager.default.enumerator(atPath: machine.path)?.compactMap { $0 as? String }
          .filter { $0.hasSuffix(".json") && !$0.hasPrefix("Profiles/") })
      try #require(written.count == 1, "\(system.name) shard \(index) wrote \(written)")
      let report = machine.appendingPathComponent(written[0]).path
      let shard = try Self.shardOf(report)
      #expect(shard.index == index + 1, "\(system.name): each shard says which it is")
      #expect(shard.source == system.source(index))
      try FileManager.default.copyItem(
        atPath: report,
        toPath: inbox.appendingPathComponent(URL(fileURLWithPath: report).lastPathComponent).path)
    }

    let merge = try Self.shell(mergeCommand, in: mergeMachine, tools: tools, variables: [:])
    #expect(merge.output.contains("suite-merge: 3 shards of plan"), "\(merge.errors)")
    let merged = try #require(
      mergeCommand.split(separator: " ").drop { $0 != "--json" }.dropFirst().first)
    try Self.expectSameResults(
      merged: (
        merge.status, try jsonObject(mergeMachine.appendingPathComponent(String(merged)).path)
      ),
      whole: whole, system.name)
  }

  /// The sh_test of docs/ci/bazel: its wrapper with the BUILD file's
  /// arguments, run three times with the variables Bazel sets, the reports
  /// left where `--nozip_undeclared_test_outputs` leaves them, merged by
  /// the command the BUILD file gives.
  @Test func bazelsShardedTestMergesToTheUnshardedRun() throws {
    try #require(FileManager.default.isExecutableFile(atPath: devsimExecutable.path))
    let scratch = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: scratch) }
    let tools = try Self.toolDirectory(in: scratch)
    let whole = try Self.unsharded(in: scratch, tools: tools)
    let build = try String(
      contentsOf: repositoryRoot.appendingPathComponent("docs/ci/bazel/BUILD.bazel"),
      encoding: .utf8)
    #expect(build.contains("shard_count = 3"))
    let argumentsLine = try #require(
      build.split(separator: "\n").first { $0.contains("args = [") })
    let arguments = try #require(argumentsLine.firstMatch(of: /\[(.*)\]/)).1
      .split(separator: ",").map {
        String($0).trimmingWhitespace().trimmingCharacters(in: CharacterSet(charactersIn: "\""))
      }
      .map { $0 == "$(rootpath //tools:devsim)" ? devsimExecutable.path : $0 }
    #expect(arguments.first == devsimExecutable.path, "the wrapper's first argument is devsim")
    let wrapper = repositoryRoot.appendingPathComponent("docs/ci/bazel/suite_test.sh").path

    // The workspace: bazel-testlogs beside it, the runfiles tree holding Profiles/.
    let workspace = scratch.appendingPathComponent("workspace")
    try Self.checkout(workspace)
    let runfiles = scratch.appendingPathComponent("runfiles")
    try Self.checkout(runfiles)
    for index in 0..<3 {
      let logs = workspace.appendingPathComponent(
        "bazel-testlogs/docs/ci/bazel/suite/shard_\(index + 1)_of_3")
      let outputs = logs.appendingPathComponent("test.outputs")
      try FileManager.default.createDirectory(at: outputs, withIntermediateDirectories: true)
      let status = scratch.appendingPathComponent("shard-status-\(index)")
      let run = try Self.shell(
        (["sh", wrapper] + arguments).map { "'\($0)'" }.joined(separator: " "), in: runfiles,
        tools: tools,
        variables: [
          "TEST_SHARD_INDEX": "\(index)", "TEST_TOTAL_SHARDS": "3",
          "TEST_SHARD_STATUS_FILE": status.path,
          "XML_OUTPUT_FILE": logs.appendingPathComponent("test.xml").path,
          "TEST_UNDECLARED_OUTPUTS_DIR": outputs.path,
        ])
      #expect(run.status == 0, "Bazel shard \(index): \(run.errors)")
      #expect(FileManager.default.fileExists(atPath: status.path), "the status file is touched")
      #expect(
        FileManager.default.fileExists(atPath: logs.appendingPathComponent("test.xml").path),
        "the JUnit report is where Bazel reads it")
      #expect(
        FileManager.default.fileExists(
          atPath: outputs.appendingPathComponent("manifest.json").path))
      let shard = try Self.shardOf(outputs.appendingPathComponent("suite.json").path)
      #expect(shard.index == index + 1)
      #expect(shard.source == "Bazel TEST_SHARD_INDEX=\(index) TEST_TOTAL_SHARDS=3")
    }
    let mergeCommand = try Self.command(in: "bazel/BUILD.bazel", merge: true)
    let merge = try Self.shell(mergeCommand, in: workspace, tools: tools, variables: [:])
    #expect(merge.output.contains("suite-merge: 3 shards of plan"), "\(merge.errors)")
    try Self.expectSameResults(
      merged: (merge.status, try jsonObject(workspace.appendingPathComponent("suite.json").path)),
      whole: whole, "Bazel")
  }
  /// The examples are valid YAML (read by PyYAML, not our code), and each
  /// asks its system for the three shards the test plays.
  @Test(
    .enabled(
      if: toolsRequired || pythonHasModule("yaml"),
      "python3 with PyYAML is not installed (pip install pyyaml)"))
  func theExamplesAreYAMLAskingForThreeShards() throws {
    let script = """
      import sys, yaml
      def load(name):
          with open(sys.argv[1] + '/' + name) as f:
              return list(yaml.safe_load_all(f))
      github = load('github-actions.yml')[0]['jobs']
      print('github', github['shard']['strategy']['matrix']['shard'], github['merge']['needs'])
      gitlab = load('gitlab-ci.yml')[0]
      print('gitlab', gitlab['suite']['parallel'], gitlab['merge']['needs'])
      circle = load('circleci.yml')[0]
      print('circleci', circle['jobs']['suite']['parallelism'])
      buildkite = load('buildkite.yml')[0]['steps']
      print('buildkite', buildkite[0]['parallelism'], buildkite[1]['depends_on'])
      job = load('kubernetes-indexed-job.yaml')[0]['spec']
      print('kubernetes', job['completionMode'], job['completions'], job['parallelism'])
      """
    let output = try pythonClient(
      module: "yaml", script: script,
      arguments: [repositoryRoot.appendingPathComponent("docs/ci").path])
    #expect(
      output.split(separator: "\n") == [
        "github [0, 1, 2] shard", "gitlab 3 ['suite']", "circleci 3", "buildkite 3 suite",
        "kubernetes Indexed 3 3",
      ])
  }
}
