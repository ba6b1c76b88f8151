import ApplicatorSimulation
import Foundation
import ThermalLoop

/// The fixture of `devsim bench plot`: the 60-minute cryolipolysis hold of
/// ``PlantBenchmark`` (five probes at 10 Hz: 36,000 records), recorded in
/// memory and as CSV telemetry, then drawn.
///
/// Two figures: drawing the run in memory (`devsim run --plot`), and reading
/// the CSV file back and drawing it (`devsim plot`).
package struct PlotBenchmark {
  /// The recorded run.
  package let series: RunSeries
  /// Its telemetry, as `devsim run -o` writes it.
  package let telemetryCSV: [UInt8]

  /// Simulates `minutes` of the hold and records it.
  package init(minutes: Double) {
    let ticks = Int(minutes * 600)
    var loop = PlantBenchmark.makeLoop(minutes: minutes)
    let names = ["plate", "plate-b", "skin", "fat-7mm", "heatsink"]
    let context = TelemetryContext(
      name: "bench-plot", mode: .cryolipolysis,
      window: TemperatureWindow(lowCelsius: -13, highCelsius: -11), controlSensor: "plate",
      doseSensor: "fat-7mm", phases: [TelemetryContext.Phase(name: "hold", kind: .treatment)])
    let provenance = TelemetryProvenance(
      toolVersion: Version.string, seed: 1, profilePath: "(bench plot)",
      profileSHA256: String(repeating: "0", count: 64))
    var recorder = RunSeriesRecorder(
      context: context, provenance: provenance.line, sensorNames: names, expectedTicks: ticks,
      next: TelemetryWriter(
        format: .csv, provenance: provenance, context: context, sensorNames: names))
    var runner = LoopRunner(
      clock: VirtualClock(), periodNanoseconds: PlantBenchmark.tickNanoseconds)
    _ = runner.run(
      &loop, durationNanoseconds: UInt64(ticks - 1) * PlantBenchmark.tickNanoseconds,
      observeAfterTripNanoseconds: 0, sink: &recorder, stop: NeverStop())
    series = recorder.series
    telemetryCSV = recorder.next.bytes
  }

  /// Draws the recorded run; returns the SVG's size in bytes.
  package func drawFromMemory() -> Int { RunPlot.svg(series).utf8.count }

  /// Reads the telemetry file at `path` and draws it, as `devsim plot` does.
  package static func drawFromFile(_ path: String) throws(KitError) -> Int {
    RunPlot.svg(try TelemetryFile.load(path)).utf8.count
  }
}
