import Foundation

/// A JSON document read from disk (a profile, a board file): a file that is
/// missing or unreadable is an ``InputFileError``; any other failure is a
/// ``DataError`` naming the file, and the line and JSON path where there is one.
package enum JSONFile {
  /// Reads `path` (at most `maximumBytes`) and hands its bytes to `decode`.
  package static func load<T>(
    _ path: String, maximumBytes: Int, _ decode: ([UInt8]) throws -> T
  ) throws(KitError) -> T {
    let bytes = try InputFile.read(path, maximumBytes: maximumBytes)
    do {
      return try decode(bytes)
    } catch let error as JSONDataError {
      throw .invalid(error.description)
    } catch {
      throw .invalid("\(path): \(error)")
    }
  }

  /// The reader at the root of a whole document; a syntax error names the
  /// file, the line and the column.
  package static func root(of bytes: [UInt8], file: String) throws -> JSONReader {
    let root: JSONNode
    do {
      root = try JSONParser.parse(bytes)
    } catch {
      throw JSONDataError(
        file: file, line: error.line, path: "",
        reason: "invalid JSON at column \(error.column): \(error.message)")
    }
    return JSONReader(node: root, path: "$", file: file)
  }
}
