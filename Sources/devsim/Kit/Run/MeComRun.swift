import ApplicatorHAL
import ApplicatorLinux
import ThermalLoop

/// Runs a profile's loop in real time against a Meerstetter TEC a rig file describes, in
/// host control: the loop's command goes to the instrument's live current every tick.
package enum MeComRun {
  /// Opens the rig file's port (a tty at its baud rate, or `tcp://host:port`).
  package static func open(_ rig: RigFile) throws(KitError) -> ByteStream {
    do throws(SerialOpenError) {
      if rig.port.hasPrefix("tcp://") {
        return try TCPStream(url: rig.port, connectTimeoutNanoseconds: 2_000_000_000)
      }
      var configuration = SerialConfiguration()
      configuration.baudRate = rig.baud
      return try SerialPort(path: rig.port, configuration: configuration)
    } catch {
      throw KitError.deviceFailure("\(rig.file): \(error.message)")
    }
  }

  /// The settings of `rig` with its channels in the order of `profile`'s sensors, or why
  /// the rig file does not fit the profile (exit 65, before anything is opened).
  package static func settings(_ rig: RigFile, for profile: Profile) throws(KitError)
    -> MeComSettings
  {
    guard case .mecom(var settings) = rig.instrument else {
      throw KitError.invalid("\(rig.file): not a MeCom rig")
    }
    guard profile.mode.commandRange == .bipolar else {
      throw KitError.invalid(
        "\(rig.file): a MeCom TEC drives a TEC plate; \(profile.name) is a \(profile.mode) profile")
    }
    var channels: [MeComChannel] = []
    for sensor in profile.sensors {
      guard let index = rig.sensors.firstIndex(of: sensor.name) else {
        throw KitError.invalid(
          "\(rig.file): $.channels: the rig file maps no channel to sensor \(sensor.name) of \(profile.name) (it maps \(rig.sensors.joined(separator: ", "))); nothing was driven"
        )
      }
      channels.append(settings.channels[index])
    }
    let control = channels[profile.controlIndex]
    guard control.parameterID == MeComParameter.objectTemperature,
      control.instance == settings.outputInstance
    else {
      let name = profile.sensors[profile.controlIndex].name
      throw KitError.invalid(
        "\(rig.file): $.channels: the control sensor \(name) of \(profile.name) is read from \(control.description); it must be object-temperature at the output's instance \(settings.outputInstance), where the instrument's own object thresholds (4010/4011) cut the output; nothing was driven"
      )
    }
    let plate = plateLimitsCelsius(profile)
    guard settings.objectLowCelsius >= plate.lowerBound,
      settings.objectHighCelsius <= plate.upperBound
    else {
      throw KitError.invalid(
        "\(rig.file): $.limits.objectTemperature: \(format(settings.objectLowCelsius)) … \(format(settings.objectHighCelsius)) °C is wider than \(profile.name)'s plate limits (\(format(plate.lowerBound)) … \(format(plate.upperBound)) °C): the instrument must cut its output no later than the supervisor would; nothing was driven"
      )
    }
    guard case .thermoelectric(let tec) = profile.plant.drive else {
      throw KitError.invalid(
        "\(rig.file): a MeCom TEC drives a TEC plate; \(profile.name)'s plant has none")
    }
    guard settings.fullScaleCurrentAmperes <= tec.maximumCurrentAmperes else {
      throw KitError.invalid(
        "\(rig.file): $.command.fullScaleCurrent: \(format(settings.fullScaleCurrentAmperes)) A is more than \(profile.name)'s TEC takes (plant maxCurrent \(format(tec.maximumCurrentAmperes)) A); nothing was driven"
      )
    }
    guard settings.currentLimitAmperes <= settings.fullScaleCurrentAmperes else {
      throw KitError.invalid(
        "\(rig.file): $.limits.current: \(format(settings.currentLimitAmperes)) A is more than a command of ±1 asks for (fullScaleCurrent \(format(settings.fullScaleCurrentAmperes)) A); nothing was driven"
      )
    }
    settings.channels = channels
    return settings
  }

  /// The plate temperatures the supervisor of `profile` lets through, °C, within what the
  /// mode tolerates at all: above its highest plate low limit and below its lowest plate
  /// high limit. A high limit in force only once the window is entered (cryolipolysis's
  /// 15 °C) does not bound it: the plate starts warm, and an instrument that cut at it
  /// could not start.
  package static func plateLimitsCelsius(_ profile: Profile) -> ClosedRange<Double> {
    let tolerated = RigEmulator.protectionRange(profile.mode)
    var low = max(tolerated.lowerBound, profile.safety.plausibleRange.lowCelsius)
    var high = min(tolerated.upperBound, profile.safety.plausibleRange.highCelsius)
    for index in 0..<profile.safety.limitRuleCount {
      let rule = profile.safety.limitRules[index]
      guard rule.site == nil || rule.site == .plate else { continue }
      if rule.tripsAbove {
        if !rule.onlyWhenArmed { high = min(high, rule.thresholdCelsius) }
      } else {
        low = max(low, rule.thresholdCelsius)
      }
    }
    return low...max(low, high)
  }

  /// Opens the port and connects: identification, limits written and read back, output
  /// left off. An instrument that is not the rig file's or did not keep a limit is refused
  /// (65) before any power command; one that does not answer is an I/O failure (74).
  package static func connect(_ rig: RigFile, settings: MeComSettings) throws(KitError)
    -> MeComApplicator
  {
    let link = MeComLink(
      stream: try open(rig), address: settings.address,
      replyTimeoutNanoseconds: MeComLink.connectReplyTimeoutNanoseconds)
    do throws(MeComConnectError) {
      let applicator = try MeComApplicator(link: link, settings: settings)
      link.replyTimeoutNanoseconds = settings.replyTimeoutNanoseconds
      return applicator
    } catch {
      link.close()
      switch error {
      case .noAnswer(let message):
        throw KitError.deviceFailure("\(rig.port): the instrument does not answer: \(message)")
      case .mismatch(let message):
        throw KitError.invalid("\(rig.file): the instrument on \(rig.port) is refused: \(message)")
      }
    }
  }

  /// Runs the loop against the instrument until the profile's duration, a trip, or a stop
  /// request; the loop stops once the safe state is written after a trip. At the end the
  /// output is put off once more and read back (``MeComApplicator/close(nowNanoseconds:)``).
  ///
  /// - Returns: the outcome, whether the link was lost, and why the output could not be
  ///   confirmed off at the end (nil when it was).
  package static func run<Sink: TelemetrySink>(
    _ profile: Profile, rig: RigFile, sink: inout Sink, stop: SignalStop
  ) throws(KitError) -> (RunOutcome, lost: Bool, closeFault: FaultKind?) {
    let settings = try settings(rig, for: profile)
    let applicator = try connect(rig, settings: settings)
    let link = applicator.link
    var loop = profile.controlLoop(on: applicator)
    let started = MonotonicClock.rawNanoseconds()
    var runner = LoopRunner(
      clock: MonotonicClock(speed: 1), periodNanoseconds: profile.tickNanoseconds)
    let end = runner.run(
      &loop, durationNanoseconds: profile.durationNanoseconds, observeAfterTripNanoseconds: 0,
      sink: &sink, stop: stop)
    let closeFault = loop.applicator.close(nowNanoseconds: runner.clock.nowNanoseconds())
    link.close()
    var outcome = RunOutcome(
      loop: loop, end: end, tickNanoseconds: profile.tickNanoseconds,
      simulatedNanoseconds: runner.clock.nowNanoseconds(), startedWallNanoseconds: started)
    outcome.count(runner)
    outcome.isSimulated = false
    return (outcome, link.isLost, closeFault)
  }

  /// What cuts the instrument's output when the host dies.
  package static func cutOffText(_ settings: MeComSettings) -> String {
    "the instrument's communication watchdog, \(format(settings.watchdogSeconds)) s (MeCom 2060): "
      + "with no frame for that long it enters its error state, output off "
      + "(confirm it on the bench, docs/instruments.md)"
  }
}
