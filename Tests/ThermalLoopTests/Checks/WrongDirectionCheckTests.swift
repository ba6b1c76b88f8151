import ApplicatorHAL
import Foundation
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("WrongDirectionCheck", .tags(.safety))
struct WrongDirectionCheckTests {
  private let cryo = SafetyConfiguration(mode: .cryolipolysis)

  /// A plate that rises at `rate` °C/s from 20 °C.
  private func rising(_ rate: Double, at now: UInt64) -> SensorReading {
    fresh(20 + rate * Double(now) * 1e-9, at: now)
  }

  @Test(
    "full cooling toward a far target while the plate rises 0.5 °C/s: the first slope at 1.8 s, the trip 5 s later"
  )
  func heatingUnderFullCooling() throws {
    var check = WrongDirectionCheck(cryo, mode: .cryolipolysis)
    let found = runComponent(&check, from: 0, through: 60 * second) { now in
      componentTick(.afterSensors, [rising(0.5, at: now)], at: now, command: -1)
    }
    let trip = try #require(found)
    #expect(trip.check == .wrongDirection)
    #expect("\(trip.check.name)" == "wrong-direction")
    #expect(trip.subject == .sensor(0))
    // Samples are kept every 0.2 s (a twelfth of the 2 s fit, on a 0.1 s
    // tick); the fit needs nine tenths of its window: 1.8 s, then 5 s.
    #expect(trip.conditionSinceNanoseconds == 1800 * millisecond)
    #expect(trip.detectedNanoseconds == 6800 * millisecond)
    #expect(trip.measurement.quantity == .slope)
    #expect(trip.measurement.unit == .celsiusPerSecond)
    #expect(abs(trip.reading - 0.5) < 1e-9, "away from the target, positive")
    #expect(trip.limit == 0.1)
    #expect(trip.measurement.spanSeconds == 2)
    #expect(check.persistenceNanoseconds(of: trip) == 5 * second)
  }

  @Test("a plate that cools, one that rises slower than the rate, and a weak command stay quiet")
  func quiet() {
    var cooling = WrongDirectionCheck(cryo, mode: .cryolipolysis)
    #expect(
      runComponent(&cooling, from: 0, through: 60 * second) { now in
        componentTick(.afterSensors, [rising(-0.2, at: now)], at: now, command: -1)
      } == nil)
    var slow = WrongDirectionCheck(cryo, mode: .cryolipolysis)
    #expect(
      runComponent(&slow, from: 0, through: 60 * second) { now in
        componentTick(.afterSensors, [rising(0.09, at: now)], at: now, command: -1)
      } == nil)
    var weak = WrongDirectionCheck(cryo, mode: .cryolipolysis)
    #expect(
      runComponent(&weak, from: 0, through: 60 * second) { now in
        componentTick(.afterSensors, [rising(0.5, at: now)], at: now, command: -0.7)
      } == nil)
  }

  @Test("the timer restarts whenever the check arms: one weak tick at 4 s moves the trip to 10.9 s")
  func rearmRestarts() throws {
    var check = WrongDirectionCheck(cryo, mode: .cryolipolysis)
    let found = runComponent(&check, from: 0, through: 60 * second) { now in
      componentTick(
        .afterSensors, [rising(0.5, at: now)], at: now,
        command: now == 4 * second ? -0.5 : -1)
    }
    let trip = try #require(found)
    #expect(trip.conditionSinceNanoseconds == 5900 * millisecond)
    #expect(trip.detectedNanoseconds == 10900 * millisecond)
  }

  @Test(
    "failed reads (one tick in four) neither disarm nor restart it: the trip still comes at 6.8 s"
  )
  func failedReadsDoNotRestartTheTimer() throws {
    var check = WrongDirectionCheck(cryo, mode: .cryolipolysis)
    let found = runComponent(&check, from: 0, through: 60 * second) { now in
      let failed = (now / (100 * millisecond)) % 4 == 3
      return componentTick(
        .afterSensors, [failed ? .fault(.timedOut) : rising(0.5, at: now)], at: now,
        command: -1)
    }
    let trip = try #require(found, "a run of failed reads kept it from ever tripping")
    #expect(trip.conditionSinceNanoseconds == 1800 * millisecond)
    #expect(trip.detectedNanoseconds == 6800 * millisecond)
  }

  @Test("never armed in a hold (window entered), while the output is held off, or near the target")
  func neverInAHold() {
    var holding = WrongDirectionCheck(cryo, mode: .cryolipolysis)
    #expect(
      runComponent(&holding, from: 0, through: 60 * second) { now in
        componentTick(.afterSensors, [rising(0.5, at: now)], at: now, command: -1, isArmed: true)
      } == nil)
    var heldOff = WrongDirectionCheck(cryo, mode: .cryolipolysis)
    #expect(
      runComponent(&heldOff, from: 0, through: 60 * second) { now in
        var tick = componentTick(.afterSensors, [rising(0.5, at: now)], at: now, command: -1)
        tick.hold = true
        return tick
      } == nil)
    // Within the window's half-width plus 2 °C of −12 °C: not far, never armed.
    var near = WrongDirectionCheck(cryo, mode: .cryolipolysis)
    #expect(
      runComponent(&near, from: 0, through: 60 * second) { now in
        componentTick(
          .afterSensors, [fresh(-14 + 0.02 * Double(now) * 1e-9, at: now)], at: now, command: -1)
      } == nil)
  }

  @Test("laser mode: never armed, toward a higher target or a lower one")
  func neverInLaserMode() {
    let laser = SafetyConfiguration(mode: .laserLipolysis)
    let limits = OutputLimits(low: 0, high: 1)
    var up = WrongDirectionCheck(laser, mode: .laserLipolysis)
    #expect(
      runComponent(&up, from: 0, through: 60 * second) { now in
        componentTick(
          .afterSensors, [fresh(40 - 0.5 * Double(now) * 1e-9, at: now)], at: now, command: 1,
          targetCelsius: 46, limits: limits, window: laserWindow)
      } == nil)
    var down = WrongDirectionCheck(laser, mode: .laserLipolysis)
    #expect(
      runComponent(&down, from: 0, through: 60 * second) { now in
        componentTick(
          .afterSensors, [fresh(52 + 0.5 * Double(now) * 1e-9, at: now)], at: now, command: 0,
          targetCelsius: 46, limits: limits, window: laserWindow)
      } == nil)
  }

  /// The plate falls at 1 °C/s under cooling; at 0 s the target jumps far
  /// above and the command goes to full heating; the plate turns at once,
  /// but the probe (a first-order lag of 2 s, the largest control-probe lag
  /// the default covers) keeps falling for 2 s · ln 2 ≈ 1.4 s and the fit
  /// sees it for longer. Reading y(t) = x₀ + t − τ + 2τ·e^(−t/τ).
  private func reversal(_ configuration: SafetyConfiguration) -> TripRecord? {
    var check = WrongDirectionCheck(configuration, mode: .cryolipolysis)
    let tau = 2.0
    return runComponent(&check, from: 0, through: 60 * second) { now in
      let t = Double(now) * 1e-9
      let reading = -12 + t - tau + 2 * tau * exp(-t / tau)
      return componentTick(
        .afterSensors, [fresh(reading, at: now)], at: now, command: 0.5, targetCelsius: 5)
    }
  }

  @Test(
    "a reversal seen through a 2 s probe lag does not trip at the default 5 s; at 0.2 s it would")
  func reversalThroughTheProbeLag() throws {
    #expect(reversal(cryo) == nil)
    var short = cryo
    short.wrongDirectionPersistenceNanoseconds = 200 * millisecond
    let trip = try #require(reversal(short), "the lagged probe does move away for a while")
    #expect(trip.check == .wrongDirection)
  }

  @Test("a reset forgets the fit and the timer")
  func reset() {
    var check = WrongDirectionCheck(cryo, mode: .cryolipolysis)
    _ = runComponent(&check, from: 0, through: 6 * second) { now in
      componentTick(.afterSensors, [rising(0.5, at: now)], at: now, command: -1)
    }
    check.reset(nowNanoseconds: 6 * second)
    // 6.8 s would have tripped without the reset; now the first slope comes at 8.0 s.
    #expect(
      runComponent(&check, from: 6200 * millisecond, through: 12 * second) { now in
        componentTick(.afterSensors, [rising(0.5, at: now)], at: now, command: -1)
      } == nil)
  }
}
