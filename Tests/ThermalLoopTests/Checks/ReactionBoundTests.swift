import ApplicatorHAL
import TestSupport
import Testing
import ThermalLoop

/// The reaction bound against an oracle the supervisor does not compute:
/// each expected figure is written here from `docs/safety.md`'s persistence
/// per check (defaults of `SafetyConfiguration`) plus one sample period —
/// the sensor's own period, or the tick when longer or when no sensor is
/// involved — in plain arithmetic.
@Suite("Reaction bound (oracle)", .tags(.safety))
struct ReactionBoundTests {
  private static let tick = 100 * millisecond

  private static func trip(
    _ check: SafetyCheck, _ subject: TripSubject, limit: Double = .nan
  ) -> TripRecord {
    TripRecord(
      check: check, subject: subject,
      measurement: SafetyMeasurement(
        quantity: .temperature, unit: .celsius, value: limit, limit: limit),
      conditionSinceNanoseconds: 0, detectedNanoseconds: 0)
  }

  /// Cryo defaults; sensors: 0 plate at 100 ms, 1 hot side at 250 ms, 2 skin at 3 s.
  private static let cryo = SafetySupervisor(
    configuration: SafetyConfiguration(mode: .cryolipolysis), plan: cryoPlan(),
    sensors: [
      SensorDescriptor(site: .plate, role: .control, periodNanoseconds: 100 * millisecond),
      SensorDescriptor(site: .hotSide, role: .redundant, periodNanoseconds: 250 * millisecond),
      SensorDescriptor(site: .skin, role: .redundant, periodNanoseconds: 3 * second),
    ], controlIndex: 0)

  /// One trip and its expected bound.
  struct BoundCase: Sendable, CustomTestStringConvertible {
    let trip: TripRecord
    let milliseconds: UInt64
    init(_ trip: TripRecord, milliseconds: UInt64) {
      self.trip = trip
      self.milliseconds = milliseconds
    }
    var testDescription: String { "\(trip.check.name) \(trip.subject): \(milliseconds) ms" }
  }

  private static let cryoCases: [BoundCase] = [
    // plausibility 0.3 s + the plate's 0.1 s
    BoundCase(Self.trip(.sensorPlausibility, .sensor(0)), milliseconds: 400),
    // hard low −16 °C, 0.3 s + 0.1 s
    BoundCase(Self.trip(.hardLow, .sensor(0), limit: -16), milliseconds: 400),
    // hard high +15 °C once armed, at once + 0.1 s
    BoundCase(Self.trip(.hardHigh, .sensor(0), limit: 15), milliseconds: 100),
    // hot side 60 °C, 0.3 s + its own 0.25 s
    BoundCase(Self.trip(.hardHigh, .sensor(1), limit: 60), milliseconds: 550),
    // out of window 20 s + 0.1 s
    BoundCase(Self.trip(.outOfWindow, .sensor(0)), milliseconds: 20100),
    // must progress 30 s + 0.1 s
    BoundCase(Self.trip(.mustProgress, .sensor(0)), milliseconds: 30100),
    // freeze window 10 s + 0.1 s
    BoundCase(Self.trip(.freezeDetected, .sensor(0)), milliseconds: 10100),
    // rate: no persistence, + 0.1 s
    BoundCase(Self.trip(.rateOfChange, .sensor(0)), milliseconds: 100),
    // disagreement 1 s + the first sensor's 0.1 s
    BoundCase(Self.trip(.sensorDisagreement, .sensorPair(0, 1)), milliseconds: 1100),
    // stale: 1 s trip (3 × 0.25 s = 0.75 s is shorter) + 0.25 s
    BoundCase(Self.trip(.staleData, .sensor(1)), milliseconds: 1250),
    // stale on a 3 s sensor: 3 × 3 s = 9 s + 3 s
    BoundCase(Self.trip(.staleData, .sensor(2)), milliseconds: 12000),
    // stuck: 10 s (5 × 0.25 s is shorter) + 0.25 s
    BoundCase(Self.trip(.stuckSensor, .sensor(1)), milliseconds: 10250),
    // stuck on a 3 s sensor: 5 × 3 s = 15 s + 3 s
    BoundCase(Self.trip(.stuckSensor, .sensor(2)), milliseconds: 18000),
    // read-back 0.5 s + the tick
    BoundCase(Self.trip(.actuatorReadBack, .powerStage), milliseconds: 600),
    // contact 2 s + the tick; coolant 2 s + the tick
    BoundCase(Self.trip(.interlock, .interlock(.contact)), milliseconds: 2100),
    BoundCase(Self.trip(.interlock, .interlock(.coolant)), milliseconds: 2100),
    // model mismatch 10 s + 0.1 s
    BoundCase(Self.trip(.modelMismatch, .sensor(0)), milliseconds: 10100),
    // caps, overruns, a refused write: none + the tick
    BoundCase(Self.trip(.timeCap, .none), milliseconds: 100),
    BoundCase(Self.trip(.doseCap, .sensor(0)), milliseconds: 100),
    BoundCase(Self.trip(.loopOverrun, .none), milliseconds: 100),
    BoundCase(Self.trip(.actuatorFault, .powerStage), milliseconds: 100),
    // wrong direction 5 s + 0.1 s (from the first slope away, which comes
    // 1.8 s after the check arms)
    BoundCase(Self.trip(.wrongDirection, .sensor(0)), milliseconds: 5100),
    // a key switch at once, unreadable interlocks the shorter persistence (2 s), + the tick
    BoundCase(Self.trip(.interlock, .interlock(.keySwitch)), milliseconds: 100),
    BoundCase(Self.trip(.interlock, .interlocksUnreadable(.io)), milliseconds: 2100),
    // a lapsed lease: in the tick whose fetch shows it
    BoundCase(Self.trip(.leaseLapsed, .powerStage), milliseconds: 100),
  ]

  @Test("cryo defaults: persistence from the documentation plus one period", arguments: cryoCases)
  func cryoBound(_ bound: BoundCase) {
    #expect(
      Self.cryo.reactionBoundNanoseconds(for: bound.trip, tickNanoseconds: Self.tick)
        == bound.milliseconds * millisecond)
  }

  @Test(
    "laser defaults: fat 48.5 °C 0.2 s, any reading 50 °C at once, coolant at once, each + 0.1 s")
  func laserBound() {
    let laser = SafetySupervisor(
      configuration: SafetyConfiguration(mode: .laserLipolysis), plan: laserPlan(),
      sensors: laserSensors, controlIndex: 0)
    let bound = { (trip: TripRecord) in
      laser.reactionBoundNanoseconds(for: trip, tickNanoseconds: Self.tick)
    }
    #expect(bound(Self.trip(.hardHigh, .sensor(0), limit: 48.5)) == 300 * millisecond)
    #expect(bound(Self.trip(.hardHigh, .sensor(0), limit: 50)) == 100 * millisecond)
    #expect(bound(Self.trip(.hardHigh, .sensor(1), limit: 43)) == 300 * millisecond)
    #expect(bound(Self.trip(.interlock, .interlock(.coolant))) == 100 * millisecond)
    // At a slower tick than the sensor's period the tick is the period.
    #expect(
      laser.reactionBoundNanoseconds(
        for: Self.trip(.sensorPlausibility, .sensor(0)), tickNanoseconds: second)
        == 1_300 * millisecond)
  }
}
