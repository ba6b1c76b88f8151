import Foundation
import Testing

@testable import DevsimKit
@testable import devsim

/// The command line: help, version, usage errors and exit codes, in-process
/// and through the real executable.
@Suite struct CommandLineTests {
  @Test func versionAndHelp() {
    #expect(devsim(["--version"]).output == "\(Version.string)\n")
    let help = devsim(["help"])
    #expect(help.code == 0)
    for section in ["OVERVIEW:", "USAGE:", "OPTIONS:", "SUBCOMMANDS:"] {
      #expect(help.output.contains(section))
    }
    let runHelp = devsim(["run", "--help"])
    #expect(runHelp.code == 0 && runHelp.output.contains("--speed <speed>"))
    #expect(devsim(["help", "validate"]).output.contains("USAGE: devsim validate"))
  }

  @Test(arguments: [
    ["frobnicate"], ["run"], ["run", "a.json", "b.json"], ["run", "a.json", "--seed", "x"],
    ["run", "a.json", "--speed", "fast"], ["run", "a.json", "--format", "xml"],
    ["run", "a.json", "--bogus"], ["validate"], ["help", "nothing"], ["run", "a.json", "--seed"],
  ])
  func usageErrorsExit64WithAUsageLine(_ arguments: [String]) {
    let result = devsim(arguments)
    #expect(result.code == 64)
    #expect(result.errors.hasPrefix("Error: "))
    #expect(result.errors.contains("USAGE: devsim"))
  }

  @Test func anUnwritableOutputIsAnIOFailure() {
    let result = devsim([
      "run", repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json").path,
      "-o", "/nonexistent-dir/out.csv", "--quiet",
    ])
    #expect(result.code == 74)
    #expect(result.errors.contains("cannot write /nonexistent-dir/out.csv"))
  }

  /// The executable itself, to prove exit codes reach the shell.
  @Test func theExecutableReportsExitCodes() throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("devsim")
    try #require(
      FileManager.default.isExecutableFile(atPath: binary.path),
      "devsim is built next to the test bundle: \(binary.path)")
    func status(_ arguments: [String]) throws -> Int32 {
      let process = Process()
      process.executableURL = binary
      process.arguments = arguments
      process.currentDirectoryURL = repositoryRoot
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      process.waitUntilExit()
      return process.terminationStatus
    }
    #expect(try status(["run", "Profiles/cryolipolysis-35min.json", "--quiet"]) == 0)
    #expect(try status(["run", "Profiles/missing.json"]) == 66)
    #expect(try status(["run"]) == 64)
  }
}
