import ThermalLoop

/// Writes a profile with a new `controller` object and every other byte
/// kept: the top-level `"controller"` value is found by scanning the JSON
/// (strings and nesting respected) and replaced as a whole.
package enum ControllerRewrite {
  /// The controller object as one line, in the shipped profiles' style.
  package static func controllerJSON(
    gains: PIDGains, limits: OutputLimits, model: ModelControlSettings?
  ) -> String {
    var fields: [String] = []
    if model != nil { fields.append("\"kind\": \"model\"") }
    fields.append("\"kp\": \(number(gains.proportionalPerCelsius))")
    fields.append("\"ki\": \(number(gains.integralPerCelsiusSecond))")
    fields.append("\"kd\": \(number(gains.derivativeSecondsPerCelsius))")
    fields.append("\"derivativeFilter\": \"\(number(gains.derivativeFilterSeconds))s\"")
    fields.append("\"outputLow\": \(number(limits.low))")
    fields.append("\"outputHigh\": \(number(limits.high))")
    if let settings = model {
      let m = settings.model
      var parts = [
        "\"gain\": \(number(m.gainCelsiusPerCommand))",
        "\"timeConstant\": \"\(number(m.timeConstantSeconds))s\"",
        "\"deadTime\": \"\(number(m.deadTimeSeconds))s\"",
        "\"zeroCommandTemperature\": \(number(m.zeroCommandCelsius))",
      ]
      if settings.approachSeconds > 0 {
        parts.append("\"approach\": \"\(number(settings.approachSeconds))s\"")
      }
      parts.append("\"adaptation\": \"\(number(settings.adaptationSeconds))s\"")
      fields.append("\"model\": { \(parts.joined(separator: ", ")) }")
    }
    return "{ \(fields.joined(separator: ", ")) }"
  }

  /// Four significant decimals, no exponent (profiles are read by people).
  package static func number(_ value: Double) -> String {
    let magnitude = abs(value)
    let decimals = magnitude >= 100 ? 2 : magnitude >= 1 ? 4 : magnitude >= 0.01 ? 5 : 7
    var text = DecimalText.string(value, decimals: decimals)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
  }

  /// `source` with its top-level `controller` value replaced (added before
  /// the closing brace when absent); `nil` when the text is not an object.
  package static func replacing(controller replacement: String, in source: [UInt8]) -> [UInt8]? {
    var index = 0
    var depth = 0
    var lastKey = ""
    var expectingValueOf: String? = nil
    let quote = UInt8(ascii: "\"")
    while index < source.count {
      let byte = source[index]
      if byte == quote {
        let start = index
        index += 1
        while index < source.count && source[index] != quote {
          index += source[index] == UInt8(ascii: "\\") ? 2 : 1
        }
        if depth == 1 && expectingValueOf == nil {
          lastKey = String(decoding: source[(start + 1)..<min(index, source.count)], as: UTF8.self)
        }
        index += 1
        continue
      }
      switch byte {
      case UInt8(ascii: ":") where depth == 1:
        expectingValueOf = lastKey
      case UInt8(ascii: ","):
        if depth == 1 { expectingValueOf = nil }
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        if depth == 1 && expectingValueOf == "controller" {
          guard let end = matchingClose(source, from: index) else { return nil }
          return Array(source[..<index]) + Array(replacement.utf8) + Array(source[(end + 1)...])
        }
        depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        if depth == 0 {
          // No controller key: add one before the closing brace.
          var cut = index
          while cut > 0 && [0x20, 0x0A, 0x0D, 0x09].contains(source[cut - 1]) { cut -= 1 }
          return Array(source[..<cut]) + Array(",\n  \"controller\": \(replacement)\n".utf8)
            + Array(source[index...])
        }
      default: break
      }
      index += 1
    }
    return nil
  }

  private static func matchingClose(_ source: [UInt8], from open: Int) -> Int? {
    var depth = 0
    var index = open
    while index < source.count {
      let byte = source[index]
      if byte == UInt8(ascii: "\"") {
        index += 1
        while index < source.count && source[index] != UInt8(ascii: "\"") {
          index += source[index] == UInt8(ascii: "\\") ? 2 : 1
        }
      } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
        depth += 1
      } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
        depth -= 1
        if depth == 0 { return index }
      }
      index += 1
    }
    return nil
  }
}
