import ApplicatorHAL
import ApplicatorSimulation
import ThermalLoop

/// Decodes a profile strictly: unknown keys, wrong types, negative
/// durations, inverted windows and out-of-range values are refused with the
/// file, the line and the JSON path.
package enum ProfileDecoder {
  package static func decode(_ bytes: [UInt8], file: String) throws -> Profile {
    try decode(JSONFile.root(of: bytes, file: file))
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
    let window = try SafetyDecoder.window(try top.required("window"))
    var safety = SafetyConfiguration(mode: mode)
    let phases = try decodePhases(try top.required("phases"), safety: safety)
    let plant = try PlantDecoder.decode(top.optional("plant"), mode: mode)
    // An open-loop boundary drives the plant: the controller is optional and unused.
    let closedLoop = plant.surface == .applicator
    let controllerReader = closedLoop ? try top.required("controller") : top.optional("controller")
    let (gains, limits, modelControl) =
      try controllerReader.map { try decodeController($0, mode: mode) }
      ?? (
        PIDGains(proportionalPerCelsius: 0, integralPerCelsiusSecond: 0),
        OutputLimits(low: 0, high: 0), nil
      )
    let (sensors, control, dose) = try decodeSensors(try top.required("sensors"), plant: plant)
    var relaxations: [Relaxation] = []
    if let node = top.optional("safety") {
      relaxations = try SafetyDecoder.decode(node, into: &safety)
      let planned = TreatmentPlan(mode: mode, window: window, phases: phases.map(\.phase))
        .plannedTreatmentNanoseconds
      let loosened = AbsoluteLimits.loosened(
        safety, mode: mode, window: window, plannedNanoseconds: planned)
      for (field, limit) in loosened where !relaxations.contains(where: { $0.field == field }) {
        throw node.fail(
          "\(field) loosens the \(mode) limit (\(limit)): a profile may only tighten it; "
            + "a test scenario that must relax it says why in \"relax\": { \"\(field)\": \"…\" }")
      }
      for relaxation in relaxations
      where !loosened.contains(where: { $0.field == relaxation.field }) {
        throw node.fail("relax names \(relaxation.field), which this profile does not loosen")
      }
    }
    // Phases are checked against the clamp in force after the overrides.
    for (index, phase) in phases.enumerated()
    where !safety.setpointClamp.contains(phase.phase.setpointCelsius) {
      throw try top.required("phases").array()[index].object().required("setpoint").fail(
        "setpoint \(format(phase.phase.setpointCelsius)) °C is outside the setpoint clamp "
          + "\(format(safety.setpointClamp.lowCelsius)) … \(format(safety.setpointClamp.highCelsius)) °C"
      )
    }
    // A treatment holds its window: its setpoint lies inside it.
    for (index, phase) in phases.enumerated()
    where phase.phase.kind == .treatment && !window.contains(phase.phase.setpointCelsius) {
      throw try top.required("phases").array()[index].object().required("setpoint").fail(
        "a treatment phase's setpoint \(format(phase.phase.setpointCelsius)) °C is outside the window "
          + "\(format(window.lowCelsius)) … \(format(window.highCelsius)) °C it is judged by")
    }
    let faults = try FaultDecoder.decode(top.optional("faults"), sensors: sensors, plant: plant)
    let planTotal = phases.reduce(UInt64(0)) { $0 + $1.phase.durationNanoseconds }
    var duration = planTotal
    var observe: UInt64 = 10_000_000_000
    var resets: [UInt64] = []
    var lengthReader = try top.required("phases")
    if let node = top.optional("run") {
      let run = try node.object()
      if let item = run.optional("duration") {
        duration = try item.duration()
        lengthReader = item
      }
      observe = try run.optional("observeAfterTrip")?.duration() ?? observe
      if let list = run.optional("resets") {
        let items = try list.array()
        guard items.count <= 4 else { throw list.fail("at most 4 resets, found \(items.count)") }
        resets = try items.map { try $0.duration() }
        guard resets == resets.sorted() else { throw list.fail("resets must be in time order") }
      }
      try run.finish()
    }
    try checkRunLength(duration, tick: tick, rate: rate, at: lengthReader)
    var readBack = true
    if let node = top.optional("powerStage") {
      let stage = try node.object()
      if let item = stage.optional("readBack") { readBack = try item.bool() }
      try stage.finish()
    }
    var replayPath: String? = nil
    if let node = top.optional("replay") {
      let relative = try node.string()
      guard !relative.isEmpty else { throw node.fail("the trace path is empty") }
      let folder = reader.file.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        .joined(separator: "/")
      replayPath = relative.hasPrefix("/") || folder.isEmpty ? relative : "\(folder)/\(relative)"
    }
    let verifies = try top.optional("verifies").map(decodeVerifies)
    let expect = try decodeExpectations(top.optional("expect"))
    if let accepted = expect.resetsAccepted, accepted.count != resets.count {
      throw try top.required("expect").object().required("resetsAccepted").fail(
        "\(accepted.count) outcomes for \(resets.count) scheduled resets")
    }
    try top.finish()
    var profile = Profile(
      name: name, description: description, mode: mode, seed: seed, tickNanoseconds: tick,
      window: window, phases: phases, gains: gains, limits: limits, sensors: sensors,
      controlIndex: control, doseIndex: dose, plant: plant, safety: safety, faults: faults,
      durationNanoseconds: duration, observeAfterTripNanoseconds: observe,
      resetsNanoseconds: resets, stageReadBack: readBack, expect: expect)
    profile.replayPath = replayPath
    profile.modelControl = modelControl
    profile.relaxations = relaxations
    profile.verifies = verifies
    return profile
  }

  /// `verifies`: catalogue IDs, each once. Whether they exist is checked
  /// against the catalogue (``RequirementCatalogue/check(_:file:)``).
  private static func decodeVerifies(_ reader: JSONReader) throws(JSONDataError) -> [TraceReference]
  {
    var references: [TraceReference] = []
    for item in try reader.array() {
      let id = try item.identifier()
      if references.contains(where: { $0.id == id }) {
        throw item.fail("\"\(id)\" is listed twice")
      }
      references.append(TraceReference(id: id, line: item.node.line, path: item.path))
    }
    return references
  }

  private static let temperatureRange = -100.0...200.0

  /// Refuses a run longer than ``Profile/maximumRunNanoseconds`` or with
  /// more than ``Profile/maximumTicks`` ticks, naming the field that set its length.
  private static func checkRunLength(
    _ duration: UInt64, tick: UInt64, rate: Double, at reader: JSONReader
  ) throws(JSONDataError) {
    let hours = Double(Profile.maximumRunNanoseconds) / 3.6e12
    guard duration <= Profile.maximumRunNanoseconds else {
      throw reader.fail(
        "a run of \(format(Double(duration) * 1e-9)) s is longer than the maximum of \(format(hours)) h"
      )
    }
    let ticks = duration / max(tick, 1)
    guard ticks <= Profile.maximumTicks else {
      throw reader.fail(
        "a run of \(format(Double(duration) * 1e-9)) s at \(format(rate)) Hz takes \(ticks) ticks, "
          + "more than the maximum of \(Profile.maximumTicks) (one telemetry row each)")
    }
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
    PIDGains, OutputLimits, ModelControlSettings?
  ) {
    let object = try reader.object()
    let kindReader = object.optional("kind")
    let isModel: Bool = try kindReader?.choice([("pid", false), ("model", true)]) ?? false
    let modelReader = object.optional("model")
    var modelControl: ModelControlSettings? = nil
    if let modelReader {
      guard isModel else {
        throw modelReader.fail("a plant model needs \"kind\": \"model\"")
      }
      modelControl = try decodeModel(modelReader)
    } else if isModel, let kindReader {
      throw kindReader.fail("\"kind\": \"model\" needs a \"model\" object")
    }
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
    return (gains, OutputLimits(low: low, high: high), modelControl)
  }

  /// `controller.model`: the plant model of the model-based controller.
  private static func decodeModel(_ reader: JSONReader) throws -> ModelControlSettings {
    let object = try reader.object()
    let seconds = { (node: JSONReader) throws -> Double in Double(try node.duration()) * 1e-9 }
    let gain = try object.required("gain").number(in: 1e-6...1e6)
    let tauReader = try object.required("timeConstant")
    let tau = try seconds(tauReader)
    guard tau > 0 else { throw tauReader.fail("the time constant must be longer than 0 s") }
    let model = PlantModel(
      gainCelsiusPerCommand: gain, timeConstantSeconds: tau,
      deadTimeSeconds: try object.optional("deadTime").map(seconds) ?? 0,
      zeroCommandCelsius: try object.required("zeroCommandTemperature").number(
        in: temperatureRange))
    let approach = try object.optional("approach").map(seconds) ?? 0
    let adaptationReader = object.optional("adaptation")
    let adaptation = try adaptationReader.map(seconds) ?? 60
    if let adaptationReader, adaptation < 1 {
      throw adaptationReader.fail("the adaptation time constant must be at least 1 s")
    }
    try object.finish()
    return ModelControlSettings(
      model: model, approachSeconds: approach, adaptationSeconds: adaptation)
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
            site: site, role: role, periodNanoseconds: model.periodNanoseconds,
            resolutionCelsius: model.resolutionCelsius)))
    }
    guard let control else { throw reader.fail("one sensor must have \"role\": \"control\"") }
    let fallbackDose = sensors.firstIndex { $0.descriptor.site == .fat } ?? control
    return (sensors, control, dose ?? fallbackDose)
  }

  private static func decodeExpectations(_ reader: JSONReader?) throws -> Expectations {
    var expect = Expectations()
    guard let reader else { return expect }
    let object = try reader.object()
    func trip(_ node: JSONReader) throws -> ExpectedTrip {
      let fields = try node.object()
      let check = try fields.required("check").choice(
        SafetyCheck.allCases.map { ("\($0.name)", $0) })
      let within = try fields.required("within").duration()
      try fields.finish()
      return ExpectedTrip(check: check, withinNanoseconds: within)
    }
    let single = object.optional("trip")
    let list = object.optional("trips")
    if single != nil && list != nil {
      throw reader.fail("use either \"trip\" or \"trips\", not both")
    }
    if let single, !single.isNull { expect.trips = [try trip(single)] }
    if let list { expect.trips = try list.array().map(trip) }
    if let node = object.optional("resetsAccepted") {
      expect.resetsAccepted = try node.array().map { try $0.bool() }
    }
    if let node = object.optional("timeInWindowAtLeast") {
      expect.timeInWindowAtLeast = try node.number(in: 0...1)
    }
    try object.finish()
    return expect
  }
}
