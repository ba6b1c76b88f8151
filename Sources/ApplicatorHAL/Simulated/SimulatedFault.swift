/// A fault the simulator can inject into a sensor.
public enum SensorFaultKind: UInt8, Sendable, Equatable, CaseIterable {
  /// Open circuit: an NTC in a low-side divider reads very cold (the ADC's low rail).
  case open
  /// Short circuit: the reading goes very hot (the ADC's high rail).
  case short
  /// The reading freezes at a value (the fault's value, or the last reading).
  case stuck
  /// The reading drifts away at a constant rate (the fault's value, °C/s).
  case drift
  /// Reads fail: the channel times out on every read.
  case dropout
  /// The device keeps answering with its last sample and never converts again.
  case stale
}

/// A fault the simulator can inject into the power stage.
public enum StageFaultKind: UInt8, Sendable, Equatable, CaseIterable {
  /// The output is open: no current flows whatever the command (TEC open, laser emitter dead).
  case outputOpen
  /// The driver failed shorted: while enabled, it delivers the fault's value
  /// (a command-range fraction) whatever it is told; only the enable cuts it.
  case driverShorted
}

/// What a scheduled fault acts on.
public enum FaultTarget: Sendable, Equatable {
  /// The sensor in this slot.
  case sensor(index: Int, SensorFaultKind)
  /// The power stage.
  case stage(StageFaultKind)
  /// A freeze event in supercooled tissue (needs freezing in the plant).
  case freezeEvent
}

/// A fault scheduled at a simulated time.
public struct ScheduledFault: Sendable, Equatable {
  /// When the fault appears, ns since the start of the run.
  public var atNanoseconds: UInt64
  /// What breaks and how.
  public var target: FaultTarget
  /// A value whose meaning depends on the fault (stuck value °C, drift °C/s,
  /// shorted output level); `nil` for the default.
  public var value: Double?

  /// Creates a scheduled fault.
  public init(atNanoseconds: UInt64, target: FaultTarget, value: Double? = nil) {
    self.atNanoseconds = atNanoseconds
    self.target = target
    self.value = value
  }
}
