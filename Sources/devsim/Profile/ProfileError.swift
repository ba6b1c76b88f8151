/// A profile that cannot be used: names the file, the line and the JSON path.
struct ProfileError: Error, CustomStringConvertible {
  /// The profile's path as given.
  var file: String
  /// The line the offending value starts on, when known.
  var line: Int?
  /// The JSON path of the offending value, e.g. `$.phases[0].duration`.
  var path: String
  /// Why it was refused.
  var reason: String

  var description: String {
    let location = line.map { "\(file):\($0)" } ?? file
    return path.isEmpty ? "\(location): \(reason)" : "\(location): \(path): \(reason)"
  }
}
