/// Cuts a byte stream into MeCom frames: bytes before a start character are dropped, a new
/// start character begins the frame afresh (as the vendor's receiver does), a carriage
/// return ends it. Platform-free; the reader feeds it whatever the port delivered.
public struct MeComFrameAssembler: Sendable {
  /// What one byte completed.
  public enum Event: Equatable, Sendable {
    /// A frame from its start character to its carriage return (not yet checked: hand it to
    /// ``MeComReplyDecoder`` or ``MeComRequestDecoder``).
    case frame([UInt8])
    /// A frame grew past ``MeComFrame/maximumBytes`` without its carriage return; its bytes
    /// were dropped and the assembler waits for the next start character.
    case overlong
  }

  /// The start character this side expects (`!` on the host, `#` on a device).
  public let start: UInt8
  /// The bytes of the frame under way; empty between frames.
  public private(set) var pending: [UInt8] = []

  /// An assembler of frames beginning with `start`.
  public init(start: UInt8) {
    self.start = start
    pending.reserveCapacity(MeComFrame.maximumBytes)
  }

  /// Takes one byte; returns a frame when it was the carriage return of one, `overlong` when
  /// it was one too many, else `nil`.
  public mutating func take(_ byte: UInt8) -> Event? {
    if byte == start {
      pending.removeAll(keepingCapacity: true)
      pending.append(byte)
      return nil
    }
    guard !pending.isEmpty else { return nil }
    pending.append(byte)
    if byte == MeComFrame.end {
      let frame = pending
      pending.removeAll(keepingCapacity: true)
      return .frame(frame)
    }
    if pending.count >= MeComFrame.maximumBytes {
      pending.removeAll(keepingCapacity: true)
      return .overlong
    }
    return nil
  }

  /// Whether a frame was started and not finished (at a timeout: a partial frame).
  public var hasPartialFrame: Bool { !pending.isEmpty }
}
