import ApplicatorLinux
import ThermalLoop

/// `devsim bench tick`: what one tick of the control loop costs, in ns —
/// controller, full supervisor (every check of the cryolipolysis
/// defaults), five simulated probes, the simulated TEC stage, metrics and
/// the telemetry record pushed into the preallocated ring — on a one-node
/// plate instead of the tissue solver (``ToyPlantApplicator``).
///
/// Each tick is timed on its own with `CLOCK_MONOTONIC` (vDSO), and the
/// median cost of an empty timing pair is subtracted, so the median and
/// p99 are of single ticks. The mean over the whole run (one clock pair
/// around all ticks, untimed ticks) cross-checks the median.
package enum TickBenchmark {
  package static let tickNanoseconds: UInt64 = 100_000_000

  package struct Figures {
    package var medianNanoseconds: Double
    package var p99Nanoseconds: Double
    package var meanNanoseconds: Double
    package var timerOverheadNanoseconds: Double
    package var ticks: Int
    /// The trip, if the loop tripped (the figures would then be of the tripped path).
    package var trip: TripRecord?
  }

  /// The benchmark's loop, planned for `ticks` ticks of `tickNanoseconds`.
  package static func makeLoop(ticks: Int, tickNanoseconds: UInt64 = tickNanoseconds)
    -> ControlLoop<ToyPlantApplicator>
  {
    let plan = TreatmentPlan(
      mode: .cryolipolysis, window: TemperatureWindow(lowCelsius: -13, highCelsius: -11),
      phases: [
        TreatmentPhase(
          kind: .treatment, setpointCelsius: -12,
          durationNanoseconds: UInt64(ticks + 1) * tickNanoseconds)
      ])
    let supervisor = SafetySupervisor(
      configuration: SafetyConfiguration(mode: .cryolipolysis), plan: plan,
      sensors: ToyPlantApplicator.probes.enumerated().map {
        SensorDescriptor(
          site: $1.1, role: $0 == 0 ? .control : $0 == 1 ? .redundant : .monitor,
          periodNanoseconds: tickNanoseconds)
      }, controlIndex: 0, doseIndex: 3)
    let controller = PIDController(
      gains: PIDGains(
        proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0.01,
        derivativeSecondsPerCelsius: 0.5, derivativeFilterSeconds: 2),
      limits: OutputLimits(low: -1, high: 0.5))
    return ControlLoop(
      applicator: ToyPlantApplicator(tickNanoseconds: tickNanoseconds), controller: controller,
      supervisor: supervisor, plan: plan, controlIndex: 0, doseSensorIndex: 3)
  }

  /// Runs `ticks` ticks timed one by one, then the same number untimed.
  package static func measure(ticks: Int) -> Figures {
    let overhead = timerOverhead(samples: 10_000)
    var loop = makeLoop(ticks: ticks)
    var ring = TelemetryRing()
    var sink = DiscardingSink()
    var costs = [UInt64](repeating: 0, count: ticks)
    for k in 0..<ticks {
      let start = MonotonicClock.rawNanoseconds()
      ring.push(loop.tick(nowNanoseconds: UInt64(k) * tickNanoseconds))
      costs[k] = MonotonicClock.rawNanoseconds() - start
      if ring.count >= TelemetryRing.capacity / 2 { ring.drain(into: &sink) }
    }
    var untimed = makeLoop(ticks: ticks)
    let start = MonotonicClock.rawNanoseconds()
    for k in 0..<ticks {
      ring.push(untimed.tick(nowNanoseconds: UInt64(k) * tickNanoseconds))
      if ring.count >= TelemetryRing.capacity / 2 { ring.drain(into: &sink) }
    }
    let total = MonotonicClock.rawNanoseconds() - start
    costs.sort()
    let net = { (value: UInt64) in max(Double(value) - overhead, 0) }
    return Figures(
      medianNanoseconds: net(costs[ticks / 2]),
      p99Nanoseconds: net(costs[min(ticks - 1, ticks * 99 / 100)]),
      meanNanoseconds: Double(total) / Double(ticks), timerOverheadNanoseconds: overhead,
      ticks: ticks, trip: loop.trip ?? untimed.trip)
  }

  /// The median cost of two back-to-back clock reads, ns.
  package static func timerOverhead(samples: Int) -> Double {
    var pairs = [UInt64](repeating: 0, count: samples)
    for index in 0..<samples {
      let start = MonotonicClock.rawNanoseconds()
      pairs[index] = MonotonicClock.rawNanoseconds() - start
    }
    pairs.sort()
    return Double(pairs[samples / 2])
  }
}
