import ApplicatorHAL
import ApplicatorSimulation
import ThermalLoop

/// The applicator of `devsim bench tick`: the simulated devices of a
/// standard cryolipolysis applicator (five probes with lag, noise,
/// quantisation and conversion period; a TEC stage with read-back) on a
/// one-node plate instead of the tissue column, so that the benchmark
/// measures the loop's own cost and not the solver's.
///
/// The plate relaxes toward `ambient + gain·output` with a time constant,
/// integrated exactly for the fixed tick (one multiply-add per tick).
package struct ToyPlantApplicator: Applicator {
  package var powerStage = SimulatedPowerStage(commandRange: .bipolar)
  package let sensorCount = 5
  private var sensors: InlineArray<5, SimulatedSensor>
  private var random = SeededRandom(seed: 1)
  private var plateCelsius = 25.0
  private var lastNanoseconds: UInt64 = 0
  private let ambientCelsius = 25.0
  /// Plate temperature change per unit of output at steady state, °C (+1 heats).
  private let gainCelsius = 45.0
  /// `exp(−tick/τ)` for the fixed tick and τ = 40 s.
  private let decay: Double
  private let tickNanoseconds: UInt64

  /// The probes of the standard profile: plate, redundant plate, skin, fat, hot side.
  package static let probes: [(ProbeLocation, SensorSite)] = [
    (.plate, .plate), (.plate, .plate), (.depth(metres: 0), .skin),
    (.depth(metres: 0.007), .fat), (.hotSide, .hotSide),
  ]

  package init(tickNanoseconds: UInt64) {
    self.tickNanoseconds = tickNanoseconds
    decay = Elementary.exp(-Double(tickNanoseconds) * 1e-9 / 40)
    sensors = InlineArray { index in
      var model = SensorModel(location: ToyPlantApplicator.probes[index].0)
      model.periodNanoseconds = tickNanoseconds
      return SimulatedSensor(model: model, initialCelsius: 25)
    }
  }

  package mutating func advance(toNanoseconds nowNanoseconds: UInt64) {
    if nowNanoseconds > lastNanoseconds {
      let target = ambientCelsius + gainCelsius * powerStage.deliveredOutput
      plateCelsius = target + (plateCelsius - target) * decay
      lastNanoseconds = nowNanoseconds
    }
    for index in 0..<sensorCount {
      // Deeper probes sit nearer body temperature; the hot side above ambient.
      let truth: Double
      switch index {
      case 2: truth = plateCelsius * 0.6 + 37 * 0.4
      case 3: truth = plateCelsius * 0.2 + 37 * 0.8
      case 4: truth = ambientCelsius + 0.2 * (ambientCelsius - plateCelsius)
      default: truth = plateCelsius
      }
      sensors[index].update(
        trueCelsius: truth, ambientCelsius: ambientCelsius, nowNanoseconds: nowNanoseconds,
        random: &random)
    }
  }

  package mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
    snapshot.count = sensorCount
    for index in 0..<sensorCount {
      snapshot.readings[index] = sensors[index].reading(nowNanoseconds: nowNanoseconds)
    }
  }

  package mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
    .allMade
  }
}
