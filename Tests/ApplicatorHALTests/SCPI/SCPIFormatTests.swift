import SCPI

#if canImport(Glibc)
  import ApplicatorHAL
  import Testing

  @Suite("SCPIFormat")
  struct SCPIFormatTests {
    @Test(
      "nr3: four decimals, signed two-digit-or-more exponent",
      arguments: [
        (12.345, "1.2345E+01"), (-0.5, "-5.0000E-01"), (0, "0.0000E+00"), (-0.0, "0.0000E+00"),
        (1, "1.0000E+00"), (-1, "-1.0000E+00"), (25, "2.5000E+01"), (0.001, "1.0000E-03"),
        (123_456, "1.2346E+05"), (-123_454, "-1.2345E+05"), (1.23455, "1.2346E+00"),
        (-1.23455, "-1.2346E+00"), (1.23454999, "1.2345E+00"), (9.99995, "1.0000E+01"),
        (-9.99995, "-1.0000E+01"), (0.999995, "1.0000E+00"), (99_999.5, "1.0000E+05"),
        (9.99994, "9.9999E+00"), (9.91e37, "9.9100E+37"), (1.5e-100, "1.5000E-100"),
        (-2.5e100, "-2.5000E+100"), (1e16, "1.0000E+16"), (1e-5, "1.0000E-05"),
        (.leastNonzeroMagnitude, "5.0000E-324"), (1.7976931348623157e308, "1.7976E+308"),
        (-1.7976931348623157e308, "-1.7976E+308"), (1.79764e308, "1.7976E+308"),
        (1.7976e308, "1.7976E+308"), (37.0, "3.7000E+01"),
      ])
    func nr3(value: Double, text: String) {
      #expect(SCPIFormat.nr3(value) == text)
    }

    @Test(
      "nr3: NaN and infinities are SCPI's NaN",
      arguments: [.nan, .infinity, -.infinity, Double.signalingNaN])
    func nr3NotANumber(value: Double) {
      #expect(SCPIFormat.nr3(value) == "9.91E37")
    }

    @Test(
      "nr3 parses back to the value within 5 significant digits",
      arguments: [
        12.345, -0.5, 0.1, 1.0 / 3, -2.0 / 3, 37.123456, 99_999.5, 1e-300, 6.02214076e23,
        -273.15, 0.00012345678, 1e308, Double.leastNormalMagnitude, Double.pi * 1e-7,
      ])
    func roundTrip(value: Double) throws {
      let text = SCPIFormat.nr3(value)
      let commands = try SCPIParser.parse(Array("SOUR:POW \(text)".utf8))
      guard case .number(let parsed) = commands.first?.parameters.first else {
        Issue.record("\(text) is not a number")
        return
      }
      #expect(
        (parsed - value).magnitude <= value.magnitude * 5e-5, "\(value) -> \(text) -> \(parsed)")
    }

    @Test("nr3 of the largest Double stays readable as a finite number")
    func largestRoundTrip() throws {
      for value in [Double.greatestFiniteMagnitude, -.greatestFiniteMagnitude] {
        let text = SCPIFormat.nr3(value)
        let commands = try SCPIParser.parse(Array("SOUR:POW \(text)".utf8))
        guard case .number(let parsed) = commands.first?.parameters.first else {
          Issue.record("\(text) is not a number")
          continue
        }
        #expect((parsed - value).magnitude <= value.magnitude * 1e-4)
      }
    }

    @Test(
      "quoted doubles inner quotes and parses back",
      arguments: [
        ("", #""""#), ("abc", #""abc""#), (#"say "hi""#, #""say ""hi""""#), ("it's", #""it's""#),
        (#"""#, #""""""#),
        // A quote followed by a combining mark is one Character, still a quote byte.
        ("b\"\u{05AB}c", "\"b\"\"\u{05AB}c\""),
      ])
    func quoted(text: String, expected: String) throws {
      #expect(SCPIFormat.quoted(text) == expected)
      let commands = try SCPIParser.parse(Array("SIM:FAUL \(expected)".utf8))
      #expect(commands.first?.parameters == [.string(text)])
    }

    @Test("the replies of one line are joined with `;`")
    func joinReplies() {
      #expect(SCPIFormat.joinReplies([]) == "")
      #expect(SCPIFormat.joinReplies(["1"]) == "1")
      #expect(
        SCPIFormat.joinReplies(["ACME,TEC1,0001,1.0", "2.5000E+01", #"0,"No error""#])
          == #"ACME,TEC1,0001,1.0;2.5000E+01;0,"No error""#)
    }
  }
#endif
