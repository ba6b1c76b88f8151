/// A profile read from disk, with the hash of its exact bytes.
package struct LoadedProfile {
  package var path: String
  package var profile: Profile
  package var sha256: String
}

/// Reads and decodes profile files.
package enum ProfileLoader {
  /// The largest profile file accepted, bytes.
  package static let maximumBytes = 4 << 20

  /// Reads and decodes the profile at `path`.
  package static func load(_ path: String) throws(KitError) -> LoadedProfile {
    try JSONFile.load(path, maximumBytes: maximumBytes) { bytes in
      LoadedProfile(
        path: path, profile: try ProfileDecoder.decode(bytes, file: path),
        sha256: SHA256.hex(bytes))
    }
  }
}
