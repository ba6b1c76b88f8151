import DevsimKit

/// `devsim codegen`: writes a profile's control loop as Swift source.
enum CodegenCommand: DevsimCommand {
  static let out = CommonOptions.out.help(
    "Write the source to <file.swift>, whole or not at all", "(default: standard output).")

  static let spec = CommandSpec(
    name: "codegen",
    abstract: "Write a profile's control loop as Swift source (Embedded Swift builds).",
    arguments: [
      ArgumentSpec(
        name: "profile",
        help: [
          "The profile (JSON) whose plan, sensors, controller and",
          "supervisor configuration to write.",
        ])
    ],
    options: [out.spec.valueName("file.swift")],
    exitCodes: [
      (.success, "written"), (.usage, nil), (.dataError, "bad profile"), (.noInput, nil),
      (.ioError, "the output could not be written"),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let path = parsed.positionals[0]
    let loaded = try ProfileLoader.load(path)
    let source = LoopSource.swift(for: loaded.profile, path: path, sha256: loaded.sha256)
    guard let out = try out.value(parsed), out != "-" else {
      console.write(source)
      return .success
    }
    try AtomicFile.write(Array(source.utf8), to: out)
    return .success
  }
}
