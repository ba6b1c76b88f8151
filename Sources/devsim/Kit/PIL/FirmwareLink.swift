import Foundation

/// A firmware image running under QEMU's `mps2-an386` (Cortex-M4), its
/// UARTs on Unix socket chardevs: one tick frame out, spread over the
/// link's ``lanes`` (UART0 to UART4, byte k on lane k mod 5; see
/// Firmware/Loop/LinkProtocol.swift), one answer back on UART0.
///
/// QEMU runs with `-icount shift=0` (one instruction is 1 ns of guest time,
/// so the image's SysTick counts instructions) and waits for this side to
/// connect before the guest starts. Each frame is written with one system
/// call; the answer is read whole. The host's deadlines are generous (a
/// loaded CI machine stalls): a guest that answers nothing for
/// ``answerDeadlineMilliseconds`` is a failure of the link, never a result.
package final class FirmwareLink {
  /// How long a connect to QEMU's socket may take, ms.
  static let connectDeadlineMilliseconds = 20_000
  /// How long an answer may take, ms.
  static let answerDeadlineMilliseconds: Int32 = 30_000

  /// The receiving lanes of the image (UART0 to UART4).
  static let lanes = 5

  private let process: Process
  /// One connected socket per lane; lane 0's also carries the answers.
  private let descriptors: [Int32]
  private var descriptor: Int32 { descriptors[0] }
  private let directory: URL
  private let errors: Pipe
  private var closed = false

  /// Starts QEMU on `image` and connects to its UART0.
  package init(image: String, qemu: String) throws(KitError) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "devsim-pil-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    self.directory = directory
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw .system(SystemError("cannot create \(directory.path): \(error.localizedDescription)"))
    }
    let socketPaths = (0..<Self.lanes).map {
      directory.appendingPathComponent("uart\($0).sock").path
    }
    process = Process()
    process.executableURL = URL(fileURLWithPath: qemu)
    process.arguments =
      [
        "-M", "mps2-an386", "-display", "none", "-monitor", "none", "-icount", "shift=0",
        "-semihosting-config", "enable=on,target=native",
      ]
      + socketPaths.enumerated().flatMap { lane, path in
        [
          "-chardev", "socket,id=uart\(lane),path=\(path),server=on,wait=on",
          "-serial", "chardev:uart\(lane)",
        ]
      } + ["-kernel", image]
    errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
      try? FileManager.default.removeItem(at: directory)
      throw .system(SystemError("cannot start \(qemu): \(error.localizedDescription)"))
    }
    // QEMU opens the sockets in order, each waiting for its client.
    var connected: [Int32] = []
    let started = Date()
    while connected.count < socketPaths.count {
      let next = Self.connect(socketPaths[connected.count])
      if next >= 0 {
        connected.append(next)
        continue
      }
      if !process.isRunning
        || Date().timeIntervalSince(started) * 1000 > Double(Self.connectDeadlineMilliseconds)
      {
        for socket in connected { Glibc.close(socket) }
        let said = Self.stop(process, errors: errors)
        try? FileManager.default.removeItem(at: directory)
        throw .device(
          DeviceError("QEMU did not open the firmware's UART sockets (\(image))\(said)"))
      }
      usleep(10_000)
    }
    descriptors = connected
    var timeout = timeval(
      tv_sec: Int(Self.answerDeadlineMilliseconds / 1000),
      tv_usec: Int(Self.answerDeadlineMilliseconds % 1000) * 1000)
    _ = setsockopt(
      connected[0], SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
  }

  deinit { _ = try? close() }

  /// Sends one frame and waits for the answer.
  package func exchange(_ frame: [UInt8]) throws(KitError) -> FirmwareAnswer {
    try send(frame)
    return try receive()
  }

  /// Writes `frame` whole, byte k on lane k mod ``lanes``.
  func send(_ frame: [UInt8]) throws(KitError) {
    for lane in 0..<descriptors.count {
      let share = stride(from: lane, to: frame.count, by: descriptors.count).map { frame[$0] }
      try send(share, on: descriptors[lane])
    }
  }

  /// Writes `bytes` whole to `descriptor`.
  private func send(_ bytes: [UInt8], on descriptor: Int32) throws(KitError) {
    let frame = bytes
    var offset = 0
    while offset < frame.count {
      let written = frame.withUnsafeBytes { buffer in
        guard let base = buffer.baseAddress else { return 0 }
        return Glibc.send(descriptor, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
      }
      if written < 0 {
        if errno == EINTR { continue }
        throw gone("writing a tick frame failed (\(String(cString: strerror(errno))))")
      }
      offset += written
    }
  }

  /// Reads one answer frame whole. The firmware writes it a byte at a
  /// time: one blocking `recv` that waits for all of it (`MSG_WAITALL`,
  /// with the answer deadline as the socket's receive timeout) wakes this
  /// process once per answer instead of once per byte.
  func receive() throws(KitError) -> FirmwareAnswer {
    var bytes = [UInt8](repeating: 0, count: FirmwareFrames.answerBytes)
    var count = 0
    while count < bytes.count {
      let got = bytes.withUnsafeMutableBytes { buffer in
        guard let base = buffer.baseAddress else { return 0 }
        return recv(descriptor, base + count, buffer.count - count, Int32(MSG_WAITALL))
      }
      if got < 0 && errno == EINTR { continue }
      if got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
        throw gone("the firmware did not answer within \(Self.answerDeadlineMilliseconds / 1000) s")
      }
      guard got > 0 else { throw gone("QEMU closed the firmware's UART0") }
      count += got
    }
    guard let answer = FirmwareFrames.answer(bytes) else {
      throw gone("an answer frame with a bad magic or CRC: the link cannot be trusted")
    }
    return answer
  }

  /// Closes the link and waits for QEMU to end (the image ends itself after
  /// the end-of-run frame; otherwise it is stopped). Returns QEMU's exit
  /// status, `nil` if it had to be stopped.
  @discardableResult
  package func close() throws(KitError) -> Int32? {
    guard !closed else { return nil }
    closed = true
    for socket in descriptors { Glibc.close(socket) }
    let deadline = Date().addingTimeInterval(10)
    while process.isRunning && Date() < deadline { usleep(5_000) }
    let ended = !process.isRunning
    if !ended {
      process.terminate()
      process.waitUntilExit()
    }
    try? FileManager.default.removeItem(at: directory)
    return ended ? process.terminationStatus : nil
  }

  private func gone(_ message: String) -> KitError {
    closed = true
    for socket in descriptors { Glibc.close(socket) }
    let said = Self.stop(process, errors: errors)
    try? FileManager.default.removeItem(at: directory)
    return .device(DeviceError("firmware link: \(message)\(said)"))
  }

  /// Ends QEMU; returns what it printed on stderr, as a clause.
  private static func stop(_ process: Process, errors: Pipe) -> String {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    // Without QEMU's notes on the sockets it waited on.
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      .split(separator: "\n").filter { !$0.contains("info: QEMU waiting for connection") }
      .joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? "" : ": QEMU said: \(text)"
  }

  /// A connected Unix stream socket at `path`, or -1.
  private static func connect(_ path: String) -> Int32 {
    let socketDescriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard socketDescriptor >= 0 else { return -1 }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
      Glibc.close(socketDescriptor)
      return -1
    }
    withUnsafeMutableBytes(of: &address.sun_path) { target in
      for (index, byte) in bytes.enumerated() { target[index] = byte }
    }
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Glibc.connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    guard result == 0 else {
      Glibc.close(socketDescriptor)
      return -1
    }
    return socketDescriptor
  }
}
