import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// `validate DIR`, `list`, `run --json`, completions and the man page
/// generated from the declarations, the build configuration in `bench`.
@Suite struct CommandAdditionsTests {
  let profiles = repositoryRoot.appendingPathComponent("Profiles").path

  @Test func validateTakesDirectoriesRecursively() throws {
    let result = devsim(["validate", profiles, "--quiet"])
    #expect(result.code == 0, "\(result.errors)")
    let count = shippedProfiles().count
    #expect(result.output == "\(count) valid, 0 invalid\n")
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let nested = directory.appendingPathComponent("a/b")
    try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
    try Data("{ \"schemaVersion\": 1 }".utf8).write(to: nested.appendingPathComponent("x.json"))
    let bad = devsim(["validate", directory.path])
    #expect(bad.code == 65)
    #expect(bad.errors.contains("a/b/x.json"))
    let empty = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: empty) }
    let none = devsim(["validate", empty.path])
    #expect(none.code == 65)
    #expect(none.errors.contains("no profiles (*.json) found"))
    #expect(devsim(["validate", empty.path + "/missing"]).code == 66)
  }

  @Test func listShowsNameModeAndDescription() throws {
    let result = devsim(["list", profiles])
    #expect(result.code == 0, "\(result.errors)")
    let lines = result.output.split(separator: "\n")
    #expect(lines.count == shippedProfiles().count + 1)
    let cryo = try #require(lines.first { $0.contains("cryolipolysis-35min.json") })
    #expect(cryo.contains("  cryolipolysis-35min  "))
    #expect(cryo.contains("  cryolipolysis  "))
    #expect(cryo.contains("Standard cryolipolysis cycle"))
    #expect(lines.last == "\(shippedProfiles().count) profiles")
    #expect(devsim(["list", profiles + "/nowhere"]).code == 66)
  }

  @Test func runWritesItsJSONSummary() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("summary.json")
    let profile = repositoryRoot.appendingPathComponent("Profiles/faults/cryo-plate-open.json")
    let result = devsim(["run", profile.path, "--json", file.path, "--quiet"])
    #expect(result.code == 0, "\(result.errors)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    #expect(object["schema"] as? String == "devsim-run-summary/1")
    #expect(object["name"] as? String == "cryo-plate-open")
    #expect(object["result"] as? String == "pass")
    #expect(object["end"] as? String == "tripped")
    let trips = try #require(object["trips"] as? [[String: Any]])
    #expect(trips.first?["check"] as? String == "sensor-plausibility")
    #expect(trips.first?["subject"] as? String == "on plate")
    #expect(trips.first?["reactionFromInjectionSeconds"] as? Double == 0.3)
    let phases = try #require(object["phases"] as? [[String: Any]])
    #expect(phases.first?["kind"] as? String == "treatment")
    #expect((phases.first?["timeInWindow"] as? Double ?? 0) > 0.99)
    let sensors = try #require(object["sensors"] as? [[String: Any]])
    #expect(sensors.count == 5)
    let dose = try #require(object["dose"] as? [String: Any])
    #expect(dose["sensor"] as? String == "fat-7mm")
    // Every top-level key is documented in the README's schema section.
    let readme = try String(
      contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    for key in object.keys { #expect(readme.contains("`\(key)`"), "README lacks \(key)") }
  }

  @Test(
    .enabled(
      if: toolsRequired || installedTool(["/bin/bash", "/usr/bin/bash"]) != nil,
      "needs bash to source the completion"))
  func theGeneratedBashCompletionCompletesRuToRun() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let script = directory.appendingPathComponent("devsim.bash")
    let generated = devsim(["completions", "bash"])
    #expect(generated.code == 0)
    try Data(generated.output.utf8).write(to: script)
    let bash = try #require(installedTool(["/bin/bash", "/usr/bin/bash"]), "bash is required")
    let probe = """
      source '\(script.path)'
      complete -p devsim >/dev/null || exit 3
      COMP_WORDS=(devsim ru); COMP_CWORD=1; _devsim; echo "${COMPREPLY[*]}"
      COMP_WORDS=(devsim suite --verb); COMP_CWORD=2; _devsim; echo "${COMPREPLY[*]}"
      COMP_WORDS=(devsim bench ti); COMP_CWORD=2; _devsim; echo "${COMPREPLY[*]}"
      COMP_WORDS=(devsim rig ch); COMP_CWORD=2; _devsim; echo "${COMPREPLY[*]}"
      COMP_WORDS=(devsim rig --proto); COMP_CWORD=2; _devsim; echo "${COMPREPLY[*]}"
      COMP_WORDS=(devsim rig check r.json --po); COMP_CWORD=4; _devsim; echo "${COMPREPLY[*]}"
      """
    let run = try runProcess(bash, ["-c", probe])
    #expect(run.status == 0, "\(run.errors)")
    #expect(run.output == "run\n--verbose\ntick\ncheck\n--protocol\n--port\n")
    #expect(devsim(["completions", "tcsh"]).code == 64)
  }

  @Test func everyCompletionNamesEveryDeclaredOption() {
    for shell in GeneratedDocs.Shell.allCases {
      let text = devsim(["completions", shell.rawValue]).output
      let specs = DevsimTool.specs.flatMap {
        $0.subcommands.isEmpty || $0.runsWithoutSubcommand ? [$0] + $0.subcommands : $0.subcommands
      }
      for spec in specs {
        #expect(text.contains(GeneratedDocs.leaf(spec)), "\(shell) \(spec.name)")
        for option in spec.options {
          let name = shell == .fish ? "-l \(option.long.dropFirst(2))" : option.long
          #expect(text.contains(name), "\(shell) lacks \(spec.name) \(option.long)")
        }
      }
    }
  }

  @Test(
    .enabled(
      if: toolsRequired || installedTool(["/usr/bin/man"]) != nil,
      "needs man (man-db) and groff to render the page"))
  func theManPageRendersWithoutWarnings() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let page = directory.appendingPathComponent("devsim.1")
    let generated = devsim(["man"])
    #expect(generated.code == 0)
    try Data(generated.output.utf8).write(to: page)
    let man = try #require(installedTool(["/usr/bin/man"]), "man is required")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: man)
    process.arguments = ["--warnings", "-l", page.path]
    process.environment = [
      "LC_ALL": "C.UTF-8", "MANWIDTH": "100", "MANPAGER": "cat", "PATH": "/usr/bin:/bin",
    ]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let problems = String(
      decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(problems.isEmpty, "man warned: \(problems)")
    for spec in DevsimTool.specs { #expect(text.contains("devsim \(spec.name)")) }
    #expect(text.contains("EXIT STATUS"))
  }

  @Test func benchNamesTheBuildConfiguration() {
    let result = devsim(["bench", "plant", "--ticks", "10"])
    #expect(result.code == 0)
    #if DEBUG
      #expect(result.output.hasPrefix("devsim \(Version.string), debug build"))
    #else
      #expect(result.output.hasPrefix("devsim \(Version.string), release build\n"))
    #endif
  }
}
