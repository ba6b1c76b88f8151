import ApplicatorHAL

/// An applicator that serves one recorded row of readings per tick.
struct RecordedApplicator: Applicator {
  var powerStage = HeldPowerStage(commandRange: .bipolar)
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
