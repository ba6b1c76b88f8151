import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// Whether this process holds a capability in its effective set (`/proc/self/status`).
private func hasCapability(_ bit: Int) -> Bool {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
    let mask = UInt64(line.split(separator: "\t").last ?? "", radix: 16)
  else { return false }
  return mask & (1 << UInt64(bit)) != 0
}

private let capSysNice = 23
private let capIPCLock = 14
private let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  .appendingPathComponent("devsim").path
/// A wall-clock run of the standard profile at 2,000× real time (about a second).
private let wallClockRun = [
  "run", "Profiles/cryolipolysis-35min.json", "--speed", "2000", "--rt-priority", "80",
  "--lock-memory",
]

@Suite("Real-time options (--rt-priority, --lock-memory) and signals")
struct RealTimeOptionsTests {
  @Test(
    "bad or misplaced options are usage errors",
    arguments: [
      ["--rt-priority", "80"], ["--lock-memory"], ["--speed", "10", "--rt-priority", "0"],
      ["--speed", "10", "--rt-priority", "100"], ["--speed", "10", "--rt-priority", "high"],
    ])
  func usage(extra: [String]) {
    let result = devsim(["run", "Profiles/cryolipolysis-35min.json"] + extra)
    #expect(result.code == ExitCode.usage.rawValue, "\(result.errors)")
    #expect(result.errors.contains("--rt-priority") || result.errors.contains("--lock-memory"))
  }

  @Test("the policy in effect is the one the summary reports", .tags(.io))
  func policyInEffect() throws {
    let result = try runProcess(binary, wallClockRun)
    let privileged = hasCapability(capSysNice)
    let locks = hasCapability(capIPCLock)
    #expect(
      result.output.contains(
        "control thread: \(privileged ? "SCHED_FIFO 80" : "SCHED_OTHER"), "
          + "memory \(locks ? "locked" : "not locked")"), "\(result.output)\(result.errors)")
    #expect(result.output.contains("timing lateness min"))
    #expect(result.errors.contains("SCHED_FIFO 80 refused") == !privileged)
  }

  @Test(
    "without CAP_SYS_NICE and CAP_IPC_LOCK the run falls back with a one-line note each",
    .tags(.io),
    .enabled(if: toolsRequired || setpriv != nil, "setpriv (util-linux) is not installed"))
  func fallsBackWithoutPrivilege() throws {
    let setpriv = try #require(setpriv, "setpriv (util-linux) is required")
    // Dropping the capabilities from the bounding set takes them from root too;
    // RLIMIT_RTPRIO 0 and an 8 MiB RLIMIT_MEMLOCK then refuse both requests.
    let result = try runProcess(
      setpriv,
      [
        "--bounding-set", "-sys_nice,-ipc_lock", "prlimit", "--rtprio=0", "--memlock=8388608",
        binary,
      ]
        + wallClockRun)
    // One note per refused request (the CPU idle request is root's alone
    // and may be granted or noted on its own).
    let notes = result.errors.split(separator: "\n").filter {
      $0.hasPrefix("note: ") && !$0.contains("CPU idle")
    }
    #expect(notes.count == 2, "\(result.errors)")
    #expect(notes.contains { $0.contains("SCHED_FIFO 80 refused (EPERM)") })
    #expect(notes.contains { $0.contains("mlockall failed") })
    #expect(result.output.contains("control thread: SCHED_OTHER, memory not locked"))
    #expect(result.output.contains("timing lateness min"), "the loop ran")
  }

  @Test(
    "SIGINT, SIGTERM, SIGHUP (a closed terminal or SSH session) or SIGQUIT stops a wall-clock run safely",
    .tags(.io), arguments: [SIGINT, SIGTERM, SIGHUP, SIGQUIT])
  func aSignalStopsAWallClockRun(_ signal: Int32) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["run", "Profiles/cryolipolysis-35min.json", "--speed", "realtime"]
    process.currentDirectoryURL = repositoryRoot
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    try process.run()
    Thread.sleep(forTimeInterval: 1)
    kill(process.processIdentifier, signal)
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationReason == .exit, "it was not killed by the signal")
    #expect(process.terminationStatus == 128 + signal)
    #expect(text.contains("stopped by a signal before the end"), "\(text)")
  }

  @Test("a closed output pipe loses the summary, not the process", .tags(.io))
  func closedOutputPipe() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["run", "Profiles/cryolipolysis-35min.json"]
    process.currentDirectoryURL = repositoryRoot
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    // Nobody will read: every write of the child meets EPIPE (SIGPIPE is ignored).
    try output.fileHandleForReading.close()
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationReason == .exit, "not killed by SIGPIPE, and no trap")
    #expect(process.terminationStatus == ExitCode.success.rawValue)
  }
}

/// `setpriv` from util-linux, which takes capabilities away from a child.
private let setpriv = installedTool(["/usr/bin/setpriv", "/bin/setpriv"])
