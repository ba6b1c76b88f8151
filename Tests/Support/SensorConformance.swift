import ApplicatorHAL
import Testing

/// A failure a bench can stage on a sensor's device, with the ``FaultKind``
/// the contracts map it to (``FaultKind``'s documentation names, per kind,
/// the device errors that become it).
public struct SensorFailure: Sendable, CustomStringConvertible {
  /// What the bench does to the device ("a set temp1_fault", "a silent rig").
  public var description: String
  /// The fault the read must throw.
  public var expected: FaultKind
  /// Whether the device can read again afterwards (a hang-up cannot).
  public var recovers: Bool

  /// A failure described by `description` that must read as `expected`.
  public init(_ description: String, expected: FaultKind, recovers: Bool = true) {
    self.description = description
    self.expected = expected
    self.recovers = recovers
  }
}

/// One sensor channel of a backend as the conformance suite drives it: the
/// bench sets what the device reports and reads it through the backend's
/// own code, as the loop does.
public protocol SensorBench {
  /// The channel's resolution, °C: a reading lies within it of the truth.
  var resolutionCelsius: Double { get }
  /// The failures this backend's device can be made to show.
  var failures: [SensorFailure] { get }
  /// Makes the device report `celsius` from the next read on (and ends a staged failure).
  mutating func present(celsius: Double) throws
  /// Makes the device fail as `failure` describes, until the next ``present(celsius:)``.
  mutating func stage(_ failure: SensorFailure) throws
  /// Reads the channel once through the backend at `nowNanoseconds` of loop time.
  mutating func read(nowNanoseconds: UInt64) throws -> SensorReading
}

/// The ``TemperatureSensor`` contract (with ``TemperatureSample``,
/// ``SensorReading`` and ``FaultKind``), checked the same way on every backend:
///
/// - a read gives a sample or a fault, never `.absent` (that is an
///   unconfigured slot);
/// - a sample lies within the channel's resolution of the temperature the
///   device was given, and a changed value is a new conversion (`isNew`);
/// - a sample that is not new repeats the last value (the device repeated it);
/// - timestamps are on the loop clock: never after the read, never backwards;
/// - a device failure is thrown as the ``FaultKind`` the contract maps it to;
/// - the sensor does not latch a fault (latching is the supervisor's): once
///   the device reads again, so does the sensor.
public enum SensorConformance {
  /// The temperatures the suite sets: both modes' windows and hard limits, the room, the body.
  public static let truths: [Double] = [-40, -13.2, -12, -11.013, 0, 10, 22.5, 33.7, 45.25, 47.9]
  /// Loop time between reads, ns: longer than any channel's own period.
  public static let spacingNanoseconds: UInt64 = 1_000_000_000

  /// Runs every case on fresh benches from `make`.
  public static func check<Bench: SensorBench>(_ make: () throws -> Bench) throws {
    var bench = try make()
    try readingsFollowTheTruth(&bench)
    for failure in bench.failures {
      var fresh = try make()
      try failureIsTheContractsKind(&fresh, failure)
    }
  }

  private static func readingsFollowTheTruth<Bench: SensorBench>(_ bench: inout Bench) throws {
    var now: UInt64 = spacingNanoseconds
    var last: TemperatureSample? = nil
    for truth in truths {
      try bench.present(celsius: truth)
      // A read after the channel's period, then one right after it.
      for offset: UInt64 in [0, 1_000_000] {
        let reading = try bench.read(nowNanoseconds: now + offset)
        guard case .sample(let sample) = reading else {
          Issue.record("set \(truth) °C, read \(reading)")
          continue
        }
        #expect(
          abs(sample.celsius - truth) <= bench.resolutionCelsius + 1e-9,
          "set \(truth) °C, read \(sample.celsius) °C (resolution \(bench.resolutionCelsius) °C)")
        #expect(sample.timestampNanoseconds <= now + offset, "a sample is not from the future")
        if let last {
          #expect(
            sample.timestampNanoseconds >= last.timestampNanoseconds,
            "timestamps never go backwards: \(last.timestampNanoseconds) then \(sample.timestampNanoseconds)"
          )
          if offset == 0 {
            #expect(sample.isNew, "a changed value is a new conversion (set \(truth) °C)")
          }
          if !sample.isNew {
            #expect(sample.celsius == last.celsius, "a repeated sample repeats the value")
          }
        }
        last = sample
      }
      now += spacingNanoseconds
    }
  }

  private static func failureIsTheContractsKind<Bench: SensorBench>(
    _ bench: inout Bench, _ failure: SensorFailure
  ) throws {
    try bench.present(celsius: 20)
    let before = try bench.read(nowNanoseconds: spacingNanoseconds)
    #expect(before.sample != nil, "reads before \(failure): \(before)")
    try bench.stage(failure)
    let failed = try bench.read(nowNanoseconds: 2 * spacingNanoseconds)
    #expect(failed == .fault(failure.expected), "\(failure): read \(failed)")
    guard failure.recovers else { return }
    try bench.present(celsius: 21.5)
    let after = try bench.read(nowNanoseconds: 3 * spacingNanoseconds)
    guard case .sample(let sample) = after else {
      Issue.record("after \(failure) ended, the channel reads again: \(after)")
      return
    }
    #expect(abs(sample.celsius - 21.5) <= bench.resolutionCelsius + 1e-9)
  }
}
