import ApplicatorHAL
import Foundation

/// A recorded trace: per row, a time, one reading per sensor, and (when
/// recorded) the interlocks and the power stage's read-back.
///
/// Two CSV forms are read: devsim's own telemetry (`devsim run -o`), and a
/// minimal form other tools can write: a header with `time_s` and one
/// `<sensor>_degC` column per sensor, optionally `<sensor>_status`
/// (`new`, `repeated`, `absent`, `fault:<kind>`), `readback_fraction`,
/// `contact_bool`, `coolant_bool`, `sent_command_fraction`; lines starting
/// with `#` are comments; lines end in LF or CRLF.
///
/// The reader is strict, and every refusal names the line and the column:
///
/// - numbers are written in one decimal form, `-?digits[.digits][e[-+]digits]`
///   (no `+`, no hex, no `inf`, nothing after the number);
/// - an empty reading or `nan` is a failed read of that sensor; an empty or
///   `nan` read-back is a failed read-back (the replayed power stage reports a
///   fault);
/// - a boolean is `1`, `0`, `true` or `false`, nothing else.
///
/// Read-back is replayed as the recorded error (read-back minus the recorded
/// command) on top of the replayed command, so it needs both columns.
package struct Trace {
  package struct Row {
    package var nanoseconds: UInt64
    package var readings: [SensorReading]
    package var interlocks: Interlocks
    /// How far the recorded read-back was from the recorded command
    /// (fraction of full scale), when the trace has both.
    package var readBackError: Double?
    /// Whether the recorded read-back failed (an empty cell or `nan`).
    package var readBackFailed = false
  }

  package var rows: [Row]

  /// The booleans a trace may hold, and their values.
  package static let booleans: [(String, Bool)] = [
    ("1", true), ("0", false), ("true", true), ("false", false),
  ]

  /// Reads a trace for the given sensor names (in profile order); at most
  /// ``InputFile/maximumRecordingBytes``.
  package static func load(_ path: String, sensors: [String]) throws(KitError) -> Trace {
    try parse(
      InputFile.read(path, maximumBytes: InputFile.maximumRecordingBytes), path: path,
      sensors: sensors)
  }

  /// Parses the bytes of a trace read from `path` (named in errors).
  package static func parse(_ data: [UInt8], path: String, sensors: [String]) throws(KitError)
    -> Trace
  {
    var header: [String]? = nil
    var rows: [Row] = []
    var columns:
      (
        time: Int, values: [Int], statuses: [Int?], readBack: Int?, command: Int?, contact: Int?,
        coolant: Int?
      )? = nil
    var lastTime: UInt64? = nil
    var number = 0
    var lineStart = 0
    while lineStart < data.count {
      number += 1
      var lineEnd = lineStart
      while lineEnd < data.count && data[lineEnd] != 0x0A { lineEnd += 1 }
      let next = lineEnd + 1
      if lineEnd > lineStart && data[lineEnd - 1] == 0x0D { lineEnd -= 1 }
      defer { lineStart = next }
      let line = data[lineStart..<lineEnd]
      if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
      let cells = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
      func fail(_ column: Int, _ reason: String) -> KitError {
        .invalid("\(path):\(number): column \(column + 1) (\(header?[column] ?? "?")): \(reason)")
      }
      guard let names = header else {
        header = cells
        guard let time = cells.firstIndex(of: "time_s") else {
          throw KitError.invalid("\(path):\(number): no time_s column")
        }
        var values: [Int] = []
        for sensor in sensors {
          guard let column = cells.firstIndex(of: "\(sensor)_degC") else {
            throw KitError.invalid(
              "\(path):\(number): no column \(sensor)_degC for sensor \(sensor)")
          }
          values.append(column)
        }
        columns = (
          time, values, sensors.map { cells.firstIndex(of: "\($0)_status") },
          cells.firstIndex(of: "readback_fraction"), cells.firstIndex(of: "sent_command_fraction"),
          cells.firstIndex(of: "contact_bool"),
          cells.firstIndex(of: "coolant_bool")
        )
        continue
      }
      guard let columns, cells.count == names.count else {
        throw KitError.invalid(
          "\(path):\(number): \(cells.count) cells, the header has \(names.count)")
      }
      guard let seconds = decimal(cells[columns.time]), seconds >= 0, seconds <= 1e7 else {
        throw fail(columns.time, "bad time '\(cells[columns.time])' (seconds, 0 … 10^7)")
      }
      let time = UInt64((seconds * 1e9).rounded())
      if let lastTime, time <= lastTime {
        // devsim's own telemetry ends with a repeat of the last tick in the finished state.
        if time == lastTime { continue }
        throw fail(columns.time, "time goes backwards")
      }
      lastTime = time
      var readings: [SensorReading] = []
      for (index, column) in columns.values.enumerated() {
        var isNew = true
        var failed = false
        if let statusColumn = columns.statuses[index] {
          let status = cells[statusColumn]
          switch status {
          case "new", "": break
          case "repeated": isNew = false
          case "absent": failed = true
          default:
            guard status.hasPrefix("fault:"),
              FaultKind.allCases.contains(where: { "fault:\($0.name)" == status })
            else {
              throw fail(
                statusColumn,
                "bad status '\(status)' (new, repeated, absent or fault:<kind>)")
            }
            failed = true
          }
        }
        let cell = cells[column]
        if failed || cell.isEmpty || cell == "nan" {
          readings.append(.fault(.noData))
          continue
        }
        guard let value = decimal(cell) else {
          throw fail(column, "bad reading '\(cell)' (a decimal number, empty or nan)")
        }
        readings.append(
          .sample(TemperatureSample(celsius: value, timestampNanoseconds: time, isNew: isNew)))
      }
      func flag(_ column: Int?) throws(KitError) -> Bool {
        guard let column else { return true }
        guard let value = booleans.first(where: { $0.0 == cells[column] })?.1 else {
          throw fail(column, "bad boolean '\(cells[column])' (1, 0, true or false)")
        }
        return value
      }
      var row = Row(
        nanoseconds: time, readings: readings,
        interlocks: Interlocks(
          contactMade: try flag(columns.contact), coolantFlowing: try flag(columns.coolant)),
        readBackError: nil)
      if let column = columns.readBack, let commandColumn = columns.command {
        guard let command = decimal(cells[commandColumn]) else {
          throw fail(commandColumn, "bad command '\(cells[commandColumn])' (a decimal number)")
        }
        let cell = cells[column]
        if cell.isEmpty || cell == "nan" {
          row.readBackFailed = true
        } else if let value = decimal(cell) {
          row.readBackError = value - command
        } else {
          throw fail(column, "bad read-back '\(cell)' (a decimal number, empty or nan)")
        }
      }
      rows.append(row)
    }
    guard !rows.isEmpty else { throw KitError.invalid("\(path): no rows") }
    // A read-back column without a single number was recorded from a stage
    // that has no read-back (devsim writes `nan` for it every tick): the
    // replayed stage has none either. Where some rows have numbers, an
    // empty or `nan` cell is a failed read-back.
    if !rows.contains(where: { $0.readBackError != nil }) {
      for index in rows.indices { rows[index].readBackFailed = false }
    }
    return Trace(rows: rows)
  }

  /// A finite number in the trace's one decimal form,
  /// `-?digits[.digits][(e|E)[-+]digits]`; `nil` for anything else.
  package static func decimal(_ text: String) -> Double? {
    var utf8 = Array(text.utf8)[...]
    if utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
    func digits(_ rest: inout ArraySlice<UInt8>) -> Int {
      let count = rest.prefix { (0x30...0x39).contains($0) }.count
      rest = rest.dropFirst(count)
      return count
    }
    guard digits(&utf8) > 0 else { return nil }
    if utf8.first == UInt8(ascii: ".") {
      utf8 = utf8.dropFirst()
      guard digits(&utf8) > 0 else { return nil }
    }
    if utf8.first == UInt8(ascii: "e") || utf8.first == UInt8(ascii: "E") {
      utf8 = utf8.dropFirst()
      if utf8.first == UInt8(ascii: "-") || utf8.first == UInt8(ascii: "+") {
        utf8 = utf8.dropFirst()
      }
      guard digits(&utf8) > 0 else { return nil }
    }
    guard utf8.isEmpty, let value = Double(text), value.isFinite else { return nil }
    return value
  }
}
