import ApplicatorSimulation

/// One fault of a campaign schedule, in the terms of the profile format.
package struct CampaignFault: Equatable {
  /// The kind's name as profiles spell it (`open`, `driver-shorted`, `contact-lost` …).
  package var kind: String
  /// A sensor's name, `stage` or `plant`.
  package var target: String
  package var atNanoseconds: UInt64
  package var value: Double?
}

/// A fault schedule: drawn at random from a seed, written as one line, read back.
///
/// The line is `kind:target@seconds[=value]`, comma-separated, e.g.
/// `open:plate@612.3,driver-shorted:stage@700=-1`.
package enum FaultSchedule {
  /// The schedule as one line.
  package static func format(_ faults: [CampaignFault]) -> String {
    faults.map { fault in
      "\(fault.kind):\(fault.target)@\(DecimalText.string(Double(fault.atNanoseconds) * 1e-9, decimals: 1))"
        + (fault.value.map { "=\(DecimalText.string($0, decimals: 3))" } ?? "")
    }.joined(separator: ",")
  }

  /// Reads a schedule line, checking kinds and targets against the profile.
  package static func parse(_ text: String, profile: Profile) throws(OptionValueError)
    -> [CampaignFault]
  {
    var faults: [CampaignFault] = []
    for item in text.split(separator: ",") {
      let bad = OptionValueError("--schedule: '\(item)' is not kind:target@seconds[=value]")
      guard let colon = item.firstIndex(of: ":"), let at = item.firstIndex(of: "@"), colon < at
      else {
        throw bad
      }
      let kind = String(item[..<colon])
      let target = String(item[item.index(after: colon)..<at])
      let rest = item[item.index(after: at)...]
      let parts = rest.split(separator: "=", maxSplits: 1)
      guard let first = parts.first, let seconds = Double(first), seconds >= 0, seconds <= 1e7
      else {
        throw bad
      }
      var value: Double? = nil
      if parts.count == 2 {
        guard let parsed = Double(parts[1]), parsed.isFinite else { throw bad }
        value = parsed
      }
      let fault = CampaignFault(
        kind: kind, target: target, atNanoseconds: UInt64((seconds * 1e9).rounded()), value: value)
      guard scheduled(fault, profile: profile) != nil else {
        throw OptionValueError("--schedule: " + problem(fault, in: String(item), profile: profile))
      }
      faults.append(fault)
    }
    return faults
  }

  /// Why `fault` cannot be scheduled, naming the valid kinds and targets.
  static func problem(_ fault: CampaignFault, in item: String, profile: Profile) -> String {
    let sensors = profile.sensors.map(\.name).joined(separator: ", ")
    let target: FaultKindTarget
    switch fault.target {
    case "stage": target = .stage
    case "plant": target = .plant
    default:
      guard profile.sensors.contains(where: { $0.name == fault.target }) else {
        return "unknown target '\(fault.target)' in '\(item)'; targets are a sensor (\(sensors)), "
          + "stage or plant"
      }
      target = .sensor
    }
    var text =
      "unknown \(target.rawValue) fault kind '\(fault.kind)' in '\(item)'; \(target.rawValue) kinds: "
      + FaultKinds.names(target)
    if let named = FaultKinds.named(fault.kind) {
      text += " ('\(fault.kind)' is a \(named.target.rawValue) fault: \(fault.kind):"
      text += named.target == .sensor ? "<sensor>" : named.target.rawValue
      text += "@seconds)"
    } else if let rig = FaultKinds.scpi(fault.kind) {
      text += " ('\(fault.kind)' is the rig's SIMulate:FAULt mnemonic for \(rig.profile))"
    }
    return text
  }

  /// The simulator's form of a fault, or `nil` when the kind or target is unknown.
  package static func scheduled(_ fault: CampaignFault, profile: Profile) -> ScheduledFault? {
    let target: FaultTarget
    switch fault.target {
    case "stage":
      guard let kind = FaultDecoder.stageKinds.first(where: { $0.0 == fault.kind })?.1 else {
        return nil
      }
      target = .stage(kind)
    case "plant":
      guard let kind = FaultDecoder.plantKinds.first(where: { $0.0 == fault.kind })?.1 else {
        return nil
      }
      target = .plant(kind)
    default:
      guard let index = profile.sensors.firstIndex(where: { $0.name == fault.target }),
        let kind = FaultDecoder.sensorKinds.first(where: { $0.0 == fault.kind })?.1
      else { return nil }
      target = .sensor(index: index, kind)
    }
    return ScheduledFault(atNanoseconds: fault.atNanoseconds, target: target, value: fault.value)
  }

  /// The stage faults a campaign draws from: an inverted stage is left
  /// out (its own scenario, `cryo-inverted-tec`, covers it), so the draws
  /// of a seed stay what they were.
  static let campaignStageKinds = ["output-open", "driver-shorted"]

  /// Draws one to three faults for run `run` of a campaign seeded `seed`:
  /// kinds, times, channels and magnitudes, all from the seed.
  package static func draw(seed: UInt64, run: Int, profile: Profile) -> [CampaignFault] {
    var random = SeededRandom(seed: seed &+ UInt64(run) &* 0x9E37_79B9_7F4A_7C15)
    func pick<T>(_ list: [T]) -> T {
      list[Int(random.nextUnit() * Double(list.count)) % list.count]
    }
    func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * random.nextUnit() }
    let margin = 30.0
    let span = max(Double(profile.durationNanoseconds) * 1e-9 - 2 * margin, 1)
    var plantKinds = ["contact-lost", "coolant-lost"]
    if profile.mode == .cryolipolysis { plantKinds.append("heatsink-fouled") }
    let count = 1 + Int(random.nextUnit() * 3) % 3
    return (0..<count).map { _ in
      let at = UInt64(((margin + random.nextUnit() * span) * 10).rounded()) * 100_000_000
      switch Int(random.nextUnit() * 10) {
      case 0..<6:
        let sensor = pick(profile.sensors).name
        let kind = pick(FaultDecoder.sensorKinds.map(\.0))
        var value: Double? = nil
        switch kind {
        case "drift": value = (random.nextUnit() < 0.5 ? -1 : 1) * uniform(0.05, 0.5)
        case "detached": value = uniform(5, 30)
        case "spikes": value = uniform(2, 8)
        default: value = nil
        }
        return CampaignFault(kind: kind, target: sensor, atNanoseconds: at, value: value)
      case 6..<9:
        let kind = pick(campaignStageKinds)
        var value: Double? = nil
        if kind == "driver-shorted" {
          let level = uniform(0.3, 1)
          value = profile.mode == .cryolipolysis && random.nextUnit() < 0.5 ? -level : level
        }
        return CampaignFault(kind: kind, target: "stage", atNanoseconds: at, value: value)
      default:
        return CampaignFault(kind: pick(plantKinds), target: "plant", atNanoseconds: at, value: nil)
      }
    }.sorted { $0.atNanoseconds < $1.atNanoseconds }
  }
}
