import ApplicatorHAL

/// The most faults one simulated run can schedule.
public let maximumScheduledFaults = 16

/// The simulated applicator: a tissue column, its probes, its power stage,
/// its interlocks and a schedule of faults, all on virtual time and seeded
/// randomness.
///
/// The same configuration and seed give the same readings, bit for bit.
public struct SimulatedApplicator: Applicator, Sendable {
  /// The physical column under the applicator.
  public private(set) var plant: TissueColumn
  /// The power stage (TEC driver or laser driver).
  public var powerStage: SimulatedPowerStage
  private var sensors: InlineArray<8, SimulatedSensor>
  /// How many sensors are configured.
  public let sensorCount: Int
  private var faults: InlineArray<16, ScheduledFault>
  private var faultDue: InlineArray<16, UInt64>  // when a triggered fault applies; max: not yet
  private var faultApplied: InlineArray<16, Bool>
  private var faultCleared: InlineArray<16, Bool>
  private let faultCount: Int
  private var random: SeededRandom
  private var lastAdvanceNanoseconds: UInt64 = 0
  private var interlocks = Interlocks.allMade
  /// When the first scheduled fault was injected, ns; `nil` before any.
  public private(set) var firstInjectionNanoseconds: UInt64? = nil
  /// When the first freeze event happened (scheduled or spontaneous), ns.
  public private(set) var firstFreezeEventNanoseconds: UInt64? = nil
  private let maximumCurrentAmperes: Double
  private let ambientCelsius: Double
  private var heatsinkResistanceScale = 1.0

  /// Creates the applicator.
  ///
  /// Sensors beyond ``maximumSensorCount`` and faults beyond
  /// ``maximumScheduledFaults`` are ignored: validate the counts first.
  ///
  /// - Parameter stageReadBack: whether the power stage measures its output.
  public init(
    plant configuration: PlantConfiguration, sensors models: [SensorModel],
    faults schedule: [ScheduledFault], seed: UInt64, stageReadBack: Bool = true
  ) {
    plant = TissueColumn(configuration: configuration)
    ambientCelsius = configuration.ambientCelsius
    let range: CommandRange
    switch configuration.drive {
    case .thermoelectric(let tec):
      range = .bipolar
      maximumCurrentAmperes = tec.maximumCurrentAmperes
    case .laserWithContactCooling:
      range = .unipolar
      maximumCurrentAmperes = 0
    }
    powerStage = SimulatedPowerStage(commandRange: range, hasReadBack: stageReadBack)
    let placeholder = SimulatedSensor(model: SensorModel(location: .plate), initialCelsius: 0)
    sensors = InlineArray(repeating: placeholder)
    sensorCount = min(models.count, maximumSensorCount)
    for index in 0..<sensorCount {
      let model = models[index]
      sensors[index] = SimulatedSensor(
        model: model, initialCelsius: plant.temperature(at: model.location))
    }
    faults = InlineArray(
      repeating: ScheduledFault(atNanoseconds: .max, target: .stage(.outputOpen)))
    faultDue = InlineArray(repeating: .max)
    faultApplied = InlineArray(repeating: false)
    faultCleared = InlineArray(repeating: false)
    faultCount = min(schedule.count, maximumScheduledFaults)
    for index in 0..<faultCount {
      faults[index] = schedule[index]
      if case .at(let time) = schedule[index].trigger { faultDue[index] = time }
    }
    random = SeededRandom(seed: seed)
  }

  /// The simulated sensor in a slot (for inspection in tests and reports).
  public func sensor(_ index: Int) -> SimulatedSensor { sensors[index] }

  /// Dose at depth, from the column's own temperatures.
  public var depthDose: DepthDose { plant.depthDose }

  /// When each scheduled fault was applied, ns (`nil` for one not applied yet),
  /// in schedule order.
  public var faultInjectionTimes: [UInt64?] {
    (0..<faultCount).map { faultApplied[$0] ? faultDue[$0] : nil }
  }

  /// Integrates the plant with the output the stage delivered since the last
  /// call, applies faults that are due, and lets every probe convert.
  public mutating func advance(toNanoseconds nowNanoseconds: UInt64) {
    if nowNanoseconds > lastAdvanceNanoseconds {
      let seconds = Double(nowNanoseconds - lastAdvanceNanoseconds) * 1e-9
      let output = powerStage.deliveredOutput
      switch powerStage.commandRange {
      case .bipolar:
        // +1 heats: a positive command drives current that pumps heat into the plate.
        plant.step(
          seconds: seconds, tecCurrentAmperes: -output * maximumCurrentAmperes, laserFraction: 0)
      case .unipolar:
        plant.step(seconds: seconds, tecCurrentAmperes: 0, laserFraction: output)
      }
      lastAdvanceNanoseconds = nowNanoseconds
      nucleateSpontaneously(seconds: seconds, nowNanoseconds: nowNanoseconds)
    }
    applyDueFaults(nowNanoseconds)
    for index in 0..<sensorCount {
      let truth = plant.sampleTemperature(at: sensors[index].model.location)
      sensors[index].update(
        trueCelsius: truth, ambientCelsius: ambientCelsius, nowNanoseconds: nowNanoseconds,
        random: &random)
    }
  }

  private mutating func applyDueFaults(_ now: UInt64) {
    for index in 0..<faultCount where faultApplied[index] && !faultCleared[index] {
      guard let duration = faults[index].durationNanoseconds,
        case .sensor(let slot, _) = faults[index].target, now >= faultDue[index] + duration,
        slot >= 0, slot < sensorCount
      else { continue }
      sensors[slot].clearFault()
      faultCleared[index] = true
    }
    for index in 0..<faultCount where !faultApplied[index] {
      if case .whenSensor(let sensor, let celsius, let falling, let delay) = faults[index].trigger,
        faultDue[index] == .max, sensor >= 0, sensor < sensorCount
      {
        let truth = plant.sampleTemperature(at: sensors[sensor].model.location)
        if falling ? truth <= celsius : truth >= celsius { faultDue[index] = now + delay }
      }
      guard faultDue[index] <= now else { continue }
      faultApplied[index] = true
      let fault = faults[index]
      let at = faultDue[index]
      switch fault.target {
      case .sensor(let slot, let kind):
        if slot >= 0 && slot < sensorCount {
          sensors[slot].inject(kind, value: fault.value, nowNanoseconds: at)
        }
      case .stage(let kind):
        powerStage.inject(kind, value: fault.value)
      case .plant(let kind):
        applyPlantFault(kind, at)
      }
      firstInjectionNanoseconds = min(firstInjectionNanoseconds ?? at, at)
    }
  }

  private mutating func applyPlantFault(_ kind: PlantFaultKind, _ at: UInt64) {
    switch kind {
    case .contactLost:
      plant.setContactConductance(5)
      interlocks.contactMade = false
    case .coolantLost:
      plant.scaleHeatsinkResistance(by: 50)
      heatsinkResistanceScale *= 50
      plant.setHeldPlateCelsius(plant.sampleTemperature(at: .depth(metres: 0.001)))
      interlocks.coolantFlowing = false
    case .heatsinkFouled:
      plant.scaleHeatsinkResistance(by: 20)
      heatsinkResistanceScale *= 20
    case .freezeEvent:
      freeze(nowNanoseconds: at)
    }
  }

  /// Injects a fault now, outside the schedule (an emulated rig's
  /// `SIMulate:FAULt`).
  public mutating func inject(_ target: FaultTarget, value: Double?, nowNanoseconds: UInt64) {
    switch target {
    case .sensor(let slot, let kind):
      if slot >= 0 && slot < sensorCount {
        sensors[slot].inject(kind, value: value, nowNanoseconds: nowNanoseconds)
      }
    case .stage(let kind):
      powerStage.inject(kind, value: value)
    case .plant(let kind):
      applyPlantFault(kind, nowNanoseconds)
    }
    firstInjectionNanoseconds = min(firstInjectionNanoseconds ?? nowNanoseconds, nowNanoseconds)
  }

  /// Ends every injected fault: sensors read the truth, the driver works,
  /// contact and coolant are back (a freeze, being physics, stays).
  public mutating func clearFaults() {
    for index in 0..<sensorCount { sensors[index].clearFault() }
    powerStage.clearFault()
    plant.setContactConductance(plant.configuration.contactConductanceWattsPerSquareMetreKelvin)
    plant.scaleHeatsinkResistance(by: 1 / heatsinkResistanceScale)
    heatsinkResistanceScale = 1
    if case .laserWithContactCooling(let laser) = plant.configuration.drive {
      plant.setHeldPlateCelsius(laser.coolingPlateCelsius)
    }
    interlocks = .allMade
  }

  /// The true temperature at a sensor's location (for an emulated rig's
  /// read-back and tests), °C.
  public mutating func trueCelsius(ofSensor index: Int) -> Double {
    guard index >= 0 && index < sensorCount else { return .nan }
    return plant.sampleTemperature(at: sensors[index].model.location)
  }

  private mutating func freeze(nowNanoseconds: UInt64) {
    guard !plant.isFreezing else { return }
    plant.freezeEvent()
    if plant.isFreezing && firstFreezeEventNanoseconds == nil {
      firstFreezeEventNanoseconds = nowNanoseconds
    }
  }

  /// A supercooled surface may freeze by itself: a seeded Poisson event at
  /// the configured rate while the skin surface is below the threshold.
  private mutating func nucleateSpontaneously(seconds: Double, nowNanoseconds: UInt64) {
    guard let freezing = plant.configuration.freezing, freezing.nucleationRatePerSecond > 0,
      !plant.isFreezing, plant.sampleSurface() < freezing.nucleationBelowCelsius
    else { return }
    let probability = 1 - Elementary.exp(-freezing.nucleationRatePerSecond * seconds)
    if random.nextUnit() < probability { freeze(nowNanoseconds: nowNanoseconds) }
  }

  /// Reads every probe once.
  public mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
    snapshot.count = sensorCount
    for index in 0..<sensorCount {
      snapshot.readings[index] = sensors[index].reading(nowNanoseconds: nowNanoseconds)
    }
  }

  /// The contact and coolant-flow interlocks, opened by the plant faults.
  public mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
    interlocks
  }
}
