/// The parser of the rig's SCPI subset, shared by the host's serial backend and the
/// `devsim rig` emulator.
///
/// Grammar of one line (one program message, terminator removed):
///
/// ```
/// line       = [ws] [command *( [ws] ";" [ws] command )] [ws]
/// command    = header ["?"] [ws parameters]
/// header     = "*" mnemonic | [":"] mnemonic *(":" mnemonic)
/// mnemonic   = letter *(letter | digit | "_")
/// parameters = parameter *([ws] "," [ws] parameter)
/// parameter  = NRf | MIN[imum] | MAX[imum] | DEF[ault] | word | string
/// ws         = 1*(space | tab)
/// ```
///
/// **Each header is absolute.** Full SCPI lets a header after `;` continue the previous
/// command's path (`SOUR:POW 1;LEAS 0.5` meaning `SOUR:POW:LEAS 0.5`); this subset does
/// not: every command after `;` is read from the root, with or without a leading `:`.
/// Suffix units, non-decimal numbers (`#H1F`) and block data are not supported (−102).
public enum SCPIParser {
  /// The longest program message accepted, bytes (a longer line is −363).
  public static let maximumLineBytes = 256

  /// Parses one line (without its terminator): `;`-separated commands, each header absolute
  /// (this subset does not carry the previous command's path across `;`), whitespace between
  /// header and parameters, `,` between parameters.
  ///
  /// A CR left at the end by a CRLF terminator is ignored and not counted. An empty or
  /// blank line gives no command. Never traps on any input.
  ///
  /// - Throws: ``SCPIError/syntax`` for malformed text (empty header, bad characters,
  ///   unterminated string, a number that is not finite, trailing garbage),
  ///   ``SCPIError/inputBufferOverrun`` when longer than ``maximumLineBytes``.
  public static func parse(_ line: [UInt8]) throws(SCPIError) -> [SCPICommand] {
    var length = line.count
    if line.last == SCPIByte.carriageReturn { length -= 1 }
    guard length <= maximumLineBytes else { throw .inputBufferOverrun }
    var scanner = SCPIScanner(length == line.count ? line : Array(line.prefix(length)))
    scanner.skipWhitespace()
    if scanner.isAtEnd { return [] }
    var commands: [SCPICommand] = []
    while true {
      commands.append(try command(&scanner))
      if scanner.isAtEnd { return commands }
      // `command` stops only at the end of the line or at `;`.
      scanner.advance()
      scanner.skipWhitespace()
    }
  }

  /// One command: header, `?`, parameters; leaves the scanner at `;` or the end.
  private static func command(_ scanner: inout SCPIScanner) throws(SCPIError) -> SCPICommand {
    var mnemonics: [String] = []
    if scanner.consume(SCPIByte.star) {
      mnemonics.append("*" + (try mnemonic(&scanner)))
    } else {
      _ = scanner.consume(SCPIByte.colon)
      repeat {
        mnemonics.append(try mnemonic(&scanner))
      } while scanner.consume(SCPIByte.colon)
    }
    let isQuery = scanner.consume(SCPIByte.question)
    var parameters: [SCPIParameter] = []
    if !scanner.isAtCommandEnd {
      // Header and parameters must be separated by whitespace (`OUTP,1`, `IDN?X` are −102).
      guard scanner.skipWhitespace() else { throw .syntax }
      if !scanner.isAtCommandEnd {
        repeat {
          scanner.skipWhitespace()
          parameters.append(try parameter(&scanner))
          scanner.skipWhitespace()
        } while scanner.consume(SCPIByte.comma)
        guard scanner.isAtCommandEnd else { throw .syntax }
      }
    }
    return SCPICommand(mnemonics: mnemonics, isQuery: isQuery, parameters: parameters)
  }

  /// A letter followed by letters, digits or `_`, uppercased.
  private static func mnemonic(_ scanner: inout SCPIScanner) throws(SCPIError) -> String {
    guard let first = scanner.current, SCPIByte.isLetter(first) else { throw .syntax }
    let start = scanner.position
    scanner.consume(while: SCPIByte.isMnemonicTail)
    return uppercasedText(scanner.bytes[start..<scanner.position])
  }

  /// ASCII bytes as uppercase text.
  static func uppercasedText(_ bytes: ArraySlice<UInt8>) -> String {
    String(decoding: bytes.lazy.map(SCPIMnemonic.uppercased), as: UTF8.self)
  }
}
