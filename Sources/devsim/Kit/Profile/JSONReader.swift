/// Typed, path-aware access to a parsed JSON value, for strict decoding.
///
/// Every accessor throws a ``JSONDataError`` naming the JSON path and line.
package struct JSONReader {
  package let node: JSONNode
  package let path: String
  package let file: String

  package func fail(_ reason: String) -> JSONDataError {
    JSONDataError(file: file, line: node.line, path: path, reason: reason)
  }

  package var isNull: Bool { node.value == .null }

  package func number() throws(JSONDataError) -> Double {
    guard case .number(let value) = node.value else {
      throw fail("expected a number, found \(node.value.typeName)")
    }
    return value
  }

  package func number(in range: ClosedRange<Double>) throws(JSONDataError) -> Double {
    let value = try number()
    guard range.contains(value) else {
      throw fail(
        "\(format(value)) is outside \(boundText(range.lowerBound)) … \(boundText(range.upperBound))"
      )
    }
    return value
  }

  package func integer(in range: ClosedRange<Int64>) throws(JSONDataError) -> Int64 {
    let value = try number()
    guard value == value.rounded(), value >= Double(range.lowerBound),
      value <= Double(range.upperBound)
    else {
      throw fail(
        "expected a whole number in \(range.lowerBound) … \(range.upperBound), found \(format(value))"
      )
    }
    return Int64(value)
  }

  /// A string of printable text: control characters (a `\u0007` or `\u001b`
  /// escape, a line break) and bidirectional overrides are refused, so that
  /// nothing read from a file can move the cursor or print over a result.
  package func string() throws(JSONDataError) -> String {
    guard case .string(let value) = node.value else {
      throw fail("expected a string, found \(node.value.typeName)")
    }
    if let bad = value.unicodeScalars.first(where: {
      $0 == "\n" || $0 == "\t" || TerminalText.isUnsafe($0)
    }) {
      throw fail(
        "control character U+\(String(bad.value, radix: 16, uppercase: true)) in a string; only printable text is accepted"
      )
    }
    return value
  }

  /// A name that is safe in a CSV header and a file name: letters, digits, `-`, `_`, `.`.
  package func identifier() throws(JSONDataError) -> String {
    let text = try string()
    let allowed = text.unicodeScalars.allSatisfy {
      ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        || "-_.".unicodeScalars.contains($0)
    }
    guard !text.isEmpty, text.count <= 64, allowed else {
      throw fail("\"\(text)\" is not a valid name: use 1 … 64 letters, digits, '-', '_' or '.'")
    }
    return text
  }

  package func bool() throws(JSONDataError) -> Bool {
    guard case .bool(let value) = node.value else {
      throw fail("expected true or false, found \(node.value.typeName)")
    }
    return value
  }

  /// One of a fixed set of names.
  package func choice<T>(_ options: [(String, T)]) throws(JSONDataError) -> T {
    let text = try string()
    guard let match = options.first(where: { $0.0 == text }) else {
      throw fail(
        "unknown value \"\(text)\"; expected one of: \(options.map { $0.0 }.joined(separator: ", "))"
      )
    }
    return match.1
  }

  /// A duration: a number of seconds, or a string like "35m", "90s", "250ms", "1h30m".
  package func duration() throws(JSONDataError) -> UInt64 {
    let seconds: Double
    switch node.value {
    case .number(let value): seconds = value
    case .string(let text):
      guard let parsed = DurationText.seconds(text) else {
        throw fail(
          "invalid duration \"\(text)\"; use seconds or a string like \"35m\", \"90s\", \"250ms\"")
      }
      seconds = parsed
    default:
      throw fail(
        "expected a duration (seconds or a string like \"35m\"), found \(node.value.typeName)")
    }
    guard seconds >= 0 else { throw fail("a duration cannot be negative (\(format(seconds)) s)") }
    guard seconds <= 1e7 else { throw fail("duration \(format(seconds)) s is longer than 10^7 s") }
    return UInt64((seconds * 1e9).rounded())
  }

  package func object() throws(JSONDataError) -> ObjectReader {
    guard case .object(let members) = node.value else {
      throw fail("expected an object, found \(node.value.typeName)")
    }
    return ObjectReader(members: members, reader: self)
  }

  package func array() throws(JSONDataError) -> [JSONReader] {
    guard case .array(let elements) = node.value else {
      throw fail("expected an array, found \(node.value.typeName)")
    }
    return elements.enumerated().map { JSONReader(node: $1, path: "\(path)[\($0)]", file: file) }
  }
}

/// The members of a JSON object; keys read are tracked so that
/// ``finish()`` refuses every key nobody asked for.
package final class ObjectReader {
  private let members: [(key: String, node: JSONNode)]
  package let reader: JSONReader
  private var used: Set<String> = []

  package init(members: [(key: String, node: JSONNode)], reader: JSONReader) {
    self.members = members
    self.reader = reader
  }

  package func optional(_ key: String) -> JSONReader? {
    used.insert(key)
    guard let member = members.first(where: { $0.key == key }) else { return nil }
    return JSONReader(node: member.node, path: "\(reader.path).\(key)", file: reader.file)
  }

  package func required(_ key: String) throws(JSONDataError) -> JSONReader {
    guard let value = optional(key) else { throw reader.fail("missing required key \"\(key)\"") }
    return value
  }

  /// Reads an optional number in a range and hands it to `apply`; absent keys leave things as they are.
  package func number(_ key: String, in range: ClosedRange<Double>, _ apply: (Double) -> Void)
    throws(JSONDataError)
  {
    if let value = optional(key) { apply(try value.number(in: range)) }
  }

  /// Reads an optional duration and hands it to `apply`.
  package func duration(_ key: String, _ apply: (UInt64) -> Void) throws(JSONDataError) {
    if let value = optional(key) { apply(try value.duration()) }
  }

  /// Refuses the first key that was never read.
  package func finish() throws(JSONDataError) {
    if let unknown = members.first(where: { !used.contains($0.key) }) {
      throw JSONDataError(
        file: reader.file, line: unknown.node.line, path: "\(reader.path).\(unknown.key)",
        reason: "unknown key \"\(unknown.key)\"")
    }
  }
}

/// Parses duration strings: one or more `<number><unit>` parts, units
/// `ms`, `s`, `m` or `min`, `h`; a bare number is seconds.
package enum DurationText {
  package static func seconds(_ text: String) -> Double? {
    let trimmed = text.trimmingWhitespace()
    if let plain = Double(trimmed) { return plain.isFinite ? plain : nil }
    var total = 0.0
    var rest = Substring(trimmed)
    let sign: Double = rest.hasPrefix("-") ? -1 : 1
    if rest.hasPrefix("-") { rest = rest.dropFirst() }
    guard !rest.isEmpty else { return nil }
    while !rest.isEmpty {
      let numberPart = rest.prefix { $0.isNumber || $0 == "." }
      guard let value = Double(numberPart) else { return nil }
      rest = rest.dropFirst(numberPart.count)
      let unit = rest.prefix { $0.isLetter }
      rest = rest.dropFirst(unit.count)
      switch unit {
      case "ms": total += value / 1000
      case "s": total += value
      case "m", "min": total += value * 60
      case "h": total += value * 3600
      default: return nil
      }
    }
    return sign * total
  }
}

extension String {
  package func trimmingWhitespace() -> String {
    String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }
}

/// A range's bound for a message: at most six decimals, trailing zeros
/// dropped (a bound computed in metres and shown in millimetres reads `42`,
/// not `41.99999999999999`).
package func boundText(_ value: Double) -> String {
  guard value.isFinite else { return format(value) }
  var text = DecimalText.string(value, decimals: 6)
  while text.hasSuffix("0") { text.removeLast() }
  if text.hasSuffix(".") { text.removeLast() }
  return text == "-0" ? "0" : text
}

/// Formats a number for a message: integers without a decimal point.
package func format(_ value: Double) -> String {
  value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
}
