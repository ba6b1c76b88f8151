import DevsimKit

/// `devsim validate`: checks profiles, or every profile under directories,
/// without running them; a profile's `verifies` IDs against the nearest
/// requirements catalogue, and a catalogue named as a path.
enum ValidateCommand: DevsimCommand {
  static let quiet = CommonOptions.quiet.help("Print only invalid profiles and the closing count.")

  static let spec = CommandSpec(
    name: "validate",
    abstract: "Check profiles, or every profile under directories, without running them.",
    arguments: [
      ArgumentSpec(
        name: "path", count: .oneOrMore,
        help: [
          "Profiles (JSON), or directories searched recursively for *.json;",
          "a requirements.json is checked as the requirements catalogue.",
        ])
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
    // The catalogue near each profile, loaded once (`nil`: none there).
    var catalogues: [String: RequirementCatalogue] = [:]
    func catalogue(near file: String) throws(KitError) -> RequirementCatalogue? {
      guard let path = RequirementCatalogue.locate(near: file) else { return nil }
      if let known = catalogues[path] { return known }
      let loaded = try RequirementCatalogue.load(path)
      catalogues[path] = loaded
      return loaded
    }
    for path in parsed.positionals {
      if SuitePlan.isCatalogue(path) {
        do throws(KitError) {
          let loaded = try RequirementCatalogue.load(path)
          catalogues[path] = loaded
          valid += 1
          if !quiet {
            console.write(
              "\(path): valid catalogue (\(loaded.items.count) entries, sha256 \(loaded.sha256))\n")
          }
        } catch {
          note(ExitStatus.failure(for: error))
        }
        continue
      }
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
          if let references = loaded.profile.verifies, let catalogue = try catalogue(near: file) {
            do throws(DataError) {
              try catalogue.check(references, file: file)
            } catch {
              throw KitError.data(error)
            }
          }
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
