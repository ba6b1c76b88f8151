import DevsimKit

/// The command-line tool: dispatches a subcommand and turns errors into
/// messages and exit codes.
enum DevsimTool {
  static func main(_ arguments: [String], console: Console) -> Int32 {
    guard let command = arguments.first else {
      console.writeError(Help.main)
      return ExitCode.usage.rawValue
    }
    let rest = Array(arguments.dropFirst())
    do throws(CommandError) {
      let code: ExitCode
      switch command {
      case "run": code = try RunCommand.execute(rest, console: console)
      case "validate": code = try ValidateCommand.execute(rest, console: console)
      case "codegen": code = try CodegenCommand.execute(rest, console: console)
      case "bench": code = try BenchCommand.execute(rest, console: console)
      case "suite": code = try SuiteCommand.execute(rest, console: console)
      case "campaign": code = try CampaignCommand.execute(rest, console: console)
      case "replay": code = try ReplayCommand.execute(rest, console: console)
      case "rig": code = try RigCommand.execute(rest, console: console)
      case "board": code = try BoardCommand.execute(rest, console: console)
      case "plot": code = try PlotCommand.execute(rest, console: console)
      case "tune": code = try TuneCommand.execute(rest, console: console)
      case "compare": code = try CompareCommand.execute(rest, console: console)
      case "help", "-h", "--help":
        guard let topic = rest.first else {
          console.write(Help.main)
          return 0
        }
        guard let text = Help.text(for: topic) else {
          throw CommandError(
            code: .usage, message: "no help for unknown subcommand '\(topic)'", showUsage: true)
        }
        console.write(text)
        code = .success
      case "--version":
        console.write("\(Version.string)\n")
        code = .success
      default:
        throw CommandError(
          code: .usage, message: "unknown subcommand '\(command)'", showUsage: true)
      }
      return code.rawValue
    } catch {
      console.writeError("Error: \(error.message)\n")
      if error.showUsage { console.writeError(Help.usageLine(for: command) + "\n") }
      return error.code.rawValue
    }
  }
}
