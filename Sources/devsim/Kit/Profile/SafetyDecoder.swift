import ThermalLoop

/// Decodes a profile's `safety` object: overrides of the supervisor's
/// thresholds and persistences (defaults per mode from `safety.md`), and
/// the relaxations a test scenario declares (``AbsoluteLimits``).
package enum SafetyDecoder {
  /// Decodes `reader` into `safety`; returns the declared relaxations.
  package static func decode(_ reader: JSONReader, into safety: inout SafetyConfiguration) throws
    -> [Relaxation]
  {
    let object = try reader.object()
    var relaxations: [Relaxation] = []
    if let node = object.optional("relax") {
      let fields = try node.object()
      for field in AbsoluteLimits.fields {
        guard let item = fields.optional(field) else { continue }
        let reason = try item.string()
        guard reason.contains(where: { !$0.isWhitespace }) else {
          throw item.fail("a relaxation says why the scenario needs it")
        }
        relaxations.append(Relaxation(field: field, reason: reason))
      }
      try fields.finish()
    }
    if let node = object.optional("setpointClamp") { safety.setpointClamp = try window(node) }
    if let node = object.optional("plausible") {
      let fields = try node.object()
      let low = try fields.required("low").number(in: temperatureRange)
      let high = try fields.required("high").number(in: temperatureRange)
      try fields.duration("persistence") { safety.plausibilityPersistenceNanoseconds = $0 }
      try fields.finish()
      guard low <= high else {
        throw node.fail("low (\(format(low)) °C) is above high (\(format(high)) °C)")
      }
      safety.plausibleRange = TemperatureWindow(lowCelsius: low, highCelsius: high)
    }
    if let node = object.optional("hardLimits") { try hardLimits(node, into: &safety) }
    try section(object, "outOfWindow") { fields in
      try fields.number("margin", in: 0...50) { safety.outOfWindowMarginCelsius = $0 }
      try fields.duration("persistence") { safety.outOfWindowPersistenceNanoseconds = $0 }
    }
    try section(object, "mustProgress") { fields in
      try fields.number("commandFraction", in: 0...1) { safety.progressCommandFraction = $0 }
      try fields.number("distance", in: 0...100) { safety.progressDistanceCelsius = $0 }
      try fields.number("minimumChange", in: 0...100) { safety.progressMinimumChangeCelsius = $0 }
      if let item = fields.optional("period") {
        safety.progressPeriodNanoseconds = try item.duration()
        guard safety.progressPeriodNanoseconds > 0 else {
          throw item.fail("the period must be longer than 0 s")
        }
      }
    }
    try section(object, "wrongDirection") { fields in
      try fields.number("rate", in: 0...1e6) { safety.wrongDirectionRateCelsiusPerSecond = $0 }
      if let item = fields.optional("persistence") {
        safety.wrongDirectionPersistenceNanoseconds = try item.duration()
        guard safety.wrongDirectionPersistenceNanoseconds > 0 else {
          throw item.fail("the persistence must be longer than 0 s")
        }
      }
    }
    try section(object, "rate") { fields in
      try fields.number("rise", in: 0...1e6) { safety.rateRiseLimitCelsiusPerSecond = $0 }
      try fields.number("fall", in: 0...1e6) { safety.rateFallLimitCelsiusPerSecond = $0 }
      if let item = fields.optional("window") {
        safety.rateWindowNanoseconds = try item.duration()
        guard safety.rateWindowNanoseconds >= 1_000_000_000 else {
          throw item.fail("the slope is fitted over at least 1 s")
        }
      }
    }
    try section(object, "freeze") { fields in
      if let item = fields.optional("enabled") { safety.freezeDetection = try item.bool() }
      try fields.number("rise", in: 0.01...100) { safety.freezeRiseCelsius = $0 }
      try fields.duration("window") { safety.freezeWindowNanoseconds = $0 }
    }
    try section(object, "disagreement") { fields in
      try fields.number("limit", in: 0...100) { safety.disagreementCelsius = $0 }
      try fields.duration("persistence") { safety.disagreementPersistenceNanoseconds = $0 }
    }
    try section(object, "stuck") { fields in
      try fields.duration("persistence") { safety.stuckPersistenceNanoseconds = $0 }
      try fields.number("commandFraction", in: 0...1) { safety.stuckCommandFraction = $0 }
    }
    try section(object, "stale") { fields in
      try fields.duration("hold") { safety.staleHoldNanoseconds = $0 }
      try fields.duration("trip") { safety.staleTripNanoseconds = $0 }
    }
    try section(object, "readBack") { fields in
      try fields.number("tolerance", in: 0...2) { safety.readBackTolerance = $0 }
      try fields.duration("persistence") { safety.readBackPersistenceNanoseconds = $0 }
    }
    try section(object, "timeCap") { fields in
      try fields.number("factor", in: 1...10) { safety.timeCapFactor = $0 }
      try fields.duration("limit") { safety.timeCapNanoseconds = $0 }
    }
    try section(object, "doseCap") { fields in
      if let item = fields.optional("enabled") { safety.doseCapEnabled = try item.bool() }
      try fields.number("factor", in: 1...10) { safety.doseCapFactor = $0 }
      try fields.number("planMinutes", in: 0...1e9) { safety.plannedDoseMinutes = $0 }
    }
    try section(object, "interlock") { fields in
      try fields.duration("contactPersistence") { safety.contactPersistenceNanoseconds = $0 }
      try fields.duration("coolantPersistence") { safety.coolantPersistenceNanoseconds = $0 }
    }
    try section(object, "overrun") { fields in
      if let item = fields.optional("limit") {
        safety.overrunLimit = Int(
          try item.integer(in: 0...Int64(OverrunWatchdog.capacity - 1)))
      }
      if let item = fields.optional("window") {
        safety.overrunWindowNanoseconds = try item.duration()
        guard safety.overrunWindowNanoseconds > 0 else {
          throw item.fail("the window must be longer than 0 s")
        }
      }
      if let item = fields.optional("stall") {
        safety.overrunStallNanoseconds = try item.duration()
        guard safety.overrunStallNanoseconds > 0 else {
          throw item.fail("the stall limit must be longer than 0 s")
        }
      }
    }
    try section(object, "modelMismatch") { fields in
      try fields.number("limit", in: 0...1e6) { safety.modelMismatchCelsius = $0 }
      try fields.duration("persistence") { safety.modelMismatchPersistenceNanoseconds = $0 }
    }
    try object.finish()
    return relaxations
  }

  private static let temperatureRange = -100.0...200.0

  /// Decodes an optional sub-object with `body`, refusing its unknown keys.
  private static func section(
    _ object: ObjectReader, _ key: String, _ body: (ObjectReader) throws -> Void
  ) throws {
    guard let node = object.optional(key) else { return }
    let fields = try node.object()
    try body(fields)
    try fields.finish()
  }

  package static func window(_ reader: JSONReader) throws -> TemperatureWindow {
    let object = try reader.object()
    let low = try object.required("low").number(in: temperatureRange)
    let high = try object.required("high").number(in: temperatureRange)
    try object.finish()
    guard low <= high else {
      throw reader.fail("low (\(format(low)) °C) is above high (\(format(high)) °C)")
    }
    return TemperatureWindow(lowCelsius: low, highCelsius: high)
  }

  private static func hardLimits(_ node: JSONReader, into safety: inout SafetyConfiguration) throws
  {
    // The mode's own hard limits stay: a profile's add to them.
    let elements = try node.array()
    let room = maximumLimitRules - safety.limitRuleCount
    guard elements.count <= room else {
      throw node.fail(
        "at most \(room) hard limits besides the mode's \(safety.limitRuleCount), found \(elements.count)"
      )
    }
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
}
