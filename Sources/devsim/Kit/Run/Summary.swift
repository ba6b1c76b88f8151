import ThermalLoop

/// The human-readable summary `devsim run` prints.
package enum Summary {
  /// `m:ss.s` for a time since the run start.
  package static func clock(_ nanoseconds: UInt64) -> String {
    // Rounded to the nearest tenth without overflowing near UInt64.max.
    let tenths = nanoseconds / 100_000_000 + (nanoseconds % 100_000_000 >= 50_000_000 ? 1 : 0)
    let minutes = tenths / 600
    let seconds = tenths % 600
    let whole = String(seconds / 10)
    return "\(minutes):\(whole.count < 2 ? "0" + whole : whole).\(seconds % 10)"
  }

  /// Seconds with three decimals and a unit.
  package static func seconds(_ nanoseconds: UInt64) -> String {
    DecimalText.string(Double(nanoseconds) * 1e-9, decimals: 3) + " s"
  }

  /// A fraction as a percentage with two decimals.
  package static func percent(_ fraction: Double) -> String {
    DecimalText.string(fraction * 100, decimals: 2) + " %"
  }

  /// A temperature with two decimals and its unit.
  package static func celsius(_ value: Double) -> String {
    DecimalText.string(value, decimals: 2) + " °C"
  }

  private static func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  private static func leftPadded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }

  /// What a trip is about, in words.
  package static func subject(_ subject: TripSubject, _ profile: Profile) -> String {
    let name = { (index: Int) in index < profile.sensors.count ? profile.sensors[index].name : "?" }
    switch subject {
    case .none: return ""
    case .sensor(let index): return " on \(name(index))"
    case .sensorPair(let first, let second): return " between \(name(first)) and \(name(second))"
    case .interlock(.contact): return " (contact)"
    case .interlock(.coolant): return " (coolant flow)"
    case .interlock(.keySwitch): return " (key switch off)"
    case .interlocksUnreadable(let fault): return " (interlocks unreadable: \(fault.name))"
    case .powerStage: return " on the power stage"
    }
  }

  private static func readings(_ trip: TripRecord) -> String {
    let text = measurement(trip.measurement)
    return text.isEmpty ? "" : " (\(text))"
  }

  /// A trip's reading and limit in words, each with its unit: "reading
  /// 0.80 °C rise in 10 s, limit 0.50 °C"; empty when the trip carries no
  /// reading (an interlock, a refused write).
  package static func measurement(_ measurement: SafetyMeasurement) -> String {
    guard measurement.quantity != .none, measurement.value.isFinite else { return "" }
    let unit = "\(measurement.unit.symbol)"
    let number = { (value: Double) in DecimalText.string(value, decimals: 2) }
    let value = number(measurement.value) + (unit.isEmpty ? "" : " " + unit)
    let limit = number(measurement.limit) + (unit.isEmpty ? "" : " " + unit)
    let span = measurement.spanSeconds.map { span in
      span == span.rounded() && abs(span) < 1e15
        ? String(Int(span)) : DecimalText.string(span, decimals: 1)
    }
    switch measurement.quantity {
    case .none:
      return ""
    case .temperature, .output, .elapsed, .dose:
      return "reading \(value), limit \(limit)"
    case .difference:
      return "reading \(value) apart, limit \(limit)"
    case .slope:
      return "reading \(value)\(span.map { " over \($0) s" } ?? ""), limit \(limit)"
    case .rise:
      return "reading \(value) rise\(span.map { " in \($0) s" } ?? ""), limit \(limit)"
    case .unchanged:
      return "reading \(value) unchanged\(span.map { " for \($0) s" } ?? ""), "
        + "limit \(limit) resolution"
    case .age:
      return "reading \(value) without a new sample, limit \(limit)"
    case .unconfirmed:
      return "reading \(value) without a read-back that confirms the output, limit \(limit)"
    case .lateness:
      return "reading \(value) late, limit \(limit)"
    case .overruns:
      let count = { (value: Double) in
        value.isFinite && abs(value) < 1e15 ? String(Int(value)) : number(value)
      }
      return "reading \(count(measurement.value)) overruns"
        + "\(span.map { " in \($0) s" } ?? ""), limit \(count(measurement.limit))"
    }
  }

  /// Where the dose is counted when that is not in fat: a profile without a
  /// fat sensor has its dose taken at the control sensor (on the plate, for
  /// cryolipolysis), which the summary says; `nil` for a fat sensor.
  package static func doseSiteNote(_ profile: Profile) -> String? {
    let sensor = profile.sensors[profile.doseIndex]
    guard sensor.descriptor.site != .fat else { return nil }
    let hasFat = profile.sensors.contains { $0.descriptor.site == .fat }
    let site: String
    switch sensor.descriptor.site {
    case .plate: site = "on the plate"
    case .hotSide: site = "on the hot side"
    case .skin: site = "on the skin"
    case .muscle: site = "in muscle"
    case .fat: site = "in fat"
    }
    return "the dose is counted at \(sensor.name), \(site), not in fat: "
      + (hasFat || profile.doseIndex != profile.controlIndex
        ? "the profile names it the dose sensor"
        : "the profile has no fat sensor, so the control sensor carries the dose")
  }

  /// Warnings about the simulated tissue (truth no probe sees): the skin's
  /// maximum at or beyond a hard limit of the profile's on the skin.
  package static func tissueWarnings(_ profile: Profile, _ outcome: RunOutcome) -> [String] {
    guard outcome.isSimulated, profile.mode == .laserLipolysis else { return [] }
    let skin = outcome.depthDose.skinMaximumCelsius
    var warnings: [String] = []
    for index in 0..<profile.safety.limitRuleCount {
      let rule = profile.safety.limitRules[index]
      guard rule.site == .skin, rule.tripsAbove, skin >= rule.thresholdCelsius else { continue }
      warnings.append(
        "the skin (tissue, not a probe) reached \(celsius(skin)), at or above the hard limit "
          + "\(celsius(rule.thresholdCelsius)) on the skin")
    }
    return warnings
  }

  /// The whole summary.
  package static func render(
    profile: Profile, path: String, sha256: String, seed: UInt64, outcome: RunOutcome,
    failures: [String]
  ) -> String {
    var lines: [String] = []
    let modeName = profile.mode == .cryolipolysis ? "cryolipolysis" : "laser lipolysis"
    lines.append("devsim \(Version.string): \(profile.name) (\(modeName)), seed \(seed)")
    lines.append("profile \(path)  sha256 \(sha256)")
    for relaxation in profile.relaxations {
      lines.append(
        "WARNING: safety relaxed for this scenario: \(relaxation.field) (\(relaxation.reason))")
    }
    lines.append("")
    lines.append(
      "window \(celsius(profile.window.lowCelsius)) … \(celsius(profile.window.highCelsius)) "
        + "on sensor \(profile.sensors[profile.controlIndex].name)")
    lines.append("phases")
    for (index, phase) in profile.phases.enumerated() {
      let metrics = outcome.metrics.phases[index]
      let kind = phase.phase.kind == .treatment ? "treatment" : "transition"
      lines.append(
        "  \(padded(phase.name, 14)) \(padded(kind, 10)) setpoint \(leftPadded(celsius(phase.phase.setpointCelsius), 10))"
          + "  planned \(clock(phase.phase.durationNanoseconds))  ran \(clock(metrics.elapsedNanoseconds))"
      )
      guard phase.phase.kind == .treatment else { continue }
      guard let entry = metrics.firstEntryNanoseconds else {
        lines.append("      never entered the window")
        continue
      }
      let settling = metrics.settlingNanoseconds.map { clock($0) } ?? "not settled"
      lines.append(
        "      first entry \(clock(entry - metrics.startNanoseconds))"
          + "  time in window \(metrics.timeInWindowFraction.map { percent($0) } ?? "n/a")"
          + "  settling \(settling)  overshoot \(celsius(metrics.overshootCelsius))"
          + "  IAE \(DecimalText.string(metrics.integratedAbsoluteErrorCelsiusSeconds, decimals: 1)) °C·s"
      )
    }
    lines.append("sensors                 min        max")
    for (index, sensor) in profile.sensors.enumerated() {
      let low = outcome.metrics.minimumCelsius[index]
      let high = outcome.metrics.maximumCelsius[index]
      let range =
        low.isFinite
        ? "\(leftPadded(celsius(low), 10)) \(leftPadded(celsius(high), 10))"
        : "  no plausible reading"
      lines.append("  \(padded(sensor.name, 18))\(range)")
    }
    let doseSensor = profile.sensors[profile.doseIndex].name
    switch profile.mode {
    case .cryolipolysis:
      lines.append(
        "dose   \(DecimalText.string(outcome.metrics.minutesAtOrBelowLipidThreshold, decimals: 2)) min "
          + "at or below +10 °C at \(doseSensor)")
    case .laserLipolysis:
      lines.append(
        "dose   CEM43 \(DecimalText.string(outcome.metrics.cem43Minutes, decimals: 1)) min at \(doseSensor)"
      )
    }
    if let note = doseSiteNote(profile) { lines.append("       (\(note))") }
    let depth = outcome.depthDose
    if let trace = profile.replayPath {
      lines.append("replay \(trace): \(outcome.ticks) rows, open loop")
      if profile.isClosedLoop {
        // A trace holds readings, not the recording's controller state.
        lines.append(
          "       the controller starts at rest at \(clock(outcome.startNanoseconds)) (zero integral):"
            + " its commands are not the recording's until the integral settles")
      }
    }
    switch outcome.isSimulated ? profile.mode : nil {
    case .cryolipolysis:
      let front =
        depth.maximumFrontDepthMetres > 0
        ? "+10 °C front reached \(DecimalText.string(depth.maximumFrontDepthMetres * 1e3, decimals: 2)) mm"
          + " below the skin"
        : "no +10 °C front formed (the skin surface stayed above +10 °C)"
      lines.append(
        "depth  \(front) (skin \(DecimalText.string(profile.plant.skinThicknessMetres * 1e3, decimals: 1)) mm);"
          + " fat at or below +10 °C \(DecimalText.string(depth.fatMetreSecondsAtOrBelowThreshold * 1e3 / 60, decimals: 1)) mm·min;"
          + " skin surface below -0.5 °C \(DecimalText.string(depth.skinSecondsBelowFreezing / 60, decimals: 2)) min"
      )
    case .laserLipolysis:
      lines.append(
        "depth  skin maximum \(celsius(depth.skinMaximumCelsius)) (tissue, not a probe)")
      for warning in tissueWarnings(profile, outcome) { lines.append("WARNING: \(warning)") }
    case nil: break
    }
    if let freeze = outcome.freezeEventNanoseconds {
      lines.append("freeze event in the tissue at \(clock(freeze))")
    }
    for (index, fault) in profile.faults.enumerated() {
      let applied = index < outcome.faultInjections.count ? outcome.faultInjections[index] : nil
      lines.append(
        "fault  \(fault.label) "
          + (applied.map { "at \(clock($0))" } ?? "(its condition never came)"))
    }
    for trip in outcome.trips {
      lines.append("trip   \(trip.check.name)\(subject(trip.subject, profile))\(readings(trip))")
      lines.append(
        "       condition from \(clock(trip.conditionSinceNanoseconds)), detected \(clock(trip.detectedNanoseconds)), "
          + (trip.safeStateFault.map {
            "safe-off FAILED (\($0.name)) at \(clock(trip.safeStateNanoseconds)), re-asserted every tick"
          } ?? "safe state written \(clock(trip.safeStateNanoseconds))"))
      if let injected = outcome.firstInjectionNanoseconds {
        lines.append(
          "       reaction from injection \(seconds(ExpectationCheck.reactionNanoseconds(trip, origin: injected)))"
        )
      }
    }
    if outcome.trips.isEmpty { lines.append("trips  none") }
    for reset in outcome.resets {
      lines.append(
        "reset  at \(clock(reset.nanoseconds)): \(reset.accepted ? "accepted" : "refused")")
    }
    let ratio =
      outcome.wallSeconds > 0
      ? Double(outcome.simulatedNanoseconds) * 1e-9 / outcome.wallSeconds : 0
    lines.append(
      "time   simulated \(clock(outcome.simulatedNanoseconds)) in \(DecimalText.string(outcome.wallSeconds, decimals: 3)) s wall"
        + " (\(DecimalText.string(ratio, decimals: 0))× real time), \(outcome.ticks) ticks, "
        + "\(outcome.overruns) overruns, \(outcome.skippedPeriods) skipped periods")
    if outcome.isWallClock {
      lines.append("timing \(TimingReport.latenessLine(outcome.lateness))")
      if outcome.clockSpeed != 1 {
        lines.append(
          "       (loop time at \(DecimalText.string(outcome.clockSpeed, decimals: 2))× real time: "
            + "divide by the factor for wall time)")
      }
      lines.append(
        "       control thread: \(outcome.realTimePolicy?.description ?? "SCHED_OTHER, memory not locked")"
      )
      lines.append("       lateness histogram")
      lines += TimingReport.histogramLines(outcome.lateness).map { "     " + $0 }
    }
    if failures.isEmpty {
      lines.append("result PASS")
    } else {
      lines.append("result FAIL")
      for failure in failures { lines.append("  - \(failure)") }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
