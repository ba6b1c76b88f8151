// The `scpi` fuzz target: the rig's SCPI parser and formatter.
//
// Built by scripts/fuzz.sh (see FuzzMain.swift); outside Sources so SwiftPM never builds it.
// Any trap in the library is a finding; the `precondition`s below are the oracle for the
// round trips the protocol relies on.

import SCPI

/// Header patterns of the rig protocol, plus degenerate ones.
private let patterns = [
  "*IDN?", "*RST", "*CLS", "*OPC?", "SYSTem:ERRor?", "MEASure:TEMPerature?",
  "SOURce:FUNCtion", "SOURce:POWer", "SOURce:POWer?", "SOURce:POWer:LEASe", ":OUTPut",
  "SOURce:TEMPerature:PROTection:LOW", "SIMulate:FAULt", "", "?", ":", "*", "::", "A::B",
]

/// Choices for character parameters.
private let choices = ["POWer", "TEMPerature", "NONE", "ON", "OPEN", "MINimum", "", "?"]

/// Whether `parsed` reads back `value` to 5 significant digits (one unit of the fifth digit,
/// the slack for the top of the Double range where nr3 cuts rather than rounds).
private func sameToFiveDigits(_ parsed: Double, _ value: Double) -> Bool {
  (parsed - value).magnitude <= max(value.magnitude * 1e-4, Double.leastNonzeroMagnitude * 2)
}

/// NR3 of `value` parses back as one number close to `value`.
private func checkNR3RoundTrip(_ value: Double) {
  let text = SCPIFormat.nr3(value)
  guard value.isFinite else {
    precondition(text == "9.91E37", "nr3 of a non-finite value")
    return
  }
  let commands = try? SCPIParser.parse(Array("SOUR:POW \(text)".utf8))
  guard let parameter = commands?.first?.parameters.first, case .number(let parsed) = parameter
  else {
    preconditionFailure("nr3 output \(text) does not parse as a number")
  }
  precondition(sameToFiveDigits(parsed, value), "nr3 round trip \(value) -> \(text) -> \(parsed)")
}

/// A quoted string parses back to itself.
private func checkQuotedRoundTrip(_ text: String) {
  let line = Array("SIM:FAUL \(SCPIFormat.quoted(text))".utf8)
  guard line.count <= SCPIParser.maximumLineBytes else { return }
  let commands = try? SCPIParser.parse(line)
  precondition(commands?.first?.parameters == [.string(text)], "quoted round trip of \(text)")
}

/// Parses `bytes` as one SCPI line, then exercises every accessor and round trip.
func fuzzSCPI(_ bytes: [UInt8]) {
  var queue = SCPIErrorQueue()
  let commands: [SCPICommand]
  do {
    commands = try SCPIParser.parse(bytes)
  } catch {
    queue.push(error)
    precondition(queue.pop() == error.reply, "error queue round trip")
    return
  }
  var replies: [String] = []
  for command in commands {
    for pattern in patterns where command.matches(pattern) {
      replies.append(pattern)
    }
    for index in -1...command.parameters.count {
      do {
        replies.append(SCPIFormat.nr3(try command.number(at: index, in: -1...1, defaultValue: 0)))
      } catch { queue.push(error) }
      do {
        replies.append(try command.bool(at: index) ? "1" : "0")
      } catch { queue.push(error) }
      do {
        replies.append(String(try command.word(at: index, among: choices)))
      } catch { queue.push(error) }
    }
    for parameter in command.parameters {
      switch parameter {
      case .number(let value): checkNR3RoundTrip(value)
      case .string(let text): checkQuotedRoundTrip(text)
      default: break
      }
    }
  }
  precondition(queue.count <= SCPIErrorQueue.capacity, "error queue above capacity")
  while queue.count > 0 { replies.append(queue.pop()) }
  precondition(queue.pop() == SCPIErrorQueue.noErrorReply, "empty queue reply")
  _ = SCPIFormat.joinReplies(replies)
}
