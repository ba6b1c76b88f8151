import ApplicatorHAL
import Foundation
import TestSupport
import Testing
import ThermalLoop

/// Readings for the cryo rig: plate, hot side 30 °C, skin 20 °C.
private func cryo(_ plate: Double, hotSide: Double = 30, skin: Double = 20) -> [Double] {
  [plate, hotSide, skin]
}

/// Readings for the laser rig: fat probe, skin 38 °C.
private func laser(_ fat: Double, skin: Double = 38) -> [Double] { [fat, skin] }

/// A trip's record, if the verdict is a trip.
private func tripOf(_ verdict: SafetyVerdict) -> TripRecord? {
  if case .tripped(let record) = verdict { return record }
  return nil
}

/// After a trip: good readings for a while must leave it latched, unchanged.
private func expectLatched(
  _ rig: inout SupervisorRig, _ record: TripRecord, from start: UInt64, readings: [Double]
) {
  var now = start
  while now < start + 10 * second {
    let verdict = rig.evaluate(at: now, celsius: readings)
    #expect(verdict == .tripped(record))
    now += 100 * millisecond
  }
  #expect(rig.supervisor.trip == record)
}

@Suite("SafetySupervisor", .tags(.safety))
struct SafetySupervisorTests {
  // MARK: - Sensor plausibility

  @Test(
    "plausibility: a reading outside −40 … +80 °C trips after exactly 0.3 s",
    arguments: [(0, -60.0, -40.0), (0, 150.0, 80.0), (2, -40.5, -40.0), (1, 80.01, 80.0)])
  func plausibility(sensor: Int, bad: Double, limit: Double) throws {
    var rig = SupervisorRig.cryo()
    let t0 = 2 * second
    let trip = try #require(
      rig.run(from: 0, through: 10 * second) { now in
        var values = cryo(-12)
        if now >= t0 { values[sensor] = bad }
        return values
      })
    #expect(trip.check == .sensorPlausibility)
    #expect(trip.sensorIndex == sensor)
    #expect(trip.reading == bad)
    #expect(trip.limit == limit)
    #expect(trip.conditionSinceNanoseconds == t0)
    #expect(trip.detectedNanoseconds == t0 + 300 * millisecond)
    expectLatched(&rig, trip, from: t0 + 400 * millisecond, readings: cryo(-12))
  }

  @Test("plausibility: the persistence is a duration, the same at 1 kHz")
  func plausibilityAtOneKilohertz() throws {
    var rig = SupervisorRig.cryo()
    let t0 = 1 * second
    let trip = try #require(
      rig.run(from: 0, through: 3 * second, every: millisecond) { now in
        cryo(now >= t0 ? -60 : -12)
      })
    #expect(trip.detectedNanoseconds == t0 + 300 * millisecond)
    #expect(trip.conditionSinceNanoseconds == t0)
  }

  @Test("plausibility: readings at the edges and a 0.2 s glitch do not trip")
  func plausibilityNegative() {
    var rig = SupervisorRig.cryo()
    // The skin monitor (no hard limit of its own in cryo) at −39.9 and 79.9,
    // then a three-sample (0.2 s) open-circuit glitch on it.
    let trip = rig.run(from: 0, through: 60 * second) { now in
      let skin: Double
      switch now {
      case ..<(10 * second): skin = -39.9
      case ..<(20 * second): skin = 79.9
      case (30 * second)...(30 * second + 200 * millisecond): skin = -60
      default: skin = 20
      }
      return cryo(-12, skin: skin)
    }
    #expect(trip == nil)
  }

  // MARK: - Hard limits

  @Test("hard low (cryo): plate ≤ −16 °C trips after exactly 0.3 s")
  func hardLowCryo() throws {
    // A 4 °C step in one tick would trip the rate check first (0.1 s later).
    var rig = SupervisorRig.cryo(.defaults(.cryolipolysis, without: [.rateOfChange]))
    let t0 = 5 * second
    let trip = try #require(
      rig.run(from: 0, through: 20 * second) { now in cryo(now >= t0 ? -16 : -12) })
    #expect(trip.check == .hardLow)
    #expect(trip.sensorIndex == 0)
    #expect(trip.reading == -16)
    #expect(trip.limit == -16)
    #expect(trip.conditionSinceNanoseconds == t0)
    #expect(trip.detectedNanoseconds == t0 + 300 * millisecond)
    expectLatched(&rig, trip, from: t0 + 400 * millisecond, readings: cryo(-12))
  }

  @Test("hard low (cryo): a 0.2 s dip below −16 °C and noisy holding at −12 °C do not trip")
  func hardLowNegative() {
    // The 4.5 °C dip in one tick is a rate-of-change trip; this is about the hard low.
    var rig = SupervisorRig.cryo(.defaults(.cryolipolysis, without: [.rateOfChange]))
    var noise = Noise(seed: 3, rms: 0.05)
    let trip = rig.run(from: 0, through: 120 * second) { now in
      let dip = now >= 50 * second && now <= 50 * second + 200 * millisecond
      return cryo(dip ? -16.5 : -12 + noise.next())
    }
    #expect(trip == nil)
  }

  @Test("hard low (laser): fat ≤ 5 °C trips after exactly 0.3 s")
  func hardLowLaser() throws {
    var rig = SupervisorRig.laser()
    let t0 = 3 * second
    let trip = try #require(
      rig.run(from: 0, through: 10 * second) { now in laser(now >= t0 ? 4.5 : 35) })
    #expect(trip.check == .hardLow)
    #expect(trip.sensorIndex == 0)
    #expect(trip.limit == 5)
    #expect(trip.detectedNanoseconds == t0 + 300 * millisecond)
  }

  @Test("hard high (cryo): a plate at room temperature before arming trips nothing")
  func roomTemperatureStart() {
    var rig = SupervisorRig.cryo()
    let trip = rig.run(from: 0, through: 120 * second) { _ in cryo(25, hotSide: 25, skin: 32) }
    #expect(trip == nil)
    #expect(!rig.supervisor.isArmed)
  }

  @Test("hard high (cryo): once armed, a plate at or above +15 °C trips in the same tick")
  func hardHighArmed() throws {
    // Warming while holding at unchanged cooling is what the freeze check
    // looks for; this is about the hard high.
    var rig = SupervisorRig.cryo(.defaults(.cryolipolysis, without: [.freezeDetected]))
    // In the window for 10 s (armed), then warming at 1.9 °C/s: the first tick
    // at or above +15 °C is the first k with −12 + 1.9·k·0.1 ≥ 15, k = 143.
    let t0 = 10 * second
    let trip = try #require(
      rig.run(from: 0, through: 60 * second) { now in
        guard now > t0 else { return cryo(-12) }
        return cryo(-12 + 1.9 * Double(now - t0) * 1e-9)
      })
    #expect(trip.check == .hardHigh)
    #expect(trip.sensorIndex == 0)
    #expect(trip.limit == 15)
    #expect(trip.detectedNanoseconds == t0 + 143 * 100 * millisecond)
    #expect(trip.conditionSinceNanoseconds == trip.detectedNanoseconds)
    #expect(trip.reading >= 15 && trip.reading < 15.19)
  }

  @Test("hard high (cryo): not during a planned rewarm")
  func hardHighNotInTransition() {
    let plan = TreatmentPlan(
      mode: .cryolipolysis, window: cryoWindow,
      phases: [
        TreatmentPhase(kind: .treatment, setpointCelsius: -12, durationNanoseconds: 30 * second),
        TreatmentPhase(kind: .transition, setpointCelsius: 5, durationNanoseconds: 10 * minute),
      ])
    var rig = SupervisorRig.cryo(plan: plan)
    // Armed in the treatment phase, then the rewarm brings the plate to +20 °C.
    let trip = rig.run(from: 0, through: 5 * minute) { now in
      now < 30 * second ? cryo(-12) : cryo(min(-12 + Double(now - 30 * second) * 1e-9, 20))
    }
    #expect(trip == nil)
  }

  @Test("hard high (cryo): TEC hot side above 60 °C trips after 0.3 s, armed or not")
  func hotSide() throws {
    var rig = SupervisorRig.cryo()
    let t0 = 4 * second
    let trip = try #require(
      rig.run(from: 0, through: 10 * second) { now in cryo(25, hotSide: now >= t0 ? 61 : 40) })
    #expect(!rig.supervisor.isArmed)
    #expect(trip.check == .hardHigh)
    #expect(trip.sensorIndex == 1)
    #expect(trip.limit == 60)
    #expect(trip.reading == 61)
    #expect(trip.conditionSinceNanoseconds == t0)
    #expect(trip.detectedNanoseconds == t0 + 300 * millisecond)
  }

  @Test(
    "hard high (laser): fat ≥ 48.5 °C for 0.2 s, skin ≥ 43 °C for 0.2 s, anything ≥ 50 °C at once",
    arguments: [
      (0, 48.5, 48.5, UInt64(200)), (0, 49.9, 48.5, 200), (1, 43.0, 43.0, 200),
      (1, 50.0, 50.0, 0), (0, 50.2, 50.0, 0),
    ])
  func hardHighLaser(sensor: Int, value: Double, limit: Double, persistence: UInt64) throws {
    // A fat step of 2.5 °C in one tick would trip the rate check first.
    var rig = SupervisorRig.laser(.defaults(.laserLipolysis, without: [.rateOfChange]))
    let t0 = 2 * second
    let trip = try #require(
      rig.run(from: 0, through: 10 * second) { now in
        var values = laser(46)
        if now >= t0 { values[sensor] = value }
        return values
      })
    #expect(trip.check == .hardHigh)
    #expect(trip.sensorIndex == sensor)
    #expect(trip.limit == limit)
    #expect(trip.reading == value)
    #expect(trip.conditionSinceNanoseconds == t0)
    #expect(trip.detectedNanoseconds == t0 + persistence * millisecond)
  }

  @Test("hard high (laser): fat at 48.4 °C and skin at 42.9 °C do not trip")
  func hardHighLaserNegative() {
    var rig = SupervisorRig.laser(.defaults(.laserLipolysis, without: [.rateOfChange]))
    let trip = rig.run(from: 0, through: 15 * second) { now in
      now < 2 * second ? laser(46) : laser(48.4, skin: 42.9)
    }
    #expect(trip == nil)
  }

  // MARK: - Out of window

  @Test("out of window: arms at the first entry, trips after exactly 20 s beyond the margin")
  func outOfWindow() throws {
    // The 1.5 °C step from −12 to −10.5 °C in one tick while holding is a
    // freeze signature and a rate-of-change trip: both checks are off.
    var rig = SupervisorRig.cryo(
      .defaults(.cryolipolysis, without: [.rateOfChange, .freezeDetected]))
    // Approach from 25 °C at 1 °C/s: no check before the first entry at −11 °C.
    func approach(_ now: UInt64) -> Double { max(25 - Double(now) * 1e-9, -12) }
    _ = rig.run(from: 0, through: 35 * second) { cryo(approach($0)) }
    #expect(!rig.supervisor.isArmed)
    _ = rig.run(from: 35 * second + 100 * millisecond, through: 60 * second) { cryo(approach($0)) }
    #expect(rig.supervisor.isArmed)
    // Outside the window but inside the 1 °C margin for a minute: no trip.
    let rigTrip = rig.run(from: 60 * second, through: 120 * second) { _ in cryo(-10.5) }
    #expect(rigTrip == nil)
    // Beyond the margin from t1.
    let t1 = 121 * second
    let trip = try #require(rig.run(from: t1, through: 200 * second) { _ in cryo(-9.9) })
    #expect(trip.check == .outOfWindow)
    #expect(trip.sensorIndex == 0)
    #expect(trip.reading == -9.9)
    #expect(trip.limit == -10)
    #expect(trip.conditionSinceNanoseconds == t1)
    #expect(trip.detectedNanoseconds == t1 + 20 * second)
    expectLatched(&rig, trip, from: trip.detectedNanoseconds + second, readings: cryo(-12))
  }

  @Test("out of window: below the window the limit is the lower edge minus the margin")
  func outOfWindowLow() throws {
    // A 2.1 °C step in one tick would trip the rate check first.
    var rig = SupervisorRig.cryo(.defaults(.cryolipolysis, without: [.rateOfChange]))
    let t0 = 10 * second
    let trip = try #require(
      rig.run(from: 0, through: 60 * second) { now in cryo(now >= t0 ? -14.1 : -12) })
    #expect(trip.check == .outOfWindow)
    #expect(trip.limit == -14)
    #expect(trip.detectedNanoseconds == t0 + 20 * second)
  }

  @Test("out of window: never armed, never tripped; a return into the band restarts the time")
  func outOfWindowNegative() {
    var unarmed = SupervisorRig.cryo()
    let unarmedTrip = unarmed.run(from: 0, through: 3 * minute) { _ in cryo(-9) }
    #expect(unarmedTrip == nil)

    // 2.5 °C steps in one tick while holding: rate and freeze checks off.
    var rig = SupervisorRig.cryo(
      .defaults(.cryolipolysis, without: [.rateOfChange, .freezeDetected]))
    // Armed, then 19.9 s out, one tick back in the band, 19.9 s out again.
    let trip = rig.run(from: 0, through: 60 * second) { now in
      switch now {
      case ..<(5 * second): return cryo(-12)
      case ..<(5 * second + 19_900 * millisecond): return cryo(-9.5)
      case 5 * second + 19_900 * millisecond: return cryo(-10.5)
      case ..<(45 * second): return cryo(-9.5)
      default: return cryo(-12)
      }
    }
    #expect(trip == nil)
  }

  @Test("out of window: noise within spec while holding does not trip")
  func holdingWithNoise() {
    var rig = SupervisorRig.cryo()
    rig.lastCommand = -0.4
    var noise = Noise(seed: 11, rms: 0.05)
    let trip = rig.run(from: 0, through: 20 * minute) { _ in
      cryo(-12 + noise.next(), hotSide: 32 + noise.next(), skin: 2 + noise.next())
    }
    #expect(trip == nil)
  }

  // MARK: - Must progress

  @Test("must progress (cryo): full cooling and the plate does not fall 1 °C in 30 s")
  func mustProgressCryo() throws {
    var rig = SupervisorRig.cryo()
    rig.lastCommand = -1
    // Plate far above the window (it would need to fall), falling 0.9 °C per 30 s.
    let trip = try #require(
      rig.run(from: 0, through: 2 * minute) { now in cryo(20 - 0.03 * Double(now) * 1e-9) })
    #expect(trip.check == .mustProgress)
    #expect(trip.sensorIndex == 0)
    #expect(trip.detectedNanoseconds == 30 * second)
    // Onset: the progress reference time (it was the detection time before).
    #expect(trip.conditionSinceNanoseconds == 0)
    #expect(abs(trip.reading - 19.1) < 1e-9)
    #expect(trip.limit == 19)  // the reference minus the required fall
  }

  @Test("must progress (cryo): a stuck plate at 80 % cooling trips; just under 80 % does not")
  func mustProgressThreshold() {
    // A constant reading under a working actuator is a stuck sensor (at
    // 10 s): off here, this is about must-progress.
    let configuration = SafetyConfiguration.defaults(.cryolipolysis, without: [.stuckSensor])
    var pushing = SupervisorRig.cryo(configuration)
    pushing.lastCommand = -0.8
    let pushingTrip = pushing.run(from: 0, through: 2 * minute) { _ in cryo(20) }
    #expect(pushingTrip?.detectedNanoseconds == 30 * second)
    var easy = SupervisorRig.cryo(configuration)
    easy.lastCommand = -0.79
    let easyTrip = easy.run(from: 0, through: 2 * minute) { _ in cryo(20) }
    #expect(easyTrip == nil)
    // Heating hard does not count as pushing toward a colder target.
    var heating = SupervisorRig.cryo(configuration)
    heating.lastCommand = 0.5
    let heatingTrip = heating.run(from: 0, through: 2 * minute) { _ in cryo(20) }
    #expect(heatingTrip == nil)
  }

  @Test("must progress (cryo): within 2 °C of the window the check is not armed")
  func mustProgressNear() {
    // Target −12, window half-width 1: armed only more than 3 °C from the target.
    // (Constant readings at full cooling: the stuck-sensor check is off.)
    let configuration = SafetyConfiguration.defaults(.cryolipolysis, without: [.stuckSensor])
    var near = SupervisorRig.cryo(configuration)
    near.lastCommand = -1
    let nearTrip = near.run(from: 0, through: 2 * minute) { _ in cryo(-9.1) }
    #expect(nearTrip == nil)
    var far = SupervisorRig.cryo(configuration)
    far.lastCommand = -1
    let farTrip = far.run(from: 0, through: 2 * minute) { _ in cryo(-8.9) }
    #expect(farTrip?.check == .mustProgress)
  }

  @Test("must progress (cryo): a healthy first-order approach at full cooling does not trip")
  func mustProgressHealthyApproach() {
    // τ = 50 s from 25 °C toward −12 °C: at −9 °C, where the check disarms,
    // it still falls 3/50·30 = 1.8 °C per 30 s. (The rig keeps full cooling
    // for 10 min, long after the plate has settled: the stuck-sensor check,
    // which would see a settled plate under full cooling, is off.)
    let configuration = SafetyConfiguration.defaults(.cryolipolysis, without: [.stuckSensor])
    var rig = SupervisorRig.cryo(configuration)
    rig.lastCommand = -1
    let trip = rig.run(from: 0, through: 10 * minute) { now in
      cryo(-12 + 37 * exp(-Double(now) * 1e-9 / 50))
    }
    #expect(trip == nil)
    // And a linear fall of 1.2 °C per 30 s (0.04 °C/s) from +20 °C.
    var slow = SupervisorRig.cryo(configuration)
    slow.lastCommand = -1
    let slowTrip = slow.run(from: 0, through: 5 * minute) { now in
      cryo(20 - 0.04 * Double(now) * 1e-9)
    }
    #expect(slowTrip == nil)
  }

  @Test("must progress (laser): full power and the fat does not rise 0.5 °C in 30 s")
  func mustProgressLaser() throws {
    var rig = SupervisorRig.laser()
    rig.lastCommand = 1
    let trip = try #require(
      rig.run(from: 0, through: 2 * minute) { now in laser(35 + 0.015 * Double(now) * 1e-9) })
    #expect(trip.check == .mustProgress)
    #expect(trip.detectedNanoseconds == 30 * second)
    #expect(abs(trip.reading - 35.45) < 1e-9)
    #expect(trip.limit == 35.5)
    // The normal ramp, ~1.2 °C per 30 s, never trips it. (It then holds a
    // constant 46 °C at full power: the stuck-sensor check is off.)
    var ramp = SupervisorRig.laser(.defaults(.laserLipolysis, without: [.stuckSensor]))
    ramp.lastCommand = 1
    let healthy = ramp.run(from: 0, through: 5 * minute) { now in
      laser(min(35 + 0.04 * Double(now) * 1e-9, 46))
    }
    #expect(healthy == nil)
  }

  // MARK: - Stale data

  @Test("stale data: output off after 0.3 s without a new sample, trip at exactly 1 s")
  func staleData() {
    var rig = SupervisorRig.cryo()
    let t0 = 2 * second  // the last new sample
    var now: UInt64 = 0
    while now <= t0 {
      let verdict = rig.evaluate(at: now, celsius: cryo(-12))
      #expect(verdict == .run)
      now += 100 * millisecond
    }
    var trip: TripRecord? = nil
    while trip == nil {
      let age = now - t0
      let verdict = rig.evaluate(
        at: now, [repeated(-12, takenAt: t0), fresh(30, at: now), fresh(20, at: now)])
      if age < 300 * millisecond {
        #expect(verdict == .run, "age \(age)")
      } else if age < second {
        #expect(verdict == .holdOff, "age \(age)")
      } else {
        trip = tripOf(verdict)
        #expect(trip != nil)
        #expect(age == second)
      }
      now += 100 * millisecond
    }
    #expect(trip?.check == .staleData)
    #expect(trip?.sensorIndex == 0)
    #expect(trip?.reading == 1)
    #expect(trip?.limit == 1)
    // Onset: the last new sample (before the new API this was the detection time).
    #expect(trip?.conditionSinceNanoseconds == t0)
    #expect(trip?.detectedNanoseconds == t0 + second)
  }

  @Test("stale data: failed reads count as no new sample", arguments: [FaultKind.timedOut, .io])
  func failedReads(kind: FaultKind) {
    var rig = SupervisorRig.cryo()
    _ = rig.evaluate(at: 0, celsius: cryo(-12))
    var now = 100 * millisecond
    var verdicts: [SafetyVerdict] = []
    while now <= second {
      verdicts.append(
        rig.evaluate(at: now, [fresh(-12, at: now), fresh(30, at: now), .fault(kind)]))
      now += 100 * millisecond
    }
    #expect(verdicts[1] == .run)  // 0.2 s
    #expect(verdicts[2] == .holdOff)  // 0.3 s
    #expect(verdicts[8] == .holdOff)  // 0.9 s
    #expect(tripOf(verdicts[9])?.check == .staleData)  // 1.0 s
    #expect(tripOf(verdicts[9])?.sensorIndex == 2)
  }

  @Test("stale data: a slow sensor is judged on three of its own periods")
  func slowSensor() {
    var sensors = cryoSensors
    sensors[0].periodNanoseconds = 200 * millisecond
    var rig = SupervisorRig.cryo(sensors: sensors)
    _ = rig.evaluate(at: 0, celsius: cryo(-12))
    var verdicts: [UInt64: SafetyVerdict] = [:]
    var now = 100 * millisecond
    while now <= second {
      verdicts[now] = rig.evaluate(
        at: now, [repeated(-12, takenAt: 0), fresh(30, at: now), fresh(20, at: now)])
      now += 100 * millisecond
    }
    #expect(verdicts[500 * millisecond] == .run)
    #expect(verdicts[600 * millisecond] == .holdOff)  // 3 × 200 ms
    #expect(verdicts[900 * millisecond] == .holdOff)
    #expect(tripOf(verdicts[second]!)?.check == .staleData)

    // A 500 ms sensor that converts on time never holds: between conversions
    // its age stays below 3 × 500 ms.
    var slowSensors = cryoSensors
    slowSensors[0].periodNanoseconds = 500 * millisecond
    var slow = SupervisorRig.cryo(sensors: slowSensors)
    now = 0
    while now <= minute {
      let taken = now - now % (500 * millisecond)
      let plate = taken == now ? fresh(-12, at: now) : repeated(-12, takenAt: taken)
      let verdict = slow.evaluate(at: now, [plate, fresh(30, at: now), fresh(20, at: now)])
      #expect(verdict == .run)
      now += 100 * millisecond
    }
  }

  @Test("stale data: reset is refused while the data is still stale, allowed once it returns")
  func staleReset() throws {
    var rig = SupervisorRig.cryo()
    _ = rig.evaluate(at: 0, celsius: cryo(-12))
    var now = 100 * millisecond
    var trip: TripRecord? = nil
    while trip == nil && now <= 2 * second {
      trip = tripOf(
        rig.evaluate(at: now, [.fault(.timedOut), fresh(30, at: now), fresh(20, at: now)]))
      now += 100 * millisecond
    }
    #expect(trip?.check == .staleData)
    // Still no data: the cause is present.
    _ = rig.evaluate(at: now, [.fault(.timedOut), fresh(30, at: now), fresh(20, at: now)])
    let refused = rig.supervisor.reset(nowNanoseconds: now)
    #expect(!refused)
    #expect(rig.supervisor.trip != nil)
    now += 100 * millisecond
    // Data returns: still latched until the reset…
    let latched = rig.evaluate(at: now, celsius: cryo(-12))
    #expect(tripOf(latched) == trip)
    // …which is now allowed, and the loop runs again.
    let allowed = rig.supervisor.reset(nowNanoseconds: now)
    #expect(allowed)
    #expect(rig.supervisor.trip == nil)
    now += 100 * millisecond
    let verdict = rig.evaluate(at: now, celsius: cryo(-12))
    #expect(verdict == .run)
  }

  // MARK: - Time cap

  @Test("time cap: trips once treatment time exceeds the planned hold + 10 %")
  func timeCap() throws {
    var rig = SupervisorRig.cryo()
    let cap = 38 * minute + 30 * second  // 35 min + 10 %
    #expect(rig.supervisor.timeCapNanoseconds == cap)
    var now = cap - second
    while now <= cap {
      rig.treatmentElapsed = now
      let verdict = rig.evaluate(at: now, celsius: cryo(-12))
      #expect(verdict == .run)
      now += 100 * millisecond
    }
    rig.treatmentElapsed = now
    let trip = try #require(tripOf(rig.evaluate(at: now, celsius: cryo(-12))))
    #expect(trip.check == .timeCap)
    #expect(trip.sensorIndex == -1)
    #expect(trip.detectedNanoseconds == cap + 100 * millisecond)
    #expect(trip.conditionSinceNanoseconds == cap)
    #expect(abs(trip.limit - 38.5) < 1e-12)  // minutes
    #expect(abs(trip.reading - (38.5 + 0.1 / 60)) < 1e-12)
    let allowed = rig.supervisor.reset(nowNanoseconds: now)
    #expect(!allowed)  // needs a new treatment
    #expect(rig.supervisor.trip == trip)
  }

  @Test("time cap: an explicit cap replaces the factor; transition phases do not count")
  func timeCapExplicit() {
    var configuration = SafetyConfiguration(mode: .laserLipolysis)
    configuration.timeCapNanoseconds = 10 * second
    let plan = TreatmentPlan(
      mode: .laserLipolysis, window: laserWindow,
      phases: [
        TreatmentPhase(kind: .transition, setpointCelsius: 40, durationNanoseconds: 30 * second),
        TreatmentPhase(kind: .treatment, setpointCelsius: 46, durationNanoseconds: minute),
      ])
    var rig = SupervisorRig.laser(configuration, plan: plan)
    #expect(rig.supervisor.timeCapNanoseconds == 10 * second)
    let trip = rig.run(from: 0, through: minute) { _ in laser(46) }
    #expect(trip?.check == .timeCap)
    // 30 s of transition, then 10 s of treatment: the first tick beyond is at 40.1 s.
    #expect(trip?.detectedNanoseconds == 40 * second + 100 * millisecond)
  }

  // MARK: - Interlocks

  @Test("interlock (cryo): contact lost for 2 s trips, exactly then; 1.9 s does not")
  func interlockCryo() throws {
    var rig = SupervisorRig.cryo()
    let t0 = 3 * second
    var now: UInt64 = 0
    var trip: TripRecord? = nil
    while trip == nil && now <= 10 * second {
      rig.interlocks.contactMade = now < t0
      trip = tripOf(rig.evaluate(at: now, celsius: cryo(-12)))
      now += 100 * millisecond
    }
    let record = try #require(trip)
    #expect(record.check == .interlock)
    #expect(record.sensorIndex == -1)
    #expect(record.conditionSinceNanoseconds == t0)
    #expect(record.detectedNanoseconds == t0 + 2 * second)

    var brief = SupervisorRig.cryo()
    now = 0
    while now <= 20 * second {
      brief.interlocks.contactMade = !(now >= t0 && now < t0 + 1_900 * millisecond)
      let verdict = brief.evaluate(at: now, celsius: cryo(-12))
      #expect(verdict == .run)
      now += 100 * millisecond
    }
  }

  @Test(
    "interlock (laser): coolant or contact cooling lost trips at once",
    arguments: [
      (Interlocks(contactMade: false, coolantFlowing: true), InterlockKind.contact),
      (Interlocks(contactMade: true, coolantFlowing: false), .coolant),
    ])
  func interlockLaser(open: Interlocks, kind: InterlockKind) throws {
    var rig = SupervisorRig.laser()
    _ = rig.evaluate(at: 0, celsius: laser(46))
    rig.interlocks = open
    let trip = try #require(tripOf(rig.evaluate(at: 100 * millisecond, celsius: laser(46))))
    #expect(trip.check == .interlock)
    #expect(trip.subject == .interlock(kind))
    #expect(trip.conditionSinceNanoseconds == 100 * millisecond)
    #expect(trip.detectedNanoseconds == 100 * millisecond)
  }

  @Test("interlock: reset refused while it is open, allowed once it is made again")
  func interlockReset() throws {
    var rig = SupervisorRig.laser()
    rig.interlocks = .allOpen
    _ = try #require(tripOf(rig.evaluate(at: 0, celsius: laser(46))))
    _ = rig.evaluate(at: 100 * millisecond, celsius: laser(46))
    let refused = rig.supervisor.reset(nowNanoseconds: 100 * millisecond)
    #expect(!refused)
    rig.interlocks = .allMade
    _ = rig.evaluate(at: 200 * millisecond, celsius: laser(46))
    let allowed = rig.supervisor.reset(nowNanoseconds: 200 * millisecond)
    #expect(allowed)
    let verdict = rig.evaluate(at: 300 * millisecond, celsius: laser(46))
    #expect(verdict == .run)
  }

  // MARK: - Reset policy

  @Test(
    "reset is refused for hard limits, whatever the readings do next",
    arguments: [-16.5, 16.0])
  func hardLimitReset(plate: Double) throws {
    // Steps of 4.5 °C and more in one tick: the rate check is off.
    var rig = SupervisorRig.cryo(.defaults(.cryolipolysis, without: [.rateOfChange]))
    let trip = try #require(
      rig.run(from: 0, through: 20 * second) { now in cryo(now >= 5 * second ? plate : -12) })
    #expect(trip.check.needsNewTreatment)
    _ = rig.evaluate(at: 20 * second, celsius: cryo(-12))
    let allowed = rig.supervisor.reset(nowNanoseconds: 20 * second)
    #expect(!allowed)
    #expect(rig.supervisor.trip == trip)
    expectLatched(&rig, trip, from: 21 * second, readings: cryo(-12))
  }

  @Test("plausibility: reset refused while the sensor still reads open, allowed after")
  func plausibilityReset() throws {
    var rig = SupervisorRig.cryo()
    let trip = try #require(
      rig.run(from: 0, through: 5 * second) { now in cryo(now >= second ? -60 : -12) })
    _ = rig.evaluate(at: 5 * second, celsius: cryo(-60))
    let refused = rig.supervisor.reset(nowNanoseconds: 5 * second)
    #expect(!refused)
    #expect(rig.supervisor.trip == trip)
    _ = rig.evaluate(at: 6 * second, celsius: cryo(-12))
    let allowed = rig.supervisor.reset(nowNanoseconds: 6 * second)
    #expect(allowed)
    let verdict = rig.evaluate(at: 6 * second + 100 * millisecond, celsius: cryo(-12))
    #expect(verdict == .run)
  }

  @Test("a trip raised outside the checks latches and does not replace an earlier one")
  func tripNow() {
    var rig = SupervisorRig.cryo()
    _ = rig.evaluate(at: 0, celsius: cryo(-12))
    let first = rig.supervisor.tripNow(.actuatorFault, nowNanoseconds: 100 * millisecond)
    #expect(first.check == .actuatorFault)
    #expect(first.detectedNanoseconds == 100 * millisecond)
    let second = rig.supervisor.tripNow(.interlock, nowNanoseconds: 200 * millisecond)
    // (Its reading and limit are NaN, so records are compared field by field.)
    #expect(second.check == .actuatorFault)
    #expect(second.detectedNanoseconds == 100 * millisecond)
    let verdict = rig.evaluate(at: 300 * millisecond, celsius: cryo(-12))
    #expect(tripOf(verdict)?.check == .actuatorFault)
    #expect(tripOf(verdict)?.detectedNanoseconds == 100 * millisecond)
  }

  // MARK: - Standard treatments

  @Test("a standard cryo treatment with nominal noise trips nothing")
  func standardCryo() {
    var rig = SupervisorRig.cryo()
    var noise = Noise(seed: 21, rms: 0.05)
    // Approach with τ = 50 s at full cooling, then holding at −40 % output.
    var now: UInt64 = 0
    while now <= 35 * minute {
      let t = Double(now) * 1e-9
      let plate = -12 + 37 * exp(-t / 50)
      rig.lastCommand = plate > -10 ? -1 : -0.4
      let readings = cryo(
        plate + noise.next(), hotSide: 30 + noise.next(), skin: 2 + 30 * exp(-t / 300))
      let verdict = rig.evaluate(at: now, celsius: readings)
      #expect(verdict == .run, "t = \(t) s")
      if verdict != .run { break }
      now += 100 * millisecond
    }
  }

  @Test("a standard laser treatment with nominal noise trips nothing")
  func standardLaser() {
    var rig = SupervisorRig.laser()
    var noise = Noise(seed: 22, rms: 0.05)
    // A ~4 min ramp from 35 to 45 °C at full power, then holding 46 °C.
    var now: UInt64 = 0
    while now <= 25 * minute {
      let t = Double(now) * 1e-9
      let fat = min(35 + 0.042 * t, 46)
      rig.lastCommand = fat < 45 ? 1 : 0.55
      let verdict = rig.evaluate(
        at: now, celsius: laser(fat + noise.next(), skin: 38 + noise.next()))
      #expect(verdict == .run, "t = \(t) s")
      if verdict != .run { break }
      now += 100 * millisecond
    }
  }
}
