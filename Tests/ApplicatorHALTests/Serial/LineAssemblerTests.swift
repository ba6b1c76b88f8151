import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// Feeds `chunks` one at a time and collects every result until more input is needed.
private func frame(_ chunks: [String], maximumBytes: Int) -> [LineAssembler.Next] {
  var assembler = LineAssembler()
  var results: [LineAssembler.Next] = []
  for chunk in chunks {
    assembler.append(ascii(chunk))
    while true {
      let next = assembler.next(maximumBytes: maximumBytes)
      if next == .needMore { break }
      results.append(next)
    }
  }
  return results
}

private func line(_ text: String) -> LineAssembler.Next { .line(ascii(text)) }

@Suite("LineAssembler", .tags(.io))
struct LineAssemblerTests {
  @Test("LF and CRLF end a line; a CR elsewhere is data")
  func terminators() {
    #expect(
      frame(["a\nb\r\n\n\r\n", "c\rd\n", "e\r\r\n"], maximumBytes: 16)
        == [line("a"), line("b"), line(""), line(""), line("c\rd"), line("e\r")])
  }

  @Test("a line split at every position, including between CR and LF, reassembles")
  func splitAnywhere() {
    let text = "MEAS:TEMP? 1\r\n9.91E37\n"
    for cut in 0...text.utf8.count {
      let head = String(decoding: ascii(text).prefix(cut), as: UTF8.self)
      let tail = String(decoding: ascii(text).dropFirst(cut), as: UTF8.self)
      #expect(
        frame([head, tail], maximumBytes: 16) == [line("MEAS:TEMP? 1"), line("9.91E37")],
        "cut at \(cut)")
    }
  }

  @Test(
    "the limit counts the line without its terminator",
    arguments: [
      ("abcd\n", [line("abcd")]),
      ("abcd\r\n", [line("abcd")]),
      ("abcde\n", [.overlong]),
      ("abcde\r\n", [.overlong]),
      ("abcd\r\r\n", [.overlong]),
    ] as [(String, [LineAssembler.Next])])
  func limit(input: String, expected: [LineAssembler.Next]) {
    #expect(frame([input], maximumBytes: 4) == expected)
  }

  @Test("an overlong line is reported before its LF, then skipped up to and including it")
  func overlongBeforeTerminator() {
    var assembler = LineAssembler()
    assembler.append(ascii("abcde"))
    #expect(assembler.next(maximumBytes: 4) == .overlong)
    #expect(assembler.pending.isEmpty)
    assembler.append(ascii("fgh"))
    #expect(assembler.next(maximumBytes: 4) == .needMore)
    #expect(assembler.pending.isEmpty, "skipped bytes are not kept")
    assembler.append(ascii("ij\nok\n"))
    #expect(assembler.next(maximumBytes: 4) == line("ok"))
  }

  @Test("a CR at the limit waits for the next byte to decide")
  func carriageReturnAtLimit() {
    var assembler = LineAssembler()
    assembler.append(ascii("abcd\r"))
    #expect(assembler.next(maximumBytes: 4) == .needMore)
    assembler.append(ascii("\n"))
    #expect(assembler.next(maximumBytes: 4) == line("abcd"))
    assembler.append(ascii("abcd\r"))
    #expect(assembler.next(maximumBytes: 4) == .needMore)
    assembler.append(ascii("x"))
    #expect(assembler.next(maximumBytes: 4) == .overlong)
  }

  @Test("limits of zero, below zero and Int.max")
  func extremeLimits() {
    #expect(frame(["\n", "x\n"], maximumBytes: 0) == [line(""), .overlong])
    #expect(frame(["\r\n", "x"], maximumBytes: -5) == [line(""), .overlong])
    #expect(frame(["abc\r", "\n"], maximumBytes: .max) == [line("abc")])
  }

  @Test("reset forgets buffered bytes and a half-skipped line")
  func reset() {
    var assembler = LineAssembler()
    assembler.append(ascii("abcdefgh"))
    #expect(assembler.next(maximumBytes: 4) == .overlong)
    #expect(assembler.isSkippingOverlongLine)
    assembler.reset()
    assembler.append(ascii("rest\n"))
    #expect(assembler.next(maximumBytes: 4) == line("rest"))
  }
}
