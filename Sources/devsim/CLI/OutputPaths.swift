import Foundation

/// The outputs of one command must be distinct files, and none of them an
/// input of the same command: `-o run.csv --plot run.csv` would write one
/// over the other, `-o profile.json` would replace the profile. Checked
/// before anything is opened; a clash is a usage error (64).
enum OutputPaths {
  /// Refuses two outputs naming one file, or an output naming an input.
  /// Each entry is the option (or argument) and its path; `nil` paths are
  /// absent options.
  static func requireDistinct(
    outputs: [(option: String, path: String?)],
    inputs: [(option: String, path: String?)] = []
  ) throws(UsageError) {
    var seen: [(option: String, identity: String)] = []
    for input in inputs {
      guard let path = input.path else { continue }
      seen.append((input.option, identity(path)))
    }
    let inputCount = seen.count
    for output in outputs {
      guard let path = output.path else { continue }
      let key = identity(path)
      if let index = seen.firstIndex(where: { $0.identity == key }) {
        let other = seen[index].option
        throw UsageError(
          index < inputCount
            ? "\(output.option) \(path) would overwrite the input \(other)"
            : "\(output.option) and \(other) name the same file (\(path)); give each output its own path"
        )
      }
      seen.append((output.option, key))
    }
  }

  /// What names one file: `-` for standard output; the device and inode of
  /// an existing file (a link and its target, `a.csv` and `./a.csv` are
  /// one file); else the resolved directory plus the name.
  static func identity(_ path: String) -> String {
    if path == "-" { return "-" }
    var status = stat()
    if stat(path, &status) == 0 { return "inode \(status.st_dev):\(status.st_ino)" }
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent().path
    guard let resolved = realpath(directory, nil) else { return "path \(url.standardized.path)" }
    defer { free(resolved) }
    return "path \(String(cString: resolved))/\(url.lastPathComponent)"
  }
}
