import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// Messages a user reads: trips with units, ranges without float noise,
/// the right article, no front reported where none formed, the dose site
/// said, and `compare`'s table valid Markdown.
@Suite(.tags(.io)) struct MessageWordingTests {
  private func path(_ relative: String) -> String {
    repositoryRoot.appendingPathComponent(relative).path
  }

  /// A shipped profile as a JSON object, to change and write elsewhere.
  private func profileObject(_ relative: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  private func write(_ object: [String: Any], to url: URL) throws {
    try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]).write(to: url)
  }

  /// The suite's log line of a trip carries its reading and limit with
  /// their unit; `run --json` names the unit.
  @Test func tripReadingsCarryTheirUnits() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = "Profiles/faults/cryo-plate-open.json"
    let suite = devsim(["suite", path(profile), "--verbose"])
    #expect(suite.code == 0, "\(suite.errors)")
    let line = try #require(
      suite.output.split(separator: "\n").first { $0.hasPrefix("  trip sensor-plausibility") })
    // The plate's open thermistor reads far below the plausible range's low end.
    let pattern = #/ \(reading (-?[0-9.]+) °C, limit (-?[0-9.]+) °C\): /#
    let match = try #require(line.firstMatch(of: pattern), "\(line)")
    let reading = try #require(Double(match.1))
    let limit = try #require(Double(match.2))
    #expect(reading < limit, "\(line)")
    let loaded = try loadShipped(profile).profile
    #expect(abs(limit - loaded.safety.plausibleRange.lowCelsius) < 0.005, "\(line)")

    let json = directory.appendingPathComponent("run.json").path
    #expect(devsim(["run", path(profile), "--json", json, "--quiet"]).code == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
        as? [String: Any])
    let trips = try #require(object["trips"] as? [[String: Any]])
    #expect(trips.first?["unit"] as? String == "°C")
  }

  /// A bound computed in metres and shown in millimetres reads as a number a
  /// person wrote: the profile's depth range is 0 … 42 mm, not 0 … 41.99999999999999.
  @Test func rangesAreWrittenWithoutFloatNoise() throws {
    #expect(boundText(41.99999999999999) == "42")
    #expect(boundText(0.0005) == "0.0005")
    #expect(boundText(-0.0) == "0")
    #expect(boundText(-13.5) == "-13.5")
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var object = try profileObject("Profiles/cryolipolysis-35min.json")
    var sensors = try #require(object["sensors"] as? [[String: Any]])
    let fat = try #require(sensors.firstIndex { $0["name"] as? String == "fat-7mm" })
    sensors[fat]["depthMm"] = 50
    object["sensors"] = sensors
    let file = directory.appendingPathComponent("deep.json")
    try write(object, to: file)
    let result = devsim(["validate", file.path])
    #expect(result.code == 65)
    let plant = try loadShipped("Profiles/cryolipolysis-35min.json").profile.plant
    let total =
      (plant.skinThicknessMetres + plant.fatThicknessMetres + plant.muscleThicknessMetres) * 1e3
    #expect(result.errors.contains("50 is outside 0 … \(Int(total.rounded()))"), "\(result.errors)")
    #expect(!result.errors.contains("99999"), "\(result.errors)")
  }

  @Test func checkNamesTakeTheirArticle() throws {
    #expect(IndefiniteArticle.before("actuator-fault") == "an actuator-fault")
    #expect(IndefiniteArticle.before("interlock") == "an interlock")
    #expect(IndefiniteArticle.before("out-of-window") == "an out-of-window")
    #expect(IndefiniteArticle.before("hard-low") == "a hard-low")
    // A fault expecting an actuator-fault trip that a plausibility trip beats.
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = try String(
      contentsOfFile: path("Profiles/faults/cryo-plate-open.json"), encoding: .utf8
    ).replacingOccurrences(
      of: "\"check\": \"sensor-plausibility\"", with: "\"check\": \"actuator-fault\"")
    let file = directory.appendingPathComponent("wrong.json").path
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    let result = devsim(["run", file])
    #expect(result.code == 1)
    #expect(
      result.output.contains(
        "expected an actuator-fault trip, but sensor-plausibility tripped"), "\(result.output)")
  }

  /// A cryolipolysis run too short for the skin surface to reach +10 °C
  /// says no front formed (not "reached 0.00 mm"); a profile without a fat
  /// sensor says where its dose is counted.
  @Test func noFrontAndTheDoseSiteAreSaid() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var object = try profileObject("Profiles/cryolipolysis-35min.json")
    object["run"] = ["duration": "5s"]
    var sensors = try #require(object["sensors"] as? [[String: Any]])
    sensors.removeAll { $0["name"] as? String == "fat-7mm" }
    for index in sensors.indices { sensors[index]["dose"] = nil }
    object["sensors"] = sensors
    object["expect"] = nil
    let file = directory.appendingPathComponent("no-fat.json")
    try write(object, to: file)
    let result = devsim(["run", file.path])
    #expect(result.code == 0 || result.code == 1, "\(result.errors)")
    #expect(
      result.output.contains(
        "depth  no +10 °C front formed (the skin surface stayed above +10 °C)"), "\(result.output)")
    #expect(!result.output.contains("front reached"))
    #expect(
      result.output.contains(
        "(the dose is counted at plate, on the plate, not in fat: the profile has no fat "
          + "sensor, so the control sensor carries the dose)"), "\(result.output)")
    // The shipped profile counts it in fat, and says nothing more.
    let shipped = devsim(["run", path("Profiles/cryolipolysis-35min.json")])
    #expect(!shipped.output.contains("the dose is counted at"))
    #expect(shipped.output.contains("+10 °C front reached"))
  }

  /// `compare`'s table is valid GitHub Markdown: every row has as many cells
  /// as the header (a pipe inside a cell is escaped), and the delimiter row
  /// has one `---` cell per column.
  @Test func theCompareTableIsValidMarkdown() throws {
    let result = devsim(["compare", path("Profiles/cryolipolysis-35min.json")])
    #expect(result.code == 0, "\(result.errors)")
    let rows = result.output.split(separator: "\n").filter { $0.hasPrefix("|") }
    try #require(rows.count == 5, "\(result.output)")
    /// Cells split at pipes that are not escaped.
    func cells(_ row: Substring) -> [String] {
      var cells: [String] = []
      var cell = ""
      var escaped = false
      for character in row.dropFirst() {
        if character == "|" && !escaped {
          cells.append(cell.trimmingWhitespace())
          cell = ""
        } else {
          cell.append(character)
        }
        escaped = character == "\\" && !escaped
      }
      return cells
    }
    let header = cells(rows[0])
    #expect(header.count == 10)
    #expect(header.contains("mean \\|u\\|") && header.contains("Σ\\|Δu\\|"))
    for row in rows {
      #expect(cells(row).count == header.count, "\(row)")
      #expect(row.hasSuffix("|"))
    }
    #expect(cells(rows[1]).allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 == "-" } })
    #expect(cells(rows[2]).first == "hand-tuned")
  }
}
