import Foundation
import Testing

@testable import DevsimKit

@Suite struct OutputTests {
  /// FIPS 180-4 / NIST example vectors.
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
  ])
  func sha256MatchesTheStandardVectors(_ message: String, _ digest: String) {
    #expect(SHA256.hex(Array(message.utf8)) == digest)
  }

  @Test func sha256OfAMillionAs() {
    let digest = SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
    #expect(digest == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test(arguments: [
    (1.0, 3, "1.000"), (-0.0004, 3, "0.000"), (-12.3456, 2, "-12.35"), (0.5, 0, "1"),
    (123456.789, 1, "123456.8"), (Double.nan, 2, "nan"), (-Double.infinity, 1, "-inf"),
  ])
  func decimalText(_ value: Double, _ decimals: Int, _ text: String) {
    #expect(DecimalText.string(value, decimals: decimals) == text)
  }

  @Test func jsonParserKeepsLinesAndRefusesDuplicates() throws {
    let node = try JSONParser.parse(
      Array("{\n \"a\": [1, 2.5e1, true, null],\n \"b\": \"\\u00e9\\n\"\n}".utf8))
    guard case .object(let members) = node.value else {
      Issue.record("not an object")
      return
    }
    #expect(members.map(\.key) == ["a", "b"])
    #expect(members[0].node.line == 2 && members[1].node.line == 3)
    #expect(members[1].node.value == .string("é\n"))
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array("{\"a\":1,\"a\":2}".utf8)) }
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array("[1,]".utf8)) }
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array("01".utf8)) }
    #expect(throws: JSONSyntaxError.self) {
      try JSONParser.parse(Array(String(repeating: "[", count: 100).utf8))
    }
  }
}
