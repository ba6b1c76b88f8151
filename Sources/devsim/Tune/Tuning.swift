import ApplicatorHAL
import ThermalLoop

/// What `devsim tune` reports: the experiment, the gains per direction and
/// rule, and the gains chosen.
struct TuningOutcome {
  var result: TuneResult
  var rule: TuningRule
  /// Gains by the chosen rule, heating and cooling directions.
  var heatingGains: PIDGains?
  var coolingGains: PIDGains?
  /// The gains written: the direction with the smaller proportional gain
  /// (the one that stays stable in both directions).
  var gains: PIDGains
  /// The plant model for the model-based controller: the mean of the two
  /// directions' FOPDTs around the settled hold.
  var model: PlantModel
}

/// Runs tuning experiments and turns their results into gains.
enum Tuning {
  /// Runs the experiment on the simulator, with the profile's seed (or `seed`).
  static func simulate(_ profile: Profile, settings: TuneSettings, seed: UInt64) throws(TuneAbort)
    -> TuneResult
  {
    let applicator = SimulatedApplicator(
      plant: profile.plant, sensors: profile.sensors.map(\.model),
      faults: profile.faults.map(\.fault), seed: seed, stageReadBack: profile.stageReadBack)
    var session = TuneSession(
      profile: profile, applicator: applicator, clock: VirtualClock(), settings: settings)
    return try session.run()
  }

  /// Gains by `rule` for a result; `nil` when the rule has nothing to go on.
  static func outcome(
    _ result: TuneResult, rule: TuningRule, profile: Profile
  ) -> TuningOutcome? {
    let sample = Double(profile.tickNanoseconds) * 1e-9
    let filter = profile.gains.derivativeFilterSeconds
    let noise = result.noiseCelsius
    let heating = rule.gains(
      for: result.heating, sampleSeconds: sample, filterSeconds: filter, noiseCelsius: noise)
    let cooling = rule.gains(
      for: result.cooling, sampleSeconds: sample, filterSeconds: filter, noiseCelsius: noise)
    let candidates = [heating, cooling].compactMap { $0 }
    guard
      let chosen = candidates.min(by: { $0.proportionalPerCelsius < $1.proportionalPerCelsius })
    else { return nil }
    let gain = (result.heating.gainCelsiusPerCommand + result.cooling.gainCelsiusPerCommand) / 2
    let model = PlantModel(
      gainCelsiusPerCommand: gain,
      timeConstantSeconds: (result.heating.timeConstantSeconds
        + result.cooling.timeConstantSeconds) / 2,
      deadTimeSeconds: (result.heating.deadTimeSeconds + result.cooling.deadTimeSeconds) / 2,
      zeroCommandCelsius: result.holdCelsius - gain * result.holdCommand)
    return TuningOutcome(
      result: result, rule: rule, heatingGains: heating, coolingGains: cooling, gains: chosen,
      model: model)
  }
}
