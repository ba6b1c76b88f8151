/// The most faults one simulated run can schedule.
public let maximumScheduledFaults = 16

/// The simulated applicator: a tissue plant, its probes, its power stage and
/// a schedule of faults, all on virtual time and seeded randomness.
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
  private let faultCount: Int
  private var nextFault = 0
  private var random: SeededRandom
  private var lastAdvanceNanoseconds: UInt64 = 0
  /// When the first scheduled fault was injected, ns; `nil` before any.
  public private(set) var firstInjectionNanoseconds: UInt64? = nil
  /// When the first freeze event happened (scheduled or spontaneous), ns.
  public private(set) var firstFreezeEventNanoseconds: UInt64? = nil
  /// Dose at depth, from the column's own temperatures.
  public var depthDose: DepthDose { plant.depthDose }
  private let maximumCurrentAmperes: Double

  /// Creates the applicator.
  ///
  /// Sensors beyond ``maximumSensorCount`` and faults beyond
  /// ``maximumScheduledFaults`` are ignored: validate the counts first.
  /// Faults are applied in time order.
  public init(
    plant configuration: PlantConfiguration, sensors models: [SensorModel],
    faults schedule: [ScheduledFault], seed: UInt64
  ) {
    plant = TissueColumn(configuration: configuration)
    let range: CommandRange
    switch configuration.drive {
    case .thermoelectric(let tec):
      range = .bipolar
      maximumCurrentAmperes = tec.maximumCurrentAmperes
    case .laserWithContactCooling:
      range = .unipolar
      maximumCurrentAmperes = 0
    }
    powerStage = SimulatedPowerStage(commandRange: range)
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
    let ordered = schedule.prefix(maximumScheduledFaults).sorted {
      $0.atNanoseconds < $1.atNanoseconds
    }
    faultCount = ordered.count
    for (index, fault) in ordered.enumerated() { faults[index] = fault }
    random = SeededRandom(seed: seed)
  }

  /// The simulated sensor in a slot (for inspection in tests and reports).
  public func sensor(_ index: Int) -> SimulatedSensor { sensors[index] }

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
    while nextFault < faultCount && faults[nextFault].atNanoseconds <= nowNanoseconds {
      let fault = faults[nextFault]
      switch fault.target {
      case .sensor(let index, let kind):
        if index >= 0 && index < sensorCount {
          sensors[index].inject(kind, value: fault.value, nowNanoseconds: fault.atNanoseconds)
        }
      case .stage(let kind):
        powerStage.inject(kind, value: fault.value)
      case .freezeEvent:
        freeze(nowNanoseconds: fault.atNanoseconds)
      }
      if firstInjectionNanoseconds == nil { firstInjectionNanoseconds = fault.atNanoseconds }
      nextFault += 1
    }
    for index in 0..<sensorCount {
      let truth = plant.sampleTemperature(at: sensors[index].model.location)
      sensors[index].update(trueCelsius: truth, nowNanoseconds: nowNanoseconds, random: &random)
    }
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
      do {
        snapshot.readings[index] = .sample(try sensors[index].read(nowNanoseconds: nowNanoseconds))
      } catch {
        snapshot.readings[index] = .fault(error)
      }
    }
  }

  /// The simulated applicator's interlocks are always made (contact and
  /// coolant faults come with the safety layer).
  public mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Bool { true }
}
