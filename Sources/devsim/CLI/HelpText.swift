/// Usage lines and help texts, generated from the ``CommandSpec``
/// declarations in swift-argument-parser's layout.
enum HelpText {
  /// Where help text starts after a label.
  static let column = 26
  /// The width usage lines wrap at.
  static let width = 100

  /// The usage lines of `spec`: one per subcommand, else one (wrapped).
  static func usage(_ spec: CommandSpec) -> [String] {
    guard spec.subcommands.isEmpty else {
      var own = spec
      own.subcommands = []
      return (spec.runsWithoutSubcommand ? usage(own) : []) + spec.subcommands.flatMap { usage($0) }
    }
    let words =
      ["devsim", spec.name] + spec.arguments.map(\.usage) + spec.options.map(\.usage)
    let prefix = "devsim \(spec.name) "
    var lines: [String] = []
    var line = "devsim \(spec.name)"
    for word in words.dropFirst(2) {
      if line.count + 1 + word.count > width - "USAGE: ".count && line.count > prefix.count {
        lines.append(line)
        line = String(repeating: " ", count: prefix.count - 1)
      }
      line += " " + word
    }
    lines.append(line)
    return lines
  }

  /// `USAGE: …` lines for an error message.
  static func usageBlock(_ spec: CommandSpec) -> String {
    let lines = usage(spec)
    return lines.enumerated().map { index, line in
      (index == 0 ? "USAGE: " : "       ") + line
    }.joined(separator: "\n") + "\n"
  }

  /// The whole help of `spec`.
  static func help(_ spec: CommandSpec) -> String {
    var text = "OVERVIEW: \(spec.abstract)\n\n"
    if let discussion = spec.discussion { text += discussion + "\n\n" }
    text += usageBlock(spec) + "\n"
    if !spec.arguments.isEmpty {
      text += "ARGUMENTS:\n"
      for argument in spec.arguments { text += entry("<\(argument.name)>", argument.help) }
      text += "\n"
    }
    if !spec.subcommands.isEmpty {
      text += "SUBCOMMANDS:\n"
      for sub in spec.subcommands {
        text += entry(String(sub.name.split(separator: " ").last ?? ""), [sub.abstract])
      }
      text += "\n  See 'devsim help \(spec.name) <\(spec.subcommandNoun)>' for its options.\n\n"
    }
    text += "OPTIONS:\n"
    for option in spec.acceptedOptions { text += entry(option.label, option.help) }
    text += "\n"
    if let notes = spec.notes { text += notes + "\n\n" }
    if !spec.exitCodes.isEmpty {
      text += "EXIT CODES:\n"
      for (code, meaning) in spec.exitCodes {
        text += entry(String(code.rawValue), [meaning ?? code.meaning], column: 7)
      }
      text += "\n"
    }
    return text
  }

  /// `devsim help`: the tool's overview and its commands.
  static func main(_ commands: [CommandSpec]) -> String {
    var text = """
      OVERVIEW: Simulate, drive and supervise skin-contact thermal applicators.

      USAGE: devsim <command> [<options>]

      OPTIONS:

      """
    text += entry("-h, --help", ["Show help information."])
    text += entry("--version", ["Show the version."])
    text += "\nSUBCOMMANDS:\n"
    for command in commands { text += entry(command.name, [command.abstract]) }
    text += entry("help", ["Show help for a subcommand (help exit-codes: the exit-code table)."])
    text += "\n  See 'devsim help <subcommand>' for detailed help.\n\n"
    return text
  }

  /// One labelled entry: the label, then the help lines in the text column.
  static func entry(_ label: String, _ lines: [String], column: Int = column) -> String {
    let indent = String(repeating: " ", count: column)
    var text = "  " + label
    if text.count + 2 > column {
      text += "\n" + indent
    } else {
      text += String(repeating: " ", count: column - text.count)
    }
    text += lines.flatMap { wrap($0, width: width - column) }.joined(separator: "\n" + indent)
    return text + "\n"
  }

  /// `line` cut at spaces into lines of at most `width` characters (a
  /// longer word stays whole).
  static func wrap(_ line: String, width: Int) -> [String] {
    var lines: [String] = []
    var current = ""
    for word in line.split(separator: " ", omittingEmptySubsequences: false) {
      if !current.isEmpty && current.count + 1 + word.count > width {
        lines.append(current)
        current = String(word)
      } else {
        current += (current.isEmpty ? "" : " ") + word
      }
    }
    lines.append(current)
    return lines
  }
}
