#if canImport(Glibc)
  import ApplicatorHAL
  /// Which hwmon channel: by its number K (`tempK_input`) or by its `tempK_label`.
  public enum HwmonChannel: Sendable, Equatable {
    /// `tempK_input`; K starts at 1 and gaps are legal.
    case number(Int)
    /// The channel whose `tempK_label` reads this text.
    case label(String)
  }

  /// Where a board's temperature sensor lives under `/sys`.
  public enum SysfsSensorSpec: Sendable, Equatable {
    /// `/sys/class/hwmon/hwmonN` whose `name` is `chip` (and, when two
    /// chips share a name, whose resolved `device` link ends in `device`).
    case hwmon(chip: String, device: String?, channel: HwmonChannel)
    /// `/sys/bus/iio/devices/iio:deviceX` whose `name` is `device`;
    /// `channel` is the file stem (`temp`, `temp0`, `resistance0`).
    case iio(device: String, channel: String)
    /// `/sys/class/thermal/thermal_zoneN` whose `type` is `type`.
    case thermalZone(type: String)
  }
#endif
