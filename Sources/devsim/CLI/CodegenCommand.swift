import DevsimKit

/// `devsim codegen`: writes a profile's control loop as Swift source.
enum CodegenCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments, options: ["--out"], flags: ["--help"], aliases: ["-h": "--help", "-o": "--out"])
    if parsed.flag("--help") {
      console.write(Help.codegen)
      return .success
    }
    guard parsed.positionals.count == 1, let path = parsed.positionals.first else {
      throw CommandError(
        code: .usage, message: "codegen takes one <profile>", showUsage: true)
    }
    let loaded = try ProfileLoader.load(path)
    let source = LoopSource.swift(for: loaded.profile, path: path, sha256: loaded.sha256)
    guard let out = parsed.option("--out"), out != "-" else {
      console.write(source)
      return .success
    }
    try AtomicFile.write(Array(source.utf8), to: out)
    return .success
  }
}
