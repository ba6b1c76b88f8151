import DevsimKit

/// A `devsim` command: its declaration and what it does with a command line
/// parsed and checked against it.
protocol DevsimCommand: SendableMetatype {
  /// The declaration: name, arguments, options, help, exit codes.
  static var spec: CommandSpec { get }
  /// Runs the command (for a command with subcommands, `parsed.command`
  /// names the subcommand); errors are mapped by ``ExitStatus``.
  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode
}

/// The command-line tool: finds the command, parses its arguments by its
/// declaration, prints generated help, and turns errors into messages and
/// exit codes through ``ExitStatus/failure(for:)``.
enum DevsimTool {
  /// Every command, in the order `devsim help` lists them.
  static let commands: [any DevsimCommand.Type] = [
    RunCommand.self, PilCommand.self, ValidateCommand.self, ListCommand.self, SuiteCommand.self,
    SuiteMergeCommand.self,
    CampaignCommand.self, CampaignMergeCommand.self,
    ReplayCommand.self, RigCommand.self, BoardCommand.self, PlotCommand.self, TuneCommand.self,
    CompareCommand.self, CodegenCommand.self, BenchCommand.self, CompletionsCommand.self,
    ManCommand.self,
  ]

  /// Every command's declaration.
  static var specs: [CommandSpec] { commands.map { $0.spec } }

  /// Runs `devsim` with `arguments` (without the program name); returns the exit status.
  static func main(_ arguments: [String], console: Console) -> Int32 {
    guard let name = arguments.first else {
      console.writeError(HelpText.main(specs))
      return ExitCode.usage.rawValue
    }
    var current: CommandSpec? = nil
    do {
      switch name {
      case "help", "-h", "--help":
        console.write(try helpText(Array(arguments.dropFirst())))
        return ExitCode.success.rawValue
      case "--version":
        console.write("\(Version.string)\n")
        return ExitCode.success.rawValue
      default: break
      }
      guard let command = commands.first(where: { $0.spec.name == name }) else {
        throw UsageError("unknown subcommand '\(name)'")
      }
      var spec = command.spec
      current = spec
      var rest = Array(arguments.dropFirst())
      let ownRun = spec.runsWithoutSubcommand && rest.first.flatMap(spec.subcommand) == nil
      if ownRun { spec.subcommands = [] }
      if !spec.subcommands.isEmpty {
        guard let word = rest.first else { throw UsageError("missing <\(spec.subcommandNoun)>") }
        if word == "-h" || word == "--help" {
          console.write(HelpText.help(spec))
          return ExitCode.success.rawValue
        }
        guard let sub = spec.subcommand(word) else {
          throw UsageError("unknown \(spec.subcommandNoun) '\(word)'")
        }
        spec = sub
        current = sub
        rest.removeFirst()
      }
      let parsed = try ParsedArguments(rest, spec: spec)
      if parsed.wantsHelp {
        console.write(HelpText.help(ownRun ? command.spec : spec))
        return ExitCode.success.rawValue
      }
      try parsed.validate(spec)
      return try command.run(parsed, console: console).rawValue
    } catch {
      let failure = ExitStatus.failure(for: error)
      console.writeError("Error: \(failure.message)\n")
      if failure.showUsage {
        console.writeError(
          current.map(HelpText.usageBlock) ?? "USAGE: devsim <command> [<options>]\n")
      }
      return failure.code.rawValue
    }
  }

  /// `devsim help [<command> [<subcommand>]]`, and `devsim help exit-codes`.
  static func helpText(_ topic: [String]) throws(UsageError) -> String {
    guard let name = topic.first else { return HelpText.main(specs) }
    if name == "exit-codes" { return "EXIT CODES:\n" + ExitCode.table }
    guard let spec = specs.first(where: { $0.name == name }) else {
      throw UsageError("no help for unknown subcommand '\(name)'")
    }
    guard topic.count > 1 else { return HelpText.help(spec) }
    guard let sub = spec.subcommand(topic[1]) else {
      throw UsageError("no help for unknown \(spec.subcommandNoun) '\(topic[1])'")
    }
    return HelpText.help(sub)
  }
}
