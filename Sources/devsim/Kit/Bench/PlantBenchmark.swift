import ApplicatorSimulation
import ThermalLoop

/// The fixture of `devsim bench plant`: a 60-minute cryolipolysis hold at
/// −12 °C at 10 Hz on the default plant, grid and time step.
///
/// Two figures: the plant alone (the column stepped at the control period
/// with the TEC current a plate controller would ask for), and the whole
/// loop (five probes, supervisor, PID, metrics, telemetry into a discarding
/// sink), as simulated seconds per wall second.
package enum PlantBenchmark {
  package static let tickNanoseconds: UInt64 = 100_000_000

  /// The whole loop on the simulated applicator, with the standard profile's gains and probes.
  package static func makeLoop(minutes: Double) -> ControlLoop<SimulatedApplicator> {
    var plant = PlantConfiguration()
    plant.perfusionScale = 0.3
    let hold = UInt64(minutes * 60e9)
    let plan = TreatmentPlan(
      mode: .cryolipolysis, window: TemperatureWindow(lowCelsius: -13, highCelsius: -11),
      phases: [TreatmentPhase(kind: .treatment, setpointCelsius: -12, durationNanoseconds: hold)])
    let probes: [(ProbeLocation, SensorSite)] = [
      (.plate, .plate), (.plate, .plate), (.depth(metres: 0), .skin),
      (.depth(metres: 0.007), .fat), (.hotSide, .hotSide),
    ]
    let applicator = SimulatedApplicator(
      plant: plant, sensors: probes.map { SensorModel(location: $0.0) }, faults: [], seed: 1)
    let supervisor = SafetySupervisor(
      configuration: SafetyConfiguration(mode: .cryolipolysis), plan: plan,
      sensors: probes.enumerated().map {
        SensorDescriptor(
          site: $1.1, role: $0 == 0 ? .control : .monitor, periodNanoseconds: tickNanoseconds)
      }, controlIndex: 0)
    let controller = PIDController(
      gains: PIDGains(proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0.01),
      limits: OutputLimits(low: -1, high: 0.5))
    return ControlLoop(
      applicator: applicator, controller: controller, supervisor: supervisor, plan: plan,
      controlIndex: 0, doseSensorIndex: 3)
  }

  /// Steps the column alone for `ticks` control periods, driving the TEC
  /// with a proportional law on the plate temperature (so the current
  /// varies as in a treatment). Returns the final plate temperature, so the
  /// work cannot be optimised away.
  package static func stepPlant(ticks: Int) -> Double {
    var plant = PlantConfiguration()
    plant.perfusionScale = 0.3
    var column = TissueColumn(configuration: plant)
    let seconds = Double(tickNanoseconds) * 1e-9
    var current = 0.0
    for _ in 0..<ticks {
      column.step(seconds: seconds, tecCurrentAmperes: current, laserFraction: 0)
      let plate = column.sampleTemperature(at: .plate)
      current = min(max((plate + 12) * 2, -3), 6)
    }
    return column.sampleTemperature(at: .plate)
  }

  /// Runs the whole loop for `ticks` ticks on a virtual clock; returns the ticks run.
  package static func runLoop(ticks: Int) -> UInt64 {
    var loop = makeLoop(minutes: Double(ticks) * Double(tickNanoseconds) / 60e9)
    var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: tickNanoseconds)
    var sink = DiscardingSink()
    _ = runner.run(
      &loop, durationNanoseconds: UInt64(ticks - 1) * tickNanoseconds,
      observeAfterTripNanoseconds: 0, sink: &sink, stop: NeverStop())
    return runner.ticks
  }
}
