import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// The line behaviour every ``ByteStream`` promises, checked on real kernel
/// objects: a pty (``SerialPort`` on the slave, ``PseudoTerminal/master``)
/// and a loopback TCP connection.
@Suite("ByteStream conformance (real pty and TCP)", .tags(.io))
struct ByteStreamConformanceTests {
  @Test("lines round-trip both ways", arguments: SerialTransport.allCases)
  func roundTrip(transport: SerialTransport) throws {
    let pair = try transport.makePair()
    try pair.host.write(ascii("*IDN?\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try pair.device.readLine(maximumBytes: 256, deadlineNanoseconds: generousDeadline())
        == ascii("*IDN?"))
    try pair.device.write(
      ascii("ACME,TEC-1,0042,1.0\nsecond\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try pair.host.readLine(maximumBytes: 256, deadlineNanoseconds: generousDeadline())
        == ascii("ACME,TEC-1,0042,1.0"))
    #expect(
      try pair.host.readLine(maximumBytes: 256, deadlineNanoseconds: generousDeadline())
        == ascii("second"))
  }

  @Test(
    "CRLF is accepted; only the CR right before the LF is dropped",
    arguments: SerialTransport.allCases)
  func crlf(transport: SerialTransport) throws {
    let pair = try transport.makePair()
    try pair.device.write(ascii("1.5E+01\r\na\rb\n\r\r\n"), deadlineNanoseconds: generousDeadline())
    for expected in ["1.5E+01", "a\rb", "\r"] {
      #expect(
        try pair.host.readLine(maximumBytes: 64, deadlineNanoseconds: generousDeadline())
          == ascii(expected))
    }
  }

  @Test("a timeout keeps the partial line for the next call", arguments: SerialTransport.allCases)
  func timeoutKeepsPartialLine(transport: SerialTransport) throws {
    let pair = try transport.makePair()
    try pair.device.write(ascii("MEAS:TE"), deadlineNanoseconds: generousDeadline())
    #expect(throws: FaultKind.timedOut) {
      try pair.host.readLine(maximumBytes: 64, deadlineNanoseconds: deadline(inMilliseconds: 30))
    }
    try pair.device.write(ascii("MP? 1\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try pair.host.readLine(maximumBytes: 64, deadlineNanoseconds: generousDeadline())
        == ascii("MEAS:TEMP? 1"))
  }

  @Test(
    "an overlong line gives .outOfRange and the next line reads clean",
    arguments: SerialTransport.allCases)
  func overlongLine(transport: SerialTransport) throws {
    let pair = try transport.makePair()
    // The whole line at once.
    try pair.device.write(ascii("0123456789ABCDEF\nok\n"), deadlineNanoseconds: generousDeadline())
    #expect(throws: FaultKind.outOfRange) {
      try pair.host.readLine(maximumBytes: 8, deadlineNanoseconds: generousDeadline())
    }
    #expect(
      try pair.host.readLine(maximumBytes: 8, deadlineNanoseconds: generousDeadline())
        == ascii("ok"))
    // Too long before its LF has even been sent: reported at once, not at the deadline.
    try pair.device.write(ascii("0123456789"), deadlineNanoseconds: generousDeadline())
    #expect(throws: FaultKind.outOfRange) {
      try pair.host.readLine(maximumBytes: 8, deadlineNanoseconds: generousDeadline())
    }
    try pair.device.write(ascii("rest of it\r\nnext\r\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try pair.host.readLine(maximumBytes: 8, deadlineNanoseconds: generousDeadline())
        == ascii("next"))
  }

  @Test(
    "every byte value but LF passes through unchanged, both ways",
    arguments: SerialTransport.allCases)
  func garbageBytes(transport: SerialTransport) throws {
    let pair = try transport.makePair()
    // NUL, XON/XOFF, ^C, CR, 0x7F, 0xFF, invalid UTF-8 (C3 28, lone continuation 80, F8).
    let garbage: [UInt8] =
      (0...255).filter { $0 != 0x0A }.map(UInt8.init) + [0xC3, 0x28, 0x80, 0xF8, 0x00]
    try pair.device.write(garbage + [0x0A], deadlineNanoseconds: generousDeadline())
    #expect(
      try pair.host.readLine(maximumBytes: 512, deadlineNanoseconds: generousDeadline()) == garbage)
    try pair.host.write(garbage + [0x0A], deadlineNanoseconds: generousDeadline())
    #expect(
      try pair.device.readLine(maximumBytes: 512, deadlineNanoseconds: generousDeadline())
        == garbage)
  }

  @Test("discardInput drops what was received but not read", arguments: SerialTransport.allCases)
  func discardInput(transport: SerialTransport) throws {
    let pair = try transport.makePair()
    try pair.device.write(ascii("stale\npartial"), deadlineNanoseconds: generousDeadline())
    #expect(
      try pair.host.readLine(maximumBytes: 64, deadlineNanoseconds: generousDeadline())
        == ascii("stale"))
    // "partial" is now buffered in the stream (or still in the kernel).
    #expect(throws: FaultKind.timedOut) {
      try pair.host.readLine(maximumBytes: 64, deadlineNanoseconds: deadline(inMilliseconds: 30))
    }
    pair.host.discardInput()
    try pair.device.write(ascii("fresh\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try pair.host.readLine(maximumBytes: 64, deadlineNanoseconds: generousDeadline())
        == ascii("fresh"))
  }

  @Test(
    "close is idempotent and a closed stream throws .disconnected",
    arguments: SerialTransport.allCases)
  func closedStream(transport: SerialTransport) throws {
    let pair = try transport.makePair()
    pair.host.close()
    pair.host.close()
    #expect(throws: FaultKind.disconnected) {
      try pair.host.write(ascii("x\n"), deadlineNanoseconds: generousDeadline())
    }
    #expect(throws: FaultKind.disconnected) {
      try pair.host.readLine(maximumBytes: 8, deadlineNanoseconds: generousDeadline())
    }
  }
}
