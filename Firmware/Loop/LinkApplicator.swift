import ApplicatorHAL

// The power stage is a HeldPowerStage: on a real board, a PWM compare
// register and a GPIO; its read-back is the command plus the error the host
// measured on the plant's stage, so the host's read-back faults reach this
// supervisor.

/// The applicator seen through the link: each tick serves the readings and
/// interlocks of the host's latest tick frame.
struct LinkApplicator: Applicator {
  var powerStage = HeldPowerStage(commandRange: .bipolar)
  let sensorCount: Int
  /// This tick's readings, set from the tick frame before the tick.
  var readings: SensorSnapshot
  /// This tick's interlocks, set from the tick frame before the tick.
  var interlocks = Interlocks.allOpen

  init(sensorCount: Int) {
    self.sensorCount = sensorCount
    readings = SensorSnapshot(count: sensorCount)
  }

  /// Takes the readings, interlocks and read-back error of `frame`.
  mutating func load(_ frame: TickFrame) {
    readings = frame.readings
    interlocks = frame.interlocks
    powerStage.readBackError = frame.readBackError
  }

  mutating func advance(toNanoseconds nowNanoseconds: UInt64) {}

  mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
    snapshot = readings
  }

  mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
    interlocks
  }
}
