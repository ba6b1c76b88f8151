import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit

/// Results that are judged even where a profile says nothing: a treatment's
/// setpoint lies in its window, and a treatment must enter its window.
@Suite(.tags(.safety)) struct ResultJudgementTests {
  private func standardCryo(_ edit: (String) -> String) throws -> Profile {
    let source = try String(
      contentsOf: repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json"),
      encoding: .utf8)
    return try ProfileDecoder.decode(Array(edit(source).utf8), file: "p.json")
  }

  @Test("a treatment setpoint outside its own window is refused, naming the phase's setpoint")
  func aSetpointOutsideTheWindowIsRefused() {
    do {
      _ = try standardCryo {
        $0.replacingOccurrences(of: "\"setpoint\": -12,", with: "\"setpoint\": -5,")
      }
      Issue.record("accepted")
    } catch {
      let message = "\(error)"
      #expect(message.contains("$.phases[0].setpoint"), "\(message)")
      #expect(message.contains("outside the window -13 … -11 °C"), "\(message)")
    }
  }

  @Test("a treatment that runs to its planned end without entering its window fails by default")
  func neverEnteringTheWindowFails() throws {
    // 30 s of treatment: the plate cannot get from 25 °C to -12 °C so soon.
    let profile = try standardCryo {
      $0.replacingOccurrences(of: "\"duration\": \"35m\"", with: "\"duration\": \"30s\"")
        .replacingOccurrences(of: ", \"timeInWindowAtLeast\": 0.95", with: "")
    }
    var sink = DiscardingSink()
    let outcome = try Scenario.run(
      profile, seed: profile.seed, pacing: .maximum, sink: &sink, stop: NeverStop())
    #expect(outcome.trip == nil)
    #expect(
      ExpectationCheck.failures(profile, outcome)
        == ["phase cool-and-hold: ran to its planned end without entering its window"])
  }
}

@Suite(.tags(.safety)) struct TissueWarningTests {
  @Test("skin tissue beyond the skin's hard limit is a WARNING line in the summary and in JUnit")
  func skinBeyondItsHardLimitIsWarned() throws {
    let path = "Profiles/faults/laser-warm-cooling-plate.json"
    let run = devsim(["run", path])
    #expect(
      run.output.contains("WARNING: the skin (tissue, not a probe) reached")
        && run.output.contains("at or above the hard limit 43.00 °C on the skin"), "\(run.output)")
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let junit = directory.appendingPathComponent("j.xml").path
    _ = devsim(["suite", path, "--quiet", "--junit", junit])
    #expect(try String(contentsOfFile: junit, encoding: .utf8).contains("name=\"warning.1\""))
    let standard = devsim(["run", "Profiles/laser-lipolysis-25min.json"])
    #expect(
      !standard.output.contains("WARNING"), "the standard treatment keeps the skin below 43 °C")
  }
}
