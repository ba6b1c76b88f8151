import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// `devsim replay`: the profile taken from the telemetry's first line,
/// `--plot`, and the controller that starts at rest at the trace's first row.
@Suite(.tags(.io)) struct ReplayTests {
  private let standard = "Profiles/cryolipolysis-35min.json"

  /// Runs the standard cryo profile with telemetry into `directory`; returns the CSV's path.
  private func record(in directory: URL) throws -> String {
    let csv = directory.appendingPathComponent("recorded.csv").path
    let result = devsim(["run", standard, "-o", csv, "--quiet"])
    #expect(result.code == 0, "\(result.output)\(result.errors)")
    return csv
  }

  /// The rows of a devsim CSV, by column name (comment lines skipped).
  private func rows(_ path: String) throws -> [[String: String]] {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
      .filter { !$0.hasPrefix("#") }
    let header = try #require(lines.first).split(separator: ",").map(String.init)
    return lines.dropFirst().map { line in
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      return Dictionary(uniqueKeysWithValues: zip(header, cells))
    }
  }

  /// Without `--profile`, the profile is the one the telemetry's first line
  /// names: the same telemetry, byte for byte, as naming it; and fed its
  /// own run from the first row, the controller reproduces the recorded
  /// commands (the readings are the same, up to the CSV's 0.001 °C).
  @Test func theProfileComesFromTheTelemetryHeader() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let recorded = try record(in: directory)
    let implicit = directory.appendingPathComponent("implicit.csv").path
    let explicit = directory.appendingPathComponent("explicit.csv").path
    let withoutProfile = devsim(["replay", recorded, "-o", implicit])
    #expect(withoutProfile.code == 0, "\(withoutProfile.output)\(withoutProfile.errors)")
    #expect(
      withoutProfile.output.contains("\nprofile \(standard)  sha256 "), "\(withoutProfile.output)")
    let withProfile = devsim(["replay", recorded, "--profile", standard, "-o", explicit])
    #expect(withProfile.code == 0, "\(withProfile.errors)")
    #expect(
      try Data(contentsOf: URL(fileURLWithPath: implicit))
        == Data(contentsOf: URL(fileURLWithPath: explicit)))

    // Readings rounded to 0.001 °C move the command by at most kp × 0.0005
    // (kp 0.3) plus ki × 0.0005 °C × the elapsed time in the integral
    // (ki 0.01/s, at most 37 min), and the CSV prints commands to 0.0001.
    let tolerance = 0.3 * 0.0005 + 0.01 * 0.0005 * 37 * 60 + 0.0001
    let original = try rows(recorded)
    let replayed = try rows(implicit)
    // Every recorded row is a row of the trace (the recording's closing
    // record too, one period after its last tick); the replay adds its own.
    #expect(replayed.count == original.count + 1)
    for (a, b) in zip(original, replayed) where a["state"] == "running" {
      let recordedCommand = try #require(a["controller_command_fraction"].flatMap(Double.init))
      let replayedCommand = try #require(b["controller_command_fraction"].flatMap(Double.init))
      #expect(
        abs(recordedCommand - replayedCommand) <= tolerance,
        "at \(a["time_s"] ?? "?") s: recorded \(recordedCommand), replayed \(replayedCommand)")
    }
  }

  /// A trace that starts mid-treatment: the replay's controller starts at
  /// rest, and the summary says so. At a steady hold the plate needs steady
  /// cooling that only the recorded controller's integral supplies (its
  /// error is near zero), so the first replayed command differs from the
  /// recorded one by that integral.
  @Test func aTraceFromMidTreatmentStartsTheControllerAtRest() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let recorded = try record(in: directory)
    // Keep the comment lines and the header; rows from 20:00 on.
    let lines = try String(contentsOfFile: recorded, encoding: .utf8).split(separator: "\n")
    let kept = lines.filter { line in
      guard !line.hasPrefix("#"), !line.hasPrefix("time_s"),
        let time = Double(line.prefix { $0 != "," })
      else { return true }
      return time >= 1200
    }
    let cut = directory.appendingPathComponent("from-20min.csv").path
    try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: cut))
    let out = directory.appendingPathComponent("replayed.csv").path
    let result = devsim(["replay", cut, "-o", out])
    #expect(
      result.output.contains("the controller starts at rest at 20:00.0 (zero integral)"),
      "\(result.output)")
    let first = try #require(rows(cut).first)
    let replayedFirst = try #require(rows(out).first)
    #expect(first["time_s"] == "1200.000" && replayedFirst["time_s"] == "1200.000")
    let recordedCommand = try #require(first["controller_command_fraction"].flatMap(Double.init))
    let replayedCommand = try #require(
      replayedFirst["controller_command_fraction"].flatMap(Double.init))
    let plate = try #require(first["plate_degC"].flatMap(Double.init))
    #expect(abs(plate - -12) < 0.5, "holding: \(plate) °C")
    #expect(recordedCommand < -0.1, "a steady hold at -12 °C needs cooling: \(recordedCommand)")
    #expect(
      abs(replayedCommand - recordedCommand) > 0.1,
      "recorded \(recordedCommand), replayed \(replayedCommand)")
  }

  /// The provenance line as `TelemetryProvenance` writes it, read back: a
  /// path with spaces whole; anything that is not a whole provenance, nothing.
  @Test func theProvenanceLineIsReadBackWhole() {
    let hash = String(repeating: "0123456789abcdef", count: 4)
    let written = TelemetryProvenance(
      toolVersion: "0.1.0", seed: 7, profilePath: "My Profiles/a b.json", profileSHA256: hash)
    #expect(
      TraceProvenance.parse(firstLine: "# \(written.line)"[...])
        == TraceProvenance(profilePath: "My Profiles/a b.json", profileSHA256: hash))
    for line in [
      "# devsim 0.1.0 seed=7 profile=a.json",
      "# devsim 0.1.0 seed=7 profile= profile_sha256=\(hash)",
      "# devsim 0.1.0 seed=7 profile=a.json profile_sha256=\(hash.uppercased())",
      "# devsim 0.1.0 seed=7 profile=a.json profile_sha256=\(hash.dropLast())",
      "# a comment profile=a.json profile_sha256=\(hash)", "time_s,plate_degC",
    ] {
      #expect(TraceProvenance.parse(firstLine: line[...]) == nil, "\(line)")
    }
  }

  /// `replay --plot` draws the replay as `run --plot` does: from the
  /// trace's first row, with the trip the recorded incident must produce.
  @Test func replayDrawsItsPlot() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let svg = directory.appendingPathComponent("replay.svg").path
    let result = devsim([
      "replay", "Profiles/traces/plate-sensor-falls-off.csv", "--profile",
      "Profiles/traces/plate-sensor-falls-off.json", "--plot", svg,
    ])
    #expect(result.code == 0, "\(result.output)\(result.errors)")
    let tree = try XMLTree.parse(contentsOf: svg)
    #expect(
      tree.classed("trip-marker").first?.attributes["data-check"]?.hasPrefix("rate-of-change")
        == true)
    // The trace's first row is at 11:00.
    let ticks = try #require(tree.classed("time-axis").first).descendants
      .filter { $0.name == "text" && $0.attributes["text-anchor"] == "middle" }
      .compactMap { Double($0.allText) }
    #expect(ticks.count >= 2 && ticks.allSatisfy { $0 >= 11 - 1e-9 }, "\(ticks)")
    #expect(tree.classed("sensor").count == 5)
  }

  /// A trace in the minimal form names no profile: without `--profile`, a
  /// usage error that says what to give, and no output written.
  @Test func aMinimalTraceNeedsTheProfileOption() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("never.csv").path
    let result = devsim(["replay", "Profiles/traces/plate-sensor-falls-off.csv", "-o", out])
    #expect(result.code == 64)
    #expect(
      result.errors.contains("plate-sensor-falls-off.csv names no profile"), "\(result.errors)")
    #expect(result.errors.contains("give --profile <profile>"))
    #expect(!FileManager.default.fileExists(atPath: out))
    // A recorded incident's provenance line, under its own comments, names
    // the recording firmware's profile, which is not a file here.
    let incident = devsim(["replay", "Profiles/traces/skin-freeze-event.csv"])
    #expect(incident.code == 66)
    #expect(
      incident.errors.contains(
        "old-firmware: no such file (the profile the header of Profiles/traces/skin-freeze-event.csv names; give --profile <profile>)"
      ), "\(incident.errors)")
  }

  /// A header naming a profile that is gone is a missing input (66); one
  /// naming a profile changed since the recording is refused (65): the
  /// replay would not be of the recorded configuration.
  @Test func aHeaderProfileGoneOrChangedIsRefused() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = directory.appendingPathComponent("profile.json").path
    try FileManager.default.copyItem(
      atPath: repositoryRoot.appendingPathComponent(standard).path, toPath: profile)
    let csv = directory.appendingPathComponent("run.csv").path
    #expect(devsim(["run", profile, "-o", csv, "--quiet"]).code == 0)

    var text = try String(contentsOfFile: profile, encoding: .utf8)
    text = text.replacingOccurrences(of: "\"seed\": 1", with: "\"seed\": 2")
    try Data(text.utf8).write(to: URL(fileURLWithPath: profile))
    let changed = devsim(["replay", csv])
    #expect(changed.code == 65)
    #expect(changed.errors.contains("the profile changed since the recording"), "\(changed.errors)")
    #expect(changed.errors.contains("give --profile \(profile)"))
    // Named explicitly, the changed profile is used as it is now.
    #expect(devsim(["replay", csv, "--profile", profile, "--quiet"]).code == 0)

    try FileManager.default.removeItem(atPath: profile)
    let gone = devsim(["replay", csv])
    #expect(gone.code == 66)
    #expect(
      gone.errors.contains("\(profile): no such file (the profile the header of \(csv) names"),
      "\(gone.errors)")
  }
}
