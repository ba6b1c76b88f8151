import DevsimKit

/// `devsim plot`: a telemetry file drawn as one self-contained SVG.
enum PlotCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments, options: ["--out"], flags: ["--help"], aliases: ["-o": "--out", "-h": "--help"])
    if parsed.flag("--help") {
      console.write(Help.plot)
      return .success
    }
    guard parsed.positionals.count == 1 else {
      throw CommandError(
        code: .usage,
        message: parsed.positionals.isEmpty
          ? "missing <telemetry>"
          : "plot takes one telemetry file, found \(parsed.positionals.count)",
        showUsage: true)
    }
    let input = parsed.positionals[0]
    let out = parsed.option("--out") ?? defaultOutput(for: input)
    let series = try TelemetryFile.load(input)
    try AtomicFile.write(Array(RunPlot.svg(series).utf8), to: out)
    console.write("plot: \(out)\n")
    return .success
  }

  /// `run.csv` → `run.svg` (the extension replaced, or `.svg` added).
  static func defaultOutput(for input: String) -> String {
    let slash = input.lastIndex(of: "/")
    if let dot = input.lastIndex(of: "."), slash.map({ $0 < dot }) ?? true,
      dot != input.startIndex, input[input.index(before: dot)] != "/"
    {
      return String(input[..<dot]) + ".svg"
    }
    return input + ".svg"
  }
}
