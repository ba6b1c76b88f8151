import ApplicatorSimulation
import ThermalLoop

extension RigEmulator {
  /// A cryolipolysis rig with the standard treatment's plant and probes:
  /// channel 1 the plate, 2 the skin, 3 fat at 7 mm, 4 the TEC heatsink.
  package static func defaultProfile() -> Profile {
    var plant = PlantConfiguration()
    plant.perfusionScale = 0.3
    let probes: [(String, ProbeLocation, SensorSite, SensorRole)] = [
      ("plate", .plate, .plate, .control), ("skin", .depth(metres: 0), .skin, .monitor),
      ("fat-7mm", .depth(metres: 0.007), .fat, .monitor),
      ("heatsink", .hotSide, .hotSide, .monitor),
    ]
    return Profile(
      name: "default-rig", description: "", mode: .cryolipolysis, seed: 1,
      tickNanoseconds: 10_000_000, window: TemperatureWindow(lowCelsius: -13, highCelsius: -11),
      phases: [
        ProfilePhase(
          name: "hold",
          phase: TreatmentPhase(
            kind: .treatment, setpointCelsius: -12, durationNanoseconds: 2_100_000_000_000))
      ],
      gains: PIDGains(proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0.01),
      limits: OutputLimits(low: -1, high: 0.5),
      sensors: probes.map {
        ProfileSensor(
          name: $0.0, model: SensorModel(location: $0.1),
          descriptor: SensorDescriptor(site: $0.2, role: $0.3, periodNanoseconds: 100_000_000))
      }, controlIndex: 0, doseIndex: 2, plant: plant,
      safety: SafetyConfiguration(mode: .cryolipolysis),
      faults: [], durationNanoseconds: 2_100_000_000_000, observeAfterTripNanoseconds: 0,
      resetsNanoseconds: [], stageReadBack: true, expect: Expectations())
  }
}
