import Testing
import ThermalLoop

private let tick: UInt64 = 100_000_000  // 100 ms
private let wide = OutputLimits(low: -100, high: 100)

private func at(_ k: Int, _ period: UInt64 = tick) -> UInt64 { UInt64(k) * period }

@Suite("PIDController")
struct PIDControllerTests {
  @Test(
    "P only: output is Kp·(setpoint − measurement), clamped",
    arguments: [(20.0, 18.0, 0.6), (20.0, 21.0, -0.3), (20.0, 20.0, 0.0), (20.0, 10.0, 1.0)])
  func proportionalOnly(target: Double, measurement: Double, expected: Double) {
    var pid = PIDController(
      gains: PIDGains(proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0),
      limits: OutputLimits(low: -1, high: 1))
    for k in 0..<5 {
      let out = pid.update(
        targetCelsius: target, measurementCelsius: measurement, nowNanoseconds: at(k))
      #expect(abs(out - expected) < 1e-15)
    }
  }

  @Test("integral accumulates Ki·error·time with dt taken from the timestamps")
  func integralFromTimestamps() {
    // Same error (2 °C) for the same 6 s, ticked every 100 ms and every 750 ms
    // (and irregularly): the integral is Ki·e·t = 0.05·2·6 = 0.6 in each case.
    let gains = PIDGains(proportionalPerCelsius: 0, integralPerCelsiusSecond: 0.05)
    let schedules: [[UInt64]] = [
      stride(from: 0, through: 6 * 1_000_000_000, by: 100_000_000).map { UInt64($0) },
      stride(from: 0, through: 6 * 1_000_000_000, by: 750_000_000).map { UInt64($0) },
      [0, 13_000_000, 900_000_000, 901_000_000, 2_500_000_000, 5_999_999_999, 6_000_000_000],
    ]
    for times in schedules {
      var pid = PIDController(gains: gains, limits: wide)
      var out = 0.0
      for now in times {
        out = pid.update(targetCelsius: 22, measurementCelsius: 20, nowNanoseconds: now)
      }
      #expect(abs(pid.integralTerm - 0.6) < 1e-12)
      #expect(abs(out - 0.6) < 1e-12)
    }
  }

  @Test("a repeated timestamp does not integrate")
  func zeroDt() {
    var pid = PIDController(
      gains: PIDGains(proportionalPerCelsius: 0.1, integralPerCelsiusSecond: 0.5), limits: wide)
    _ = pid.update(targetCelsius: 10, measurementCelsius: 9, nowNanoseconds: 0)
    let first = pid.update(targetCelsius: 10, measurementCelsius: 9, nowNanoseconds: tick)
    let again = pid.update(targetCelsius: 10, measurementCelsius: 9, nowNanoseconds: tick)
    #expect(again == first)
    #expect(abs(pid.integralTerm - 0.5 * 1 * 0.1) < 1e-15)
  }

  @Test("derivative on measurement: a setpoint step gives no derivative kick")
  func noDerivativeKick() {
    // Kd = 50: a derivative on the error would add Kd·Δsp/dt = 50·5/0.1 = 2500.
    var pid = PIDController(
      gains: PIDGains(
        proportionalPerCelsius: 0.2, integralPerCelsiusSecond: 0, derivativeSecondsPerCelsius: 50,
        derivativeFilterSeconds: 0.5),
      limits: wide)
    for k in 0..<10 {
      _ = pid.update(targetCelsius: 20, measurementCelsius: 20, nowNanoseconds: at(k))
    }
    let out = pid.update(targetCelsius: 25, measurementCelsius: 20, nowNanoseconds: at(10))
    #expect(abs(out - 0.2 * 5) < 1e-12)
  }

  @Test("derivative on measurement: a measurement ramp gives −Kd·rate through the filter")
  func derivativeFilter() {
    // The filter f ← f + (r − f)·dt/(τ + dt) driven by a constant rate r
    // gives f_n = r·(1 − (τ/(τ + dt))^n) after n ticks.
    let kd = 4.0
    let tau = 0.5
    let dt = 0.1
    let rate = 0.3  // °C/s
    var pid = PIDController(
      gains: PIDGains(
        proportionalPerCelsius: 0, integralPerCelsiusSecond: 0, derivativeSecondsPerCelsius: kd,
        derivativeFilterSeconds: tau),
      limits: wide)
    _ = pid.update(targetCelsius: 30, measurementCelsius: 10, nowNanoseconds: 0)
    var decay = 1.0
    for n in 1...60 {
      let out = pid.update(
        targetCelsius: 30, measurementCelsius: 10 + rate * dt * Double(n), nowNanoseconds: at(n))
      decay *= tau / (tau + dt)
      #expect(abs(out - (-kd * rate * (1 - decay))) < 1e-12, "n = \(n)")
    }
  }

  @Test("anti-windup: after long saturation the output leaves it as soon as the error turns")
  func antiWindup() {
    // Held saturated for 1000 s with e = +10: a naive integrator would hold
    // Ki·e·t = 0.02·10·1000 = 200 and, when the error turns to −1, need
    // 200/(Ki·1) = 10 000 s to unwind; even clamped to the limit (1) it would
    // keep the output saturated until Kp·1 exceeded it.
    let gains = PIDGains(proportionalPerCelsius: 0.5, integralPerCelsiusSecond: 0.02)
    let limits = OutputLimits(low: -1, high: 1)
    var pid = PIDController(gains: gains, limits: limits)
    var k = 0
    while k <= 10_000 {
      let out = pid.update(targetCelsius: 30, measurementCelsius: 20, nowNanoseconds: at(k))
      #expect(out == 1)
      k += 1
    }
    #expect(pid.integralTerm <= limits.high)
    // Error turns to −1 °C (the temperature overshoots the setpoint).
    let out = pid.update(targetCelsius: 30, measurementCelsius: 31, nowNanoseconds: at(k))
    // The integral held nothing over from the saturation: the output is
    // Kp·e + Ki·e·dt for the new error alone, on the other side of zero.
    #expect(out < 0)
    #expect(abs(out - (0.5 * -1 + 0.02 * -1 * 0.1)) < 1e-12)
  }

  @Test("anti-windup: the integral never leaves the output limits")
  func integralClamped() {
    // Kp = 0 and a feedforward of −5 keep the output far below +1 while a
    // positive error integrates: without the clamp the integral would reach
    // Ki·e·t = 1·1·10 = 10.
    var pid = PIDController(
      gains: PIDGains(proportionalPerCelsius: 0, integralPerCelsiusSecond: 1),
      limits: OutputLimits(low: -1, high: 1))
    for k in 0...100 {
      _ = pid.update(
        targetCelsius: 1, measurementCelsius: 0, feedforward: -5, nowNanoseconds: at(k))
      #expect(pid.integralTerm <= 1)
    }
    #expect(pid.integralTerm == 1)
    var negative = PIDController(
      gains: PIDGains(proportionalPerCelsius: 0, integralPerCelsiusSecond: 1),
      limits: OutputLimits(low: -0.25, high: 1))
    for k in 0...100 {
      _ = negative.update(
        targetCelsius: 0, measurementCelsius: 1, feedforward: 5, nowNanoseconds: at(k))
      #expect(negative.integralTerm >= -0.25)
    }
    #expect(negative.integralTerm == -0.25)
  }

  @Test("a persistent error drives a PI controller all the way to its limit")
  func reachesLimit() {
    // Integral only, Ki·e·dt = 0.3 per tick: 0, 0.3, 0.6, 0.9, then the
    // limit, 1.0 — not stuck one increment short of it.
    var pid = PIDController(
      gains: PIDGains(proportionalPerCelsius: 0, integralPerCelsiusSecond: 3),
      limits: OutputLimits(low: -1, high: 1))
    var out = 0.0
    for k in 0...20 {
      out = pid.update(targetCelsius: 1, measurementCelsius: 0, nowNanoseconds: at(k))
    }
    #expect(out == 1)
    var cooling = PIDController(
      gains: PIDGains(proportionalPerCelsius: 0.01, integralPerCelsiusSecond: 3),
      limits: OutputLimits(low: -0.7, high: 0.5))
    for k in 0...20 {
      out = cooling.update(targetCelsius: -12, measurementCelsius: -11, nowNanoseconds: at(k))
    }
    #expect(out == -0.7)
  }

  @Test(
    "asymmetric limits are respected on both sides",
    arguments: [(40.0, 0.5), (-40.0, -1.0), (0.5, 0.25)])
  func asymmetricLimits(error: Double, expected: Double) {
    var pid = PIDController(
      gains: PIDGains(proportionalPerCelsius: 0.5, integralPerCelsiusSecond: 0),
      limits: OutputLimits(low: -1, high: 0.5))
    for k in 0..<10 {
      let out = pid.update(targetCelsius: error, measurementCelsius: 0, nowNanoseconds: at(k))
      #expect(out == expected)
    }
  }

  @Test("bumpless gain change: the output is unchanged at the switch instant")
  func bumplessGainChange() {
    var pid = PIDController(
      gains: PIDGains(
        proportionalPerCelsius: 0.2, integralPerCelsiusSecond: 0.01, derivativeSecondsPerCelsius: 3,
        derivativeFilterSeconds: 1),
      limits: OutputLimits(low: -1, high: 1))
    var out = 0.0
    var k = 0
    // A plate 1 °C above −12, still cooling at 0.01 °C/s.
    func measurement(_ k: Int) -> Double { -10.8 - 0.001 * Double(k) }
    while k < 200 {
      out = pid.update(
        targetCelsius: -12, measurementCelsius: measurement(k), nowNanoseconds: at(k))
      k += 1
    }
    #expect(out > -1 && out < 1)  // unsaturated, so a bump would show
    pid.setGains(
      PIDGains(
        proportionalPerCelsius: 0.05, integralPerCelsiusSecond: 0.002,
        derivativeSecondsPerCelsius: 10, derivativeFilterSeconds: 1))
    // The switch instant: same time, same measurement.
    let atSwitch = pid.update(
      targetCelsius: -12, measurementCelsius: measurement(k - 1), nowNanoseconds: at(k - 1))
    #expect(abs(atSwitch - out) < 1e-12)
  }

  @Test("bumpless gain change: the next tick moves only by the new gains' increment")
  func bumplessGainChangeNextTick() {
    // Velocity form with Kd = 0: u(k+1) − u(k) = Kp'·(e(k+1) − e(k)) + Ki'·e(k+1)·dt.
    var pid = PIDController(
      gains: PIDGains(proportionalPerCelsius: 0.2, integralPerCelsiusSecond: 0.01),
      limits: OutputLimits(low: -1, high: 1))
    func measurement(_ k: Int) -> Double { -10.8 - 0.001 * Double(k) }
    var out = 0.0
    for k in 0..<100 {
      out = pid.update(
        targetCelsius: -12, measurementCelsius: measurement(k), nowNanoseconds: at(k))
    }
    let kp = 0.05
    let ki = 0.002
    pid.setGains(PIDGains(proportionalPerCelsius: kp, integralPerCelsiusSecond: ki))
    let next = pid.update(
      targetCelsius: -12, measurementCelsius: measurement(100), nowNanoseconds: at(100))
    let e0 = -12 - measurement(99)
    let e1 = -12 - measurement(100)
    #expect(abs(next - (out + kp * (e1 - e0) + ki * e1 * 0.1)) < 1e-12)
  }

  @Test("bumpless manual → automatic: the first automatic output continues from the manual one")
  func bumplessManualToAutomatic() {
    let kp = 0.3
    let ki = 0.01
    var pid = PIDController(
      gains: PIDGains(proportionalPerCelsius: kp, integralPerCelsiusSecond: ki),
      limits: OutputLimits(low: -1, high: 0.5))
    pid.setManual(output: -0.35)
    for k in 0..<50 {
      let out = pid.update(targetCelsius: -12, measurementCelsius: -10, nowNanoseconds: at(k))
      #expect(out == -0.35)
    }
    pid.setAutomatic()
    let out = pid.update(targetCelsius: -12, measurementCelsius: -10, nowNanoseconds: at(50))
    // Same error as the last manual tick: only the integral increment is new.
    #expect(abs(out - (-0.35 + ki * -2 * 0.1)) < 1e-12)
  }

  @Test("setpoint ramp: the working setpoint moves toward the target at the given rate")
  func setpointRamp() {
    var pid = PIDController(
      gains: PIDGains(proportionalPerCelsius: 0.1, integralPerCelsiusSecond: 0), limits: wide)
    pid.setpointRampCelsiusPerSecond = 0.5
    // It starts from the measurement and moves 0.5 °C/s: 20 s to go from 25 to 35.
    _ = pid.update(targetCelsius: 35, measurementCelsius: 25, nowNanoseconds: 0)
    #expect(pid.workingSetpointCelsius == 25)
    for k in 1...300 {
      let out = pid.update(targetCelsius: 35, measurementCelsius: 25, nowNanoseconds: at(k))
      let expected = min(25 + 0.5 * 0.1 * Double(k), 35)
      #expect(abs(pid.workingSetpointCelsius - expected) < 1e-9, "k = \(k)")
      #expect(abs(out - 0.1 * (expected - 25)) < 1e-9)
    }
    // Downward too, at the same rate.
    for k in 301...340 {
      _ = pid.update(targetCelsius: 30, measurementCelsius: 25, nowNanoseconds: at(k))
      let expected = max(35 - 0.05 * Double(k - 300), 30)
      #expect(abs(pid.workingSetpointCelsius - expected) < 1e-9)
    }
  }

  @Test("without a ramp limit the working setpoint is the target at once")
  func noRamp() {
    var pid = PIDController(
      gains: PIDGains(proportionalPerCelsius: 0.1, integralPerCelsiusSecond: 0), limits: wide)
    _ = pid.update(targetCelsius: 35, measurementCelsius: 25, nowNanoseconds: 0)
    #expect(pid.workingSetpointCelsius == 35)
    _ = pid.update(targetCelsius: -12, measurementCelsius: 25, nowNanoseconds: tick)
    #expect(pid.workingSetpointCelsius == -12)
  }

  @Test("feedforward adds to the output before the limits")
  func feedforward() {
    var pid = PIDController(
      gains: PIDGains(proportionalPerCelsius: 1, integralPerCelsiusSecond: 0),
      limits: OutputLimits(low: 0, high: 1))
    for k in 0..<3 {
      let out = pid.update(
        targetCelsius: 46, measurementCelsius: 45.8, feedforward: 0.3, nowNanoseconds: at(k))
      #expect(abs(out - 0.5) < 1e-12)
    }
    let saturated = pid.update(
      targetCelsius: 46, measurementCelsius: 45.8, feedforward: 2, nowNanoseconds: at(3))
    #expect(saturated == 1)
    let floored = pid.update(
      targetCelsius: 46, measurementCelsius: 45.8, feedforward: -2, nowNanoseconds: at(4))
    #expect(floored == 0)
  }
}
