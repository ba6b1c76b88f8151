/// The device side of MeCom: what a device at one address answers to one request frame.
public enum MeComResponder {
  /// The broadcast address: every device carries the request out, none answers.
  public static let broadcastAddress: UInt8 = 255
  /// Server error 1, a payload that is not a command the device offers.
  public static let commandNotAvailable = MeComServerError(code: 1)

  /// The reply of a device at `deviceAddress` to `frame` (from `#` to the carriage
  /// return), or `nil` when the device stays silent: a frame that fails its layout or CRC
  /// checks, one for another address, or a broadcast (carried out, not answered).
  ///
  /// A `?VR` is answered with the value or the table's server error, a `VS` with an
  /// acknowledge (the request's CRC echoed) or the table's server error, any other payload
  /// with server error 1.
  public static func reply<Table: MeComParameterTable>(
    to frame: [UInt8], deviceAddress: UInt8, parameters: inout Table
  ) -> [UInt8]? {
    guard let fields = try? MeComFields(frame, start: MeComFrame.requestStart),
      fields.crcField == fields.computedCRC
    else { return nil }
    let isBroadcast = fields.address == broadcastAddress
    guard fields.address == deviceAddress || isBroadcast else { return nil }
    let address = fields.address
    let sequence = fields.sequence
    let reply: [UInt8]
    do {
      let request = try MeComRequestDecoder.decode(frame)
      switch request.command {
      case .read(let parameterID, let instance):
        switch parameters.read(parameterID: parameterID, instance: instance) {
        case .success(let value):
          reply = MeComFrame.valueReply(address: address, sequence: sequence, value: value)
        case .failure(let error):
          reply = MeComFrame.serverErrorReply(address: address, sequence: sequence, error: error)
        }
      case .set(let parameterID, let instance, let value):
        if let error = parameters.write(
          parameterID: parameterID, instance: instance, bits: value.bits)
        {
          reply = MeComFrame.serverErrorReply(address: address, sequence: sequence, error: error)
        } else {
          reply = MeComFrame.acknowledge(
            address: address, sequence: sequence, requestCRC: fields.crcField)
        }
      }
    } catch {
      reply = MeComFrame.serverErrorReply(
        address: address, sequence: sequence, error: commandNotAvailable)
    }
    return isBroadcast ? nil : reply
  }
}
