import ApplicatorHAL
import ApplicatorSimulation
import Foundation
import TestSupport
import Testing

private let millisecond: UInt64 = 1_000_000
private let second: UInt64 = 1_000_000_000
/// Where a detached probe drifts to; no other fault looks at it.
private let room = 22.0

/// A probe with no noise and no quantisation, so the lag and the faults can be
/// checked against closed forms exactly.
private func idealModel(
  lagSeconds: Double = 0, periodNanoseconds: UInt64 = 100 * millisecond
) -> SensorModel {
  var model = SensorModel(location: .plate)
  model.lagSeconds = lagSeconds
  model.noiseRmsCelsius = 0
  model.resolutionCelsius = 0
  model.periodNanoseconds = periodNanoseconds
  return model
}

private func read(_ sensor: inout SimulatedSensor, at now: UInt64) -> TemperatureSample? {
  try? sensor.read(nowNanoseconds: now)
}

@Suite("SimulatedSensor")
struct SimulatedSensorTests {
  @Test("first-order lag: a step response follows 1 − exp(−t/τ)", .tags(.physics))
  func stepResponse() throws {
    let tau = 0.5
    var sensor = SimulatedSensor(model: idealModel(lagSeconds: tau), initialCelsius: 0)
    var random = SeededRandom(seed: 1)
    for k in 0...40 {
      let now = UInt64(k) * 100 * millisecond
      sensor.update(trueCelsius: 10, ambientCelsius: room, nowNanoseconds: now, random: &random)
      let sample = try #require(read(&sensor, at: now))
      let t = Double(now) * 1e-9
      let expected = 10 * (1 - Foundation.exp(-t / tau))
      // 40 updates, each within a few ulps of 10 °C (and exp within 2e-15).
      #expect(abs(sample.celsius - expected) < 1e-12, "t = \(t)")
      #expect(sample.timestampNanoseconds == now)
      #expect(sample.isNew)
    }
  }

  @Test("first-order lag: the response does not depend on how often the probe is updated")
  func lagIndependentOfUpdateRate() throws {
    // The lag is integrated exactly for a piecewise-constant input, so a probe
    // updated every 10 ms and one updated every 250 ms agree wherever both convert.
    let tau = 1.3
    var fine = SimulatedSensor(
      model: idealModel(lagSeconds: tau, periodNanoseconds: 1), initialCelsius: 20)
    var coarse = SimulatedSensor(
      model: idealModel(lagSeconds: tau, periodNanoseconds: 1), initialCelsius: 20)
    var random = SeededRandom(seed: 1)
    var now: UInt64 = 0
    while now <= 5 * second {
      fine.update(trueCelsius: -12, ambientCelsius: room, nowNanoseconds: now, random: &random)
      if now % (250 * millisecond) == 0 {
        coarse.update(trueCelsius: -12, ambientCelsius: room, nowNanoseconds: now, random: &random)
        let a = try #require(read(&fine, at: now))
        let b = try #require(read(&coarse, at: now))
        let t = Double(now) * 1e-9
        #expect(abs(a.celsius - b.celsius) < 1e-12)
        #expect(abs(b.celsius - (-12 + 32 * Foundation.exp(-t / tau))) < 1e-12)
      }
      now += 10 * millisecond
    }
  }

  @Test(
    "quantisation: a reading is the nearest multiple of the resolution",
    arguments: [
      (20.2, 0.5, 20.0), (20.3, 0.5, 20.5), (-12.74, 0.5, -12.5), (-12.76, 0.5, -13.0),
      (36.987, 0.01, 36.99), (36.984, 0.01, 36.98), (-0.004, 0.01, 0.0), (45.06, 0.125, 45.0),
    ])
  func quantisation(truth: Double, resolution: Double, expected: Double) throws {
    var model = idealModel()
    model.resolutionCelsius = resolution
    var sensor = SimulatedSensor(model: model, initialCelsius: truth)
    var random = SeededRandom(seed: 1)
    sensor.update(trueCelsius: truth, ambientCelsius: room, nowNanoseconds: 0, random: &random)
    let sample = try #require(read(&sensor, at: 0))
    #expect(abs(sample.celsius - expected) < 1e-12)
  }

  @Test("quantisation: noisy readings stay on the resolution grid")
  func quantisedNoise() throws {
    var model = SensorModel(location: .plate)
    model.lagSeconds = 0
    model.noiseRmsCelsius = 0.05
    model.resolutionCelsius = 0.01
    var sensor = SimulatedSensor(model: model, initialCelsius: 33)
    var random = SeededRandom(seed: 5)
    var distinct = Set<Int>()
    for k in 0..<500 {
      let now = UInt64(k) * model.periodNanoseconds
      sensor.update(trueCelsius: 33.003, ambientCelsius: room, nowNanoseconds: now, random: &random)
      let value = try #require(read(&sensor, at: now)).celsius
      let steps = value / 0.01
      #expect(abs(steps - steps.rounded()) < 1e-9)
      distinct.insert(Int(steps.rounded()))
    }
    // 0.05 °C RMS over a 0.01 °C grid spreads over many steps.
    #expect(distinct.count > 10)
  }

  @Test("conversion period: reads between conversions repeat the sample with isNew false")
  func conversionPeriod() throws {
    let period = 500 * millisecond
    var sensor = SimulatedSensor(model: idealModel(periodNanoseconds: period), initialCelsius: 0)
    var random = SeededRandom(seed: 1)
    var lastConversion: TemperatureSample? = nil
    for k in 0...25 {
      let now = UInt64(k) * 100 * millisecond
      let truth = Double(k)  // changes every tick
      sensor.update(trueCelsius: truth, ambientCelsius: room, nowNanoseconds: now, random: &random)
      let sample = try #require(read(&sensor, at: now))
      if now % period == 0 {
        #expect(sample.isNew, "a conversion is due at \(now)")
        #expect(sample.celsius == truth)
        #expect(sample.timestampNanoseconds == now)
        lastConversion = sample
      } else {
        let previous = try #require(lastConversion)
        #expect(!sample.isNew, "no conversion at \(now)")
        #expect(sample.celsius == previous.celsius)
        #expect(sample.timestampNanoseconds == previous.timestampNanoseconds)
      }
    }
  }

  @Test(
    "open and short read the model's rail values from the next conversion on",
    .tags(.safety), arguments: [SensorFaultKind.open, .short])
  func railFaults(kind: SensorFaultKind) throws {
    var model = idealModel()
    model.openReadsCelsius = -55
    model.shortReadsCelsius = 140
    var sensor = SimulatedSensor(model: model, initialCelsius: 25)
    var random = SeededRandom(seed: 1)
    sensor.update(trueCelsius: 25, ambientCelsius: room, nowNanoseconds: 0, random: &random)
    sensor.inject(kind, value: nil, nowNanoseconds: 50 * millisecond)
    #expect(sensor.activeFault == kind)
    // Before the next conversion the last good sample stands.
    sensor.update(
      trueCelsius: 25, ambientCelsius: room, nowNanoseconds: 50 * millisecond, random: &random)
    #expect(try #require(read(&sensor, at: 50 * millisecond)).celsius == 25)
    for k in 1...5 {
      let now = UInt64(k) * 100 * millisecond
      sensor.update(trueCelsius: 25, ambientCelsius: room, nowNanoseconds: now, random: &random)
      let sample = try #require(read(&sensor, at: now))
      #expect(sample.celsius == (kind == .open ? -55 : 140))
      #expect(sample.isNew)
      #expect(sample.timestampNanoseconds == now)
    }
  }

  @Test("stuck without a value freezes at the last reading while the truth moves", .tags(.safety))
  func stuckAtLastReading() throws {
    var sensor = SimulatedSensor(model: idealModel(), initialCelsius: 10)
    var random = SeededRandom(seed: 1)
    sensor.update(trueCelsius: 10, ambientCelsius: room, nowNanoseconds: 0, random: &random)
    sensor.update(
      trueCelsius: 11, ambientCelsius: room, nowNanoseconds: 100 * millisecond, random: &random)
    sensor.inject(.stuck, value: nil, nowNanoseconds: 100 * millisecond)
    for k in 2...20 {
      let now = UInt64(k) * 100 * millisecond
      sensor.update(
        trueCelsius: 11 + Double(k), ambientCelsius: room, nowNanoseconds: now, random: &random)
      let sample = try #require(read(&sensor, at: now))
      #expect(sample.celsius == 11)
      #expect(sample.isNew)  // the device still converts; the value is what is stuck
    }
  }

  @Test("stuck with a value reads that value", .tags(.safety))
  func stuckAtValue() throws {
    var sensor = SimulatedSensor(model: idealModel(), initialCelsius: 10)
    var random = SeededRandom(seed: 1)
    sensor.update(trueCelsius: 10, ambientCelsius: room, nowNanoseconds: 0, random: &random)
    sensor.inject(.stuck, value: -12.3, nowNanoseconds: 0)
    for k in 1...10 {
      let now = UInt64(k) * 100 * millisecond
      sensor.update(trueCelsius: 30, ambientCelsius: room, nowNanoseconds: now, random: &random)
      #expect(try #require(read(&sensor, at: now)).celsius == -12.3)
    }
  }

  @Test("drift adds rate × time since injection", .tags(.safety), arguments: [0.25, -0.4, nil])
  func drift(rate: Double?) throws {
    var sensor = SimulatedSensor(model: idealModel(), initialCelsius: 20)
    var random = SeededRandom(seed: 1)
    sensor.update(trueCelsius: 20, ambientCelsius: room, nowNanoseconds: 0, random: &random)
    let start = 300 * millisecond
    sensor.inject(.drift, value: rate, nowNanoseconds: start)
    for k in 3...50 {
      let now = UInt64(k) * 100 * millisecond
      let truth = 20 + 0.01 * Double(k)
      sensor.update(trueCelsius: truth, ambientCelsius: room, nowNanoseconds: now, random: &random)
      let elapsed = Double(now - start) * 1e-9
      // The documented default is 0.1 °C/s.
      let expected = truth + (rate ?? 0.1) * elapsed
      #expect(abs(try #require(read(&sensor, at: now)).celsius - expected) < 1e-12)
    }
  }

  @Test("dropout: every read times out", .tags(.safety))
  func dropout() {
    var sensor = SimulatedSensor(model: idealModel(), initialCelsius: 20)
    var random = SeededRandom(seed: 1)
    sensor.update(trueCelsius: 20, ambientCelsius: room, nowNanoseconds: 0, random: &random)
    sensor.inject(.dropout, value: nil, nowNanoseconds: 0)
    for k in 0...5 {
      let now = UInt64(k) * 100 * millisecond
      sensor.update(trueCelsius: 20, ambientCelsius: room, nowNanoseconds: now, random: &random)
      #expect(throws: FaultKind.timedOut) { try sensor.read(nowNanoseconds: now) }
    }
  }

  @Test("stale: the last sample repeats, with isNew false, while the truth moves", .tags(.safety))
  func stale() throws {
    var sensor = SimulatedSensor(model: idealModel(), initialCelsius: 20)
    var random = SeededRandom(seed: 1)
    sensor.update(trueCelsius: 20, ambientCelsius: room, nowNanoseconds: 0, random: &random)
    sensor.update(
      trueCelsius: 21, ambientCelsius: room, nowNanoseconds: 100 * millisecond, random: &random)
    let before = try #require(read(&sensor, at: 100 * millisecond))
    sensor.inject(.stale, value: nil, nowNanoseconds: 100 * millisecond)
    for k in 2...30 {
      let now = UInt64(k) * 100 * millisecond
      sensor.update(
        trueCelsius: 21 + Double(k), ambientCelsius: room, nowNanoseconds: now, random: &random)
      let sample = try #require(read(&sensor, at: now))
      #expect(!sample.isNew)
      #expect(sample.celsius == before.celsius)
      #expect(sample.timestampNanoseconds == before.timestampNanoseconds)
    }
  }

  @Test(
    "detached: the probe relaxes toward the room with the fault's time constant (default 20 s)",
    .tags(.safety, .physics), arguments: [5.0, nil] as [Double?])
  func detached(timeConstant: Double?) throws {
    // Reading 33 °C when it comes off at 0; from then on, whatever the
    // truth does, T(t) = room + (33 − room)·exp(−t/τ).
    let tau = timeConstant ?? 20
    var sensor = SimulatedSensor(model: idealModel(lagSeconds: 0.5), initialCelsius: 33)
    var random = SeededRandom(seed: 1)
    sensor.update(trueCelsius: 33, ambientCelsius: room, nowNanoseconds: 0, random: &random)
    sensor.inject(.detached, value: timeConstant, nowNanoseconds: 0)
    #expect(sensor.activeFault == .detached)
    for k in 1...600 {
      let now = UInt64(k) * 100 * millisecond
      sensor.update(
        trueCelsius: 33 - 0.05 * Double(k), ambientCelsius: room, nowNanoseconds: now,
        random: &random)
      let sample = try #require(read(&sensor, at: now))
      let t = Double(now) * 1e-9
      let expected = room + (33 - room) * Foundation.exp(-t / tau)
      // 600 exact first-order steps, each within a few ulps.
      #expect(abs(sample.celsius - expected) < 1e-11, "t = \(t)")
      #expect(sample.isNew)
    }
  }

  @Test(
    "spikes: about 20 % of conversions off by exactly ± the value (default 5 °C), seeded",
    .tags(.safety), arguments: [3.0, nil] as [Double?])
  func spikes(size: Double?) throws {
    // A noise-free probe at 10 °C: every reading is 10, 10 + s or 10 − s.
    // Over n = 10 000 conversions the spiked count is binomial (n, 0.2):
    // σ = √(n·0.2·0.8) = 40, so 2000 ± 200 is 5σ; of the spiked ones half
    // go up, ± 5·√(0.25·2000) ≈ 112.
    func readings(seed: UInt64) throws -> [Double] {
      var sensor = SimulatedSensor(model: idealModel(), initialCelsius: 10)
      var random = SeededRandom(seed: seed)
      sensor.inject(.spikes, value: size, nowNanoseconds: 0)
      var values: [Double] = []
      for k in 0..<10_000 {
        let now = UInt64(k) * 100 * millisecond
        sensor.update(trueCelsius: 10, ambientCelsius: room, nowNanoseconds: now, random: &random)
        values.append(try #require(read(&sensor, at: now)).celsius)
      }
      return values
    }
    let spike = size ?? 5
    let values = try readings(seed: 42)
    let up = values.filter { $0 == 10 + spike }.count
    let down = values.filter { $0 == 10 - spike }.count
    let clean = values.filter { $0 == 10 }.count
    #expect(up + down + clean == values.count)
    #expect(abs(up + down - 2000) <= 200, "\(up + down) spiked")
    #expect(abs(up - down) <= 2 * 112, "\(up) up, \(down) down")
    // Deterministic: the same seed gives the same readings, another seed others.
    #expect(try readings(seed: 42) == values)
    #expect(try readings(seed: 43) != values)
  }

  @Test("clearing a fault: the next conversion reads the truth again", .tags(.safety))
  func clearFault() throws {
    var sensor = SimulatedSensor(model: idealModel(), initialCelsius: 20)
    var random = SeededRandom(seed: 1)
    sensor.update(trueCelsius: 20, ambientCelsius: room, nowNanoseconds: 0, random: &random)
    sensor.inject(.open, value: nil, nowNanoseconds: 0)
    sensor.update(
      trueCelsius: 21, ambientCelsius: room, nowNanoseconds: 100 * millisecond, random: &random)
    #expect(try #require(read(&sensor, at: 100 * millisecond)).celsius == -60)
    sensor.clearFault()
    #expect(sensor.activeFault == nil)
    sensor.update(
      trueCelsius: 22, ambientCelsius: room, nowNanoseconds: 200 * millisecond, random: &random)
    let sample = try #require(read(&sensor, at: 200 * millisecond))
    #expect(sample.celsius == 22)
    #expect(sample.isNew)
    // A cleared dropout reads again.
    sensor.inject(.dropout, value: nil, nowNanoseconds: 200 * millisecond)
    #expect(throws: FaultKind.timedOut) { try sensor.read(nowNanoseconds: 250 * millisecond) }
    sensor.clearFault()
    sensor.update(
      trueCelsius: 23, ambientCelsius: room, nowNanoseconds: 300 * millisecond, random: &random)
    #expect(try #require(read(&sensor, at: 300 * millisecond)).celsius == 23)
  }
}
