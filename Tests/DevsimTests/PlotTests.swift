import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// `devsim plot`, `devsim run --plot`, `devsim suite --html`: every SVG and
/// HTML file the tool writes parsed by `XMLParser`, and the series, the
/// band, the markers and the labels a reader needs found in it.
@Suite(.tags(.io)) struct PlotTests {
  private let normal = "Profiles/cryolipolysis-35min.json"
  private let tripping = "Profiles/faults/cryo-plate-open.json"

  private func path(_ relative: String) -> String {
    repositoryRoot.appendingPathComponent(relative).path
  }

  /// Runs `profile` with telemetry and a plot; returns the summary and the files.
  private func run(_ profile: String, in directory: URL, telemetry: String = "run.csv") throws -> (
    summary: String, svg: XMLTree, telemetry: String
  ) {
    let csv = directory.appendingPathComponent(telemetry).path
    let svg = directory.appendingPathComponent("run.svg").path
    let result = devsim(["run", path(profile), "-o", csv, "--plot", svg])
    #expect(result.code == 0, "\(result.errors)")
    return (result.output, try XMLTree.parse(contentsOf: svg), csv)
  }

  /// Texts of the drawing, all of them.
  private func texts(_ tree: XMLTree) -> [String] { tree.all("text").map(\.allText) }

  /// What every plot has, whatever the run: the frame, every sensor of the
  /// profile, the setpoint drawn stepped, the band, the axes with units, a legend.
  private func expectPlotBasics(_ tree: XMLTree, profile: String, phasesReached: Int) throws {
    let loaded = try loadShipped(profile).profile
    let svg = try #require(tree.root)
    #expect(svg.name == "svg" && svg.attributes["viewBox"] == "0 0 1200 800")
    #expect(tree.all("rect").first?.attributes["fill"] == "#FFFFFF", "white background")
    let sensors = tree.classed("sensor")
    #expect(sensors.compactMap { $0.attributes["data-series"] } == loaded.sensors.map(\.name))
    for sensor in sensors {
      let data = sensor.attributes["d"] ?? ""
      #expect(data.hasPrefix("M") && data.split(separator: " ").count > 100, "a drawn line")
    }
    let setpoint = try #require(tree.classed("setpoint").first)
    #expect((setpoint.attributes["d"] ?? "").contains("H"), "stepped: horizontal runs")
    #expect(tree.classed("window-band").count == 1, "the window over the one treatment phase")
    #expect(tree.classed("phase-boundary").count == phasesReached - 1)
    #expect(
      tree.classed("command-sent").count == 1 && tree.classed("command-controller").count == 1)
    let labels = texts(tree)
    for label in ["time (min)", "temperature (°C)", "TEC command", "setpoint", "window"] {
      #expect(labels.contains(label), "label \(label)")
    }
    for phase in loaded.phases.prefix(phasesReached) { #expect(labels.contains(phase.name)) }
    let legend = try #require(tree.classed("legend").first)
    let legendTexts = legend.descendants.filter { $0.name == "text" }.map(\.allText)
    for sensor in loaded.sensors { #expect(legendTexts.contains(sensor.name)) }
    // Every stroke that is not solid says so: dashes tell series apart in print.
    let dashed = sensors.filter { $0.attributes["stroke-dasharray"] != nil }
    #expect(dashed.count == loaded.sensors.count - 1)
  }

  /// The dose the summary printed, as it reads on the plot.
  private func summaryDose(_ summary: String) throws -> String {
    let line = try #require(summary.split(separator: "\n").first { $0.hasPrefix("dose ") })
    return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().joined(
      separator: " ")
  }

  @Test func aNormalRunShowsEverySeriesAndNoTrip() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (summary, tree, _) = try run(normal, in: directory)
    try expectPlotBasics(tree, profile: normal, phasesReached: 2)
    #expect(tree.classed("trip-marker").isEmpty)
    let dose = try #require(tree.classed("dose").first?.allText)
    #expect(dose.contains("dose \(try summaryDose(summary))"), "\(dose)")
    #expect(dose.contains("no trip"))
  }

  /// The trip marker sits where the telemetry's trip column first fills,
  /// and is labelled with the check and what it was about.
  @Test func aTripIsMarkedAndLabelledWithItsCheck() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (summary, tree, csv) = try run(tripping, in: directory)
    try expectPlotBasics(tree, profile: tripping, phasesReached: 1)
    let markers = tree.classed("trip-marker")
    try #require(markers.count == 1)
    #expect(markers[0].attributes["data-check"] == "sensor-plausibility on plate")
    let label = try #require(markers[0].classed("trip-label").first?.allText)
    #expect(label.hasPrefix("TRIP sensor-plausibility on plate at 10:00."), "\(label)")
    #expect(summary.contains("trip   sensor-plausibility on plate"))

    // Where: the first row whose trip column is set, on the time axis.
    let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
      .filter { !$0.hasPrefix("#") }
    let header = rows[0].split(separator: ",", omittingEmptySubsequences: false)
    let tripColumn = try #require(header.firstIndex(of: "trip"))
    let cells = rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    let detected = try #require(cells.first { !$0[tripColumn].isEmpty }.flatMap { Double($0[0]) })
    let end = try #require(cells.last.flatMap { Double($0[0]) })
    let line = try #require(markers[0].children.first { $0.name == "line" })
    let x = try #require(line.attributes["x1"].flatMap(Double.init))
    #expect(abs(x - (80 + detected / end * 920)) <= 0.06, "x \(x) for \(detected) s of \(end) s")
  }

  /// An accepted reset is marked where the trip cleared, at the time the summary gives.
  @Test func anAcceptedResetIsMarked() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (summary, tree, _) = try run("Profiles/faults/cryo-dropout-reset.json", in: directory)
    let reset = try #require(
      summary.split(separator: "\n").first {
        $0.hasPrefix("reset  at ") && $0.hasSuffix("accepted")
      })
    // "reset  at 10:10.0: accepted" → "10:10.0"
    let time = reset.dropFirst("reset  at ".count).split(separator: ":").prefix(2)
      .joined(separator: ":")
    #expect(tree.classed("trip-marker").count == 1)
    let labels = tree.classed("reset-label").map(\.allText)
    #expect(labels == ["reset at \(time)"], "\(labels) for '\(reset)'")
  }

  /// A replayed trace starts where its first row does: so does the time axis.
  @Test func aReplayIsDrawnFromItsFirstRow() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (_, tree, csv) = try run("Profiles/traces/skin-freeze-event.json", in: directory)
    let first = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
      .first { !$0.hasPrefix("#") && !$0.hasPrefix("time_s") }.flatMap {
        Double($0.split(separator: ",")[0])
      }
    let firstMinutes = try #require(first) / 60
    let ticks = try #require(tree.classed("time-axis").first).descendants
      .filter { $0.name == "text" && $0.attributes["text-anchor"] == "middle" }
      .compactMap { Double($0.allText) }
    #expect(ticks.count >= 3 && ticks.allSatisfy { $0 >= firstMinutes - 1e-9 }, "\(ticks)")
    #expect(
      tree.classed("trip-marker").first?.attributes["data-check"]?.hasPrefix("freeze-detected")
        == true)
  }

  /// `devsim plot` draws the same picture from the file, CSV or JSON Lines:
  /// the same series, band, phases and dose (the trip label has no subject:
  /// the file does not record it).
  @Test(arguments: ["run.csv", "run.jsonl"]) func plottingTheTelemetryFileDrawsTheSameRun(
    _ telemetry: String
  ) throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (_, direct, file) = try run(tripping, in: directory, telemetry: telemetry)
    let out = directory.appendingPathComponent("from-file.svg").path
    let result = devsim(["plot", file, "-o", out])
    #expect(result.code == 0, "\(result.errors)")
    let tree = try XMLTree.parse(contentsOf: out)
    try expectPlotBasics(tree, profile: tripping, phasesReached: 1)
    #expect(tree.classed("dose").first?.allText == direct.classed("dose").first?.allText)
    #expect(tree.classed("trip-marker").first?.attributes["data-check"] == "sensor-plausibility")
    let band = { (tree: XMLTree) in tree.classed("window-band").first?.attributes ?? [:] }
    #expect(band(tree) == band(direct))
    let boundary = { (tree: XMLTree) in tree.classed("phase-boundary").map(\.attributes) }
    #expect(boundary(tree) == boundary(direct))
  }

  @Test func theDefaultOutputReplacesTheExtension() {
    #expect(PlotCommand.defaultOutput(for: "runs/a.csv") == "runs/a.svg")
    #expect(PlotCommand.defaultOutput(for: "runs.d/a") == "runs.d/a.svg")
    #expect(PlotCommand.defaultOutput(for: ".hidden") == ".hidden.svg")
  }

  @Test func badInputIsRefusedWithItsExitCode() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(devsim(["plot"]).code == 64)
    #expect(devsim(["plot", "a.csv", "b.csv"]).code == 64)
    let missing = devsim(["plot", directory.appendingPathComponent("none.csv").path])
    #expect(missing.code == 66)
    // A trace from another tool has readings but no run context, and here no
    // profile beside it that replays it: data error, no file.
    let trace = directory.appendingPathComponent("foreign.csv").path
    try FileManager.default.copyItem(
      atPath: path("Profiles/traces/plate-sensor-falls-off.csv"), toPath: trace)
    let out = directory.appendingPathComponent("trace.svg").path
    let foreign = devsim(["plot", trace, "-o", out])
    #expect(foreign.code == 65 && foreign.errors.contains("no run context"))
    // A damaged row names its line.
    let (_, _, csv) = try run(normal, in: directory)
    var lines = try String(contentsOfFile: csv, encoding: .utf8).split(
      separator: "\n", omittingEmptySubsequences: false
    ).map(String.init)
    lines[10] = lines[10].replacingOccurrences(of: ",cool-and-hold,", with: ",warm-up,")
    let damaged = directory.appendingPathComponent("damaged.csv").path
    try lines.joined(separator: "\n").write(toFile: damaged, atomically: true, encoding: .utf8)
    let bad = devsim(["plot", damaged, "-o", out])
    #expect(bad.code == 65 && bad.errors.contains("damaged.csv:11: unknown phase 'warm-up'"))
    #expect(!FileManager.default.fileExists(atPath: out), "no plot is left behind")
    #expect(devsim(["help", "plot"]).output.contains("USAGE: devsim plot <telemetry>"))
    // A plot that cannot be written fails before the run, with the I/O code.
    let nowhere = directory.appendingPathComponent("no-such-directory/run.svg").path
    let unwritable = devsim(["run", path(normal), "--plot", nowhere, "--quiet"])
    #expect(unwritable.code == 74 && unwritable.errors.contains("cannot write \(nowhere)"))
  }

  /// A profile name with XML's special characters reaches the title intact.
  @Test func labelsWithMarkupCharactersAreEscaped() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let name = "cryo <plate> & \"probe\" 'test'"
    let text = try String(contentsOfFile: path(normal), encoding: .utf8)
      .replacingOccurrences(
        of: "\"name\": \"cryolipolysis-35min\"", with: "\"name\": \(JSONText.quoted(name))")
    try #require(text.contains(JSONText.quoted(name)))
    let profile = directory.appendingPathComponent("odd.json").path
    try text.write(toFile: profile, atomically: true, encoding: .utf8)
    let svg = directory.appendingPathComponent("odd.svg").path
    #expect(devsim(["run", profile, "--plot", svg, "--quiet"]).code == 0)
    let tree = try XMLTree.parse(contentsOf: svg)
    #expect(tree.classed("plot-title").first?.allText == "\(name) (cryolipolysis)")
    let html = directory.appendingPathComponent("odd.html").path
    #expect(devsim(["suite", profile, "--html", html, "--quiet"]).code == 0)
    let report = try XMLTree.parse(contentsOf: html)
    #expect(report.all("a").first?.allText == name)
  }

  /// The suite report: totals, failures first, metrics, one inline plot per scenario.
  @Test func theSuiteReportListsFailuresFirstWithTheirPlots() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // Three scenarios in this (sorted) order; the last fails: the plate-open
    // fault, expecting the wrong check.
    let tripText = try String(contentsOfFile: path(tripping), encoding: .utf8)
    let files = [
      ("a-normal.json", try String(contentsOfFile: path(normal), encoding: .utf8)),
      ("b-trip.json", tripText),
      (
        "c-wrong-expectation.json",
        tripText.replacingOccurrences(
          of: "\"check\": \"sensor-plausibility\"", with: "\"check\": \"hard-low\"")
      ),
    ]
    for (name, text) in files {
      try text.write(
        toFile: directory.appendingPathComponent(name).path, atomically: true, encoding: .utf8)
    }
    let html = directory.appendingPathComponent("suite.html").path
    let suite = devsim(["suite", directory.path, "--html", html, "--quiet"])
    #expect(suite.code == 1)
    let tree = try XMLTree.parse(contentsOf: html)
    #expect(tree.root?.name == "html")
    let summary = try #require(tree.classed("summary").first?.allText)
    #expect(summary.contains("2 passed, 1 failed, 3 total, wall time "), "\(summary)")
    let rows = tree.all("tbody").first?.children.filter { $0.name == "tr" } ?? []
    let caseRows = rows.filter { !$0.hasClass("detail") }
    #expect(caseRows.map { $0.hasClass("fail") } == [true, false, false], "failures first")
    let failureText = rows.filter { $0.hasClass("detail") }.map(\.allText).joined()
    #expect(failureText.contains("expected a hard-low trip, but sensor-plausibility tripped"))
    let cells = caseRows.map { $0.children.filter { $0.name == "td" }.map(\.allText) }
    #expect(cells[1][3].hasPrefix("cool-and-hold ") && cells[1][3].hasSuffix(" %"), "in window")
    #expect(cells[0][4].hasPrefix("sensor-plausibility on plate at 10:00."), "trip: \(cells[0][4])")
    // The open thermistor's −60 °C against the plausible range's −40 °C, with the unit.
    #expect(cells[0][4].hasSuffix(" (reading -60.00 °C, limit -40.00 °C)"), "trip: \(cells[0][4])")
    #expect(cells[0][5].contains("(≤ 0.400 s)"), "reaction with bound: \(cells[0][5])")
    #expect(cells[1][6].hasSuffix("min at or below +10 °C at fat-7mm"), "dose: \(cells[1][6])")
    let sections = tree.all("section")
    #expect(sections.count == 3)
    for section in sections {
      let plots = section.descendants.filter { $0.name == "svg" && $0.hasClass("run-plot") }
      #expect(plots.count == 1 && plots[0].classed("sensor").count == 5)
    }
    #expect(sections[0].classed("trip-marker").count == 1)
    #expect(sections[2].classed("trip-marker").count == 1)
    #expect(sections[1].classed("trip-marker").isEmpty)
    // Each row links to its scenario's section.
    let links = tree.all("a").compactMap { $0.attributes["href"] }
    #expect(links == sections.compactMap { $0.attributes["id"].map { "#" + $0 } })
  }
}
