import ApplicatorHAL
import ThermalLoop

/// The controller, supervisor and treatment of `Profiles/cryolipolysis-35min.json`
/// written out by hand, for a program that cannot read JSON (an Embedded
/// Swift build). `scripts/embedded-parity.sh` checks it against the profile:
/// the commands this loop computes must equal those of `devsim replay` on
/// the same trace, which decodes the profile itself.
func cryolipolysisLoop(on applicator: RecordedApplicator) -> ControlLoop<RecordedApplicator> {
  let millisecond: UInt64 = 1_000_000
  let minute: UInt64 = 60_000 * millisecond
  let plan = TreatmentPlan(
    mode: .cryolipolysis, window: TemperatureWindow(lowCelsius: -13, highCelsius: -11),
    phases: [
      TreatmentPhase(kind: .treatment, setpointCelsius: -12, durationNanoseconds: 35 * minute),
      TreatmentPhase(
        kind: .transition, setpointCelsius: 5, durationNanoseconds: 2 * minute,
        rampCelsiusPerSecond: 0.5),
    ])
  // plate, plate-b, skin (0 mm), fat-7mm (the dose sensor), heatsink.
  let sensors = [
    SensorDescriptor(site: .plate, role: .control, periodNanoseconds: 100 * millisecond),
    SensorDescriptor(site: .plate, role: .redundant, periodNanoseconds: 100 * millisecond),
    SensorDescriptor(site: .skin, role: .monitor, periodNanoseconds: 100 * millisecond),
    SensorDescriptor(site: .fat, role: .monitor, periodNanoseconds: 100 * millisecond),
    SensorDescriptor(
      site: .hotSide, role: .monitor, periodNanoseconds: 500 * millisecond,
      resolutionCelsius: 0.1),
  ]
  return ControlLoop(
    applicator: applicator,
    controller: PIDController(
      gains: PIDGains(
        proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0.01,
        derivativeSecondsPerCelsius: 0, derivativeFilterSeconds: 2),
      limits: OutputLimits(low: -1, high: 0.5)),
    supervisor: SafetySupervisor(
      configuration: SafetyConfiguration(mode: .cryolipolysis), plan: plan, sensors: sensors,
      controlIndex: 0, doseIndex: 3),
    plan: plan, controlIndex: 0, doseSensorIndex: 3)
}
