import ApplicatorHAL

/// A power stage that keeps what it was told; its read-back is the
/// command plus the error recorded in the trace (as `devsim replay` does).
struct RecordedStage: PowerStage {
  let commandRange = CommandRange.bipolar
  var command = 0.0
  var enabled = false
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

/// An applicator that serves one recorded row of readings per tick.
struct RecordedApplicator: Applicator {
  var powerStage = RecordedStage()
  let sensorCount: Int
  /// This tick's readings, interlocks and read-back error, set before the tick.
  var row: SensorSnapshot
  var interlocks = Interlocks.allMade

  init(sensorCount: Int) {
    self.sensorCount = sensorCount
    row = SensorSnapshot(count: sensorCount)
  }

  mutating func advance(toNanoseconds nowNanoseconds: UInt64) {}

  mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
    snapshot = row
  }

  mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
    interlocks
  }
}
