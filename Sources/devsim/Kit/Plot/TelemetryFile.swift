import Foundation

/// Reads a telemetry file that `devsim run -o` wrote (CSV or JSON Lines), or
/// a recorded trace (``Trace``'s CSV forms), back into a ``RunSeries``, for
/// `devsim plot`.
///
/// A telemetry file carries the run's context (``TelemetryContext``: the
/// `# run` line of a CSV, the `run` member of a JSON Lines header), which
/// devsim writes since plots exist. A trace has none: its window, control
/// sensor and phases come from a profile the caller gives, and of the
/// telemetry's columns it needs only `time_s` and one `<sensor>_degC` per
/// sensor (a missing phase column leaves the phases unrecorded, missing
/// commands undrawn). ``Trace`` reads the same CSV for replay, but only the
/// readings and interlocks; a plot needs every column, so this reader keeps
/// its own column map. A long file is thinned as it is read
/// (``StreamingThinner``). A file cut short (its last line without a line
/// end, as a run stopped mid-write leaves it) is read up to its last whole
/// row, with a warning. A missing or unreadable file is an
/// ``InputFileError``; bad content a ``DataError`` naming the file and line.
package enum TelemetryFile {
  /// A file read back: the series, and what the reader had to warn about.
  package struct Reading {
    package var series: RunSeries
    /// Warnings, each naming the file and line (a row cut short).
    package var warnings: [String] = []
    /// Whether the context is the caller's (the file carries none).
    package var contextFromCaller = false
  }

  /// Reads `path`; JSON Lines when the first non-blank character is `{`, else CSV.
  package static func load(_ path: String) throws(KitError) -> RunSeries {
    try read(path, context: nil).series
  }

  /// Reads `path`, with `context` for a file that carries none (a trace).
  package static func read(_ path: String, context: TelemetryContext?) throws(KitError) -> Reading {
    try parseReading(
      InputFile.read(path, maximumBytes: InputFile.maximumRecordingBytes), path: path,
      context: context)
  }

  /// Parses the bytes of a telemetry file read from `path` (named in errors).
  package static func parse(_ bytes: [UInt8], path: String) throws(KitError) -> RunSeries {
    try parseReading(bytes, path: path, context: nil).series
  }

  /// Parses the bytes of a telemetry file or trace read from `path`, with
  /// `context` for a file that carries none.
  package static func parseReading(_ bytes: [UInt8], path: String, context: TelemetryContext?)
    throws(KitError) -> Reading
  {
    let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    if first == UInt8(ascii: "{") {
      return try jsonLines(bytes, path: path)
    }
    return try csv(bytes, path: path, fallback: context)
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
      "\(path): no run context (window, phases): a trace, or telemetry written by a devsim "
        + "older than plots; give the profile it belongs to (--profile), or run the profile "
        + "again with -o")
  }

  /// The warning for a last line cut short, read up to the row before it.
  private static func cutShort(_ path: String, _ line: Int, _ detail: String) -> String {
    "\(path):\(line): the last line is cut short (\(detail)); read up to the last whole row"
      + " (line \(line - 1))"
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
  private static func csv(_ data: [UInt8], path: String, fallback: TelemetryContext?)
    throws(KitError) -> Reading
  {
    try data.withUnsafeBufferPointer { (bytes) throws(KitError) -> Reading in
      var provenance = ""
      var context: TelemetryContext? = nil
      var series: RunSeries? = nil
      var warnings: [String] = []
      var thinner = StreamingThinner()
      var header: [Substring] = []
      var phaseNames: [[UInt8]] = []
      struct Columns {
        var time = 0, phase: Int? = nil, target: Int? = nil, sensors: [Int] = []
        var controller: Int? = nil, sent: Int? = nil, readBack: Int? = nil, dose: Int? = nil
        var trip: Int? = nil
      }
      var columns = Columns()
      var cells: [Range<Int>] = []
      var lineStart = 0
      var number = 0
      while lineStart < bytes.count {
        number += 1
        var lineEnd = lineStart
        while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
        let unterminated = lineEnd == bytes.count
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
          guard let context = context ?? fallback else { throw noContext(path) }
          let line = String(decoding: row, as: UTF8.self)
          header = pieces(line[...], at: UInt8(ascii: ","))
          guard let time = header.firstIndex(where: { $0 == "time_s" }) else {
            throw failure(path, number, "no column time_s")
          }
          func optional(_ name: String) -> Int? { header.firstIndex { $0 == name } }
          var names: [String] = []
          for (index, cell) in header.enumerated() where cell.hasSuffix("_degC") {
            guard cell != "target_degC", cell != "setpoint_degC" else { continue }
            names.append(String(cell.dropLast(5)))
            columns.sensors.append(index)
          }
          columns.time = time
          columns.phase = optional("phase")
          columns.target = optional("target_degC")
          columns.controller = optional("controller_command_fraction")
          columns.sent = optional("sent_command_fraction")
          columns.trip = optional("trip")
          columns.readBack = optional("readback_fraction")
          columns.dose = optional("dose_min")
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
        // A last line without its line end: devsim ends every row with one,
        // so in its telemetry such a line is a row cut short, whatever it holds.
        if unterminated && (cells.count != header.count || !provenance.isEmpty || context != nil) {
          warnings.append(
            cutShort(
              path, number,
              cells.count == header.count
                ? "no line end" : "\(cells.count) of \(header.count) cells, no line end"))
          series = built
          break
        }
        guard cells.count == header.count else {
          throw failure(path, number, "\(cells.count) cells, the header has \(header.count)")
        }
        func value(_ column: Int?) throws(KitError) -> Double {
          guard let column else { return .nan }
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
        // Without a phase column the phases are not recorded: an index past them.
        var phase = phaseNames.count
        if let column = columns.phase {
          let phaseCell = row[cells[column]]
          guard let index = phaseNames.firstIndex(where: { $0.elementsEqual(phaseCell) }) else {
            throw failure(
              path, number,
              "unknown phase '\(String(decoding: UnsafeBufferPointer(rebasing: phaseCell), as: UTF8.self))'"
            )
          }
          phase = index
        }
        let trip =
          columns.trip.map {
            String(decoding: UnsafeBufferPointer(rebasing: row[cells[$0]]), as: UTF8.self)
          } ?? ""
        try append(
          &built, seconds: try value(columns.time), phase: phase, target: try value(columns.target),
          celsius: celsius, controller: try value(columns.controller),
          sent: try value(columns.sent), readBack: try value(columns.readBack),
          dose: try value(columns.dose), trip: trip, path, number)
        thinner.didAppend(&built)
        series = built
      }
      guard let series, series.count > 0 else {
        if context == nil && fallback == nil { throw noContext(path) }
        throw KitError.invalid("\(path): no rows")
      }
      return Reading(series: series, warnings: warnings, contextFromCaller: context == nil)
    }
  }

  private static func jsonLines(_ bytes: [UInt8], path: String) throws(KitError) -> Reading {
    let text = String(decoding: bytes, as: UTF8.self)
    var series: RunSeries? = nil
    var warnings: [String] = []
    var thinner = StreamingThinner()
    let lines = pieces(text[...], at: UInt8(ascii: "\n"))
    for (offset, line) in lines.enumerated() {
      let number = offset + 1
      if line.allSatisfy(\.isWhitespace) { continue }
      let node: JSONNode
      do throws(JSONSyntaxError) {
        node = try JSONParser.parse(Array(line.utf8))
      } catch {
        // A last line without its line end that is not whole JSON: a row cut short.
        if offset == lines.count - 1, let built = series, built.count > 0 {
          warnings.append(cutShort(path, number, "not whole JSON, no line end"))
          break
        }
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
          // Exactly: a seed outside UInt64 (or not whole) would trap the conversion.
          guard let whole = UInt64(exactly: seed) else {
            throw failure(path, number, "the seed is not a whole number from 0 to 2^64 - 1")
          }
          provenance += " seed=\(whole)"
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
      thinner.didAppend(&built)
      series = built
    }
    guard let series else { throw noContext(path) }
    guard series.count > 0 else {
      throw KitError.invalid("\(path): no rows")
    }
    return Reading(series: series, warnings: warnings)
  }
}
