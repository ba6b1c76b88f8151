/// Why connecting to a MeCom instrument failed, before anything was driven.
public enum MeComConnectError: Error, Equatable, Sendable {
  /// The instrument did not answer, or went away (exit 74).
  case noAnswer(String)
  /// The instrument answered, but is not the one the rig file describes, or did not keep a
  /// limit written into it (exit 65): both sides named.
  case mismatch(String)

  /// The message.
  public var message: String {
    switch self {
    case .noAnswer(let text), .mismatch(let text): text
    }
  }
}
