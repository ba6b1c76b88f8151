import InstrumentProtocols
import Testing

@Suite("Arroyo/ILX text lines")
struct ArroyoTests {
  @Test(
    "commands are written byte for byte, LF-terminated, numbers without trailing zeros",
    arguments: [
      (ArroyoCommand.query("TEC:T"), "TEC:T?\n"),
      (.query("ERRSTR"), "ERRSTR?\n"),
      (.query("*IDN"), "*IDN?\n"),
      (.set("TEC:ITE", 0.5, decimals: 3), "TEC:ITE 0.5\n"),
      (.set("TEC:OUT", 1, decimals: 0), "TEC:OUT 1\n"),
      (.set("TEC:T", 25, decimals: 3), "TEC:T 25\n"),
      (.set("TEC:T", -12.0004, decimals: 3), "TEC:T -12\n"),
      (.set("TEC:T", -12.0625, decimals: 3), "TEC:T -12.063\n"),
      (.set("TEC:LIM:THI", 47.25, decimals: 2), "TEC:LIM:THI 47.25\n"),
      (.set("TEC:ITE", -0.0001, decimals: 3), "TEC:ITE 0\n"),
      (.action("TEC:MODE:ITE"), "TEC:MODE:ITE\n"),
    ])
  func encode(command: ArroyoCommand, line: String) throws {
    #expect(try ArroyoLine.encode(command) == Array(line.utf8))
  }

  @Test(
    "headers that could smuggle a terminator or a second command are refused",
    arguments: ["", "TEC:T\n", "TEC:T;TEC:OUT 1", "tec:t", "TEC T", "TEC:ITE 1"])
  func badHeader(header: String) {
    #expect(throws: ArroyoError.badHeader) { try ArroyoLine.encode(.query(header)) }
  }

  @Test(
    "arguments that are not finite or too large are refused",
    arguments: [Double.nan, .infinity, -.infinity, 1e12, -1e13])
  func badArgument(value: Double) {
    #expect(throws: ArroyoError.badArgument) {
      try ArroyoLine.encode(.set("TEC:T", value, decimals: 3))
    }
  }

  @Test(
    "numeric replies: one NRf number, any of the three terminators",
    arguments: [
      ("25.012\r\n", 25.012), ("25.012\n", 25.012), ("-13\r", -13.0), ("+1.5E-1\n", 0.15),
      (".5\n", 0.5),
    ])
  func number(reply: String, value: Double) throws {
    #expect(try ArroyoReply.number(Array(reply.utf8)) == value)
  }

  @Test(
    "anything but one number is refused",
    arguments: ["25.0 C\n", " 25\n", "25,3\n", "inf\n", "nan\n", "0x1F\n", "1e999\n", "-\n"])
  func notANumber(reply: String) {
    #expect(throws: ArroyoError.notANumber) { try ArroyoReply.number(Array(reply.utf8)) }
  }

  @Test("line faults: no terminator, empty, control bytes, overlong")
  func lineFaults() {
    #expect(throws: ArroyoError.partialLine(bytes: 4)) {
      try ArroyoReply.number(Array("25.0".utf8))
    }
    #expect(throws: ArroyoError.emptyReply) { try ArroyoReply.number(Array("\r\n".utf8)) }
    #expect(throws: ArroyoError.badCharacter(index: 2)) {
      try ArroyoReply.number([0x32, 0x35, 0x00, 0x0A])
    }
    #expect(throws: ArroyoError.badCharacter(index: 1)) {
      try ArroyoReply.number([0x32, 0xC3, 0xA9, 0x0A])
    }
    let long = [UInt8](repeating: 0x31, count: ArroyoLine.maximumBytes) + [0x0A]
    #expect(throws: ArroyoError.overlong(bytes: ArroyoLine.maximumBytes + 1)) {
      try ArroyoReply.number(long)
    }
  }

  @Test("flag replies are exactly 0 or 1")
  func flag() throws {
    #expect(try ArroyoReply.flag(Array("1\r\n".utf8)) == true)
    #expect(try ArroyoReply.flag(Array("0\n".utf8)) == false)
    for reply in ["2\n", "01\n", "ON\n", "1.0\n"] {
      #expect(throws: ArroyoError.notAFlag) { try ArroyoReply.flag(Array(reply.utf8)) }
    }
  }

  @Test("error replies: a code, optionally a comma and text")
  func errorReply() throws {
    let none = try ArroyoReply.error(Array("0\r\n".utf8))
    #expect(none.code == 0 && none.text.isEmpty)
    let some = try ArroyoReply.error(Array("402,\"Out of range\"\n".utf8))
    #expect(some.code == 402 && some.text == "\"Out of range\"")
    for reply in [",x\n", "E402\n", "1.5\n", "-\n", "1234567890\n"] {
      #expect(throws: ArroyoError.malformedErrorReply) {
        try ArroyoReply.error(Array(reply.utf8))
      }
    }
  }
}
