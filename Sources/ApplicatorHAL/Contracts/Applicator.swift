/// The most sensors one applicator carries (plate, redundant plate, skin, depth probes).
public let maximumSensorCount = 8

/// One tick's readings of every sensor of an applicator, fetched together.
///
/// Fixed capacity, so taking a snapshot never allocates.
public struct SensorSnapshot: Sendable {
  /// The readings, one slot per configured sensor; unused slots are `.absent`.
  public var readings: InlineArray<8, SensorReading>
  /// How many slots are in use.
  public var count: Int

  /// Creates a snapshot with `count` slots, all `.absent`.
  public init(count: Int) {
    self.readings = InlineArray(repeating: .absent)
    self.count = min(max(count, 0), maximumSensorCount)
  }
}

/// A whole applicator as the loop sees it: its sensors, its power stage and
/// its interlocks, in one world (simulated, a Linux board, a serial rig).
///
/// The loop calls, once per tick and in this order: ``advance(toNanoseconds:)``,
/// ``readSensors(nowNanoseconds:into:)``, ``readInterlocks(nowNanoseconds:)``,
/// then writes the power stage.
public protocol Applicator {
  /// The power stage this applicator drives.
  associatedtype Stage: PowerStage

  /// How many temperature sensors the applicator has (at most ``maximumSensorCount``).
  var sensorCount: Int { get }

  /// The power stage; the loop writes it through this property in place.
  var powerStage: Stage { get set }

  /// Brings the applicator to `nowNanoseconds`: a simulation integrates its
  /// physics; hardware does nothing.
  mutating func advance(toNanoseconds nowNanoseconds: UInt64)

  /// Fetches every sensor once and stores one reading per slot.
  mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot)

  /// Reads the interlocks (contact, coolant flow).
  mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks
}
