import ApplicatorHAL
import ApplicatorSimulation

/// A power stage for replay: it records what it is told and reports the
/// trace's read-back error on top of it, if the trace has one.
package struct TraceStage: PowerStage {
  package let commandRange: CommandRange
  package var received = ReceivedDrive()
  package var recordedReadBackError: Double? = nil
  /// Whether the recorded read-back of the current row failed.
  package var recordedReadBackFailed = false

  package mutating func write(command: Double, nowNanoseconds: UInt64) throws(FaultKind) {
    received.command = commandRange.clamp(command)
    received.commandNanoseconds = nowNanoseconds
  }

  package mutating func setEnabled(_ enabled: Bool, nowNanoseconds: UInt64) throws(FaultKind) {
    received.enabled = enabled
    received.enableNanoseconds = nowNanoseconds
  }

  package mutating func safeOff(nowNanoseconds: UInt64) -> FaultKind? {
    received.command = 0
    received.enabled = false
    received.commandNanoseconds = nowNanoseconds
    received.enableNanoseconds = nowNanoseconds
    received.safeOffCount += 1
    return nil
  }

  /// The recorded read-back error on top of what this replay commanded;
  /// a recorded failed read-back (`nan` or empty) is a fault of the read-back.
  package mutating func readBack(nowNanoseconds: UInt64) throws(FaultKind) -> Double? {
    if recordedReadBackFailed { throw .noData }
    return recordedReadBackError.map { (received.enabled ? received.command : 0) + $0 }
  }
}

/// An applicator that plays a recorded trace: open loop, its readings do not
/// depend on the commands.
package struct TraceApplicator: Applicator {
  package var powerStage: TraceStage
  package let sensorCount: Int
  private let trace: Trace
  private var row = 0

  package init(trace: Trace, sensorCount: Int, commandRange: CommandRange) {
    self.trace = trace
    self.sensorCount = sensorCount
    powerStage = TraceStage(commandRange: commandRange)
  }

  package mutating func advance(toNanoseconds nowNanoseconds: UInt64) {
    while row + 1 < trace.rows.count && trace.rows[row + 1].nanoseconds <= nowNanoseconds {
      row += 1
    }
    powerStage.recordedReadBackError = trace.rows[row].readBackError
    powerStage.recordedReadBackFailed = trace.rows[row].readBackFailed
  }

  package mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
    snapshot.count = sensorCount
    for index in 0..<sensorCount { snapshot.readings[index] = trace.rows[row].readings[index] }
  }

  package mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
    trace.rows[row].interlocks
  }
}
