/// SCPI error codes used by the rig (standard SCPI-99 codes).
///
/// The raw value is the code reported by `SYSTem:ERRor?`; errors reach the
/// host only through the ``SCPIErrorQueue``, never as a reply of their own.
public enum SCPIError: Int, Error, Sendable, CaseIterable {
  /// −102: malformed text (bad characters, empty header, unterminated string, …).
  case syntax = -102
  /// −109: a command needs a parameter that is not there.
  case missingParameter = -109
  /// −113: the header names no command of the rig.
  case undefinedHeader = -113
  /// −200: the command is valid but could not be carried out.
  case execution = -200
  /// −221: the command conflicts with the rig's state (an interlock or trip is latched).
  case settingsConflict = -221
  /// −222: a number outside the accepted range.
  case dataOutOfRange = -222
  /// −224: a parameter of the wrong kind or an unknown choice.
  case illegalParameterValue = -224
  /// −350: the error queue overflowed; later errors were lost.
  case queueOverflow = -350
  /// −363: a program message longer than ``SCPIParser/maximumLineBytes``.
  case inputBufferOverrun = -363

  /// The standard SCPI-99 message for the code, e.g. "Data out of range".
  public var message: String {
    switch self {
    case .syntax: "Syntax error"
    case .missingParameter: "Missing parameter"
    case .undefinedHeader: "Undefined header"
    case .execution: "Execution error"
    case .settingsConflict: "Settings conflict"
    case .dataOutOfRange: "Data out of range"
    case .illegalParameterValue: "Illegal parameter value"
    case .queueOverflow: "Queue overflow"
    case .inputBufferOverrun: "Input buffer overrun"
    }
  }

  /// The SYSTem:ERRor? reply: `-222,"Data out of range"`.
  public var reply: String { "\(rawValue),\(SCPIFormat.quoted(message))" }
}
