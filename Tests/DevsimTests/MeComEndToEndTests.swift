import Foundation
import Testing

@testable import DevsimKit

/// `devsim run PROFILE --rig RIGFILE` and `devsim rig check` against `devsim rig --protocol
/// mecom` over real ptys: the MeCom host driver holds the window against its emulator, an
/// unplug ends the run with 74 and the emulator's watchdog turns its output off, and a
/// limit the instrument will not take refuses the run before anything is driven.
@Suite(.tags(.io), .serialized) struct MeComEndToEndTests {
  /// The TEC profile with its hold shortened to `treatment` and no rewarm; `coolingLimit`
  /// replaces the plate's full-scale cooling output when given.
  private func shortProfile(
    in directory: URL, treatment: String = "3m", coolingLimit: String? = nil
  ) throws -> String {
    let source = repositoryRoot.appendingPathComponent("rigs/cryolipolysis-tec-1091.json")
    var text = try String(contentsOf: source, encoding: .utf8)
    if let coolingLimit {
      text = text.replacingOccurrences(
        of: "\"outputLow\": -1,", with: "\"outputLow\": \(coolingLimit),")
    }
    text = text.replacingOccurrences(
      of: "\"duration\": \"35m\" },\n", with: "\"duration\": \"\(treatment)\" }\n")
    text = text.replacingOccurrences(
      of:
        "    { \"name\": \"rewarm\", \"kind\": \"transition\", \"setpoint\": 5, \"duration\": \"2m\", \"ramp\": 0.5 }\n",
      with: "")
    text = text.replacingOccurrences(
      of: "\"timeInWindowAtLeast\": 0.95", with: "\"timeInWindowAtLeast\": 0.9")
    let path = directory.appendingPathComponent("short.json").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    _ = try ProfileLoader.load(path)
    return path
  }

  /// The shipped rig file with its port on `device` (and `edit` applied).
  private func rigFile(
    in directory: URL, device: String, edit: (String) -> String = { $0 }
  ) throws -> String {
    let source = repositoryRoot.appendingPathComponent("rigs/mecom-tec-1091.json")
    let text = try String(contentsOf: source, encoding: .utf8)
      .replacingOccurrences(of: "\"/dev/ttyUSB0\"", with: "\"\(device)\"")
    let path = directory.appendingPathComponent("rig.json").path
    try Data(edit(text).utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// The hold is 2 minutes of real time (the plate enters the window after about 1:35),
  /// with every check as the profile sets it, as the devsim-dialect rig's test does. The
  /// emulator is another real-time process on a loaded machine: the rig file gives it the
  /// longest reply deadline (500 ms) so that a stall of the emulator is not taken for an
  /// unacknowledged write; every check still trips as in the profile.
  @Test func theHostHoldsTheWindowAgainstTheEmulatedTEC() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory, treatment: "2m")
    let emulator = try DevsimProcess(["rig", "--protocol", "mecom", profile])
    defer { emulator.stop() }
    let device = try #require(emulator.rigDevice())
    let rig = try rigFile(in: directory, device: device) {
      $0.replacingOccurrences(
        of: "\"watchdog\": \"1s\",", with: "\"watchdog\": \"1s\", \"replyDeadline\": \"500ms\",")
    }
    let host = try DevsimProcess(["run", profile, "--rig", rig])
    host.process.waitUntilExit()
    // The output is collected asynchronously: wait for its last line.
    #expect(host.wait(for: "no interlock input", seconds: 10), "\(host.text)")
    #expect(host.process.terminationStatus == 0, "\(host.text)\(host.errorText)")
    #expect(host.text.contains("trips  none"), "\(host.text)")
    #expect(host.text.contains("result PASS"))
    #expect(host.text.contains("communication watchdog, 1 s (MeCom 2060)"), "\(host.text)")
  }

  /// The emulator closes its pty 3 s in and keeps running: its communication watchdog (1 s)
  /// puts it in its error state, output off; the host trips and exits 74, naming what cuts
  /// the output instead.
  @Test func anUnplugEndsTheRunWith74AndTheWatchdogCutsTheOutput() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory)
    let emulator = try DevsimProcess([
      "rig", "--protocol", "mecom", profile, "--unplug-after", "3s",
    ])
    defer { emulator.stop() }
    let device = try #require(emulator.rigDevice())
    let rig = try rigFile(in: directory, device: device)
    let host = try DevsimProcess(["run", profile, "--rig", rig])
    host.process.waitUntilExit()
    #expect(host.wait(for: "no interlock input", seconds: 10), "\(host.text)")
    #expect(host.process.terminationStatus == 74, "\(host.text)\(host.errorText)")
    let message = host.errorText
    #expect(message.contains("went away"), "\(message)")
    #expect(message.contains("communication watchdog"), "\(message)")
    #expect(host.text.contains("trip   "), "the host tripped before exiting: \(host.text)")
    #expect(emulator.wait(for: "communication watchdog: no frame", seconds: 5), "\(emulator.text)")
    func time(of event: String) -> Double? {
      guard let line = emulator.text.split(separator: "\n").first(where: { $0.contains(event) }),
        let value = line.split(separator: " ").first?.dropFirst(2)
      else { return nil }
      return Double(value)
    }
    let unplugged = try #require(time(of: "unplugged"))
    let cut = try #require(time(of: "communication watchdog"))
    // In order: the unplug, then the watchdog's cut — its own event, not the host's safe
    // state (which could not be sent). How late after the 1 s the emulator notices depends
    // on how the machine schedules it, so the bound is only that it came within a few
    // seconds, not instead of something else much later.
    #expect(cut >= unplugged && cut - unplugged <= 1 + 3, "\(emulator.text)")
    #expect(!emulator.text.contains("output off by the host"), "\(emulator.text)")
  }

  /// A TEC wired the other way round with the rig file unchanged (`--inverted`: a positive
  /// current cools): the host commands cooling, the plate heats, and wrong-direction trips
  /// within its bound (5 s + one 0.1 s period from the first slope away, loop time); the
  /// host turns the output off on the wire. Cooling is limited to 50 % as in the
  /// devsim-dialect rig's test: at full scale the rate limit trips first.
  @Test func aTECWiredTheOtherWayTripsWrongDirection() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory, coolingLimit: "-0.5")
    let emulator = try DevsimProcess(["rig", "--protocol", "mecom", profile, "--inverted"])
    defer { emulator.stop() }
    let device = try #require(emulator.rigDevice())
    let rig = try rigFile(in: directory, device: device)
    let host = try DevsimProcess(["run", profile, "--rig", rig])
    host.process.waitUntilExit()
    #expect(host.wait(for: "no interlock input", seconds: 10), "\(host.text)")
    let text = host.text
    #expect(host.process.terminationStatus == 1, "\(text)\(host.errorText)")
    #expect(text.contains("trip   wrong-direction on plate"), "\(text)")
    func seconds(after word: String) -> Double? {
      guard let range = text.range(of: word + " ") else { return nil }
      let clock = text[range.upperBound...].prefix { $0.isNumber || $0 == ":" || $0 == "." }
      let parts = clock.split(separator: ":")
      guard parts.count == 2, let minutes = Double(parts[0]), let rest = Double(parts[1])
      else { return nil }
      return minutes * 60 + rest
    }
    let since = try #require(seconds(after: "condition from"), "\(text)")
    let detected = try #require(seconds(after: "detected"), "\(text)")
    // Its persistence (5 s of loop time) held, and detected at the first tick after it: a
    // tick can be late by less than the overrun watchdog's single-stall limit (1 s; a later
    // one would have tripped that check instead), so on a loaded machine ≤ 5 + 0.1 + 1 s.
    #expect(detected - since >= 5 - 1e-9, "not before its persistence: \(text)")
    #expect(detected - since <= 5 + 0.1 + 1 + 1e-9, "within the bound: \(text)")
    #expect(detected < 30, "before must-progress's 30 s: \(text)")
    #expect(emulator.wait(for: "output off by the host", seconds: 5), "\(emulator.text)")
  }

  /// A current limit above what the instrument takes (8 A, the host's profile an 8 A TEC,
  /// on the emulator's 6 A one) is refused by it at connect: the run is refused (65) naming
  /// the parameter, and nothing was driven.
  @Test func aLimitTheInstrumentRefusesRefusesTheRun() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory)
    let emulator = try DevsimProcess(["rig", "--protocol", "mecom", profile])
    defer { emulator.stop() }
    let hostProfile = directory.appendingPathComponent("host.json").path
    let text = try String(contentsOfFile: profile, encoding: .utf8)
    let edited = text.replacingOccurrences(
      of: "\"initialPlate\": 25 }", with: "\"initialPlate\": 25, \"tec\": { \"maxCurrent\": 8 } }")
    #expect(edited != text)
    try Data(edited.utf8).write(to: URL(fileURLWithPath: hostProfile))
    let device = try #require(emulator.rigDevice())
    let rig = try rigFile(in: directory, device: device) {
      $0.replacingOccurrences(of: "\"fullScaleCurrent\": 6", with: "\"fullScaleCurrent\": 8")
        .replacingOccurrences(of: "\"current\": 6", with: "\"current\": 8")
    }
    let host = try DevsimProcess(["run", hostProfile, "--rig", rig])
    host.process.waitUntilExit()
    #expect(host.process.terminationStatus == 65, "\(host.text)\(host.errorText)")
    let message = host.errorText
    #expect(
      message.contains("current limit (2030)") && message.contains("nothing was driven"),
      "\(message)")
  }

  /// Two runs in a row against one emulator: the first ends with its output confirmed off
  /// and the watchdog disarmed, so the emulator does not enter its error state once the
  /// host has gone, and the second connects cleanly (a 5 s treatment: the runs end by
  /// their duration, exit 0 or 1 as judged, never refused).
  @Test func aSecondRunConnectsAfterTheFirst() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory, treatment: "5s")
    let emulator = try DevsimProcess(["rig", "--protocol", "mecom", profile])
    defer { emulator.stop() }
    let device = try #require(emulator.rigDevice())
    let rig = try rigFile(in: directory, device: device)
    for run in 1...2 {
      let host = try DevsimProcess(["run", profile, "--rig", rig])
      host.process.waitUntilExit()
      #expect(host.wait(for: "no interlock input", seconds: 10), "run \(run): \(host.text)")
      #expect(
        [0, 1].contains(host.process.terminationStatus), "run \(run): \(host.text)\(host.errorText)"
      )
      #expect(host.text.contains("trips  none"), "run \(run): \(host.text)")
      // Longer than the watchdog (1 s): had it stayed armed, it would have expired.
      Thread.sleep(forTimeInterval: 2)
    }
    #expect(!emulator.text.contains("communication watchdog: no frame"), "\(emulator.text)")
  }

  /// `devsim rig check` identifies the emulated TEC and reads both channels once.
  @Test func rigCheckIdentifiesTheInstrument() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory)
    let emulator = try DevsimProcess(["rig", "--protocol", "mecom", profile])
    defer { emulator.stop() }
    let device = try #require(emulator.rigDevice())
    let rig = try rigFile(in: directory, device: device)
    let check = try DevsimProcess(["rig", "check", rig])
    check.process.waitUntilExit()
    #expect(check.wait(for: "result ", seconds: 10), "\(check.text)")
    let text = check.text
    #expect(check.process.terminationStatus == 0, "\(text)\(check.errorText)")
    #expect(text.contains("instrument: device type 1091"), "\(text)")
    #expect(text.contains("sensor plate: object temperature (1000 instance 1): 2"), "\(text)")
    #expect(text.contains("sensor heatsink: sink temperature (1001 instance 1): "), "\(text)")
    #expect(text.contains("result OK"))
    #expect(!emulator.text.contains("output on"))
  }

  /// The emulator on TCP (as the vendor's Ethernet adapters serve MeCom), reached with
  /// `--port tcp://…` in place of the rig file's tty.
  @Test func rigCheckOverTCP() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory)
    let emulator = try DevsimProcess([
      "rig", "--protocol", "mecom", profile, "--listen", "tcp://127.0.0.1:0",
    ])
    defer { emulator.stop() }
    let url = try #require(emulator.rigDevice())
    #expect(url.hasPrefix("tcp://127.0.0.1:"))
    let rig = try rigFile(in: directory, device: "/dev/ttyUSB0")
    let check = try DevsimProcess(["rig", "check", rig, "--port", url])
    check.process.waitUntilExit()
    #expect(check.wait(for: "result ", seconds: 10), "\(check.text)")
    #expect(check.process.terminationStatus == 0, "\(check.text)\(check.errorText)")
    #expect(check.text.contains("mecom on \(url)\n"), "\(check.text)")
    #expect(check.text.contains("instrument: device type 1091"), "\(check.text)")
  }

  /// `rig check` on a rig file naming another device type exits 65, naming both.
  @Test func rigCheckRefusesAnotherDeviceType() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory)
    let emulator = try DevsimProcess(["rig", "--protocol", "mecom", profile])
    defer { emulator.stop() }
    let device = try #require(emulator.rigDevice())
    let rig = try rigFile(in: directory, device: device) {
      $0.replacingOccurrences(of: "\"deviceType\": 1091", with: "\"deviceType\": 1122")
    }
    let check = try DevsimProcess(["rig", "check", rig])
    check.process.waitUntilExit()
    #expect(check.process.terminationStatus == 65, "\(check.text)\(check.errorText)")
    #expect(check.errorText.contains("device type 1091, the rig file describes a 1122"))
  }
}
