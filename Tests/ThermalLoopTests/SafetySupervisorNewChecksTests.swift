import ApplicatorHAL
import Foundation
import TestSupport
import Testing
import ThermalLoop

/// Cryo sensors with a second plate sensor: 0 plate (controlled), 1 TEC hot
/// side, 2 skin, 3 plate (redundant).
private let cryoRedundantSensors =
  cryoSensors + [
    SensorDescriptor(site: .plate, role: .redundant, periodNanoseconds: 100 * millisecond)
  ]

/// Readings for the cryo rig: plate, hot side 30 °C, skin 20 °C.
private func cryo(_ plate: Double, hotSide: Double = 30, skin: Double = 20) -> [Double] {
  [plate, hotSide, skin]
}

/// Readings for the cryo rig with the redundant plate sensor last.
private func cryo(_ plate: Double, redundant: Double) -> [Double] {
  [plate, 30, 20, redundant]
}

/// Readings for the laser rig: fat probe, skin 38 °C.
private func laser(_ fat: Double, skin: Double = 38) -> [Double] { [fat, skin] }

private func tripOf(_ verdict: SafetyVerdict) -> TripRecord? {
  if case .tripped(let record) = verdict { return record }
  return nil
}

/// What the loop tells the supervisor in one tick, besides the time.
private struct Tick {
  var command: Double
  var readBack: Double? = nil
  var interlocks = Interlocks.allMade
  var celsius: [Double]
}

extension SupervisorRig {
  /// Like `run`, with the command, read-back and interlocks of each tick
  /// given with its readings.
  fileprivate mutating func run(
    from start: UInt64, through end: UInt64, every period: UInt64 = 100 * millisecond,
    ticks: (UInt64) -> Tick
  ) -> TripRecord? {
    var now = start
    while now <= end {
      let tick = ticks(now)
      lastCommand = tick.command
      readBack = tick.readBack
      interlocks = tick.interlocks
      if case .tripped(let record) = evaluate(at: now, celsius: tick.celsius) { return record }
      now += period
    }
    return nil
  }
}

/// Seconds since `t0` (0 before it).
private func since(_ t0: UInt64, _ now: UInt64) -> Double {
  now > t0 ? Double(now - t0) * 1e-9 : 0
}

/// A trip's detection came at most its persistence plus one sample period
/// (the sensor's own, 100 ms unless given) after the onset of its
/// condition, and the supervisor states that same bound for it.
private func expectWithinBound(
  _ trip: TripRecord, persistence: UInt64, period: UInt64 = 100 * millisecond,
  _ supervisor: SafetySupervisor
) {
  #expect(trip.conditionSinceNanoseconds <= trip.detectedNanoseconds)
  #expect(trip.detectedNanoseconds - trip.conditionSinceNanoseconds <= persistence + period)
  #expect(
    supervisor.reactionBoundNanoseconds(for: trip, tickNanoseconds: 100 * millisecond)
      == persistence + period)
}

/// The least-squares slope over 11 samples 0.1 s apart (1 s at 10 Hz) of a
/// plateau that turns into a ramp of `rate` with `m` samples on the ramp:
/// with tⱼ − t̄ = 0.1·(j − 5), the ramp sample k = 1…m at j = 10 − m + k
/// holding rate·0.1·k, b = rate·Σₖ k·(k + 5 − m)/110 (Sxx = 0.01·110).
private func rampOnsetSlope(rate: Double, samplesOnRamp m: Int) -> Double {
  var sum = 0
  for k in stride(from: 1, through: m, by: 1) { sum += k * (k + 5 - m) }
  return rate * Double(sum) / 110
}

@Suite(
  "SafetySupervisor: rate, freeze, disagreement, stuck, read-back, dose, interlocks",
  .tags(.safety))
struct SafetySupervisorNewChecksTests {
  // MARK: - Rate of change

  @Test("rate (cryo): a 3 °C/s fall trips at the first tick the fitted slope exceeds −2 °C/s")
  func rateCryoFall() throws {
    // Σ for m = 6 is 70 (b = −1.91 °C/s), for m = 7 it is 84 (b = −2.29 °C/s):
    // the trip comes at the 7th sample of the fall, t0 + 0.7 s.
    #expect(abs(rampOnsetSlope(rate: -3, samplesOnRamp: 6) - -3 * 70 / 110) < 1e-12)
    var rig = SupervisorRig.cryo()
    let t0 = 5 * second
    let trip = try #require(
      rig.run(from: 0, through: 10 * second) { now in cryo(-12 - 3 * since(t0, now)) })
    #expect(trip.check == .rateOfChange)
    #expect(trip.subject == .sensor(0))
    #expect(trip.detectedNanoseconds == t0 + 700 * millisecond)
    #expect(abs(trip.reading - rampOnsetSlope(rate: -3, samplesOnRamp: 7)) < 1e-9)
    #expect(trip.limit == -2)
    // No persistence: the onset is the first tick with the slope beyond the limit.
    #expect(trip.conditionSinceNanoseconds == trip.detectedNanoseconds)
    expectWithinBound(trip, persistence: 0, rig.supervisor)
  }

  @Test("rate (laser): rising only, +1.5 °C/s; a fast fall does not trip")
  func rateLaser() throws {
    // 2 °C/s: b = 2·70/110 = 1.27 at the 6th sample, 2·84/110 = 1.53 at the 7th.
    var rig = SupervisorRig.laser()
    let t0 = 3 * second
    let trip = try #require(
      rig.run(from: 0, through: 8 * second) { now in laser(40 + 2 * since(t0, now)) })
    #expect(trip.check == .rateOfChange)
    #expect(trip.subject == .sensor(0))
    #expect(trip.detectedNanoseconds == t0 + 700 * millisecond)
    #expect(abs(trip.reading - 2 * 84 / 110) < 1e-9)
    #expect(trip.limit == 1.5)
    #expect(trip.conditionSinceNanoseconds == trip.detectedNanoseconds)

    // Falling at 5 °C/s (from 47 to 22 °C): no fall limit in laser mode.
    var falling = SupervisorRig.laser()
    let fallTrip = falling.run(from: 0, through: 10 * second) { now in
      laser(max(47 - 5 * since(t0, now), 22))
    }
    #expect(fallTrip == nil)
  }

  @Test(
    "rate: a duration, not a sample count: 2.1 °C/s trips at 0.9 s at 10 Hz and at 1 kHz",
    arguments: [100 * millisecond, millisecond])
  func rateAtAnyLoopRate(period: UInt64) throws {
    // A steady ramp from the start: the fit is exact once the samples span
    // nine tenths of the 1 s window (SampleHistory), at 0.9 s at either rate.
    var rig = SupervisorRig.cryo()
    let trip = try #require(
      rig.run(from: 0, through: 3 * second, every: period) { now in
        cryo(20 - 2.1 * Double(now) * 1e-9)
      })
    #expect(trip.check == .rateOfChange)
    #expect(trip.detectedNanoseconds == 900 * millisecond)
    #expect(abs(trip.reading - -2.1) < 1e-9)
    // 1.9 °C/s for 10 s (down to +1 °C): never.
    var slower = SupervisorRig.cryo()
    let slowTrip = slower.run(from: 0, through: 10 * second, every: period) { now in
      cryo(20 - 1.9 * Double(now) * 1e-9)
    }
    #expect(slowTrip == nil)
  }

  @Test("rate: monitors are not rate-checked; implausible readings are not fed to the fit")
  func rateOnlyControlledTemperature() {
    // The TEC hot side (a monitor) climbs at 10 °C/s to 55 °C (below its
    // 60 °C limit); the skin (a monitor) falls at 10 °C/s to −20 °C.
    var rig = SupervisorRig.cryo()
    let t0 = 2 * second
    let trip = rig.run(from: 0, through: 10 * second) { now in
      cryo(
        -12, hotSide: min(30 + 10 * since(t0, now), 55), skin: max(20 - 10 * since(t0, now), -20))
    }
    #expect(trip == nil)
    // The plate reads open (−60 °C) for two ticks, less than the 0.3 s
    // plausibility persistence: fed to the fit, that would be a slope of
    // hundreds of °C/s.
    var glitch = SupervisorRig.cryo()
    let glitchTrip = glitch.run(from: 0, through: 10 * second) { now in
      let open = now == 5 * second || now == 5 * second + 100 * millisecond
      return cryo(open ? -60 : -12)
    }
    #expect(glitchTrip == nil)
  }

  @Test(
    "rate and stuck: 0.05 °C RMS noise while holding trips neither (cryo and laser)",
    arguments: [TreatmentMode.cryolipolysis, .laserLipolysis])
  func holdingNoise(mode: TreatmentMode) {
    // Irwin–Hall noise is bounded by 6σ = 0.3 °C, so the fitted slope over
    // 11 samples is bounded by 6σ·Σ|tᵢ − t̄|/Sxx = 0.3·3.0/1.1 = 0.82 °C/s,
    // below both rate limits whatever the draw. A new sample lands within
    // 0.01 °C of the last changed one with probability ≤ 0.02·max density
    // ≈ 0.16; 100 in a row (10 s) essentially never.
    var noise = Noise(seed: 77, rms: 0.05)
    var rig = mode == .cryolipolysis ? SupervisorRig.cryo() : SupervisorRig.laser()
    let trip = rig.run(from: 0, through: 20 * minute) { _ in
      let command = mode == .cryolipolysis ? -0.4 : 0.55
      let celsius =
        mode == .cryolipolysis
        ? cryo(-12 + noise.next(), hotSide: 30 + noise.next(), skin: 2 + noise.next())
        : laser(46 + noise.next(), skin: 38 + noise.next())
      return Tick(command: command, celsius: celsius)
    }
    #expect(trip == nil)
  }

  @Test("rate: a normal first-order approach does not trip")
  func rateFirstOrderApproach() {
    // τ = 30 s (the fastest plate in safety.md) from 25 °C to −12 °C: the
    // steepest slope is 37/30 = 1.23 °C/s at the start, and a least-squares
    // slope of a convex curve never exceeds its steepest derivative.
    var fast = SupervisorRig.cryo()
    let fastTrip = fast.run(from: 0, through: 2 * minute) { now in
      Tick(command: -1, celsius: cryo(-12 + 37 * exp(-Double(now) * 1e-9 / 30)))
    }
    #expect(fastTrip == nil)
    // τ = 50 s with 0.05 °C RMS noise: 0.74 + 0.82 (the noise bound) < 2 °C/s.
    var noise = Noise(seed: 5, rms: 0.05)
    var noisy = SupervisorRig.cryo()
    let noisyTrip = noisy.run(from: 0, through: 5 * minute) { now in
      Tick(
        command: -1, celsius: cryo(-12 + 37 * exp(-Double(now) * 1e-9 / 50) + noise.next()))
    }
    #expect(noisyTrip == nil)
    // Laser: fat from 37 to 46 °C with τ = 30 s and noise: 0.3 + 0.82 < 1.5 °C/s.
    var laserNoise = Noise(seed: 6, rms: 0.05)
    var heating = SupervisorRig.laser()
    let heatingTrip = heating.run(from: 0, through: 5 * minute) { now in
      Tick(
        command: 1,
        celsius: laser(46 - 9 * exp(-Double(now) * 1e-9 / 30) + laserNoise.next()))
    }
    #expect(heatingTrip == nil)
  }

  // MARK: - Freeze

  /// Holding at −12 °C at −40 % output; from t0 = 9 s both plate sensors
  /// rise (control 0.12 °C/s, redundant 0.1 °C/s) at unchanged cooling.
  /// (The plateau is shorter than the 10 s stuck-sensor persistence.)
  private static let freezeStart = 9 * second

  private static func freezeTick(_ now: UInt64) -> Tick { freezeTick(now, from: -12) }

  private static func freezeTick(_ now: UInt64, from start: Double) -> Tick {
    let t = since(freezeStart, now)
    return Tick(command: -0.4, celsius: cryo(start + 0.12 * t, redundant: start + 0.1 * t))
  }

  @Test("freeze (cryo): a rise of 0.5 °C at unchanged cooling, followed by the redundant sensor")
  func freeze() throws {
    var rig = SupervisorRig.cryo(sensors: cryoRedundantSensors)
    let found = rig.run(from: 0, through: 30 * second, ticks: Self.freezeTick)
    let trip = try #require(found)
    // 0.12·(t − 9) ≥ 0.5 first at t = 13.2 s (0.504; 0.492 at 13.1 s); the
    // plate then reads −11.496 ≥ the setpoint + 0.25, and the redundant
    // sensor has risen 0.42 ≥ 0.25.
    #expect(trip.check == .freezeDetected)
    #expect(trip.subject == .sensor(0))
    #expect(trip.detectedNanoseconds == 13_200 * millisecond)
    // The reading is the rise, °C, from the kept sample at 9.0 s (−12 °C)
    // to the plate's −11.496 °C, against the 0.5 °C rise that counts.
    #expect(abs(trip.reading - ((-12 + 0.12 * 4.2) - -12)) < 1e-9)
    #expect(trip.limit == 0.5)
    #expect(trip.measurement.quantity == .rise)
    #expect(trip.measurement.unit == .celsius)
    #expect(trip.measurement.spanSeconds == 10)
    // Onset: the start of the rise. The freeze history keeps a sample every
    // 0.9 s while armed (from 0 s), so one at 9.0 s: the rise starts there.
    #expect(trip.conditionSinceNanoseconds == Self.freezeStart)
    // The freeze window (10 s) bounds how far back a rise is looked for.
    expectWithinBound(trip, persistence: 10 * second, rig.supervisor)
    #expect(trip.check.needsNewTreatment)
  }

  @Test("freeze: a rise that needs more than 10 s, or comes with weakening cooling, is not one")
  func freezeNegativeSlowOrWeakening() {
    // 0.04 °C/s: 0.4 °C per 10 s window.
    var slow = SupervisorRig.cryo(sensors: cryoRedundantSensors)
    let slowTrip = slow.run(from: 0, through: 45 * second) { now in
      let t = since(Self.freezeStart, now)
      return Tick(command: -0.4, celsius: cryo(-12 + 0.04 * t, redundant: -12 + 0.04 * t))
    }
    #expect(slowTrip == nil)
    // The same rise as the freeze, while the controller backs off by
    // 0.05 per second: every earlier sample had stronger cooling than now
    // by more than 0.02 once the rise reaches 0.5 °C (4.2 s, 0.21 apart).
    var weakening = SupervisorRig.cryo(sensors: cryoRedundantSensors)
    let weakeningTrip = weakening.run(from: 0, through: Self.freezeStart + 10 * second) {
      now in
      var tick = Self.freezeTick(now)
      tick.command = -0.4 + 0.05 * since(Self.freezeStart, now)
      return tick
    }
    #expect(weakeningTrip == nil)
  }

  @Test(
    "freeze: cooling weakened by 0.05 at the rise's start counts from then; by 0.015 it does not")
  func freezeCommandSlack() throws {
    // The freeze rise of `freeze()`, with the command stepping from −0.40 at
    // t0 = 9 s to −0.35 just after: no sample of the plateau had cooling as
    // weak (−0.35 > −0.40 + 0.02), so the rise counts from the first kept
    // sample after the step, 9.9 s (−11.892 °C): 0.5 °C above it first at
    // 9 + (0.5 + 0.108)/0.12 = 14.07 s, the tick at 14.1 s.
    func weakened(by change: Double) -> (UInt64) -> Tick {
      { now in
        var tick = Self.freezeTick(now)
        if now > Self.freezeStart { tick.command += change }
        return tick
      }
    }
    var rig = SupervisorRig.cryo(sensors: cryoRedundantSensors)
    let found = rig.run(from: 0, through: 30 * second, ticks: weakened(by: 0.05))
    let trip = try #require(found)
    #expect(trip.check == .freezeDetected)
    #expect(trip.conditionSinceNanoseconds == 9_900 * millisecond)
    #expect(trip.detectedNanoseconds == 14_100 * millisecond)
    // Within the 0.02 allowed for the controller's jitter: as if unchanged.
    var jitter = SupervisorRig.cryo(sensors: cryoRedundantSensors)
    let jitterFound = jitter.run(from: 0, through: 30 * second, ticks: weakened(by: 0.015))
    let jitterTrip = try #require(jitterFound)
    #expect(jitterTrip.conditionSinceNanoseconds == Self.freezeStart)
    #expect(jitterTrip.detectedNanoseconds == 13_200 * millisecond)
  }

  @Test("freeze: a setpoint step upward inside the window is not a freeze")
  func freezeNegativeSetpointUp() {
    // −12 °C for 30 s, then a second treatment phase at −11 °C; the plate
    // follows with τ = 3 s (a 0.5 °C rise within 2.1 s) at unchanged cooling
    // (the worst case), but ends at the new setpoint, not above it by 0.25.
    let plan = TreatmentPlan(
      mode: .cryolipolysis, window: cryoWindow,
      phases: [
        TreatmentPhase(kind: .treatment, setpointCelsius: -12, durationNanoseconds: 30 * second),
        TreatmentPhase(kind: .treatment, setpointCelsius: -11, durationNanoseconds: 10 * minute),
      ])
    var noise = Noise(seed: 9, rms: 0.05)
    var rig = SupervisorRig.cryo(plan: plan, sensors: cryoRedundantSensors)
    let trip = rig.run(from: 0, through: 3 * minute) { now in
      let rise = now <= 30 * second ? 0 : 1 - exp(-since(30 * second, now) / 3)
      return Tick(
        command: -0.4,
        celsius: cryo(-12 + rise + noise.next(), redundant: -12 + rise + noise.next()))
    }
    #expect(trip == nil)
    #expect(rig.supervisor.isArmed)
  }

  @Test("freeze: one drifting control sensor, redundant steady: disagreement, not freeze")
  func driftingControlSensor() throws {
    // The control sensor drifts up at 0.13 °C/s from t0 = 5 s: a rise of
    // 0.5 °C within 10 s at unchanged cooling ending above −11.75 °C from
    // t0 + 3.9 s on, but the redundant sensor does not follow. The
    // difference exceeds 1.5 °C first at t0 + 11.6 s (1.508; 1.495 at
    // 11.5 s) and trips 1 s later. (Command 0, so no stuck-sensor check
    // on the steady redundant sensor.)
    var rig = SupervisorRig.cryo(sensors: cryoRedundantSensors)
    let t0 = 5 * second
    let trip = try #require(
      rig.run(from: 0, through: 60 * second) { now in
        Tick(command: 0, celsius: cryo(-12 + 0.13 * since(t0, now), redundant: -12))
      })
    #expect(trip.check == .sensorDisagreement)
    #expect(trip.subject == .sensorPair(0, 3))
    #expect(trip.sensorIndex == 0)
    #expect(trip.conditionSinceNanoseconds == t0 + 11_600 * millisecond)
    #expect(trip.detectedNanoseconds == t0 + 12_600 * millisecond)
    #expect(abs(trip.reading - 0.13 * 12.6) < 1e-9)
    #expect(trip.limit == 1.5)
    expectWithinBound(trip, persistence: second, rig.supervisor)
  }

  @Test("freeze: not in laser mode, not in a transition phase, not before the window is entered")
  func freezeNotArmed() {
    // Laser: the default configuration has no freeze detection.
    #expect(!SafetyConfiguration(mode: .laserLipolysis).freezeDetection)
    #expect(SafetyConfiguration(mode: .cryolipolysis).freezeDetection)
    // A planned rewarm: a transition phase where the plate rises at 0.12 °C/s.
    let rewarm = TreatmentPlan(
      mode: .cryolipolysis, window: cryoWindow,
      phases: [TreatmentPhase(kind: .transition, setpointCelsius: 5, durationNanoseconds: minute)])
    var transition = SupervisorRig.cryo(plan: rewarm, sensors: cryoRedundantSensors)
    let transitionTrip = transition.run(from: 0, through: 30 * second, ticks: Self.freezeTick)
    #expect(transitionTrip == nil)
    // Never in the window: the same rise from −9 °C (above −13 … −11, still
    // on its way down), which would otherwise meet every condition.
    var unarmed = SupervisorRig.cryo(sensors: cryoRedundantSensors)
    let unarmedTrip = unarmed.run(from: 0, through: 20 * second) { now in
      Self.freezeTick(now, from: -9)
    }
    #expect(unarmedTrip == nil)
    #expect(!unarmed.supervisor.isArmed)
  }

  // MARK: - Sensor disagreement

  @Test("disagreement: more than 1.5 °C for exactly 1 s; 1.4 °C, or 2 °C for 0.9 s, does not")
  func disagreement() throws {
    // The redundant sensor steps to 1.4 °C below the control one at 1 s and
    // to 1.7 °C below at t0 = 4 s. (A single step of more than 1.47 °C in
    // one tick would trip the rate check: its fitted slope peaks at
    // 1.5/1.1 = 1.36 times the step.)
    var rig = SupervisorRig.cryo(sensors: cryoRedundantSensors)
    let t0 = 4 * second
    let trip = try #require(
      rig.run(from: 0, through: 10 * second) { now in
        let redundant = now >= t0 ? -13.7 : (now >= second ? -13.4 : -12.1)
        return Tick(command: 0, celsius: cryo(-12, redundant: redundant))
      })
    #expect(trip.check == .sensorDisagreement)
    #expect(trip.subject == .sensorPair(0, 3))
    #expect(trip.conditionSinceNanoseconds == t0)
    #expect(trip.detectedNanoseconds == t0 + second)
    #expect(abs(trip.reading - 1.7) < 1e-9)
    #expect(trip.limit == 1.5)
    expectWithinBound(trip, persistence: second, rig.supervisor)

    var within = SupervisorRig.cryo(sensors: cryoRedundantSensors)
    let withinTrip = within.run(from: 0, through: minute) { now in
      let excursion = now >= 30 * second && now < 30 * second + 900 * millisecond
      return Tick(command: 0, celsius: cryo(-12, redundant: excursion ? -14 : -13.4))
    }
    #expect(withinTrip == nil)
  }

  // MARK: - Stuck sensor

  @Test("stuck: no change beyond the resolution for 10 s under a working actuator")
  func stuck() throws {
    // Until t0 = 3 s the plate alternates between −12.00 and −11.95 °C; from
    // t0 it reads −11.97 °C. The monitors (hot side, skin) are constant
    // throughout and are not judged.
    var rig = SupervisorRig.cryo()
    let t0 = 3 * second
    let trip = try #require(
      rig.run(from: 0, through: 30 * second) { now in
        let plate = now >= t0 ? -11.97 : ((now / (100 * millisecond)) % 2 == 0 ? -12 : -11.95)
        return Tick(command: -0.4, celsius: cryo(plate))
      })
    #expect(trip.check == .stuckSensor)
    #expect(trip.subject == .sensor(0))
    #expect(trip.conditionSinceNanoseconds == t0)
    #expect(trip.detectedNanoseconds == t0 + 10 * second)
    #expect(trip.reading == -11.97)
    #expect(trip.limit == 0.01)
    expectWithinBound(trip, persistence: 10 * second, rig.supervisor)
  }

  @Test("stuck: judged on the sensor's own period (5 × 3 s = 15 s) and resolution")
  func stuckSlowSensorAndResolution() throws {
    // A sensor converting every 3 s: its new samples alternate until t0 =
    // 6 s, then stay at −11.97 °C; reads in between repeat the last sample.
    var sensors = cryoSensors
    sensors[0].periodNanoseconds = 3 * second
    var rig = SupervisorRig.cryo(sensors: sensors)
    rig.lastCommand = -0.4
    let t0 = 6 * second
    var trip: TripRecord? = nil
    var now: UInt64 = 0
    while trip == nil && now <= minute {
      let taken = now - now % (3 * second)
      let value = taken >= t0 ? -11.97 : ((taken / (3 * second)) % 2 == 0 ? -12 : -11.95)
      let plate = taken == now ? fresh(value, at: now) : repeated(value, takenAt: taken)
      trip = tripOf(rig.evaluate(at: now, [plate, fresh(30, at: now), fresh(20, at: now)]))
      now += 100 * millisecond
    }
    let record = try #require(trip)
    #expect(record.check == .stuckSensor)
    #expect(record.conditionSinceNanoseconds == t0)
    #expect(record.detectedNanoseconds == t0 + 15 * second)
    expectWithinBound(record, persistence: 15 * second, period: 3 * second, rig.supervisor)

    // Steps of 0.05 °C are no change for a sensor of 0.1 °C resolution…
    var coarseSensors = cryoSensors
    coarseSensors[0].resolutionCelsius = 0.1
    var coarse = SupervisorRig.cryo(sensors: coarseSensors)
    func alternating(_ now: UInt64) -> Tick {
      Tick(command: -0.4, celsius: cryo((now / (100 * millisecond)) % 2 == 0 ? -12 : -11.95))
    }
    let coarseTrip = coarse.run(from: 0, through: 30 * second, ticks: alternating)
    #expect(coarseTrip?.check == .stuckSensor)
    #expect(coarseTrip?.conditionSinceNanoseconds == 0)
    #expect(coarseTrip?.detectedNanoseconds == 10 * second)
    #expect(coarseTrip?.limit == 0.1)
    // …and a change for the default 0.01 °C.
    var fine = SupervisorRig.cryo()
    let fineTrip = fine.run(from: 0, through: 30 * second, ticks: alternating)
    #expect(fineTrip == nil)
  }

  @Test("stuck: only while |command| > 20 % throughout")
  func stuckCommand() throws {
    // A constant plate. Command −0.2 (not above 20 %) until 5 s, then −0.5,
    // except one tick at −0.1 at 12 s: the 10 s start again at 12.1 s.
    var rig = SupervisorRig.cryo()
    let trip = try #require(
      rig.run(from: 0, through: minute) { now in
        let command: Double
        switch now {
        case ..<(5 * second): command = -0.2
        case 12 * second: command = -0.1
        default: command = -0.5
        }
        return Tick(command: command, celsius: cryo(-12))
      })
    #expect(trip.check == .stuckSensor)
    #expect(trip.conditionSinceNanoseconds == 12_100 * millisecond)
    #expect(trip.detectedNanoseconds == 22_100 * millisecond)
    // Never above 20 %: never stuck.
    var idle = SupervisorRig.cryo()
    let idleTrip = idle.run(from: 0, through: minute) { _ in
      Tick(command: 0.2, celsius: cryo(-12))
    }
    #expect(idleTrip == nil)
  }

  // MARK: - Actuator read-back

  @Test(
    "read-back: |measured − commanded| > 0.2 for exactly 0.5 s trips",
    arguments: [
      (TreatmentMode.laserLipolysis, 0.5, 0.25), (.laserLipolysis, 0.3, 1.0),
      (.cryolipolysis, -0.8, -0.5), (.cryolipolysis, 0.1, -0.35),
    ])
  func readBack(mode: TreatmentMode, command: Double, measured: Double) throws {
    var rig = mode == .cryolipolysis ? SupervisorRig.cryo() : SupervisorRig.laser()
    let t0 = 2 * second
    let trip = try #require(
      rig.run(from: 0, through: 10 * second) { now in
        Tick(
          command: command, readBack: now >= t0 ? measured : command,
          celsius: mode == .cryolipolysis ? cryo(-12) : laser(46))
      })
    #expect(trip.check == .actuatorReadBack)
    #expect(trip.subject == .powerStage)
    #expect(trip.sensorIndex == -1)
    // The measured output, against the edge of the tolerance band it crossed
    // (the command ± 0.2 of full scale, on the measured side).
    #expect(trip.reading == measured)
    #expect(abs(trip.limit - (command + (measured > command ? 0.2 : -0.2))) < 1e-12)
    #expect(trip.conditionSinceNanoseconds == t0)
    #expect(trip.detectedNanoseconds == t0 + 500 * millisecond)
    expectWithinBound(trip, persistence: 500 * millisecond, rig.supervisor)
  }

  @Test("read-back: within tolerance, a 0.4 s mismatch, or no read-back at all: no trip")
  func readBackNegative() {
    var noise = Noise(seed: 31, rms: 0.05)
    var rig = SupervisorRig.laser()
    let trip = rig.run(from: 0, through: 2 * minute) { now in
      let k = now / (100 * millisecond)
      let burst = now >= 60 * second && now < 60 * second + 400 * millisecond
      let measured = burst ? 1.0 : 0.5 + (k % 2 == 0 ? 0.15 : -0.15)
      return Tick(
        command: 0.5, readBack: measured, celsius: laser(46 + noise.next(), skin: 38 + noise.next())
      )
    }
    #expect(trip == nil)
    // A stage without read-back (nil): nothing to compare, whatever the command.
    var blind = SupervisorRig.cryo()
    let blindTrip = blind.run(from: 0, through: 30 * second) { now in
      Tick(command: -1, readBack: nil, celsius: cryo(-12 + noise.next()))
    }
    #expect(blindTrip == nil)
  }

  // MARK: - Dose cap

  @Test("dose cap (laser): CEM43 counted at the dose sensor trips once beyond 1.1 × the plan")
  func doseCap() throws {
    // Plan: 25 min at the window's upper edge, 47 °C: 2⁴·25 = 400 CEM43 min;
    // the cap is 440. Held at 47.5 °C the dose grows at 2^4.5 = 22.627 min
    // per minute (closed form R^(43 − T)·t), so it passes 440 at
    // t = 440·60/2^4.5 = 1166.73 s: the first tick beyond is 1166.8 s.
    let plan = laserPlan()
    var rig = SupervisorRig(
      supervisor: SafetySupervisor(
        configuration: SafetyConfiguration(mode: .laserLipolysis), plan: plan,
        sensors: laserSensors, controlIndex: 0, doseIndex: 0),
      plan: plan, limits: OutputLimits(low: 0, high: 1))
    #expect(abs(rig.supervisor.doseCapMinutes - 440) < 1e-9)
    let perSecond = pow(2, 4.5) / 60
    let crossing = 440 / perSecond
    #expect(crossing > 1166.7 && crossing < 1166.8)
    let trip = try #require(rig.run(from: 0, through: 30 * minute) { _ in laser(47.5) })
    #expect(trip.check == .doseCap)
    #expect(trip.subject == .sensor(0))
    #expect(trip.detectedNanoseconds == 11_668 * 100 * millisecond)
    #expect(abs(trip.reading - perSecond * 1166.8) < 1e-9 * 440)
    #expect(abs(trip.limit - 440) < 1e-9)
    #expect(trip.conditionSinceNanoseconds == trip.detectedNanoseconds)
    expectWithinBound(trip, persistence: 0, rig.supervisor)
    #expect(abs(rig.supervisor.cem43Minutes - trip.reading) < 1e-12)
    // A new treatment is needed.
    _ = rig.evaluate(at: trip.detectedNanoseconds + second, celsius: laser(46))
    let accepted = rig.supervisor.reset(nowNanoseconds: trip.detectedNanoseconds + second)
    #expect(!accepted)
    #expect(rig.supervisor.trip == trip)
  }

  @Test("dose cap: a profile's planned dose replaces the window's; holding 46 °C stays under")
  func doseCapPlannedAndNegative() throws {
    // Planned 100 CEM43 min: cap 110. At 45.5 °C, 2^2.5 min per minute:
    // beyond 110 at 110·60/2^2.5 = 1166.73 s, again the tick at 1166.8 s.
    var configuration = SafetyConfiguration(mode: .laserLipolysis)
    configuration.plannedDoseMinutes = 100
    let plan = laserPlan()
    var rig = SupervisorRig(
      supervisor: SafetySupervisor(
        configuration: configuration, plan: plan, sensors: laserSensors, controlIndex: 0,
        doseIndex: 0),
      plan: plan, limits: OutputLimits(low: 0, high: 1))
    #expect(abs(rig.supervisor.doseCapMinutes - 110) < 1e-12)
    let trip = try #require(rig.run(from: 0, through: 30 * minute) { _ in laser(45.5) })
    #expect(trip.check == .doseCap)
    #expect(trip.detectedNanoseconds == 11_668 * 100 * millisecond)

    // The standard plan held at its 46 °C setpoint for the whole 25 min:
    // 8·25 = 200 CEM43 min, under 440.
    var noise = Noise(seed: 12, rms: 0.05)
    var holding = SupervisorRig(
      supervisor: SafetySupervisor(
        configuration: SafetyConfiguration(mode: .laserLipolysis), plan: plan,
        sensors: laserSensors, controlIndex: 0, doseIndex: 0),
      plan: plan, limits: OutputLimits(low: 0, high: 1))
    let holdingTrip = holding.run(from: 0, through: 25 * minute) { _ in
      Tick(command: 0.55, celsius: laser(46 + noise.next(), skin: 38 + noise.next()))
    }
    #expect(holdingTrip == nil)
    #expect(abs(holding.supervisor.cem43Minutes - 200) < 2)
  }

  // MARK: - Interlocks

  @Test("interlock defaults: cryo 2 s for contact and coolant, laser at once")
  func interlockDefaults() {
    let cryoDefaults = SafetyConfiguration(mode: .cryolipolysis)
    #expect(cryoDefaults.contactPersistenceNanoseconds == 2 * second)
    #expect(cryoDefaults.coolantPersistenceNanoseconds == 2 * second)
    let laserDefaults = SafetyConfiguration(mode: .laserLipolysis)
    #expect(laserDefaults.contactPersistenceNanoseconds == 0)
    #expect(laserDefaults.coolantPersistenceNanoseconds == 0)
  }

  @Test(
    "interlock (cryo): contact and coolant each trip after exactly 2 s, naming their kind",
    arguments: [InterlockKind.contact, .coolant])
  func interlockKinds(kind: InterlockKind) throws {
    let open =
      kind == .contact
      ? Interlocks(contactMade: false, coolantFlowing: true)
      : Interlocks(contactMade: true, coolantFlowing: false)
    var rig = SupervisorRig.cryo()
    let t0 = 3 * second
    let trip = try #require(
      rig.run(from: 0, through: 10 * second) { now in
        Tick(command: 0, interlocks: now >= t0 ? open : .allMade, celsius: cryo(-12))
      })
    #expect(trip.check == .interlock)
    #expect(trip.subject == .interlock(kind))
    #expect(trip.reading.isNaN)
    #expect(trip.limit.isNaN)
    #expect(trip.conditionSinceNanoseconds == t0)
    #expect(trip.detectedNanoseconds == t0 + 2 * second)
    expectWithinBound(trip, persistence: 2 * second, rig.supervisor)
  }

  @Test("interlock: separate persistences and separate timers")
  func interlockSeparate() throws {
    var configuration = SafetyConfiguration(mode: .cryolipolysis)
    configuration.coolantPersistenceNanoseconds = 500 * millisecond
    // Both lost at t0: the coolant's shorter persistence trips first.
    var both = SupervisorRig.cryo(configuration)
    let t0 = 3 * second
    let trip = try #require(
      both.run(from: 0, through: 10 * second) { now in
        Tick(command: 0, interlocks: now >= t0 ? .allOpen : .allMade, celsius: cryo(-12))
      })
    #expect(trip.subject == .interlock(.coolant))
    #expect(trip.detectedNanoseconds == t0 + 500 * millisecond)
    // Contact alone keeps its own 2 s.
    var contact = SupervisorRig.cryo(configuration)
    let contactTrip = try #require(
      contact.run(from: 0, through: 10 * second) { now in
        Tick(
          command: 0,
          interlocks: Interlocks(contactMade: now < t0, coolantFlowing: true), celsius: cryo(-12))
      })
    #expect(contactTrip.subject == .interlock(.contact))
    #expect(contactTrip.detectedNanoseconds == t0 + 2 * second)
    // Contact lost for 1.5 s, then coolant lost for 1.5 s right after: with
    // the defaults (2 s each) neither timer reaches 2 s.
    var handover = SupervisorRig.cryo()
    let handoverTrip = handover.run(from: 0, through: 10 * second) { now in
      let interlocks: Interlocks
      switch now {
      case t0..<(t0 + 1_500 * millisecond):
        interlocks = Interlocks(contactMade: false, coolantFlowing: true)
      case (t0 + 1_500 * millisecond)..<(t0 + 3 * second):
        interlocks = Interlocks(contactMade: true, coolantFlowing: false)
      default: interlocks = .allMade
      }
      return Tick(command: 0, interlocks: interlocks, celsius: cryo(-12))
    }
    #expect(handoverTrip == nil)
  }

  // MARK: - Reset policy

  @Test("reset: refused after a freeze (a new treatment is needed), however normal the readings")
  func freezeResetRefused() throws {
    var rig = SupervisorRig.cryo(sensors: cryoRedundantSensors)
    let found = rig.run(from: 0, through: 30 * second, ticks: Self.freezeTick)
    let trip = try #require(found)
    #expect(trip.check == .freezeDetected)
    var now = trip.detectedNanoseconds
    for _ in 0..<20 {
      now += 100 * millisecond
      let verdict = rig.evaluate(at: now, celsius: cryo(-12, redundant: -12))
      #expect(verdict == .tripped(trip))
    }
    let accepted = rig.supervisor.reset(nowNanoseconds: now)
    #expect(!accepted)
    #expect(rig.supervisor.trip == trip)
  }

  @Test("reset: refused while the sensors still disagree, accepted once they agree")
  func disagreementReset() throws {
    // The redundant sensor steps to −13.4 °C at 1 s and −14 °C at 2 s (two
    // steps, each too small for the rate check).
    func redundant(_ now: UInt64) -> Double {
      now >= 2 * second ? -14 : (now >= second ? -13.4 : -12)
    }
    var rig = SupervisorRig.cryo(sensors: cryoRedundantSensors)
    let trip = try #require(
      rig.run(from: 0, through: 10 * second) { now in
        Tick(command: 0, celsius: cryo(-12, redundant: redundant(now)))
      })
    #expect(trip.check == .sensorDisagreement)
    #expect(trip.detectedNanoseconds == 3 * second)
    // At once, before any further reading (as a runner's reset at the next tick).
    let atOnce = rig.supervisor.reset(nowNanoseconds: trip.detectedNanoseconds)
    #expect(!atOnce)
    var now = trip.detectedNanoseconds + 100 * millisecond
    _ = rig.evaluate(at: now, celsius: cryo(-12, redundant: -14))
    let refused = rig.supervisor.reset(nowNanoseconds: now)
    #expect(!refused)
    #expect(rig.supervisor.trip == trip)
    now += 100 * millisecond
    let latched = rig.evaluate(at: now, celsius: cryo(-12, redundant: -12.1))
    #expect(latched == .tripped(trip))
    let accepted = rig.supervisor.reset(nowNanoseconds: now)
    #expect(accepted)
    #expect(rig.supervisor.trip == nil)
    now += 100 * millisecond
    let verdict = rig.evaluate(at: now, celsius: cryo(-12, redundant: -12.1))
    #expect(verdict == .run)
    // The timers start again: a disagreement that returns trips a full
    // second after it does (−13.4 °C, then −14 °C from `back`).
    let back = now + 2 * second
    let again = try #require(
      rig.run(from: now + 100 * millisecond, through: now + 10 * second) { t in
        Tick(command: 0, celsius: cryo(-12, redundant: t >= back ? -14 : -13.4))
      })
    #expect(again.check == .sensorDisagreement)
    #expect(again.conditionSinceNanoseconds == back)
    #expect(again.detectedNanoseconds == back + second)
  }
}
