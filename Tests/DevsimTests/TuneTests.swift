import ApplicatorHAL
import ApplicatorSimulation
import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit

/// A first-order-plus-dead-time plant simulated exactly, independently of
/// the code under test: zero-order hold of the command over each tick
/// (y ← y∞ + (y − y∞)·e^(−h/τ)), the dead time a whole number of ticks in a
/// buffer. The controlled sensor reads y itself.
struct FOPDTApplicator: Applicator {
  var powerStage = SimulatedPowerStage(commandRange: .bipolar, hasReadBack: false)
  let sensorCount = 1
  let gain: Double
  let tau: Double
  let deadTicks: Int
  /// The temperature a zero command settles at, °C.
  let zeroCommandCelsius: Double
  let tickNanoseconds: UInt64
  var celsius: Double
  private var delivered: [Double] = []
  private var lastNanoseconds: UInt64 = 0

  init(
    gain: Double, tau: Double, deadTicks: Int, zeroCommandCelsius: Double, startCelsius: Double,
    tickNanoseconds: UInt64 = 100_000_000
  ) {
    self.gain = gain
    self.tau = tau
    self.deadTicks = deadTicks
    self.zeroCommandCelsius = zeroCommandCelsius
    self.tickNanoseconds = tickNanoseconds
    celsius = startCelsius
    // The past: the command that holds the start temperature.
    delivered = Array(repeating: (startCelsius - zeroCommandCelsius) / gain, count: deadTicks + 1)
  }

  mutating func advance(toNanoseconds now: UInt64) {
    let h = Double(tickNanoseconds) * 1e-9
    while lastNanoseconds + tickNanoseconds <= now {
      lastNanoseconds += tickNanoseconds
      delivered.append(powerStage.deliveredOutput)
      let delayed = delivered[delivered.count - 1 - deadTicks]
      let steady = zeroCommandCelsius + gain * delayed
      celsius = steady + (celsius - steady) * exp(-h / tau)
    }
  }

  mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
    snapshot.readings[0] = .sample(
      TemperatureSample(celsius: celsius, timestampNanoseconds: nowNanoseconds))
  }

  mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks { .allMade }
}

/// The standard cryolipolysis profile cut down to one plate thermistor, for synthetic plants.
func singleSensorCryoProfile() throws -> Profile {
  var profile = try loadShipped("Profiles/cryolipolysis-35min.json").profile
  profile.sensors = [profile.sensors[profile.controlIndex]]
  profile.controlIndex = 0
  profile.doseIndex = 0
  // Gains that hold this plant quietly (loop gain 0.6 against K = 20 °C per unit).
  profile.gains = PIDGains(proportionalPerCelsius: 0.03, integralPerCelsiusSecond: 0.0015)
  return profile
}

@Suite struct TuneTests {
  // The synthetic plant: K 20 °C/command, τ 40 s, θ 4 s (40 ticks of 0.1 s),
  // holding −12 °C at a command of −0.05 (so the zero-command temperature is −11 °C).
  static let gain = 20.0
  static let tau = 40.0
  static let theta = 4.0
  static let hold = -0.05
  static let setpoint = -12.0

  static func plant(gain: Double = gain) -> FOPDTApplicator {
    FOPDTApplicator(
      gain: gain, tau: tau, deadTicks: Int(theta * 10), zeroCommandCelsius: setpoint - gain * hold,
      startCelsius: setpoint)
  }

  static func session(
    _ settings: TuneSettings, plant: FOPDTApplicator = plant()
  ) throws -> TuneSession<FOPDTApplicator, VirtualClock> {
    TuneSession(
      profile: try singleSensorCryoProfile(), applicator: plant, clock: VirtualClock(),
      settings: settings)
  }

  @Test func stepFitRecoversGainTimeConstantAndDeadTime() throws {
    var settings = TuneSettings()
    settings.method = .step
    settings.commandStep = 0.05
    var session = try Self.session(settings)
    let result = try session.run()
    let step = try #require(result.step)
    for fit in [step.heating, step.cooling] {
      #expect(
        abs(fit.gainCelsiusPerCommand / Self.gain - 1) < 0.05, "K \(fit.gainCelsiusPerCommand)")
      #expect(abs(fit.timeConstantSeconds / Self.tau - 1) < 0.05, "τ \(fit.timeConstantSeconds)")
      #expect(abs(fit.deadTimeSeconds / Self.theta - 1) < 0.05, "θ \(fit.deadTimeSeconds)")
    }
    #expect(abs(result.holdCommand - Self.hold) < 0.005)
    // The experiment ends in the safe state.
    #expect(session.loop.applicator.powerStage.deliveredOutput == 0)
    #expect(!session.loop.applicator.powerStage.received.enabled)
  }

  @Test func stepFitOnNoisyDataFromTheClosedForm() {
    // y = y0 + K·Δu·(1 − e^(−(t − θ)/τ)), sampled at 0.1 s, with ±0.02 °C of seeded noise.
    var random = SeededRandom(seed: 7)
    var seconds: [Double] = []
    var celsius: [Double] = []
    for index in 0..<3000 {
      let t = Double(index) * 0.1
      let ideal = t > 6 ? 3 * 0.2 * (1 - exp(-(t - 6) / 55)) : 0
      seconds.append(t)
      celsius.append(20 + ideal + 0.02 * random.nextGaussian())
    }
    let fit = StepFitter.fit(
      StepResponse(seconds: seconds, celsius: celsius, baselineCelsius: 20, commandStep: 0.2))
    #expect(fit.map { abs($0.gainCelsiusPerCommand / 3 - 1) < 0.05 } == true)
    #expect(fit.map { abs($0.timeConstantSeconds / 55 - 1) < 0.05 } == true)
    #expect(fit.map { abs($0.deadTimeSeconds / 6 - 1) < 0.05 } == true)
    // Settled well within its 300 s record: τ is nowhere near its bound.
    #expect(fit.map { !$0.timeConstantAtBound && !$0.deadTimeAtBound } == true)
  }

  @Test func relayLimitCycleMatchesTheExactOne() throws {
    var settings = TuneSettings()
    settings.method = .relay
    settings.commandStep = 0.1
    settings.hysteresisCelsius = 0.05
    var session = try Self.session(settings)
    let result = try session.run()
    let cycle = try #require(result.relay)
    // The exact limit cycle of this FOPDT under the relay, computed here:
    // heading for r ± K·d, switching at r ± ε, each extremum θ past its switch.
    let d = 0.1
    let e = 0.05
    let kd = Self.gain * d
    let q = exp(-Self.theta / Self.tau)
    let amplitude = kd * (1 - q) + e * q  // y_max − r = r − y_min
    let half = Self.theta + Self.tau * log((kd + amplitude) / (kd - e))
    #expect(
      abs(cycle.amplitudeCelsius / amplitude - 1) < 0.05,
      "a \(cycle.amplitudeCelsius) vs \(amplitude)")
    #expect(
      abs(cycle.periodSeconds / (2 * half) - 1) < 0.05, "T \(cycle.periodSeconds) vs \(2 * half)")
    // Per direction, the FOPDT identified from the cycle.
    for optional in [result.heating, result.cooling] {
      let fit = try #require(optional)
      #expect(
        abs(fit.gainCelsiusPerCommand / Self.gain - 1) < 0.05, "K \(fit.gainCelsiusPerCommand)")
      #expect(abs(fit.timeConstantSeconds / Self.tau - 1) < 0.05, "τ \(fit.timeConstantSeconds)")
      #expect(abs(fit.deadTimeSeconds / Self.theta - 1) < 0.05, "θ \(fit.deadTimeSeconds)")
    }
    // The gains use the exact ultimate gain of the identified FOPDT; the
    // describing-function estimate reads low on this plant.
    let exact = try #require(result.heating?.ultimate)
    // Exact: ω solves ωθ + atan(ωτ) = π, Ku = √(1 + (ωτ)²)/K; here by Newton from π/(2θ).
    var omega = Double.pi / (2 * Self.theta)
    for _ in 0..<50 {
      let f = omega * Self.theta + atan(omega * Self.tau) - Double.pi
      let df = Self.theta + Self.tau / (1 + omega * Self.tau * omega * Self.tau)
      omega -= f / df
    }
    let ku = (1 + omega * Self.tau * omega * Self.tau).squareRoot() / Self.gain
    #expect(abs(exact.gain / ku - 1) < 0.05)
    let low = 1 - cycle.describingFunctionUltimateGain / ku
    #expect(low > 0.1, "describing function \(cycle.describingFunctionUltimateGain) vs exact \(ku)")
  }

  @Test func abortsWhenThePlantDoesNotRespond() throws {
    var settings = TuneSettings()
    settings.method = .step
    // A plant with no gain: whatever the command, the plate stays where it is.
    var plant = Self.plant()
    plant = FOPDTApplicator(
      gain: 1e-9, tau: Self.tau, deadTicks: 40, zeroCommandCelsius: Self.setpoint,
      startCelsius: Self.setpoint)
    var session = try Self.session(settings, plant: plant)
    #expect {
      _ = try session.run()
    } throws: { error in
      (error as? TuneAbort)?.message.contains("does not respond") == true
    }
    #expect(session.loop.applicator.powerStage.deliveredOutput == 0)
    #expect(!session.loop.applicator.powerStage.received.enabled)
  }

  @Test func abortsBeforeALimitIsCrossed() throws {
    var settings = TuneSettings()
    settings.method = .relay
    settings.commandStep = 0.45
    settings.bandCelsius = 0.6
    // A relay of ±0.45: the peaks reach K·d·(1 − e^(−θ/τ)) + ε·e^(−θ/τ)
    // ≈ 0.95 °C past the setpoint, beyond a ±0.6 °C band: the experiment
    // must stop there, before any supervisor limit.
    var session = try Self.session(settings)
    var message = ""
    do {
      _ = try session.run()
    } catch {
      message = error.message
    }
    #expect(message.contains("outside the tuning band"), "\(message)")
    #expect(session.loop.trip == nil, "stopped before the supervisor had to trip")
    #expect(session.loop.applicator.powerStage.deliveredOutput == 0)
    #expect(!session.loop.applicator.powerStage.received.enabled)
  }

  @Test func abortsAtTheTimeBound() throws {
    var settings = TuneSettings()
    settings.method = .relay
    settings.maximumSeconds = 120
    var session = try Self.session(settings)
    var message = ""
    do {
      _ = try session.run()
    } catch {
      message = error.message
    }
    #expect(message.contains("time bound of 120.000 s"), "\(message)")
    #expect(session.loop.applicator.powerStage.deliveredOutput == 0)
    #expect(!session.loop.applicator.powerStage.received.enabled)
  }

  @Test func commandLineAbortExitsOneWithAClearMessage() {
    let run = devsim([
      "tune", repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json").path,
      "--max-time", "60",
    ])
    #expect(run.code == 1)
    #expect(
      run.errors.contains(
        "Error: tuning aborted, output in its safe state: no result within the time bound"))
  }

  @Test func commandLineAbortsOnASupervisorTrip() throws {
    // A TEC that is open from the start: the approach pushes at full cooling,
    // nothing moves, must-progress trips, and tuning stops with it.
    let path = repositoryRoot.appendingPathComponent("Profiles/faults/cryo-tec-open-at-start.json")
      .path
    let run = devsim(["tune", path])
    #expect(run.code == 1)
    #expect(run.errors.contains("the supervisor tripped"), "\(run.errors)")
  }

  @Test func writeKeepsTheRestOfTheProfile() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = repositoryRoot.appendingPathComponent("Profiles/laser-lipolysis-25min.json").path
    let out = directory.appendingPathComponent("tuned.json").path
    let run = devsim(["tune", source, "--write", out, "--model"])
    #expect(run.code == 0, "\(run.errors)")
    let original = try String(contentsOfFile: source, encoding: .utf8).split(separator: "\n")
    let written = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
    #expect(original.count == written.count)
    for (a, b) in zip(original, written) where !a.contains("\"controller\"") { #expect(a == b) }
    let tuned = try ProfileLoader.load(out).profile
    let model = try #require(tuned.modelControl)
    #expect(model.model.gainCelsiusPerCommand > 0)
    #expect(tuned.gains != (try loadShipped("Profiles/laser-lipolysis-25min.json")).profile.gains)
  }

  @Test func usageErrors() {
    #expect(devsim(["tune"]).code == 64)
    #expect(devsim(["tune", "x.json", "--method", "bang-bang"]).code == 64)
    #expect(devsim(["tune", "x.json", "--rule", "guess"]).code == 64)
    #expect(devsim(["tune", "x.json", "--method", "relay", "--model"]).code == 64)
    #expect(devsim(["compare"]).code == 64)
    #expect(devsim(["tune", "--help"]).output.contains("USAGE: devsim tune"))
    #expect(devsim(["help", "compare"]).output.contains("USAGE: devsim compare"))
  }

  /// On both standard profiles the best of the three controllers holds the
  /// window at least 99 % of the treatment after first entry, with at most
  /// 0.3 °C beyond the window, under the profiles' nominal sensor noise.
  @Test(arguments: ["Profiles/cryolipolysis-35min.json", "Profiles/laser-lipolysis-25min.json"])
  func bestControllerHoldsTheWindow(_ path: String) throws {
    let loaded = try loadShipped(path)
    let profile = loaded.profile
    let result = try Tuning.simulate(profile, settings: TuneSettings(), seed: profile.seed)
    let tuning = try #require(Tuning.outcome(result, rule: .simc, profile: profile))
    let rows = Comparison.run(profile, tuning: tuning, seed: profile.seed)
    #expect(rows.count == 3)
    #expect(tuning.model != nil)
    let best = try #require(
      rows.filter { $0.outcome.trips.isEmpty }.max {
        ($0.phase.timeInWindowFraction ?? 0) < ($1.phase.timeInWindowFraction ?? 0)
      })
    #expect((best.phase.timeInWindowFraction ?? 0) >= 0.99, "\(best.name)")
    #expect(best.effort.beyondWindowCelsius <= 0.3, "\(best.name)")
    // No controller trips on a healthy plant.
    for row in rows { #expect(row.outcome.trips.isEmpty, "\(row.name)") }
  }
}

/// A stop request that comes after a set number of ticks have asked.
final class StopAfter: StopRequest {
  private var remaining: Int
  init(checks: Int) { remaining = checks }
  func isStopRequested() -> Bool {
    remaining -= 1
    return remaining < 0
  }
}

@Suite(.tags(.safety)) struct TuneStopTests {
  @Test("a stop request (a signal) ends tuning through the runner, the stage in its safe state")
  func aStopEndsTuningSafely() throws {
    var settings = TuneSettings()
    settings.method = .step
    var session = TuneSession(
      profile: try singleSensorCryoProfile(), applicator: TuneTests.plant(), clock: VirtualClock(),
      settings: settings, stop: StopAfter(checks: 200))
    let abort = try #require(throws: TuneAbort.self) { try session.run() }
    #expect(abort.stopped)
    #expect(session.runner.end == .stopped)
    #expect(
      session.runner.ticks == 100, "two checks per tick: stopped in the sleep before tick 101")
    let received = session.loop.applicator.powerStage.received
    #expect(received.command == 0 && !received.enabled)
  }
}
