import ApplicatorHAL

/// A fault the simulator can inject into a sensor.
public enum SensorFaultKind: UInt8, Sendable, Equatable, CaseIterable {
  /// Open circuit: an NTC in a low-side divider reads very cold (the ADC's low rail).
  case open
  /// Short circuit: the reading goes very hot (the ADC's high rail).
  case short
  /// The reading freezes at a value (the fault's value, or the last reading).
  case stuck
  /// The reading drifts away at a constant rate (the fault's value, °C/s; default 0.1).
  case drift
  /// The probe comes off and relaxes toward the room temperature, with the
  /// fault's value as time constant (s; default 20).
  case detached
  /// Noise bursts: each conversion carries a spike of ± the fault's value
  /// (°C; default 5) with probability 0.2, drawn from the run's seed.
  case spikes
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
  /// A laser whose driver fails this way is a stuck-on laser.
  case driverShorted
  /// The output's sign is reversed (a TEC wired with the opposite
  /// polarity): it delivers the negated command, heating where it was told
  /// to cool; a unipolar stage (a laser) then delivers nothing. The current
  /// monitor sits before the swapped leads, so read-back sees the command.
  case inverted
}

/// A fault of the applicator's surroundings.
public enum PlantFaultKind: UInt8, Sendable, Equatable, CaseIterable {
  /// Skin contact (vacuum) is lost: the contact conductance drops to that of
  /// an air gap and the contact interlock opens.
  case contactLost
  /// Coolant stops: the TEC's heatsink can no longer shed heat (its
  /// resistance rises fiftyfold) or a laser's contact-cooling plate warms to
  /// the skin; the coolant-flow interlock opens.
  case coolantLost
  /// The heatsink fouls (a blocked radiator): its resistance rises twentyfold
  /// while coolant still flows, so no interlock sees it.
  case heatsinkFouled
  /// Supercooled tissue water freezes (needs freezing in the plant).
  case freezeEvent
}

/// What a scheduled fault acts on.
public enum FaultTarget: Sendable, Equatable {
  /// The sensor in this slot.
  case sensor(index: Int, SensorFaultKind)
  /// The power stage.
  case stage(StageFaultKind)
  /// The plant or its surroundings.
  case plant(PlantFaultKind)
}

/// When a scheduled fault happens.
public enum FaultTrigger: Sendable, Equatable {
  /// At a time, ns since the start of the run.
  case at(nanoseconds: UInt64)
  /// When the true temperature at a sensor's location first reaches a value
  /// (falling to it when `falling`, rising to it otherwise), plus a delay.
  case whenSensor(index: Int, reachesCelsius: Double, falling: Bool, delayNanoseconds: UInt64)
}

/// A fault scheduled by time or by condition.
public struct ScheduledFault: Sendable, Equatable {
  /// When the fault happens.
  public var trigger: FaultTrigger
  /// What breaks and how.
  public var target: FaultTarget
  /// A value whose meaning depends on the fault (stuck value °C, drift °C/s,
  /// detachment time constant s, spike size °C, shorted output level); `nil`
  /// for the default.
  public var value: Double?
  /// How long a sensor fault lasts before the sensor recovers, ns (`nil`:
  /// for good). Stage and plant faults last for good.
  public var durationNanoseconds: UInt64?

  /// Creates a fault scheduled by trigger.
  public init(
    trigger: FaultTrigger, target: FaultTarget, value: Double? = nil,
    durationNanoseconds: UInt64? = nil
  ) {
    self.trigger = trigger
    self.target = target
    self.value = value
    self.durationNanoseconds = durationNanoseconds
  }

  /// Creates a fault scheduled at a time.
  public init(atNanoseconds: UInt64, target: FaultTarget, value: Double? = nil) {
    self.init(trigger: .at(nanoseconds: atNanoseconds), target: target, value: value)
  }
}
