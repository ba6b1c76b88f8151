/// A temperature sensor: one channel that yields a sample or a typed fault.
///
/// A multi-channel device (a rig, an ADC scanning several thermistors) is
/// fetched once per tick by its ``Applicator`` and then read per channel.
/// Implementations must not block for long: a slow conversion belongs
/// outside the tick.
public protocol TemperatureSensor {
  /// Reads the channel.
  ///
  /// - Parameter nowNanoseconds: the loop clock at the start of the tick.
  /// - Returns: the latest sample; `isNew` is `false` when the device repeated a value.
  /// - Throws: the ``FaultKind`` the backend's error maps to.
  mutating func read(nowNanoseconds: UInt64) throws(FaultKind) -> TemperatureSample
}

extension TemperatureSensor {
  /// Reads the channel as a reading: the sample, or the fault it threw.
  public mutating func reading(nowNanoseconds: UInt64) -> SensorReading {
    do {
      return .sample(try read(nowNanoseconds: nowNanoseconds))
    } catch {
      return .fault(error)
    }
  }
}
