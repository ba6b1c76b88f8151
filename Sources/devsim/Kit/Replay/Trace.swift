import ApplicatorHAL
import Foundation

/// A recorded trace: per row, a time, one reading per sensor, and (when
/// recorded) the interlocks and the power stage's read-back.
///
/// Two CSV forms are read: devsim's own telemetry (`devsim run -o`), and a
/// minimal form other tools can write: a header with `time_s` and one
/// `<sensor>_degC` column per sensor, optionally `<sensor>_status`
/// (`new`, `repeated`, `fault:<kind>`), `readback_fraction`, `contact_bool`,
/// `coolant_bool`, `sent_command_fraction`; lines starting with `#` are
/// comments; an empty cell or `nan` is a failed read. Read-back is replayed
/// as the recorded error (read-back minus the recorded command) on top of the
/// replayed command, so it needs both columns.
package struct Trace {
  package struct Row {
    package var nanoseconds: UInt64
    package var readings: [SensorReading]
    package var interlocks: Interlocks
    /// How far the recorded read-back was from the recorded command
    /// (fraction of full scale), when the trace has both.
    package var readBackError: Double?
  }

  package var rows: [Row]

  /// Reads a trace for the given sensor names (in profile order).
  package static func load(_ path: String, sensors: [String]) throws(KitError) -> Trace {
    let data = try InputFile.read(path)
    let text = String(decoding: data, as: UTF8.self)
    var header: [String]? = nil
    var rows: [Row] = []
    var columns:
      (
        time: Int, values: [Int], statuses: [Int?], readBack: Int?, command: Int?, contact: Int?,
        coolant: Int?
      )? = nil
    var lastTime: UInt64? = nil
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    {
      let number = offset + 1
      let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
      if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
      let cells = trimmed.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
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
      guard let seconds = Double(cells[columns.time]), seconds.isFinite, seconds >= 0,
        seconds <= 1e7
      else {
        throw KitError.invalid("\(path):\(number): bad time '\(cells[columns.time])'")
      }
      let time = UInt64((seconds * 1e9).rounded())
      if let lastTime, time <= lastTime {
        // devsim's own telemetry ends with a repeat of the last tick in the finished state.
        if time == lastTime { continue }
        throw KitError.invalid("\(path):\(number): time goes backwards")
      }
      lastTime = time
      var readings: [SensorReading] = []
      for (index, column) in columns.values.enumerated() {
        let status = columns.statuses[index].map { cells[$0] } ?? "new"
        let cell = cells[column]
        if status.hasPrefix("fault") || cell.isEmpty || cell == "nan" {
          readings.append(.fault(.noData))
          continue
        }
        guard let value = Double(cell), value.isFinite else {
          throw KitError.invalid("\(path):\(number): bad reading '\(cell)'")
        }
        readings.append(
          .sample(
            TemperatureSample(
              celsius: value, timestampNanoseconds: time, isNew: status != "repeated")))
      }
      func flag(_ column: Int?) -> Bool { column.map { cells[$0] != "0" } ?? true }
      var readBackError: Double? = nil
      if let column = columns.readBack, let commandColumn = columns.command,
        let value = Double(cells[column]), let command = Double(cells[commandColumn]),
        value.isFinite, command.isFinite
      {
        readBackError = value - command
      }
      rows.append(
        Row(
          nanoseconds: time, readings: readings,
          interlocks: Interlocks(
            contactMade: flag(columns.contact), coolantFlowing: flag(columns.coolant)),
          readBackError: readBackError))
    }
    guard !rows.isEmpty else { throw KitError.invalid("\(path): no rows") }
    return Trace(rows: rows)
  }
}
