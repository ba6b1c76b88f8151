/// Fixed-point decimal text for telemetry: fast, locale-free and the same on
/// every machine, so the same run gives the same bytes.
package enum DecimalText {
  /// Appends `value` with `decimals` digits after the point; NaN and
  /// infinities are written as `nan`, `inf`, `-inf`.
  package static func append(_ value: Double, decimals: Int, to out: inout [UInt8]) {
    guard value.isFinite else {
      out.append(
        contentsOf: value.isNaN
          ? Array("nan".utf8) : value > 0 ? Array("inf".utf8) : Array("-inf".utf8))
      return
    }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9.0e18 else {
      out.append(contentsOf: Array(String(value).utf8))
      return
    }
    var units = UInt64(scaled)
    if value < 0 && units != 0 { out.append(UInt8(ascii: "-")) }
    var divisor: UInt64 = 1
    for _ in 0..<decimals { divisor *= 10 }
    appendInteger(units / divisor, to: &out)
    if decimals > 0 {
      out.append(UInt8(ascii: "."))
      units %= divisor
      var digit = divisor / 10
      while digit > 0 {
        out.append(UInt8(ascii: "0") + UInt8(units / digit))
        units %= digit
        digit /= 10
      }
    }
  }

  /// Appends an unsigned integer in decimal.
  package static func appendInteger(_ value: UInt64, to out: inout [UInt8]) {
    var buffer:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var rest = value
    withUnsafeMutableBytes(of: &buffer) { digits in
      repeat {
        digits[count] = UInt8(ascii: "0") + UInt8(rest % 10)
        rest /= 10
        count += 1
      } while rest > 0
      for index in stride(from: count - 1, through: 0, by: -1) { out.append(digits[index]) }
    }
  }

  /// `value` as a string with `decimals` digits after the point.
  package static func string(_ value: Double, decimals: Int) -> String {
    var out: [UInt8] = []
    append(value, decimals: decimals, to: &out)
    return String(decoding: out, as: UTF8.self)
  }
}
