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

  /// The devsim executable of this build (beside the test bundle).
  private var devsimExecutable: String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("devsim").path
  }

  /// Builds the image of `profile` (a path) with scripts/firmware-build.sh;
  /// returns the image's path.
  private func buildImage(_ profile: URL) throws -> String {
    let result = try runProcess(
      "/usr/bin/env",
      [
        "DEVSIM=\(devsimExecutable)", "bash", "scripts/firmware-build.sh", "loop", profile.path,
      ])
    try #require(result.status == 0, "\(result.output)\(result.errors)")
    return repositoryRoot.appendingPathComponent(
      ".build-firmware/\(profile.deletingPathExtension().lastPathComponent).elf"
    ).path
  }

  /// Writes `profile` (a shipped one) to `directory/name.json`, edited by `edit`.
  private func profileCopy(
    _ profile: String, as name: String, in directory: URL,
    edit: (inout [String: Any]) -> Void
  ) throws -> URL {
    let data = try Data(contentsOf: repositoryRoot.appendingPathComponent(profile))
    var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    edit(&json)
    let url = directory.appendingPathComponent("\(name).json")
    try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
      .write(to: url)
    return url
  }

  /// `devsim pil` closed loop: on a shortened standard cryolipolysis run
  /// (past the end of the controller's saturation at tick 739) and on a
  /// fault scenario that trips, its telemetry (commands, enables, states,
  /// trips, and the plant's readings they produced) equals `devsim run`'s
  /// byte for byte; an image whose proportional gain is 1 % higher drives
  /// the plant differently, and the run says so and fails.
  @Test(.enabled(if: firmwareTools || toolsRequired, "qemu-system-arm or libgcc.a is missing"))
  func closedLoopTelemetryEqualsTheSimulatedRunsAndAChangedGainIsCaught() throws {
    try #require(qemu != nil, "qemu-system-arm is required (apt-get install qemu-system-arm)")
    try #require(
      FileManager.default.fileExists(atPath: libgcc), "run scripts/firmware-libgcc.sh first")
    try #require(FileManager.default.isExecutableFile(atPath: devsimExecutable))
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let shorten: (inout [String: Any]) -> Void = { json in
      json["phases"] = [
        ["name": "cool-and-hold", "kind": "treatment", "setpoint": -12, "duration": "100s"],
        ["name": "rewarm", "kind": "transition", "setpoint": 5, "duration": "20s", "ramp": 0.5],
      ]
      json.removeValue(forKey: "expect")
    }
    let shortCryo = try profileCopy(
      "Profiles/cryolipolysis-35min.json", as: "pil-test-cryo-2min", in: directory, edit: shorten)
    let fault = try profileCopy(
      "Profiles/faults/cryo-tec-open-at-start.json", as: "pil-test-tec-open", in: directory
    ) { _ in }
    for (profile, expectedTrip) in [(shortCryo, "trips  none"), (fault, "trip   must-progress")] {
      let image = try buildImage(profile)
      let name = profile.deletingPathExtension().lastPathComponent
      let simulated = directory.appendingPathComponent("\(name)-run.csv").path
      let firmware = directory.appendingPathComponent("\(name)-pil.csv").path
      let run = devsim(["run", profile.path, "-o", simulated, "--quiet"])
      #expect(run.code == 0, "\(run.errors)")
      let pil = devsim(["pil", profile.path, "--image", image, "-o", firmware])
      #expect(pil.code == 0, "\(pil.output)\(pil.errors)")
      #expect(pil.output.contains("identical to the host build: yes"), "\(pil.output)")
      #expect(pil.output.contains(expectedTrip), "\(pil.output)")
      let simulatedBytes = try Data(contentsOf: URL(fileURLWithPath: simulated))
      let firmwareBytes = try Data(contentsOf: URL(fileURLWithPath: firmware))
      #expect(simulatedBytes.count > 10_000)
      #expect(firmwareBytes == simulatedBytes, "\(profile.lastPathComponent)")
    }
    // The control: the gain changed in the image only.
    let gain = try profileCopy(
      "Profiles/cryolipolysis-35min.json", as: "pil-test-cryo-2min-gain", in: directory
    ) { json in
      shorten(&json)
      var controller = json["controller"] as? [String: Any] ?? [:]
      controller["kp"] = (controller["kp"] as? Double ?? 0) * 1.01
      json["controller"] = controller
    }
    let changed = try buildImage(gain)
    let firmware = directory.appendingPathComponent("gain.csv").path
    let pil = devsim(["pil", shortCryo.path, "--image", changed, "-o", firmware, "--quiet"])
    #expect(pil.code == 1, "\(pil.output)\(pil.errors)")
    #expect(pil.errors.contains("the firmware differs from the host build at "), "\(pil.errors)")
    let simulated = try Data(
      contentsOf: directory.appendingPathComponent("pil-test-cryo-2min-run.csv"))
    #expect(try Data(contentsOf: URL(fileURLWithPath: firmware)) != simulated)
  }
}
