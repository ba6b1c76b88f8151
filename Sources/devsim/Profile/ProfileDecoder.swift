import ApplicatorHAL
import ThermalLoop

/// Decodes a profile strictly: unknown keys, wrong types, negative
/// durations, inverted windows and out-of-range values are refused with the
/// file, the line and the JSON path.
enum ProfileDecoder {
  static func decode(_ bytes: [UInt8], file: String) throws -> Profile {
    let root: JSONNode
    do {
      root = try JSONParser.parse(bytes)
    } catch {
      throw ProfileError(
        file: file, line: error.line, path: "",
        reason: "invalid JSON at column \(error.column): \(error.message)")
    }
    return try decode(JSONReader(node: root, path: "$", file: file))
  }

  private static func decode(_ reader: JSONReader) throws -> Profile {
    let top = try reader.object()
    let version = try top.required("schemaVersion").integer(in: 0...1_000)
    guard version == Int64(Profile.schemaVersion) else {
      throw try top.required("schemaVersion").fail(
        "schema version \(version) is not supported (this devsim reads version \(Profile.schemaVersion))"
      )
    }
    let name = try top.required("name").string()
    let description = try top.optional("description")?.string() ?? ""
    let mode: TreatmentMode = try top.required("mode").choice([
      ("cryolipolysis", .cryolipolysis), ("laser-lipolysis", .laserLipolysis),
    ])
    let seed = UInt64(try top.optional("seed")?.integer(in: 0...(1 << 53)) ?? 1)
    let rate = try top.optional("tickRate")?.number(in: 0.1...1000) ?? 10
    let tick = UInt64((1e9 / rate).rounded())
    let window = try decodeWindow(try top.required("window"))
    var safety = SafetyConfiguration(mode: mode)
    let phases = try decodePhases(try top.required("phases"), safety: safety)
    let plant = try PlantDecoder.decode(top.optional("plant"), mode: mode)
    // An open-loop boundary drives the plant: the controller is optional and unused.
    let closedLoop = plant.surface == .applicator
    let controllerReader = closedLoop ? try top.required("controller") : top.optional("controller")
    let (gains, limits) =
      try controllerReader.map { try decodeController($0, mode: mode) }
      ?? (
        PIDGains(proportionalPerCelsius: 0, integralPerCelsiusSecond: 0),
        OutputLimits(low: 0, high: 0)
      )
    let (sensors, control, dose) = try decodeSensors(try top.required("sensors"), plant: plant)
    if let node = top.optional("safety") { try decodeSafety(node, into: &safety) }
    // Phases are checked against the clamp in force after the overrides.
    for (index, phase) in phases.enumerated()
    where !safety.setpointClamp.contains(phase.phase.setpointCelsius) {
      throw try top.required("phases").array()[index].object().required("setpoint").fail(
        "setpoint \(format(phase.phase.setpointCelsius)) °C is outside the setpoint clamp "
          + "\(format(safety.setpointClamp.lowCelsius)) … \(format(safety.setpointClamp.highCelsius)) °C"
      )
    }
    let faults = try decodeFaults(
      top.optional("faults"), sensors: sensors, freezing: plant.freezing != nil)
    let planTotal = phases.reduce(UInt64(0)) { $0 + $1.phase.durationNanoseconds }
    var duration = planTotal
    var observe: UInt64 = 10_000_000_000
    if let node = top.optional("run") {
      let run = try node.object()
      duration = try run.optional("duration")?.duration() ?? planTotal
      observe = try run.optional("observeAfterTrip")?.duration() ?? observe
      try run.finish()
    }
    let expect = try decodeExpectations(top.optional("expect"))
    try top.finish()
    return Profile(
      name: name, description: description, mode: mode, seed: seed, tickNanoseconds: tick,
      window: window, phases: phases, gains: gains, limits: limits, sensors: sensors,
      controlIndex: control, doseIndex: dose, plant: plant, safety: safety, faults: faults,
      durationNanoseconds: duration, observeAfterTripNanoseconds: observe, expect: expect)
  }

  private static let temperatureRange = -100.0...200.0

  private static func decodeWindow(_ reader: JSONReader) throws -> TemperatureWindow {
    let object = try reader.object()
    let low = try object.required("low").number(in: temperatureRange)
    let high = try object.required("high").number(in: temperatureRange)
    try object.finish()
    guard low <= high else {
      throw reader.fail("low (\(format(low)) °C) is above high (\(format(high)) °C)")
    }
    return TemperatureWindow(lowCelsius: low, highCelsius: high)
  }

  private static func decodePhases(_ reader: JSONReader, safety: SafetyConfiguration) throws
    -> [ProfilePhase]
  {
    let elements = try reader.array()
    guard (1...maximumPhaseCount).contains(elements.count) else {
      throw reader.fail("a profile has 1 … \(maximumPhaseCount) phases, found \(elements.count)")
    }
    return try elements.map { element in
      let object = try element.object()
      let name = try object.required("name").identifier()
      let kind: PhaseKind =
        try object.optional("kind")?.choice([
          ("treatment", .treatment), ("transition", .transition),
        ]) ?? .treatment
      let setpoint = try object.required("setpoint").number(in: temperatureRange)
      let durationReader = try object.required("duration")
      let duration = try durationReader.duration()
      guard duration > 0 else { throw durationReader.fail("a phase must last longer than 0 s") }
      let ramp = try object.optional("ramp").map { try $0.number(in: 1e-6...1e6) } ?? .infinity
      try object.finish()
      return ProfilePhase(
        name: name,
        phase: TreatmentPhase(
          kind: kind, setpointCelsius: setpoint, durationNanoseconds: duration,
          rampCelsiusPerSecond: ramp))
    }
  }

  private static func decodeController(_ reader: JSONReader, mode: TreatmentMode) throws -> (
    PIDGains, OutputLimits
  ) {
    let object = try reader.object()
    let gains = PIDGains(
      proportionalPerCelsius: try object.required("kp").number(in: 0...1e6),
      integralPerCelsiusSecond: try object.optional("ki")?.number(in: 0...1e6) ?? 0,
      derivativeSecondsPerCelsius: try object.optional("kd")?.number(in: 0...1e6) ?? 0,
      derivativeFilterSeconds: Double(
        try object.optional("derivativeFilter")?.duration() ?? 1_000_000_000) * 1e-9)
    let range = mode.commandRange
    let bounds = range.lowerBound...range.upperBound
    let lowReader = object.optional("outputLow")
    let low = try lowReader?.number(in: bounds) ?? range.lowerBound
    let high = try object.optional("outputHigh")?.number(in: bounds) ?? range.upperBound
    try object.finish()
    guard low < high else {
      throw (lowReader ?? reader).fail(
        "outputLow (\(format(low))) must be below outputHigh (\(format(high)))")
    }
    return (gains, OutputLimits(low: low, high: high))
  }

  private static func decodeSensors(_ reader: JSONReader, plant: PlantConfiguration) throws -> (
    [ProfileSensor], control: Int, dose: Int
  ) {
    let elements = try reader.array()
    guard (1...maximumSensorCount).contains(elements.count) else {
      throw reader.fail("a profile has 1 … \(maximumSensorCount) sensors, found \(elements.count)")
    }
    var sensors: [ProfileSensor] = []
    var control: Int? = nil
    var dose: Int? = nil
    let totalMm =
      (plant.skinThicknessMetres + plant.fatThicknessMetres + plant.muscleThicknessMetres) * 1e3
    for (index, element) in elements.enumerated() {
      let object = try element.object()
      let nameReader = try object.required("name")
      let name = try nameReader.identifier()
      guard !sensors.contains(where: { $0.name == name }) else {
        throw nameReader.fail("sensor name \"\(name)\" is used twice")
      }
      let locationReader = try object.required("location")
      let locationKind = try locationReader.choice([("plate", 0), ("hot-side", 1), ("tissue", 2)])
      let depthReader = object.optional("depthMm")
      let location: ProbeLocation
      let site: SensorSite
      switch locationKind {
      case 0:
        location = .plate
        site = .plate
      case 1:
        location = .hotSide
        site = .hotSide
      default:
        guard let depthReader else { throw element.fail("a tissue sensor needs \"depthMm\"") }
        let depthMm = try depthReader.number(in: 0...totalMm)
        location = .depth(metres: depthMm * 1e-3)
        site =
          depthMm < plant.skinThicknessMetres * 1e3 || depthMm == 0
          ? .skin
          : depthMm < (plant.skinThicknessMetres + plant.fatThicknessMetres) * 1e3 ? .fat : .muscle
      }
      if locationKind != 2, let depthReader {
        throw depthReader.fail("\"depthMm\" applies to tissue sensors only")
      }
      let role: SensorRole =
        try object.optional("role")?.choice([
          ("control", .control), ("redundant", .redundant), ("monitor", .monitor),
        ]) ?? .monitor
      var model = SensorModel(location: location)
      if let node = object.optional("lag") { model.lagSeconds = Double(try node.duration()) * 1e-9 }
      if let node = object.optional("noiseRms") {
        model.noiseRmsCelsius = try node.number(in: 0...10)
      }
      if let node = object.optional("resolution") {
        model.resolutionCelsius = try node.number(in: 0...10)
      }
      if let node = object.optional("period") {
        model.periodNanoseconds = try node.duration()
        guard model.periodNanoseconds > 0 else {
          throw node.fail("a conversion period must be longer than 0 s")
        }
      }
      if let node = object.optional("openReads") {
        model.openReadsCelsius = try node.number(in: temperatureRange)
      }
      if let node = object.optional("shortReads") {
        model.shortReadsCelsius = try node.number(in: temperatureRange)
      }
      if let node = object.optional("dose"), try node.bool() {
        guard dose == nil else { throw node.fail("only one sensor can carry the dose") }
        dose = index
      }
      try object.finish()
      if role == .control {
        guard control == nil else {
          throw element.fail("only one sensor can be the control sensor")
        }
        control = index
      }
      sensors.append(
        ProfileSensor(
          name: name, model: model,
          descriptor: SensorDescriptor(
            site: site, role: role, periodNanoseconds: model.periodNanoseconds)))
    }
    guard let control else { throw reader.fail("one sensor must have \"role\": \"control\"") }
    let fallbackDose = sensors.firstIndex { $0.descriptor.site == .fat } ?? control
    return (sensors, control, dose ?? fallbackDose)
  }

  private static func decodeSafety(_ reader: JSONReader, into safety: inout SafetyConfiguration)
    throws
  {
    let object = try reader.object()
    if let node = object.optional("setpointClamp") { safety.setpointClamp = try decodeWindow(node) }
    if let node = object.optional("plausible") {
      let fields = try node.object()
      let low = try fields.required("low").number(in: temperatureRange)
      let high = try fields.required("high").number(in: temperatureRange)
      if let item = fields.optional("persistence") {
        safety.plausibilityPersistenceNanoseconds = try item.duration()
      }
      try fields.finish()
      guard low <= high else {
        throw node.fail("low (\(format(low)) °C) is above high (\(format(high)) °C)")
      }
      safety.plausibleRange = TemperatureWindow(lowCelsius: low, highCelsius: high)
    }
    if let node = object.optional("hardLimits") {
      let elements = try node.array()
      guard elements.count <= maximumLimitRules else {
        throw node.fail("at most \(maximumLimitRules) hard limits, found \(elements.count)")
      }
      safety.removeAllLimitRules()
      for element in elements {
        let rule = try element.object()
        let site: SensorSite? =
          try rule.optional("site")?.choice([
            ("any", nil), ("plate", .plate), ("hot-side", .hotSide), ("skin", .skin), ("fat", .fat),
            ("muscle", .muscle),
          ]) ?? nil
        let above = try rule.required("direction").choice([("above", true), ("below", false)])
        let threshold = try rule.required("threshold").number(in: temperatureRange)
        let persistence = try rule.optional("persistence")?.duration() ?? 0
        let armed = try rule.optional("onlyWhenArmed")?.bool() ?? false
        try rule.finish()
        safety.addLimitRule(
          LimitRule(
            site: site, thresholdCelsius: threshold, tripsAbove: above,
            persistenceNanoseconds: persistence, onlyWhenArmed: armed))
      }
    }
    if let node = object.optional("outOfWindow") {
      let fields = try node.object()
      if let item = fields.optional("margin") {
        safety.outOfWindowMarginCelsius = try item.number(in: 0...50)
      }
      if let item = fields.optional("persistence") {
        safety.outOfWindowPersistenceNanoseconds = try item.duration()
      }
      try fields.finish()
    }
    if let node = object.optional("mustProgress") {
      let fields = try node.object()
      if let item = fields.optional("commandFraction") {
        safety.progressCommandFraction = try item.number(in: 0...1)
      }
      if let item = fields.optional("distance") {
        safety.progressDistanceCelsius = try item.number(in: 0...100)
      }
      if let item = fields.optional("minimumChange") {
        safety.progressMinimumChangeCelsius = try item.number(in: 0...100)
      }
      if let item = fields.optional("period") {
        safety.progressPeriodNanoseconds = try item.duration()
        guard safety.progressPeriodNanoseconds > 0 else {
          throw item.fail("the period must be longer than 0 s")
        }
      }
      try fields.finish()
    }
    if let node = object.optional("stale") {
      let fields = try node.object()
      if let item = fields.optional("hold") { safety.staleHoldNanoseconds = try item.duration() }
      if let item = fields.optional("trip") { safety.staleTripNanoseconds = try item.duration() }
      try fields.finish()
    }
    if let node = object.optional("timeCap") {
      let fields = try node.object()
      if let item = fields.optional("factor") { safety.timeCapFactor = try item.number(in: 1...10) }
      if let item = fields.optional("limit") { safety.timeCapNanoseconds = try item.duration() }
      try fields.finish()
    }
    if let node = object.optional("interlock") {
      let fields = try node.object()
      if let item = fields.optional("persistence") {
        safety.interlockPersistenceNanoseconds = try item.duration()
      }
      try fields.finish()
    }
    try object.finish()
  }

  private static func decodeFaults(
    _ reader: JSONReader?, sensors: [ProfileSensor], freezing: Bool
  ) throws
    -> [ProfileFault]
  {
    guard let reader else { return [] }
    let elements = try reader.array()
    guard elements.count <= maximumScheduledFaults else {
      throw reader.fail("at most \(maximumScheduledFaults) faults, found \(elements.count)")
    }
    return try elements.map { element in
      let object = try element.object()
      let at = try object.required("at").duration()
      let value = try object.optional("value")?.number(in: -1e4...1e4)
      let sensorReader = object.optional("sensor")
      let stageReader = object.optional("stage")
      let tissueReader = object.optional("tissue")
      let kindReader = try object.required("kind")
      let target: FaultTarget
      let label: String
      switch (sensorReader, stageReader, tissueReader) {
      case (nil, nil, let tissueReader?):
        guard try tissueReader.bool() else {
          throw tissueReader.fail("use \"tissue\": true for a tissue event")
        }
        target = try kindReader.choice([("freeze-event", FaultTarget.freezeEvent)])
        guard freezing else {
          throw kindReader.fail("a freeze event needs \"plant.freezing\"")
        }
        label = "freeze event in the tissue"
      case (let sensorReader?, nil, nil):
        let name = try sensorReader.string()
        guard let index = sensors.firstIndex(where: { $0.name == name }) else {
          throw sensorReader.fail("no sensor named \"\(name)\"")
        }
        let kind: SensorFaultKind = try kindReader.choice([
          ("open", .open), ("short", .short), ("stuck", .stuck), ("drift", .drift),
          ("dropout", .dropout), ("stale", .stale),
        ])
        target = .sensor(index: index, kind)
        label = "\(try kindReader.string()) on sensor \(name)"
      case (nil, let stageReader?, nil):
        guard try stageReader.bool() else {
          throw stageReader.fail("use \"stage\": true for a power-stage fault")
        }
        let kind: StageFaultKind = try kindReader.choice([
          ("output-open", .outputOpen), ("driver-shorted", .driverShorted),
        ])
        target = .stage(kind)
        label = "\(try kindReader.string()) on the power stage"
      default:
        throw element.fail("a fault names one of \"sensor\", \"stage\" or \"tissue\"")
      }
      try object.finish()
      return ProfileFault(
        label: label, fault: ScheduledFault(atNanoseconds: at, target: target, value: value))
    }
  }

  private static func decodeExpectations(_ reader: JSONReader?) throws -> Expectations {
    var expect = Expectations()
    guard let reader else { return expect }
    let object = try reader.object()
    if let node = object.optional("trip"), !node.isNull {
      let trip = try node.object()
      let check = try trip.required("check").choice(SafetyCheck.allCases.map { ("\($0.name)", $0) })
      let within = try trip.required("within").duration()
      try trip.finish()
      expect.trip = (check, within)
    }
    if let node = object.optional("timeInWindowAtLeast") {
      expect.timeInWindowAtLeast = try node.number(in: 0...1)
    }
    try object.finish()
    return expect
  }
}
