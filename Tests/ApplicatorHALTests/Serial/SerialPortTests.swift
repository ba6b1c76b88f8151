import Foundation
import Glibc
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// The slave's settings as the kernel holds them (the tty's, whichever descriptor reads them).
private func slaveAttributes(_ pty: PseudoTerminal) -> termios {
  var attributes = termios()
  _ = tcgetattr(pty.slaveDescriptor, &attributes)
  return attributes
}

/// Whether the slave's tty is in exclusive mode (`TIOCGEXCL` = `_IOR('T', 0x40, int)`).
private func isExclusive(_ pty: PseudoTerminal) -> Bool? {
  var flag: CInt = 0
  guard ioctl(pty.slaveDescriptor, UInt(0x8004_5440), &flag) == 0 else { return nil }
  return flag != 0
}

private func controlCharacter(_ attributes: termios, _ index: Int32) -> UInt8 {
  withUnsafeBytes(of: attributes.c_cc) { $0[Int(index)] }
}

@Suite("SerialPort (real pty)", .tags(.io))
struct SerialPortTests {
  @Test("settings read back from the slave: speed, raw mode, 8N1, CLOCAL|CREAD, VMIN=VTIME=0")
  func settingsReadBack() throws {
    let pty = try PseudoTerminal()
    var configuration = SerialConfiguration()
    configuration.baudRate = 9600
    // Start from cooked settings, so raw mode is the port's doing.
    var cooked = slaveAttributes(pty)
    cooked.c_lflag |= tcflag_t(ICANON | ECHO | ISIG)
    cooked.c_iflag |= tcflag_t(ICRNL | IXON)
    cooked.c_oflag |= tcflag_t(OPOST)
    #expect(tcsetattr(pty.slaveDescriptor, TCSANOW, &cooked) == 0)

    let port = try SerialPort(path: pty.slavePath, configuration: configuration)
    #expect(port.path == pty.slavePath)
    var attributes = slaveAttributes(pty)
    #expect(cfgetospeed(&attributes) == speed_t(B9600))
    #expect(cfgetispeed(&attributes) == speed_t(B9600))
    #expect(attributes.c_lflag & tcflag_t(ICANON | ECHO | ECHONL | ISIG | IEXTEN) == 0)
    #expect(attributes.c_iflag & tcflag_t(ICRNL | INLCR | IGNCR | IXON | IXOFF | ISTRIP) == 0)
    #expect(attributes.c_oflag & tcflag_t(OPOST) == 0)
    #expect(attributes.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
    #expect(attributes.c_cflag & tcflag_t(PARENB | CSTOPB) == 0)
    #expect(attributes.c_cflag & tcflag_t(CRTSCTS) == 0)
    #expect(attributes.c_cflag & tcflag_t(CLOCAL | CREAD) == tcflag_t(CLOCAL | CREAD))
    #expect(controlCharacter(attributes, VMIN) == 0)
    #expect(controlCharacter(attributes, VTIME) == 0)
  }

  @Test("two stop bits and RTS/CTS are set when asked")
  func stopBitsAndFlowControl() throws {
    let pty = try PseudoTerminal()
    var configuration = SerialConfiguration()
    configuration.stopBits = 2
    configuration.hardwareFlowControl = true
    let port = try SerialPort(path: pty.slavePath, configuration: configuration)
    let attributes = slaveAttributes(pty)
    #expect(attributes.c_cflag & tcflag_t(CSTOPB) != 0)
    #expect(attributes.c_cflag & tcflag_t(CRTSCTS) != 0)
    port.close()
  }

  @Test("a custom rate (250000) goes through termios2 and BOTHER, and the pty keeps it")
  func customBaudRate() throws {
    let pty = try PseudoTerminal()
    var configuration = SerialConfiguration()
    configuration.baudRate = 250_000
    let port = try SerialPort(path: pty.slavePath, configuration: configuration)
    let kernel = try SerialSystemCalls.posix.getAttributes2(pty.slaveDescriptor)
    #expect(kernel.outputSpeed == 250_000)
    #expect(kernel.inputSpeed == 250_000)
    #expect(kernel.controlFlags & Termios2.speedMask == Termios2.otherSpeed)
    // Raw mode survived the second ioctl.
    #expect(kernel.localFlags & UInt32(ICANON | ECHO) == 0)
    try port.write(ascii("ok\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try pty.master.readLine(maximumBytes: 8, deadlineNanoseconds: generousDeadline())
        == ascii("ok"))
  }

  @Test("a driver that refuses a custom rate gives .invalidValue naming the rate")
  func customBaudRateRefused() throws {
    let pty = try PseudoTerminal()
    let posix = SerialSystemCalls.posix
    var calls = posix
    calls.ioctl = { descriptor, request, argument throws(SerialSystemCalls.Errno) in
      if request == Termios2.setRequest { throw SerialSystemCalls.Errno(EINVAL) }
      try posix.ioctl(descriptor, request, argument)
    }
    var configuration = SerialConfiguration()
    configuration.baudRate = 123_456
    let error = #expect(throws: SerialOpenError.self) {
      _ = try SerialPort(path: pty.slavePath, configuration: configuration, systemCalls: calls)
    }
    #expect(error?.kind == .invalidValue)
    #expect(error?.message.contains("123456") == true)
    #expect(error?.message.contains(pty.slavePath) == true)
    #expect(error?.message.contains("EINVAL") == true)
    // The failed open released the port.
    _ = try SerialPort(path: pty.slavePath)
  }

  @Test("settings the driver does not keep are refused: a pty forces 8 data bits, no parity")
  func readBackMismatch() throws {
    let pty = try PseudoTerminal()
    var configuration = SerialConfiguration()
    configuration.dataBits = 7
    configuration.parity = .even
    let error = #expect(throws: SerialOpenError.self) {
      _ = try SerialPort(path: pty.slavePath, configuration: configuration)
    }
    #expect(error?.kind == .invalidValue)
    #expect(error?.message.contains("8 data bits instead of 7") == true)
    #expect(error?.message.contains("parity none instead of even") == true)
  }

  @Test(
    "a configuration out of range is refused before the port is touched",
    arguments: [
      (0, 8, 1, "baud rate 0"), (-9600, 8, 1, "baud rate -9600"), (9600, 9, 1, "data bits 9"),
      (9600, 4, 1, "data bits 4"), (9600, 8, 3, "stop bits 3"), (9600, 8, 0, "stop bits 0"),
    ])
  func invalidConfiguration(baud: Int, dataBits: Int, stopBits: Int, mention: String) {
    var configuration = SerialConfiguration()
    configuration.baudRate = baud
    configuration.dataBits = dataBits
    configuration.stopBits = stopBits
    let error = #expect(throws: SerialOpenError.self) {
      _ = try SerialPort(path: "/nonexistent/tty", configuration: configuration)
    }
    #expect(error?.kind == .invalidValue)
    #expect(error?.message.contains(mention) == true)
  }

  @Test("a second SerialPort on the same path is refused with .busy until the first closes")
  func secondOpenIsBusy() throws {
    let pty = try PseudoTerminal()
    let first = try SerialPort(path: pty.slavePath)
    #expect(isExclusive(pty) == true)
    let error = #expect(throws: SerialOpenError.self) { _ = try SerialPort(path: pty.slavePath) }
    #expect(error?.kind == .busy)
    #expect(error?.message.contains(pty.slavePath) == true)
    // As root, TIOCEXCL does not stop the open and flock refuses; otherwise open says EBUSY.
    #expect(
      error?.message.contains("in use by another program") == true
        || error?.message.contains("EBUSY") == true)
    // The refused open left the first port's exclusive use alone.
    #expect(isExclusive(pty) == true)
    first.close()
    #expect(isExclusive(pty) == false)
    let second = try SerialPort(path: pty.slavePath)
    second.close()
  }

  @Test("a missing device is .notFound and a non-terminal is .invalidValue, both naming the path")
  func notASerialPort() {
    let missing = #expect(throws: SerialOpenError.self) {
      _ = try SerialPort(path: "/dev/ttyDOESNOTEXIST9")
    }
    #expect(missing?.kind == .notFound)
    #expect(missing?.message.contains("/dev/ttyDOESNOTEXIST9") == true)
    #expect(missing?.message.contains("ENOENT") == true)
    let notATerminal = #expect(throws: SerialOpenError.self) {
      _ = try SerialPort(path: "/dev/null")
    }
    #expect(notATerminal?.kind == .invalidValue)
    #expect(notATerminal?.message.contains("/dev/null: not a terminal") == true)
  }

  @Test("dropping DTR on a pty (no modem lines, ENOTTY) is accepted")
  func dropDTROnPty() throws {
    let pty = try PseudoTerminal()
    var configuration = SerialConfiguration()
    configuration.dropDTROnOpen = true
    let port = try SerialPort(path: pty.slavePath, configuration: configuration)
    try pty.master.write(ascii("up\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try port.readLine(maximumBytes: 8, deadlineNanoseconds: generousDeadline()) == ascii("up"))
  }

  @Test("dropping DTR asks for TIOCMBIC with TIOCM_DTR; other failures refuse the open")
  func dropDTRRequest() throws {
    let pty = try PseudoTerminal()
    let posix = SerialSystemCalls.posix
    let requests = SharedCell<[UInt]>([])
    var calls = posix
    calls.ioctl = { descriptor, request, argument throws(SerialSystemCalls.Errno) in
      requests.value.append(request)
      if request == UInt(TIOCMBIC) {
        #expect(argument?.load(as: CInt.self) == TIOCM_DTR)
        throw SerialSystemCalls.Errno(EIO)
      }
      try posix.ioctl(descriptor, request, argument)
    }
    var configuration = SerialConfiguration()
    configuration.dropDTROnOpen = true
    let error = #expect(throws: SerialOpenError.self) {
      _ = try SerialPort(path: pty.slavePath, configuration: configuration, systemCalls: calls)
    }
    #expect(error?.kind == .io)
    #expect(error?.message.contains("DTR") == true)
    #expect(requests.value.contains(UInt(TIOCMBIC)))
    #expect(requests.value.first == UInt(TIOCEXCL))
  }

  @Test("input that arrived before the open is discarded")
  func openFlushesStaleInput() throws {
    let pty = try PseudoTerminal()
    try pty.master.write(ascii("boot banner\n"), deadlineNanoseconds: generousDeadline())
    let port = try SerialPort(path: pty.slavePath)
    try pty.master.write(ascii("ready\n"), deadlineNanoseconds: generousDeadline())
    #expect(
      try port.readLine(maximumBytes: 32, deadlineNanoseconds: generousDeadline()) == ascii("ready")
    )
  }

  @Test("partial writes, EAGAIN and EINTR through the shim still deliver every byte to the pty")
  func scriptedWritesOnRealPty() throws {
    let pty = try PseudoTerminal()
    let posix = SerialSystemCalls.posix
    // EAGAIN, then one byte, then EINTR, then two bytes, then the rest: real writes in between.
    let steps = SharedCell<[Int]>([-Int(EAGAIN), 1, -Int(EINTR), 2])
    let writes = SharedCell(0)
    var calls = posix
    calls.write = { descriptor, buffer throws(SerialSystemCalls.Errno) in
      writes.value += 1
      let step = steps.value.first ?? buffer.count
      if !steps.value.isEmpty { steps.value.removeFirst() }
      if step < 0 { throw SerialSystemCalls.Errno(CInt(-step)) }
      return try posix.write(descriptor, UnsafeRawBufferPointer(rebasing: buffer.prefix(step)))
    }
    let port = try SerialPort(
      path: pty.slavePath, configuration: SerialConfiguration(), systemCalls: calls)
    try port.write(ascii("OUTP ON\n"), deadlineNanoseconds: generousDeadline())
    #expect(writes.value == 5)
    #expect(
      try pty.master.readLine(maximumBytes: 16, deadlineNanoseconds: generousDeadline())
        == ascii("OUTP ON"))
  }

  @Test(
    "closing the master (an unplug): a blocked readLine throws .disconnected within 250 ms, then write does too"
  )
  func unplug() throws {
    let pty = try PseudoTerminal()
    let path = pty.slavePath
    let opened = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    let readOutcome = SharedCell<(fault: FaultKind?, at: UInt64)?>(nil)
    let writeOutcome = SharedCell<FaultKind?>(nil)
    let thread = Thread {
      defer { finished.signal() }
      guard let port = try? SerialPort(path: path) else {
        opened.signal()
        return
      }
      opened.signal()
      do {
        _ = try port.readLine(
          maximumBytes: 64, deadlineNanoseconds: deadline(inMilliseconds: 5_000))
        readOutcome.value = (nil, MonotonicClock.rawNanoseconds())
      } catch {
        readOutcome.value = (error as? FaultKind, MonotonicClock.rawNanoseconds())
      }
      do {
        try port.write(ascii("anyone?\n"), deadlineNanoseconds: deadline(inMilliseconds: 1_000))
      } catch {
        writeOutcome.value = error as? FaultKind
      }
    }
    thread.start()
    #expect(opened.wait(timeout: .now() + 3) == .success)
    // Let the reader settle into poll(); the bound holds whether it has or not.
    usleep(50_000)
    let closedAt = MonotonicClock.rawNanoseconds()
    pty.close()
    #expect(finished.wait(timeout: .now() + 6) == .success)
    let outcome = try #require(readOutcome.value)
    #expect(outcome.fault == .disconnected)
    let latency = outcome.at > closedAt ? outcome.at - closedAt : 0
    #expect(latency < 250 * nanosecondsPerMillisecond, "seen \(latency / 1_000) µs after close")
    #expect(writeOutcome.value == .disconnected)
  }
}
