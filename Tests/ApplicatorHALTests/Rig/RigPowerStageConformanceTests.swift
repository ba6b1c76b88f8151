import Foundation
import Glibc
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// A rig's output as a scripted rig on a pty keeps it: the power it was
/// sent and its OUTPut state.
private final class RigOutput: @unchecked Sendable {
  private let lock = NSLock()
  private var power = 0.0
  private var on = false

  var observation: StageObservation {
    lock.lock()
    defer { lock.unlock() }
    return StageObservation(command: on ? power : 0, enabled: on)
  }

  /// Applies one program message; returns the reply line, if it asks for one.
  func apply(_ line: String) -> String {
    lock.lock()
    defer { lock.unlock() }
    var replies: [String] = []
    for unit in line.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
      let parts = unit.split(separator: " ", maxSplits: 1).map(String.init)
      switch parts[0] {
      case "*IDN?": replies.append("scripted,rig,1,1")
      case "SYST:ERR?": replies.append("0,\"No error\"")
      case "*OPC?": replies.append("1")
      case "SOUR:POW": power = Double(parts.count > 1 ? parts[1] : "") ?? power
      case "OUTP": on = parts.count > 1 && parts[1] == "ON"
      default: break
      }
    }
    return replies.isEmpty ? "" : replies.joined(separator: ";") + "\n"
  }
}

/// The power stage contract on the rig backend: the same checker as the
/// simulated and sysfs stages, observed on the rig's side of a real pty.
@Suite(.tags(.safety, .io)) struct RigPowerStageConformanceTests {
  @Test(arguments: [CommandRange.bipolar, .unipolar])
  func rig(range: CommandRange) throws {
    var rigs: [(ScriptedRig, RigLink, RigOutput)] = []
    defer { for (rig, _, _) in rigs { rig.stop() } }
    try PowerStageConformance.check(
      {
        let output = RigOutput()
        let rig = try ScriptedRig { line in (0, output.apply(line)) }
        let link = RigLink(
          stream: try SerialPort(path: rig.pty.slavePath), replyTimeoutNanoseconds: 500_000_000)
        rigs.append((rig, link, output))
        return try RigApplicator(link: link, sensorCount: 1, commandRange: range).powerStage
      },
      observe: { _ in
        // A round trip first: the rig has applied every line sent before it.
        guard let (_, link, output) = rigs.last, (try? link.query("*OPC?")) == "1" else {
          return StageObservation(command: .nan, enabled: true)
        }
        return output.observation
      })
  }
}
