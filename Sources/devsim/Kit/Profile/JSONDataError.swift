/// The JSON reader's error: a document (a profile, a board file) whose
/// syntax or content cannot be used. Names the file, the line and the JSON path.
package struct JSONDataError: Error, CustomStringConvertible {
  /// The document's path as given.
  package var file: String
  /// The line the offending value starts on, when known.
  package var line: Int?
  /// The JSON path of the offending value, e.g. `$.phases[0].duration`.
  package var path: String
  /// Why it was refused.
  package var reason: String

  package var description: String {
    let location = line.map { "\(file):\($0)" } ?? file
    return path.isEmpty ? "\(location): \(reason)" : "\(location): \(path): \(reason)"
  }
}
