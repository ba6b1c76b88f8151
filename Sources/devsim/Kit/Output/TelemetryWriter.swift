import ThermalLoop

/// The telemetry file formats.
package enum TelemetryFormat: String {
  /// Comma-separated values, one row per tick, a header naming every column with its unit.
  case csv
  /// JSON Lines: a metadata object, then one object per tick.
  case jsonl
}

/// What every telemetry file starts with, so a result traces back to what made it.
package struct TelemetryProvenance {
  /// Provenance from its parts.
  package init(toolVersion: String, seed: UInt64, profilePath: String, profileSHA256: String) {
    self.toolVersion = toolVersion
    self.seed = seed
    self.profilePath = profilePath
    self.profileSHA256 = profileSHA256
  }

  package var toolVersion: String
  package var seed: UInt64
  package var profilePath: String
  package var profileSHA256: String

  /// The provenance as the CSV's first line writes it, without the `# `.
  package var line: String {
    "devsim \(toolVersion) seed=\(seed) profile=\(profilePath) profile_sha256=\(profileSHA256)"
  }
}

/// A telemetry sink that renders records as CSV or JSON Lines.
///
/// With a file, rendered text is written out in chunks of about 1 MiB, so a
/// long run does not grow in memory, and the file appears only when
/// ``finish()`` commits it; without one, the text stays in ``bytes``.
package struct TelemetryWriter: TelemetrySink {
  package let format: TelemetryFormat
  private let sensorNames: [String]
  private let phaseNames: [String]
  private let file: AtomicFile?
  private static let chunkBytes = 1 << 20
  /// The rendered text not yet written to the file (all of it, without a file).
  package private(set) var bytes: [UInt8] = []

  package init(
    format: TelemetryFormat, provenance: TelemetryProvenance, profile: Profile,
    file: AtomicFile? = nil
  ) {
    self.init(
      format: format, provenance: provenance, context: TelemetryContext(profile: profile),
      sensorNames: profile.sensors.map(\.name), file: file)
  }

  /// A writer for a run described by its context and sensor names (no profile needed).
  package init(
    format: TelemetryFormat, provenance: TelemetryProvenance, context: TelemetryContext,
    sensorNames: [String], file: AtomicFile? = nil
  ) {
    self.format = format
    self.file = file
    self.sensorNames = sensorNames
    phaseNames = context.phases.map(\.name)
    bytes.reserveCapacity(TelemetryWriter.chunkBytes + 4096)
    switch format {
    case .csv:
      append("# \(provenance.line)\n")
      append("# run \(context.json)\n")
      var columns = ["time_s", "phase", "target_degC", "setpoint_degC"]
      for name in sensorNames { columns += ["\(name)_degC", "\(name)_status"] }
      columns += [
        "controller_command_fraction", "sent_command_fraction", "enable_bool", "readback_fraction",
        "contact_bool", "coolant_bool", "state", "trip", "dose_min", "lateness_us",
        "skipped_periods",
      ]
      append(columns.joined(separator: ",") + "\n")
    case .jsonl:
      append(
        "{\"devsim\":\(JSONText.quoted(provenance.toolVersion)),\"seed\":\(provenance.seed),"
          + "\"profile\":\(JSONText.quoted(provenance.profilePath)),"
          + "\"profile_sha256\":\"\(provenance.profileSHA256)\","
          + "\"run\":\(context.json)}\n")
    }
  }

  private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

  private mutating func number(_ value: Double, _ decimals: Int) {
    if format == .jsonl && !value.isFinite {
      append("null")
    } else {
      DecimalText.append(value, decimals: decimals, to: &bytes)
    }
  }

  /// Writes what is left and puts the file in place.
  package mutating func finish() throws(OutputFileError) {
    guard let file else { return }
    file.append(bytes)
    bytes.removeAll()
    try file.commit()
  }

  package mutating func consume(_ record: TelemetryRecord) {
    defer {
      if let file, bytes.count >= TelemetryWriter.chunkBytes {
        file.append(bytes)
        bytes.removeAll(keepingCapacity: true)
      }
    }
    let phase = record.phaseIndex < phaseNames.count ? phaseNames[record.phaseIndex] : "?"
    let trip = record.trippedCheck.map { "\($0.name)" } ?? ""
    switch format {
    case .csv:
      number(Double(record.timeNanoseconds) * 1e-9, 3)
      append(",\(phase),")
      number(record.targetCelsius, 3)
      append(",")
      number(record.workingSetpointCelsius, 3)
      for index in 0..<record.sensorCount {
        append(",")
        number(record.celsius[index], 3)
        append(",\(record.status[index].name)")
      }
      append(",")
      number(record.controllerCommand, 4)
      append(",")
      number(record.sentCommand, 4)
      append(record.enabled ? ",1," : ",0,")
      number(record.readBack, 4)
      append(record.interlocks.contactMade ? ",1" : ",0")
      append(record.interlocks.coolantFlowing ? ",1" : ",0")
      append(",\(record.state.name),\(trip),")
      number(record.doseMinutes, 4)
      append(",")
      number(Double(record.latenessNanoseconds) * 1e-3, 1)
      append(",\(record.skippedPeriods)\n")
    case .jsonl:
      append("{\"time_s\":")
      number(Double(record.timeNanoseconds) * 1e-9, 3)
      append(",\"phase\":\(JSONText.quoted(phase)),\"target_degC\":")
      number(record.targetCelsius, 3)
      append(",\"setpoint_degC\":")
      number(record.workingSetpointCelsius, 3)
      append(",\"sensors\":{")
      for index in 0..<record.sensorCount {
        if index > 0 { append(",") }
        append("\(JSONText.quoted(sensorNames[index])):{\"degC\":")
        number(record.celsius[index], 3)
        append(",\"status\":\"\(record.status[index].name)\"}")
      }
      append("},\"controller_command_fraction\":")
      number(record.controllerCommand, 4)
      append(",\"sent_command_fraction\":")
      number(record.sentCommand, 4)
      append(",\"enable\":\(record.enabled),\"readback_fraction\":")
      number(record.readBack, 4)
      append(
        ",\"contact\":\(record.interlocks.contactMade),\"coolant\":\(record.interlocks.coolantFlowing)"
      )
      append(",\"state\":\"\(record.state.name)\",\"trip\":")
      append(trip.isEmpty ? "null" : "\"\(trip)\"")
      append(",\"dose_min\":")
      number(record.doseMinutes, 4)
      append(",\"lateness_us\":")
      number(Double(record.latenessNanoseconds) * 1e-3, 1)
      append(",\"skipped_periods\":\(record.skippedPeriods)}\n")
    }
  }
}

extension SampleStatus {
  /// The status as written in telemetry: `new`, `repeated`, `absent` or `fault:<kind>`.
  package var name: String {
    switch self {
    case .new: "new"
    case .repeated: "repeated"
    case .absent: "absent"
    case .failed(let kind): "fault:\(kind.name)"
    }
  }
}

extension LoopState {
  /// The state as written in telemetry.
  package var name: String {
    switch self {
    case .running: "running"
    case .holding: "holding"
    case .tripped: "tripped"
    case .finished: "finished"
    }
  }
}

/// JSON string quoting for the few strings devsim writes.
package enum JSONText {
  package static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case let c where c.value < 0x20:
        let hex = String(c.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
