#if canImport(Glibc)
  import ApplicatorHAL
  import SCPI

  /// What a rig says about itself before the host drives it (docs/rig-protocol.md,
  /// "The handshake"): one query per line, so no answer can shift another.
  public struct RigIdentity: Equatable, Sendable {
    /// `*IDN?`: maker, model, serial, firmware.
    public var identity: String
    /// `SYSTem:VERSion?`: the rig protocol version.
    public var version: String
    /// `SYSTem:MODE?`: `TEC` or `LASer`.
    public var mode: String
    /// `SYSTem:CHANnel:CATalog?`: the channel names, channel 1 first; `nil`
    /// when the rig gave no readable catalogue.
    public var channels: [String]?
    /// `SOURce:POWer:LEASe?`, s (rig time).
    public var leaseSeconds: Double?
    /// `SYSTem:SPEed?`: rig time per wall time.
    public var speed: Double?

    /// An identity from its parts.
    public init(
      identity: String, version: String, mode: String, channels: [String]?, leaseSeconds: Double?,
      speed: Double?
    ) {
      self.identity = identity
      self.version = version
      self.mode = mode
      self.channels = channels
      self.leaseSeconds = leaseSeconds
      self.speed = speed
    }
  }

  /// The handshake: asks the rig who it is, then checks that against what the
  /// host is about to run. Queries only: nothing here drives the rig.
  public enum RigHandshake {
    /// The rig protocol version this host speaks.
    public static let protocolVersion = "1"

    /// The `SYSTem:MODE?` answer for a TEC (bipolar) or a laser (unipolar) rig.
    public static func modeName(_ range: CommandRange) -> String {
      range == .bipolar ? "TEC" : "LAS"
    }

    /// Asks the five handshake queries, one per line. Throws what the link
    /// throws (a rig that does not answer at all times out).
    public static func query(_ link: RigLink) throws(FaultKind) -> RigIdentity {
      let identity = try link.query("*IDN?")
      let version = try link.query("SYST:VERS?")
      let mode = try link.query("SYST:MODE?")
      let catalogue = try link.query("SYST:CHAN:CAT?")
      let lease = try link.query("SOUR:POW:LEAS?")
      let speed = try link.query("SYST:SPE?")
      return RigIdentity(
        identity: identity, version: version.trimmingSpaces, mode: mode.trimmingSpaces,
        channels: names(catalogue), leaseSeconds: number(lease), speed: number(speed))
    }

    /// The rig channel (1-based) of each of `sensors`, matched by name, or
    /// why the rig is not the one the host expects. Every mismatch is named
    /// with both sides.
    public static func channels(
      of sensors: [String], rig: RigIdentity, commandRange: CommandRange, speed: Double
    ) -> Result<[Int], RigMismatch> {
      if let mismatch = identityMismatch(rig, commandRange: commandRange, speed: speed) {
        return .failure(mismatch)
      }
      return catalogueChannels(of: sensors, rig: rig)
    }

    /// Whether the rig gave no handshake at all: `SYSTem:VERSion?` answered
    /// SCPI's not-a-number (an undefined header) or nothing.
    public static func isUnanswered(_ rig: RigIdentity) -> Bool {
      rig.version.isEmpty || rig.version.uppercased() == SCPIFormat.notANumber
    }

    /// The rig channel of each of `sensors` as an explicit `map` (sensor
    /// name to 1-based channel) gives it, for a rig without the handshake.
    /// Every sensor needs a channel, no two the same. A rig that answers the
    /// handshake is checked as ``channels(of:rig:commandRange:speed:)`` does,
    /// and its catalogue must agree with the map (`verified`); one that gives
    /// no handshake runs on the map alone, not verified.
    public static func channels(
      of sensors: [String], map: [String: Int], rig: RigIdentity, commandRange: CommandRange,
      speed: Double
    ) -> Result<(channels: [Int], verified: Bool), RigMismatch> {
      var channels: [Int] = []
      for sensor in sensors {
        guard let channel = map[sensor], channel >= 1 else {
          return .failure(RigMismatch("the channel map gives no channel for sensor \(sensor)"))
        }
        guard !channels.contains(channel) else {
          return .failure(
            RigMismatch(
              "the channel map puts two sensors on channel \(channel), \(sensor) one of them"))
        }
        channels.append(channel)
      }
      if isUnanswered(rig) { return .success((channels, false)) }
      if let mismatch = identityMismatch(rig, commandRange: commandRange, speed: speed) {
        return .failure(mismatch)
      }
      guard let names = rig.channels else { return .success((channels, false)) }
      for (sensor, channel) in zip(sensors, channels) {
        let name = channel <= names.count ? names[channel - 1] : "no channel"
        guard name == sensor else {
          return .failure(
            RigMismatch(
              "the channel map puts sensor \(sensor) on channel \(channel), the rig's channel \(channel) is \(name)"
            ))
        }
      }
      return .success((channels, true))
    }

    /// A protocol version, mode or speed that is not the host's, named on both sides.
    static func identityMismatch(_ rig: RigIdentity, commandRange: CommandRange, speed: Double)
      -> RigMismatch?
    {
      guard rig.version == protocolVersion else {
        return RigMismatch(
          "the rig speaks protocol version '\(rig.version)' (SYST:VERS?), this host speaks \(protocolVersion)"
        )
      }
      let wanted = modeName(commandRange)
      guard rig.mode.uppercased().hasPrefix(wanted) else {
        return RigMismatch(
          "the rig is in mode '\(rig.mode)' (SYST:MODE?), the profile needs \(wanted)")
      }
      guard let rigSpeed = rig.speed, rigSpeed > 0,
        abs(rigSpeed - speed) <= 1e-6 * max(rigSpeed, speed)
      else {
        let shown = rig.speed.map { SCPIFormat.nr3($0) } ?? "no answer"
        return RigMismatch(
          "the rig runs at speed \(shown) (SYST:SPE?), this host at \(SCPIFormat.nr3(speed))")
      }
      return nil
    }

    /// Sensors mapped to the catalogue's channels by name.
    static func catalogueChannels(of sensors: [String], rig: RigIdentity) -> Result<
      [Int], RigMismatch
    > {
      guard let names = rig.channels else {
        return .failure(
          RigMismatch(
            "the rig gives no channel catalogue (SYST:CHAN:CAT?), the profile's sensors are \(sensors.joined(separator: ", "))"
          ))
      }
      var map: [Int] = []
      var missing: [String] = []
      for sensor in sensors {
        if let index = names.firstIndex(of: sensor) {
          map.append(index + 1)
        } else {
          missing.append(sensor)
        }
      }
      guard missing.isEmpty else {
        return .failure(
          RigMismatch(
            "the rig has no channel named \(missing.joined(separator: ", ")): its channels are "
              + "\(names.isEmpty ? "none" : names.joined(separator: ", ")), the profile's sensors "
              + sensors.joined(separator: ", ")))
      }
      return .success(map)
    }

    /// `"a","b"` as `["a", "b"]` (a doubled quote inside stands for itself);
    /// an empty reply is no channel; anything else unreadable is `nil`.
    public static func names(_ text: String) -> [String]? {
      let bytes = Array(text.trimmingSpaces.utf8)
      if bytes.isEmpty { return [] }
      var names: [String] = []
      var index = 0
      while index < bytes.count {
        guard bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        var name: [UInt8] = []
        var closed = false
        while index < bytes.count {
          if bytes[index] == UInt8(ascii: "\"") {
            if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
              name.append(bytes[index])
              index += 2
              continue
            }
            closed = true
            index += 1
            break
          }
          name.append(bytes[index])
          index += 1
        }
        guard closed else { return nil }
        names.append(String(decoding: name, as: UTF8.self))
        if index < bytes.count {
          guard bytes[index] == UInt8(ascii: ","), index + 1 < bytes.count else { return nil }
          index += 1
        }
      }
      return names
    }

    /// A finite number that is not SCPI's not-a-number.
    static func number(_ text: String) -> Double? {
      guard let value = Double(text.trimmingSpaces), value.isFinite, value < 9.9e37 else {
        return nil
      }
      return value
    }
  }

  /// Why the connected rig is not the one the host is about to run.
  public struct RigMismatch: Error, Equatable, Sendable {
    /// Names both sides.
    public var message: String

    /// A mismatch with `message`.
    public init(_ message: String) { self.message = message }
  }

  extension String {
    fileprivate var trimmingSpaces: String {
      var text = Substring(self)
      while let first = text.first, first == " " { text = text.dropFirst() }
      while let last = text.last, last == " " || last == "\r" { text = text.dropLast() }
      return String(text)
    }
  }
#endif
