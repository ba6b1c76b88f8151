import ApplicatorSimulation

/// What a kind of fault acts on: a sensor, the power stage or the plant.
package enum FaultKindTarget: String, Sendable {
  case sensor
  case stage
  case plant
}

/// One kind of fault, under every name it goes by: the profile's
/// (`faults[].kind`, a campaign's `--schedule`) and the emulated rig's SCPI
/// mnemonic (`SIMulate:FAULt`, capitals the short form).
package struct FaultKindName: Sendable {
  /// The profile's name: `open`, `driver-shorted`, `contact-lost`.
  package var profile: String
  /// The SCPI mnemonic: `OPEN`, `DSHorted`, `CONTact`.
  package var scpi: String
  /// What it acts on.
  package var target: FaultKindTarget
  /// One line: what breaks.
  package var meaning: String
}

/// The one table of fault kinds: the profile decoder, campaign schedules,
/// the rig emulator's `SIMulate:FAULt`, its error messages and the docs
/// (`docs/rig-protocol.md`, checked by a test) all read it.
package enum FaultKinds {
  /// Every kind, sensors first, in the order the rig documents them.
  package static let all: [FaultKindName] = [
    FaultKindName(
      profile: "open", scpi: "OPEN", target: .sensor, meaning: "open circuit: reads openReads"),
    FaultKindName(
      profile: "short", scpi: "SHORt", target: .sensor, meaning: "short circuit: reads shortReads"),
    FaultKindName(
      profile: "stuck", scpi: "STUCk", target: .sensor,
      meaning: "the reading freezes (at value, or its last reading)"),
    FaultKindName(
      profile: "drift", scpi: "DRIFt", target: .sensor, meaning: "the reading drifts (value °C/s)"),
    FaultKindName(
      profile: "detached", scpi: "DETached", target: .sensor,
      meaning: "the probe comes off and relaxes toward the room"),
    FaultKindName(
      profile: "spikes", scpi: "SPIKes", target: .sensor,
      meaning: "± value °C on one conversion in five"),
    FaultKindName(
      profile: "dropout", scpi: "DROPout", target: .sensor, meaning: "reads time out"),
    FaultKindName(
      profile: "stale", scpi: "STALe", target: .sensor,
      meaning: "repeats its last sample, never converts again"),
    FaultKindName(
      profile: "output-open", scpi: "TECOpen", target: .stage,
      meaning: "no output whatever the command (TEC open, laser emitter dead)"),
    FaultKindName(
      profile: "driver-shorted", scpi: "DSHorted", target: .stage,
      meaning: "delivers value while enabled (a stuck-on laser)"),
    FaultKindName(
      profile: "inverted", scpi: "INVerted", target: .stage,
      meaning: "the output's sign is reversed (a TEC wired the wrong way; a laser delivers nothing)"
    ),
    FaultKindName(
      profile: "contact-lost", scpi: "CONTact", target: .plant,
      meaning: "the contact interlock opens, the plate lifts off"),
    FaultKindName(
      profile: "coolant-lost", scpi: "COOLant", target: .plant,
      meaning: "the coolant-flow interlock opens, the heatsink stops shedding heat"),
    FaultKindName(
      profile: "heatsink-fouled", scpi: "HSFouled", target: .plant,
      meaning: "a TEC heatsink's resistance rises twentyfold, no interlock sees it"),
    FaultKindName(
      profile: "freeze-event", scpi: "FREEze", target: .plant,
      meaning: "supercooled tissue water freezes (needs plant.freezing)"),
  ]

  /// The simulator's fault for `kind` on `target`'s sensor slot `index`
  /// (ignored for stage and plant kinds), or `nil` for an unknown kind.
  package static func simulated(_ kind: FaultKindName, sensor index: Int) -> FaultTarget? {
    switch kind.target {
    case .sensor:
      sensorKinds.first { $0.0 == kind.profile }.map { .sensor(index: index, $0.1) }
    case .stage: stageKinds.first { $0.0 == kind.profile }.map { .stage($0.1) }
    case .plant: plantKinds.first { $0.0 == kind.profile }.map { .plant($0.1) }
    }
  }

  /// The kind named `name` in a profile (`driver-shorted`).
  package static func named(_ name: String) -> FaultKindName? {
    all.first { $0.profile == name }
  }

  /// The kind whose SCPI mnemonic `word` matches (`DSH`, `dshorted`), if any.
  package static func scpi(_ word: String) -> FaultKindName? {
    all.first { SCPIMnemonicMatch.matches(word, pattern: $0.scpi) }
  }

  /// The profile names of the kinds acting on `target`, as one list.
  package static func names(_ target: FaultKindTarget) -> String {
    all.filter { $0.target == target }.map(\.profile).joined(separator: ", ")
  }

  static let sensorKinds: [(String, SensorFaultKind)] = [
    ("open", .open), ("short", .short), ("stuck", .stuck), ("drift", .drift),
    ("detached", .detached), ("spikes", .spikes), ("dropout", .dropout), ("stale", .stale),
  ]
  static let stageKinds: [(String, StageFaultKind)] = [
    ("output-open", .outputOpen), ("driver-shorted", .driverShorted), ("inverted", .inverted),
  ]
  static let plantKinds: [(String, PlantFaultKind)] = [
    ("contact-lost", .contactLost), ("coolant-lost", .coolantLost),
    ("heatsink-fouled", .heatsinkFouled), ("freeze-event", .freezeEvent),
  ]
}

/// SCPI's mnemonic rule for a typed word against a pattern: the short form
/// (the pattern's capitals) or the long form, case-insensitive.
enum SCPIMnemonicMatch {
  static func matches(_ typed: String, pattern: String) -> Bool {
    let word = typed.uppercased()
    let short = String(pattern.filter { $0.isUppercase || $0.isNumber })
    return word == short || word == pattern.uppercased()
  }
}
