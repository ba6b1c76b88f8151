import DevsimKit

/// `devsim plot`: a telemetry file drawn as one self-contained SVG.
enum PlotCommand: DevsimCommand {
  static let out = CommonOptions.out.help(
    "Where to write the plot (default: <telemetry> with .svg).")

  static let spec = CommandSpec(
    name: "plot",
    abstract: "Draw a telemetry file as an SVG: temperatures, window, command, trips.",
    arguments: [
      ArgumentSpec(
        name: "telemetry",
        help: ["A telemetry file that 'devsim run -o' wrote (CSV or JSON Lines)."])
    ],
    options: [out.spec.valueName("file.svg")],
    notes: """
      The plot (1200×700, self-contained, prints in black and white) has a temperature
      panel with every sensor and depth probe, the window shaded over the treatment
      phases, the phase setpoint as a stepped line and the phase boundaries; a command
      panel with the command sent to the power stage, the controller's request and the
      read-back where there is one; trip markers labelled with the check that fired; the
      dose. Time is in minutes. Long runs are thinned per pixel column, keeping extremes.
      """,
    exitCodes: [
      (.success, "written"), (.usage, nil), (.dataError, "not devsim telemetry"),
      (.noInput, "the telemetry file is missing or unreadable"),
      (.ioError, "the plot could not be written"),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let input = parsed.positionals[0]
    let out = try out.value(parsed) ?? defaultOutput(for: input)
    try OutputPaths.requireDistinct(outputs: [("--out", out)], inputs: [("<telemetry>", input)])
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
