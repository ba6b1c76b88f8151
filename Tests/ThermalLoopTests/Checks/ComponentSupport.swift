import ApplicatorHAL
import Testing

@testable import ThermalLoop

/// The view of one tick a component gets, built by hand: readings, the
/// loop's input and the supervisor's shared state.
func componentTick(
  _ stage: SafetyStage = .afterSensors, _ readings: [SensorReading], at now: UInt64,
  command: Double = 0, phaseKind: PhaseKind = .treatment, targetCelsius: Double = -12,
  limits: OutputLimits = OutputLimits(low: -1, high: 0.5), treatmentElapsed: UInt64 = 0,
  interlocks: Interlocks = .allMade, readBack: Double? = nil, readBackFault: FaultKind? = nil,
  prediction: Double? = nil,
  window: TemperatureWindow = cryoWindow, isArmed: Bool = false, isFirst: Bool = false,
  phaseBegan: Bool = false, doseIndex: Int = -1, cem43Minutes: Double = 0
) -> SafetyTick {
  let plausible = TemperatureWindow(lowCelsius: -40, highCelsius: 80)
  let snapshot = snapshot(readings)
  func plausibleCelsius(_ index: Int) -> Double? {
    guard index >= 0 && index < readings.count, let celsius = readings[index].sample?.celsius,
      plausible.contains(celsius)
    else { return nil }
    return celsius
  }
  var sensorCelsius: Double? = nil
  if case .sensor(let index) = stage { sensorCelsius = plausibleCelsius(index) }
  return SafetyTick(
    stage: stage, nowNanoseconds: now, snapshot: snapshot,
    input: SupervisorInput(
      nowNanoseconds: now, phaseIndex: 0, phaseKind: phaseKind, targetCelsius: targetCelsius,
      lastCommand: command, outputLimits: limits, treatmentElapsedNanoseconds: treatmentElapsed,
      interlocks: interlocks, readBack: readBack, readBackFault: readBackFault,
      modelPredictionCelsius: prediction),
    isFirst: isFirst, phaseBegan: phaseBegan, plausibleRange: plausible, window: window,
    sensorCount: readings.count, controlIndex: 0, controlCelsius: plausibleCelsius(0),
    doseIndex: doseIndex, cem43Minutes: cem43Minutes, sensorCelsius: sensorCelsius,
    isArmed: isArmed)
}

/// The sensors as the supervisor stores them.
func inlineSensors(_ list: [SensorDescriptor]) -> InlineArray<8, SensorDescriptor> {
  var sensors = InlineArray<8, SensorDescriptor>(
    repeating: SensorDescriptor(site: .plate, role: .monitor, periodNanoseconds: 0))
  for (index, sensor) in list.enumerated() { sensors[index] = sensor }
  return sensors
}

/// Runs a component on one stage every `step` from `start` through `end`;
/// returns the first trip.
func runComponent<Component: SafetyComponent>(
  _ component: inout Component, from start: UInt64, through end: UInt64,
  step: UInt64 = 100 * millisecond, _ tick: (UInt64) -> SafetyTick
) -> TripRecord? {
  var now = start
  while now <= end {
    var view = tick(now)
    if let trip = component.evaluate(&view) { return trip }
    now += step
  }
  return nil
}

/// Cryo sensors plus a redundant plate sensor in slot 3.
let plateWithRedundant =
  cryoSensors + [
    SensorDescriptor(site: .plate, role: .redundant, periodNanoseconds: 100 * millisecond)
  ]
