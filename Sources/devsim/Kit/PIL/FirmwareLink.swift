import Foundation

/// A firmware image running under QEMU's `mps2-an386` (Cortex-M4), its
/// UART0 on a Unix socket chardev: one tick frame out, one answer back.
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

  private let process: Process
  private let descriptor: Int32
  private let directory: URL
  private let errors: Pipe
  private var closed = false

  /// Starts QEMU on `image` and connects to its UART0.
  package init(image: String, qemu: String) throws(KitError) {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "devsim-pil-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw .system(SystemError("cannot create \(directory.path): \(error.localizedDescription)"))
    }
    let socketPath = directory.appendingPathComponent("uart0.sock").path
    process = Process()
    process.executableURL = URL(fileURLWithPath: qemu)
    process.arguments = [
      "-M", "mps2-an386", "-display", "none", "-monitor", "none", "-icount", "shift=0",
      "-semihosting-config", "enable=on,target=native",
      "-chardev", "socket,id=uart0,path=\(socketPath),server=on,wait=on",
      "-serial", "chardev:uart0", "-kernel", image,
    ]
    errors = Pipe()
    process.standardOutput = FileHandle.nullDevice
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
      try? FileManager.default.removeItem(at: directory)
      throw .system(SystemError("cannot start \(qemu): \(error.localizedDescription)"))
    }
    var connected: Int32 = -1
    let started = Date()
    while connected < 0 {
      connected = Self.connect(socketPath)
      if connected >= 0 { break }
      if !process.isRunning
        || Date().timeIntervalSince(started) * 1000 > Double(Self.connectDeadlineMilliseconds)
      {
        let said = Self.stop(process, errors: errors)
        try? FileManager.default.removeItem(at: directory)
        throw .device(
          DeviceError("QEMU did not open the firmware's UART0 socket (\(image))\(said)"))
      }
      usleep(10_000)
    }
    descriptor = connected
  }

  deinit { _ = try? close() }

  /// Sends one frame and waits for the answer.
  package func exchange(_ frame: [UInt8]) throws(KitError) -> FirmwareAnswer {
    try send(frame)
    return try receive()
  }

  /// Writes `frame` whole.
  func send(_ frame: [UInt8]) throws(KitError) {
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

  /// Reads one answer frame whole.
  func receive() throws(KitError) -> FirmwareAnswer {
    var bytes = [UInt8](repeating: 0, count: FirmwareFrames.answerBytes)
    var count = 0
    while count < bytes.count {
      var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
      let ready = poll(&poller, 1, Self.answerDeadlineMilliseconds)
      if ready < 0 && errno == EINTR { continue }
      guard ready > 0 else {
        throw gone("the firmware did not answer within \(Self.answerDeadlineMilliseconds / 1000) s")
      }
      let got = bytes.withUnsafeMutableBytes { buffer in
        guard let base = buffer.baseAddress else { return 0 }
        return recv(descriptor, base + count, buffer.count - count, 0)
      }
      if got < 0 && errno == EINTR { continue }
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
    Glibc.close(descriptor)
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
    Glibc.close(descriptor)
    let said = Self.stop(process, errors: errors)
    try? FileManager.default.removeItem(at: directory)
    return .device(DeviceError("firmware link: \(message)\(said)"))
  }

  /// Ends QEMU; returns what it printed on stderr, as a clause.
  private static func stop(_ process: Process, errors: Pipe) -> String {
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
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
