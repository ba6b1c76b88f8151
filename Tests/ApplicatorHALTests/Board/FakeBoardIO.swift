import Glibc

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// A scripted fake behind the board I/O seam: files with contents, errno
/// sequences played on reads and writes, the kernel's PWM rules (EINVAL on
/// a bad duty or period, EBUSY on a second export or a polarity change
/// while enabled, export files appearing only after some attempts), and
/// GPIO chips whose line requests and values are recorded.
final class FakeBoardIO: BoardIO {
  /// File contents by kernel path.
  var files: [String: String] = [:]
  /// Directories that exist without files of their own.
  var directories: Set<String> = []
  /// Errno values to fail the next reads of a path with, in order.
  var readErrors: [String: [CInt]] = [:]
  /// Errno values to fail the next writes to a path with, in order.
  var writeErrors: [String: [CInt]] = [:]
  /// After an export, how many more opens for writing in the new channel
  /// fail with EACCES: the kernel creates the files during the export
  /// write, owned by root and readable at once; udev fixes their
  /// permissions later.
  var exportDelay = 0
  /// Channel directories a kernel driver holds: export gives EBUSY and
  /// creates nothing.
  var claimedChannels: Set<String> = []
  /// Symbolic links: path → target.
  var links: [String: String] = [:]
  /// Watchdog devices: path → the timeout, s, they report.
  var watchdogTimeouts: [String: Int32] = [:]
  /// The step a watchdog rounds a requested timeout up to, s.
  var watchdogStepSeconds: Int32 = 1
  /// Whether a watchdog refuses `WDIOC_SETTIMEOUT` (EINVAL).
  var watchdogRefusesTimeout = false
  /// Errno values to fail the next value changes of an output line with: "chip:offset" → errors.
  var lineErrors: [String: [CInt]] = [:]
  /// GPIO chips: path → line count.
  var chips: [String: UInt32] = [:]
  /// Input line levels: "chip:offset" → logical level.
  var inputs: [String: Bool] = [:]
  /// Every write and line change, in order: "path=value" or "chip:offset=1".
  private(set) var log: [String] = []
  /// Requested lines: "chip:offset" → flags.
  private(set) var requests: [String: UInt64] = [:]
  /// Output line levels: "chip:offset" → level.
  private(set) var lineLevels: [String: Bool] = [:]
  /// Sleeps requested, ns.
  private(set) var sleeps: [UInt64] = []
  private var pendingExports: [String: Int] = [:]
  private var open: [CInt: String] = [:]
  private var lineDescriptors: [CInt: String] = [:]
  private var nextDescriptor: CInt = 100

  /// Adds a file.
  func add(_ path: String, _ content: String) { files[path] = content + "\n" }

  /// A PWM chip with `count` channels, none exported.
  func addPWMChip(_ chip: Int, channels count: Int) {
    add("/sys/class/pwm/pwmchip\(chip)/npwm", String(count))
    directories.insert("/sys/class/pwm/pwmchip\(chip)")
    files["/sys/class/pwm/pwmchip\(chip)/export"] = ""
  }

  /// The text of a file without its newline.
  func value(_ path: String) -> String? {
    files[path].map { String($0.prefix { $0 != "\n" }) }
  }

  private func isDirectory(_ path: String) -> Bool {
    directories.contains(path) || files.keys.contains { $0.hasPrefix(path + "/") }
  }

  func open(_ path: String, flags: CInt) throws(BoardErrno) -> CInt {
    let directory = String(path.prefix(upTo: path.lastIndex(of: "/") ?? path.endIndex))
    if let left = pendingExports[directory], flags & O_ACCMODE != O_RDONLY {
      if left > 0 {
        pendingExports[directory] = left - 1
        throw BoardErrno(EACCES)
      }
      pendingExports[directory] = nil
    }
    guard files[path] != nil || chips[path] != nil else { throw BoardErrno(ENOENT) }
    nextDescriptor += 1
    open[nextDescriptor] = path
    return nextDescriptor
  }

  func close(_ descriptor: CInt) {
    open[descriptor] = nil
    if let key = lineDescriptors[descriptor] { requests[key] = nil }
    lineDescriptors[descriptor] = nil
  }

  func pread(_ descriptor: CInt, into buffer: UnsafeMutableRawBufferPointer, offset: Int)
    throws(BoardErrno) -> Int
  {
    guard let path = open[descriptor], let content = files[path] else { throw BoardErrno(EBADF) }
    if var errors = readErrors[path], !errors.isEmpty {
      let error = errors.removeFirst()
      readErrors[path] = errors
      throw BoardErrno(error)
    }
    let bytes = Array(content.utf8)
    let count = min(bytes.count, buffer.count)
    for index in 0..<count { buffer[index] = bytes[index] }
    return count
  }

  func write(_ descriptor: CInt, _ bytes: UnsafeRawBufferPointer) throws(BoardErrno) -> Int {
    guard let path = open[descriptor] else { throw BoardErrno(EBADF) }
    if var errors = writeErrors[path], !errors.isEmpty {
      let error = errors.removeFirst()
      writeErrors[path] = errors
      throw BoardErrno(error)
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let value = text.hasSuffix("\n") ? String(text.dropLast()) : text
    try apply(path, value)
    log.append("\(path)=\(value)")
    return bytes.count
  }

  /// The kernel's rules for the files it validates.
  private func apply(_ path: String, _ value: String) throws(BoardErrno) {
    let name = path.split(separator: "/").last.map(String.init) ?? ""
    let directory = String(path.dropLast(name.count + 1))
    func number(_ file: String) -> UInt64 { UInt64(self.value("\(directory)/\(file)") ?? "") ?? 0 }
    switch name {
    case "export":
      guard let channel = Int(value), channel < Int(number("npwm")) else {
        throw BoardErrno(EINVAL)
      }
      let channelDirectory = "\(directory)/pwm\(channel)"
      guard !claimedChannels.contains(channelDirectory) else { throw BoardErrno(EBUSY) }
      guard files["\(channelDirectory)/period"] == nil else { throw BoardErrno(EBUSY) }
      for (file, initial) in [
        ("period", "0"), ("duty_cycle", "0"), ("enable", "0"), ("polarity", "normal"),
      ] {
        add("\(channelDirectory)/\(file)", initial)
      }
      if exportDelay > 0 { pendingExports[channelDirectory] = exportDelay }
    case "period":
      guard let period = UInt64(value), period > 0, period >= number("duty_cycle") else {
        throw BoardErrno(EINVAL)
      }
      add(path, value)
    case "duty_cycle":
      guard let duty = UInt64(value), number("period") > 0, duty <= number("period") else {
        throw BoardErrno(EINVAL)
      }
      add(path, value)
    case "enable":
      guard value == "0" || value == "1" else { throw BoardErrno(EINVAL) }
      guard value == "0" || number("period") > 0 else { throw BoardErrno(EINVAL) }
      add(path, value)
    case "polarity":
      guard value == "normal" || value == "inversed" else { throw BoardErrno(EINVAL) }
      guard number("enable") == 0 else { throw BoardErrno(EBUSY) }
      add(path, value)
    default:
      files[path, default: ""] += value
    }
  }

  func ioctl(_ descriptor: CInt, request: UInt, argument: UnsafeMutableRawPointer)
    throws(BoardErrno)
  {
    if let path = open[descriptor], let lines = chips[path] {
      switch request {
      case GPIOv2.getChipInfo:
        argument.storeBytes(of: lines, toByteOffset: GPIOv2.ChipInfo.linesOffset, as: UInt32.self)
      case GPIOv2.getLine:
        let offset = argument.load(
          fromByteOffset: GPIOv2.LineRequest.offsetsOffset, as: UInt32.self)
        guard offset < lines else { throw BoardErrno(EINVAL) }
        let key = "\(path):\(offset)"
        guard requests[key] == nil else { throw BoardErrno(EBUSY) }
        let config = GPIOv2.LineRequest.configOffset
        let flags = argument.load(
          fromByteOffset: config + GPIOv2.LineConfig.flagsOffset, as: UInt64.self)
        requests[key] = flags
        if flags & GPIOv2.flagOutput != 0 {
          let attribute = config + GPIOv2.LineConfig.attributesOffset
          let count = argument.load(
            fromByteOffset: config + GPIOv2.LineConfig.attributeCountOffset, as: UInt32.self)
          let id = argument.load(fromByteOffset: attribute, as: UInt32.self)
          let initial =
            count == 1 && id == GPIOv2.attributeOutputValues
            && argument.load(
              fromByteOffset: attribute + GPIOv2.LineAttribute.valueOffset, as: UInt64.self) & 1
              == 1
          lineLevels[key] = initial
          log.append("\(key)=\(initial ? 1 : 0) (requested)")
        }
        nextDescriptor += 1
        lineDescriptors[nextDescriptor] = key
        argument.storeBytes(
          of: Int32(nextDescriptor), toByteOffset: GPIOv2.LineRequest.descriptorOffset,
          as: Int32.self)
      default: throw BoardErrno(ENOTTY)
      }
      return
    }
    if let path = open[descriptor], let timeout = watchdogTimeouts[path] {
      switch request {
      case BoardWatchdog.setTimeoutRequest:
        guard !watchdogRefusesTimeout else { throw BoardErrno(EINVAL) }
        let asked = argument.load(as: Int32.self)
        let step = watchdogStepSeconds
        watchdogTimeouts[path] = (asked + step - 1) / step * step
      case BoardWatchdog.getTimeoutRequest:
        argument.storeBytes(of: timeout, as: Int32.self)
      default: throw BoardErrno(ENOTTY)
      }
      return
    }
    guard let key = lineDescriptors[descriptor] else { throw BoardErrno(EBADF) }
    switch request {
    case GPIOv2.setValues:
      if var errors = lineErrors[key], !errors.isEmpty {
        let error = errors.removeFirst()
        lineErrors[key] = errors
        throw BoardErrno(error)
      }
      let bits = argument.load(fromByteOffset: GPIOv2.LineValues.bitsOffset, as: UInt64.self)
      lineLevels[key] = bits & 1 == 1
      log.append("\(key)=\(bits & 1)")
    case GPIOv2.getValues:
      if var errors = lineErrors[key], !errors.isEmpty {
        let error = errors.removeFirst()
        lineErrors[key] = errors
        throw BoardErrno(error)
      }
      let level = inputs[key] ?? false
      argument.storeBytes(
        of: UInt64(level ? 1 : 0), toByteOffset: GPIOv2.LineValues.bitsOffset, as: UInt64.self)
    default: throw BoardErrno(ENOTTY)
    }
  }

  func exists(_ path: String) -> Bool {
    files[path] != nil || chips[path] != nil || isDirectory(path)
  }

  func contentsOfDirectory(_ path: String) throws(BoardErrno) -> [String] {
    guard isDirectory(path) else { throw BoardErrno(ENOENT) }
    var names: Set<String> = []
    for key in Array(files.keys) + Array(directories) where key.hasPrefix(path + "/") {
      if let first = key.dropFirst(path.count + 1).split(separator: "/").first {
        names.insert(String(first))
      }
    }
    return names.sorted()
  }

  /// Every fake device under `/dev` is a character device; links are not followed.
  func resolveDevice(_ path: String) throws(BoardErrno) -> ResolvedDevice {
    guard exists(path) else { throw BoardErrno(ENOENT) }
    return ResolvedDevice(path: path, isCharacterDevice: path.hasPrefix("/dev/"))
  }

  func readLink(_ path: String) throws(BoardErrno) -> String {
    guard let target = links[path] else { throw BoardErrno(ENOENT) }
    return target
  }

  func sleep(nanoseconds: UInt64) { sleeps.append(nanoseconds) }
}
