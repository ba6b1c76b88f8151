import ApplicatorHAL
import Foundation
import ThermalLoop

/// `devsim rig`: the simulated applicator as a SCPI test rig on a
/// pseudo-terminal or a TCP port, in real time.
enum RigCommand {
  static func execute(_ arguments: [String], console: Console) throws(CommandError) -> ExitCode {
    let parsed = try Arguments(
      arguments, options: ["--link", "--listen", "--speed", "--unplug-after"],
      flags: ["--pty", "--help"],
      aliases: ["-h": "--help"])
    if parsed.flag("--help") {
      console.write(Help.rig)
      return .success
    }
    guard parsed.positionals.count <= 1 else {
      throw CommandError(code: .usage, message: "rig takes at most one profile", showUsage: true)
    }
    if parsed.option("--listen") != nil && (parsed.flag("--pty") || parsed.option("--link") != nil)
    {
      throw CommandError(
        code: .usage, message: "--listen cannot be combined with --pty or --link", showUsage: true)
    }
    let profile =
      try parsed.positionals.first.map { path throws(CommandError) in
        try ProfileLoader.load(path).profile
      } ?? defaultProfile()
    let link: RigServer.Link
    do throws(SerialOpenError) {
      if let url = parsed.option("--listen") {
        let listener = try TCPListener(url: url)
        link = .tcp(listener)
        let host = url.dropFirst("tcp://".count).split(separator: ":").first.map(String.init) ?? ""
        console.write("rig: tcp://\(host):\(listener.port)\n")
      } else {
        let pty = try PseudoTerminal()
        if let path = parsed.option("--link") {
          try pty.link(at: path)
          console.write("rig: \(path) -> \(pty.slavePath)\n")
        } else {
          console.write("rig: \(pty.slavePath)\n")
        }
        link = .pty(pty)
      }
    } catch {
      throw CommandError(code: .ioError, message: error.message)
    }
    var speed = 1.0
    if case .factor(let factor) = try RunCommand.parsePacing(parsed.option("--speed")) {
      speed = factor
    }
    var unplug: UInt64? = nil
    if let text = parsed.option("--unplug-after") {
      guard let seconds = DurationText.seconds(text), seconds >= 0, seconds <= 1e7 else {
        throw CommandError(
          code: .usage, message: "--unplug-after takes a duration, found '\(text)'", showUsage: true
        )
      }
      unplug = UInt64(seconds * 1e9)
    }
    let stop = SignalStop.install()
    var server = RigServer(
      emulator: RigEmulator(profile: profile),
      tickNanoseconds: min(profile.tickNanoseconds, 10_000_000),
      speed: speed, unplugAfterNanoseconds: unplug, log: { console.write($0 + "\n") })
    server.serve(link, stop: { stop.isStopRequested() })
    console.write("rig: stopped\n")
    return .success
  }

  /// A cryolipolysis rig with the standard treatment's plant and probes:
  /// channel 1 the plate, 2 the skin, 3 fat at 7 mm, 4 the TEC heatsink.
  static func defaultProfile() -> Profile {
    var plant = PlantConfiguration()
    plant.perfusionScale = 0.3
    let probes: [(String, ProbeLocation, SensorSite, SensorRole)] = [
      ("plate", .plate, .plate, .control), ("skin", .depth(metres: 0), .skin, .monitor),
      ("fat-7mm", .depth(metres: 0.007), .fat, .monitor),
      ("heatsink", .hotSide, .hotSide, .monitor),
    ]
    return Profile(
      name: "default-rig", description: "", mode: .cryolipolysis, seed: 1,
      tickNanoseconds: 10_000_000, window: TemperatureWindow(lowCelsius: -13, highCelsius: -11),
      phases: [
        ProfilePhase(
          name: "hold",
          phase: TreatmentPhase(
            kind: .treatment, setpointCelsius: -12, durationNanoseconds: 2_100_000_000_000))
      ],
      gains: PIDGains(proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0.01),
      limits: OutputLimits(low: -1, high: 0.5),
      sensors: probes.map {
        ProfileSensor(
          name: $0.0, model: SensorModel(location: $0.1),
          descriptor: SensorDescriptor(site: $0.2, role: $0.3, periodNanoseconds: 100_000_000))
      }, controlIndex: 0, doseIndex: 2, plant: plant,
      safety: SafetyConfiguration(mode: .cryolipolysis),
      faults: [], durationNanoseconds: 2_100_000_000_000, observeAfterTripNanoseconds: 0,
      resetsNanoseconds: [], stageReadBack: true, expect: Expectations())
  }
}
