import Glibc
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// Errno sequences and poll results a real pty cannot produce on demand,
/// played through the system-call shim.
@Suite("DescriptorStream (scripted system calls)", .tags(.io))
struct DescriptorStreamTests {
  @Test("partial writes, EAGAIN and EINTR: every byte goes out once, in order")
  func partialWrites() throws {
    let script = ScriptedDescriptor()
    script.writeSteps = [.fail(EAGAIN), .take(1), .fail(EINTR), .take(0), .take(2), .fail(EAGAIN)]
    let stream = script.stream()
    try stream.write(ascii("SOUR:POW 0.25\n"), deadlineNanoseconds: script.now + 100 * 1_000_000)
    #expect(script.written == ascii("SOUR:POW 0.25\n"))
    // One wait for room after each EAGAIN and after the write that took nothing; none for EINTR.
    #expect(script.polls.count == 3)
    #expect(script.polls.allSatisfy { $0.events == Int16(POLLOUT) })
  }

  @Test("a socket stream writes with send, the same way")
  func socketWrites() throws {
    let script = ScriptedDescriptor()
    script.writeSteps = [.take(3), .fail(EAGAIN)]
    try script.stream(kind: .socket).write(ascii("*IDN?\n"), deadlineNanoseconds: script.now)
    #expect(script.written == ascii("*IDN?\n"))
  }

  @Test("a write that never finds room times out at the deadline, with a prefix sent")
  func writeTimeout() {
    let script = ScriptedDescriptor()
    script.writeSteps = [.take(2)] + Array(repeating: .fail(EAGAIN), count: 100)
    script.pollSteps = Array(repeating: .timeout, count: 100)
    let start = script.now
    let deadline = start + 50 * nanosecondsPerMillisecond
    #expect(throws: FaultKind.timedOut) {
      try script.stream().write(ascii("hello\n"), deadlineNanoseconds: deadline)
    }
    #expect(script.now >= deadline)
    #expect(script.written == ascii("he"))
  }

  @Test(
    "write errors: a gone peer is .disconnected, anything else .io",
    arguments: [
      (EIO, FaultKind.disconnected), (EPIPE, .disconnected), (ECONNRESET, .disconnected),
      (ENODEV, .disconnected), (EINVAL, .io), (ENOSPC, .io), (EBADF, .io),
    ])
  func writeErrors(code: CInt, fault: FaultKind) {
    let script = ScriptedDescriptor()
    script.writeSteps = [.take(1), .fail(code)]
    #expect(throws: fault) {
      try script.stream().write(ascii("xyz"), deadlineNanoseconds: script.now + 1_000_000)
    }
  }

  @Test(
    "waiting to write: POLLHUP or POLLERR without POLLOUT is .disconnected, POLLNVAL .io",
    arguments: [
      (Int16(POLLHUP), FaultKind.disconnected), (Int16(POLLERR), .disconnected),
      (Int16(POLLNVAL), .io),
    ])
  func writePollEvents(revents: Int16, fault: FaultKind) {
    let script = ScriptedDescriptor()
    script.writeSteps = [.fail(EAGAIN)]
    script.pollSteps = [.ready(revents)]
    #expect(throws: fault) {
      try script.stream().write(ascii("xyz"), deadlineNanoseconds: script.now + 1_000_000)
    }
  }

  @Test("reads in odd chunks, CR and LF split, give whole lines")
  func chunkedReads() throws {
    let script = ScriptedDescriptor()
    script.readSteps = [
      .data(ascii("a")), .data(ascii("bc\r")), .data(ascii("\nde")), .data(ascii("f\n")),
    ]
    let stream = script.stream()
    #expect(try stream.readLine(maximumBytes: 8, deadlineNanoseconds: script.now) == ascii("abc"))
    #expect(try stream.readLine(maximumBytes: 8, deadlineNanoseconds: script.now) == ascii("def"))
    // Every read came after poll reported POLLIN.
    #expect(script.polls.count == 4)
  }

  @Test("EINTR from poll and read is retried; a spurious POLLIN (EAGAIN) waits again")
  func interruptedReads() throws {
    let script = ScriptedDescriptor()
    script.pollSteps = [.fail(EINTR), .ready(Int16(POLLIN)), .ready(Int16(POLLIN))]
    script.readSteps = [.fail(EINTR), .fail(EAGAIN), .data(ascii("ok\n"))]
    let line = try script.stream().readLine(
      maximumBytes: 8, deadlineNanoseconds: script.now + 10 * nanosecondsPerMillisecond)
    #expect(line == ascii("ok"))
  }

  @Test(
    "hang-up while reading: POLLIN then read() == 0, POLLHUP, POLLERR, EIO, ECONNRESET",
    arguments: [
      ([.ready(Int16(POLLIN))], [.data([])], FaultKind.disconnected),
      ([.ready(Int16(POLLHUP))], [], .disconnected),
      ([.ready(Int16(POLLERR))], [], .disconnected),
      ([.ready(Int16(POLLIN | POLLERR | POLLHUP))], [.data([])], .disconnected),
      ([.ready(Int16(POLLIN))], [.fail(EIO)], .disconnected),
      ([.ready(Int16(POLLIN))], [.fail(ECONNRESET)], .disconnected),
      ([.ready(Int16(POLLIN))], [.fail(EINVAL)], .io),
      ([.ready(Int16(POLLNVAL))], [], .io),
      ([.fail(EINVAL)], [], .io),
    ] as [([ScriptedDescriptor.PollStep], [ScriptedDescriptor.ReadStep], FaultKind)])
  func readFaults(
    polls: [ScriptedDescriptor.PollStep], reads: [ScriptedDescriptor.ReadStep], fault: FaultKind
  ) {
    let script = ScriptedDescriptor()
    script.pollSteps = polls
    script.readSteps = reads
    #expect(throws: fault) {
      try script.stream().readLine(maximumBytes: 8, deadlineNanoseconds: script.now + 1_000_000)
    }
  }

  @Test("data queued before a hang-up is read first")
  func lastWordsBeforeHangUp() throws {
    let script = ScriptedDescriptor()
    script.pollSteps = [.ready(Int16(POLLIN | POLLHUP)), .ready(Int16(POLLIN | POLLHUP))]
    script.readSteps = [.data(ascii("bye\n")), .data([])]
    let stream = script.stream(kind: .socket)
    #expect(try stream.readLine(maximumBytes: 8, deadlineNanoseconds: script.now) == ascii("bye"))
    #expect(throws: FaultKind.disconnected) {
      try stream.readLine(maximumBytes: 8, deadlineNanoseconds: script.now)
    }
  }

  @Test("a read times out at the deadline and keeps the partial line")
  func readTimeout() throws {
    let script = ScriptedDescriptor()
    script.readSteps = [.data(ascii("par"))]
    let stream = script.stream()
    let deadline = script.now + 40 * nanosecondsPerMillisecond
    #expect(throws: FaultKind.timedOut) {
      try stream.readLine(maximumBytes: 16, deadlineNanoseconds: deadline)
    }
    #expect(script.now >= deadline)
    // The poll timeout is the time left, rounded up to whole milliseconds.
    #expect(script.polls.last?.timeoutMilliseconds == 40)
    script.readSteps = [.data(ascii("tial\n"))]
    #expect(
      try stream.readLine(maximumBytes: 16, deadlineNanoseconds: script.now) == ascii("partial"))
  }

  @Test("a deadline in the past still takes what is already there, once, without waiting")
  func pastDeadline() throws {
    let script = ScriptedDescriptor()
    script.readSteps = [.data(ascii("now\n"))]
    let stream = script.stream()
    #expect(try stream.readLine(maximumBytes: 8, deadlineNanoseconds: 0) == ascii("now"))
    #expect(throws: FaultKind.timedOut) {
      try stream.readLine(maximumBytes: 8, deadlineNanoseconds: 0)
    }
    #expect(script.polls.map(\.timeoutMilliseconds) == [0, 0])
  }

  @Test("close is idempotent; a closed stream throws .disconnected and does no system call")
  func closeTwice() {
    let script = ScriptedDescriptor()
    let stream = script.stream()
    stream.close()
    stream.close()
    #expect(script.closeCount == 1)
    #expect(throws: FaultKind.disconnected) {
      try stream.write(ascii("x"), deadlineNanoseconds: script.now)
    }
    #expect(throws: FaultKind.disconnected) {
      try stream.readLine(maximumBytes: 8, deadlineNanoseconds: script.now)
    }
    stream.discardInput()
    #expect(script.polls.isEmpty)
    #expect(script.written.isEmpty)
  }

  @Test("discardInput drops buffered bytes and drains what the kernel holds")
  func discard() throws {
    let script = ScriptedDescriptor()
    script.readSteps = [.data(ascii("stale par"))]
    let stream = script.stream()
    #expect(throws: FaultKind.timedOut) {
      try stream.readLine(maximumBytes: 16, deadlineNanoseconds: script.now)
    }
    script.readSteps = [.data(ascii("tial\nmore stale\n"))]
    stream.discardInput()
    #expect(script.readSteps.isEmpty)
    script.readSteps = [.data(ascii("fresh\n"))]
    #expect(
      try stream.readLine(maximumBytes: 16, deadlineNanoseconds: script.now) == ascii("fresh"))
  }
}
