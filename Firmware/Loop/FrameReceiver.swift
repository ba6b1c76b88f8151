/// What ``FrameReceiver/receive(sensorCount:deadlineWraps:hunting:)`` got.
enum Reception {
  /// A whole tick frame with a good CRC is in the buffer.
  case frame
  /// The link is unsound.
  case fault(LinkFault)
}

/// Assembles tick frames from the link's lanes (byte k of a frame on lane
/// k mod ``boardUARTLanes()``), sleeping (WFI) between bytes.
struct FrameReceiver {
  /// The frame last received.
  private(set) var buffer = FrameBuffer()

  /// Waits for the next whole tick frame of `sensorCount` sensors until the
  /// SysTick wrap count reaches `deadlineWraps` (then `.fault(.hostGone)`).
  /// A byte that cannot start or continue a frame is a corrupt frame, unless
  /// `hunting` (after a fault), when every byte held is dropped and the next
  /// frame is awaited from lane 0.
  mutating func receive(sensorCount: Int, deadlineWraps: UInt32, hunting: Bool) -> Reception {
    buffer.removeAll()
    let frameBytes = LinkProtocol.tickFrameBytes(sensorCount: sensorCount)
    let lanes = max(boardUARTLanes(), 1)
    while true {
      var byte: UInt8 = 0
      let lane = UInt32(truncatingIfNeeded: buffer.count) % lanes
      guard boardUARTReadByte(lane, &byte) != 0 else {
        if boardUARTWait(lane, deadlineWraps) == 0 { return .fault(.hostGone) }
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
        resynchronise()
        continue
      }
      _ = buffer.append(byte)
      if buffer.count == 4 {
        let kind = buffer.byte(2)
        guard kind == LinkProtocol.kindTick || kind == LinkProtocol.kindEnd,
          Int(buffer.byte(3)) == sensorCount
        else {
          if !hunting { return .fault(.badFrame) }
          resynchronise()
          continue
        }
      }
      if buffer.count == frameBytes {
        let crc = UInt32(truncatingIfNeeded: buffer.word(frameBytes - 4, bytes: 4))
        guard crc == buffer.crc(2..<(frameBytes - 4)) else {
          if !hunting { return .fault(.corruptFrame) }
          resynchronise()
          continue
        }
        return .frame
      }
    }
  }

  /// Drops the frame begun and every byte held on any lane: the next byte
  /// expected is a frame's first, on lane 0.
  private mutating func resynchronise() {
    buffer.removeAll()
    boardUARTDiscard()
  }
}
