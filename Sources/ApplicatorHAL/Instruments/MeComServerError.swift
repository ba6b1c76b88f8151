/// A server error code, the device's refusal of a request (reply payload `+` and 2 hex
/// digits). Codes 1…9 are the protocol's generic ones; others are device-specific.
public struct MeComServerError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The code as sent.
  public let code: UInt8

  /// Wraps a code.
  public init(code: UInt8) { self.code = code }

  /// What the code means, in our words.
  public var description: String {
    let meaning =
      switch code {
      case 1: "command not available"
      case 2: "device busy"
      case 3: "general communication error"
      case 4: "format error in the request"
      case 5: "parameter not available"
      case 6: "parameter is read-only"
      case 7: "value out of range"
      case 8: "parameter instance not available"
      case 9: "parameter failure"
      default: "device-specific error"
      }
    return "MeCom server error \(code) (\(meaning))"
  }
}
