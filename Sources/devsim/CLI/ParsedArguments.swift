/// A command line parsed against a ``CommandSpec``, following
/// swift-argument-parser's conventions (`--flag`, `--option value`,
/// `--option=value`, `-o value`, `--` ends options). Options are read back
/// through their typed declarations (``Option``, ``Flag``).
struct ParsedArguments {
  /// The command's name as declared (`run`, `bench tick`).
  let command: String
  /// The command's arguments as given (for a run record).
  let arguments: [String]
  /// The positional arguments, in order.
  private(set) var positionals: [String] = []
  private var values: [String: String] = [:]
  private var flags: Set<String> = []

  /// Whether `-h` or `--help` was given.
  var wantsHelp: Bool { flags.contains(CommandSpec.helpFlag.long) }

  /// Splits `arguments` by `spec`'s options. Unknown options, repeated
  /// options, flags with values and options without one are usage errors;
  /// values are checked by ``validate(_:)``, after a request for help.
  init(_ arguments: [String], spec: CommandSpec) throws(UsageError) {
    command = spec.name
    self.arguments = arguments
    let accepted = spec.acceptedOptions
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
      guard let option = accepted.first(where: { $0.long == name || $0.short == name }) else {
        throw UsageError("unknown option '\(argument)'")
      }
      if option.isFlag {
        guard inlineValue == nil else { throw UsageError("\(option.long) takes no value") }
        flags.insert(option.long)
      } else {
        guard values[option.long] == nil else { throw UsageError("\(option.long) given twice") }
        if let inlineValue {
          values[option.long] = inlineValue
        } else {
          guard index < arguments.count else { throw UsageError("\(option.long) needs a value") }
          values[option.long] = arguments[index]
          index += 1
        }
      }
    }
  }

  /// Checks every value by its declaration, that required options are
  /// present, and the number of positionals.
  func validate(_ spec: CommandSpec) throws(UsageError) {
    for option in spec.options {
      if let text = values[option.long] {
        try option.check(text)
      } else if option.isRequired {
        throw UsageError("missing \(option.long) <\(option.valueName ?? "value")>")
      }
    }
    var remaining = positionals.count
    for (position, argument) in spec.arguments.enumerated() {
      let taken: Int
      switch argument.count {
      case .one:
        guard remaining >= 1 else { throw UsageError("missing <\(argument.name)>") }
        taken = 1
      case .optional: taken = min(remaining, 1)
      case .oneOrMore:
        guard remaining >= 1 else { throw UsageError("missing <\(argument.name)>") }
        taken = remaining
      case .any: taken = remaining
      }
      remaining -= taken
      if remaining > 0 && position == spec.arguments.count - 1 {
        let expected = spec.arguments.map(\.usage).joined(separator: " ")
        throw UsageError(
          "\(spec.name) takes \(expected.isEmpty ? "no arguments" : expected), found "
            + positionals.map { "'\($0)'" }.joined(separator: " "))
      }
    }
    if spec.arguments.isEmpty && remaining > 0 {
      throw UsageError("\(spec.name) takes no arguments, found '\(positionals[0])'")
    }
  }

  /// The text given for the option named `long`.
  func text(_ long: String) -> String? { values[long] }

  /// Whether the flag named `long` was given.
  func has(_ long: String) -> Bool { flags.contains(long) }
}
