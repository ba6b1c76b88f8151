import ApplicatorHAL
import Foundation
import Testing
import ThermalLoop

@testable import DevsimKit
@testable import devsim

/// Scenarios of the tissue model as a user runs them: open-loop boundaries
/// and freeze events.
@Suite struct TissueScenarioTests {
  @Test func anOpenLoopProfileRunsWithoutAController() throws {
    let profile = try loadShipped("Profiles/open-loop/held-surface-minus-11.json").profile
    #expect(!profile.isClosedLoop)
    var loop = Simulation.makeLoop(profile, seed: profile.seed)
    var now: UInt64 = 0
    while now <= 600_000_000_000 {
      let record = loop.tick(nowNanoseconds: now)
      #expect(record.sentCommand == 0)
      now += profile.tickNanoseconds
    }
    // The held boundary, not the stage, set the surface.
    #expect(abs(loop.applicator.plant.surfaceCelsius - -11) < 1e-12)
    #expect(loop.applicator.powerStage.received.command == 0)
  }

  /// A freeze event releases latent heat: the skin sensor jumps up and the
  /// plate rises too, while the controller cools as hard or harder; freeze
  /// detection sees it.
  @Test func aFreezeEventIsSeenAsARiseAtUnchangedCooling() throws {
    var profile = try loadShipped("Profiles/faults/cryo-freeze-event.json").profile
    profile.safety.freezeDetection = false  // watch the physics, not the trip, first
    guard case .at(let eventAt) = try #require(profile.faults.first?.fault.trigger) else {
      Issue.record("the freeze event is scheduled by time")
      return
    }
    let skin = try #require(profile.sensors.firstIndex { $0.name == "skin" })
    let plate = profile.controlIndex
    var loop = Simulation.makeLoop(profile, seed: profile.seed)
    var now: UInt64 = 0
    var before: TelemetryRecord? = nil
    var after: [TelemetryRecord] = []
    while now <= eventAt + 10_000_000_000 {
      let record = loop.tick(nowNanoseconds: now)
      if now + profile.tickNanoseconds == eventAt { before = record }
      if now >= eventAt { after.append(record) }
      now += profile.tickNanoseconds
    }
    let last = try #require(before)
    #expect(loop.applicator.firstFreezeEventNanoseconds == eventAt)
    // Skin: supercooled near −9 °C, released toward the freezing band (the
    // probe's 1 s lag spreads the jump over a few seconds).
    #expect(last.celsius[skin] < -5)
    let skinPeak = after.map { $0.celsius[skin] }.max() ?? -.infinity
    #expect(skinPeak - last.celsius[skin] > 3)
    // Plate: a rise of at least 0.3 °C within 10 s (the freeze-detection signature) …
    let warmest = after.map { $0.celsius[plate] }.max() ?? -.infinity
    #expect(warmest - last.celsius[plate] >= 0.3)
    // … while the controller cooled as hard or harder on average (single
    // ticks jitter with the probe noise, about kp·0.02 °C).
    let mean = after.map(\.sentCommand).reduce(0, +) / Double(after.count)
    #expect(mean <= last.sentCommand)
    #expect(loop.trip == nil)
    // With freeze detection on (the shipped profile), the same run trips on it.
    profile.safety.freezeDetection = true
    var watched = Simulation.makeLoop(profile, seed: profile.seed)
    now = 0
    while now <= eventAt + 10_000_000_000 && watched.trip == nil {
      _ = watched.tick(nowNanoseconds: now)
      now += profile.tickNanoseconds
    }
    #expect(watched.trip?.check == .freezeDetected)
  }

  @Test func theSummaryReportsDoseAtDepth() throws {
    let path = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json").path
    let cryo = devsim(["run", path])
    #expect(cryo.code == 0)
    #expect(cryo.output.contains("depth  +10 °C front reached "))
    #expect(cryo.output.contains("mm·min"))
    let laserPath = repositoryRoot.appendingPathComponent("Profiles/laser-lipolysis-25min.json")
      .path
    let laser = devsim(["run", laserPath])
    #expect(laser.output.contains("depth  skin maximum "))
    #expect(laser.output.contains("dose   CEM43 "))
  }
}
