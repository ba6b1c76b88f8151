import ApplicatorHAL
import ApplicatorSimulation
import ThermalLoop

let millisecond: UInt64 = 1_000_000
let second: UInt64 = 1_000_000_000
let minute: UInt64 = 60 * second

/// A new sample taken now.
func fresh(_ celsius: Double, at now: UInt64) -> SensorReading {
  .sample(TemperatureSample(celsius: celsius, timestampNanoseconds: now, isNew: true))
}

/// A repeated sample: the device answered with a conversion taken at `taken`.
func repeated(_ celsius: Double, takenAt taken: UInt64) -> SensorReading {
  .sample(TemperatureSample(celsius: celsius, timestampNanoseconds: taken, isNew: false))
}

/// A snapshot built by hand.
func snapshot(_ readings: [SensorReading]) -> SensorSnapshot {
  var snapshot = SensorSnapshot(count: readings.count)
  for (index, reading) in readings.enumerated() { snapshot.readings[index] = reading }
  return snapshot
}

let cryoWindow = TemperatureWindow(lowCelsius: -13, highCelsius: -11)
let laserWindow = TemperatureWindow(lowCelsius: 45, highCelsius: 47)

func cryoPlan(holdNanoseconds: UInt64 = 35 * minute) -> TreatmentPlan {
  TreatmentPlan(
    mode: .cryolipolysis, window: cryoWindow,
    phases: [
      TreatmentPhase(kind: .treatment, setpointCelsius: -12, durationNanoseconds: holdNanoseconds)
    ])
}

func laserPlan(holdNanoseconds: UInt64 = 25 * minute) -> TreatmentPlan {
  TreatmentPlan(
    mode: .laserLipolysis, window: laserWindow,
    phases: [
      TreatmentPhase(kind: .treatment, setpointCelsius: 46, durationNanoseconds: holdNanoseconds)
    ])
}

/// Cryo sensors: 0 plate (controlled), 1 TEC hot side, 2 skin.
let cryoSensors = [
  SensorDescriptor(site: .plate, role: .control, periodNanoseconds: 100 * millisecond),
  SensorDescriptor(site: .hotSide, role: .monitor, periodNanoseconds: 100 * millisecond),
  SensorDescriptor(site: .skin, role: .monitor, periodNanoseconds: 100 * millisecond),
]

/// Laser sensors: 0 fat probe (controlled), 1 skin.
let laserSensors = [
  SensorDescriptor(site: .fat, role: .control, periodNanoseconds: 100 * millisecond),
  SensorDescriptor(site: .skin, role: .monitor, periodNanoseconds: 100 * millisecond),
]

extension SafetyConfiguration {
  /// The mode's defaults with some of the newer checks switched off.
  ///
  /// Hand-built readings step by degrees in one tick and hold constants: a
  /// step of a few degrees in 0.1 s is (rightly) a rate-of-change trip, a
  /// rise while holding at unchanged cooling a freeze, and a constant
  /// reading under a working actuator a stuck sensor. Tests of the other
  /// checks switch those off to look at one check at a time; each of them
  /// has tests of its own with the defaults.
  static func defaults(_ mode: TreatmentMode, without checks: Set<SafetyCheck>)
    -> SafetyConfiguration
  {
    var configuration = SafetyConfiguration(mode: mode)
    if checks.contains(.rateOfChange) {
      configuration.rateRiseLimitCelsiusPerSecond = .infinity
      configuration.rateFallLimitCelsiusPerSecond = .infinity
    }
    if checks.contains(.freezeDetected) { configuration.freezeDetection = false }
    if checks.contains(.stuckSensor) { configuration.stuckCommandFraction = .infinity }
    return configuration
  }
}

/// A supervisor fed by hand, tick by tick, as the loop would feed it.
struct SupervisorRig {
  var supervisor: SafetySupervisor
  let plan: TreatmentPlan
  var limits: OutputLimits
  /// The command "written in the previous tick".
  var lastCommand = 0.0
  var interlocks = Interlocks.allMade
  /// The power stage's measured output (`nil`: no read-back).
  var readBack: Double? = nil
  /// Overrides the treatment time the loop would report.
  var treatmentElapsed: UInt64? = nil

  static func cryo(
    _ configuration: SafetyConfiguration = SafetyConfiguration(mode: .cryolipolysis),
    plan: TreatmentPlan = cryoPlan(), sensors: [SensorDescriptor] = cryoSensors
  ) -> SupervisorRig {
    SupervisorRig(
      supervisor: SafetySupervisor(
        configuration: configuration, plan: plan, sensors: sensors, controlIndex: 0),
      plan: plan, limits: OutputLimits(low: -1, high: 0.5))
  }

  static func laser(
    _ configuration: SafetyConfiguration = SafetyConfiguration(mode: .laserLipolysis),
    plan: TreatmentPlan = laserPlan()
  ) -> SupervisorRig {
    SupervisorRig(
      supervisor: SafetySupervisor(
        configuration: configuration, plan: plan, sensors: laserSensors, controlIndex: 0),
      plan: plan, limits: OutputLimits(low: 0, high: 1))
  }

  /// Treatment time at `now` as the loop counts it (sum of treatment phases so far).
  func elapsedTreatment(at now: UInt64) -> UInt64 {
    var start: UInt64 = 0
    var treating: UInt64 = 0
    for index in 0..<plan.phaseCount {
      let phase = plan.phase(index)
      let isLast = index == plan.phaseCount - 1
      let end = isLast ? UInt64.max : start + phase.durationNanoseconds
      if phase.kind == .treatment { treating += min(now, end) - min(now, start) }
      if now < end { break }
      start = end
    }
    return treating
  }

  mutating func evaluate(at now: UInt64, _ readings: [SensorReading]) -> SafetyVerdict {
    let (index, _) = plan.phaseIndex(atElapsed: now)
    let phase = plan.phase(index)
    let input = SupervisorInput(
      nowNanoseconds: now, phaseIndex: index, phaseKind: phase.kind,
      targetCelsius: supervisor.clampSetpoint(phase.setpointCelsius), lastCommand: lastCommand,
      outputLimits: limits,
      treatmentElapsedNanoseconds: treatmentElapsed ?? elapsedTreatment(at: now),
      interlocks: interlocks, readBack: readBack)
    return supervisor.evaluate(snapshot(readings), input)
  }

  /// Every reading a new sample at `now`.
  mutating func evaluate(at now: UInt64, celsius: [Double]) -> SafetyVerdict {
    evaluate(at: now, celsius.map { fresh($0, at: now) })
  }

  /// Ticks from `start` through `end` every `period`; stops at the first trip
  /// and returns it, with every verdict before it.
  mutating func run(
    from start: UInt64, through end: UInt64, every period: UInt64 = 100 * millisecond,
    _ readings: (UInt64) -> [Double]
  ) -> TripRecord? {
    var now = start
    while now <= end {
      if case .tripped(let record) = evaluate(at: now, celsius: readings(now)) { return record }
      now += period
    }
    return nil
  }
}

/// An applicator whose readings and interlocks follow a script: for loop
/// tests that need exact readings (metrics), with the simulated power stage
/// recording what reached it.
struct ScriptedApplicator: Applicator {
  var powerStage: SimulatedPowerStage
  let sensorCount: Int
  var readings: (UInt64) -> [SensorReading]
  var interlocks: (UInt64) -> Interlocks = { _ in .allMade }
  /// A fault that the interlock read throws at a time (`nil`: it reads).
  var interlockFault: (UInt64) -> FaultKind? = { _ in nil }

  init(range: CommandRange, sensorCount: Int, readings: @escaping (UInt64) -> [SensorReading]) {
    powerStage = SimulatedPowerStage(commandRange: range)
    self.sensorCount = sensorCount
    self.readings = readings
  }

  mutating func advance(toNanoseconds nowNanoseconds: UInt64) {}

  mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
    let values = readings(nowNanoseconds)
    snapshot.count = sensorCount
    for index in 0..<sensorCount { snapshot.readings[index] = values[index] }
  }

  mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
    if let fault = interlockFault(nowNanoseconds) { throw fault }
    return interlocks(nowNanoseconds)
  }
}

/// Collects drained telemetry.
struct CollectingSink: TelemetrySink {
  var records: [TelemetryRecord] = []
  mutating func consume(_ record: TelemetryRecord) { records.append(record) }
}

/// Deterministic noise for hand-built readings (Irwin–Hall normal deviates).
struct Noise {
  var random: SeededRandom
  let rms: Double
  init(seed: UInt64, rms: Double) {
    random = SeededRandom(seed: seed)
    self.rms = rms
  }
  mutating func next() -> Double { rms * random.nextGaussian() }
}
