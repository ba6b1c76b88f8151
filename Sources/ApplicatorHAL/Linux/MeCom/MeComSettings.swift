/// How devsim drives one MeCom TEC in host control (a rig file says it): its address, which
/// of its temperatures each sensor slot reads, the current a full command means and which
/// polarity heats, and the limits written into it at connect.
public struct MeComSettings: Equatable, Sendable {
  /// The device address (0 … 254; 255 is a broadcast, which no device answers).
  public var address: UInt8
  /// The instance of the output channel (1 on a single-channel TEC).
  public var outputInstance: UInt8 = 1
  /// The device type the instrument must report (``MeComParameter/deviceType``).
  public var deviceType: Int32
  /// The channel read for each sensor slot, slot 0 first.
  public var channels: [MeComChannel]
  /// The current of a full command (±1), A.
  public var fullScaleCurrentAmperes: Double
  /// +1 when a positive instrument current heats the plate, −1 when it cools it. The loop's
  /// command is +1 for full heating whatever the wiring.
  public var heatingCurrentSign: Double
  /// The current limit written to ``MeComParameter/currentLimit`` and read back, A.
  public var currentLimitAmperes: Double
  /// The object temperature error thresholds written and read back, °C.
  public var objectLowCelsius: Double
  /// See ``objectLowCelsius``.
  public var objectHighCelsius: Double
  /// The communication watchdog written to ``MeComParameter/communicationWatchdog``, s.
  public var watchdogSeconds: Double
  /// The reply deadline of the loop's exchanges, ns (``MeComLink/loopReplyTimeoutNanoseconds``
  /// unless the rig file gives another).
  public var replyTimeoutNanoseconds = MeComLink.loopReplyTimeoutNanoseconds

  /// Settings from their parts.
  public init(
    address: UInt8, deviceType: Int32, channels: [MeComChannel], fullScaleCurrentAmperes: Double,
    heatingCurrentSign: Double, currentLimitAmperes: Double, objectLowCelsius: Double,
    objectHighCelsius: Double, watchdogSeconds: Double
  ) {
    self.address = address
    self.deviceType = deviceType
    self.channels = channels
    self.fullScaleCurrentAmperes = fullScaleCurrentAmperes
    self.heatingCurrentSign = heatingCurrentSign
    self.currentLimitAmperes = currentLimitAmperes
    self.objectLowCelsius = objectLowCelsius
    self.objectHighCelsius = objectHighCelsius
    self.watchdogSeconds = watchdogSeconds
  }
}
