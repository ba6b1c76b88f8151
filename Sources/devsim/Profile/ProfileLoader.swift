import Foundation

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
    guard let data = FileManager.default.contents(atPath: path) else {
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
      let reason =
        !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "cannot be read"
      throw CommandError(code: .dataError, message: "\(path): \(reason)")
    }
    guard data.count <= maximumBytes else {
      throw CommandError(code: .dataError, message: "\(path): larger than \(maximumBytes) bytes")
    }
    let bytes = [UInt8](data)
    do {
      let profile = try ProfileDecoder.decode(bytes, file: path)
      return LoadedProfile(path: path, profile: profile, sha256: SHA256.hex(bytes))
    } catch let error as ProfileError {
      throw CommandError(code: .dataError, message: error.description)
    } catch {
      throw CommandError(code: .dataError, message: "\(path): \(error)")
    }
  }
}
