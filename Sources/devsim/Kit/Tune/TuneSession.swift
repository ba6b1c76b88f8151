import ApplicatorHAL
import Foundation
import ThermalLoop

/// Which experiment `devsim tune` runs.
package enum TuneMethod: String {
  /// Åström–Hägglund relay with hysteresis around the setpoint.
  case relay
  /// A step up and a step down from the settled hold, each fitted with a FOPDT.
  case step
}

/// The bounds and sizes of a tuning experiment.
package struct TuneSettings {
  /// The default bounds and sizes.
  package init() {}

  package var method: TuneMethod = .step
  /// The command step (step test) or relay half amplitude, fraction of full scale.
  package var commandStep = 0.02
  /// Relay hysteresis, °C.
  package var hysteresisCelsius = 0.1
  /// Half-width of the band around the setpoint the experiment must stay in, °C:
  /// leaving it aborts before any limit is reached.
  package var bandCelsius = 3.0
  /// The whole experiment's time bound, s.
  package var maximumSeconds = 3600.0
  /// A step that moves the temperature less than this within ``noResponseSeconds`` aborts, °C.
  package var minimumResponseCelsius = 0.1
  /// See ``minimumResponseCelsius``, s.
  package var noResponseSeconds = 300.0
  /// How long the temperature must stay within ``settledCelsius`` of the setpoint
  /// before an experiment starts, s.
  package var settleSeconds = 180.0
  /// See ``settleSeconds``, °C.
  package var settledCelsius = 0.25
  /// The longest a step is held, s.
  package var stepSeconds = 600.0
  /// Relay cycles run; the first two are not analysed.
  package var relayCycles = 8
}

/// Why a tuning experiment stopped early; the output is in its safe state.
package struct TuneAbort: Error {
  /// Whether a stop request (a signal) ended the experiment.
  package var stopped = false

  /// An abort explained by `message`.
  package init(stopped: Bool = false, message: String) {
    self.stopped = stopped
    self.message = message
  }

  package var message: String
  /// What the experiment had measured when it stopped.
  package var measured = TuneMeasurements()
}

/// A step test's results, per direction.
package struct StepTestResult {
  package var heating: StepFit
  package var cooling: StepFit
}

/// What a finished experiment found.
package struct TuneResult {
  /// The settled hold: its command and temperature.
  package var holdCommand: Double
  package var holdCelsius: Double
  package var step: StepTestResult? = nil
  package var relay: RelayCycle? = nil
  /// Per direction, the FOPDT identified (step fit, or relay limit cycle;
  /// `nil` when no FOPDT fits the relay's cycle).
  package var heating: PlantFit?
  package var cooling: PlantFit?
  /// Loop time the experiment took, s.
  package var seconds: Double
  /// The standard deviation of the controlled reading over the first
  /// settled hold, °C (sensor noise plus what the PID leaves).
  package var noiseCelsius = 0.0
}

/// Runs a tuning experiment on any applicator, through the same control
/// loop and supervisor as a treatment: the supervisor checks every tick and
/// has the last word; the experiment's commands go in as the loop's command
/// override; any trip, a band crossing, a plant that does not respond, or
/// the time bound ends it with the output in its safe state.
///
/// The plan is the profile's first treatment setpoint as one transition
/// phase (the window checks, which a relay or a step must cross, are off;
/// plausibility, hard limits, rate, stale data, must-progress, read-back and
/// interlocks stay on). The profile's own PID brings the plant to the
/// setpoint and holds it between experiments.
package struct TuneSession<World: Applicator, Clock: LoopClock> {
  package var loop: ControlLoop<World>
  /// The loop driver: deadlines, overruns, the stop request, the safe end.
  package var runner: LoopRunner<Clock>
  /// Asks the experiment to stop (SIGINT, SIGTERM, SIGHUP, SIGQUIT).
  private let stop: any StopRequest
  package let settings: TuneSettings
  package let setpointCelsius: Double
  /// The band in force, °C: the setting, narrowed to 80 % of the distance to
  /// the nearest hard limit on the control sensor's site.
  package let bandCelsius: Double
  package let tickNanoseconds: UInt64
  package let controlIndex: Int
  /// Loop time of the last tick, ns (the runner's).
  private var now: UInt64 { runner.nowNanoseconds }
  /// What the experiment has measured so far.
  package private(set) var measured = TuneMeasurements()
  /// What a dose-cap trip tells the user to change.
  private let doseCapAdvice: String

  /// The profile with its plan replaced by the tuning plan.
  package static func tuningProfile(_ profile: Profile, settings: TuneSettings) -> Profile {
    var copy = profile
    let setpoint =
      profile.phases.first { $0.phase.kind == .treatment }?.phase.setpointCelsius
      ?? profile.phases[0].phase.setpointCelsius
    copy.phases = [
      ProfilePhase(
        name: "tune",
        phase: TreatmentPhase(
          kind: .transition, setpointCelsius: setpoint,
          durationNanoseconds: UInt64(settings.maximumSeconds * 1e9) + 1_000_000_000))
    ]
    copy.modelControl = nil
    // The plan has no treatment phase; the dose cap keeps the treatment's own plan.
    copy.safety.plannedDoseMinutes =
      profile.safety.plannedDoseMinutes
      ?? Dose.cem43Minutes(
        celsius: profile.window.highCelsius,
        seconds: Double(profile.plan.plannedTreatmentNanoseconds) * 1e-9)
    return copy
  }

  package init(
    profile: Profile, applicator: World, clock: Clock, settings: TuneSettings,
    stop: any StopRequest = NeverStop()
  ) {
    let tuning = Self.tuningProfile(profile, settings: settings)
    loop = tuning.controlLoop(on: applicator)
    runner = LoopRunner(clock: clock, periodNanoseconds: profile.tickNanoseconds)
    self.stop = stop
    self.settings = settings
    setpointCelsius = loop.supervisor.clampSetpoint(tuning.phases[0].phase.setpointCelsius)
    tickNanoseconds = profile.tickNanoseconds
    controlIndex = profile.controlIndex
    var band = settings.bandCelsius
    let site = profile.sensors[profile.controlIndex].descriptor.site
    let safety = tuning.safety
    for index in 0..<safety.limitRuleCount {
      let rule = safety.limitRules[index]
      guard rule.site == nil || rule.site == site, !rule.onlyWhenArmed else { continue }
      band = min(band, 0.8 * abs(rule.thresholdCelsius - setpointCelsius))
    }
    bandCelsius = band
    doseCapAdvice = Self.doseCapAdvice(
      tuning, setpointCelsius: setpointCelsius, bandCelsius: band, settings: settings)
  }

  /// Why a dose cap ends tuning and what to change: the cap is the
  /// treatment's (its plan's dose times the factor), and an experiment that
  /// holds the setpoint longer than the treatment can reach it. The cap is
  /// not raised here: the profile is the user's to change, in a copy.
  private static func doseCapAdvice(
    _ tuning: Profile, setpointCelsius: Double, bandCelsius: Double, settings: TuneSettings
  ) -> String {
    let safety = tuning.safety
    let plan = safety.plannedDoseMinutes ?? 0
    var advice =
      ": the dose cap is the treatment's (\(text(safety.doseCapFactor)) × the plan's \(text(plan)) CEM43 min),"
      + " and tuning holds the setpoint longer than the treatment. To tune, use "
      + (settings.method == .step ? "--method relay (usually the shorter experiment), or " : "")
      + "a copy of the profile with a larger safety.doseCap.planMinutes"
    // The control reading stays within the band once settled, so when it is
    // also the dose probe, the band's edge held for the time bound covers it.
    if tuning.doseIndex == tuning.controlIndex {
      let edge = setpointCelsius + bandCelsius
      let needed =
        Dose.cem43Minutes(celsius: edge, seconds: settings.maximumSeconds) / safety.doseCapFactor
      advice +=
        " (\(text(needed)) CEM43 min covers --max-time \(text(settings.maximumSeconds)) s at the band's edge, \(text(edge)) °C)"
    }
    return advice + " and copy its gains back; the treatment keeps its own cap"
  }

  /// Runs the experiment; on an abort the loop is already in its safe state.
  package mutating func run() throws(TuneAbort) -> TuneResult {
    runner.begin()
    defer {
      var discard = DiscardingSink()
      runner.finish(&loop, sink: &discard)
    }
    do {
      return try experiment()
    } catch {
      var abort = error
      abort.measured = measured
      throw abort
    }
  }

  /// The hold, then the experiment the settings name.
  private mutating func experiment() throws(TuneAbort) -> TuneResult {
    let (hold, holdCelsius, drift) = try settle(reason: "reach the setpoint")
    let holdForRelay = hold
    let noise = lastNoiseCelsius
    measured.hold = (hold, holdCelsius, noise)
    switch settings.method {
    case .step:
      var up = try stepResponse(from: hold, baseline: holdCelsius, by: settings.commandStep)
      up.holdDriftPerSecond = drift
      // Back on the setpoint for at least as long as the step took, so the
      // plant is as quiet before the second step as before the first.
      let (holdAgain, baselineAgain, driftAgain) = try settle(
        reason: "return to the setpoint",
        atLeastSeconds: min(up.seconds.last ?? 0, 2 * settings.settleSeconds))
      var down = try stepResponse(
        from: holdAgain, baseline: baselineAgain, by: -settings.commandStep)
      down.holdDriftPerSecond = driftAgain
      guard let heating = StepFitter.fit(up), let cooling = StepFitter.fit(down) else {
        throw TuneAbort(message: "the step responses could not be fitted with a FOPDT model")
      }
      return TuneResult(
        holdCommand: hold, holdCelsius: holdCelsius,
        step: StepTestResult(heating: heating, cooling: cooling),
        heating: PlantFit(heating), cooling: PlantFit(cooling), seconds: seconds,
        noiseCelsius: noise)
    case .relay:
      let cycle = try relay(hold: holdForRelay)
      measured.relayCycle = cycle
      // A plant that is not first order plus dead time (distributed lags,
      // sensor noise) may fit no FOPDT: the ultimate-cycle rules then fall
      // back to the describing function.
      let identified = RelayLimitCycle.identify(cycle)
      return TuneResult(
        holdCommand: hold, holdCelsius: holdCelsius, relay: cycle, heating: identified?.heating,
        cooling: identified?.cooling, seconds: seconds, noiseCelsius: noise)
    }
  }

  private var seconds: Double { Double(now) * 1e-9 }

  /// One tick at the next deadline; returns the controlled reading. Throws
  /// on a trip, on leaving the band, and past the time bound.
  private mutating func tick(command: Double?) throws(TuneAbort) -> Double {
    loop.commandOverride = command
    var discard = DiscardingSink()
    guard
      let record = runner.step(
        &loop, untilNanoseconds: UInt64(settings.maximumSeconds * 1e9), sink: &discard,
        stop: stop)
    else {
      if runner.end == .stopped {
        throw TuneAbort(stopped: true, message: "stopped by a signal at \(text(seconds)) s")
      }
      throw TuneAbort(
        message: "no result within the time bound of \(text(settings.maximumSeconds)) s")
    }
    if let trip = loop.trip {
      throw TuneAbort(
        message:
          "the supervisor tripped (\(trip.check.name)\(tripReading(trip))) at \(text(seconds)) s"
          + (trip.check == .doseCap ? doseCapAdvice : "")
      )
    }
    let celsius = record.celsius[controlIndex]
    guard celsius.isFinite else {
      throw TuneAbort(message: "no valid reading of the control sensor at \(text(seconds)) s")
    }
    if abs(celsius - setpointCelsius) > bandCelsius && phaseSettledOnce {
      throw TuneAbort(
        message:
          "\(text(celsius)) °C at \(text(seconds)) s is outside the tuning band \(text(setpointCelsius)) ± \(text(bandCelsius)) °C: stopped before a limit is reached"
      )
    }
    commandLast = record.sentCommand
    return celsius
  }

  private var phaseSettledOnce = false
  private var lastNoiseCelsius = 0.0
  private var commandLast = 0.0

  /// Holds the setpoint with the profile's PID until settled; returns the
  /// mean command and temperature over the settled interval and the hold
  /// command's least-squares slope, per second (the plant's slow drift).
  ///
  /// - Parameter atLeastSeconds: the settled interval, at least ``TuneSettings/settleSeconds``.
  private mutating func settle(reason: String, atLeastSeconds: Double = 0) throws(TuneAbort)
    -> (Double, Double, Double)
  {
    let interval = max(settings.settleSeconds, atLeastSeconds)
    let needed = Int((interval * 1e9 / Double(tickNanoseconds)).rounded())
    var celsiusWindow: [Double] = []
    var commandWindow: [Double] = []
    let began = seconds
    while true {
      let celsius = try tick(command: nil)
      // The command sent in this tick is the one that held this reading.
      if abs(celsius - setpointCelsius) <= settings.settledCelsius {
        celsiusWindow.append(celsius)
        commandWindow.append(commandLast)
      } else {
        celsiusWindow.removeAll(keepingCapacity: true)
        commandWindow.removeAll(keepingCapacity: true)
      }
      // Settled: in the band for the whole interval, the hold command no
      // longer drifting (its two halves differ by under a quarter of the step),
      if celsiusWindow.count >= max(needed, 2) {
        let half = celsiusWindow.count / 2
        let first = commandWindow[..<half].reduce(0, +) / Double(half)
        let second =
          commandWindow[half...].reduce(0, +) / Double(commandWindow.count - half)
        let firstCelsius = celsiusWindow[..<half].reduce(0, +) / Double(half)
        let secondCelsius =
          celsiusWindow[half...].reduce(0, +) / Double(celsiusWindow.count - half)
        // ... and the temperature on the setpoint on average, not still creeping to it.
        if abs(second - first) > 0.25 * settings.commandStep
          || abs(secondCelsius - firstCelsius) > 0.005
          || abs((firstCelsius + secondCelsius) / 2 - setpointCelsius) > 0.02
        {
          celsiusWindow.removeFirst(celsiusWindow.count / 10)
          commandWindow.removeFirst(commandWindow.count / 10)
          continue
        }
        phaseSettledOnce = true
        let count = Double(celsiusWindow.count)
        let meanCommand = commandWindow.reduce(0, +) / count
        // Slope of the command against the sample index, per second.
        let middle = (count - 1) / 2
        var sxy = 0.0
        var sxx = 0.0
        for (index, value) in commandWindow.enumerated() {
          sxy += (Double(index) - middle) * (value - meanCommand)
          sxx += (Double(index) - middle) * (Double(index) - middle)
        }
        let slope = sxx > 0 ? sxy / sxx / (Double(tickNanoseconds) * 1e-9) : 0
        let meanCelsius = celsiusWindow.reduce(0, +) / count
        var squares = 0.0
        for value in celsiusWindow { squares += (value - meanCelsius) * (value - meanCelsius) }
        lastNoiseCelsius = (squares / count).squareRoot()
        return (meanCommand, meanCelsius, slope)
      }
      if seconds - began > max(settings.noResponseSeconds * 10, settings.settleSeconds * 20) {
        throw TuneAbort(
          message:
            "could not \(reason) (\(text(setpointCelsius)) ± \(text(settings.settledCelsius)) °C) within \(text(seconds - began)) s: the plant does not respond as a controlled plant should"
        )
      }
    }
  }

  /// Applies hold + step and records until the response has settled.
  private mutating func stepResponse(from hold: Double, baseline: Double, by step: Double)
    throws(TuneAbort) -> StepResponse
  {
    let command = loop.controller.limits.clamp(hold + step)
    guard command != hold else {
      throw TuneAbort(message: "no room for a step of \(text(step)) from the hold \(text(hold))")
    }
    let stepStart = now + tickNanoseconds
    var times: [Double] = []
    var values: [Double] = []
    let window = 20.0
    let record = measured.steps.count
    measured.steps.append(
      TuneMeasurements.StepRecord(
        commandStep: command - hold, seconds: 0, baselineCelsius: baseline,
        lastCelsius: baseline, finished: false))
    while true {
      let celsius = try tick(command: command)
      let t = Double(now - stepStart) * 1e-9
      times.append(t)
      values.append(celsius)
      measured.steps[record].seconds = t
      measured.steps[record].lastCelsius = celsius
      let moved = abs(mean(values, since: t - 5, times) - baseline)
      if t >= settings.noResponseSeconds && moved < settings.minimumResponseCelsius {
        throw TuneAbort(
          message:
            "the plant does not respond: \(text(moved)) °C after \(text(t)) s at a command step of \(text(command - hold))"
        )
      }
      // Far enough (half the band) or long enough: a slow plant is fitted
      // on its rise so far, which fixes K/τ and θ well.
      if moved > 0.5 * bandCelsius || t >= settings.stepSeconds {
        measured.steps[record].finished = true
        return StepResponse(
          seconds: times, celsius: values, baselineCelsius: baseline, commandStep: command - hold)
      }
      // Steady: the last window's mean differs from the one before by < 1 % of the change.
      let span = max(window, t / 6)
      if t > 4 * span {
        let recent = mean(values, since: t - span, times)
        let before = mean(values, between: t - 2 * span, t - span, times)
        if abs(recent - before) < 0.01
          * max(abs(recent - baseline), settings.minimumResponseCelsius)
        {
          guard moved >= settings.minimumResponseCelsius else {
            throw TuneAbort(
              message:
                "the plant does not respond: it settled \(text(moved)) °C from the hold after a command step of \(text(command - hold))"
            )
          }
          measured.steps[record].finished = true
          return StepResponse(
            seconds: times, celsius: values, baselineCelsius: baseline,
            commandStep: command - hold)
        }
      }
    }
  }

  /// Relay around the setpoint: hold ± d, switching at setpoint ± ε.
  private mutating func relay(hold: Double) throws(TuneAbort) -> RelayCycle {
    let range = loop.controller.limits
    let d = settings.commandStep
    let high = range.clamp(hold + d)
    let low = range.clamp(hold - d)
    guard abs(high - hold - d) < 1e-9 && abs(hold - low - d) < 1e-9 else {
      throw TuneAbort(
        message: "no room for a relay of ±\(text(d)) around the hold command \(text(hold))")
    }
    let r = setpointCelsius
    let e = settings.hysteresisCelsius
    // The relay decides from a reading; its command goes out with the next
    // tick's, so a switch takes effect (and is recorded, with the reading
    // at that moment as its level) one tick after the crossing.
    var decided = try tick(command: nil) < r
    var applied = decided
    var switches: [(seconds: Double, heating: Bool, celsius: Double)] = []
    var extremes: [(seconds: Double, celsius: Double)] = []
    var extremeCelsius = applied ? Double.infinity : -Double.infinity
    var extremeSeconds = seconds
    var lastSwitch = seconds
    while switches.count < 2 * settings.relayCycles + 1 {
      let celsius = try tick(command: decided ? high : low)
      if decided != applied {
        if !switches.isEmpty { extremes.append((extremeSeconds, extremeCelsius)) }
        switches.append((seconds, decided, celsius))
        var progress = measured.relay ?? TuneMeasurements.RelayProgress(firstSwitchSeconds: seconds)
        progress.switches = switches.count
        progress.lastSwitchSeconds = seconds
        measured.relay = progress
        applied = decided
        extremeCelsius = applied ? Double.infinity : -Double.infinity
        lastSwitch = seconds
      }
      // The extremum of the current half cycle: a trough while heating, a peak while cooling.
      if applied ? celsius < extremeCelsius : celsius > extremeCelsius {
        extremeCelsius = celsius
        extremeSeconds = seconds
      }
      if var progress = measured.relay {
        progress.highestCelsius = max(progress.highestCelsius, celsius)
        progress.lowestCelsius = min(progress.lowestCelsius, celsius)
        measured.relay = progress
      }
      if (applied && celsius > r + e) || (!applied && celsius < r - e) { decided = !applied }
      if seconds - lastSwitch > settings.noResponseSeconds {
        throw TuneAbort(
          message:
            "the plant does not respond: no relay switch within \(text(settings.noResponseSeconds)) s at ±\(text(d))"
        )
      }
    }
    // Analyse whole cycles after the first two.
    var peaks: [Double] = []
    var troughs: [Double] = []
    var heatingTimes: [Double] = []
    var coolingTimes: [Double] = []
    var delays: [Double] = []
    var highLevels: [Double] = []
    var lowLevels: [Double] = []
    for index in 4..<(switches.count - 1) {
      if switches[index].heating {
        lowLevels.append(switches[index].celsius)
      } else {
        highLevels.append(switches[index].celsius)
      }
      let duration = switches[index + 1].seconds - switches[index].seconds
      if switches[index].heating {
        heatingTimes.append(duration)
      } else {
        coolingTimes.append(duration)
      }
      // extremes[index] is the extremum after switches[index] (a peak after a switch to cooling).
      if index < extremes.count {
        delays.append(extremes[index].seconds - switches[index].seconds)
        if switches[index].heating {
          troughs.append(extremes[index].celsius)
        } else {
          peaks.append(extremes[index].celsius)
        }
      }
    }
    guard !peaks.isEmpty, !troughs.isEmpty, !heatingTimes.isEmpty, !coolingTimes.isEmpty else {
      throw TuneAbort(message: "too few relay cycles to analyse")
    }
    return RelayCycle(
      relayAmplitude: d, hysteresisCelsius: e, setpointCelsius: r,
      maximumCelsius: average(peaks), minimumCelsius: average(troughs),
      heatingSeconds: average(heatingTimes), coolingSeconds: average(coolingTimes),
      peakDelaySeconds: average(delays), switchHighCelsius: average(highLevels),
      switchLowCelsius: average(lowLevels))
  }

  private func average(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
  }

  private func mean(_ values: [Double], since: Double, _ times: [Double]) -> Double {
    mean(values, between: since, .infinity, times)
  }

  private func mean(_ values: [Double], between from: Double, _ to: Double, _ times: [Double])
    -> Double
  {
    var sum = 0.0
    var count = 0.0
    var index = times.count - 1
    while index >= 0 && times[index] >= from {
      if times[index] < to {
        sum += values[index]
        count += 1
      }
      index -= 1
    }
    return count > 0 ? sum / count : values.last ?? .nan
  }
}

extension PlantFit {
  package init(_ fit: StepFit) {
    self.init(
      gainCelsiusPerCommand: fit.gainCelsiusPerCommand,
      timeConstantSeconds: fit.timeConstantSeconds,
      deadTimeSeconds: fit.deadTimeSeconds)
  }
}

/// A number with three decimals, for messages.
package func text(_ value: Double) -> String { DecimalText.string(value, decimals: 3) }

/// A trip's reading and limit with their unit, after a comma (empty when
/// the trip carries no reading).
private func tripReading(_ trip: TripRecord) -> String {
  let words = Summary.measurement(trip.measurement)
  return words.isEmpty ? "" : ", " + words
}
