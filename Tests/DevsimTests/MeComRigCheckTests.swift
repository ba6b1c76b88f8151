import ApplicatorHAL
import ApplicatorLinux
import Foundation
import InstrumentProtocols
import Synchronization
import Testing

@testable import DevsimKit

/// `devsim rig check` in-process against an emulated TEC on a pty that records every
/// request: it writes nothing, and it fails on a device status other than ready or run.
@Suite(.tags(.io), .serialized) struct MeComRigCheckTests {
  /// The emulated TEC of the shipped TEC profile, every set request recorded, its device
  /// status replaced by `status` when given.
  private final class RecordingInstrument: @unchecked Sendable {
    let pty: PseudoTerminal
    private let lock = NSLock()
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private var table: Table
    /// The parameters set requests went to, in order.
    var written: [UInt16] { lock.withLock { table.written } }
    /// How many frames were answered.
    var answered: Int { lock.withLock { table.answered } }

    init(profile: Profile, status: Int32?) throws {
      var emulator = MeComEmulator(profile: profile)
      emulator.tick(nowNanoseconds: 1_000_000_000)
      table = Table(emulator: emulator, status: status)
      pty = try PseudoTerminal()
      nonisolated(unsafe) let master = pty.master
      let thread = Thread { [self] in
        defer { finished.signal() }
        var assembler = MeComFrameAssembler(start: MeComFrame.requestStart)
        while !stopping.load(ordering: .relaxed) {
          let bytes: [UInt8]
          do throws(FaultKind) {
            bytes = try master.readBytes(
              deadlineNanoseconds: MonotonicClock.rawNanoseconds() + 50_000_000)
          } catch {
            if error == .timedOut { continue }
            return
          }
          for byte in bytes {
            guard case .frame(let frame) = assembler.take(byte) else { continue }
            let reply = lock.withLock {
              table.answered += 1
              return MeComResponder.reply(to: frame, deviceAddress: 0, parameters: &table)
            }
            guard let reply else { continue }
            try? master.write(
              reply, deadlineNanoseconds: MonotonicClock.rawNanoseconds() + 1_000_000_000)
          }
        }
      }
      thread.start()
    }

    func stop() {
      guard !stopping.exchange(true, ordering: .relaxed) else { return }
      _ = finished.wait(timeout: .now() + 5)
      pty.close()
    }

    private struct Table: MeComParameterTable {
      var emulator: MeComEmulator
      let status: Int32?
      var written: [UInt16] = []
      var answered = 0

      func read(parameterID: UInt16, instance: UInt8) -> Result<MeComValue, MeComServerError> {
        if parameterID == MeComParameter.deviceStatus, let status {
          return .success(.int32(status))
        }
        return emulator.read(parameterID: parameterID, instance: instance)
      }

      mutating func write(parameterID: UInt16, instance: UInt8, bits: UInt32)
        -> MeComServerError?
      {
        written.append(parameterID)
        return emulator.write(parameterID: parameterID, instance: instance, bits: bits)
      }
    }
  }

  private func check(status: Int32?) throws -> (
    code: Int32, output: String, instrument: RecordingInstrument
  ) {
    let profile = try ProfileLoader.load(
      repositoryRoot.appendingPathComponent("rigs/cryolipolysis-tec-1091.json").path
    ).profile
    let instrument = try RecordingInstrument(profile: profile, status: status)
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = try String(
      contentsOf: repositoryRoot.appendingPathComponent("rigs/mecom-tec-1091.json"),
      encoding: .utf8
    ).replacingOccurrences(of: "\"/dev/ttyUSB0\"", with: "\"\(instrument.pty.slavePath)\"")
    let rig = directory.appendingPathComponent("rig.json").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: rig))
    let result = devsim(["rig", "check", rig])
    instrument.stop()
    return (result.code, result.output, instrument)
  }

  /// A healthy instrument: every item read (requests answered), nothing written, OK.
  @Test func rigCheckWritesNothing() throws {
    let (code, output, instrument) = try check(status: nil)
    #expect(code == 0, "\(output)")
    #expect(output.contains("device status (104): 2"), "\(output)")
    #expect(output.contains("result OK"), "\(output)")
    #expect(instrument.answered >= 9, "identity, two sensors and five parameters were read")
    #expect(instrument.written.isEmpty, "set requests: \(instrument.written)")
  }

  /// Its error state (3), reset (5) or a value not listed fails the check (1).
  @Test(arguments: [Int32(3), 5, 99])
  func rigCheckFailsOnAStatusOtherThanReadyOrRun(status: Int32) throws {
    let (code, output, instrument) = try check(status: status)
    #expect(code == 1, "\(output)")
    #expect(output.contains("device status (104): \(status) NOT READY"), "\(output)")
    #expect(output.contains("result FAIL"), "\(output)")
    #expect(instrument.written.isEmpty)
  }
}
