import DevsimKit

/// A command line split into flags, options with values, and positionals,
/// following swift-argument-parser's conventions (`--flag`, `--option value`,
/// `--option=value`, `-o value`, `--` ends options).
struct Arguments {
  private(set) var positionals: [String] = []
  private var options: [String: String] = [:]
  private var flags: Set<String> = []

  /// Splits `arguments` given which names take a value and which are flags;
  /// short aliases map to long names.
  init(
    _ arguments: [String], options optionNames: Set<String>, flags flagNames: Set<String>,
    aliases: [String: String] = [:]
  ) throws(CommandError) {
    var index = 0
    var onlyPositionals = false
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
        positionals.append(argument)
        continue
      }
      if argument == "--" {
        onlyPositionals = true
        continue
      }
      var name = argument
      var inlineValue: String? = nil
      if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
        name = String(argument[..<equals])
        inlineValue = String(argument[argument.index(after: equals)...])
      }
      name = aliases[name] ?? name
      if flagNames.contains(name) {
        guard inlineValue == nil else { throw usage("\(name) takes no value") }
        flags.insert(name)
      } else if optionNames.contains(name) {
        guard options[name] == nil else { throw usage("\(name) given twice") }
        if let inlineValue {
          options[name] = inlineValue
        } else {
          guard index < arguments.count else { throw usage("\(name) needs a value") }
          options[name] = arguments[index]
          index += 1
        }
      } else {
        throw usage("unknown option '\(argument)'")
      }
    }
  }

  private func usage(_ message: String) -> CommandError {
    CommandError(code: .usage, message: message, showUsage: true)
  }

  func flag(_ name: String) -> Bool { flags.contains(name) }

  func option(_ name: String) -> String? { options[name] }
}
