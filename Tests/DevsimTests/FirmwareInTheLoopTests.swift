import Foundation
import TestSupport
import Testing

/// Whether `qemu-system-arm` is on the PATH.
private let qemu: String? = {
  let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
  return paths.map { "\($0)/qemu-system-arm" }.first {
    FileManager.default.isExecutableFile(atPath: $0)
  }
}()

/// The soft-float helpers the image links (`scripts/firmware-libgcc.sh`).
private let libgcc = repositoryRoot.appendingPathComponent(".build-firmware/libgcc/libgcc.a").path

/// Whether the firmware can be built and run here: QEMU and libgcc.a.
private let firmwareTools = qemu != nil && FileManager.default.fileExists(atPath: libgcc)

/// The control core as a Cortex-M4 image under QEMU (issue 17), through
/// `scripts/firmware-pil.sh`: its commands and trips equal the host build's
/// bit for bit, an image with a changed gain does not, and each link fault
/// (a corrupt frame, a lost frame, a silent host) leaves its power stage
/// safe. Skipped without QEMU and libgcc.a, unless `DEVSIM_REQUIRE_TOOLS=1`
/// (CI installs both), where that fails.
@Suite(.tags(.safety, .io), .serialized) struct FirmwareInTheLoopTests {
  /// Runs `scripts/firmware-pil.sh` with `arguments` and this build's devsim;
  /// returns its exit status and what it printed.
  private func pil(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let devsim = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("devsim").path
    try #require(FileManager.default.isExecutableFile(atPath: devsim))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments =
      [repositoryRoot.appendingPathComponent("scripts/firmware-pil.sh").path]
      + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(["DEVSIM": devsim]) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test(.enabled(if: firmwareTools || toolsRequired, "qemu-system-arm or libgcc.a is missing"))
  func theImageComputesTheHostBuildsCommandsAndGoesSafeOnEveryLinkFault() throws {
    try #require(qemu != nil, "qemu-system-arm is required (apt-get install qemu-system-arm)")
    try #require(
      FileManager.default.fileExists(atPath: libgcc), "run scripts/firmware-libgcc.sh first")
    let result = try pil(["Profiles/cryolipolysis-35min.json", "--ticks", "100", "--link-faults"])
    #expect(result.status == 0, "\(result.output)")
    #expect(
      result.output.contains("firmware == host build: 100 ticks, commands and trips identical"))
    // The comparison can fail: the changed-gain image differs.
    #expect(result.output.contains("the changed image differs from line"))
    // Each link fault: the named fault, command 0, enable open.
    for fault in ["corrupt-frame", "dropped-frame", "host-gone"] {
      #expect(
        result.output.contains("firmware answered \(fault), command 0.0, enable open: safe"),
        "\(fault)")
    }
  }
}
