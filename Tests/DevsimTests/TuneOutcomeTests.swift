import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit

/// Tuning finishes what it measured: a relay gives gains on the shipped
/// plants with the default rule, and those gains hold the treatment; what
/// was measured is printed before any failure; a step fit at its bound, a
/// dose-cap abort and `--model` without `--write` each say what they mean.
@Suite struct TuneOutcomeTests {
  static let shipped = ["Profiles/cryolipolysis-35min.json", "Profiles/laser-lipolysis-25min.json"]

  /// `devsim tune --method relay --write F` then `devsim run F`: the relay's
  /// cycle is printed, and the written gains hold the window at least 99 %
  /// of the treatment after first entry with no trip, on the same profile.
  @Test(arguments: shipped)
  func relayWithTheDefaultRuleWritesGainsThatHoldTheWindow(_ path: String) throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = repositoryRoot.appendingPathComponent(path).path
    let out = directory.appendingPathComponent("tuned.json").path
    let tune = devsim(["tune", source, "--method", "relay", "--write", out])
    #expect(tune.code == 0, "\(tune.errors)")
    #expect(tune.output.contains("relay  ±0.100 around the hold"), "\(tune.output)")
    #expect(tune.output.contains("  period "), "\(tune.output)")
    #expect(tune.output.contains(" amplitude "), "\(tune.output)")
    #expect(tune.output.contains("rule   tyreus-luyben: Tyreus–Luyben ultimate cycle, PI"))
    #expect(tune.output.contains("wrote \(out)"))

    let run = devsim(["run", out])
    #expect(run.code == 0, "\(run.output)\(run.errors)")
    #expect(run.output.contains("trips  none"), "\(run.output)")

    // The same run in-process, for the figures themselves.
    let tuned = try ProfileLoader.load(out).profile
    let original = try loadShipped(path).profile
    #expect(tuned.gains != original.gains)
    let treatment = try #require(tuned.phases.firstIndex { $0.phase.kind == .treatment })
    var sink = DiscardingSink()
    let outcome = Simulation.run(
      tuned, seed: tuned.seed, pacing: .maximum, sink: &sink, stop: NeverStop())
    #expect(outcome.trips.isEmpty)
    let inWindow = try #require(outcome.metrics.phases[treatment].timeInWindowFraction)
    #expect(inWindow >= 0.99, "in window \(inWindow)")
    // The README quotes these figures.
    let readme = DocsConsistencyTests.flat(DocsConsistencyTests.text("README.md"))
    let label = path.contains("cryo") ? "cryo" : "laser"
    #expect(readme.contains("\(Summary.percent(inWindow)) (\(label))"), "\(inWindow)")
  }

  /// The README's relay transcript is what `devsim tune --method relay` prints.
  @Test func theReadmeRelayTranscriptIsWhatTunePrints() throws {
    let readme = DocsConsistencyTests.text("README.md")
    let block = try #require(
      readme.firstMatch(of: /```console\n(\$ devsim tune --method relay [\s\S]*?)```/))
    var transcript = ""
    for line in String(block.1).split(separator: "\n") where line.hasPrefix("$ devsim ") {
      let words = line.dropFirst("$ devsim ".count).split(separator: " ").map(String.init)
      let result = DocsConsistencyTests.devsimInRoot(words)
      #expect(result.code == 0)
      transcript += line + "\n" + result.output
    }
    #expect(String(block.1) == transcript)
  }

  /// Tyreus–Luyben from the relay's own cycle (no FOPDT fits the shipped
  /// plants): Kp = Ku/3.2 with Ku the describing function 4d/(π·√(a² − ε²)),
  /// Ti = 2.2·Tu with Tu the cycle's period, no derivative.
  @Test func tyreusLuybenGainsComeFromTheMeasuredCycle() throws {
    let profile = try loadShipped("Profiles/cryolipolysis-35min.json").profile
    var settings = TuneSettings()
    settings.method = .relay
    settings.commandStep = 0.1
    let result = try Tuning.simulate(profile, settings: settings, seed: profile.seed)
    let cycle = try #require(result.relay)
    #expect(result.heating == nil, "the plate is not a FOPDT: no fit of its cycle")
    #expect(TuningRule.defaultRule(for: .relay) == .tyreusLuyben)
    #expect(TuningRule.defaultRule(for: .step) == .simc)
    let outcome = try #require(Tuning.outcome(result, rule: .tyreusLuyben, profile: profile))
    #expect(outcome.usesDescribingFunction)
    let a = (cycle.maximumCelsius - cycle.minimumCelsius) / 2
    let e = (cycle.switchHighCelsius - cycle.switchLowCelsius) / 2
    let ku = 4 * 0.1 / (Double.pi * (a * a - e * e).squareRoot())
    let tu = cycle.heatingSeconds + cycle.coolingSeconds
    #expect(abs(outcome.gains.proportionalPerCelsius / (ku / 3.2) - 1) < 1e-9)
    #expect(abs(outcome.gains.integralPerCelsiusSecond / (ku / 3.2 / (2.2 * tu)) - 1) < 1e-9)
    #expect(outcome.gains.derivativeSecondsPerCelsius == 0)
    // SIMC needs a FOPDT: with this cycle it has nothing to go on.
    #expect(Tuning.outcome(result, rule: .simc, profile: profile) == nil)
  }

  /// On a plant a FOPDT does fit (the synthetic one of ``TuneTests``),
  /// Tyreus–Luyben still works on the cycle as measured, while
  /// Ziegler–Nichols uses the fitted FOPDT's exact ultimate point.
  @Test func tyreusLuybenWorksOnTheCycleEvenWhenAFOPDTFits() throws {
    var settings = TuneSettings()
    settings.method = .relay
    settings.commandStep = 0.1
    settings.hysteresisCelsius = 0.05
    var session = try TuneTests.session(settings)
    let result = try session.run()
    let cycle = try #require(result.relay)
    #expect(result.heating != nil && result.cooling != nil)
    let profile = try singleSensorCryoProfile()
    let tyreus = try #require(Tuning.outcome(result, rule: .tyreusLuyben, profile: profile))
    #expect(tyreus.usesDescribingFunction)
    #expect(tyreus.model == nil)
    let expected = cycle.describingFunctionUltimateGain / 3.2
    #expect(abs(tyreus.gains.proportionalPerCelsius / expected - 1) < 1e-9)
    #expect(
      abs(tyreus.gains.integralPerCelsiusSecond / (expected / (2.2 * cycle.periodSeconds)) - 1)
        < 1e-9)
    let ziegler = try #require(Tuning.outcome(result, rule: .zieglerNichols, profile: profile))
    #expect(!ziegler.usesDescribingFunction)
    let text = TuneReport.render(tyreus, profile: profile, path: "synthetic.json")
    #expect(
      text.contains("  on the cycle as measured: Ku (describing function) and Tu = the period"))
  }

  /// A rule with nothing to go on fails after the cycle it could not use is printed.
  @Test func theCycleIsPrintedBeforeARuleFails() {
    let path = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json").path
    let run = devsim(["tune", path, "--method", "relay", "--rule", "simc"])
    #expect(run.code == 1)
    #expect(run.output.contains("relay  ±0.100 around the hold"), "\(run.output)")
    #expect(run.output.contains("  period "), "\(run.output)")
    #expect(run.output.contains("no FOPDT fits this cycle"), "\(run.output)")
    #expect(
      run.errors.contains(
        "Error: the rule simc has nothing to go on (no FOPDT fits the relay cycle measured above;"
          + " use an ultimate-cycle rule, tyreus-luyben by default, or --method step)"),
      "\(run.errors)")
  }

  /// A laser treatment of 20 minutes: its dose cap (1.1 × 20 min at 47 °C)
  /// is reached by the step test, which holds 46 °C longer than that. The
  /// abort says what to change, and prints what the steps measured.
  @Test func aDoseCapAbortSaysWhatToChange() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = try String(
      contentsOf: repositoryRoot.appendingPathComponent("Profiles/laser-lipolysis-25min.json"),
      encoding: .utf8)
    let shorter = source.replacingOccurrences(of: "\"25m\"", with: "\"20m\"")
    #expect(shorter != source)
    let path = directory.appendingPathComponent("laser-20min.json").path
    try shorter.write(toFile: path, atomically: true, encoding: .utf8)

    let step = devsim(["tune", path])
    #expect(step.code == 1)
    #expect(step.errors.contains("the supervisor tripped (dose-cap"), "\(step.errors)")
    // The plan: CEM43 of 47 °C for 20 min = 2^(47 − 43)·20 = 320 min.
    #expect(
      step.errors.contains("the dose cap is the treatment's (1.100 × the plan's 320.000 CEM43 min)")
    )
    #expect(step.errors.contains("use --method relay"), "\(step.errors)")
    // The band: 80 % of the 2.5 °C from 46 °C to the fat's 48.5 °C limit, so
    // its edge is 48 °C; 3600 s there is 2^5·60 = 1920 CEM43 min, 1745.455 after the 1.1 factor.
    #expect(
      step.errors.contains(
        "a larger safety.doseCap.planMinutes (1745.455 CEM43 min covers --max-time 3600.000 s at the band's edge, 48.000 °C)"
      ), "\(step.errors)")
    #expect(step.output.contains("measured before the abort"), "\(step.output)")
    #expect(step.output.contains("hold   46."), "\(step.output)")
    #expect(step.output.contains("step   +0.020 from the hold"), "\(step.output)")
    #expect(step.output.contains("(cut short by the abort)"), "\(step.output)")

    // The advice holds: the relay tunes the same profile within its cap.
    let relay = devsim(["tune", path, "--method", "relay"])
    #expect(relay.code == 0, "\(relay.errors)")
  }

  /// A 5-minute laser plan's cap (88 CEM43 min) stops even the relay: the
  /// advice then names only the copy with a larger plan.
  @Test func aRelayDoseCapAbortAdvisesACopyOnly() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = try String(
      contentsOf: repositoryRoot.appendingPathComponent("Profiles/laser-lipolysis-25min.json"),
      encoding: .utf8)
    let path = directory.appendingPathComponent("laser-5min.json").path
    try source.replacingOccurrences(of: "\"25m\"", with: "\"5m\"")
      .write(toFile: path, atomically: true, encoding: .utf8)
    let relay = devsim(["tune", path, "--method", "relay"])
    #expect(relay.code == 1)
    #expect(relay.errors.contains("the supervisor tripped (dose-cap"), "\(relay.errors)")
    // 2^(47 − 43)·5 min = 80 CEM43 min.
    #expect(
      relay.errors.contains(
        "(1.100 × the plan's 80.000 CEM43 min), and tuning holds the setpoint longer than the"
          + " treatment. To tune, use a copy of the profile with a larger safety.doseCap.planMinutes"
      ),
      "\(relay.errors)")
    #expect(!relay.errors.contains("--method relay"))
    #expect(relay.output.contains("measured before the abort"), "\(relay.output)")
  }

  /// A relay cut short by the time bound: the hold and the switches so far
  /// are kept with the abort and printed.
  @Test func aRelayCutShortReportsWhatItMeasured() throws {
    var settings = TuneSettings()
    settings.method = .relay
    settings.commandStep = 0.1
    settings.hysteresisCelsius = 0.05
    // A whole experiment first, to know when its relay ran; then the same
    // one stopped a quarter of the way through the relay's switches.
    var whole = try TuneTests.session(settings)
    _ = try whole.run()
    let full = try #require(whole.measured.relay)
    settings.maximumSeconds =
      (full.firstSwitchSeconds + (full.lastSwitchSeconds - full.firstSwitchSeconds) / 4).rounded()
    var session = try TuneTests.session(settings)
    let abort = try #require(throws: TuneAbort.self) { try session.run() }
    #expect(abort.message.contains("no result within the time bound"), "\(abort.message)")
    let hold = try #require(abort.measured.hold)
    #expect(abs(hold.celsius - TuneTests.setpoint) < 0.05)
    let relay = try #require(abort.measured.relay)
    #expect(relay.switches >= 2 && relay.switches < full.switches)
    // The relay swings both ways around the setpoint, by more than the hysteresis.
    #expect(relay.highestCelsius > TuneTests.setpoint + 0.05)
    #expect(relay.lowestCelsius < TuneTests.setpoint - 0.05)
    let text = TuneReport.measurements(
      abort.measured, profile: try singleSensorCryoProfile(), path: "synthetic.json")
    #expect(text.contains("measured before the abort\nhold   -12."), "\(text)")
    #expect(text.contains("relay  \(relay.switches) switches from "), "\(text)")
    #expect(text.contains("(no cycle analysed)"), "\(text)")
  }

  /// The laser's heating step is cut at 600 s on the fat's slow rise: τ
  /// ends at the fit's bound (3 × 600 s), and the report says so.
  @Test func aStepFitAtItsBoundSaysSo() {
    let path = repositoryRoot.appendingPathComponent("Profiles/laser-lipolysis-25min.json").path
    let run = devsim(["tune", path])
    #expect(run.code == 0, "\(run.errors)")
    #expect(
      run.output.contains(
        "  heating  τ 1800.000 s is at the fit's bound (3 × the record of 600.000 s): the record is too short to fix τ and K, only K/τ and θ;"
      ), "\(run.output)")
    #expect(!run.output.contains("  cooling  τ"), "the cooling fit is inside its bounds")
  }

  /// The fit itself: a response far slower than its record pins τ at three
  /// times the record; one that settles within it does not.
  @Test func stepFitterFlagsATimeConstantAtItsBound() throws {
    func response(tau: Double, seconds: Int) -> StepResponse {
      var times: [Double] = []
      var celsius: [Double] = []
      for index in 0...(seconds * 10) {
        let t = Double(index) * 0.1
        times.append(t)
        celsius.append(40 + (t > 5 ? 100 * 0.02 * (1 - exp(-(t - 5) / tau)) : 0))
      }
      return StepResponse(seconds: times, celsius: celsius, baselineCelsius: 40, commandStep: 0.02)
    }
    let slow = try #require(StepFitter.fit(response(tau: 6000, seconds: 600)))
    #expect(slow.timeConstantBoundSeconds == 1800)
    #expect(slow.timeConstantAtBound, "τ \(slow.timeConstantSeconds)")
    #expect(!slow.deadTimeAtBound)
    let quick = try #require(StepFitter.fit(response(tau: 60, seconds: 600)))
    #expect(!quick.timeConstantAtBound, "τ \(quick.timeConstantSeconds)")
    #expect(abs(quick.timeConstantSeconds / 60 - 1) < 0.01)
  }

  @Test func modelWithoutWriteIsRefused() {
    let path = repositoryRoot.appendingPathComponent("Profiles/laser-lipolysis-25min.json").path
    let run = devsim(["tune", path, "--model"])
    #expect(run.code == 64)
    #expect(
      run.errors.contains(
        "--model needs --write FILE (it chooses which controller --write writes)"),
      "\(run.errors)")
  }
}
