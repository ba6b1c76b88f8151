/// One option or flag of a command, declared once: its names, the name of
/// its value (none for a flag), its help lines and how its value is checked.
/// Parsing, the usage line, the help text (and completions or a man page)
/// are all generated from it.
struct OptionSpec: Sendable {
  /// The long name, `--seed`.
  var long: String
  /// The short name, `-o`, if any.
  var short: String?
  /// The value's name in usage and help (`n` for `--seed <n>`); `nil` for a flag.
  var valueName: String?
  /// The help text, one entry per line.
  var help: [String]
  /// Whether the command needs it (shown without brackets).
  var isRequired = false
  /// Checks a value, throwing the message a user sees.
  var check: @Sendable (String) throws(UsageError) -> Void = { _ throws(UsageError) in }

  /// Whether the option is a flag (takes no value).
  var isFlag: Bool { valueName == nil }

  /// `-o, --out <file>`, as the help lists it.
  var label: String {
    (short.map { "\($0), " } ?? "") + long + (valueName.map { " <\($0)>" } ?? "")
  }

  /// `[-o <file>]`, as the usage line shows it.
  var usage: String {
    let name = (short ?? long) + (valueName.map { " <\($0)>" } ?? "")
    return isRequired ? name : "[\(name)]"
  }

  /// The same option with other help lines (a command's own wording).
  func help(_ lines: String...) -> OptionSpec {
    var copy = self
    copy.help = lines
    return copy
  }
}

/// An option whose value is read as `Value`, declared once with its conversion.
struct Option<Value>: Sendable {
  /// The declaration.
  var spec: OptionSpec
  private let convert: @Sendable (String) throws(UsageError) -> Value

  /// An option `long` (and `short`) taking `<value>`, read by `convert`.
  init(
    _ long: String, short: String? = nil, value: String, help: [String],
    required: Bool = false,
    convert: @escaping @Sendable (String) throws(UsageError) -> Value
  ) {
    self.convert = convert
    spec = OptionSpec(
      long: long, short: short, valueName: value, help: help, isRequired: required,
      check: { text throws(UsageError) in _ = try convert(text) })
  }

  /// The same option with a command's own help lines (same parsing).
  func help(_ lines: String...) -> Option {
    var copy = self
    copy.spec.help = lines
    return copy
  }

  /// The value given on `parsed`, or `nil` when the option is absent.
  func value(_ parsed: ParsedArguments) throws(UsageError) -> Value? {
    guard let text = parsed.text(spec.long) else { return nil }
    return try convert(text)
  }
}

/// A flag (an option without a value).
struct Flag: Sendable {
  /// The declaration.
  var spec: OptionSpec

  /// A flag `long` with `help`.
  init(_ long: String, help: [String]) {
    spec = OptionSpec(long: long, short: nil, valueName: nil, help: help)
  }

  /// The same flag with a command's own help lines.
  func help(_ lines: String...) -> Flag {
    var copy = self
    copy.spec.help = lines
    return copy
  }

  /// Whether `parsed` has the flag.
  func isSet(_ parsed: ParsedArguments) -> Bool { parsed.has(spec.long) }
}

/// A positional argument.
struct ArgumentSpec: Sendable {
  /// How many values the argument takes.
  enum Count: Sendable {
    /// Exactly one.
    case one
    /// None or one.
    case optional
    /// One or more.
    case oneOrMore
    /// Any number.
    case any
  }

  /// The name in usage and help, without brackets (`profile`).
  var name: String
  /// How many values it takes.
  var count: Count = .one
  /// The help text, one entry per line.
  var help: [String]

  /// `<profile>`, `[<profile>]`, `<profile> ...`, `[<path> ...]` in the usage line.
  var usage: String {
    switch count {
    case .one: "<\(name)>"
    case .optional: "[<\(name)>]"
    case .oneOrMore: "<\(name)> ..."
    case .any: "[<\(name)> ...]"
    }
  }
}

/// A command declared as data: name, abstract, arguments, options, help
/// sections and the exit codes that apply. `devsim`'s parser, usage lines
/// and help texts are generated from these declarations.
struct CommandSpec: Sendable {
  /// The words that name it after `devsim` (`run`; `bench tick`).
  var name: String
  /// One line: what it does.
  var abstract: String
  /// Paragraphs between the overview and the usage line.
  var discussion: String? = nil
  /// Positional arguments, in order.
  var arguments: [ArgumentSpec] = []
  /// Options and flags, in help order (`-h, --help` is added to every command).
  var options: [OptionSpec] = []
  /// Sections after the options (`INVARIANTS`, notes), verbatim.
  var notes: String? = nil
  /// The exit codes that apply, each with the command's own wording or the table's.
  var exitCodes: [(ExitCode, String?)] = []
  /// Subcommands (`bench tick`); the first argument picks one.
  var subcommands: [CommandSpec] = []
  /// What the subcommand argument is called in messages (`benchmark`).
  var subcommandNoun = "subcommand"
  /// Whether the command runs by itself when its first argument names no subcommand
  /// (`rig [PROFILE]` beside `rig check RIGFILE`).
  var runsWithoutSubcommand = false

  /// The help flag every command takes.
  static let helpFlag = OptionSpec(
    long: "--help", short: "-h", valueName: nil, help: ["Show help information."])

  /// Every option the command's parser accepts, `--help` included.
  var acceptedOptions: [OptionSpec] { options + [CommandSpec.helpFlag] }

  /// The subcommand named `word`.
  func subcommand(_ word: String) -> CommandSpec? {
    subcommands.first { $0.name.split(separator: " ").last.map(String.init) == word }
  }
}

extension OptionSpec {
  /// The same option with another value name (`file.svg` for `<file>`).
  func valueName(_ name: String) -> OptionSpec {
    var copy = self
    copy.valueName = name
    return copy
  }
}
