/// Gains and limits of a ``PIDController``.
public struct PIDGains: Sendable, Equatable {
  /// Proportional gain, command per °C.
  public var proportionalPerCelsius: Double
  /// Integral gain, command per (°C·s).
  public var integralPerCelsiusSecond: Double
  /// Derivative gain, command per (°C/s).
  public var derivativeSecondsPerCelsius: Double
  /// Time constant of the first-order filter on the derivative, s.
  public var derivativeFilterSeconds: Double

  /// Creates gains.
  public init(
    proportionalPerCelsius: Double, integralPerCelsiusSecond: Double,
    derivativeSecondsPerCelsius: Double = 0, derivativeFilterSeconds: Double = 1
  ) {
    self.proportionalPerCelsius = proportionalPerCelsius
    self.integralPerCelsiusSecond = integralPerCelsiusSecond
    self.derivativeSecondsPerCelsius = derivativeSecondsPerCelsius
    self.derivativeFilterSeconds = derivativeFilterSeconds
  }
}

/// Output limits of a controller, which may be asymmetric (a TEC that
/// cools at up to −1 but heats at no more than +0.5).
public struct OutputLimits: Sendable, Equatable {
  /// The lowest command, e.g. −1 for full cooling.
  public var low: Double
  /// The highest command.
  public var high: Double

  /// Creates limits; `low` must not exceed `high`.
  public init(low: Double, high: Double) {
    self.low = low
    self.high = high
  }

  /// Clamps a value into the limits.
  public func clamp(_ value: Double) -> Double { min(max(value, low), high) }
}

/// A PID controller written as firmware writes it.
///
/// - Derivative on the measurement, not the error (no kick on a setpoint
///   step), through a first-order low-pass filter.
/// - Anti-windup twice over: the integrator moves freely while the output is
///   unsaturated, only up to the point where the output reaches its limit
///   (never further out), and back inside at any time; it is also clamped
///   to the output limits.
/// - The integral is kept in output units, so changing the integral gain
///   does not bump the output; a change of proportional or derivative gain
///   is compensated in the integral (bumpless), and so is manual→automatic.
/// - A setpoint ramp limit (°C/s) moves the working setpoint toward the target.
/// - A feedforward input is added before the limits.
/// - `dt` comes from the timestamps passed in, never assumed.
public struct PIDController: Sendable {
  /// The gains in force.
  public private(set) var gains: PIDGains
  /// The output limits.
  public private(set) var limits: OutputLimits
  /// The maximum rate at which the working setpoint moves, °C/s (infinity: no limit).
  public var setpointRampCelsiusPerSecond: Double = .infinity
  /// The setpoint the controller is working to now (after the ramp limit), °C.
  public private(set) var workingSetpointCelsius: Double = 0
  /// The integral term, in output units.
  public private(set) var integralTerm: Double = 0
  /// `true` while the output follows a manual value.
  public private(set) var isManual: Bool = false
  private var filteredRate: Double = 0  // °C/s, filtered derivative of the measurement
  private var lastMeasurement: Double = 0
  private var lastError: Double = 0
  private var lastNanoseconds: UInt64 = 0
  private var hasHistory = false
  private var manualOutput: Double = 0

  /// Creates a controller in automatic mode.
  public init(gains: PIDGains, limits: OutputLimits) {
    self.gains = gains
    self.limits = limits
  }

  /// Changes the gains without a bump in the output.
  public mutating func setGains(_ newGains: PIDGains) {
    if hasHistory && !isManual {
      integralTerm +=
        (gains.proportionalPerCelsius - newGains.proportionalPerCelsius) * lastError
        - (gains.derivativeSecondsPerCelsius - newGains.derivativeSecondsPerCelsius) * filteredRate
      integralTerm = limits.clamp(integralTerm)
    }
    gains = newGains
  }

  /// Changes the output limits; the integral is clamped into them.
  public mutating func setLimits(_ newLimits: OutputLimits) {
    limits = newLimits
    integralTerm = limits.clamp(integralTerm)
  }

  /// Switches to manual: the output is `output` until ``setAutomatic()``.
  public mutating func setManual(output: Double) {
    isManual = true
    manualOutput = limits.clamp(output)
  }

  /// Switches back to automatic; the first automatic output continues from
  /// the manual one (the integral absorbs the difference).
  public mutating func setAutomatic() {
    isManual = false
  }

  /// Computes the command for this tick.
  ///
  /// - Parameters:
  ///   - targetCelsius: where the setpoint should go; the working setpoint
  ///     moves toward it at the ramp limit.
  ///   - measurementCelsius: the controlled temperature.
  ///   - feedforward: a command added before the limits (model-based power).
  ///   - nowNanoseconds: the loop clock; `dt` is the difference from the last call.
  public mutating func update(
    targetCelsius: Double, measurementCelsius: Double, feedforward: Double = 0,
    nowNanoseconds: UInt64
  ) -> Double {
    guard hasHistory else {
      hasHistory = true
      lastNanoseconds = nowNanoseconds
      lastMeasurement = measurementCelsius
      workingSetpointCelsius =
        setpointRampCelsiusPerSecond.isFinite ? measurementCelsius : targetCelsius
      return firstOutput(target: targetCelsius, measurement: measurementCelsius, ff: feedforward)
    }
    let dt = Double(nowNanoseconds &- lastNanoseconds) * 1e-9
    lastNanoseconds = nowNanoseconds
    guard dt > 0 else { return limits.clamp(outputNow(ff: feedforward)) }

    let step = setpointRampCelsiusPerSecond * dt
    workingSetpointCelsius += min(max(targetCelsius - workingSetpointCelsius, -step), step)

    let rawRate = (measurementCelsius - lastMeasurement) / dt
    lastMeasurement = measurementCelsius
    filteredRate += (rawRate - filteredRate) * dt / (gains.derivativeFilterSeconds + dt)

    let error = workingSetpointCelsius - measurementCelsius
    lastError = error
    let proportional = gains.proportionalPerCelsius * error
    let derivative = -gains.derivativeSecondsPerCelsius * filteredRate

    if isManual {
      integralTerm = limits.clamp(manualOutput - proportional - derivative - feedforward)
      return manualOutput
    }
    let candidate = integralTerm + gains.integralPerCelsiusSecond * error * dt
    let unsaturated = proportional + candidate + derivative + feedforward
    let others = proportional + derivative + feedforward
    if unsaturated > limits.high && candidate > integralTerm {
      // Integrate only up to where the output reaches the limit, never back.
      integralTerm = limits.clamp(max(integralTerm, min(candidate, limits.high - others)))
    } else if unsaturated < limits.low && candidate < integralTerm {
      integralTerm = limits.clamp(min(integralTerm, max(candidate, limits.low - others)))
    } else {
      integralTerm = limits.clamp(candidate)
    }
    return limits.clamp(proportional + integralTerm + derivative + feedforward)
  }

  private mutating func firstOutput(target: Double, measurement: Double, ff: Double) -> Double {
    let error = workingSetpointCelsius - measurement
    lastError = error
    if isManual {
      integralTerm = limits.clamp(manualOutput - gains.proportionalPerCelsius * error - ff)
      return manualOutput
    }
    return limits.clamp(gains.proportionalPerCelsius * error + integralTerm + ff)
  }

  private func outputNow(ff: Double) -> Double {
    if isManual { return manualOutput }
    return gains.proportionalPerCelsius * lastError + integralTerm
      - gains.derivativeSecondsPerCelsius * filteredRate + ff
  }
}
