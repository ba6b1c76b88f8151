import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Every shipped profile, relative to the repository root (the
/// requirements catalogue is not one).
func shippedProfiles() -> [String] {
  let base = repositoryRoot.appendingPathComponent("Profiles")
  guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
  return walker.compactMap { $0 as? String }
    .filter { $0.hasSuffix(".json") && !SuitePlan.isCatalogue($0) }.sorted()
    .map { "Profiles/" + $0 }
}

/// Loads a shipped profile by its path under the repository root.
func loadShipped(_ relative: String) throws -> LoadedProfile {
  try ProfileLoader.load(repositoryRoot.appendingPathComponent(relative).path)
}

/// A scratch directory removed by the caller.
func scratchDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "devsim-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Runs devsim in-process with captured output.
func devsim(_ arguments: [String]) -> (code: Int32, output: String, errors: String) {
  let console = Console.capture()
  let code = DevsimTool.main(arguments, console: console)
  return (code, console.output, console.errors)
}

/// Runs an executable to its end, from `directory` (the repository root
/// unless given), with `environment` alone when given (else this process's);
/// returns its exit status and what it printed.
func runProcess(
  _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
  directory: URL = repositoryRoot
) throws -> (status: Int32, output: String, errors: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  process.currentDirectoryURL = directory
  if let environment { process.environment = environment }
  let output = Pipe()
  let errors = Pipe()
  process.standardOutput = output
  process.standardError = errors
  try process.run()
  let text = output.fileHandleForReading.readDataToEndOfFile()
  let problems = errors.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (
    process.terminationStatus, String(decoding: text, as: UTF8.self),
    String(decoding: problems, as: UTF8.self)
  )
}

/// Whether python3 can import `module`.
func pythonHasModule(_ module: String) -> Bool {
  (try? runProcess("/usr/bin/env", ["python3", "-c", "import \(module)"]))?.status == 0
}

/// Runs a Python script as an independent client and returns its standard
/// output. The test that calls it is enabled only where python3 has `module`
/// (or `DEVSIM_REQUIRE_TOOLS=1`): a missing module here is a failure, and so
/// is a script that fails.
func pythonClient(module: String, script: String, arguments: [String]) throws -> String {
  func python(_ extra: [String]) throws -> (status: Int32, output: String, errors: String) {
    try runProcess("/usr/bin/env", ["python3"] + extra)
  }
  try #require(
    pythonHasModule(module), "python3 with \(module) is required (pip install \(module))")
  let run = try python(["-c", script] + arguments)
  try #require(run.status == 0, "the Python client failed: \(run.errors)")
  return run.output.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// The devsim executable the test build made, next to the test bundle.
let devsimExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  .appendingPathComponent("devsim")

/// A JSON report (or any JSON object file) parsed.
func jsonObject(_ path: String) throws -> [String: Any] {
  let data = try Data(contentsOf: URL(fileURLWithPath: path))
  return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// `value` as canonical JSON text (sorted keys), for comparing parsed reports.
func canonicalJSON(_ value: Any) throws -> String {
  String(
    decoding: try JSONSerialization.data(
      withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
}

/// A suite JSON report's cases, each as canonical JSON without its wall
/// time (the one figure a rerun or a merge may change), in order: verdict,
/// failures, trips with their reaction times, metrics, links.
func suiteCases(_ report: [String: Any]) throws -> [String] {
  try #require(report["cases"] as? [[String: Any]]).map { item in
    var item = item
    item["wallSeconds"] = nil
    return try canonicalJSON(item)
  }
}

/// The top-level keys of a suite JSON report that a merge of its shards
/// must give as the unsharded run does.
let wholePlanReportKeys = [
  "total", "passed", "failed", "catalogue", "trace", "gaps", "untraced", "gapsJudged",
]
