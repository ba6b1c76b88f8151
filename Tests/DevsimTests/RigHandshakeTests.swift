import ApplicatorHAL
import ApplicatorLinux
import Foundation
import Synchronization
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit

/// The emulated rig in this process, without a link: lines in, replies out.
private final class Bench {
  var rig: RigEmulator
  var now: UInt64 = 0

  init(_ profile: Profile) { rig = RigEmulator(profile: profile) }

  func ask(_ line: String) -> String? { rig.handle(Array(line.utf8)) }

  /// Ticks the rig every 10 ms for `seconds`.
  func run(seconds: Double) {
    let end = now + UInt64(seconds * 1e9)
    while now < end {
      now += 10_000_000
      rig.tick(nowNanoseconds: now)
    }
  }

  var leaseBitSet: Bool { (Int(ask("STAT:QUES:COND?") ?? "") ?? 0) & (1 << 6) != 0 }
}

/// Every query answers, so positions in a compound reply never shift; the
/// simulated faults read as `docs/rig-protocol.md` says.
@Suite(.tags(.safety)) struct RigEveryQueryAnswersTests {
  @Test func aFailingQueryYieldsNotANumberAndQueuesItsError() throws {
    let bench = Bench(try RigEmulator.defaultProfile())
    bench.run(seconds: 0.5)
    let reply = try #require(bench.ask("MEAS:TEMP? 1;MEAS:TEMP? 9;MEAS:POW?"))
    let fields = reply.split(separator: ";", omittingEmptySubsequences: false)
    #expect(fields.count == 3, "\(reply)")
    #expect(fields[1] == "9.91E37")
    #expect(Double(fields[0]) != nil && fields[0] != "9.91E37")
    #expect(Double(fields[2]) == 0)
    #expect(bench.ask("SYST:ERR?") == "-222,\"Data out of range\"")
    #expect(bench.ask("NOT:A:QUERY?;*OPC?") == "9.91E37;1")
    #expect(bench.ask("SYST:ERR?") == "-113,\"Undefined header\"")
  }

  /// The doc's table: an open probe rails low (−60 °C), a short high
  /// (+150 °C), a dropout reads SCPI's not-a-number.
  @Test(arguments: [("OPEN", "-6.0000E+01"), ("SHORt", "1.5000E+02"), ("DROPout", "9.91E37")])
  func aSensorFaultReadsAsDocumented(kind: String, reading: String) throws {
    let bench = Bench(try RigEmulator.defaultProfile())
    bench.run(seconds: 0.5)
    _ = bench.ask("SIM:FAUL \(kind),3")
    #expect(bench.ask("SYST:ERR?") == "0,\"No error\"")
    bench.run(seconds: 0.5)
    let fields = try #require(bench.ask("MEAS:TEMP? 2;MEAS:TEMP? 3;MEAS:TEMP? 4"))
      .split(separator: ";")
    #expect(fields.count == 3)
    #expect(fields[1] == Substring(reading))
    #expect(fields[0] != Substring(reading) && fields[2] != Substring(reading))
  }

  @Test func theDefaultRigServesTheStandardProfilesChannels() throws {
    let file = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json")
    #expect(try String(contentsOf: file, encoding: .utf8) == RigEmulator.defaultProfileJSON + "\n")
    let bench = Bench(try RigEmulator.defaultProfile())
    #expect(
      bench.ask("SYST:CHAN:CAT?") == "\"plate\",\"plate-b\",\"skin\",\"fat-7mm\",\"heatsink\"")
    #expect(bench.ask("SYST:VERS?;SYST:MODE?;SYST:SPE?") == "1;TEC;1.0000E+00")
  }
}

/// One fail-safe lease: off after expiry until an explicit `OUTP ON`.
@Suite(.tags(.safety)) struct RigLeaseTests {
  @Test func aLapsedLeaseKeepsTheOutputOffUntilOutputOn() throws {
    let bench = Bench(try RigEmulator.defaultProfile())
    _ = bench.ask("OUTP ON;SOUR:POW -0.5")
    bench.run(seconds: 0.3)
    #expect(bench.ask("OUTP?") == "1")
    #expect(!bench.leaseBitSet)
    bench.run(seconds: 0.3)
    #expect(bench.ask("OUTP?") == "0", "the lease (0.5 s) lapsed")
    #expect(bench.leaseBitSet)
    #expect(bench.rig.leaseExpiries == 1)
    // A power command does not re-arm it: the output stays off.
    _ = bench.ask("SOUR:POW -0.5")
    bench.run(seconds: 0.2)
    #expect(bench.ask("OUTP?") == "0")
    #expect(bench.ask("MEAS:POW?") == "0.0000E+00")
    #expect(bench.leaseBitSet, "bit 6 stays set until OUTP ON")
    _ = bench.ask("OUTP ON;SOUR:POW -0.5")
    #expect(!bench.leaseBitSet)
    bench.run(seconds: 0.1)
    #expect(bench.ask("OUTP?") == "1")
  }

  @Test func theLeaseAppliesInTemperatureModeToo() throws {
    let bench = Bench(try RigEmulator.defaultProfile())
    _ = bench.ask("SOUR:FUNC TEMP;SOUR:TEMP 10;OUTP ON")
    for _ in 0..<5 {
      bench.run(seconds: 0.3)
      _ = bench.ask("SOUR:TEMP 10")
    }
    #expect(bench.ask("OUTP?") == "1", "a setpoint write refreshes the lease")
    bench.run(seconds: 0.6)
    #expect(bench.ask("OUTP?") == "0")
    #expect(bench.leaseBitSet)
  }
}

/// The handshake's matching: every mismatch is refused, naming both sides.
@Suite struct RigHandshakeMatchTests {
  private let sensors = ["plate", "plate-b", "skin", "fat-7mm", "heatsink"]
  private func rig(
    version: String = "1", mode: String = "TEC", channels: [String]? = nil, speed: Double? = 1
  ) -> RigIdentity {
    RigIdentity(
      identity: "devsim,emulated TEC rig,DS-0001,0", version: version, mode: mode,
      channels: channels ?? ["heatsink", "plate", "plate-b", "skin", "fat-7mm"], leaseSeconds: 0.5,
      speed: speed)
  }

  @Test func channelsAreMappedByName() throws {
    #expect(
      try RigHandshake.channels(of: sensors, rig: rig(), commandRange: .bipolar, speed: 1).get()
        == [2, 3, 4, 5, 1])
  }

  @Test func everyMismatchIsRefusedNamingBothSides() {
    func refusal(_ identity: RigIdentity, range: CommandRange = .bipolar, speed: Double = 1)
      -> String
    {
      switch RigHandshake.channels(of: sensors, rig: identity, commandRange: range, speed: speed) {
      case .success: return ""
      case .failure(let mismatch): return mismatch.message
      }
    }
    let missing = refusal(rig(channels: ["plate", "skin", "fat-7mm", "heatsink"]))
    #expect(missing.contains("no channel named plate-b") && missing.contains("its channels are"))
    let mode = refusal(rig(mode: "LAS"))
    #expect(mode.contains("'LAS'") && mode.contains("needs TEC"))
    #expect(refusal(rig(), range: .unipolar).contains("needs LAS"))
    let speed = refusal(rig(speed: 10))
    #expect(speed.contains("1.0000E+01") && speed.contains("this host at 1.0000E+00"))
    let version = refusal(rig(version: "2"))
    #expect(version.contains("'2'") && version.contains("speaks 1"))
    #expect(refusal(rig(version: "9.91E37")).contains("protocol version"))
    #expect(refusal(rig(speed: nil)).contains("no answer"))
  }

  @Test func theCatalogueIsReadAsQuotedNames() {
    #expect(RigHandshake.names("\"a\",\"b\"\"c\"") == ["a", "b\"c"])
    #expect(RigHandshake.names("") == [])
    #expect(RigHandshake.names("9.91E37") == nil)
    #expect(RigHandshake.names("\"a\",") == nil)
    #expect(RigHandshake.names("\"a") == nil)
  }
}

/// `devsim rig` serving `profile` (or its default) on a pty in this process,
/// with its log collected.
private final class ServedRig: @unchecked Sendable {
  let pty: PseudoTerminal
  private let stopping = Atomic<Bool>(false)
  private let lock = NSLock()
  private var lines: [String] = []
  private let served = DispatchGroup()

  init(_ profile: Profile, speed: Double = 1) throws {
    pty = try PseudoTerminal()
    served.enter()
    Thread.detachNewThread { [self] in
      var server = RigServer(
        emulator: RigEmulator(profile: profile), tickNanoseconds: 10_000_000, speed: speed,
        unplugAfterNanoseconds: nil,
        log: { line in
          self.lock.lock()
          self.lines.append(line)
          self.lock.unlock()
        })
      server.serve(.pty(pty), stop: { self.stopping.load(ordering: .relaxed) })
      served.leave()
    }
  }

  var log: [String] {
    lock.lock()
    defer { lock.unlock() }
    return lines
  }

  func stop() {
    stopping.store(true, ordering: .relaxed)
    served.wait()
  }
}

/// The handshake and the lease against the emulated rig over a real pty.
@Suite(.tags(.io, .safety), .serialized) struct RigHandshakeOverPtyTests {
  private func refusal(rig: Profile, host: Profile, rigSpeed: Double = 1, hostSpeed: Double = 1)
    throws -> (KitError?, [String])
  {
    let served = try ServedRig(rig, speed: rigSpeed)
    defer { served.stop() }
    do throws(KitError) {
      let applicator = try RigRun.connect(served.pty.slavePath, profile: host, speed: hostSpeed)
        .applicator
      applicator.link.close()
      return (nil, served.log)
    } catch {
      Thread.sleep(forTimeInterval: 0.05)  // the rig logs on its next tick
      return (error, served.log)
    }
  }

  private func laser() throws -> Profile {
    try ProfileLoader.load(
      repositoryRoot.appendingPathComponent("Profiles/laser-lipolysis-25min.json").path
    ).profile
  }

  @Test func aMatchingRigIsDrivenWithItsChannelsMappedByName() throws {
    var host = try RigEmulator.defaultProfile()
    host.sensors.reverse()
    let served = try ServedRig(try RigEmulator.defaultProfile())
    defer { served.stop() }
    let applicator = try RigRun.connect(served.pty.slavePath, profile: host, speed: 1).applicator
    defer { applicator.link.close() }
    #expect(applicator.channels == [5, 4, 3, 2, 1])
  }

  @Test func aMissingChannelIsRefusedBeforeAnyPowerCommand() throws {
    var host = try RigEmulator.defaultProfile()
    host.sensors[1].name = "plate-c"
    let (error, log) = try refusal(rig: try RigEmulator.defaultProfile(), host: host)
    guard case .data(let data)? = error else {
      Issue.record("expected a data error (65), got \(String(describing: error))")
      return
    }
    #expect(data.message.contains("no channel named plate-c"), "\(data.message)")
    #expect(data.message.contains("plate, plate-b, skin, fat-7mm, heatsink"))
    #expect(!log.contains { $0.contains("first power command") }, "\(log)")
  }

  @Test func aWrongModeIsRefusedBeforeAnyPowerCommand() throws {
    let (error, log) = try refusal(rig: try laser(), host: try RigEmulator.defaultProfile())
    guard case .data(let data)? = error else {
      Issue.record("expected a data error (65), got \(String(describing: error))")
      return
    }
    #expect(data.message.contains("'LAS'") && data.message.contains("needs TEC"))
    #expect(!log.contains { $0.contains("first power command") }, "\(log)")
  }

  @Test func anotherSpeedIsRefusedBeforeAnyPowerCommand() throws {
    let profile = try RigEmulator.defaultProfile()
    let (error, log) = try refusal(rig: profile, host: profile, rigSpeed: 10, hostSpeed: 1)
    guard case .data(let data)? = error else {
      Issue.record("expected a data error (65), got \(String(describing: error))")
      return
    }
    #expect(data.message.contains("speed 1.0000E+01"), "\(data.message)")
    #expect(!log.contains { $0.contains("first power command") }, "\(log)")
  }

  /// A host stalled past the lease: the rig turns its output off, the host
  /// sees status bit 6 in its next fetch and trips in that tick, and never
  /// sends `OUTP ON` again.
  @Test func aStalledHostTripsOnTheLapsedLeaseAndNeverReenables() throws {
    let profile = try RigEmulator.defaultProfile()
    let served = try ServedRig(profile)
    defer { served.stop() }
    let applicator = try RigRun.connect(served.pty.slavePath, profile: profile, speed: 1)
      .applicator
    let link = applicator.link
    defer { link.close() }
    var loop = profile.controlLoop(on: applicator)
    let start = MonotonicClock.rawNanoseconds()
    func tick() { _ = loop.tick(nowNanoseconds: MonotonicClock.rawNanoseconds() - start) }
    for _ in 0..<10 {
      tick()
      Thread.sleep(forTimeInterval: 0.1)
    }
    #expect(loop.trip == nil)
    #expect(served.log.contains { $0.contains("output on") }, "\(served.log)")
    Thread.sleep(forTimeInterval: 0.8)  // the stall: longer than the 0.5 s lease
    let stalledUntil = MonotonicClock.rawNanoseconds() - start
    tick()
    let trip = try #require(loop.trip, "the trip comes in the first tick after the stall")
    #expect(trip.detectedNanoseconds >= stalledUntil)
    #expect(trip.check == .leaseLapsed, "its own name, not actuator-fault")
    #expect("\(trip.check.name)" == "lease-lapsed")
    #expect(trip.subject == .powerStage)
    #expect(trip.detectedNanoseconds == trip.conditionSinceNanoseconds)
    #expect(loop.reset(nowNanoseconds: MonotonicClock.rawNanoseconds() - start) == false)
    #expect(link.leaseExpiries == 1)
    for _ in 0..<10 {
      tick()
      Thread.sleep(forTimeInterval: 0.1)
    }
    let log = served.log
    let lapse = try #require(log.firstIndex { $0.contains("lease expired") }, "\(log)")
    #expect(
      !log[lapse...].contains { $0.contains("output on") || $0.contains("re-armed") },
      "no OUTP ON after the lapse: \(log)")
    #expect(link.leaseExpiries == 1)
  }

  /// The emulator's railed readings (an open probe −60 °C, a short
  /// +150 °C, docs/rig-protocol.md) arrive as numbers; the host's
  /// plausibility check refuses them within its bound (0.3 s + one 0.1 s
  /// sample) and the loop never acts on them.
  @Test(arguments: [("OPEN", -60.0), ("SHOR", 150.0)])
  func aRailedReadingTripsPlausibility(kind: String, railedCelsius: Double) throws {
    let profile = try RigEmulator.defaultProfile()
    let served = try ServedRig(profile)
    defer { served.stop() }
    let applicator = try RigRun.connect(served.pty.slavePath, profile: profile, speed: 1)
      .applicator
    let link = applicator.link
    defer { link.close() }
    var loop = profile.controlLoop(on: applicator)
    let start = MonotonicClock.rawNanoseconds()
    var records: [TelemetryRecord] = []
    func tick() {
      records.append(loop.tick(nowNanoseconds: MonotonicClock.rawNanoseconds() - start))
    }
    for _ in 0..<5 {
      tick()
      Thread.sleep(forTimeInterval: 0.1)
    }
    #expect(loop.trip == nil)
    try link.send("SIM:FAUL \(kind),1")
    for _ in 0..<20 where loop.trip == nil {
      tick()
      Thread.sleep(forTimeInterval: 0.1)
    }
    let trip = try #require(loop.trip, "\(served.log)")
    #expect(trip.check == .sensorPlausibility)
    #expect(trip.subject == .sensor(0), "the plate, rig channel 1")
    #expect(trip.reading == railedCelsius, "the railed value itself reached the supervisor")
    #expect(records.contains { $0.celsius[0] == railedCelsius })
    #expect(trip.detectedNanoseconds - trip.conditionSinceNanoseconds <= 300_000_000 + 100_000_000)
    #expect(
      loop.supervisor.reactionBoundNanoseconds(for: trip, tickNanoseconds: 100_000_000)
        == 400_000_000)
  }
}

/// A scripted rig on a pty: answers `*IDN?`, `SYST:ERR?` and `SYST:VERS?`
/// (with `version`), every other query `9.91E37`, and records every line.
private final class ForeignRig: @unchecked Sendable {
  let pty: PseudoTerminal
  private let lock = NSLock()
  private var received: [String] = []
  private let stopping = Atomic<Bool>(false)
  private let done = DispatchGroup()

  init(version: String) throws {
    pty = try PseudoTerminal()
    nonisolated(unsafe) let master = pty.master
    done.enter()
    Thread.detachNewThread { [self] in
      defer { done.leave() }
      while !stopping.load(ordering: .relaxed) {
        guard
          let bytes = try? master.readLine(
            maximumBytes: 256, deadlineNanoseconds: MonotonicClock.rawNanoseconds() + 20_000_000)
        else { continue }
        let line = String(decoding: bytes, as: UTF8.self)
        lock.lock()
        received.append(line)
        lock.unlock()
        let queries = line.split(separator: ";").filter { $0.hasSuffix("?") }
        guard !queries.isEmpty else { continue }
        let reply = queries.map { query -> String in
          switch query {
          case "*IDN?": "acme,TEC-9,7,2.1"
          case "SYST:ERR?": "0,\"No error\""
          case "SYST:VERS?": version
          default: "9.91E37"
          }
        }.joined(separator: ";")
        try? master.write(
          Array((reply + "\n").utf8),
          deadlineNanoseconds: MonotonicClock.rawNanoseconds() + 1_000_000_000)
      }
    }
  }

  var lines: [String] {
    lock.lock()
    defer { lock.unlock() }
    return received
  }

  var powerCommandSeen: Bool {
    lines.contains { line in
      line.split(separator: ";").contains {
        !$0.hasSuffix("?") && ($0.hasPrefix("SOUR:POW ") || $0.hasPrefix("OUTP"))
      }
    }
  }

  func stop() {
    stopping.store(true, ordering: .relaxed)
    done.wait()
    pty.close()
  }
}

@Suite(.tags(.io, .safety), .serialized) struct RigWithoutHandshakeTests {
  private let map = ["plate": 1, "plate-b": 2, "skin": 3, "fat-7mm": 4, "heatsink": 5]

  @Test func anUnknownProtocolVersionIsRefusedBeforeAnyPowerCommand() throws {
    let rig = try ForeignRig(version: "2")
    defer { rig.stop() }
    let profile = try RigEmulator.defaultProfile()
    #expect {
      _ = try RigRun.connect(rig.pty.slavePath, profile: profile, speed: 1, map: map)
    } throws: { error in
      guard case .data(let data) = error as? KitError else { return false }
      return data.message.contains("protocol version '2'") && data.message.contains("speaks 1")
    }
    #expect(!rig.powerCommandSeen, "\(rig.lines)")
  }

  @Test func aRigWithoutTheHandshakeRunsOnlyWithAnExplicitMapUnverified() throws {
    let profile = try RigEmulator.defaultProfile()
    let refused = try ForeignRig(version: "9.91E37")
    defer { refused.stop() }
    #expect(throws: KitError.self) {
      _ = try RigRun.connect(refused.pty.slavePath, profile: profile, speed: 1)
    }
    #expect(!refused.powerCommandSeen)
    let rig = try ForeignRig(version: "9.91E37")
    defer { rig.stop() }
    let (applicator, verified) = try RigRun.connect(
      rig.pty.slavePath, profile: profile, speed: 1, map: map)
    defer { applicator.link.close() }
    #expect(!verified)
    #expect(applicator.channels == [1, 2, 3, 4, 5])
    let ending = RigRun.RigEnding(
      lost: false, leaseExpiries: 0, leaseWallSeconds: 0.5, verified: verified)
    #expect(ending.summaryLine.contains("not verified"))
  }

  @Test func anExplicitMapMustAgreeWithARigThatHasACatalogue() {
    let rig = RigIdentity(
      identity: "devsim", version: "1", mode: "TEC", channels: ["plate", "skin"],
      leaseSeconds: 0.5, speed: 1)
    func message(_ map: [String: Int]) -> String {
      switch RigHandshake.channels(
        of: ["plate", "skin"], map: map, rig: rig, commandRange: .bipolar, speed: 1)
      {
      case .success(let found): return found.verified ? "verified" : "unverified"
      case .failure(let mismatch): return mismatch.message
      }
    }
    #expect(message(["plate": 1, "skin": 2]) == "verified")
    #expect(message(["plate": 2, "skin": 1]).contains("the rig's channel 2 is skin"))
    #expect(message(["plate": 1]).contains("no channel for sensor skin"))
    #expect(message(["plate": 1, "skin": 1]).contains("two sensors on channel 1"))
  }
}
