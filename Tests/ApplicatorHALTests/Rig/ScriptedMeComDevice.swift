import Foundation
import Synchronization
import TestSupport

@testable import ApplicatorHAL
@testable import ApplicatorLinux
@testable import InstrumentProtocols

/// A scripted MeCom TEC on a real pty, answering through ``MeComResponder`` from a small
/// parameter store: what the driver writes is kept and read back, the temperatures are
/// what the test presents, and it can be told to misbehave.
final class ScriptedMeComDevice: @unchecked Sendable {
  /// How the device misbehaves on temperature reads.
  enum Misbehaviour {
    /// Temperatures read as NaN.
    case notANumber
    /// Temperature reads are refused with server error 9.
    case refused
    /// Temperature reads get no reply at all.
    case silent
    /// Temperature replies carry a wrong CRC.
    case badCRC
    /// Nothing gets a reply (an instrument gone silent).
    case deaf
  }

  let pty: PseudoTerminal
  private let lock = NSLock()
  private let finished = DispatchSemaphore(value: 0)
  private let stopping = Atomic<Bool>(false)
  private var celsius: [Double] = [20, 25]
  private var misbehaviour: Misbehaviour? = nil
  private var stored: [UInt16: UInt32] = [:]
  /// Parameters whose read-back the device alters (a limit it does not keep).
  private var altered: [UInt16: UInt32] = [:]
  /// The device status it reports (2, run, unless a test sets another).
  private var status: Int32 = 2
  /// The device type it reports.
  let deviceType: Int32
  /// The full-scale current the observation divides by, A.
  let fullScaleAmperes: Double

  init(deviceType: Int32 = 1091, fullScaleAmperes: Double = 4) throws {
    self.deviceType = deviceType
    self.fullScaleAmperes = fullScaleAmperes
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
          guard case .frame(let frame) = assembler.take(byte), let reply = answer(frame) else {
            continue
          }
          try? master.write(
            reply, deadlineNanoseconds: MonotonicClock.rawNanoseconds() + 1_000_000_000)
        }
      }
    }
    thread.start()
  }

  /// The device's answer to one frame, or nil for silence.
  private func answer(_ frame: [UInt8]) -> [UInt8]? {
    lock.withLock {
      if misbehaviour == .deaf { return nil }
      if let request = try? MeComRequestDecoder.decode(frame),
        case .read(let parameter, _) = request.command,
        parameter == MeComParameter.objectTemperature || parameter == MeComParameter.sinkTemperature
      {
        switch misbehaviour {
        case .silent: return nil
        case .badCRC:
          var reply = MeComFrame.valueReply(
            address: request.address, sequence: request.sequence, value: .float32(20))
          reply[reply.count - 2] = reply[reply.count - 2] == 0x30 ? 0x31 : 0x30
          return reply
        default: break
        }
      }
      var table = Table(device: self)
      return MeComResponder.reply(to: frame, deviceAddress: 0, parameters: &table)
    }
  }

  /// Sets the temperatures (object, sink); ends a misbehaviour.
  func present(_ values: [Double]) {
    lock.withLock {
      celsius = values
      misbehaviour = nil
    }
  }

  /// Makes temperature reads misbehave.
  func misbehave(_ kind: Misbehaviour) { lock.withLock { misbehaviour = kind } }

  /// Makes the device read back `bits` for `parameter`, whatever was written.
  func alter(_ parameter: UInt16, to bits: UInt32) { lock.withLock { altered[parameter] = bits } }

  /// Makes the device report `status` as its device status (104) from now on.
  func report(status: Int32) { lock.withLock { self.status = status } }

  /// The value last written to `parameter`.
  func value(_ parameter: UInt16) -> UInt32? { lock.withLock { stored[parameter] } }

  /// The output as the device applies it: live current with live enable under output
  /// stage enable 2, as a fraction of full scale.
  var observation: StageObservation {
    lock.withLock {
      let on =
        stored[MeComParameter.outputStageEnable] == 2 && stored[MeComParameter.liveEnable] == 1
      let amperes = Double(Float(bitPattern: stored[MeComParameter.liveCurrent] ?? 0))
      return StageObservation(command: on ? amperes / fullScaleAmperes : 0, enabled: on)
    }
  }

  /// Stops the device's thread, then hangs up (an unplug).
  func stop() {
    guard !stopping.exchange(true, ordering: .relaxed) else { return }
    _ = finished.wait(timeout: .now() + 5)
    pty.close()
  }

  /// The table the responder sees (called with the lock held).
  private struct Table: MeComParameterTable {
    let device: ScriptedMeComDevice

    func read(parameterID: UInt16, instance: UInt8) -> Result<MeComValue, MeComServerError> {
      guard instance == 1 else { return .failure(MeComServerError(code: 8)) }
      switch parameterID {
      case MeComParameter.deviceType: return .success(.int32(device.deviceType))
      case MeComParameter.firmwareVersion, MeComParameter.serialNumber: return .success(.int32(1))
      case MeComParameter.deviceStatus: return .success(.int32(device.status))
      case MeComParameter.errorNumber:
        return .success(.int32(device.status == MeComParameter.statusError ? 108 : 0))
      case MeComParameter.objectTemperature, MeComParameter.sinkTemperature:
        if device.misbehaviour == .refused { return .failure(MeComServerError(code: 9)) }
        if device.misbehaviour == .notANumber { return .success(.float32(.nan)) }
        let slot = parameterID == MeComParameter.objectTemperature ? 0 : 1
        return .success(.float32(Float(device.celsius[min(slot, device.celsius.count - 1)])))
      case MeComParameter.actualCurrent:
        let on =
          device.stored[MeComParameter.outputStageEnable] == 2
          && device.stored[MeComParameter.liveEnable] == 1
        return .success(
          .float32(on ? Float(bitPattern: device.stored[MeComParameter.liveCurrent] ?? 0) : 0))
      default:
        if let bits = device.altered[parameterID] {
          return .success(.int32(Int32(bitPattern: bits)))
        }
        guard let bits = device.stored[parameterID] else {
          return .failure(MeComServerError(code: 5))
        }
        return .success(.int32(Int32(bitPattern: bits)))
      }
    }

    mutating func write(parameterID: UInt16, instance: UInt8, bits: UInt32) -> MeComServerError? {
      guard instance == 1 else { return MeComServerError(code: 8) }
      device.stored[parameterID] = bits
      return nil
    }
  }
}
