/// One temperature reading as a sensor delivered it.
public struct TemperatureSample: Sendable, Equatable {
  /// The reading in degrees Celsius.
  public var celsius: Double
  /// When the sensor took the reading, on the loop clock, in nanoseconds.
  public var timestampNanoseconds: UInt64
  /// `true` when this is a new conversion, `false` when the device repeated
  /// a cached value (a hwmon driver inside its `update_interval`, a rig that
  /// has not sampled again since the last read).
  public var isNew: Bool

  /// Creates a sample.
  public init(celsius: Double, timestampNanoseconds: UInt64, isNew: Bool = true) {
    self.celsius = celsius
    self.timestampNanoseconds = timestampNanoseconds
    self.isNew = isNew
  }
}

/// The outcome of reading one sensor in one tick: a sample or a typed fault.
public enum SensorReading: Sendable, Equatable {
  /// The sensor delivered a sample.
  case sample(TemperatureSample)
  /// The read failed; the supervisor treats the channel as having no new data.
  case fault(FaultKind)
  /// The channel was not read (no sensor configured in this slot).
  case absent

  /// The sample, if the read succeeded.
  public var sample: TemperatureSample? {
    if case .sample(let s) = self { return s }
    return nil
  }
}
