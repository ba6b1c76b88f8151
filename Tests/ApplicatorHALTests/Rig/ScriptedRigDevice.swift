import Foundation
import TestSupport

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// A rig's state as a scripted rig on a pty keeps it, for the conformance
/// suites: the temperatures its channels report, its interlocks, its output,
/// and how a channel or the interlock query misbehaves. It answers the
/// lines ``RigApplicator`` sends (the handshake, the one fetch per tick,
/// the power commands).
final class ScriptedRigDevice: @unchecked Sendable {
  /// How a channel misbehaves.
  enum ChannelFailure {
    /// It reports SCPI's NaN, 9.91E37: the rig flags the channel.
    case flagged
    /// It answers text that is not a number.
    case garbled
    /// The rig does not answer the fetch at all.
    case silent
  }

  private let lock = NSLock()
  private var celsius: [Double]
  private var failure: ChannelFailure? = nil
  private var interlocks = "1,1"
  private var power = 0.0
  private var on = false

  init(channels: Int) { celsius = Array(repeating: 20, count: channels) }

  /// Sets what the channels report; ends a channel failure.
  func present(_ values: [Double]) {
    lock.withLock {
      celsius = values
      failure = nil
    }
  }

  /// Makes the channels (or the whole fetch) misbehave.
  func fail(_ failure: ChannelFailure) { lock.withLock { self.failure = failure } }

  /// Sets the `SYST:INT?` answer (`contact,coolant`, or anything else).
  func answerInterlocks(_ text: String) { lock.withLock { interlocks = text } }

  /// The output as the rig applies it.
  var observation: StageObservation {
    lock.withLock { StageObservation(command: on ? power : 0, enabled: on) }
  }

  /// Answers one program message: the delay and the reply line.
  func answer(_ line: String) -> (delayMicroseconds: UInt32, reply: String) {
    lock.withLock {
      var replies: [String] = []
      for unit in line.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
        let parts = unit.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1] : ""
        switch parts[0] {
        case "*IDN?": replies.append("scripted,rig,1,1")
        case "SYST:ERR?": replies.append("0,\"No error\"")
        case "*OPC?": replies.append("1")
        case "SOUR:POW": power = Double(argument) ?? power
        case "OUTP": on = argument == "ON"
        case "MEAS:TEMP?":
          if failure == .silent { return (0, "") }
          let channel = (Int(argument) ?? 0) - 1
          switch failure {
          case .flagged: replies.append("9.91E37")
          case .garbled: replies.append("warm")
          default:
            replies.append(
              channel >= 0 && channel < celsius.count ? String(celsius[channel]) : "9.91E37")
          }
        case "MEAS:POW?": replies.append(String(on ? power : 0))
        case "SYST:INT?": replies.append(interlocks)
        case "STAT:QUES:COND?": replies.append("0")
        default: break
        }
      }
      return (0, replies.isEmpty ? "" : replies.joined(separator: ";") + "\n")
    }
  }
}

/// A scripted rig on a pty, its device state, and the host's applicator connected to it.
final class ScriptedRigConnection {
  let device: ScriptedRigDevice
  let rig: ScriptedRig
  let link: RigLink
  private var stopped = false
  /// How long the link waits for a reply a silent rig owes, ns: until then
  /// the next line is taken for that late reply (see ``RigLink``).
  static let owedReplyLifetimeNanoseconds: UInt64 = 200_000_000

  /// Hangs up the rig's end (once: a second call does nothing).
  func stop() {
    guard !stopped else { return }
    stopped = true
    rig.stop()
  }

  init(channels: Int, range: CommandRange = .bipolar) throws {
    let device = ScriptedRigDevice(channels: channels)
    self.device = device
    rig = try ScriptedRig { line in device.answer(line) }
    // A reply timeout well above a loaded machine's scheduling stalls: the
    // suites test what the host makes of each answer, not its timing.
    link = RigLink(
      stream: try SerialPort(path: rig.pty.slavePath), replyTimeoutNanoseconds: 300_000_000,
      owedReplyLifetimeNanoseconds: Self.owedReplyLifetimeNanoseconds)
  }

  /// The host's applicator on the rig.
  func applicator(channels: Int, range: CommandRange = .bipolar) throws -> RigApplicator {
    try RigApplicator(link: link, sensorCount: channels, commandRange: range)
  }
}
