import ApplicatorSimulation
import ThermalLoop

/// What `devsim tune` reports: the experiment, the gains per direction and
/// rule, and the gains chosen.
package struct TuningOutcome {
  package var result: TuneResult
  package var rule: TuningRule
  /// Gains by the chosen rule, heating and cooling directions.
  package var heatingGains: PIDGains?
  package var coolingGains: PIDGains?
  /// The gains written: the direction with the smaller proportional gain
  /// (the one that stays stable in both directions).
  package var gains: PIDGains
  /// The plant model for the model-based controller: the mean of the two
  /// directions' FOPDTs around the settled hold (`nil` without a FOPDT).
  package var model: PlantModel?
  /// Whether the gains come from the relay's cycle as measured (the
  /// describing-function Ku and the period) rather than from a FOPDT.
  package var usesDescribingFunction = false
}

/// Runs tuning experiments and turns their results into gains.
package enum Tuning {
  /// Runs the experiment on the simulator, with the profile's seed (or
  /// `seed`), until it is done, aborts, or `stop` asks.
  package static func simulate(
    _ profile: Profile, settings: TuneSettings, seed: UInt64, stop: any StopRequest = NeverStop()
  ) throws(TuneAbort) -> TuneResult {
    let applicator = SimulatedApplicator(
      plant: profile.plant, sensors: profile.sensors.map(\.model),
      faults: profile.faults.map(\.fault), seed: seed, stageReadBack: profile.stageReadBack)
    var session = TuneSession(
      profile: profile, applicator: applicator, clock: VirtualClock(), settings: settings,
      stop: stop)
    return try session.run()
  }

  /// Gains by `rule` for a result; `nil` when the rule has nothing to go on.
  package static func outcome(
    _ result: TuneResult, rule: TuningRule, profile: Profile
  ) -> TuningOutcome? {
    let sample = Double(profile.tickNanoseconds) * 1e-9
    let filter = profile.gains.derivativeFilterSeconds
    let noise = result.noiseCelsius
    // Tyreus–Luyben works on the relay's cycle as measured (the relay
    // autotuning it was made for); the other ultimate-cycle rules use it only
    // when no FOPDT fits the cycle: Åström–Hägglund's describing-function Ku
    // and the relay's period. A FOPDT fitted to a distributed plant's cycle
    // puts its ultimate point where nothing was measured (the cryo plate with
    // seed 4: K 262 °C per unit where its step test finds 28 to 49, and Tu
    // 1.1 s against a measured period of 5.0 s).
    let onTheCycle = result.relay != nil && rule == .tyreusLuyben
    guard let heatingFit = result.heating, let coolingFit = result.cooling, !onTheCycle else {
      guard let relay = result.relay,
        let gains = rule.gains(
          ultimateGain: relay.describingFunctionUltimateGain, periodSeconds: relay.periodSeconds,
          filterSeconds: filter)
      else { return nil }
      return TuningOutcome(
        result: result, rule: rule, heatingGains: nil, coolingGains: nil, gains: gains, model: nil,
        usesDescribingFunction: true)
    }
    let heating = rule.gains(
      for: heatingFit, sampleSeconds: sample, filterSeconds: filter, noiseCelsius: noise)
    let cooling = rule.gains(
      for: coolingFit, sampleSeconds: sample, filterSeconds: filter, noiseCelsius: noise)
    let candidates = [heating, cooling].compactMap { $0 }
    guard
      let chosen = candidates.min(by: { $0.proportionalPerCelsius < $1.proportionalPerCelsius })
    else { return nil }
    let gain = (heatingFit.gainCelsiusPerCommand + coolingFit.gainCelsiusPerCommand) / 2
    let model = PlantModel(
      gainCelsiusPerCommand: gain,
      timeConstantSeconds: (heatingFit.timeConstantSeconds + coolingFit.timeConstantSeconds) / 2,
      deadTimeSeconds: (heatingFit.deadTimeSeconds + coolingFit.deadTimeSeconds) / 2,
      zeroCommandCelsius: result.holdCelsius - gain * result.holdCommand)
    return TuningOutcome(
      result: result, rule: rule, heatingGains: heating, coolingGains: cooling, gains: chosen,
      model: model)
  }
}
