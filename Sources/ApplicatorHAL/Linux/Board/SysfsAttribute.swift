#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// One sysfs attribute file kept open and read with `pread` at offset 0,
  /// which makes the kernel call the driver's `show()` again (io.md).
  public final class SysfsAttribute {
    private let io: any BoardIO
    /// The attribute's kernel path.
    public let path: String
    private var descriptor: CInt
    private var buffer = [UInt8](repeating: 0, count: 4096)

    /// Opens the attribute for reading.
    public init(io: any BoardIO, path: String) throws(BoardOpenError) {
      self.io = io
      self.path = path
      do {
        descriptor = try io.open(path, flags: O_RDONLY | O_CLOEXEC)
      } catch {
        throw BoardOpenError(path: path, errno: error, doing: "open")
      }
    }

    deinit { io.close(descriptor) }

    /// Reads the attribute's current text, whitespace trimmed.
    ///
    /// - Throws: the fault the `errno` of the read maps to.
    public func read() throws(FaultKind) -> Substring {
      let io = self.io
      let descriptor = self.descriptor
      let result = buffer.withUnsafeMutableBytes { bytes in
        Result { () throws(BoardErrno) in try io.pread(descriptor, into: bytes, offset: 0) }
      }
      let count: Int
      switch result {
      case .success(let value): count = value
      case .failure(let error): throw error.fault
      }
      return SysfsText.trimmed(buffer.prefix(count))
    }

    /// Reads a signed whole number (millidegrees, a raw ADC count).
    ///
    /// - Throws: ``FaultKind/invalidValue`` for text that is not one.
    public func readInteger() throws(FaultKind) -> Int64 {
      guard let value = Int64(try read()) else { throw .invalidValue }
      return value
    }
  }

  /// Parsing of sysfs attribute text.
  public enum SysfsText {
    /// The text of `bytes` without leading and trailing whitespace and NULs.
    public static func trimmed(_ bytes: ArraySlice<UInt8>) -> Substring {
      let text = String(decoding: bytes, as: UTF8.self)
      return trimmed(Substring(text))
    }

    /// `text` without leading and trailing whitespace and NULs.
    public static func trimmed(_ text: Substring) -> Substring {
      var text = text
      while let first = text.first, first.isWhitespace || first == "\0" { text = text.dropFirst() }
      while let last = text.last, last.isWhitespace || last == "\0" { text = text.dropLast() }
      return text
    }

    /// A decimal number (`31.250000`, `-273`), or `nil`.
    public static func decimal(_ text: some StringProtocol) -> Double? {
      guard let value = Double(trimmed(Substring(text))), value.isFinite else { return nil }
      return value
    }
  }
#endif
