import Foundation

/// The profile a devsim telemetry file names in its provenance line (the
/// first line devsim writes),
/// `# devsim <version> seed=<n> profile=<path> profile_sha256=<hex>`: what
/// `devsim replay` uses when it is given no `--profile`.
package struct TraceProvenance: Equatable {
  /// The profile's path as the recording run was given it.
  package var profilePath: String
  /// The SHA-256 of the profile's bytes when the run was recorded, lowercase hex.
  package var profileSHA256: String

  /// How many bytes of a trace are looked at for its provenance line.
  package static let headerBytes = 64 << 10

  /// The provenance in a provenance line; `nil` when the line is not
  /// devsim's provenance or names no profile.
  package static func parse(firstLine line: Substring) -> TraceProvenance? {
    guard line.hasPrefix("# devsim "),
      let profile = line.range(of: " profile="),
      let hash = line.range(of: " profile_sha256=", options: .backwards),
      profile.upperBound <= hash.lowerBound
    else { return nil }
    let path = String(line[profile.upperBound..<hash.lowerBound])
    let sha256 = String(line[hash.upperBound...])
    guard !path.isEmpty, sha256.count == 64,
      sha256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    else { return nil }
    return TraceProvenance(profilePath: path, profileSHA256: sha256)
  }

  /// The provenance of the trace at `path`: the first `# devsim ` line
  /// among the comment lines before its header (devsim writes it first;
  /// a recorded incident may put its own comments above it), or `nil`.
  package static func read(_ path: String) throws(KitError) -> TraceProvenance? {
    let bytes = try InputFile.read(path, maximumBytes: headerBytes, prefixOnly: true)
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      var text = Substring(decoding: line, as: UTF8.self)
      if text.hasSuffix("\r") { text = text.dropLast() }
      guard text.hasPrefix("#") else { return nil }
      if text.hasPrefix("# devsim ") { return parse(firstLine: text) }
    }
    return nil
  }

  /// Loads the profile this provenance names, for replaying the trace at
  /// `tracePath`: a profile that is not there is a missing input naming the
  /// trace; one whose bytes changed since the recording is refused (the
  /// replay would not be of the recorded configuration).
  package func loadProfile(tracePath: String) throws(KitError) -> LoadedProfile {
    let loaded: LoadedProfile
    do throws(KitError) {
      loaded = try ProfileLoader.load(profilePath)
    } catch .input(let error) {
      throw .input(
        InputFileError(
          path: error.path,
          reason:
            "\(error.reason) (the profile the header of \(tracePath) names; give --profile <profile>)"
        ))
    }
    guard loaded.sha256 == profileSHA256 else {
      throw .invalid(
        "\(tracePath): its header names the profile \(profilePath) with sha256 \(profileSHA256),"
          + " but that file's sha256 is now \(loaded.sha256): the profile changed since the"
          + " recording; give --profile \(profilePath) to replay through it as it is now")
    }
    return loaded
  }
}
