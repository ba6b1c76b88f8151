import Foundation
import Glibc
import Synchronization
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

/// A scripted rig on a real pty: a thread reads each line the host sends on
/// the master and answers as `answer` says (after a delay, with any lines).
final class ScriptedRig: @unchecked Sendable {
  /// How the rig answers one line: the delay before the reply, µs, and the
  /// reply's bytes (nothing for a command).
  typealias Answer = @Sendable (String) -> (delayMicroseconds: UInt32, reply: String)

  let pty: PseudoTerminal
  private let finished = DispatchSemaphore(value: 0)
  private let stopping = Atomic<Bool>(false)

  init(answer: @escaping Answer) throws {
    pty = try PseudoTerminal()
    // The master is used by the rig's thread alone once it starts.
    nonisolated(unsafe) let master = pty.master
    let thread = Thread { [self] in
      defer { finished.signal() }
      while !stopping.load(ordering: .relaxed) {
        let line: [UInt8]
        do throws(FaultKind) {
          line = try master.readLine(
            maximumBytes: 4096, deadlineNanoseconds: MonotonicClock.rawNanoseconds() + 50_000_000)
        } catch {
          if error == .timedOut { continue }
          return
        }
        let (delay, reply) = answer(String(decoding: line, as: UTF8.self))
        if delay > 0 { usleep(delay) }
        if !reply.isEmpty {
          try? master.write(
            Array(reply.utf8), deadlineNanoseconds: MonotonicClock.rawNanoseconds() + 1_000_000_000)
        }
      }
    }
    thread.start()
  }

  /// Stops the rig's thread, then hangs up.
  func stop() {
    stopping.store(true, ordering: .relaxed)
    _ = finished.wait(timeout: .now() + 5)
    pty.close()
  }
}

/// The tag of a query line `Q<n>?`, echoed by the scripted rigs as `A<n>`.
private func tag(_ line: String) -> String { String(line.dropFirst().dropLast()) }

@Suite("RigLink: a reply is only the answer to its own query", .tags(.io, .safety))
struct RigLinkTests {
  /// Runs `count` tagged queries `spacingMilliseconds` apart; returns, per
  /// query, its reply or its fault.
  private func exchange(
    _ link: RigLink, count: Int, spacingMilliseconds: UInt32
  ) -> [Result<String, FaultKind>] {
    (0..<count).map { n in
      defer { usleep(spacingMilliseconds * 1_000) }
      do throws(FaultKind) { return .success(try link.query("Q\(n)?")) } catch {
        return .failure(error)
      }
    }
  }

  @Test("a prompt rig: every query gets its own answer")
  func promptRig() throws {
    let rig = try ScriptedRig { line in (0, "A\(tag(line))\n") }
    defer { rig.stop() }
    // A deadline no scheduling stall of a loaded test machine reaches: this
    // test is about pairing, not lateness (see `lateRig`).
    let link = RigLink(
      stream: try SerialPort(path: rig.pty.slavePath), replyTimeoutNanoseconds: 1_000_000_000)
    let results = exchange(link, count: 10, spacingMilliseconds: 5)
    #expect(results.map { try? $0.get() } == (0..<10).map { "A\($0)" })
  }

  @Test("a rig answering 100 ms late (deadline 40 ms): no reply is taken for the next query's")
  func lateRig() throws {
    let rig = try ScriptedRig { line in (100_000, "A\(tag(line))\n") }
    defer { rig.stop() }
    let link = RigLink(stream: try SerialPort(path: rig.pty.slavePath))
    let results = exchange(link, count: 8, spacingMilliseconds: 60)
    for (n, result) in results.enumerated() {
      if case .success(let reply) = result { #expect(reply == "A\(n)", "query \(n) got \(reply)") }
    }
    #expect(results.allSatisfy { (try? $0.get()) == nil }, "every reply misses its deadline")
    #expect(link.lateReplies > 0)
  }

  @Test(
    "an extra empty line after each reply is a stray line: that exchange fails, none is misread")
  func strayLines() throws {
    let rig = try ScriptedRig { line in (0, "A\(tag(line))\n\n") }
    defer { rig.stop() }
    // A deadline no scheduling stall of a loaded test machine reaches. With
    // the 40 ms default, a reply made late by the load and the stray line
    // behind it can pair the stray line with the next query (SCPI replies
    // carry no tag; see RigLink's documentation): stray lines and late
    // replies are tested apart.
    let link = RigLink(
      stream: try SerialPort(path: rig.pty.slavePath), replyTimeoutNanoseconds: 1_000_000_000)
    let results = exchange(link, count: 10, spacingMilliseconds: 20)
    for (n, result) in results.enumerated() {
      switch result {
      case .success(let reply): #expect(reply == "A\(n)", "query \(n) got \(reply)")
      case .failure(let fault): #expect(fault == .protocolError)
      }
    }
    #expect(link.strayLines >= 4)
    #expect(results.contains { (try? $0.get()) == nil })
  }

  /// A one-channel rig that passes the handshake and answers the fetch with
  /// `reply`; returns its power stage after one fetch.
  private func stageAfterOneFetch(answering reply: String) throws -> RigPowerStage {
    let rig = try ScriptedRig { line in
      switch line {
      case "*IDN?": (0, "devsim,rig,0,1\n")
      case "SYST:ERR?": (0, "0,\"No error\"\n")
      case _ where line.hasPrefix("MEAS:TEMP?"): (0, reply)
      default: (0, "")
      }
    }
    defer { rig.stop() }
    let link = RigLink(
      stream: try SerialPort(path: rig.pty.slavePath), replyTimeoutNanoseconds: 500_000_000)
    var applicator = try RigApplicator(link: link, sensorCount: 1, commandRange: .bipolar)
    var snapshot = SensorSnapshot(count: 1)
    applicator.readSensors(nowNanoseconds: 0, into: &snapshot)
    return applicator.powerStage
  }

  @Test(
    "a read-back the rig cannot give is a fault of the read-back, never a missing one",
    arguments: [("9.91E37", FaultKind.faultFlag), ("ERR", .protocolError), ("", .protocolError)])
  func readBackFaults(field: String, fault: FaultKind) throws {
    var stage = try stageAfterOneFetch(answering: "-12.0;\(field);1,1;0\n")
    #expect(throws: fault) { try stage.readBack(nowNanoseconds: 0) }
  }

  @Test("a failed fetch (a field short) leaves the read-back failed, not absent")
  func failedFetch() throws {
    var stage = try stageAfterOneFetch(answering: "-12.0;0.5\n")
    #expect(throws: FaultKind.protocolError) { try stage.readBack(nowNanoseconds: 0) }
  }
}
