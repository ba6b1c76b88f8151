import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit

/// ``StreamingThinner``: a run's series kept bounded while it streams in,
/// every column keeping each series' extremes.
@Suite struct PlotThinningTests {
  private func context() -> TelemetryContext {
    TelemetryContext(
      name: "thin", mode: .cryolipolysis,
      window: TemperatureWindow(lowCelsius: -13, highCelsius: -11), controlSensor: "plate",
      doseSensor: "plate",
      phases: [
        TelemetryContext.Phase(name: "hold", kind: .treatment),
        TelemetryContext.Phase(name: "rewarm", kind: .transition),
      ])
  }

  /// Streams `count` ticks of noise (two sensors, a command) with spikes and
  /// failed reads through a thinner; returns the full series, the thinned
  /// one and the most ticks the thinned one held at any time.
  private func stream(_ count: Int, thinner: StreamingThinner) -> (
    full: RunSeries, thinned: RunSeries, peak: Int, thinner: StreamingThinner
  ) {
    var generator = SplitMix(seed: 11)
    var thinner = thinner
    var full = RunSeries(context: context(), provenance: "", sensorNames: ["plate", "skin"])
    var thinned = full
    var peak = 0
    func noise() -> Double { Double(generator.next() % 1_000) / 1_000 }
    for tick in 0..<count {
      let plate: Double
      switch tick {
      case 123_457: plate = 40  // a one-tick spike up
      case 654_321: plate = -60  // and down
      case 300_000..<300_003: plate = .nan  // a failed read
      default: plate = -12 + noise()
      }
      let skin = -8 + noise()
      let command = -0.3 + noise() / 10
      func add(_ series: inout RunSeries) {
        series.seconds.append(Double(tick) * 0.1)
        series.phaseIndex.append(tick < 700_001 ? 0 : 1)
        series.targetCelsius.append(tick < 700_001 ? -12 : 5)
        series.sensors[0].celsius.append(plate)
        series.sensors[1].celsius.append(skin)
        series.controllerCommand.append(command)
        series.sentCommand.append(command)
        series.readBack.append(.nan)
        series.doseMinutes.append(Double(tick) / 600)
      }
      add(&full)
      add(&thinned)
      thinner.didAppend(&thinned)
      peak = max(peak, thinned.count)
    }
    return (full, thinned, peak, thinner)
  }

  /// A million ticks (a 28-hour run at 10 Hz) held in a bounded number of
  /// ticks; the spikes, the failed read, the phase change, the first and
  /// the last tick all kept; and in every column of the final width each
  /// series' lowest and highest value is the full series' (checked by a
  /// brute-force pass over the full series).
  @Test func aMillionTicksStayBoundedAndKeepEveryColumnsExtremes() throws {
    let count = 1_000_000
    let (full, thinned, peak, thinner) = stream(
      count, thinner: StreamingThinner(startRows: 20_000, minimumColumns: 1_000))
    // Seven value series (two sensors, the setpoint, three commands, the
    // dose): at most 2 × 1,000 columns × (3 × 7 + 2) ticks, a phase change
    // and a partial column of 256.
    #expect(peak <= 2 * 1_000 * (3 * 7 + 2) + 1 + 256, "peak \(peak) ticks")
    #expect(peak < count / 20)
    #expect(thinned.seconds.first == 0 && thinned.seconds.last == full.seconds.last)
    #expect(zip(thinned.seconds, thinned.seconds.dropFirst()).allSatisfy { $0 < $1 }, "in order")
    let plate = thinned.sensors[0].celsius
    #expect(plate.contains(40) && plate.contains(-60))
    #expect(plate.contains { $0.isNaN }, "the failed read stays a gap")
    let change = try #require(thinned.phaseIndex.firstIndex(of: 1))
    #expect(thinned.seconds[change] == full.seconds[700_001], "the phase change kept at its tick")
    #expect(thinned.doseMinutes.last == full.doseMinutes.last)

    let width = thinner.columnSeconds
    try #require(width > 0)
    func column(_ seconds: Double) -> Int { Int(seconds / width) }
    for (name, fullValues, thinValues) in [
      ("plate", full.sensors[0].celsius, thinned.sensors[0].celsius),
      ("skin", full.sensors[1].celsius, thinned.sensors[1].celsius),
      ("controller", full.controllerCommand, thinned.controllerCommand),
    ] {
      var fullLow: [Int: Double] = [:]
      var fullHigh: [Int: Double] = [:]
      for (time, value) in zip(full.seconds, fullValues) where value.isFinite {
        fullLow[column(time)] = min(fullLow[column(time)] ?? .infinity, value)
        fullHigh[column(time)] = max(fullHigh[column(time)] ?? -.infinity, value)
      }
      var thinLow: [Int: Double] = [:]
      var thinHigh: [Int: Double] = [:]
      for (time, value) in zip(thinned.seconds, thinValues) where value.isFinite {
        thinLow[column(time)] = min(thinLow[column(time)] ?? .infinity, value)
        thinHigh[column(time)] = max(thinHigh[column(time)] ?? -.infinity, value)
      }
      #expect(thinLow == fullLow && thinHigh == fullHigh, "\(name)")
      #expect(fullLow.count >= 1_000, "\(name): at least the minimum of columns")
    }
  }

  /// A run shorter than the start keeps every tick.
  @Test func aShortRunKeepsEveryTick() {
    let (full, thinned, _, thinner) = stream(
      5_000, thinner: StreamingThinner(startRows: 20_000, minimumColumns: 1_000))
    #expect(thinner.columnSeconds == 0)
    #expect(thinned.seconds == full.seconds)
    #expect(thinned.sensors[1].celsius == full.sensors[1].celsius)
  }
}
