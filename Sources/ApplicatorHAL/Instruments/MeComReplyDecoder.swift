/// The host's strict reader of device replies.
public enum MeComReplyDecoder {
  /// Checks `frame` (the bytes from `!` to the carriage return) as the reply to `request`
  /// and returns what it says.
  ///
  /// Checks, in order: length (``MeComError/overlong(bytes:)``,
  /// ``MeComError/partialFrame(bytes:)``), start `!`, hex digits, CRC (an acknowledge must
  /// carry the request's CRC), address, sequence; then a `+` payload is the device's
  /// ``MeComError/serverError(_:)``, and the payload must be the one the command calls for:
  /// 8 hex digits for `?VR`, none (an acknowledge) for `VS`. Never traps on any input.
  public static func decode(_ frame: [UInt8], for request: MeComRequest) throws(MeComError)
    -> MeComReply
  {
    let fields = try MeComFields(frame, start: MeComFrame.replyStart)
    let isAcknowledge = fields.payload.isEmpty
    // An acknowledge carries its request's CRC, not its own: a late acknowledge of an
    // earlier request fails this request's CRC, so its address and sequence are judged
    // first (a late one is then a wrong sequence, dropped by the link, not a bad CRC).
    if isAcknowledge {
      try check(fields, against: request)
    }
    let expectedCRC = isAcknowledge ? request.crc : fields.computedCRC
    guard fields.crcField == expectedCRC else {
      throw .badCRC(expected: expectedCRC, received: fields.crcField)
    }
    try check(fields, against: request)
    let payload = Array(fields.payload)
    if payload.first == 0x2B {  // '+'
      guard payload.count == 3, let code = HexText.read(payload, at: 1, width: 2) else {
        throw .unexpectedPayload
      }
      throw .serverError(MeComServerError(code: UInt8(code)))
    }
    switch request.command {
    case .read:
      guard payload.count == 8, let bits = HexText.read(payload, at: 0, width: 8) else {
        throw .unexpectedPayload
      }
      return .value(bits: bits)
    case .set:
      guard isAcknowledge else { throw .unexpectedPayload }
      return .acknowledged
    }
  }

  /// Refuses a reply to another address or another sequence number.
  private static func check(_ fields: MeComFields, against request: MeComRequest)
    throws(MeComError)
  {
    guard fields.address == request.address else {
      throw .wrongAddress(expected: request.address, received: fields.address)
    }
    guard fields.sequence == request.sequence else {
      throw .wrongSequence(expected: request.sequence, received: fields.sequence)
    }
  }
}
