import Foundation
import Testing

@testable import DevsimKit
@testable import devsim

/// Bad profiles are refused with exit 65 and a message naming the file,
/// the line and the JSON path of the offending value.
@Suite struct ProfileDecoderTests {
  /// A valid minimal cryo profile as JSON text; cases below break one field.
  static let valid = """
    {
      "schemaVersion": 1,
      "name": "minimal",
      "mode": "cryolipolysis",
      "window": { "low": -13, "high": -11 },
      "phases": [ { "name": "hold", "setpoint": -12, "duration": "1m" } ],
      "controller": { "kp": 0.3, "ki": 0.01 },
      "sensors": [ { "name": "plate", "location": "plate", "role": "control" } ]
    }
    """

  struct BadCase: CustomTestStringConvertible, Sendable {
    var label: String
    var replace: String
    var with: String
    var path: String
    var reason: String
    var testDescription: String { label }
  }

  static let badCases: [BadCase] = [
    BadCase(
      label: "unknown key", replace: "\"kp\": 0.3", with: "\"kp\": 0.3, \"kq\": 1",
      path: "$.controller.kq", reason: "unknown key"),
    BadCase(
      label: "wrong type", replace: "\"setpoint\": -12", with: "\"setpoint\": \"cold\"",
      path: "$.phases[0].setpoint", reason: "expected a number, found a string"),
    BadCase(
      label: "negative duration", replace: "\"duration\": \"1m\"", with: "\"duration\": -5",
      path: "$.phases[0].duration", reason: "cannot be negative"),
    BadCase(
      label: "negative duration string", replace: "\"duration\": \"1m\"",
      with: "\"duration\": \"-2m\"", path: "$.phases[0].duration", reason: "cannot be negative"),
    BadCase(
      label: "window inverted", replace: "\"low\": -13, \"high\": -11",
      with: "\"low\": -11, \"high\": -13", path: "$.window", reason: "is above high"),
    BadCase(
      label: "missing key", replace: "\"mode\": \"cryolipolysis\",", with: "",
      path: "$", reason: "missing required key \"mode\""),
    BadCase(
      label: "unknown mode", replace: "\"cryolipolysis\"", with: "\"sauna\"",
      path: "$.mode", reason: "unknown value \"sauna\""),
    BadCase(
      label: "setpoint outside the clamp", replace: "\"setpoint\": -12", with: "\"setpoint\": -30",
      path: "$.phases[0].setpoint", reason: "outside the setpoint clamp"),
    BadCase(
      label: "no control sensor", replace: "\"role\": \"control\"", with: "\"role\": \"monitor\"",
      path: "$.sensors", reason: "\"role\": \"control\""),
    BadCase(
      label: "bad duration text", replace: "\"duration\": \"1m\"", with: "\"duration\": \"soon\"",
      path: "$.phases[0].duration", reason: "invalid duration"),
    BadCase(
      label: "unsupported schema", replace: "\"schemaVersion\": 1", with: "\"schemaVersion\": 2",
      path: "$.schemaVersion", reason: "not supported"),
    BadCase(
      label: "fault on unknown sensor", replace: "\"role\": \"control\" } ]",
      with:
        "\"role\": \"control\" } ], \"faults\": [ { \"at\": \"1s\", \"sensor\": \"lid\", \"kind\": \"open\" } ]",
      path: "$.faults[0].sensor", reason: "no sensor named \"lid\""),
    BadCase(
      label: "model controller without a model", replace: "\"kp\": 0.3",
      with: "\"kind\": \"model\", \"kp\": 0.3", path: "$.controller.kind",
      reason: "needs a \"model\" object"),
    BadCase(
      label: "plant model on a PID controller", replace: "\"kp\": 0.3",
      with:
        "\"kp\": 0.3, \"model\": { \"gain\": 40, \"timeConstant\": \"35s\", \"zeroCommandTemperature\": 2 }",
      path: "$.controller.model", reason: "needs \"kind\": \"model\""),
    BadCase(
      label: "plant model with a zero time constant", replace: "\"kp\": 0.3",
      with:
        "\"kind\": \"model\", \"kp\": 0.3, \"model\": { \"gain\": 40, \"timeConstant\": 0, \"zeroCommandTemperature\": 2 }",
      path: "$.controller.model.timeConstant", reason: "longer than 0 s"),
    BadCase(
      label: "unknown controller kind", replace: "\"kp\": 0.3",
      with: "\"kind\": \"fuzzy\", \"kp\": 0.3", path: "$.controller.kind",
      reason: "unknown value \"fuzzy\""),
    BadCase(
      label: "output limits inverted", replace: "\"kp\": 0.3",
      with: "\"kp\": 0.3, \"outputLow\": 0.5, \"outputHigh\": -0.5",
      path: "$.controller.outputLow", reason: "must be below"),
    BadCase(
      label: "grid too fine", replace: "\"sensors\": [",
      with: "\"plant\": { \"grid\": { \"fat\": { \"firstCellMm\": 0.05 } } }, \"sensors\": [",
      path: "$.plant", reason: "the grid needs"),
    BadCase(
      label: "unknown surface", replace: "\"sensors\": [",
      with: "\"plant\": { \"surface\": { \"kind\": \"ice-bath\" } }, \"sensors\": [",
      path: "$.plant.surface.kind", reason: "unknown value \"ice-bath\""),
    BadCase(
      label: "freeze event without freezing", replace: "\"role\": \"control\" } ]",
      with:
        "\"role\": \"control\" } ], \"faults\": [ { \"at\": \"1m\", \"plant\": true, \"kind\": \"freeze-event\" } ]",
      path: "$.faults[0].kind", reason: "needs \"plant.freezing\""),
    BadCase(
      label: "laser block in a cryo profile", replace: "\"sensors\": [",
      with: "\"plant\": { \"laser\": { \"absorbedFraction\": 0.4 } }, \"sensors\": [",
      path: "$.plant.laser", reason: "belongs to a laser-lipolysis profile"),
  ]

  private func writeProfile(_ text: String) throws -> (URL, String) {
    let directory = try scratchDirectory()
    let file = directory.appendingPathComponent("profile.json")
    try Data(text.utf8).write(to: file)
    return (directory, file.path)
  }

  @Test func theValidProfileIsAccepted() throws {
    let (directory, path) = try writeProfile(Self.valid)
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = devsim(["validate", path])
    #expect(result.code == 0, "\(result.errors)")
  }

  @Test(arguments: badCases) func badProfileIsRefusedNamingTheField(_ bad: BadCase) throws {
    let text = Self.valid.replacingOccurrences(of: bad.replace, with: bad.with)
    #expect(text != Self.valid, "the case must change the profile")
    let (directory, path) = try writeProfile(text)
    defer { try? FileManager.default.removeItem(at: directory) }
    for command in ["validate", "run"] {
      let result = devsim([command, path])
      #expect(result.code == 65, "\(command): \(result.errors)")
      #expect(result.errors.hasPrefix("Error: \(path):"), "\(result.errors)")
      #expect(result.errors.contains(" \(bad.path): "), "\(result.errors)")
      #expect(result.errors.contains(bad.reason), "\(result.errors)")
      #expect(result.output.isEmpty)
    }
  }

  @Test func invalidJSONNamesTheLineAndColumn() throws {
    let text = Self.valid.replacingOccurrences(of: "\"kp\": 0.3,", with: "\"kp\": 0.3,,")
    let (directory, path) = try writeProfile(text)
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = devsim(["validate", path])
    #expect(result.code == 65)
    #expect(result.errors.contains("\(path):7: invalid JSON at column"), "\(result.errors)")
  }

  @Test func theLineOfAnUnknownKeyIsReported() throws {
    let text = Self.valid.replacingOccurrences(
      of: "\"name\": \"minimal\",", with: "\"name\": \"minimal\",\n  \"colour\": \"blue\",")
    let (directory, path) = try writeProfile(text)
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = devsim(["validate", path])
    #expect(result.errors.contains("\(path):4: $.colour: unknown key"), "\(result.errors)")
  }

  @Test func aMissingFileIsNoInput() {
    let result = devsim(["run", "/nonexistent/profile.json"])
    #expect(result.code == 66)
    #expect(result.errors.contains("/nonexistent/profile.json: no such file"))
  }

  @Test(arguments: [
    ("35m", 2100.0), ("90s", 90), ("250ms", 0.25), ("1h30m", 5400), ("2min", 120), ("12", 12),
    ("1.5s", 1.5),
  ])
  func durationStrings(_ text: String, _ seconds: Double) {
    #expect(DurationText.seconds(text) == seconds)
  }

  @Test(arguments: ["", "m", "5 parsecs", "1x", "--3s"]) func badDurationStrings(_ text: String) {
    #expect(DurationText.seconds(text) == nil)
  }
}
