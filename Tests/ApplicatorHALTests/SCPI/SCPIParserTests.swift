import SCPI

#if canImport(Glibc)
  import ApplicatorHAL
  import Testing

  /// Parses a line given as text.
  private func parse(_ line: String) throws(SCPIError) -> [SCPICommand] {
    try SCPIParser.parse(Array(line.utf8))
  }

  @Suite("SCPIParser")
  struct SCPIParserTests {
    @Test(
      "headers keep their mnemonics uppercased, without colons",
      arguments: [
        ("*IDN?", ["*IDN"], true),
        ("*idn?", ["*IDN"], true),
        ("*RST", ["*RST"], false),
        ("SOUR:POW:LEAS?", ["SOUR", "POW", "LEAS"], true),
        ("source:power:lease 0.5", ["SOURCE", "POWER", "LEASE"], false),
        ("Sour:Pow:Leas 0.5", ["SOUR", "POW", "LEAS"], false),
        (":OUTP ON", ["OUTP"], false),
        ("  MEAS:TEMP?  ", ["MEAS", "TEMP"], true),
        ("SOUR2:POW_X?", ["SOUR2", "POW_X"], true),
      ])
    func headers(line: String, mnemonics: [String], isQuery: Bool) throws {
      let commands = try parse(line)
      #expect(commands.count == 1)
      #expect(commands.first?.mnemonics == mnemonics)
      #expect(commands.first?.isQuery == isQuery)
    }

    @Test("`;` separates commands, each header read from the root")
    func severalCommands() throws {
      let commands = try parse("*IDN?;SYST:ERR?; :OUTP?;MEAS:TEMP? 2 ;SOUR:POW 0.5;LEAS 1")
      #expect(
        commands == [
          SCPICommand(mnemonics: ["*IDN"], isQuery: true),
          SCPICommand(mnemonics: ["SYST", "ERR"], isQuery: true),
          SCPICommand(mnemonics: ["OUTP"], isQuery: true),
          SCPICommand(mnemonics: ["MEAS", "TEMP"], isQuery: true, parameters: [.number(2)]),
          SCPICommand(mnemonics: ["SOUR", "POW"], isQuery: false, parameters: [.number(0.5)]),
          // Absolute: not SOUR:POW:LEAS (this subset does not carry the path across `;`).
          SCPICommand(mnemonics: ["LEAS"], isQuery: false, parameters: [.number(1)]),
        ])
    }

    @Test("an empty or blank line gives no command", arguments: ["", " ", "\t \t", "\r"])
    func emptyLine(line: String) throws {
      #expect(try parse(line).isEmpty)
    }

    @Test("a CR left by a CRLF terminator is ignored")
    func carriageReturn() throws {
      #expect(
        try parse("OUTP ON\r") == [
          SCPICommand(mnemonics: ["OUTP"], isQuery: false, parameters: [.word("ON")])
        ])
    }

    @Test(
      "numbers in every decimal form",
      arguments: [
        ("12", 12.0), ("-12", -12), ("+12", 12), ("-1.5", -1.5), ("1.2E+01", 12),
        ("1.2e+01", 12), ("+.5", 0.5), ("-.5", -0.5), ("5.", 5), ("1e3", 1000),
        ("1E-3", 0.001), ("0", 0), ("007", 7), ("-0.0", 0),
        ("1.7976931348623157E308", .greatestFiniteMagnitude),
        ("1e-400", 0), ("9.91E37", 9.91e37),
      ])
    func numbers(text: String, value: Double) throws {
      let commands = try parse("SOUR:POW \(text)")
      #expect(commands.first?.parameters == [.number(value)])
    }

    @Test(
      "MIN, MAX, DEF in short and long form, any case",
      arguments: [
        ("MIN", SCPIParameter.minimum), ("min", .minimum), ("MINimum", .minimum),
        ("MAX", .maximum), ("Maximum", .maximum), ("DEF", .default), ("default", .default),
        ("MINI", .word("MINI")), ("MAXIMUMS", .word("MAXIMUMS")),
      ])
    func specialNumbers(text: String, parameter: SCPIParameter) throws {
      #expect(try parse("SOUR:POW \(text)").first?.parameters == [parameter])
    }

    @Test(
      "character parameters are uppercased words",
      arguments: [
        ("on", "ON"), ("OFF", "OFF"), ("Pow", "POW"), ("temperature", "TEMPERATURE"),
        ("NONE", "NONE"), ("open_2", "OPEN_2"),
      ])
    func words(text: String, word: String) throws {
      #expect(try parse("SOUR:FUNC \(text)").first?.parameters == [.word(word)])
    }

    @Test(
      "quoted strings, either quote, doubled quote inside",
      arguments: [
        (#""abc""#, "abc"), ("'abc'", "abc"), (#""""#, ""), (#""say ""hi""""#, #"say "hi""#),
        (#"'it''s'"#, "it's"), (#""it's""#, "it's"), (#"'a "b"'"#, #"a "b""#),
        (#""a;b,c:d?""#, "a;b,c:d?"), (#""  spaced  ""#, "  spaced  "),
      ])
    func strings(text: String, content: String) throws {
      #expect(try parse("SIM:FAUL \(text)").first?.parameters == [.string(content)])
    }

    @Test("several parameters of mixed forms, with whitespace around commas")
    func mixedParameters() throws {
      let commands = try parse("SIM:FAUL OPEN , 2,MAX ,'x',-1.5E-3;*OPC?")
      #expect(
        commands.first?.parameters == [
          .word("OPEN"), .number(2), .maximum, .string("x"), .number(-0.0015),
        ])
      #expect(commands.count == 2)
    }

    @Test(
      "malformed text is a syntax error (-102)",
      arguments: [
        ";",  // empty header
        "*IDN?;",  // empty header after `;`
        ";*IDN?",
        "*IDN?;;*RST",
        ":",  // empty mnemonic
        "SOUR:",  // trailing colon
        "SOUR::POW",  // empty mnemonic between colons
        "::SOUR",
        "?",
        "*",
        ":*IDN?",  // a common command takes no colon
        "*IDN:X",
        "1SOUR",  // mnemonics start with a letter
        "SOUR-POW 1",  // bad character in the header
        "SOUR:POW?? ",
        "SOUR:POW,1",  // no whitespace between header and parameters
        "MEAS:TEMP?2",
        "SOUR:POW \"abc",  // unterminated strings
        "SOUR:POW 'abc\"",
        "SIM:FAUL \"a\"\"",
        "SOUR:POW 1e999",  // not finite
        "SOUR:POW -1e400",
        "SOUR:POW 1 2",  // trailing garbage
        "SOUR:POW 1,",  // empty parameter
        "SOUR:POW ,1",
        "SOUR:POW 1,,2",
        "SOUR:POW 1V",  // suffix units are not supported
        "SOUR:POW 1.2.3",
        "SOUR:POW +",
        "SOUR:POW -",
        "SOUR:POW .",
        "SOUR:POW 1e",
        "SOUR:POW 1e+",
        "SOUR:POW 0x10",
        "SOUR:POW #H1F",  // non-decimal and block data are not supported
        "SOUR:POW \"a\"b",
        "SOUR:POW ON-",
        "OUTP\u{7F}",  // control and non-ASCII bytes outside strings
        "OUTP \u{00E9}",
        "OUTP\rON",  // CR only at the end
        "OUTP\nON",
      ])
    func syntaxErrors(line: String) {
      #expect(throws: SCPIError.syntax) { try parse(line) }
    }

    @Test("`inf` and `nan` are words, never numbers", arguments: ["inf", "NaN", "infinity"])
    func nonFiniteSpellings(text: String) throws {
      let parameter = try parse("SOUR:POW \(text)").first?.parameters.first
      guard case .word = parameter else {
        Issue.record("\(text) parsed as \(String(describing: parameter))")
        return
      }
    }

    @Test("a NUL byte outside a string is a syntax error; inside one it is kept")
    func nulByte() throws {
      #expect(throws: SCPIError.syntax) { try SCPIParser.parse([0x4F, 0x00]) }
      let commands = try SCPIParser.parse(Array("SIM:FAUL \"".utf8) + [0x00] + [0x22])
      #expect(commands.first?.parameters == [.string("\u{0}")])
    }

    @Test("a line of 256 bytes is accepted, 257 is an input buffer overrun (-363)")
    func lineLength() throws {
      let header = Array("SIM:FAUL ".utf8)
      let longest = header + [0x22] + Array(repeating: 0x61, count: 256 - header.count - 2) + [0x22]
      #expect(longest.count == SCPIParser.maximumLineBytes)
      #expect(try SCPIParser.parse(longest).count == 1)
      #expect(try SCPIParser.parse(longest + [0x0D]).count == 1)

      let overlong =
        header + [0x22] + Array(repeating: 0x61, count: 257 - header.count - 2) + [0x22]
      #expect(overlong.count == 257)
      #expect(throws: SCPIError.inputBufferOverrun) { try SCPIParser.parse(overlong) }
      // Too long wins over malformed.
      #expect(throws: SCPIError.inputBufferOverrun) {
        try SCPIParser.parse(Array(repeating: 0x3B, count: 257))
      }
      #expect(throws: SCPIError.inputBufferOverrun) {
        try SCPIParser.parse(Array(repeating: 0x20, count: 10_000))
      }
    }

    @Test("every single byte and every pair of a few bytes parses or throws, never traps")
    func noTrap() {
      for byte in UInt8.min...UInt8.max {
        _ = try? SCPIParser.parse([byte])
        _ = try? SCPIParser.parse(Array("SOUR:POW ".utf8) + [byte])
      }
      let alphabet = Array(":;?*, \"'+-.eE0aZ\r".utf8)
      for first in alphabet {
        for second in alphabet {
          for third in alphabet { _ = try? SCPIParser.parse([first, second, third]) }
        }
      }
    }
  }
#endif
