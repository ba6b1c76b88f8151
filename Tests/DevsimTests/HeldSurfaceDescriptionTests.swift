import ApplicatorSimulation
import Foundation
import Testing
import ThermalLoop

@testable import DevsimKit

/// The `held-surface-minus-11` profile says how far its fat probes end from
/// the erf solution of a step in surface temperature; the figures it quotes
/// are the simulator's, measured here.
@Suite struct HeldSurfaceDescriptionTests {
  /// The probes' mean over the last minute of the 60-minute hold, °C, by sensor name.
  private func lastMinute(_ profile: Profile) -> [String: Double] {
    var loop = Simulation.makeLoop(profile, seed: profile.seed)
    var sums = [Double](repeating: 0, count: profile.sensors.count)
    var count = 0
    var now: UInt64 = 0
    while now <= 3_600_000_000_000 {
      let record = loop.tick(nowNanoseconds: now)
      if now >= 3_540_000_000_000 {
        for index in sums.indices { sums[index] += record.celsius[index] }
        count += 1
      }
      now += profile.tickNanoseconds
    }
    var means: [String: Double] = [:]
    for (index, sensor) in profile.sensors.enumerated() {
      means[sensor.name] = sums[index] / Double(count)
    }
    return means
  }

  @Test func theDescriptionQuotesTheMeasuredDepartureFromTheErfSolution() throws {
    let loaded = try loadShipped("Profiles/open-loop/held-surface-minus-11.json")
    let description = loaded.profile.description
    // T = Ts + (Ti − Ts)·erf(x / (2√(αt))), fat: α = k/(ρc), Ti = 35 °C, Ts = −11 °C, t = 60 min.
    let fat = TissueProperties.fat
    let alpha = fat.conductivityWattsPerMetreKelvin / fat.volumetricHeatCapacity
    func erfSolution(_ metres: Double) -> Double {
      -11 + (35 - -11) * erf(metres / (2 * (alpha * 3600).squareRoot()))
    }
    let text = { (value: Double) in DecimalText.string(value, decimals: 1) }
    #expect(
      description.contains(
        "gives \(text(erfSolution(0.005))) °C at 5 mm and "
          + "\(text(erfSolution(0.010))) °C at 10 mm"), "\(description)")

    let perfused = lastMinute(loaded.profile)
    let at5 = try #require(perfused["fat-5mm"])
    let at10 = try #require(perfused["fat-10mm"])
    #expect(description.contains("the probes read \(text(at5)) °C and \(text(at10)) °C"))
    #expect(
      description.contains(
        "\(text(at5 - erfSolution(0.005))) °C and \(text(at10 - erfSolution(0.010))) °C warmer"),
      "5 mm: \(at5 - erfSolution(0.005)), 10 mm: \(at10 - erfSolution(0.010))")

    var unperfused = loaded.profile
    unperfused.plant.perfusionScale = 0
    let still = lastMinute(unperfused)
    let still5 = try #require(still["fat-5mm"]) - erfSolution(0.005)
    let still10 = try #require(still["fat-10mm"]) - erfSolution(0.010)
    #expect(
      description.contains("\(text(still5)) °C and \(text(still10)) °C warmer than the erf"),
      "without perfusion 5 mm: \(still5), 10 mm: \(still10)")
    // Perfusion is most of the departure, at both depths.
    #expect(still5 < (at5 - erfSolution(0.005)) / 2 && still10 < (at10 - erfSolution(0.010)) / 2)
  }
}
