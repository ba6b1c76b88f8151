import Foundation
import Testing

@testable import devsim

extension Tag {
  @Tag static var safety: Self
  @Tag static var io: Self
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

/// Every shipped profile, relative to the repository root.
func shippedProfiles() -> [String] {
  let base = repositoryRoot.appendingPathComponent("Profiles")
  guard let walker = FileManager.default.enumerator(atPath: base.path) else { return [] }
  return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted()
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
