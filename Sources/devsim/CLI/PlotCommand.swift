import DevsimKit
import Foundation

/// `devsim plot`: a telemetry file drawn as one self-contained SVG.
enum PlotCommand: DevsimCommand {
  static let out = CommonOptions.out.help(
    "Where to write the plot (default: <telemetry> with .svg).")
  static let profile = Option(
    "--profile", value: "profile",
    help: [
      "For a trace (no run context): the profile whose window, control sensor and",
      "phases to draw (default: <trace> with .json, when that profile replays it).",
    ], convert: OptionValue.text)

  static let spec = CommandSpec(
    name: "plot",
    abstract: "Draw a telemetry file as an SVG: temperatures, window, command, trips.",
    arguments: [
      ArgumentSpec(
        name: "telemetry",
        help: [
          "A telemetry file that 'devsim run -o' wrote (CSV or JSON Lines), or a",
          "recorded trace (CSV, as 'devsim replay' reads).",
        ])
    ],
    options: [out.spec.valueName("file.svg"), profile.spec],
    notes: """
      The plot (1200×800, self-contained, prints in black and white) has a temperature
      panel with every sensor and depth probe, the window shaded over the treatment
      phases, the phase setpoint as a stepped line and the phase boundaries; a command
      panel with the command sent to the power stage, the controller's request and the
      read-back where there is one; trip markers labelled with the check that fired; the
      dose; under the temperature panel a window panel, zoomed on the window, with the
      control sensor and the setpoint. Time is in minutes. Long runs are thinned per
      pixel column, keeping extremes. A file whose last line is cut short is drawn up to
      its last whole row, with a warning.
      """,
    exitCodes: [
      (.success, "written"), (.usage, nil),
      (.dataError, "not telemetry or a trace, or a trace without a profile"),
      (.noInput, "the telemetry file is missing or unreadable"),
      (.ioError, "the plot could not be written"),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let input = parsed.positionals[0]
    let out = try out.value(parsed) ?? defaultOutput(for: input)
    let profilePath = try profile.value(parsed)
    try OutputPaths.requireDistinct(
      outputs: [("--out", out)],
      inputs: [("<telemetry>", input)] + (profilePath.map { [("--profile", $0)] } ?? []))
    let bytes = try InputFile.read(input, maximumBytes: InputFile.maximumRecordingBytes)
    var context: TelemetryContext? = nil
    var contextNote = ""
    if let profilePath {
      let loaded = try ProfileLoader.load(profilePath)
      context = TelemetryContext(profile: loaded.profile)
      contextNote = " (window and phases from \(loaded.path))"
    } else if let sibling = replayingProfile(of: input) {
      context = TelemetryContext(profile: sibling.profile)
      contextNote = " (window and phases from \(sibling.path), which replays it)"
    }
    var reading = try TelemetryFile.parseReading(bytes, path: input, context: context)
    if !reading.contextFromCaller { contextNote = "" }
    if reading.series.provenance.isEmpty { reading.series.provenance = "trace \(input)" }
    reading.series.provenance += contextNote
    for warning in reading.warnings { console.writeError("warning: \(warning)\n") }
    try AtomicFile.write(Array(RunPlot.svg(reading.series).utf8), to: out)
    console.write("plot: \(out)\(contextNote)\n")
    return .success
  }

  /// The profile beside a trace that replays it: `x.csv` → `x.json`, when
  /// that file loads and its `replay` names the trace; `nil` otherwise.
  static func replayingProfile(of trace: String) -> LoadedProfile? {
    let candidate = defaultOutput(for: trace).dropLast(4) + ".json"
    guard candidate != trace, let loaded = try? ProfileLoader.load(String(candidate)),
      let replay = loaded.profile.replayPath,
      resolved(replay) == resolved(trace)
    else { return nil }
    return loaded
  }

  private static func resolved(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
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
