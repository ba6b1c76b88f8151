import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// The plot's window panel (a band zoom under the full-range panel), plots
/// of shipped traces and of files cut short, and a missing file's reason:
/// every SVG parsed by `XMLParser`.
@Suite(.tags(.io)) struct PlotWindowPanelTests {
  private func path(_ relative: String) -> String {
    repositoryRoot.appendingPathComponent(relative).path
  }

  /// The points of an SVG path as `plot` draws them (`M x,y x,y … Mx,y…`).
  private func points(_ data: String) -> [(x: Double, y: Double)] {
    data.split(whereSeparator: { $0 == "M" || $0 == " " }).compactMap { pair in
      let parts = pair.replacingOccurrences(of: "h1", with: "").split(separator: ",")
      guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]) else {
        return nil
      }
      return (x, y)
    }
  }

  private func number(_ element: XMLTree.Element?, _ name: String) throws -> Double {
    try #require(element?.attributes[name].flatMap(Double.init), "\(name)")
  }

  /// The cryolipolysis hold in the zoom: the axis covers the window (−13 …
  /// −11 °C, from the profile) with no more than a few degrees around it, so
  /// the band is at least five times as tall as in the full-range panel, and
  /// over the second half of the treatment every point of the plate's trace
  /// lies inside the band (the hold the shipped profile keeps).
  @Test func theCryoHoldIsDrawnInAZoomOnTheWindow() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let svg = directory.appendingPathComponent("run.svg").path
    let run = devsim(["run", path("Profiles/cryolipolysis-35min.json"), "--plot", svg, "--quiet"])
    #expect(run.code == 0, "\(run.errors)")
    let tree = try XMLTree.parse(contentsOf: svg)
    #expect(tree.root?.attributes["viewBox"] == "0 0 1200 800")
    let panel = try #require(tree.classed("window-panel").first)
    let low = try number(panel, "data-low")
    let high = try number(panel, "data-high")
    #expect(low <= -13 && high >= -11, "axis \(low) … \(high) covers the window")
    #expect(high - low <= 10, "a zoom, not the full range: \(low) … \(high)")
    let limits = panel.classed("window-limit")
    #expect(limits.count == 2)

    let zoomBand = try #require(panel.classed("window-zoom-band").first)
    let fullBand = try #require(tree.classed("window-band").first)
    let zoomHeight = try number(zoomBand, "height")
    #expect(zoomHeight >= 5 * (try number(fullBand, "height")), "the window is not a sliver")
    let top = try number(zoomBand, "y")
    let bottom = top + zoomHeight
    let start = try number(zoomBand, "x")
    let end = start + (try number(zoomBand, "width"))
    // The band's edges are the window's limits on the panel's own axis.
    let limitYs = try limits.map { try number($0, "y1") }.sorted()
    #expect(abs(limitYs[0] - top) < 0.11 && abs(limitYs[1] - bottom) < 0.11)

    let probe = try #require(panel.classed("window-probe").first)
    #expect(probe.attributes["data-series"] == "plate")
    let held = points(probe.attributes["d"] ?? "").filter {
      $0.x >= (start + end) / 2 && $0.x <= end
    }
    #expect(held.count > 100)
    #expect(held.allSatisfy { $0.y >= top && $0.y <= bottom }, "the plate holds inside the window")
    // The panel clips what leaves the zoom: the warm start is in the panel above.
    let viewport = try #require(panel.children.first { $0.name == "svg" })
    #expect(viewport.attributes["overflow"] == "hidden")
    #expect(panel.classed("window-setpoint").count == 1)
  }

  /// The laser window (45 … 47 °C) gets its own zoom.
  @Test func theLaserWindowHasItsZoom() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let svg = directory.appendingPathComponent("laser.svg").path
    let run = devsim(["run", path("Profiles/laser-lipolysis-25min.json"), "--plot", svg, "--quiet"])
    #expect(run.code == 0, "\(run.errors)")
    let panel = try #require(try XMLTree.parse(contentsOf: svg).classed("window-panel").first)
    let low = try number(panel, "data-low")
    let high = try number(panel, "data-high")
    #expect(low <= 45 && high >= 47 && high - low <= 10, "\(low) … \(high)")
  }

  /// A shipped trace (time and readings only) plots, with the window and
  /// phases of the profile beside it that replays it; its sensors are the
  /// trace's columns, and the missing commands are said to be missing.
  @Test func aShippedTracePlots() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("trace.svg").path
    let trace = "Profiles/traces/plate-sensor-falls-off.csv"
    let result = devsim(["plot", trace, "-o", out])
    #expect(result.code == 0, "\(result.errors)")
    #expect(result.output.contains("from Profiles/traces/plate-sensor-falls-off.json"))
    let tree = try XMLTree.parse(contentsOf: out)
    #expect(
      tree.classed("sensor").compactMap { $0.attributes["data-series"] }
        == ["plate", "plate-b", "skin", "fat-7mm", "heatsink"])
    #expect(tree.classed("no-command").first?.allText == "no command recorded")
    #expect(tree.classed("window-probe").first?.attributes["data-series"] == "plate")
    // The plate comes off at 12:00 and drifts up: the zoom shows it leaving the window.
    let plate = points(tree.classed("window-probe").first?.attributes["d"] ?? "")
    #expect(plate.contains { $0.y < RunPlot.windowTop })

    // Elsewhere, without the profile beside it: refused with what to give, or drawn with it.
    let copy = directory.appendingPathComponent("incident.csv").path
    try FileManager.default.copyItem(atPath: path(trace), toPath: copy)
    let alone = devsim(["plot", copy, "-o", out])
    #expect(alone.code == 65 && alone.errors.contains("--profile"), "\(alone.errors)")
    let given = devsim([
      "plot", copy, "-o", out, "--profile", "Profiles/traces/plate-sensor-falls-off.json",
    ])
    #expect(given.code == 0, "\(given.errors)")
    // The devsim-form trace (no run context line) plots as well.
    let freeze = devsim(["plot", "Profiles/traces/skin-freeze-event.csv", "-o", out])
    #expect(freeze.code == 0, "\(freeze.errors)")
    #expect(try XMLTree.parse(contentsOf: out).classed("command-sent").count == 1)
  }

  /// A telemetry file cut mid-row (a run stopped while writing) is drawn up
  /// to its last whole row, with a warning naming the line; CSV and JSON Lines.
  @Test(arguments: ["run.csv", "run.jsonl"]) func aFileCutShortIsDrawnToItsLastWholeRow(
    _ name: String
  ) throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let telemetry = directory.appendingPathComponent(name).path
    let run = devsim(["run", path("Profiles/cryolipolysis-35min.json"), "-o", telemetry, "--quiet"])
    #expect(run.code == 0, "\(run.errors)")
    let bytes = try #require(FileManager.default.contents(atPath: telemetry))
    // Cut in the middle of a row, halfway through the file.
    var cut = bytes.count / 2
    while bytes[cut - 1] == UInt8(ascii: "\n") || bytes[cut] == UInt8(ascii: "\n") { cut += 1 }
    let cutFile = directory.appendingPathComponent("cut-" + name).path
    try Data(bytes.prefix(cut)).write(to: URL(fileURLWithPath: cutFile))
    let lines = bytes.prefix(cut).split(
      separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let lastWhole = String(decoding: lines[lines.count - 2], as: UTF8.self)
    let out = directory.appendingPathComponent("cut.svg").path
    let result = devsim(["plot", cutFile, "-o", out])
    #expect(result.code == 0, "\(result.errors)")
    #expect(
      result.errors.contains("warning: \(cutFile):\(lines.count): the last line is cut short"),
      "\(result.errors)")
    #expect(result.errors.contains("read up to the last whole row (line \(lines.count - 1))"))
    // The series ends at the last whole row's time.
    let series = try TelemetryFile.load(cutFile)
    let lastTime: Double
    if name.hasSuffix(".csv") {
      lastTime = try #require(Double(lastWhole.split(separator: ",")[0]))
    } else {
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(lastWhole.utf8)) as? [String: Any])
      lastTime = try #require(object["time_s"] as? Double)
    }
    #expect(series.seconds.last == lastTime)
    // A whole file gives no warning.
    let whole = devsim(["plot", telemetry, "-o", out])
    #expect(whole.code == 0 && !whole.errors.contains("warning"))
  }

  /// A missing file: exit 66 (EX_NOINPUT) and why.
  @Test func aMissingFileSaysWhy() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = directory.appendingPathComponent("none.csv").path
    let result = devsim(["plot", missing])
    #expect(result.code == 66)
    #expect(result.errors.contains("\(missing): no such file"), "\(result.errors)")
    let folder = devsim(["plot", directory.path, "-o", missing + ".svg"])
    #expect(folder.code == 66 && folder.errors.contains("is a directory"), "\(folder.errors)")
  }
}
