import ApplicatorLinux
import Foundation
import Testing

@testable import DevsimKit

/// A rig file is checked against the profile before anything is opened: the instrument's
/// own cuts (object thresholds, current limit) must be no looser than the profile allows,
/// and its object input must be the plate the loop controls.
@Suite struct MeComRunSettingsTests {
  private func profile() throws -> Profile {
    try ProfileLoader.load(
      repositoryRoot.appendingPathComponent("rigs/cryolipolysis-tec-1091.json").path
    ).profile
  }

  /// The shipped rig file with `replace` replaced by `text`.
  private func rig(_ replace: String = "", with text: String = "") throws -> RigFile {
    let source = try String(
      contentsOf: repositoryRoot.appendingPathComponent("rigs/mecom-tec-1091.json"),
      encoding: .utf8)
    #expect(replace.isEmpty || source.contains(replace), "the rig file contains \(replace)")
    let edited = replace.isEmpty ? source : source.replacingOccurrences(of: replace, with: text)
    return try RigFileDecoder.decode(Array(edited.utf8), file: "bench.json")
  }

  /// The message the shipped profile refuses `rig` with, or nil when it takes it.
  private func refusal(_ rig: RigFile) throws -> String? {
    let profile = try profile()
    do throws(KitError) {
      _ = try MeComRun.settings(rig, for: profile)
      return nil
    } catch {
      return error.message
    }
  }

  /// The shipped rig file fits the shipped TEC profile.
  @Test func theShippedRigFileFits() throws {
    #expect(try refusal(try rig()) == nil)
  }

  /// The cryolipolysis plate limits: the hard-low −16 °C, and as high the applicator's 45 °C
  /// (the 15 °C hard-high is armed only in the window, and the plate starts at 25 °C).
  @Test func thePlateLimitsAreTheSupervisors() throws {
    #expect(MeComRun.plateLimitsCelsius(try profile()) == -16...45)
  }

  @Test(arguments: [
    (
      "\"low\": -16, \"high\": 40", "\"low\": -20, \"high\": 40",
      "$.limits.objectTemperature: -20 … 40 °C is wider than cryolipolysis-tec-1091's plate limits (-16 … 45 °C)"
    ),
    (
      "\"low\": -16, \"high\": 40", "\"low\": -16, \"high\": 46",
      "$.limits.objectTemperature: -16 … 46 °C is wider than"
    ),
    (
      "\"fullScaleCurrent\": 6", "\"fullScaleCurrent\": 8",
      "$.command.fullScaleCurrent: 8 A is more than cryolipolysis-tec-1091's TEC takes (plant maxCurrent 6 A)"
    ),
    (
      "{ \"sensor\": \"plate\", \"read\": \"object-temperature\" },\n    { \"sensor\": \"heatsink\", \"read\": \"sink-temperature\" }",
      "{ \"sensor\": \"plate\", \"read\": \"sink-temperature\" },\n    { \"sensor\": \"heatsink\", \"read\": \"object-temperature\" }",
      "$.channels: the control sensor plate of cryolipolysis-tec-1091 is read from"
    ),
    (
      "{ \"sensor\": \"plate\", \"read\": \"object-temperature\" }",
      "{ \"sensor\": \"plate\", \"read\": \"object-temperature\", \"instance\": 2 }",
      "it must be object-temperature at the output's instance 1"
    ),
  ])
  func aRigLooserThanTheProfileIsRefused(replace: String, with text: String, message: String)
    throws
  {
    let refused = try refusal(try rig(replace, with: text))
    #expect(refused?.contains(message) == true, "\(refused ?? "accepted")")
    #expect(refused?.contains("nothing was driven") == true)
  }

  /// A current limit above what a command of ±1 asks for is refused (the decoder already
  /// refuses one above full scale; lowering full scale below the limit is the same case).
  @Test func aCurrentLimitAboveFullScaleIsRefused() throws {
    var described = try rig()
    guard case .mecom(var settings) = described.instrument else {
      Issue.record("not a MeCom rig")
      return
    }
    settings.currentLimitAmperes = 7
    described.instrument = .mecom(settings)
    let refused = try refusal(described)
    #expect(refused?.contains("$.limits.current: 7 A is more than a command of ±1") == true)
  }
}
