import ApplicatorLinux
import DevsimKit
import Foundation

/// How option values are read: one reader per kind of value, so the same
/// kind is checked and reported the same way in every command.
enum OptionValue {
  /// A whole number in `range`.
  static func whole<T: FixedWidthInteger & Sendable>(_ name: String, in range: ClosedRange<T>)
    -> @Sendable (String) throws(UsageError) -> T
  {
    { text throws(UsageError) in
      guard let value = T(text), range.contains(value) else {
        throw UsageError(
          range.upperBound == T.max
            ? "\(name) takes a whole number ≥ \(range.lowerBound), found '\(text)'"
            : "\(name) takes a whole number \(range.lowerBound) … \(range.upperBound), found '\(text)'"
        )
      }
      return value
    }
  }

  /// A number in `range`.
  static func number(_ name: String, in range: ClosedRange<Double>)
    -> @Sendable (String) throws(UsageError) -> Double
  {
    { text throws(UsageError) in
      guard let value = Double(text), range.contains(value) else {
        throw UsageError(
          "\(name) takes a number \(format(range.lowerBound)) … \(format(range.upperBound)), found '\(text)'"
        )
      }
      return value
    }
  }

  /// One of the raw values of `T`.
  static func choice<T: RawRepresentable<String> & SendableMetatype>(
    _ name: String, _ type: T.Type, _ names: String
  )
    -> @Sendable (String) throws(UsageError) -> T
  {
    { text throws(UsageError) in
      guard let value = T(rawValue: text) else {
        throw UsageError("\(name) takes \(names), found '\(text)'")
      }
      return value
    }
  }

  /// Any text (a path, a device).
  static func text(_ text: String) throws(UsageError) -> String { text }

  /// A rig's device: a tty path, or a `tcp://HOST:PORT` URL checked here
  /// (a malformed URL is bad usage, 64, not a device that failed to open).
  static func rigDevice(_ text: String) throws(UsageError) -> String {
    guard !text.isEmpty else { throw UsageError("--rig: the device is empty") }
    if text.hasPrefix("tcp://") {
      do throws(SerialOpenError) { try TCPStream.checkURL(text) } catch {
        throw UsageError("--rig: \(error.message)")
      }
    } else if text.contains("://") {
      throw UsageError("--rig: '\(text)' is neither a tty path nor a tcp://HOST:PORT URL")
    }
    return text
  }

  /// An explicit rig channel map, `NAME=N,NAME=N` (sensor name to 1-based channel).
  static func rigChannels(_ text: String) throws(UsageError) -> [String: Int] {
    var map: [String: Int] = [:]
    for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
      let parts = entry.split(separator: "=", omittingEmptySubsequences: false)
      guard parts.count == 2, !parts[0].isEmpty, let channel = Int(parts[1]), channel >= 1,
        channel <= 64
      else {
        throw UsageError("--rig-channels takes NAME=CHANNEL,…, found '\(entry)'")
      }
      guard map.updateValue(channel, forKey: String(parts[0])) == nil else {
        throw UsageError("--rig-channels names \(parts[0]) twice")
      }
    }
    return map
  }

  /// A `--listen` URL, `tcp://ADDR:PORT` (port 0: any free port).
  static func listenURL(_ text: String) throws(UsageError) -> String {
    do throws(SerialOpenError) { try TCPListener.checkURL(text) } catch {
      throw UsageError("--listen: \(error.message)")
    }
    return text
  }
}

/// The option groups several commands share, each declared once: the same
/// flag for the same thing everywhere, parsed one way (DESIGN §5).
enum CommonOptions {
  /// `--seed <n>`: a seed, a whole number ≥ 0.
  static let seed = Option(
    "--seed", value: "n", help: ["The noise seed (default: the profile's \"seed\")."],
    convert: OptionValue.whole("--seed", in: UInt64.min...UInt64.max))

  /// `--speed <speed>`: pacing, max, realtime or a factor N.
  static let speed = Option(
    "--speed", value: "speed",
    help: ["max (virtual time, default), realtime, or a factor N (N× real time)."],
    convert: pacing)

  /// `-o, --out <file>`: the main output, written whole or not at all.
  static let out = Option(
    "--out", short: "-o", value: "file", help: ["Write the output to <file>, whole or not at all."],
    convert: OptionValue.text)

  /// `--format <format>`: telemetry as csv or jsonl.
  static let format = Option(
    "--format", value: "format", help: ["csv or jsonl (default: from the file name, else csv)."],
    convert: OptionValue.choice("--format", TelemetryFormat.self, "csv or jsonl"))

  /// `--rt-priority <n>`: SCHED_FIFO priority of the control thread.
  static let rtPriority = Option(
    "--rt-priority", value: "n",
    help: [
      "Wall-clock runs: the control thread under SCHED_FIFO priority",
      "<n> (1 … 99); without the privilege, a note and SCHED_OTHER.",
    ],
    convert: { text throws(UsageError) in
      guard let priority = Int32(text), (1...99).contains(priority) else {
        throw UsageError("--rt-priority takes a SCHED_FIFO priority 1 … 99, found '\(text)'")
      }
      return priority
    })

  /// `--lock-memory`: mlockall before a wall-clock run.
  static let lockMemory = Flag(
    "--lock-memory",
    help: [
      "Wall-clock runs: mlockall, so no page fault stalls the loop.",
      "The policy in effect is in the summary's timing lines.",
    ])

  /// The real-time group: `--rt-priority` and `--lock-memory`.
  static let realTime = [rtPriority.spec, lockMemory.spec]

  /// The real-time request the group asks for.
  static func realTimeRequest(_ parsed: ParsedArguments) throws(UsageError) -> RealTimeRequest {
    var request = RealTimeRequest(lockMemory: lockMemory.isSet(parsed))
    request.priority = try rtPriority.value(parsed)
    return request
  }

  /// `--quiet`: print only failures.
  static let quiet = Flag("--quiet", help: ["Print only failures."])

  /// `-j, --jobs <n>`: work at once, 1 … 256.
  static let jobs = Option(
    "--jobs", short: "-j", value: "n", help: ["At once (default: the number of cores)."],
    convert: OptionValue.whole("--jobs", in: 1...256))

  /// The jobs given, else the number of cores.
  static func jobs(_ parsed: ParsedArguments) throws(UsageError) -> Int {
    try jobs.value(parsed) ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
  }

  /// `--sysfs-root <dir>`: resolve /sys and /dev under a directory (tests).
  static let sysfsRoot = Option(
    "--sysfs-root", value: "dir", help: ["Resolve /sys and /dev paths under <dir> (tests)."],
    convert: OptionValue.text)

  /// Reads `--speed`: max, realtime, or a factor 0.01 … 1000000.
  static func pacing(_ text: String) throws(UsageError) -> Pacing {
    switch text {
    case "max": return .maximum
    case "realtime": return .factor(1)
    default:
      guard let factor = Double(text), factor.isFinite, factor >= 0.01, factor <= 1e6 else {
        throw UsageError("--speed takes max, realtime or a factor 0.01 … 1000000, found '\(text)'")
      }
      return .factor(factor)
    }
  }

  /// The telemetry format: `--format`, else from the output's name, else CSV.
  static func telemetryFormat(_ parsed: ParsedArguments, out: String?) throws(UsageError)
    -> TelemetryFormat
  {
    if let format = try format.value(parsed) { return format }
    return out.map { $0.hasSuffix(".jsonl") || $0.hasSuffix(".ndjson") } == true ? .jsonl : .csv
  }

  /// The wall-clock speed `--speed` gives a device run (default real time).
  static func wallSpeed(_ parsed: ParsedArguments) throws(UsageError) -> Double {
    if case .factor(let factor) = try speed.value(parsed) { return factor }
    return 1
  }
}
