/// The unit of a trip's reading and limit.
public enum SafetyUnit: UInt8, Sendable, Equatable, CaseIterable {
  /// No unit: the trip carries no reading (an interlock, a refused write).
  case none
  /// Degrees Celsius: a temperature, a difference, a rise or a resolution.
  case celsius
  /// Degrees Celsius per second: a fitted slope.
  case celsiusPerSecond
  /// Seconds: the age of a sample, the lateness of a wake-up.
  case seconds
  /// Minutes of treatment time.
  case minutes
  /// A fraction of the power stage's full scale (−1 … +1 or 0 … 1).
  case fraction
  /// Cumulative equivalent minutes at 43 °C (CEM43, Sapareto–Dewey).
  case cem43Minutes
  /// A count of events.
  case count

  /// The unit as printed after a number (empty for ``none`` and ``count``).
  public var symbol: StaticString {
    switch self {
    case .none: ""
    case .celsius: "°C"
    case .celsiusPerSecond: "°C/s"
    case .seconds: "s"
    case .minutes: "min"
    case .fraction: "of full scale"
    case .cem43Minutes: "CEM43 min"
    case .count: ""
    }
  }
}

/// What a trip's reading is a reading of: it says how to read the value
/// against the limit, which share the unit.
public enum SafetyQuantity: UInt8, Sendable, Equatable, CaseIterable {
  /// No reading.
  case none
  /// A temperature, against a temperature limit (a hard limit, the
  /// plausible range, the widened window, the progress target, the model's
  /// prediction ± its tolerance).
  case temperature
  /// The difference between two sensors of one temperature, against the
  /// largest allowed difference.
  case difference
  /// The least-squares slope over ``SafetyMeasurement/spanSeconds``,
  /// against the rate limit (negative: the fall limit).
  case slope
  /// A rise within ``SafetyMeasurement/spanSeconds``, against the rise that counts.
  case rise
  /// A reading that stayed within the sensor's resolution (the limit) for
  /// ``SafetyMeasurement/spanSeconds``.
  case unchanged
  /// The time since a sensor's last new sample, against the stale trip time.
  case age
  /// How late one wake-up of the loop came, against the stall limit.
  case lateness
  /// The power stage's measured output, against the commanded value ± the tolerance.
  case output
  /// How long the power stage's output went without a read-back that
  /// confirms it (failed reads or mismatches), against the persistence.
  case unconfirmed
  /// Treatment time, against the time cap.
  case elapsed
  /// The thermal dose, against the dose cap.
  case dose
  /// Overruns within ``SafetyMeasurement/spanSeconds``, against the most allowed.
  case overruns
}

/// A trip's reading and the limit it crossed, with their unit: a report
/// reads "reading 0.80 °C rise in 10 s, limit 0.50 °C", never bare numbers
/// whose unit changes with the check.
public struct SafetyMeasurement: Sendable, Equatable {
  /// What the value is a reading of.
  public var quantity: SafetyQuantity
  /// The unit of ``value`` and ``limit``.
  public var unit: SafetyUnit
  /// The reading that fired the trip, in ``unit`` (NaN when none).
  public var value: Double
  /// The limit it crossed, in ``unit`` (NaN when none).
  public var limit: Double
  /// The span the reading was judged over, s: the fit of a slope, the
  /// window of a rise, how long a reading stayed unchanged, the overrun
  /// window (`nil` when the reading is of one instant).
  public var spanSeconds: Double?

  /// Creates a measurement.
  public init(
    quantity: SafetyQuantity, unit: SafetyUnit, value: Double, limit: Double,
    spanSeconds: Double? = nil
  ) {
    self.quantity = quantity
    self.unit = unit
    self.value = value
    self.limit = limit
    self.spanSeconds = spanSeconds
  }

  /// No reading: an interlock, a refused write.
  public static let none = SafetyMeasurement(
    quantity: .none, unit: .none, value: .nan, limit: .nan)

  /// A temperature against a temperature limit, °C.
  public static func temperature(celsius: Double, limitCelsius: Double) -> SafetyMeasurement {
    SafetyMeasurement(quantity: .temperature, unit: .celsius, value: celsius, limit: limitCelsius)
  }

  /// The difference between two sensors, °C.
  public static func difference(celsius: Double, limitCelsius: Double) -> SafetyMeasurement {
    SafetyMeasurement(quantity: .difference, unit: .celsius, value: celsius, limit: limitCelsius)
  }

  /// A fitted slope over `spanSeconds`, °C/s.
  public static func slope(
    celsiusPerSecond: Double, limitCelsiusPerSecond: Double, spanSeconds: Double
  ) -> SafetyMeasurement {
    SafetyMeasurement(
      quantity: .slope, unit: .celsiusPerSecond, value: celsiusPerSecond,
      limit: limitCelsiusPerSecond, spanSeconds: spanSeconds)
  }

  /// A rise within `spanSeconds`, °C.
  public static func rise(celsius: Double, limitCelsius: Double, spanSeconds: Double)
    -> SafetyMeasurement
  {
    SafetyMeasurement(
      quantity: .rise, unit: .celsius, value: celsius, limit: limitCelsius,
      spanSeconds: spanSeconds)
  }

  /// A reading, °C, unchanged within `resolutionCelsius` for `spanSeconds`.
  public static func unchanged(celsius: Double, resolutionCelsius: Double, spanSeconds: Double)
    -> SafetyMeasurement
  {
    SafetyMeasurement(
      quantity: .unchanged, unit: .celsius, value: celsius, limit: resolutionCelsius,
      spanSeconds: spanSeconds)
  }

  /// A duration in seconds: a sample's age or a wake-up's lateness.
  public static func seconds(_ quantity: SafetyQuantity, seconds: Double, limitSeconds: Double)
    -> SafetyMeasurement
  {
    SafetyMeasurement(quantity: quantity, unit: .seconds, value: seconds, limit: limitSeconds)
  }

  /// How long the output went unconfirmed (read-back failed or off the
  /// command) against the read-back persistence, seconds.
  public static func unconfirmed(seconds: Double, limitSeconds: Double) -> SafetyMeasurement {
    SafetyMeasurement(
      quantity: .unconfirmed, unit: .seconds, value: seconds, limit: limitSeconds)
  }

  /// The measured output against the commanded value ± the tolerance, fraction of full scale.
  public static func output(fraction: Double, limitFraction: Double) -> SafetyMeasurement {
    SafetyMeasurement(quantity: .output, unit: .fraction, value: fraction, limit: limitFraction)
  }

  /// Treatment time against the cap, minutes.
  public static func elapsed(minutes: Double, limitMinutes: Double) -> SafetyMeasurement {
    SafetyMeasurement(quantity: .elapsed, unit: .minutes, value: minutes, limit: limitMinutes)
  }

  /// The thermal dose against the cap, CEM43 minutes.
  public static func dose(cem43Minutes: Double, limitCem43Minutes: Double) -> SafetyMeasurement {
    SafetyMeasurement(
      quantity: .dose, unit: .cem43Minutes, value: cem43Minutes, limit: limitCem43Minutes)
  }

  /// Overruns within `spanSeconds` against the most allowed.
  public static func overruns(count: Int, limit: Int, spanSeconds: Double) -> SafetyMeasurement {
    SafetyMeasurement(
      quantity: .overruns, unit: .count, value: Double(count), limit: Double(limit),
      spanSeconds: spanSeconds)
  }
}
