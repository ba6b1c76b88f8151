/// A profile read from disk, with the hash of its exact bytes.
struct LoadedProfile {
  var path: String
  var profile: Profile
  var sha256: String
}

/// Reads and decodes profile files.
enum ProfileLoader {
  /// The largest profile file accepted, bytes.
  static let maximumBytes = 4 << 20

  static func load(_ path: String) throws(CommandError) -> LoadedProfile {
    try JSONFile.load(path, maximumBytes: maximumBytes) { bytes in
      LoadedProfile(
        path: path, profile: try ProfileDecoder.decode(bytes, file: path),
        sha256: SHA256.hex(bytes))
    }
  }
}
