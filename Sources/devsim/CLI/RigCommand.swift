import ApplicatorLinux
import DevsimKit
import Foundation

/// `devsim rig`: the simulated applicator as a SCPI test rig on a
/// pseudo-terminal or a TCP port, in real time.
enum RigCommand: DevsimCommand {
  static let pty = Flag(
    "--pty", help: ["Serve on a new pseudo-terminal (the default); its path is printed."])
  static let link = Option(
    "--link", value: "path", help: ["Also make <path> a symlink to the pseudo-terminal."],
    convert: OptionValue.text)
  static let listen = Option(
    "--listen", value: "url", help: ["Serve on TCP instead (tcp://127.0.0.1:0 picks a port)."],
    convert: OptionValue.listenURL)
  static let speed = CommonOptions.speed.help(
    "Rig time per wall time (default realtime; a factor N runs the",
    "physics and the lease N× faster, for a host run at --speed N).")
  static let unplugAfter = Option(
    "--unplug-after", value: "time",
    help: [
      "Close the link after this much rig time, as a USB unplug would;",
      "the rig keeps running (its lease must turn the output off).",
    ],
    convert: { text throws(UsageError) in
      guard let seconds = DurationText.seconds(text), seconds >= 0, seconds <= 1e7 else {
        throw UsageError("--unplug-after takes a duration, found '\(text)'")
      }
      return UInt64(seconds * 1e9)
    })

  static let inverted = Flag(
    "--inverted",
    help: [
      "Wire the output with the opposite sign (the stage delivers the negated",
      "command; no status bit shows it), as a miswired TEC would be.",
    ])

  static let protocolOption = Option(
    "--protocol", value: "name",
    help: [
      "devsim (the default: devsim's SCPI rig dialect, docs/rig-protocol.md)",
      "or mecom (an emulated Meerstetter TEC-1091 at address 0,",
      "docs/instruments.md).",
    ],
    convert: { text throws(UsageError) in
      guard ["devsim", "mecom"].contains(text) else {
        throw UsageError("--protocol takes devsim or mecom, found '\(text)'")
      }
      return text
    })

  static let port = Option(
    "--port", value: "device",
    help: [
      "The instrument's port instead of the rig file's: a tty or",
      "tcp://host:port (a bench whose USB path moved, an emulator's pty).",
    ], convert: OptionValue.rigDevice)

  static let check = CommandSpec(
    name: "rig check", abstract: "Check a rig file against its instrument, driving nothing.",
    arguments: [
      ArgumentSpec(name: "rigfile", help: ["The rig file (JSON, docs/instruments.md)."])
    ],
    options: [port.spec],
    notes: """
      Opens the rig file's port, identifies the instrument (MeCom: device type, firmware,
      serial), reads every mapped channel, the actual current, the device status and the
      limits in force once, and prints one line each. It writes nothing: the limits and the
      communication watchdog are written (and read back) when a run connects.
      """,
    exitCodes: [
      (.success, "the instrument identified and every channel read"),
      (.checkFailed, "identified, but a channel read failed or is implausible"),
      (.usage, nil),
      (.dataError, "a malformed rig file, or an instrument of another device type"),
      (.noInput, "the rig file is missing or unreadable"),
      (.ioError, "the port could not be opened, or the instrument does not answer"),
    ])

  static let spec = CommandSpec(
    name: "rig",
    abstract: "Serve the simulated applicator as a test rig or instrument on a pty or TCP.",
    arguments: [
      ArgumentSpec(
        name: "profile", count: .optional,
        help: [
          "Whose plant and probes the rig has (channels named and ordered as",
          "the profile's sensors; default: Profiles/cryolipolysis-35min.json's).",
        ])
    ],
    options: [
      protocolOption.spec, pty.spec, link.spec, listen.spec, speed.spec, unplugAfter.spec,
      inverted.spec,
    ],
    notes: """
      The first line printed is the device (rig: /dev/pts/N or rig: tcp://host:port); events
      (lease expiry, protection trips, injected faults, the host's first power command) follow,
      one per line. The rig reports its protocol version, mode, channel names, lease and speed
      (SYST:VERS?, SYST:MODE?, SYST:CHAN:CAT?, SOUR:POW:LEAS?, SYST:SPE?) for the host's
      handshake; a lapsed lease keeps the output off until OUTP ON. SIGINT or SIGTERM stops the
      rig (exit 0). The protocol is in docs/rig-protocol.md.
      """,
    exitCodes: [
      (.success, "served until stopped"), (.usage, nil), (.dataError, "bad profile"),
      (.noInput, nil), (.ioError, "the pty or the TCP port could not be opened"),
    ], subcommands: [check], subcommandNoun: "action", runsWithoutSubcommand: true)

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    if parsed.command == check.name {
      var rig = try RigFileDecoder.load(parsed.positionals[0])
      if let device = try port.value(parsed) { rig.port = device }
      return try RigCheck.run(rig, console: console)
    }
    let family = try protocolOption.value(parsed) ?? "devsim"
    let linkPath = try link.value(parsed)
    let url = try listen.value(parsed)
    if url != nil && (pty.isSet(parsed) || linkPath != nil) {
      throw UsageError("--listen cannot be combined with --pty or --link")
    }
    let speed = try CommonOptions.wallSpeed(parsed)
    let unplug = try unplugAfter.value(parsed)
    if family == "mecom" && speed != 1 {
      throw UsageError("--protocol mecom runs in real time: leave --speed out")
    }
    let profile: Profile
    if let path = parsed.positionals.first {
      profile = try ProfileLoader.load(path).profile
    } else {
      profile = try RigEmulator.defaultProfile()
    }
    let link: RigServer.Link
    do throws(SerialOpenError) {
      if let url {
        let listener = try TCPListener(url: url)
        link = .tcp(listener)
        let host = url.dropFirst("tcp://".count).split(separator: ":").first.map(String.init) ?? ""
        console.write("rig: tcp://\(host):\(listener.port)\n")
      } else {
        let pty = try PseudoTerminal()
        if let path = linkPath {
          try pty.link(at: path)
          console.write("rig: \(path) -> \(pty.slavePath)\n")
        } else {
          console.write("rig: \(pty.slavePath)\n")
        }
        link = .pty(pty)
      }
    } catch {
      throw DeviceError(error.message)
    }
    let stop = SignalStop.install()
    if family == "mecom" {
      var server = MeComServer(
        emulator: MeComEmulator(profile: profile, inverted: inverted.isSet(parsed)), address: 0,
        tickNanoseconds: min(profile.tickNanoseconds, 10_000_000), unplugAfterNanoseconds: unplug,
        log: { console.write($0 + "\n") })
      server.serve(link, stop: { stop.isStopRequested() })
      console.write("rig: stopped\n")
      return .success
    }
    var server = RigServer(
      emulator: RigEmulator(profile: profile, inverted: inverted.isSet(parsed)),
      tickNanoseconds: min(profile.tickNanoseconds, 10_000_000),
      speed: speed, unplugAfterNanoseconds: unplug, log: { console.write($0 + "\n") })
    server.serve(link, stop: { stop.isStopRequested() })
    console.write("rig: stopped\n")
    return .success
  }
}
