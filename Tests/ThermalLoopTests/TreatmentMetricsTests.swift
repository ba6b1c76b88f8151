import ApplicatorHAL
import TestSupport
import Testing
import ThermalLoop

/// A cryo plate trajectory sampled once a second (window −13 … −11 °C, setpoint −12 °C):
/// approach from above, first entry at 5 s, undershoot to −13.4 °C at 7 s,
/// back in for good at 9 s, held at −12 °C from 10 s.
private let plateTrajectory: [Double] =
  [
    25, 15, 5, -5, -10.5, -11.5, -12.5, -13.4, -13.2, -12.8,
  ] + [Double](repeating: -12, count: 11)

private func cryoDescriptorsForScript() -> [SensorDescriptor] { cryoSensors }

/// A loop over a scripted cryo applicator, ticked once a second.
private func scriptedCryoLoop(
  plan: TreatmentPlan, doseSensorIndex: Int = 2, readings: @escaping (UInt64) -> [SensorReading]
) -> ControlLoop<ScriptedApplicator> {
  let supervisor = SafetySupervisor(
    configuration: SafetyConfiguration(mode: .cryolipolysis), plan: plan, sensors: cryoSensors,
    controlIndex: 0)
  return ControlLoop(
    applicator: ScriptedApplicator(range: .bipolar, sensorCount: 3, readings: readings),
    controller: PIDController(
      gains: PIDGains(proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0.01),
      limits: OutputLimits(low: -1, high: 0.5)),
    supervisor: supervisor, plan: plan, controlIndex: 0, doseSensorIndex: doseSensorIndex)
}

@Suite("TreatmentMetrics")
struct TreatmentMetricsTests {
  @Test(
    "time in window after first entry, settling at the last entry, overshoot beyond the far edge")
  func windowMetrics() throws {
    var loop = scriptedCryoLoop(plan: cryoPlan()) { now in
      let k = Int(now / second)
      return [fresh(plateTrajectory[k], at: now), fresh(30, at: now), fresh(20, at: now)]
    }
    for k in 0..<plateTrajectory.count {
      let record = loop.tick(nowNanoseconds: UInt64(k) * second)
      #expect(record.state == .running)
    }
    #expect(loop.trip == nil)
    let phase = loop.metrics.phases[0]
    // Sample-and-hold: the state at a tick holds until the next one. Inside at
    // 5, 6 and 9 … 19 s; outside at 7 and 8 s. From the first entry (5 s) to
    // the last tick (20 s): 15 s, of which 2 + 11 = 13 s in the window.
    #expect(phase.firstEntryNanoseconds == 5 * second)
    #expect(phase.afterEntryNanoseconds == 15 * second)
    #expect(phase.inWindowNanoseconds == 13 * second)
    #expect(abs(try #require(phase.timeInWindowFraction) - 13.0 / 15.0) < 1e-15)
    // Settling: the last entry after which it stayed in, from the phase start.
    #expect(phase.lastEntryNanoseconds == 9 * second)
    #expect(phase.settlingNanoseconds == 9 * second)
    // Approached from above, so overshoot is below the lower edge: −13 − (−13.4).
    #expect(abs(phase.overshootCelsius - 0.4) < 1e-12)
    #expect(phase.elapsedNanoseconds == 20 * second)
    // Integral of |−12 − T| held over each second: 37 + 27 + 17 + 7 + 1.5 +
    // 0.5 + 0.5 + 1.4 + 1.2 + 0.8 = 93.9 °C·s.
    #expect(abs(phase.integratedAbsoluteErrorCelsiusSeconds - 93.9) < 1e-9)
    #expect(loop.metrics.minimumCelsius[0] == -13.4)
    #expect(loop.metrics.maximumCelsius[0] == 25)
  }

  @Test("no entry, no window figures; leaving at the end means not settled")
  func neverEnteredAndUnsettled() {
    var loop = scriptedCryoLoop(plan: cryoPlan()) { now in
      let k = Int(now / second)
      // Approaches to −10.5, enters at 5 s, leaves to −10.5 at 8 s and stays out.
      let plate = k < 5 ? 25 - 7 * Double(k) : (k < 8 ? -12 : -10.5)
      return [fresh(plate, at: now), fresh(30, at: now), fresh(20, at: now)]
    }
    for k in 0...10 { _ = loop.tick(nowNanoseconds: UInt64(k) * second) }
    let phase = loop.metrics.phases[0]
    #expect(phase.firstEntryNanoseconds == 5 * second)
    #expect(phase.inWindowNanoseconds == 3 * second)
    #expect(phase.afterEntryNanoseconds == 5 * second)
    #expect(phase.settlingNanoseconds == nil)
    #expect(!phase.inWindowNow)

    var outside = scriptedCryoLoop(plan: cryoPlan()) { now in
      [fresh(-9.5, at: now), fresh(30, at: now), fresh(20, at: now)]
    }
    for k in 0...10 { _ = outside.tick(nowNanoseconds: UInt64(k) * second) }
    #expect(outside.metrics.phases[0].firstEntryNanoseconds == nil)
    #expect(outside.metrics.phases[0].timeInWindowFraction == nil)
    #expect(outside.metrics.phases[0].settlingNanoseconds == nil)
  }

  @Test("figures are per phase: settling counts from the treatment phase's start")
  func perPhase() throws {
    let plan = TreatmentPlan(
      mode: .cryolipolysis, window: cryoWindow,
      phases: [
        TreatmentPhase(kind: .transition, setpointCelsius: 5, durationNanoseconds: 10 * second),
        TreatmentPhase(kind: .treatment, setpointCelsius: -12, durationNanoseconds: 35 * minute),
      ])
    var loop = scriptedCryoLoop(plan: plan) { now in
      let k = Int(now / second)
      let plate = k < 10 ? 25 : plateTrajectory[k - 10]
      return [fresh(plate, at: now), fresh(30, at: now), fresh(20, at: now)]
    }
    for k in 0..<(10 + plateTrajectory.count) { _ = loop.tick(nowNanoseconds: UInt64(k) * second) }
    #expect(loop.trip == nil)
    let transition = loop.metrics.phases[0]
    #expect(transition.firstEntryNanoseconds == nil)
    let treatment = loop.metrics.phases[1]
    #expect(treatment.startNanoseconds == 10 * second)
    #expect(treatment.firstEntryNanoseconds == 15 * second)
    #expect(treatment.settlingNanoseconds == 9 * second)
    #expect(treatment.inWindowNanoseconds == 13 * second)
    #expect(treatment.afterEntryNanoseconds == 15 * second)
    #expect(abs(treatment.overshootCelsius - 0.4) < 1e-12)
    #expect(loop.treatmentElapsedNanoseconds == 20 * second)
  }

  @Test("CEM43 at the dose sensor: 10 min at 44 °C is 20 min, at 42 °C is 2.5 min", .tags(.physics))
  func heatDose() {
    for (celsius, expected) in [(44.0, 20.0), (42.0, 2.5), (43.0, 10.0)] {
      // The setpoint is the held reading, so the controller is not pushing
      // against a probe that does not move (which must-progress would trip).
      let plan = TreatmentPlan(
        mode: .laserLipolysis,
        window: TemperatureWindow(lowCelsius: celsius - 1, highCelsius: celsius + 1),
        phases: [
          TreatmentPhase(
            kind: .treatment, setpointCelsius: celsius, durationNanoseconds: 25 * minute)
        ])
      let supervisor = SafetySupervisor(
        configuration: SafetyConfiguration(mode: .laserLipolysis), plan: plan,
        sensors: laserSensors, controlIndex: 0)
      var loop = ControlLoop(
        applicator: ScriptedApplicator(range: .unipolar, sensorCount: 2) { now in
          [fresh(celsius, at: now), fresh(38, at: now)]
        },
        controller: PIDController(
          gains: PIDGains(proportionalPerCelsius: 0.2, integralPerCelsiusSecond: 0.002),
          limits: OutputLimits(low: 0, high: 1)),
        supervisor: supervisor, plan: plan, controlIndex: 0, doseSensorIndex: 0)
      // 601 ticks a second apart: 600 s of held readings.
      for k in 0...600 { _ = loop.tick(nowNanoseconds: UInt64(k) * second) }
      #expect(loop.trip == nil)
      #expect(abs(loop.metrics.cem43Minutes - expected) < 1e-11 * expected, "\(celsius) °C")
    }
  }

  @Test("cold dose: minutes at or below +10 °C at the dose sensor", .tags(.physics))
  func coldDose() {
    var loop = scriptedCryoLoop(plan: cryoPlan(), doseSensorIndex: 2) { now in
      let fat = now < 60 * second ? 12.0 : (now < 120 * second ? 10.0 : 8.0)
      return [fresh(-12, at: now), fresh(30, at: now), fresh(fat, at: now)]
    }
    for k in 0...360 { _ = loop.tick(nowNanoseconds: UInt64(k) * second) }
    // Held at 12 °C over (0, 60], at or below 10 °C over (60, 360]: 5 min.
    #expect(abs(loop.metrics.minutesAtOrBelowLipidThreshold - 5) < 1e-12)
    #expect(loop.metrics.cem43Minutes < 1e-6)
  }
}
