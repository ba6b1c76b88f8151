import DevsimKit

/// `devsim validate`: checks profiles without running them.
enum ValidateCommand: DevsimCommand {
  static let spec = CommandSpec(
    name: "validate", abstract: "Check profiles without running them.",
    arguments: [
      ArgumentSpec(
        name: "profile", count: .oneOrMore, help: ["One or more profiles (JSON) to check."])
    ],
    exitCodes: [
      (.success, "all valid"), (.usage, nil), (.dataError, "at least one profile is invalid"),
      (.noInput, "at least one profile is missing or unreadable (and none invalid)"),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    var result = ExitCode.success
    for path in parsed.positionals {
      do throws(KitError) {
        let loaded = try ProfileLoader.load(path)
        // A profile that replays a trace is valid only with its trace.
        if let trace = loaded.profile.replayPath {
          _ = try Trace.load(trace, sensors: loaded.profile.sensors.map(\.name))
        }
        console.write("\(path): valid (\(loaded.profile.name), sha256 \(loaded.sha256))\n")
      } catch {
        let failure = ExitStatus.failure(for: error)
        console.writeError("Error: \(failure.message)\n")
        if result != .dataError { result = failure.code }
      }
    }
    return result
  }
}
