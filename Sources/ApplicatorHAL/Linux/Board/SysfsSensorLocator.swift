#if canImport(Glibc)
  import ApplicatorHAL
  /// Finds sensors under `/sys` by name, never by index (the N in `hwmonN`
  /// is not stable across boots), and opens their files.
  public struct SysfsSensorLocator {
    /// The seam every path goes through.
    public let io: any BoardIO

    /// Creates a locator.
    public init(io: any BoardIO) { self.io = io }

    /// Opens the channel `spec` names; reads nothing yet but the chip's
    /// fixed attributes (name, IIO offset and scale, `update_interval`).
    ///
    /// - Parameter periodNanoseconds: the board file's period; hwmon's
    ///   `update_interval` is used when longer.
    public func open(
      _ spec: SysfsSensorSpec, calibration: SensorCalibration, periodNanoseconds: UInt64 = 0
    ) throws(BoardOpenError) -> SysfsTemperatureSensor {
      switch spec {
      case .hwmon(let chip, let device, let channel):
        // Old drivers keep every attribute under `device/`: use the
        // directory where `name` was found for all of them.
        let directory = try findHwmon(chip, device: device)
        let number = try hwmonChannel(channel, in: directory, chip: chip)
        let input = try SysfsAttribute(io: io, path: "\(directory)/temp\(number)_input")
        let faultPath = "\(directory)/temp\(number)_fault"
        let fault = io.exists(faultPath) ? try SysfsAttribute(io: io, path: faultPath) : nil
        var period = periodNanoseconds
        if let interval = try updateIntervalNanoseconds(in: directory) {
          period = max(period, interval)
        }
        return SysfsTemperatureSensor(
          source: .millidegrees(input), faultFile: fault, calibration: calibration,
          periodNanoseconds: period)
      case .iio(let name, let channel):
        let directory = try findNamed(
          name, under: "/sys/bus/iio/devices", prefix: "iio:device", nameFile: "name",
          kind: "IIO device")
        let type = String(channel.prefix { !$0.isNumber })
        guard type == "temp" || type == "resistance" else {
          throw BoardOpenError(
            path: directory, fault: .invalidValue,
            message: "IIO channel \"\(channel)\": only temp and resistance channels are supported")
        }
        let inputPath = "\(directory)/in_\(channel)_input"
        if type == "temp" && io.exists(inputPath) {
          return SysfsTemperatureSensor(
            source: .millidegrees(try SysfsAttribute(io: io, path: inputPath)),
            calibration: calibration, periodNanoseconds: periodNanoseconds)
        }
        let rawPath = "\(directory)/in_\(channel)_raw"
        guard io.exists(rawPath) else {
          throw BoardOpenError(
            path: rawPath, fault: .notFound,
            message:
              "IIO device \"\(name)\" has no channel \"\(channel)\" (no in_\(channel)_raw or in_\(channel)_input in \(directory))"
          )
        }
        if type == "resistance" && calibration.curve == nil {
          throw BoardOpenError(
            path: rawPath, fault: .invalidValue,
            message:
              "\(rawPath) reports ohms: the sensor needs a \"beta\" or \"steinhartHart\" curve")
        }
        let offset = try channelNumber("offset", channel: channel, type: type, in: directory) ?? 0
        guard let scale = try channelNumber("scale", channel: channel, type: type, in: directory)
        else {
          throw BoardOpenError(
            path: "\(directory)/in_\(channel)_scale", fault: .notFound,
            message:
              "\(directory): no in_\(channel)_scale or in_\(type)_scale for in_\(channel)_raw")
        }
        return SysfsTemperatureSensor(
          source: .iioRaw(
            try SysfsAttribute(io: io, path: rawPath), offset: offset, scale: scale,
            isResistance: type == "resistance"),
          calibration: calibration, periodNanoseconds: periodNanoseconds)
      case .thermalZone(let type):
        let directory = try findNamed(
          type, under: "/sys/class/thermal", prefix: "thermal_zone", nameFile: "type",
          kind: "thermal zone")
        return SysfsTemperatureSensor(
          source: .millidegrees(try SysfsAttribute(io: io, path: "\(directory)/temp")),
          calibration: calibration, periodNanoseconds: periodNanoseconds)
      }
    }

    /// The longest sensor period accepted, ns: a board file's `period` or
    /// a hwmon chip's `update_interval`. The supervisor judges staleness and
    /// stuck-ness on the sensor's period, so a longer one would switch those
    /// checks off for as long (a driver that caches longer is not fit for a
    /// loop that holds skin temperature).
    public static let maximumPeriodNanoseconds: UInt64 = 2_000_000_000

    /// The chip's `update_interval` (ms in the file) in ns, read from the
    /// directory where its `name` was found; `nil` when there is none.
    ///
    /// - Throws: a read failure (the errno's fault), text that is not a
    ///   whole number of milliseconds, or an interval above
    ///   ``maximumPeriodNanoseconds`` (``FaultKind/invalidValue``, naming the file).
    func updateIntervalNanoseconds(in directory: String) throws(BoardOpenError) -> UInt64? {
      let path = "\(directory)/update_interval"
      guard io.exists(path) else { return nil }
      let text: String
      do { text = try io.readText(path) } catch {
        throw BoardOpenError(path: path, errno: error, doing: "read")
      }
      let trimmed = SysfsText.trimmed(Substring(text))
      let limitMilliseconds = Self.maximumPeriodNanoseconds / 1_000_000
      guard let milliseconds = UInt64(trimmed) else {
        throw BoardOpenError(
          path: path, fault: .invalidValue,
          message: "\(path): \"\(trimmed)\" is not a whole number of milliseconds")
      }
      guard milliseconds <= limitMilliseconds else {
        throw BoardOpenError(
          path: path, fault: .invalidValue,
          message:
            "\(path): the chip caches its reading for \(milliseconds) ms, above the \(limitMilliseconds) ms a sensor's period may be; lower update_interval"
        )
      }
      return milliseconds * 1_000_000
    }

    /// The directory holding the attributes of the hwmon chip whose `name`
    /// is `chip`: `hwmonN`, or `hwmonN/device` for old drivers that keep
    /// `name` and every `tempK_*` file there.
    func findHwmon(_ chip: String, device: String?) throws(BoardOpenError) -> String {
      let base = "/sys/class/hwmon"
      var matches: [String] = []
      for entry in try list(base) where entry.hasPrefix("hwmon") {
        let directory = "\(base)/\(entry)"
        var attributes = directory
        var name = try? io.readText("\(directory)/name")
        if name == nil {
          attributes = "\(directory)/device"
          name = try? io.readText("\(attributes)/name")
        }
        guard let name, SysfsText.trimmed(Substring(name)) == Substring(chip) else { continue }
        if let device {
          guard let target = try? io.readLink("\(directory)/device"),
            target.split(separator: "/").last.map(String.init) == device
          else { continue }
        }
        matches.append(attributes)
      }
      guard let first = matches.first else {
        let suffix = device.map { " with device \"\($0)\"" } ?? ""
        throw BoardOpenError(
          path: base, fault: .notFound,
          message: "no hwmon chip named \"\(chip)\"\(suffix) in \(base)")
      }
      guard matches.count == 1 else {
        throw BoardOpenError(
          path: base, fault: .invalidValue,
          message:
            "\(matches.count) hwmon chips are named \"\(chip)\" (\(matches.joined(separator: ", "))): add \"device\" to tell them apart"
        )
      }
      return first
    }

    /// The number K of a hwmon channel, checked to exist.
    func hwmonChannel(_ channel: HwmonChannel, in directory: String, chip: String)
      throws(BoardOpenError) -> Int
    {
      let entries = try list(directory)
      let available = entries.compactMap { entry -> Int? in
        guard entry.hasPrefix("temp"), entry.hasSuffix("_input") else { return nil }
        return Int(entry.dropFirst(4).dropLast(6))
      }.sorted()
      switch channel {
      case .number(let number):
        guard available.contains(number) else {
          throw BoardOpenError(
            path: "\(directory)/temp\(number)_input", fault: .outOfRange,
            message:
              "hwmon chip \"\(chip)\" has no channel \(number) (channels: \(available.map(String.init).joined(separator: ", ")))"
          )
        }
        return number
      case .label(let label):
        for number in available {
          let path = "\(directory)/temp\(number)_label"
          if let text = try? io.readText(path),
            SysfsText.trimmed(Substring(text)) == Substring(label)
          {
            return number
          }
        }
        throw BoardOpenError(
          path: directory, fault: .notFound,
          message: "hwmon chip \"\(chip)\" has no channel labelled \"\(label)\"")
      }
    }

    /// The entry under `base` starting with `prefix` whose `nameFile` reads `name`.
    func findNamed(
      _ name: String, under base: String, prefix: String, nameFile: String, kind: String
    ) throws(BoardOpenError) -> String {
      var matches: [String] = []
      for entry in try list(base) where entry.hasPrefix(prefix) {
        let directory = "\(base)/\(entry)"
        if let text = try? io.readText("\(directory)/\(nameFile)"),
          SysfsText.trimmed(Substring(text)) == Substring(name)
        {
          matches.append(directory)
        }
      }
      guard let first = matches.first else {
        throw BoardOpenError(
          path: base, fault: .notFound, message: "no \(kind) named \"\(name)\" in \(base)")
      }
      guard matches.count == 1 else {
        throw BoardOpenError(
          path: base, fault: .invalidValue,
          message:
            "\(matches.count) \(kind)s are named \"\(name)\": \(matches.joined(separator: ", "))"
        )
      }
      return first
    }

    /// `in_<channel>_<what>`, else the type-wide `in_<type>_<what>`; `nil` when neither exists.
    private func channelNumber(_ what: String, channel: String, type: String, in directory: String)
      throws(BoardOpenError) -> Double?
    {
      for stem in [channel, type] {
        let path = "\(directory)/in_\(stem)_\(what)"
        guard io.exists(path) else { continue }
        let text: String
        do { text = try io.readText(path) } catch {
          throw BoardOpenError(path: path, errno: error, doing: "read")
        }
        guard let value = SysfsText.decimal(text) else {
          throw BoardOpenError(
            path: path, fault: .invalidValue, message: "\(path): \"\(text)\" is not a number")
        }
        return value
      }
      return nil
    }

    private func list(_ directory: String) throws(BoardOpenError) -> [String] {
      do { return try io.contentsOfDirectory(directory) } catch {
        throw BoardOpenError(path: directory, errno: error, doing: "list")
      }
    }
  }
#endif
