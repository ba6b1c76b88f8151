import Foundation

/// A JSON document read from disk (a profile, a board file): every failure
/// is a data error (65) naming the file, and the line and JSON path where
/// there is one.
package enum JSONFile {
  /// Reads `path` (at most `maximumBytes`) and hands its bytes to `decode`.
  package static func load<T>(
    _ path: String, maximumBytes: Int, _ decode: ([UInt8]) throws -> T
  ) throws(CommandError) -> T {
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
    do {
      return try decode([UInt8](data))
    } catch let error as ProfileError {
      throw CommandError(code: .dataError, message: error.description)
    } catch {
      throw CommandError(code: .dataError, message: "\(path): \(error)")
    }
  }

  /// The reader at the root of a whole document; a syntax error names the
  /// file, the line and the column.
  package static func root(of bytes: [UInt8], file: String) throws -> JSONReader {
    let root: JSONNode
    do {
      root = try JSONParser.parse(bytes)
    } catch {
      throw ProfileError(
        file: file, line: error.line, path: "",
        reason: "invalid JSON at column \(error.column): \(error.message)")
    }
    return JSONReader(node: root, path: "$", file: file)
  }
}
