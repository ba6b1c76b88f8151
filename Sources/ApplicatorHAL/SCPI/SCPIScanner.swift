/// A cursor over the bytes of one program message, for ``SCPIParser``.
///
/// Every read is bounds-checked: at the end ``current`` is `nil` and ``advance()`` does
/// nothing, so no input can make the parser index out of range.
struct SCPIScanner {
  /// The bytes of the line, without terminator.
  let bytes: [UInt8]
  /// The index of the next byte to read.
  private(set) var position = 0

  /// Creates a scanner at the first byte.
  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// The next byte, or `nil` at the end of the line.
  var current: UInt8? { position < bytes.count ? bytes[position] : nil }

  /// Whether the whole line has been read.
  var isAtEnd: Bool { position >= bytes.count }

  /// Whether the next byte ends a command: the end of the line or `;`.
  var isAtCommandEnd: Bool { current == nil || current == SCPIByte.semicolon }

  /// Moves past the next byte (nothing at the end).
  mutating func advance() {
    if position < bytes.count { position += 1 }
  }

  /// Moves past the next byte if it is `byte`; returns whether it was.
  mutating func consume(_ byte: UInt8) -> Bool {
    guard current == byte else { return false }
    advance()
    return true
  }

  /// Moves past bytes while `accept` holds; returns how many.
  @discardableResult
  mutating func consume(while accept: (UInt8) -> Bool) -> Int {
    let start = position
    while let byte = current, accept(byte) { advance() }
    return position - start
  }

  /// Moves past spaces and tabs; returns whether there were any.
  @discardableResult
  mutating func skipWhitespace() -> Bool { consume(while: SCPIByte.isWhitespace) > 0 }

  /// The bytes from `start` up to the current position, as text.
  func text(from start: Int) -> String {
    guard start >= 0, start <= position else { return "" }
    return String(decoding: bytes[start..<position], as: UTF8.self)
  }
}
