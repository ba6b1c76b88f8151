import Foundation
import Testing

@testable import DevsimKit
@testable import devsim

/// The declarative command layer: help and parser agree for every command,
/// one mapping from errors to exit codes, one rule for missing input files,
/// and the README quotes the exit-code table.
@Suite struct CommandSpecTests {
  /// Every command and subcommand, as the words that name it.
  static let commands: [[String]] = DevsimTool.specs.flatMap { spec in
    spec.subcommands.isEmpty
      ? [[spec.name]] : spec.subcommands.map { $0.name.split(separator: " ").map(String.init) }
  }

  /// The option names an OPTIONS section of a help text shows.
  static func shownOptions(_ help: String) -> Set<String> {
    guard let start = help.range(of: "\nOPTIONS:\n") else { return [] }
    let section = help[start.upperBound...].prefix { _ in true }
    var names: Set<String> = []
    for line in section.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.isEmpty { break }
      guard line.hasPrefix("  -") else { continue }
      // The label: up to the gap before the help text.
      let label = line.dropFirst(2).components(separatedBy: "  ")[0]
      for word in label.split(separator: " ") where word.hasPrefix("-") {
        names.insert(String(word.trimmingCharacters(in: CharacterSet(charactersIn: ","))))
      }
    }
    return names
  }

  @Test(arguments: commands)
  func everyOptionTheHelpShowsIsAcceptedAndNoOther(_ words: [String]) {
    let help = devsim(words + ["--help"])
    #expect(help.code == 0, "\(help.errors)")
    let shown = Self.shownOptions(help.output)
    #expect(shown.contains("--help") && shown.contains("-h"))
    for option in shown {
      // A value after the option (taken by an option, a stray positional
      // after a flag); --help ends before values are checked.
      let result = devsim(words + [option, "1", "--help"])
      #expect(result.code == 0, "\(words) \(option) is shown but refused: \(result.errors)")
      #expect(option == "-h" || option == "--help" || help.output.contains(option))
    }
    let everyOption = Set(
      Self.commands.flatMap { Self.shownOptions(devsim($0 + ["--help"]).output) })
    for option in everyOption.union(["--bogus", "-x", "--verbose"]).subtracting(shown) {
      let result = devsim(words + [option, "1", "--help"])
      #expect(result.code == 64, "\(words) accepts \(option), which its help does not show")
      #expect(result.errors.contains("unknown option '\(option)'"), "\(result.errors)")
    }
    // The usage line names every option but -h/--help.
    let usage = HelpText.usageBlock(spec(words))
    for option in shown where option != "-h" && option != "--help" {
      let declared = spec(words).options.first { $0.long == option || $0.short == option }
      #expect(declared != nil, "\(option)")
      if let declared { #expect(usage.contains(declared.short ?? declared.long), "\(option)") }
    }
  }

  private func spec(_ words: [String]) -> CommandSpec {
    let top = DevsimTool.specs.first { $0.name == words[0] }
    guard words.count > 1, let top else { return top ?? CommandSpec(name: "", abstract: "") }
    return top.subcommand(words[1]) ?? top
  }

  @Test func theSharedOptionsAreParsedOneWayEverywhere() {
    for words in [
      ["run", "p.json"], ["tune", "p.json"], ["compare", "p.json"], ["campaign", "p.json"],
    ] {
      let result = devsim(words + ["--seed", "-3x"])
      #expect(result.code == 64)
      #expect(result.errors.contains("--seed takes a whole number ≥ 0, found '-3x'"), "\(words)")
    }
    for words in [["suite"], ["campaign", "p.json"], ["bench", "suite"]] {
      let result = devsim(words + ["-j", "0"])
      #expect(result.errors.contains("--jobs takes a whole number 1 … 256, found '0'"), "\(words)")
    }
    for words in [["run", "p.json"], ["tune", "p.json"], ["rig"]] {
      let result = devsim(words + ["--speed", "fast"])
      #expect(result.errors.contains("--speed takes max, realtime or a factor"), "\(words)")
    }
  }

  @Test func typedErrorsMapToTheTable() {
    let cases: [(any Error, ExitCode, Bool)] = [
      (UsageError("x"), .usage, true),
      (OptionValueError("--shard x"), .usage, true),
      (InputFileError(path: "p", reason: "no such file"), .noInput, false),
      (DataError("p:3: bad"), .dataError, false),
      (JSONDataError(file: "p", line: 2, path: "$.a", reason: "bad"), .dataError, false),
      (OutputFileError(path: "o", reason: "EACCES"), .ioError, false),
      (DeviceError("/dev/ttyUSB0: gone"), .ioError, false),
      (SystemError("no thread"), .ioError, false),
      (KitError.input(InputFileError(path: "p", reason: "no such file")), .noInput, false),
      (KitError.invalid("p: bad"), .dataError, false),
      (KitError.deviceFailure("d: gone"), .ioError, false),
      (KitError.option(OptionValueError("bad")), .usage, true),
      (CancellationError(), .software, false),
    ]
    for (error, code, usage) in cases {
      let failure = ExitStatus.failure(for: error)
      #expect(failure.code == code, "\(error)")
      #expect(failure.showUsage == usage, "\(error)")
    }
    #expect(ExitStatus.failure(for: DataError("p:3: bad")).message == "p:3: bad")
    #expect(
      ExitStatus.failure(for: OutputFileError(path: "o", reason: "EACCES")).message
        == "cannot write o: EACCES")
  }

  @Test func signalStopsAre128PlusTheSignal() {
    #expect(ExitCode.stopped(by: SIGINT) == .interrupted)
    #expect(ExitCode.stopped(by: SIGTERM) == .terminated)
    #expect(ExitCode.stopped(by: SIGHUP) == .hangUp)
    #expect(ExitCode.stopped(by: SIGQUIT) == .quit)
  }

  /// A missing input file exits 66 in every command that reads one.
  @Test func aMissingInputFileIs66InEveryCommand() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = directory.appendingPathComponent("none.json").path
    let profile = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json").path
    let commands: [[String]] = [
      ["run", missing], ["validate", missing], ["codegen", missing], ["plot", missing],
      ["replay", "trace.csv", "--profile", missing], ["replay", missing, "--profile", profile],
      ["campaign", missing], ["tune", missing], ["compare", missing], ["suite", missing],
      ["board", "check", missing], ["rig", missing], ["run", profile, "--board", missing],
    ]
    for command in commands {
      let result = devsim(command)
      #expect(result.code == 66, "\(command): \(result.errors)")
      #expect(result.errors.hasPrefix("Error: "), "\(command)")
      #expect(result.errors.contains("none.json: no such file"), "\(command): \(result.errors)")
    }
    // A directory given as a file is unreadable input too.
    #expect(devsim(["run", directory.path]).code == 66)
  }

  /// A device that cannot be opened is 74 and claims no safe state.
  @Test func aDeviceThatCannotBeOpenedIs74AndClaimsNoSafeState() {
    let profile = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json").path
    for command in [
      ["tune", profile, "--rig", "/dev/nonexistent"],
      ["run", profile, "--rig", "/dev/nonexistent"],
    ] {
      let result = devsim(command)
      #expect(result.code == 74, "\(command): \(result.errors)")
      #expect(result.errors.contains("/dev/nonexistent"), "\(result.errors)")
      #expect(!result.errors.contains("safe state"), "\(command): \(result.errors)")
    }
  }

  @Test func theReadmeQuotesTheExitCodeTable() throws {
    let readme = try String(
      contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(
      readme.contains("```text\n" + ExitCode.table + "```\n"),
      "README: paste `devsim help exit-codes`")
    #expect(devsim(["help", "exit-codes"]).output.hasSuffix(ExitCode.table))
  }

  @Test func everyCommandsHelpListsUsageAndExitCodesFromTheTable() {
    for words in Self.commands {
      let help = devsim(["help"] + words)
      #expect(help.code == 0, "\(words)")
      #expect(help.output.contains("USAGE: devsim \(words.joined(separator: " "))"), "\(words)")
      #expect(help.output.contains("EXIT CODES:\n"), "\(words)")
      #expect(help.output.contains("  64   "), "\(words)")
    }
  }
}
