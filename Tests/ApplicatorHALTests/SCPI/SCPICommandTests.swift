import SCPI

#if canImport(Glibc)
  import ApplicatorHAL
  import Testing

  /// The single command of a line given as text.
  private func command(_ line: String) throws -> SCPICommand {
    let commands = try SCPIParser.parse(Array(line.utf8))
    guard commands.count == 1, let command = commands.first else {
      throw SCPIError.execution
    }
    return command
  }

  @Suite("SCPICommand")
  struct SCPICommandTests {
    @Test(
      "matches: short or long form, any case, `?` required only when written",
      arguments: [
        ("SOUR:POW:LEAS 1", "SOURce:POWer:LEASe", true),
        ("source:power:lease 1", "SOURce:POWer:LEASe", true),
        ("Sour:Pow:Leas 1", "SOURce:POWer:LEASe", true),
        ("SOURCE:POW:LEASE 1", "SOURce:POWer:LEASe", true),
        (":SOUR:POW:LEAS 1", "SOURce:POWer:LEASe", true),
        ("SOUR:POW:LEAS 1", ":SOURce:POWer:LEASe", true),
        ("SOUR:POWE:LEAS 1", "SOURce:POWer:LEASe", false),  // neither short nor long
        ("SOU:POW:LEAS 1", "SOURce:POWer:LEASe", false),
        ("SOURCES:POW:LEAS 1", "SOURce:POWer:LEASe", false),
        ("SOUR:POW 1", "SOURce:POWer:LEASe", false),  // fewer mnemonics
        ("SOUR:POW:LEAS:X 1", "SOURce:POWer:LEASe", false),  // more mnemonics
        ("SOUR:POW:LEAS?", "SOURce:POWer:LEASe?", true),
        ("SOUR:POW:LEAS 1", "SOURce:POWer:LEASe?", false),  // `?` requires a query
        ("SOUR:POW:LEAS?", "SOURce:POWer:LEASe", true),  // no `?`: command or query
        ("POW 1", "SOURce:POWer", false),  // no optional nodes
        ("MEAS:TEMP? 2", "MEASure:TEMPerature?", true),
        ("SYST:ERR?", "SYSTem:ERRor?", true),
        ("SYST:ERRO?", "SYSTem:ERRor?", false),
        ("*IDN?", "*IDN?", true),
        ("*idn?", "*IDN?", true),
        ("*IDN?", "*idn?", true),
        ("*IDN", "*IDN?", false),
        ("*IDN?", "*IDN", true),
        ("*RST", "*RST", true),
        ("*RS", "*RST", false),
        ("*RST", "*CLS", false),
        ("*RST", "RST", false),
        ("RST", "*RST", false),
        ("OUTP ON", "OUTPut", true),
        ("OUTPUT ON", "OUTPut", true),
        ("OUTPU ON", "OUTPut", false),
        ("OUTP ON", "", false),
        ("OUTP ON", "?", false),
        ("OUTP ON", ":", false),
        ("OUTP ON", "OUTPut:", false),
        ("OUTP ON", "outp", true),  // a pattern without capitals has one form
        ("OUTPUT ON", "outp", false),
      ])
    func matches(line: String, pattern: String, expected: Bool) throws {
      #expect(try command(line).matches(pattern) == expected)
    }

    @Test(
      "number: values in range, MIN/MAX/DEF mapped to the bounds and the default",
      arguments: [
        ("SOUR:POW 0.5", 0.5), ("SOUR:POW -1", -1), ("SOUR:POW 1.0E+00", 1),
        ("SOUR:POW MIN", -1), ("SOUR:POW maximum", 1), ("SOUR:POW DEF", 0.25),
      ])
    func number(line: String, expected: Double) throws {
      #expect(try command(line).number(at: 0, in: -1...1, defaultValue: 0.25) == expected)
    }

    @Test(
      "number: the error for each bad parameter",
      arguments: [
        ("SOUR:POW", 0, SCPIError.missingParameter),
        ("SOUR:POW 0.5", 1, .missingParameter),
        ("SOUR:POW 0.5", -1, .missingParameter),
        ("SOUR:POW 1.0001", 0, .dataOutOfRange),
        ("SOUR:POW -1.5", 0, .dataOutOfRange),
        ("SOUR:POW 1e300", 0, .dataOutOfRange),
        ("SOUR:POW ON", 0, .illegalParameterValue),
        ("SOUR:POW 'one'", 0, .illegalParameterValue),
      ])
    func numberErrors(line: String, index: Int, error: SCPIError) throws {
      let command = try command(line)
      #expect(throws: error) { try command.number(at: index, in: -1...1, defaultValue: 0) }
    }

    @Test(
      "bool: ON/OFF/1/0",
      arguments: [
        ("OUTP ON", true), ("OUTP on", true), ("OUTP OFF", false), ("OUTP 1", true),
        ("OUTP 0", false), ("OUTP 1.0", true), ("OUTP -0", false), ("OUTP 1E0", true),
      ])
    func bool(line: String, expected: Bool) throws {
      #expect(try command(line).bool(at: 0) == expected)
    }

    @Test(
      "bool: the error for each bad parameter",
      arguments: [
        ("OUTP", SCPIError.missingParameter), ("OUTP 2", .illegalParameterValue),
        ("OUTP 0.5", .illegalParameterValue), ("OUTP -1", .illegalParameterValue),
        ("OUTP TRUE", .illegalParameterValue), ("OUTP 'ON'", .illegalParameterValue),
        ("OUTP MAX", .illegalParameterValue), ("OUTP ONN", .illegalParameterValue),
      ])
    func boolErrors(line: String, error: SCPIError) throws {
      let command = try command(line)
      #expect(throws: error) { try command.bool(at: 0) }
    }

    @Test(
      "word: short or long form of a choice, its index",
      arguments: [
        ("SOUR:FUNC POW", 0), ("SOUR:FUNC power", 0), ("SOUR:FUNC TEMP", 1),
        ("SOUR:FUNC Temperature", 1), ("SOUR:FUNC MIN", 2), ("SOUR:FUNC MINIMUM", 2),
      ])
    func word(line: String, expected: Int) throws {
      let choices = ["POWer", "TEMPerature", "MINimum"]
      #expect(try command(line).word(at: 0, among: choices) == expected)
    }

    @Test(
      "word: the error for each bad parameter",
      arguments: [
        ("SOUR:FUNC", SCPIError.missingParameter), ("SOUR:FUNC POWE", .illegalParameterValue),
        ("SOUR:FUNC VOLT", .illegalParameterValue), ("SOUR:FUNC 1", .illegalParameterValue),
        ("SOUR:FUNC 'POW'", .illegalParameterValue), ("SOUR:FUNC MAX", .illegalParameterValue),
      ])
    func wordErrors(line: String, error: SCPIError) throws {
      let command = try command(line)
      #expect(throws: error) { try command.word(at: 0, among: ["POWer", "TEMPerature"]) }
    }

    @Test("parameters are read by index")
    func parametersByIndex() throws {
      let command = try command("SIM:FAUL OPEN,2")
      #expect(try command.word(at: 0, among: ["NONE", "OPEN"]) == 1)
      #expect(try command.number(at: 1, in: 1...4, defaultValue: 1) == 2)
      #expect(throws: SCPIError.missingParameter) {
        try command.number(at: 2, in: 1...4, defaultValue: 1)
      }
    }
  }
#endif
