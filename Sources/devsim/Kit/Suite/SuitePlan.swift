import Foundation

/// Which scenarios a suite runs: the profiles found under the given paths,
/// in a stable order, cut into shards.
package enum SuitePlan {
  /// Every `.json` file under the paths (files as given, directories
  /// searched recursively), sorted, without duplicates; the requirements
  /// catalogue (``RequirementCatalogue/fileName``) is not a scenario and is left out.
  package static func collect(_ paths: [String]) throws(InputFileError) -> [String] {
    var found: [String] = []
    for path in paths {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw InputFileError(path: path, reason: "no such file or directory")
      }
      guard isDirectory.boolValue else {
        if !isCatalogue(path) { found.append(path) }
        continue
      }
      let base = path.hasSuffix("/") ? String(path.dropLast()) : path
      // A directory reached through a symlink is walked where it points.
      let walked = URL(fileURLWithPath: base).resolvingSymlinksInPath().path
      guard let walker = FileManager.default.enumerator(atPath: walked) else { continue }
      for case let relative as String in walker
      where relative.hasSuffix(".json") && !isCatalogue(relative) {
        found.append("\(base)/\(relative)")
      }
    }
    return Array(Set(found)).sorted()
  }

  /// Whether `path` names a requirements catalogue rather than a profile.
  package static func isCatalogue(_ path: String) -> Bool {
    path == RequirementCatalogue.fileName || path.hasSuffix("/\(RequirementCatalogue.fileName)")
  }

  /// The plan's fingerprint: the SHA-256 of one line per scenario, sorted
  /// by path, with the SHA-256 of the profile's bytes (which hold its seed)
  /// and its path. Every shard of one plan computes the same; a changed,
  /// added or removed profile changes it.
  package static func fingerprint(_ cases: [String]) -> String {
    var text = ""
    for path in cases.sorted() {
      let bytes = try? InputFile.read(path, maximumBytes: ProfileLoader.maximumBytes)
      text += "\(bytes.map(SHA256.hex) ?? "unreadable")  \(path)\n"
    }
    return SHA256.hex(Array(text.utf8))
  }

  /// A shard: `index` of `count`, 0-based.
  package struct Shard: Equatable {
    package var index: Int
    package var count: Int

    package init(index: Int, count: Int) {
      self.index = index
      self.count = count
    }
  }

  /// Parses `i/n` (1-based, as `--shard` takes it).
  package static func parseShard(_ text: String) throws(OptionValueError) -> Shard {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n
    else {
      throw OptionValueError("--shard takes i/n with 1 ≤ i ≤ n, found '\(text)'")
    }
    return Shard(index: i - 1, count: n)
  }

  /// The shard Bazel asks for through `TEST_TOTAL_SHARDS` and `TEST_SHARD_INDEX` (0-based).
  package static func bazelShard(_ environment: [String: String]) throws(OptionValueError) -> Shard?
  {
    guard let totalText = environment["TEST_TOTAL_SHARDS"] else { return nil }
    guard let total = Int(totalText), total >= 1,
      let index = Int(environment["TEST_SHARD_INDEX"] ?? ""), index >= 0, index < total
    else {
      throw OptionValueError(
        "TEST_TOTAL_SHARDS=\(totalText) needs TEST_SHARD_INDEX in 0 … \(totalText)-1")
    }
    return Shard(index: index, count: total)
  }

  /// The cases of one shard: every n-th case from the shard's index, so the
  /// shards together run every case exactly once.
  package static func select(_ cases: [String], shard: Shard?) -> [String] {
    guard let shard else { return cases }
    return cases.enumerated().filter { $0.offset % shard.count == shard.index }.map(\.element)
  }
}
