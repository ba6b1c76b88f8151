extension MeComFrame {
  /// The device's reply to a `?VR`: the value's 32-bit pattern in 8 hex digits.
  public static func valueReply(address: UInt8, sequence: UInt16, value: MeComValue) -> [UInt8] {
    var payload: [UInt8] = []
    HexText.append(value.bits, width: 8, to: &payload)
    return build(start: replyStart, address: address, sequence: sequence, payload: payload)
  }

  /// The device's refusal: `+` and the error code in 2 hex digits.
  public static func serverErrorReply(
    address: UInt8, sequence: UInt16, error: MeComServerError
  ) -> [UInt8] {
    var payload: [UInt8] = [0x2B]
    HexText.append(UInt32(error.code), width: 2, to: &payload)
    return build(start: replyStart, address: address, sequence: sequence, payload: payload)
  }
}
