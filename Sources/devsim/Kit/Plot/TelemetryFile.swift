import Foundation

/// Reads a telemetry file that `devsim run -o` wrote (CSV or JSON Lines)
/// back into a ``RunSeries``, for `devsim plot`.
///
/// The file must carry the run's context (``TelemetryContext``: the `# run`
/// line of a CSV, the `run` member of a JSON Lines header), which devsim
/// writes since plots exist. ``Trace`` reads the same CSV for replay, but
/// only the readings and interlocks; a plot needs every column, so this
/// reader keeps its own column map. A missing or unreadable file is an
/// ``InputFileError``; bad content a ``DataError`` naming the file and line.
package enum TelemetryFile {
  /// Reads `path`; JSON Lines when the first non-blank character is `{`, else CSV.
  package static func load(_ path: String) throws(KitError) -> RunSeries {
    try parse(InputFile.read(path, maximumBytes: InputFile.maximumRecordingBytes), path: path)
  }

  /// Parses the bytes of a telemetry file read from `path` (named in errors).
  package static func parse(_ bytes: [UInt8], path: String) throws(KitError) -> RunSeries {
    let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    if first == UInt8(ascii: "{") {
      return try jsonLines(String(decoding: bytes, as: UTF8.self), path: path)
    }
    return try csv(bytes, path: path)
  }

  /// `text` cut at every `separator` byte (an ASCII character), empty pieces
  /// kept. Works on UTF-8 bytes: much faster than splitting by `Character`,
  /// which a 36,000-row file would spend most of its reading time on.
  package static func pieces(_ text: Substring, at separator: UInt8) -> [Substring] {
    let utf8 = text.utf8
    let offsets =
      utf8.withContiguousStorageIfAvailable { bytes in
        bytes.indices.filter { bytes[$0] == separator }
      } ?? Array(utf8.enumerated().filter { $0.element == separator }.map(\.offset))
    var result: [Substring] = []
    result.reserveCapacity(offsets.count + 1)
    var start = utf8.startIndex
    var consumed = 0
    for offset in offsets {
      let cut = utf8.index(start, offsetBy: offset - consumed)
      result.append(text[start..<cut])
      start = utf8.index(after: cut)
      consumed = offset + 1
    }
    result.append(text[start..<utf8.endIndex])
    return result
  }

  /// `[-]digits[.digits]`, the form devsim writes numbers in, parsed exactly
  /// (one correctly rounded division, as `strtod` gives); `nil` for any other
  /// form, which the caller hands to `Double(_:)`.
  package static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    var index = 0
    let negative = bytes.first == UInt8(ascii: "-")
    if negative { index = 1 }
    var mantissa: UInt64 = 0
    var digits = 0
    var decimals = 0
    var seenPoint = false
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: ".") && !seenPoint {
        seenPoint = true
      } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
        digits += 1
        if seenPoint { decimals += 1 }
        if digits > 15 { return nil }
      } else {
        return nil
      }
      index += 1
    }
    guard digits > 0 else { return nil }
    let powers: [Double] = [
      1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ]
    let value = Double(mantissa) / powers[decimals]
    return negative ? -value : value
  }

  private static func failure(_ path: String, _ line: Int, _ reason: String) -> KitError {
    KitError.invalid("\(path):\(line): \(reason)")
  }

  private static func context(_ json: Substring, _ path: String, _ line: Int)
    throws(KitError) -> TelemetryContext
  {
    let node: JSONNode
    do throws(JSONSyntaxError) {
      node = try JSONParser.parse(Array(json.utf8))
    } catch {
      throw failure(path, line, "the run context is not JSON: \(error.message)")
    }
    guard let context = TelemetryContext(node) else {
      throw failure(path, line, "the run context lacks name, mode, window, sensors or phases")
    }
    return context
  }

  private static func noContext(_ path: String) -> KitError {
    KitError.invalid(
      "\(path): no run context (window, phases): not devsim telemetry, or written "
        + "by a devsim older than plots; run the profile again with -o")
  }

  private static func phase(
    _ name: Substring, _ context: TelemetryContext, _ path: String, _ line: Int
  ) throws(KitError) -> Int {
    guard let index = context.phases.firstIndex(where: { $0.name == name }) else {
      throw failure(path, line, "unknown phase '\(name)'")
    }
    return index
  }

  /// Appends one tick; a repeated time (the closing record of a run) is skipped.
  private static func append(
    _ series: inout RunSeries, seconds: Double, phase: Int, target: Double, celsius: [Double],
    controller: Double, sent: Double, readBack: Double, dose: Double, trip: String,
    _ path: String, _ line: Int
  ) throws(KitError) {
    guard seconds.isFinite, seconds >= 0 else { throw failure(path, line, "bad time") }
    if let last = series.seconds.last {
      if seconds == last { return }
      if seconds < last { throw failure(path, line, "time goes backwards") }
    }
    series.seconds.append(seconds)
    series.phaseIndex.append(phase)
    series.targetCelsius.append(target)
    for index in series.sensors.indices { series.sensors[index].celsius.append(celsius[index]) }
    series.controllerCommand.append(controller)
    series.sentCommand.append(sent)
    series.readBack.append(readBack)
    series.doseMinutes.append(dose)
    series.noteTrip(trip, atSeconds: seconds)
  }

  /// CSV, read on its bytes: rows are cut at `\n` and `,` and numbers parsed
  /// in place (``plainDecimal(_:)``), with no `String` made per cell; the
  /// comment lines and the header are read as text.
  private static func csv(_ data: [UInt8], path: String) throws(KitError) -> RunSeries {
    try data.withUnsafeBufferPointer { (bytes) throws(KitError) -> RunSeries in
      var provenance = ""
      var context: TelemetryContext? = nil
      var series: RunSeries? = nil
      var header: [Substring] = []
      var phaseNames: [[UInt8]] = []
      struct Columns {
        package var time = 0, phase = 0, target = 0, sensors: [Int] = [], controller = 0, sent = 0
        package var readBack: Int? = nil, dose: Int? = nil, trip = 0
      }
      var columns = Columns()
      var cells: [Range<Int>] = []
      var lineStart = 0
      var number = 0
      while lineStart < bytes.count {
        number += 1
        var lineEnd = lineStart
        while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        defer { lineStart = lineEnd + 1 }
        var end = lineEnd
        if end > lineStart && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        if end == lineStart { continue }
        let row = UnsafeBufferPointer(rebasing: bytes[lineStart..<end])
        if row[0] == UInt8(ascii: "#") {
          let line = String(decoding: row, as: UTF8.self)
          if line.hasPrefix("# run ") {
            context = try self.context(line.dropFirst(6), path, number)
          } else if line.hasPrefix("# devsim ") {
            provenance = String(line.dropFirst(2))
          }
          continue
        }
        guard var built = series.take() else {
          guard let context else { throw noContext(path) }
          let line = String(decoding: row, as: UTF8.self)
          header = pieces(line[...], at: UInt8(ascii: ","))
          func column(_ name: String) throws(KitError) -> Int {
            guard let index = header.firstIndex(where: { $0 == name }) else {
              throw failure(path, number, "no column \(name)")
            }
            return index
          }
          var names: [String] = []
          for (index, cell) in header.enumerated() where cell.hasSuffix("_degC") {
            guard cell != "target_degC", cell != "setpoint_degC" else { continue }
            names.append(String(cell.dropLast(5)))
            columns.sensors.append(index)
          }
          columns.time = try column("time_s")
          columns.phase = try column("phase")
          columns.target = try column("target_degC")
          columns.controller = try column("controller_command_fraction")
          columns.sent = try column("sent_command_fraction")
          columns.trip = try column("trip")
          columns.readBack = header.firstIndex { $0 == "readback_fraction" }
          columns.dose = header.firstIndex { $0 == "dose_min" }
          phaseNames = context.phases.map { Array($0.name.utf8) }
          series = RunSeries(context: context, provenance: provenance, sensorNames: names)
          continue
        }
        cells.removeAll(keepingCapacity: true)
        var cellStart = 0
        for index in 0..<row.count where row[index] == UInt8(ascii: ",") {
          cells.append(cellStart..<index)
          cellStart = index + 1
        }
        cells.append(cellStart..<row.count)
        guard cells.count == header.count else {
          throw failure(path, number, "\(cells.count) cells, the header has \(header.count)")
        }
        func value(_ column: Int) throws(KitError) -> Double {
          let cell = UnsafeBufferPointer(rebasing: row[cells[column]])
          if let value = plainDecimal(cell) { return value }
          let text = String(decoding: cell, as: UTF8.self)
          if text.isEmpty || text == "nan" || text == "null" { return .nan }
          guard let value = Double(text) else {
            throw failure(path, number, "bad number '\(text)' in column \(header[column])")
          }
          return value
        }
        var celsius: [Double] = []
        celsius.reserveCapacity(columns.sensors.count)
        for column in columns.sensors { celsius.append(try value(column)) }
        let phaseCell = row[cells[columns.phase]]
        guard let phase = phaseNames.firstIndex(where: { $0.elementsEqual(phaseCell) }) else {
          throw failure(
            path, number,
            "unknown phase '\(String(decoding: UnsafeBufferPointer(rebasing: phaseCell), as: UTF8.self))'"
          )
        }
        let tripCell = UnsafeBufferPointer(rebasing: row[cells[columns.trip]])
        try append(
          &built, seconds: try value(columns.time), phase: phase,
          target: try value(columns.target), celsius: celsius,
          controller: try value(columns.controller), sent: try value(columns.sent),
          readBack: try columns.readBack.map { column throws(KitError) in try value(column) }
            ?? .nan,
          dose: try columns.dose.map { column throws(KitError) in try value(column) } ?? .nan,
          trip: tripCell.isEmpty ? "" : String(decoding: tripCell, as: UTF8.self), path, number)
        series = built
      }
      guard let series, series.count > 0 else {
        if context == nil { throw noContext(path) }
        throw KitError.invalid("\(path): no rows")
      }
      return series
    }
  }

  private static func jsonLines(_ text: String, path: String) throws(KitError) -> RunSeries {
    var series: RunSeries? = nil
    for (offset, line) in pieces(text[...], at: UInt8(ascii: "\n")).enumerated() {
      let number = offset + 1
      if line.allSatisfy(\.isWhitespace) { continue }
      let node: JSONNode
      do throws(JSONSyntaxError) {
        node = try JSONParser.parse(Array(line.utf8))
      } catch {
        throw failure(path, number, "not JSON: \(error.message)")
      }
      guard case .object(let members) = node.value else {
        throw failure(path, number, "expected an object")
      }
      func member(_ key: String) -> JSONValue? { members.first { $0.key == key }?.node.value }
      guard var built = series.take() else {
        guard let runNode = members.first(where: { $0.key == "run" })?.node else {
          throw noContext(path)
        }
        guard let context = TelemetryContext(runNode) else {
          throw failure(path, number, "the run context lacks name, mode, window, sensors or phases")
        }
        var provenance = "devsim"
        if case .string(let version)? = member("devsim") { provenance += " \(version)" }
        if case .number(let seed)? = member("seed") {
          provenance += " seed=\(UInt64(max(0, seed)))"
        }
        if case .string(let profile)? = member("profile") { provenance += " profile=\(profile)" }
        if case .string(let hash)? = member("profile_sha256") {
          provenance += " profile_sha256=\(hash)"
        }
        series = RunSeries(context: context, provenance: provenance, sensorNames: [])
        continue
      }
      func value(_ key: String) throws(KitError) -> Double {
        switch member(key) {
        case .number(let value)?: return value
        case .null?: return .nan
        default: throw failure(path, number, "no number \(key)")
        }
      }
      guard case .object(let sensorMembers)? = member("sensors") else {
        throw failure(path, number, "no sensors object")
      }
      if built.count == 0 && built.sensors.isEmpty {
        built.sensors = sensorMembers.map { RunSeries.Sensor(name: $0.key) }
      }
      guard sensorMembers.map(\.key) == built.sensors.map(\.name) else {
        throw failure(path, number, "the sensors differ from the first row's")
      }
      var celsius: [Double] = []
      for sensor in sensorMembers {
        guard case .object(let fields) = sensor.node.value else {
          throw failure(path, number, "sensor \(sensor.key) is not an object")
        }
        switch fields.first(where: { $0.key == "degC" })?.node.value {
        case .number(let reading)?: celsius.append(reading)
        case .null?: celsius.append(.nan)
        default: throw failure(path, number, "sensor \(sensor.key) has no degC")
        }
      }
      guard case .string(let phaseName)? = member("phase") else {
        throw failure(path, number, "no phase")
      }
      var trip = ""
      if case .string(let check)? = member("trip") { trip = check }
      try append(
        &built, seconds: try value("time_s"),
        phase: try phase(Substring(phaseName), built.context, path, number),
        target: try value("target_degC"), celsius: celsius,
        controller: try value("controller_command_fraction"),
        sent: try value("sent_command_fraction"), readBack: try value("readback_fraction"),
        dose: member("dose_min") == nil ? .nan : try value("dose_min"), trip: trip, path, number)
      series = built
    }
    guard let series else { throw noContext(path) }
    guard series.count > 0 else {
      throw KitError.invalid("\(path): no rows")
    }
    return series
  }
}
