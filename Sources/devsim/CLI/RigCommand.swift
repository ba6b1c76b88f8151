import ApplicatorLinux
import DevsimKit
import Foundation

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
      } ?? RigEmulator.defaultProfile()
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
}
