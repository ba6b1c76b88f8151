import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux
@testable import InstrumentProtocols

/// A device on a real pty that answers each decoded request with whatever the test's
/// script returns: frames to send (after an optional delay), possibly wrong ones.
private final class RawMeComDevice: @unchecked Sendable {
  typealias Script = @Sendable (MeComRequest) -> (delayMicroseconds: UInt32, frames: [[UInt8]])

  let pty: PseudoTerminal
  private let finished = DispatchSemaphore(value: 0)
  private let stopping = Atomic<Bool>(false)

  init(_ script: @escaping Script) throws {
    pty = try PseudoTerminal()
    nonisolated(unsafe) let master = pty.master
    let thread = Thread { [self] in
      defer { finished.signal() }
      var assembler = MeComFrameAssembler(start: MeComFrame.requestStart)
      while !stopping.load(ordering: .relaxed) {
        guard
          let bytes = try? master.readBytes(
            deadlineNanoseconds: MonotonicClock.rawNanoseconds() + 50_000_000)
        else { continue }
        for byte in bytes {
          guard case .frame(let frame) = assembler.take(byte),
            let request = try? MeComRequestDecoder.decode(frame)
          else { continue }
          let (delay, frames) = script(request)
          if delay > 0 { usleep(delay) }
          for reply in frames {
            try? master.write(
              reply, deadlineNanoseconds: MonotonicClock.rawNanoseconds() + 1_000_000_000)
          }
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
}

/// The value reply a correct device sends to `request`.
private func correct(_ request: MeComRequest, _ value: Float = 21.5) -> [UInt8] {
  MeComFrame.valueReply(
    address: request.address, sequence: request.sequence, value: .float32(value))
}

/// Every reply that cannot be trusted is a typed fault of the exchange it answers, never a
/// value; a late reply is dropped, never taken for a newer request's.
@Suite(.tags(.safety, .io), .serialized) struct MeComLinkTests {
  private func link(_ device: RawMeComDevice, timeout: UInt64 = 200_000_000) throws -> MeComLink {
    MeComLink(
      stream: try SerialPort(path: device.pty.slavePath), address: 3,
      replyTimeoutNanoseconds: timeout)
  }

  @Test func aCorrectReplyIsTheValue() throws {
    let device = try RawMeComDevice { (0, [correct($0)]) }
    defer { device.stop() }
    #expect(try link(device).readFloat(MeComParameter.objectTemperature) == 21.5)
  }

  @Test func aReplyFromAnotherAddressIsAProtocolFault() throws {
    let device = try RawMeComDevice { request in
      (
        0,
        [
          MeComFrame.valueReply(
            address: 4, sequence: request.sequence, value: .float32(21.5))
        ]
      )
    }
    defer { device.stop() }
    let line = try link(device)
    #expect(throws: FaultKind.protocolError) {
      _ = try line.readFloat(MeComParameter.objectTemperature)
    }
    #expect(line.lastError == .wrongAddress(expected: 3, received: 4))
  }

  @Test func aServerErrorIsAnInvalidValue() throws {
    let device = try RawMeComDevice { request in
      (
        0,
        [
          MeComFrame.serverErrorReply(
            address: request.address, sequence: request.sequence,
            error: MeComServerError(code: 7))
        ]
      )
    }
    defer { device.stop() }
    let line = try link(device)
    #expect(throws: FaultKind.invalidValue) {
      try line.set(MeComParameter.currentLimit, .float32(99))
    }
    #expect(line.lastError == .serverError(MeComServerError(code: 7)))
  }

  @Test func aValueWhereAnAcknowledgeIsDueIsAProtocolFault() throws {
    let device = try RawMeComDevice { (0, [correct($0)]) }
    defer { device.stop() }
    #expect(throws: FaultKind.protocolError) {
      try link(device).set(MeComParameter.liveCurrent, .float32(1))
    }
  }

  @Test func aPartialFrameAtTheDeadlineIsATimeout() throws {
    let device = try RawMeComDevice { (0, [Array(correct($0).dropLast(3))]) }
    defer { device.stop() }
    let line = try link(device)
    #expect(throws: FaultKind.timedOut) {
      _ = try line.readFloat(MeComParameter.objectTemperature)
    }
    #expect(line.lastError == .partialFrame(bytes: 17))
  }

  /// The first reply comes after the deadline: that read times out; the late reply, when
  /// it comes, is dropped, and the next read gets its own value.
  @Test func aLateReplyIsDroppedNotTakenForTheNextOne() throws {
    let count = Atomic<Int>(0)
    let device = try RawMeComDevice { request in
      let number = count.add(1, ordering: .relaxed).newValue
      return number == 1 ? (300_000, [correct(request, 99)]) : (0, [correct(request, 21.5)])
    }
    defer { device.stop() }
    let line = try link(device, timeout: 100_000_000)
    #expect(throws: FaultKind.timedOut) {
      _ = try line.readFloat(MeComParameter.objectTemperature)
    }
    usleep(400_000)
    #expect(try line.readFloat(MeComParameter.objectTemperature) == 21.5)
    #expect(line.lateReplies >= 1)
  }

  /// A stale reply arriving while the next request waits (its sequence number is older)
  /// is skipped; the request's own reply is taken.
  @Test func aStaleReplyBeforeTheRightOneIsSkipped() throws {
    let device = try RawMeComDevice { request in
      let stale = MeComFrame.valueReply(
        address: request.address, sequence: request.sequence &- 1, value: .float32(99))
      return (0, [stale, correct(request)])
    }
    defer { device.stop() }
    let line = try link(device)
    #expect(try line.readFloat(MeComParameter.objectTemperature) == 21.5)
    #expect(line.lateReplies == 1)
  }

  @Test func aNaNIsAFaultFlag() throws {
    let device = try RawMeComDevice { (0, [correct($0, .nan)]) }
    defer { device.stop() }
    #expect(throws: FaultKind.faultFlag) {
      _ = try link(device).readFloat(MeComParameter.objectTemperature)
    }
  }

  @Test func aHangUpLosesTheLink() throws {
    let device = try RawMeComDevice { _ in (0, []) }
    let line = try link(device)
    device.stop()
    #expect(throws: FaultKind.disconnected) {
      _ = try line.readFloat(MeComParameter.objectTemperature)
    }
    #expect(line.isLost)
  }
}
