/// A positive decimal in scientific form, `d.ddd… × 10^exponent`, for NR3 formatting.
///
/// Built from the shortest round-trip spelling Swift gives a `Double` ("12.345",
/// "1.5e-100", "1e+16"), so formatting needs neither Foundation nor `printf`.
struct SCPIDecimal: Equatable {
  /// The significant digits (0…9), the first non-zero.
  var digits: [UInt8]
  /// The power of ten of the first digit.
  var exponent: Int

  /// Creates a decimal from digits and an exponent (the first digit must be non-zero).
  init(digits: [UInt8], exponent: Int) {
    self.digits = digits
    self.exponent = exponent
  }

  /// Reads a positive decimal spelling: digits, an optional `.`, an optional `e`/`E` with a
  /// signed exponent. Returns `nil` for anything else, or for zero.
  init?(_ text: String) {
    var digits: [UInt8] = []
    var pointSeen = false
    var digitsBeforePoint = 0
    var bytes = text.utf8.makeIterator()
    var exponentText: [UInt8]? = nil
    while let byte = bytes.next() {
      if SCPIByte.isDigit(byte) {
        // Leading zeros carry no significance: they only move the point.
        if digits.isEmpty && byte == 0x30 {
          if !pointSeen { continue }
          digitsBeforePoint -= 1
          continue
        }
        digits.append(byte - 0x30)
        if !pointSeen { digitsBeforePoint += 1 }
      } else if byte == SCPIByte.dot && !pointSeen {
        pointSeen = true
      } else if SCPIByte.isExponentMark(byte) {
        exponentText = Array(IteratorSequence(bytes))
        break
      } else {
        return nil
      }
    }
    guard !digits.isEmpty else { return nil }
    var power = 0
    if let exponentText {
      guard let parsed = Int(String(decoding: exponentText, as: UTF8.self)),
        parsed.magnitude < 100_000
      else { return nil }
      power = parsed
    }
    self.digits = digits
    self.exponent = digitsBeforePoint - 1 + power
  }

  /// Exactly `count` significant digits (at least 1), rounded half away from zero (or cut,
  /// `towardZero`); a carry out of the first digit (9.99995 → 10.000) moves the exponent up.
  func rounded(toSignificantDigits count: Int, towardZero: Bool = false) -> SCPIDecimal {
    let count = max(count, 1)
    var kept = Array(digits.prefix(count))
    while kept.count < count { kept.append(0) }
    guard !towardZero, digits.count > count, digits[count] >= 5 else {
      return SCPIDecimal(digits: kept, exponent: exponent)
    }
    var index = count - 1
    while index >= 0 {
      if kept[index] < 9 {
        kept[index] += 1
        return SCPIDecimal(digits: kept, exponent: exponent)
      }
      kept[index] = 0
      index -= 1
    }
    // Every digit was 9: 9.9999|5 becomes 1.0000 one decade up.
    kept[0] = 1
    return SCPIDecimal(digits: kept, exponent: exponent + 1)
  }
}
