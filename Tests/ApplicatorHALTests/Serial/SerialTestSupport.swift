import Foundation
import Glibc
import Synchronization
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// One millisecond, ns.
let nanosecondsPerMillisecond: UInt64 = 1_000_000

/// A deadline `milliseconds` from now on the monotonic clock.
func deadline(inMilliseconds milliseconds: UInt64) -> UInt64 {
  MonotonicClock.rawNanoseconds() + milliseconds * nanosecondsPerMillisecond
}

/// A deadline for waits whose length is incidental: long enough for a loaded
/// 2-core machine, never reached when things work.
func generousDeadline() -> UInt64 { deadline(inMilliseconds: 3_000) }

/// The UTF-8 bytes of `text`.
func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Two ends of a real byte stream: `device` is the emulator's side, `host`
/// the side a host program uses.
struct SerialStreamPair {
  let device: any ByteStream
  let host: any ByteStream
  /// Objects that must live as long as the pair (the pty, the listener).
  let owners: [AnyObject]
}

/// The kernel objects the stream tests run against.
enum SerialTransport: String, CaseIterable, CustomTestStringConvertible, Sendable {
  /// A pty: a ``SerialPort`` on the slave, the ``PseudoTerminal`` master as the device.
  case pseudoTerminal
  /// A loopback TCP connection: ``TCPStream`` client and accepted server.
  case tcp

  var testDescription: String { rawValue }

  func makePair() throws -> SerialStreamPair {
    switch self {
    case .pseudoTerminal:
      let pty = try PseudoTerminal()
      let host = try SerialPort(path: pty.slavePath)
      return SerialStreamPair(device: pty.master, host: host, owners: [pty])
    case .tcp:
      let listener = try TCPListener(url: "tcp://127.0.0.1:0")
      let host = try TCPStream(
        url: "tcp://127.0.0.1:\(listener.port)",
        connectTimeoutNanoseconds: 3_000 * nanosecondsPerMillisecond)
      let device = try listener.accept(deadlineNanoseconds: generousDeadline())
      return SerialStreamPair(device: device, host: host, owners: [listener])
    }
  }
}

/// A scripted stand-in for the system calls of one descriptor: plays
/// errno sequences, partial transfers and a virtual clock that only `poll`
/// advances (by its timeout, when nothing is ready).
final class ScriptedDescriptor {
  typealias Errno = SerialSystemCalls.Errno

  /// What the next `write` does.
  enum WriteStep {
    /// Takes at most this many bytes.
    case take(Int)
    /// Fails with this errno.
    case fail(CInt)
  }

  /// What the next `read` does.
  enum ReadStep {
    /// Returns these bytes (an empty array is end of file).
    case data([UInt8])
    /// Fails with this errno.
    case fail(CInt)
  }

  /// What the next `poll` does.
  enum PollStep {
    /// Reports these `revents`.
    case ready(Int16)
    /// Fails with this errno.
    case fail(CInt)
    /// Times out (the clock moves by the timeout).
    case timeout
  }

  /// The descriptor number handed to the stream; no real file has it.
  let descriptor: CInt = 9_999
  /// The virtual monotonic clock, ns.
  var now: UInt64 = 1_000_000_000
  var writeSteps: [WriteStep] = []
  var readSteps: [ReadStep] = []
  var pollSteps: [PollStep] = []
  /// Every byte `write` accepted, in order.
  private(set) var written: [UInt8] = []
  /// Every `poll`: the events asked for and the timeout.
  private(set) var polls: [(events: Int16, timeoutMilliseconds: CInt)] = []
  private(set) var closeCount = 0

  /// The system calls: scripted `write`, `send`, `read`, `poll`, `close` and
  /// clock; the rest are the real ones.
  var systemCalls: SerialSystemCalls {
    var calls = SerialSystemCalls.posix
    calls.monotonicNanoseconds = { self.now }
    calls.write = { _, buffer throws(Errno) in try self.scriptedWrite(buffer) }
    calls.send = { _, buffer throws(Errno) in try self.scriptedWrite(buffer) }
    calls.read = { _, buffer throws(Errno) in try self.scriptedRead(buffer) }
    calls.poll = { _, events, timeout throws(Errno) in try self.scriptedPoll(events, timeout) }
    calls.close = { _ in self.closeCount += 1 }
    calls.flush = { _, _ throws(Errno) in }
    return calls
  }

  /// A stream over the scripted descriptor.
  func stream(kind: DescriptorStream.Kind = .terminal) -> DescriptorStream {
    DescriptorStream(descriptor: descriptor, kind: kind, systemCalls: systemCalls)
  }

  private func scriptedWrite(_ buffer: UnsafeRawBufferPointer) throws(Errno) -> Int {
    let step = writeSteps.isEmpty ? .take(buffer.count) : writeSteps.removeFirst()
    switch step {
    case .take(let limit):
      let count = min(limit, buffer.count)
      written.append(contentsOf: buffer.prefix(count))
      return count
    case .fail(let code):
      throw Errno(code)
    }
  }

  private func scriptedRead(_ buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
    guard !readSteps.isEmpty else { throw Errno(EAGAIN) }
    switch readSteps.removeFirst() {
    case .data(let data):
      let count = min(data.count, buffer.count)
      data.withUnsafeBytes {
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(count)))
      }
      if count < data.count { readSteps.insert(.data(Array(data[count...])), at: 0) }
      return count
    case .fail(let code):
      throw Errno(code)
    }
  }

  private func scriptedPoll(_ events: Int16, _ timeout: CInt) throws(Errno) -> Int16 {
    polls.append((events, timeout))
    let step: PollStep
    if !pollSteps.isEmpty {
      step = pollSteps.removeFirst()
    } else if events & Int16(POLLOUT) != 0 {
      step = .ready(Int16(POLLOUT))
    } else if events & Int16(POLLIN) != 0 && !readSteps.isEmpty {
      step = .ready(Int16(POLLIN))
    } else {
      step = .timeout
    }
    switch step {
    case .ready(let revents): return revents
    case .fail(let code): throw Errno(code)
    case .timeout:
      now += UInt64(max(0, timeout)) * nanosecondsPerMillisecond
      return 0
    }
  }
}

/// A thread-safe cell for handing results back from a helper thread.
final class SharedCell<Value: Sendable>: Sendable {
  private let storage: Mutex<Value>

  init(_ value: Value) { storage = Mutex(value) }

  var value: Value {
    get { storage.withLock { $0 } }
    set { storage.withLock { $0 = newValue } }
  }
}
