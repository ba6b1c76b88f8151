import ApplicatorLinux
import Foundation
import Testing

@testable import DevsimKit

/// Rig files are decoded as strictly as board files: the shipped example decodes to what
/// it says, and every malformed one is refused naming the file and the JSON path.
@Suite struct RigFileDecoderTests {
  private static let example = "rigs/mecom-tec-1091.json"

  private func exampleText() throws -> String {
    try String(
      contentsOf: repositoryRoot.appendingPathComponent(Self.example), encoding: .utf8)
  }

  /// The shipped example, field by field.
  @Test func theShippedExampleDecodes() throws {
    let rig = try RigFileDecoder.load(repositoryRoot.appendingPathComponent(Self.example).path)
    #expect(rig.name == "mecom-tec-1091")
    #expect(rig.port == "/dev/ttyUSB0")
    #expect(rig.baud == 57_600)
    #expect(rig.sensors == ["plate", "heatsink"])
    guard case .mecom(let settings) = rig.instrument else {
      Issue.record("not a MeCom rig")
      return
    }
    #expect(settings.address == 0)
    #expect(settings.deviceType == 1091)
    #expect(
      settings.channels == [
        MeComChannel(parameterID: 1000, instance: 1), MeComChannel(parameterID: 1001, instance: 1),
      ])
    #expect(settings.heatingCurrentSign == 1)
    #expect(settings.fullScaleCurrentAmperes == 6)
    #expect(settings.currentLimitAmperes == 6)
    #expect(settings.objectLowCelsius == -16 && settings.objectHighCelsius == 40)
    #expect(settings.watchdogSeconds == 1)
    #expect(settings.replyTimeoutNanoseconds == MeComLink.loopReplyTimeoutNanoseconds)
  }

  /// The message a variant of the example is refused with.
  private func refusal(_ replace: String, with text: String) throws -> String? {
    let source = try exampleText()
    #expect(source.contains(replace), "the example contains \(replace)")
    let edited = source.replacingOccurrences(of: replace, with: text)
    do {
      _ = try RigFileDecoder.decode(Array(edited.utf8), file: "bench.json")
      return nil
    } catch let error as JSONDataError {
      return error.description
    }
  }

  @Test(arguments: [
    ("\"watchdog\": \"1s\",", "\"watchdog\": \"1s\", \"lease\": 2,", "$.lease: unknown key"),
    (
      "\"protocol\": \"mecom\"", "\"protocol\": \"modbus\"",
      "$.protocol: unknown protocol \"modbus\" (not built yet)"
    ),
    (
      "\"protocol\": \"mecom\"", "\"protocol\": \"telnet\"",
      "$.protocol: unknown protocol \"telnet\""
    ),
    ("\"/dev/ttyUSB0\"", "\"/dev/../tmp/x\"", "$.port.device: a device is a tty under /dev"),
    ("\"/dev/ttyUSB0\"", "\"tcp://rig\"", "$.port.device: a TCP device is tcp://host:port"),
    ("\"address\": 0", "\"address\": 255", "$.port.address: expected a whole number in 0 … 254"),
    ("\"address\": 0, ", "", "$.port: missing required key \"address\""),
    ("\"positive-current\"", "\"positive\"", "$.command.heating: unknown value \"positive\""),
    (
      "\"limits\": { \"current\": 6", "\"limits\": { \"current\": 7",
      "$.limits.current: the current limit is above 0 A and at most the full-scale current (6 A)"
    ),
    (
      "\"low\": -16, \"high\": 40", "\"low\": 40, \"high\": -20",
      "$.limits.objectTemperature.high: high must be above low"
    ),
    (
      "\"watchdog\": \"1s\",", "\"watchdog\": \"1s\", \"replyDeadline\": \"2s\",",
      "$.replyDeadline: the reply deadline is 50 ms … 500 ms"
    ),
    (
      "\"watchdog\": \"1s\"", "\"watchdog\": \"50ms\"",
      "$.watchdog: the communication watchdog is 0.2 … 10 s"
    ),
    (
      "\"read\": \"sink-temperature\"", "\"read\": \"object-temperature\"",
      "$.channels[1]: sensor \"heatsink\" reads the channel sensor \"plate\" reads"
    ),
    (
      "{ \"sensor\": \"heatsink\"", "{ \"sensor\": \"plate\"",
      "$.channels[1].sensor: sensor \"plate\" is mapped twice"
    ),
    (
      "{ \"role\": \"contact\", \"absent\": true },", "",
      "$.interlocks: the rig has no contact interlock"
    ),
    (
      "{ \"role\": \"contact\", \"absent\": true }", "{ \"role\": \"contact\", \"absent\": false }",
      "$.interlocks[0].absent: a MeCom instrument has no interlock input"
    ),
    (
      "\"schemaVersion\": 1", "\"schemaVersion\": 2",
      "$.schemaVersion: rig file schema version is not supported"
    ),
  ])
  func aMalformedRigFileIsRefusedNamingFileAndPath(
    replace: String, with text: String, expected: String
  ) throws {
    let message = try refusal(replace, with: text)
    #expect(message?.hasPrefix("bench.json:") == true, "\(message ?? "accepted")")
    #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
  }
}
