import ThermalLoop

/// What a reader of a telemetry file needs to know about the run besides the
/// rows: the mode, the window, which sensor is controlled and which carries
/// the dose, and the phases with their kinds.
///
/// Written as one JSON object: in CSV on the second comment line
/// (`# run {...}`), in JSON Lines as the `run` member of the first object.
/// Readers that skip `#` lines (``Trace``, most CSV tools) are unaffected.
package struct TelemetryContext: Equatable {
  package struct Phase: Equatable {
    package var name: String
    package var kind: PhaseKind
  }

  package var name: String
  package var mode: TreatmentMode
  package var window: TemperatureWindow
  package var controlSensor: String
  package var doseSensor: String
  package var phases: [Phase]

  package init(
    name: String, mode: TreatmentMode, window: TemperatureWindow, controlSensor: String,
    doseSensor: String, phases: [Phase]
  ) {
    self.name = name
    self.mode = mode
    self.window = window
    self.controlSensor = controlSensor
    self.doseSensor = doseSensor
    self.phases = phases
  }

  package init(profile: Profile) {
    self.init(
      name: profile.name, mode: profile.mode, window: profile.window,
      controlSensor: profile.sensors[profile.controlIndex].name,
      doseSensor: profile.sensors[profile.doseIndex].name,
      phases: profile.phases.map { Phase(name: $0.name, kind: $0.phase.kind) })
  }

  /// The mode as telemetry and reports name it.
  package static func modeName(_ mode: TreatmentMode) -> String {
    mode == .cryolipolysis ? "cryolipolysis" : "laser-lipolysis"
  }

  /// The context as one line of JSON.
  package var json: String {
    let phaseList = phases.map {
      "{\"name\":\(JSONText.quoted($0.name)),\"kind\":\"\($0.kind == .treatment ? "treatment" : "transition")\"}"
    }
    return "{\"name\":\(JSONText.quoted(name)),\"mode\":\"\(TelemetryContext.modeName(mode))\","
      + "\"window_degC\":[\(DecimalText.string(window.lowCelsius, decimals: 3)),"
      + "\(DecimalText.string(window.highCelsius, decimals: 3))],"
      + "\"control_sensor\":\(JSONText.quoted(controlSensor)),"
      + "\"dose_sensor\":\(JSONText.quoted(doseSensor)),"
      + "\"phases\":[\(phaseList.joined(separator: ","))]}"
  }

  /// Reads the object ``json`` writes; `nil` when it is not one.
  package init?(_ node: JSONNode) {
    guard case .object(let members) = node.value else { return nil }
    func member(_ key: String) -> JSONValue? { members.first { $0.key == key }?.node.value }
    func string(_ key: String) -> String? {
      if case .string(let text)? = member(key) { return text }
      return nil
    }
    guard let name = string("name"), let modeText = string("mode"),
      let control = string("control_sensor"), let dose = string("dose_sensor"),
      case .array(let bounds)? = member("window_degC"), bounds.count == 2,
      case .number(let low) = bounds[0].value, case .number(let high) = bounds[1].value,
      low <= high, case .array(let phaseNodes)? = member("phases")
    else { return nil }
    let mode: TreatmentMode
    switch modeText {
    case "cryolipolysis": mode = .cryolipolysis
    case "laser-lipolysis": mode = .laserLipolysis
    default: return nil
    }
    var phases: [Phase] = []
    for node in phaseNodes {
      guard case .object(let fields) = node.value,
        case .string(let phaseName)? = fields.first(where: { $0.key == "name" })?.node.value,
        case .string(let kind)? = fields.first(where: { $0.key == "kind" })?.node.value,
        kind == "treatment" || kind == "transition"
      else { return nil }
      phases.append(Phase(name: phaseName, kind: kind == "treatment" ? .treatment : .transition))
    }
    self.init(
      name: name, mode: mode, window: TemperatureWindow(lowCelsius: low, highCelsius: high),
      controlSensor: control, doseSensor: dose, phases: phases)
  }
}
