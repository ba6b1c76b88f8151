import DevsimKit

/// `devsim validate`: checks profiles, or every profile under directories,
/// without running them.
enum ValidateCommand: DevsimCommand {
  static let quiet = CommonOptions.quiet.help("Print only invalid profiles and the closing count.")

  static let spec = CommandSpec(
    name: "validate",
    abstract: "Check profiles, or every profile under directories, without running them.",
    arguments: [
      ArgumentSpec(
        name: "path", count: .oneOrMore,
        help: ["Profiles (JSON), or directories searched recursively for *.json."])
    ],
    options: [quiet.spec],
    exitCodes: [
      (.success, "all valid"), (.usage, nil),
      (.dataError, "at least one profile is invalid, or a directory holds none"),
      (.noInput, "at least one path is missing or unreadable (and none invalid)"),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    var result = ExitCode.success
    var valid = 0
    var invalid = 0
    let quiet = self.quiet.isSet(parsed)
    func note(_ failure: ExitStatus.Failure) {
      console.writeError("Error: \(failure.message)\n")
      invalid += 1
      if result != .dataError { result = failure.code }
    }
    for path in parsed.positionals {
      let files: [String]
      do throws(InputFileError) {
        files = try SuitePlan.collect([path])
      } catch {
        note(ExitStatus.failure(for: error))
        continue
      }
      if files.isEmpty {
        note(ExitStatus.failure(for: DataError("\(path): no profiles (*.json) found")))
      }
      for file in files {
        do throws(KitError) {
          let loaded = try ProfileLoader.load(file)
          // A profile that replays a trace is valid only with its trace.
          if let trace = loaded.profile.replayPath {
            _ = try Trace.load(trace, sensors: loaded.profile.sensors.map(\.name))
          }
          valid += 1
          if !quiet {
            console.write("\(file): valid (\(loaded.profile.name), sha256 \(loaded.sha256))\n")
          }
        } catch {
          note(ExitStatus.failure(for: error))
        }
      }
    }
    if parsed.positionals.count > 1 || valid + invalid > 1 {
      console.write("\(valid) valid, \(invalid) invalid\n")
    }
    return result
  }
}
