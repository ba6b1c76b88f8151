/// One host request, built once: its bytes and the CRC an acknowledge must echo.
public struct MeComRequest: Equatable, Sendable {
  /// The device address (255 is a broadcast, which no device answers).
  public let address: UInt8
  /// The sequence number the reply must carry.
  public let sequence: UInt16
  /// What is asked.
  public let command: MeComCommand
  /// The frame as sent, `#` to carriage return.
  public let bytes: [UInt8]
  /// The frame's CRC-16/XMODEM (an acknowledge carries it back).
  public let crc: UInt16

  /// Builds the frame of `command` to `address` with `sequence`.
  public init(address: UInt8, sequence: UInt16, command: MeComCommand) {
    self.address = address
    self.sequence = sequence
    self.command = command
    let bytes = MeComFrame.build(
      start: MeComFrame.requestStart, address: address, sequence: sequence,
      payload: command.payload)
    self.bytes = bytes
    self.crc = CRC16.xmodem(bytes.dropLast(MeComFrame.trailerBytes))
  }
}
