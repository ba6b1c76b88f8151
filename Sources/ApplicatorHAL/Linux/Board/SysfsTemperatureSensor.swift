#if canImport(Glibc)
  import ApplicatorHAL
  /// Where a sysfs sensor's value comes from and in what unit.
  public enum SysfsSensorSource {
    /// A file in millidegrees Celsius: hwmon `tempK_input`, a thermal
    /// zone's `temp`, IIO `in_temp_input`.
    case millidegrees(SysfsAttribute)
    /// An IIO raw channel: value = (raw + offset) × scale, in millidegrees
    /// for a temperature channel and ohms for a resistance channel.
    case iioRaw(SysfsAttribute, offset: Double, scale: Double, isResistance: Bool)
  }

  /// One temperature channel under `/sys`: hwmon, IIO or a thermal zone.
  ///
  /// The file stays open and is read with `pread` at offset 0. Each `errno`
  /// becomes a ``FaultKind``; unparsable text is ``FaultKind/invalidValue``;
  /// a set `tempK_fault` is ``FaultKind/faultFlag``. A value read again
  /// inside the sensor's own period that has not changed is marked as not
  /// new (hwmon drivers return a cached reading until their
  /// `update_interval` has passed), so the supervisor judges staleness and
  /// stuck-ness on the sensor's own period.
  public struct SysfsTemperatureSensor: TemperatureSensor {
    /// The value's file and unit.
    public let source: SysfsSensorSource
    /// The hwmon `tempK_fault` file, when the chip has one.
    public let faultFile: SysfsAttribute?
    /// The calibration from the board file.
    public let calibration: SensorCalibration
    /// The sensor's own period, ns: hwmon `update_interval`, or the board
    /// file's; 0 when every read converts anew.
    public let periodNanoseconds: UInt64
    private var lastCelsius: Double? = nil
    private var lastNewNanoseconds: UInt64 = 0

    /// Creates a sensor over already opened files.
    public init(
      source: SysfsSensorSource, faultFile: SysfsAttribute? = nil,
      calibration: SensorCalibration = SensorCalibration(), periodNanoseconds: UInt64 = 0
    ) {
      self.source = source
      self.faultFile = faultFile
      self.calibration = calibration
      self.periodNanoseconds = periodNanoseconds
    }

    /// The kernel path of the value's file.
    public var path: String {
      switch source {
      case .millidegrees(let file): file.path
      case .iioRaw(let file, _, _, _): file.path
      }
    }

    /// Reads the channel once.
    public mutating func read(nowNanoseconds: UInt64) throws(FaultKind) -> TemperatureSample {
      if let faultFile {
        guard let flag = Int64(try faultFile.read()) else { throw .invalidValue }
        if flag != 0 { throw .faultFlag }
      }
      let celsius = try convert()
      let repeated =
        celsius == lastCelsius
        && nowNanoseconds - min(lastNewNanoseconds, nowNanoseconds)
          < periodNanoseconds
      lastCelsius = celsius
      if repeated {
        return TemperatureSample(
          celsius: celsius, timestampNanoseconds: lastNewNanoseconds, isNew: false)
      }
      lastNewNanoseconds = nowNanoseconds
      return TemperatureSample(celsius: celsius, timestampNanoseconds: nowNanoseconds)
    }

    private func convert() throws(FaultKind) -> Double {
      var celsius: Double
      switch source {
      case .millidegrees(let file):
        celsius = Double(try file.readInteger()) / 1000
      case .iioRaw(let file, let offset, let scale, let isResistance):
        let value = (Double(try file.readInteger()) + offset) * scale
        if isResistance {
          guard let curve = calibration.curve else { throw .invalidValue }
          guard let converted = curve.celsius(ohms: value) else { throw .outOfRange }
          celsius = converted
        } else {
          celsius = value / 1000
        }
      }
      celsius += calibration.offsetCelsius
      guard celsius.isFinite else { throw .outOfRange }
      return celsius
    }
  }
#endif
