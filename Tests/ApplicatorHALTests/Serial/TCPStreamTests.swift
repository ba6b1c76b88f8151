import Glibc
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

@Suite("TCPStream and TCPListener", .tags(.io))
struct TCPStreamTests {
  @Test("a listener on port 0 gets a port; localhost connects and round-trips")
  func connectByLocalhost() throws {
    let listener = try TCPListener(url: "tcp://127.0.0.1:0")
    #expect((1...65_535).contains(listener.port))
    let client = try TCPStream(
      url: "tcp://localhost:\(listener.port)",
      connectTimeoutNanoseconds: 3_000 * nanosecondsPerMillisecond)
    let server = try listener.accept(deadlineNanoseconds: generousDeadline())
    try client.write(ascii("*IDN?\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try server.readLine(maximumBytes: 64, deadlineNanoseconds: generousDeadline())
        == ascii("*IDN?"))
    try server.write(ascii("ACME,TEC-1,0042,1.0\r\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try client.readLine(maximumBytes: 64, deadlineNanoseconds: generousDeadline())
        == ascii("ACME,TEC-1,0042,1.0"))
  }

  @Test("the peer closing: reads throw .disconnected, writes too (no SIGPIPE)")
  func peerClose() throws {
    let listener = try TCPListener(url: "tcp://127.0.0.1:0")
    let client = try TCPStream(
      url: "tcp://127.0.0.1:\(listener.port)",
      connectTimeoutNanoseconds: 3_000 * nanosecondsPerMillisecond)
    let server = try listener.accept(deadlineNanoseconds: generousDeadline())
    try client.write(ascii("last words\n"), deadlineNanoseconds: generousDeadline())
    client.close()
    #expect(
      try server.readLine(maximumBytes: 64, deadlineNanoseconds: generousDeadline())
        == ascii("last words"))
    #expect(throws: FaultKind.disconnected) {
      try server.readLine(maximumBytes: 64, deadlineNanoseconds: generousDeadline())
    }
    // The first write after the peer's FIN may still be accepted; the peer's RST then fails the next.
    var fault: FaultKind?
    for _ in 0..<200 where fault == nil {
      do {
        try server.write(ascii("hello?\n"), deadlineNanoseconds: generousDeadline())
        usleep(1_000)
      } catch {
        fault = error
      }
    }
    #expect(fault == .disconnected)
  }

  @Test("accept times out at its deadline")
  func acceptTimeout() throws {
    let listener = try TCPListener(url: "tcp://127.0.0.1:0")
    let start = MonotonicClock.rawNanoseconds()
    #expect(throws: FaultKind.timedOut) {
      _ = try listener.accept(deadlineNanoseconds: start + 30 * nanosecondsPerMillisecond)
    }
    #expect(MonotonicClock.rawNanoseconds() >= start + 30 * nanosecondsPerMillisecond)
    listener.close()
    listener.close()
    #expect(throws: FaultKind.disconnected) {
      _ = try listener.accept(deadlineNanoseconds: generousDeadline())
    }
  }

  @Test("nothing listening: the connect is refused with .notFound")
  func refused() throws {
    let listener = try TCPListener(url: "tcp://127.0.0.1:0")
    let port = listener.port
    listener.close()
    let error = #expect(throws: SerialOpenError.self) {
      _ = try TCPStream(
        url: "tcp://127.0.0.1:\(port)", connectTimeoutNanoseconds: 3_000 * nanosecondsPerMillisecond
      )
    }
    #expect(error?.kind == .notFound)
    #expect(error?.message.contains("ECONNREFUSED") == true)
  }

  @Test("a connect that does not complete in time is .timedOut (scripted: EINPROGRESS, no answer)")
  func connectTimeout() throws {
    let script = ScriptedDescriptor()
    script.pollSteps = [.timeout]
    let posix = SerialSystemCalls.posix
    var calls = script.systemCalls
    calls.socket = posix.socket
    calls.close = posix.close
    calls.setSocketOption = posix.setSocketOption
    calls.connect = { _, _ throws(SerialSystemCalls.Errno) in
      throw SerialSystemCalls.Errno(EINPROGRESS)
    }
    let start = script.now
    let error = #expect(throws: SerialOpenError.self) {
      _ = try TCPStream(
        url: "tcp://192.0.2.1:4001", connectTimeoutNanoseconds: 250 * nanosecondsPerMillisecond,
        systemCalls: calls)
    }
    #expect(error?.kind == .timedOut)
    #expect(error?.message.contains("192.0.2.1:4001") == true)
    #expect(script.polls.map(\.timeoutMilliseconds) == [250])
    #expect(script.now == start + 250 * nanosecondsPerMillisecond)
  }

  @Test("a port in use is refused with .busy")
  func portInUse() throws {
    let listener = try TCPListener(url: "tcp://127.0.0.1:0")
    let error = #expect(throws: SerialOpenError.self) {
      _ = try TCPListener(url: "tcp://127.0.0.1:\(listener.port)")
    }
    #expect(error?.kind == .busy)
  }

  @Test(
    "bad URLs are refused with .invalidValue and a message quoting them",
    arguments: [
      ("tcp://example.com:4001", "not an IPv4 address"),
      ("tcp://[::1]:4001", "IPv6"),
      ("tcp://::1:4001", "IPv6"),
      ("tcp://1.2.3:4001", "not an IPv4 address"),
      ("tcp://1.2.3.4.5:4001", "not an IPv4 address"),
      ("tcp://256.1.1.1:4001", "not an IPv4 address"),
      ("tcp://01.2.3.4:4001", "not an IPv4 address"),
      ("tcp://1.2.3.-4:4001", "not an IPv4 address"),
      ("tcp://127.0.0.1", "missing :PORT"),
      ("tcp://127.0.0.1:", "missing port"),
      ("tcp://:4001", "missing host"),
      ("tcp://127.0.0.1:65536", "not 0...65535"),
      ("tcp://127.0.0.1:+80", "not 0...65535"),
      ("tcp://127.0.0.1:4001/", "not 0...65535"),
      ("tcp://127.0.0.1:0", "port 0"),
      ("TCP://127.0.0.1:4001", "not a tcp:// URL"),
      ("/dev/ttyUSB0", "not a tcp:// URL"),
      ("", "not a tcp:// URL"),
    ])
  func badURLs(url: String, reason: String) {
    let error = #expect(throws: SerialOpenError.self) {
      _ = try TCPStream(url: url, connectTimeoutNanoseconds: 1_000 * nanosecondsPerMillisecond)
    }
    #expect(error?.kind == .invalidValue)
    #expect(error?.message.contains("'\(url)'") == true)
    #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
  }

  @Test("a listener URL is checked the same way (port 0 allowed)")
  func listenerURLs() throws {
    for url in ["tcp://example.com:0", "tcp://127.0.0.1", "udp://127.0.0.1:0"] {
      let error = #expect(throws: SerialOpenError.self) { _ = try TCPListener(url: url) }
      #expect(error?.kind == .invalidValue, "\(url)")
    }
  }

  @Test(
    "good URLs parse to the address and port",
    arguments: [
      ("tcp://192.168.1.20:4001", 0xC0A8_0114 as UInt32, 4001),
      ("tcp://localhost:2000", 0x7F00_0001, 2000),
      ("tcp://LocalHost:1", 0x7F00_0001, 1),
      ("tcp://0.0.0.0:65535", 0, 65_535),
      ("tcp://255.255.255.255:80", 0xFFFF_FFFF, 80),
    ])
  func goodURLs(url: String, address: UInt32, port: Int) throws {
    let endpoint = try TCPEndpoint(parsing: url, allowsPortZero: false)
    #expect(endpoint.address == address)
    #expect(endpoint.port == port)
    #expect(try TCPEndpoint(parsing: "tcp://10.0.0.1:0", allowsPortZero: true).port == 0)
  }
}
