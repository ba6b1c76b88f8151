import DevsimKit

/// `devsim list`: the profiles under a path, with their name, mode and
/// description, to find one to run.
enum ListCommand: DevsimCommand {
  static let spec = CommandSpec(
    name: "list", abstract: "List profiles with their name, mode and description.",
    arguments: [
      ArgumentSpec(
        name: "path", count: .optional,
        help: ["A profile or a directory searched recursively (default: Profiles)."])
    ],
    exitCodes: [
      (.success, "listed"), (.usage, nil),
      (.dataError, "a profile is invalid (listed as such), or none found"), (.noInput, nil),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let path = parsed.positionals.first ?? "Profiles"
    let files = try SuitePlan.collect([path])
    guard !files.isEmpty else { throw DataError("\(path): no profiles (*.json) found") }
    var rows: [(file: String, name: String, mode: String, description: String)] = []
    var invalid = false
    for file in files {
      do throws(KitError) {
        let profile = try ProfileLoader.load(file).profile
        rows.append(
          (
            file, profile.name,
            profile.mode == .cryolipolysis ? "cryolipolysis" : "laser-lipolysis",
            firstSentence(profile.description)
          ))
      } catch {
        invalid = true
        rows.append((file, "-", "-", "INVALID: \(ExitStatus.failure(for: error).message)"))
      }
    }
    let fileWidth = rows.map(\.file.count).max() ?? 0
    let nameWidth = rows.map(\.name.count).max() ?? 0
    let modeWidth = "laser-lipolysis".count
    for row in rows {
      console.write(
        row.file.padding(toLength: fileWidth, withPad: " ", startingAt: 0) + "  "
          + row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
          + row.mode.padding(toLength: modeWidth, withPad: " ", startingAt: 0) + "  "
          + row.description + "\n")
    }
    console.write("\(rows.count) profiles\n")
    return invalid ? .dataError : .success
  }

  /// The description up to its first full stop (at most 100 characters).
  static func firstSentence(_ text: String) -> String {
    let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    var sentence = flat
    if let stop = flat.range(of: ". ") { sentence = String(flat[..<stop.lowerBound]) + "." }
    return sentence.count > 100 ? String(sentence.prefix(99)) + "…" : sentence
  }
}
