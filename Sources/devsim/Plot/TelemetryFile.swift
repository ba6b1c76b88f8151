import Foundation
import ThermalLoop

/// Reads a telemetry file that `devsim run -o` wrote (CSV or JSON Lines)
/// back into a ``RunSeries``, for `devsim plot`.
///
/// The file must carry the run's context (``TelemetryContext``: the `# run`
/// line of a CSV, the `run` member of a JSON Lines header), which devsim
/// writes since plots exist. ``Trace`` reads the same CSV for replay, but
/// only the readings and interlocks; a plot needs every column, so this
/// reader keeps its own column map. Bad input is a data error (65) naming
/// the file and line.
enum TelemetryFile {
  /// Reads `path`; JSON Lines when the first non-blank character is `{`, else CSV.
  static func load(_ path: String) throws(CommandError) -> RunSeries {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw CommandError(code: .ioError, message: "\(path): cannot read the telemetry file")
    }
    let text = String(decoding: data, as: UTF8.self)
    let isJSONLines = text.first { !$0.isWhitespace } == "{"
    return isJSONLines ? try jsonLines(text, path: path) : try csv(text, path: path)
  }

  private static func failure(_ path: String, _ line: Int, _ reason: String) -> CommandError {
    CommandError(code: .dataError, message: "\(path):\(line): \(reason)")
  }

  /// A number cell: empty, `nan` or `null` is NaN; anything else must parse.
  private static func number(_ cell: Substring, _ path: String, _ line: Int, _ column: String)
    throws(CommandError) -> Double
  {
    if cell.isEmpty || cell == "nan" || cell == "null" { return .nan }
    guard let value = Double(cell) else {
      throw failure(path, line, "bad number '\(cell)' in column \(column)")
    }
    return value
  }

  private static func context(_ json: Substring, _ path: String, _ line: Int)
    throws(CommandError) -> TelemetryContext
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

  private static func noContext(_ path: String) -> CommandError {
    CommandError(
      code: .dataError,
      message: "\(path): no run context (window, phases): not devsim telemetry, or written "
        + "by a devsim older than plots; run the profile again with -o")
  }

  private static func phase(
    _ name: Substring, _ context: TelemetryContext, _ path: String, _ line: Int
  ) throws(CommandError) -> Int {
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
  ) throws(CommandError) {
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

  private static func csv(_ text: String, path: String) throws(CommandError) -> RunSeries {
    var provenance = ""
    var context: TelemetryContext? = nil
    var series: RunSeries? = nil
    var header: [Substring] = []
    struct Columns {
      var time = 0, phase = 0, target = 0, sensors: [Int] = [], controller = 0, sent = 0
      var readBack: Int? = nil, dose: Int? = nil, trip = 0
    }
    var columns = Columns()
    for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let number = offset + 1
      let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      if line.isEmpty { continue }
      if line.hasPrefix("# run ") {
        context = try self.context(line.dropFirst(6), path, number)
        continue
      }
      if line.hasPrefix("# devsim ") { provenance = String(line.dropFirst(2)) }
      if line.hasPrefix("#") { continue }
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
      guard var built = series.take() else {
        guard let context else { throw noContext(path) }
        header = cells
        func column(_ name: String) throws(CommandError) -> Int {
          guard let index = cells.firstIndex(where: { $0 == name }) else {
            throw failure(path, number, "no column \(name)")
          }
          return index
        }
        var names: [String] = []
        for (index, cell) in cells.enumerated() where cell.hasSuffix("_degC") {
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
        columns.readBack = cells.firstIndex { $0 == "readback_fraction" }
        columns.dose = cells.firstIndex { $0 == "dose_min" }
        series = RunSeries(context: context, provenance: provenance, sensorNames: names)
        continue
      }
      guard cells.count == header.count else {
        throw failure(path, number, "\(cells.count) cells, the header has \(header.count)")
      }
      var celsius: [Double] = []
      celsius.reserveCapacity(columns.sensors.count)
      for index in columns.sensors {
        celsius.append(try self.number(cells[index], path, number, String(header[index])))
      }
      try append(
        &built, seconds: try self.number(cells[columns.time], path, number, "time_s"),
        phase: try phase(cells[columns.phase], built.context, path, number),
        target: try self.number(cells[columns.target], path, number, "target_degC"),
        celsius: celsius,
        controller: try self.number(
          cells[columns.controller], path, number, "controller_command_fraction"),
        sent: try self.number(cells[columns.sent], path, number, "sent_command_fraction"),
        readBack: try columns.readBack.map { index throws(CommandError) in
          try self.number(cells[index], path, number, "readback_fraction")
        } ?? .nan,
        dose: try columns.dose.map { index throws(CommandError) in
          try self.number(cells[index], path, number, "dose_min")
        } ?? .nan,
        trip: String(cells[columns.trip]), path, number)
      series = built
    }
    guard let series, series.count > 0 else {
      if context == nil { throw noContext(path) }
      throw CommandError(code: .dataError, message: "\(path): no rows")
    }
    return series
  }

  private static func jsonLines(_ text: String, path: String) throws(CommandError) -> RunSeries {
    var series: RunSeries? = nil
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
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
      func value(_ key: String) throws(CommandError) -> Double {
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
      throw CommandError(code: .dataError, message: "\(path): no rows")
    }
    return series
  }
}
