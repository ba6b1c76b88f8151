import ApplicatorHAL
import ApplicatorSimulation
import Foundation
import TestSupport
import Testing
import ThermalLoop

/// A first-order-plus-dead-time plate simulated exactly, independently of
/// the model code: zero-order hold of the delivered command over each tick,
/// the dead time a whole number of ticks in a buffer. One plate sensor
/// reads y plus an optional offset (a probe that works loose).
private struct ExactPlant: Applicator {
  var powerStage = SimulatedPowerStage(commandRange: .bipolar)
  let sensorCount = 1
  let gain: Double
  let tau: Double
  let deadTicks: Int
  let zeroCommandCelsius: Double
  var celsius: Double
  /// The probe's error at a time, °C.
  var offset: (UInt64) -> Double = { _ in 0 }
  private var delivered: [Double]
  private var lastNanoseconds: UInt64 = 0
  static let tick: UInt64 = 100 * millisecond

  init(gain: Double, tau: Double, deadTicks: Int, zeroCommandCelsius: Double, startCelsius: Double)
  {
    self.gain = gain
    self.tau = tau
    self.deadTicks = deadTicks
    self.zeroCommandCelsius = zeroCommandCelsius
    celsius = startCelsius
    delivered = Array(
      repeating: (startCelsius - zeroCommandCelsius) / gain, count: deadTicks + 1)
  }

  mutating func advance(toNanoseconds now: UInt64) {
    while lastNanoseconds + Self.tick <= now {
      lastNanoseconds += Self.tick
      delivered.append(powerStage.deliveredOutput)
      let steady = zeroCommandCelsius + gain * delivered[delivered.count - 1 - deadTicks]
      celsius = steady + (celsius - steady) * exp(-0.1 / tau)
    }
  }

  mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
    snapshot.readings[0] = fresh(celsius + offset(nowNanoseconds), at: nowNanoseconds)
  }

  mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
    .allMade
  }
}

@Suite(.tags(.physics)) struct ModelControlTests {
  static let model = PlantModel(
    gainCelsiusPerCommand: 40, timeConstantSeconds: 35, deadTimeSeconds: 1, zeroCommandCelsius: 2)

  @Test("ModelState: exact step response with a dead time that is not a whole number of ticks")
  func modelStateMatchesTheClosedForm() {
    let model = PlantModel(
      gainCelsiusPerCommand: 3, timeConstantSeconds: 12, deadTimeSeconds: 2.35,
      zeroCommandCelsius: 10)
    var state = ModelState(model: model, celsius: 10, command: 0, nowNanoseconds: 0)
    let stepAt = 5 * second
    var now: UInt64 = 0
    var worst = 0.0
    while now <= 60 * second {
      let y = state.advance(toNanoseconds: now)
      let t = (Double(now) - Double(stepAt)) * 1e-9 - 2.35
      let expected = 10 + (t > 0 ? 3 * 0.5 * (1 - exp(-t / 12)) : 0)
      worst = max(worst, abs(y - expected))
      state.apply(command: now >= stepAt ? 0.5 : 0, nowNanoseconds: now)
      now += 100 * millisecond
    }
    #expect(worst < 1e-12)
  }

  @Test("feedforward: holds with the model's hold command and plans within the headroom")
  func feedforwardHoldsAndStaysInTheHeadroom() {
    var feedforward = ModelFeedforward(model: Self.model, approachSeconds: 0)
    let limits = OutputLimits(low: -1, high: 0.5)
    var now: UInt64 = 0
    var lastSetpoint = 20.0
    var monotone = true
    var result = (setpointCelsius: 0.0, feedforward: 0.0)
    while now <= 20 * minute {
      result = feedforward.update(
        targetCelsius: -12, measurementCelsius: 20, limits: limits, rampCelsiusPerSecond: .infinity,
        nowNanoseconds: now)
      // The plan never asks for more than the headroom of the cooling limit.
      #expect(result.feedforward >= -1 * ModelFeedforward.headroom - 1e-12)
      if result.setpointCelsius > lastSetpoint + 1e-12 { monotone = false }
      lastSetpoint = result.setpointCelsius
      now += 100 * millisecond
    }
    #expect(monotone, "the nominal response approaches without overshoot")
    // (−12 − 2)/40: the hold command of the setpoint, exactly.
    #expect(abs(result.feedforward - (-14.0 / 40)) < 1e-9)
    #expect(abs(result.setpointCelsius - -12) < 1e-6)
  }

  /// A cryo loop on an exact plant, with the exact model.
  private static func loop(offset: @escaping (UInt64) -> Double = { _ in 0 }) -> ControlLoop<
    ExactPlant
  > {
    var plant = ExactPlant(
      gain: model.gainCelsiusPerCommand, tau: model.timeConstantSeconds, deadTicks: 10,
      zeroCommandCelsius: model.zeroCommandCelsius, startCelsius: 20)
    plant.offset = offset
    let plan = cryoPlan()
    let sensors = [
      SensorDescriptor(site: .plate, role: .control, periodNanoseconds: ExactPlant.tick)
    ]
    return ControlLoop(
      applicator: plant,
      controller: PIDController(
        gains: PIDGains(proportionalPerCelsius: 0.5, integralPerCelsiusSecond: 0.02),
        limits: OutputLimits(low: -1, high: 0.5)),
      // The exact plant settles to a constant reading, which the stuck-sensor
      // check would (rightly) call stuck at this command: it is off here.
      supervisor: SafetySupervisor(
        configuration: SafetyConfiguration.defaults(.cryolipolysis, without: [.stuckSensor]),
        plan: plan, sensors: sensors, controlIndex: 0),
      plan: plan, controlIndex: 0, doseSensorIndex: -1,
      modelControl: ModelControl(ModelControlSettings(model: model)))
  }

  @Test(
    "model-based loop on an exact plant: the plant follows the nominal response, the PID does nothing"
  )
  func exactModelNeedsNoTrim() {
    var loop = Self.loop()
    var now: UInt64 = 0
    var worstFollow = 0.0
    var worstTrim = 0.0
    var worstResidual = 0.0
    var locked = false
    while now <= 35 * minute {
      let record = loop.tick(nowNanoseconds: now)
      worstFollow = max(worstFollow, abs(record.celsius[0] - record.workingSetpointCelsius))
      worstTrim = max(
        worstTrim, abs(record.sentCommand - (loop.modelControl?.feedforward.feedforward ?? .nan)))
      if let predicted = loop.modelControl?.predictor.predictionCelsius {
        locked = true
        worstResidual = max(worstResidual, abs(record.celsius[0] - predicted))
      }
      now += ExactPlant.tick
    }
    #expect(loop.trip == nil)
    #expect(worstFollow < 1e-9, "measured − nominal")
    #expect(worstTrim < 1e-9, "command − feedforward")
    #expect(locked)
    // The lock starts the model at rest with the command low-passed over
    // 10 s; the command last moved (by at most 0.8 − 0.35 = 0.45, from the
    // planned approach to the hold) at the first entry, three τ (105 s)
    // before the lock, so the low-pass lags it by at most 0.45·e^(−10.5),
    // K times that in °C. Nothing else differs.
    #expect(worstResidual < 40 * 0.45 * exp(-10.5), "measured − predicted")
    let phase = loop.metrics.phases[0]
    #expect(phase.timeInWindowFraction == 1)
    #expect(phase.overshootCelsius == 0)
  }

  @Test("a probe working loose at 0.05 °C/s under model-based control trips model-mismatch")
  func looseProbeTripsModelMismatch() throws {
    let start = 20 * minute
    var loop = Self.loop { now in now > start ? Double(now - start) * 1e-9 * 0.05 : 0 }
    var now: UInt64 = 0
    while now <= 35 * minute && loop.trip == nil {
      _ = loop.tick(nowNanoseconds: now)
      now += ExactPlant.tick
    }
    let trip = try #require(loop.trip)
    #expect(trip.check == .modelMismatch)
    // The reading stays in the window: only the model sees the plate going cold.
    #expect(trip.reading > -13 && trip.reading < -11)
    #expect(
      trip.detectedNanoseconds - trip.conditionSinceNanoseconds
        <= loop.supervisor.reactionBoundNanoseconds(for: trip, tickNanoseconds: ExactPlant.tick))
    #expect(!loop.applicator.powerStage.received.enabled)
  }

  @Test(
    "supervisor: model mismatch persists 10 s before it trips, only when armed and given a prediction"
  )
  func supervisorModelMismatch() {
    let plan = cryoPlan()
    func input(_ now: UInt64, _ predicted: Double?) -> SupervisorInput {
      SupervisorInput(
        nowNanoseconds: now, phaseIndex: 0, phaseKind: .treatment, targetCelsius: -12,
        lastCommand: -0.1, outputLimits: OutputLimits(low: -1, high: 0.5),
        treatmentElapsedNanoseconds: now, interlocks: .allMade, modelPredictionCelsius: predicted)
    }
    func run(_ predicted: (UInt64) -> Double?, reading: (UInt64) -> Double) -> TripRecord? {
      var supervisor = SafetySupervisor(
        configuration: SafetyConfiguration.defaults(.cryolipolysis, without: [.stuckSensor]),
        plan: plan, sensors: [cryoSensors[0]], controlIndex: 0)
      var now: UInt64 = 0
      while now <= 2 * minute {
        let verdict = supervisor.evaluate(
          snapshot([fresh(reading(now), at: now)]), input(now, predicted(now)))
        if case .tripped(let record) = verdict { return record }
        now += 100 * millisecond
      }
      return nil
    }
    let onset = 30 * second
    // 2.5 °C off the prediction from 30 s: trips at 40 s exactly (persistence 10 s).
    let trip = run({ $0 >= onset ? -9.5 : -12 }, reading: { _ in -12 })
    #expect(trip?.check == .modelMismatch)
    #expect(trip?.conditionSinceNanoseconds == onset)
    #expect(trip?.detectedNanoseconds == onset + 10 * second)
    #expect(trip?.limit == -11.5)
    // 1.9 °C off: within the 2 °C default, no trip.
    #expect(run({ _ in -10.1 }, reading: { _ in -12 }) == nil)
    // No prediction (plain PID): the check is off.
    #expect(run({ _ in nil }, reading: { _ in -12 }) == nil)
    // Not armed: the reading never entered the window.
    #expect(run({ _ in 0 }, reading: { _ in -5 }) == nil)
  }
}
