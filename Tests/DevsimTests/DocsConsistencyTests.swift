import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit
@testable import devsim

/// Docs that cannot drift: no reference outside the repository; the check
/// names, options, fault kinds, commands and figures the docs quote agree
/// with the code; the minimal profiles they show validate and run; every
/// command they show is annotated (scripts/docs-commands.py runs them in CI).
@Suite struct DocsConsistencyTests {
  /// The documents: README.md, Profiles/README.md, docs/*.md.
  static let documents: [String] = {
    let docs =
      (try? FileManager.default.contentsOfDirectory(
        atPath: repositoryRoot.appendingPathComponent("docs").path)) ?? []
    return ["README.md", "Profiles/README.md"]
      + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
  }()

  static func text(_ relative: String) -> String {
    (try? String(contentsOf: repositoryRoot.appendingPathComponent(relative), encoding: .utf8))
      ?? ""
  }

  /// The text with every run of whitespace as one space (figures wrap).
  static func flat(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  /// The lines of every ```sh block and the `$ ` lines of ```console blocks,
  /// without trailing comments.
  static func commands(_ text: String) -> [String] {
    var found: [String] = []
    var info: String? = nil
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("```") {
        info = info == nil ? String(line.dropFirst(3)) : nil
        continue
      }
      var command: Substring
      switch info {
      case "sh": command = line
      case "console" where line.hasPrefix("$ "): command = line.dropFirst(2)
      default: continue
      }
      if let hash = command.range(of: " #") { command = command[..<hash.lowerBound] }
      let trimmed = command.trimmingCharacters(in: .whitespaces)
      if !trimmed.isEmpty { found.append(trimmed) }
    }
    return found
  }

  static let checkNames = SafetyCheck.allCases.map { "\($0.name)" }

  @Test(arguments: documents)
  func noReferenceLeavesTheRepository(_ document: String) {
    let text = Self.text(document)
    #expect(!text.isEmpty)
    for outside in ["physics.md", "io.md", "DESIGN.md", "../shared", "DESIGN §"] {
      #expect(!text.contains(outside), "\(document) names \(outside)")
    }
    // Every relative link resolves to a file of the repository.
    let base = repositoryRoot.appendingPathComponent(document).deletingLastPathComponent()
    let pattern = /\]\(([^)\s]+)\)/
    for match in text.matches(of: pattern) {
      let target = String(match.1)
      if target.hasPrefix("http") || target.hasPrefix("#") { continue }
      let path = String(target.split(separator: "#", maxSplits: 1)[0])
      let resolved = base.appendingPathComponent(path).standardizedFileURL.path
      #expect(resolved.hasPrefix(repositoryRoot.standardizedFileURL.path), "\(document): \(target)")
      #expect(FileManager.default.fileExists(atPath: resolved), "\(document): \(target)")
    }
  }

  @Test func theProfileFormatListsEveryCheckName() throws {
    let text = Self.flat(Self.text("Profiles/README.md"))
    let start = try #require(text.range(of: "Check names: "))
    let sentence = text[start.upperBound...].prefix { $0 != "(" && $0 != "." }
    let listed = sentence.matches(of: /`([a-z-]+)`/).map { String($0.1) }
    #expect(listed == Self.checkNames)
  }

  @Test func theAbsoluteLimitsSectionNamesEveryField() throws {
    let text = Self.text("docs/safety.md")
    let start = try #require(text.range(of: "## Absolute limits"))
    let section = text[start.upperBound...]
    for field in AbsoluteLimits.fields {
      #expect(section.contains("`\(field)`"), "docs/safety.md does not name \(field)")
    }
  }

  @Test func theSafetyTableHasOneRowPerCheck() throws {
    let text = Self.text("docs/safety.md")
    let start = try #require(text.range(of: "### The checks and their defaults"))
    let section = text[start.upperBound...]
    let end = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
    let rows = section[..<end].split(separator: "\n").filter { $0.hasPrefix("| `") }
    let names = rows.compactMap { $0.firstMatch(of: /^\| `([a-z-]+)`/).map { String($0.1) } }
    #expect(names == Self.checkNames)
  }

  /// Options of tools other than devsim that the docs name.
  static let foreignOptions: Set<String> = [
    "--explicit-target-dependency-import-check",  // swift build
    "--gc-sections",  // ld.lld, in the embedded check
    "--link-faults", "--until-trip", "--no-control",  // scripts/firmware-pil.sh
    "--test",  // bazel test --test_filter (the match ends at its underscore)
  ]

  @Test func everyOptionTheDocsNameIsDeclared() {
    let specs = DevsimTool.specs.flatMap { [$0] + $0.subcommands }
    let declared = Set(specs.flatMap(\.acceptedOptions).flatMap { [$0.long] + [$0.short ?? ""] })
      .union(["--version"])
    for document in Self.documents {
      let text = Self.text(document)
      for match in text.matches(of: /(^|[^\w-])(--[a-z][a-z0-9-]+)/) {
        let option = String(match.2)
        #expect(
          declared.contains(option) || Self.foreignOptions.contains(option),
          "\(document) names \(option), which no command declares")
      }
      // An option on a command line must be that command's.
      for line in Self.commands(text) {
        let words = line.split(separator: " ").map(String.init)
        guard let at = words.firstIndex(of: "devsim"), at + 1 < words.count else { continue }
        guard var spec = DevsimTool.specs.first(where: { $0.name == words[at + 1] }) else {
          Issue.record("\(document): '\(line)' names no devsim command")
          continue
        }
        if !spec.subcommands.isEmpty, at + 2 < words.count,
          let sub = spec.subcommand(words[at + 2])
        {
          spec = sub
        }
        let accepted = Set(spec.acceptedOptions.flatMap { [$0.long] + [$0.short ?? ""] })
        for word in words[(at + 2)...] where word.hasPrefix("-") && word.count > 1 {
          #expect(accepted.contains(word), "\(document): \(spec.name) does not take \(word)")
        }
      }
    }
  }

  @Test func theReadmeTablesEveryCommand() {
    let readme = Self.text("README.md")
    for spec in DevsimTool.specs {
      #expect(readme.contains("| `devsim \(spec.name)"), "the commands table lacks \(spec.name)")
    }
  }

  @Test func theRigProtocolQuotesTheFaultKindTable() throws {
    let text = Self.text("docs/rig-protocol.md")
    let start = try #require(text.range(of: "## Fault kinds"))
    let rows = text[start.upperBound...].split(separator: "\n").filter { $0.hasPrefix("| `") }
    let quoted = rows.map { row in
      row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    }
    let expected = FaultKinds.all.map { ["`\($0.profile)`", "`\($0.scpi)`", $0.target.rawValue] }
    #expect(quoted == expected)
  }

  @Test func theFiguresTheReadmeQuotesAreTrue() throws {
    let readme = Self.flat(Self.text("README.md"))
    // The number of shipped scenarios.
    let count = try #require(readme.firstMatch(of: /the report of the (\d+) shipped scenarios/))
    #expect(Int(count.1) == shippedProfiles().count)
    // The standard run's CSV and SVG sizes.
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let csv = directory.appendingPathComponent("run.csv").path
    let svg = directory.appendingPathComponent("run.svg").path
    let profile = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json").path
    #expect(devsim(["run", profile, "-o", csv, "--plot", svg, "--quiet"]).code == 0)
    let csvBytes = try #require(
      try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int)
    let svgBytes = try #require(
      try FileManager.default.attributesOfItem(atPath: svg)[.size] as? Int)
    let quotedCSV = try #require(readme.firstMatch(of: /writing a ([\d.]+) MB CSV/))
    #expect(abs(Double(quotedCSV.1)! * 1e6 - Double(csvBytes)) <= 0.05e6, "CSV \(csvBytes) bytes")
    let quotedSVG = try #require(
      readme.firstMatch(of: /the SVG of a 37-minute run is about (\d+) KB/))
    #expect(
      abs(Double(quotedSVG.1)! * 1e3 - Double(svgBytes)) <= 0.05 * Double(svgBytes),
      "SVG \(svgBytes) bytes")
  }

  /// Runs devsim in-process on paths relative to the repository root, and
  /// prints them as a user there sees them.
  static func devsimInRoot(_ words: [String]) -> (code: Int32, output: String) {
    let root = repositoryRoot.path + "/"
    let result = devsim(words.map { $0.hasPrefix("Profiles/") ? root + $0 : $0 })
    return (result.code, result.output.replacingOccurrences(of: root, with: ""))
  }

  /// The wall-clock figures of a summary's `time` line, which vary by machine.
  static func maskingWallTime(_ text: String) -> String {
    text.replacing(/in [\d.]+ s wall \([\d.]+× real time\)/, with: "in … s wall (…× real time)")
  }

  @Test func theQuickStartShowsWhatTheRunPrints() throws {
    let readme = Self.text("README.md")
    let block = try #require(readme.firstMatch(of: /prints:\n\n```text\n([\s\S]*?)```/))
    let run = Self.devsimInRoot(["run", "Profiles/cryolipolysis-35min.json"])
    #expect(run.code == 0)
    #expect(Self.maskingWallTime(String(block.1)) == Self.maskingWallTime(run.output))
  }

  @Test func theCompareTranscriptIsWhatComparePrints() throws {
    let readme = Self.text("README.md")
    let block = try #require(readme.firstMatch(of: /```console\n([\s\S]*?)```/))
    var transcript = ""
    for line in String(block.1).split(separator: "\n") where line.hasPrefix("$ devsim ") {
      let words = line.dropFirst("$ devsim ".count).split(separator: " ").map(String.init)
      let result = Self.devsimInRoot(words)
      #expect(result.code == 0)
      transcript += (transcript.isEmpty ? "" : "\n") + line + "\n" + result.output
    }
    #expect(String(block.1) == transcript)
  }

  @Test func theMinimalProfilesValidateAndHoldTheirWindow() throws {
    let text = Self.text("Profiles/README.md")
    let blocks = text.matches(of: /```json\n([\s\S]*?)```/).map { String($0.1) }
      .filter { $0.contains("\"schemaVersion\"") }
    #expect(blocks.count == 2)
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var modes: Set<String> = []
    for (index, block) in blocks.enumerated() {
      let file = directory.appendingPathComponent("minimal-\(index).json")
      try Data(block.utf8).write(to: file)
      let loaded = try ProfileLoader.load(file.path)
      modes.insert(loaded.profile.mode == .cryolipolysis ? "cryo" : "laser")
      let run = devsim(["run", file.path])
      #expect(run.code == 0, "\(run.output)")
      #expect(run.output.contains("trips  none"))
    }
    #expect(modes == ["cryo", "laser"])
  }

  @Test func whatTheDocsCommandsWriteIsIgnoredByGit() {
    let ignored = Set(Self.text(".gitignore").split(separator: "\n").map(String.init))
    for document in Self.documents {
      for line in Self.commands(Self.text(document)) where line.contains("devsim") {
        let words = line.split(separator: " ").map(String.init)
        for (index, word) in words.enumerated().dropLast()
        where ["-o", "--out", "--plot", "--junit", "--json", "--html", ">"].contains(word) {
          #expect(ignored.contains("/" + words[index + 1]), "\(document): \(line)")
        }
      }
    }
  }

  @Test(
    .enabled(
      if: toolsRequired || installedTool(["/usr/bin/python3", "/usr/local/bin/python3"]) != nil,
      "needs python3 to run scripts/docs-commands.py"))
  func everyCommandInTheDocsIsAnnotatedOrSkippedWithAReason() throws {
    let python = try #require(
      installedTool(["/usr/bin/python3", "/usr/local/bin/python3"]), "python3 is required")
    let check = try runProcess(python, ["scripts/docs-commands.py", "--check"])
    #expect(check.status == 0, "\(check.errors)")
    #expect(check.output.contains(" to run, "))
  }
}
