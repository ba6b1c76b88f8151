import ApplicatorHAL

/// The power stage as the firmware drives it: it holds the command and the
/// enable (on a real board these would be a PWM compare register and a
/// GPIO). Its read-back is the command plus the error the host measured on
/// the plant's stage, so the host's read-back faults reach this supervisor.
struct LinkPowerStage: PowerStage {
  let commandRange = CommandRange.bipolar
  /// The command the stage holds.
  private(set) var command = 0.0
  /// Whether the stage's enable is closed.
  private(set) var enabled = false
  /// Read-back minus the held command, from this tick's frame; `nil`: none.
  var readBackError: Double? = nil

  mutating func write(command: Double, nowNanoseconds: UInt64) throws(FaultKind) {
    self.command = commandRange.clamp(command)
  }

  mutating func setEnabled(_ enabled: Bool, nowNanoseconds: UInt64) throws(FaultKind) {
    self.enabled = enabled
  }

  mutating func safeOff(nowNanoseconds: UInt64) -> FaultKind? {
    command = 0
    enabled = false
    return nil
  }

  mutating func readBack(nowNanoseconds: UInt64) throws(FaultKind) -> Double? {
    readBackError.map { (enabled ? command : 0) + $0 }
  }
}

/// The applicator seen through the link: each tick serves the readings and
/// interlocks of the host's latest tick frame.
struct LinkApplicator: Applicator {
  var powerStage = LinkPowerStage()
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
