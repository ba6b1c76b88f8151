import ApplicatorHAL

/// One decoded tick frame (see ``LinkProtocol``).
struct TickFrame {
  /// 1 tick, 2 end of run.
  var kind: UInt8 = 0
  var sequence: UInt32 = 0
  var timeNanoseconds: UInt64 = 0
  var readings = SensorSnapshot(count: 0)
  var interlocks = Interlocks.allMade
  /// Read-back minus the command the stage holds; `nil` when the host's
  /// stage gave no read-back.
  var readBackError: Double? = nil
}

extension FrameBuffer {
  /// Decodes a tick frame whose CRC has been checked, `sensorCount` sensors.
  func tickFrame(sensorCount: Int) -> TickFrame {
    var frame = TickFrame()
    frame.kind = byte(2)
    frame.sequence = UInt32(truncatingIfNeeded: word(4, bytes: 4))
    frame.timeNanoseconds = word(8, bytes: 8)
    frame.readings = SensorSnapshot(count: sensorCount)
    for index in 0..<sensorCount {
      let base = 16 + 10 * index
      frame.readings.readings[index] =
        byte(base) == 0
        ? .fault(.noData)
        : .sample(
          TemperatureSample(
            celsius: Double(bitPattern: word(base + 2, bytes: 8)),
            timestampNanoseconds: frame.timeNanoseconds, isNew: byte(base + 1) != 0))
    }
    let tail = 16 + 10 * sensorCount
    frame.interlocks = Interlocks(contactMade: byte(tail) != 0, coolantFlowing: byte(tail + 1) != 0)
    frame.readBackError = byte(tail + 2) != 0 ? Double(bitPattern: word(tail + 3, bytes: 8)) : nil
    return frame
  }
}
