/// What ``FrameReceiver/receive(sensorCount:deadlineWraps:hunting:)`` got.
enum Reception {
  /// A whole tick frame with a good CRC is in the buffer.
  case frame
  /// The link is unsound.
  case fault(LinkFault)
}

/// Assembles tick frames from UART0's bytes, sleeping (WFI) between them.
struct FrameReceiver {
  /// The frame last received.
  private(set) var buffer = FrameBuffer()

  /// Waits for the next whole tick frame of `sensorCount` sensors until the
  /// SysTick wrap count reaches `deadlineWraps` (then `.fault(.hostGone)`).
  /// A byte that cannot start or continue a frame is a corrupt frame, unless
  /// `hunting` (after a fault), when bytes are skipped up to the next magic.
  mutating func receive(sensorCount: Int, deadlineWraps: UInt32, hunting: Bool) -> Reception {
    buffer.removeAll()
    let frameBytes = LinkProtocol.tickFrameBytes(sensorCount: sensorCount)
    while true {
      var byte: UInt8 = 0
      guard boardUARTReadByte(&byte) != 0 else {
        if boardUARTWait(deadlineWraps) == 0 { return .fault(.hostGone) }
        continue
      }
      let expected: UInt8? =
        switch buffer.count {
        case 0: LinkProtocol.magic
        case 1: LinkProtocol.tickMagic
        default: nil
        }
      if let expected, byte != expected {
        if !hunting { return .fault(.corruptFrame) }
        buffer.removeAll()
        if byte == LinkProtocol.magic { _ = buffer.append(byte) }
        continue
      }
      _ = buffer.append(byte)
      if buffer.count == 4 {
        let kind = buffer.byte(2)
        guard kind == LinkProtocol.kindTick || kind == LinkProtocol.kindEnd,
          Int(buffer.byte(3)) == sensorCount
        else {
          if !hunting { return .fault(.badFrame) }
          buffer.removeAll()
          continue
        }
      }
      if buffer.count == frameBytes {
        let crc = UInt32(truncatingIfNeeded: buffer.word(frameBytes - 4, bytes: 4))
        guard crc == buffer.crc(2..<(frameBytes - 4)) else {
          if !hunting { return .fault(.corruptFrame) }
          buffer.removeAll()
          continue
        }
        return .frame
      }
    }
  }
}
