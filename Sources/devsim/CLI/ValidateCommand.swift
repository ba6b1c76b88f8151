import DevsimKit

/// `devsim validate`: checks profiles without running them.
enum ValidateCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(arguments, options: [], flags: ["--help"], aliases: ["-h": "--help"])
    if parsed.flag("--help") {
      console.write(Help.validate)
      return .success
    }
    guard !parsed.positionals.isEmpty else {
      throw CommandError(code: .usage, message: "missing <profile>", showUsage: true)
    }
    var result = ExitCode.success
    for path in parsed.positionals {
      do throws(CommandError) {
        let loaded = try ProfileLoader.load(path)
        console.write("\(path): valid (\(loaded.profile.name), sha256 \(loaded.sha256))\n")
      } catch {
        console.writeError("Error: \(error.message)\n")
        result = .dataError
      }
    }
    return result
  }
}
