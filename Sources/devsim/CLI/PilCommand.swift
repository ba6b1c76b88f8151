import DevsimKit
import Foundation

/// `devsim pil`: a profile closed loop with the control core as a Cortex-M4
/// firmware image under QEMU (processor in the loop).
enum PilCommand: DevsimCommand {
  static let image = Option(
    "--image", value: "file.elf",
    help: [
      "Run this firmware image (built by scripts/firmware-build.sh loop",
      "PROFILE). Default: build the profile's image (its configuration",
      "compiled in by 'devsim codegen'; rebuilt only when a source changed),",
      "which needs the repository and .build-firmware/libgcc/libgcc.a.",
    ], convert: OptionValue.text)
  static let seed = CommonOptions.seed.help(
    "The simulator's noise seed (default: the profile's \"seed\").")
  static let out = CommonOptions.out.help(
    "Write telemetry to <file> (as 'devsim run' does), whole or not at all.")

  static let spec = CommandSpec(
    name: "pil",
    abstract: "Run a profile with the control core as firmware under QEMU (processor in the loop).",
    discussion: """
      Each tick the simulated plant's readings, interlocks and read-back go to
      the image over its UART in one CRC-checked frame; its answer (command,
      enable, state, trip) drives the plant's power stage. Results do not
      depend on QEMU's speed: the same profile and seed give the same bytes,
      and, on the soft-float image, the same telemetry as 'devsim run'. The
      host build runs alongside for what the link does not carry (the trip's
      measurement, the metrics); a tick where its decision differs from the
      firmware's fails the run.
      """,
    arguments: [ArgumentSpec(name: "profile", help: ["The profile (JSON) to run."])],
    options: [
      seed.spec, out.spec, CommonOptions.format.spec, image.spec, RunCommand.json.spec,
      CommonOptions.quiet.spec,
    ],
    exitCodes: [
      (.success, "passed, the firmware's decisions equal to the host build's"),
      (
        .checkFailed,
        "an expectation failed, an unexpected trip, or the firmware differed from the host build"
      ),
      (.usage, nil),
      (
        .dataError, "bad profile, or one with a replay or operator resets (not carried by the link)"
      ),
      (.noInput, nil),
      (
        .ioError,
        "qemu-system-arm missing, the image could not be built or started, the link failed, an output not written"
      ),
    ])

  static func run(_ parsed: ParsedArguments, console: Console) throws -> ExitCode {
    let out = try out.value(parsed)
    let output = RunOutput(
      telemetry: out, format: try CommonOptions.telemetryFormat(parsed, out: out), plot: nil,
      quiet: CommonOptions.quiet.isSet(parsed), json: try RunCommand.json.value(parsed))
    let profilePath = parsed.positionals[0]
    let given = try image.value(parsed)
    try OutputPaths.requireDistinct(
      outputs: [("--out", output.telemetry), ("--json", output.json)],
      inputs: [("<profile>", profilePath), ("--image", given)])
    guard let qemu = FirmwareImage.qemu() else {
      throw SystemError(
        "qemu-system-arm is not on the PATH: install it (apt-get install qemu-system-arm)")
    }
    let loaded = try ProfileLoader.load(profilePath)
    try FirmwareRun.requireSupported(loaded.profile)
    let imagePath: String
    if let given {
      guard let handle = FileHandle(forReadingAtPath: given) else {
        throw InputFileError(path: given, reason: "does not exist or cannot be read")
      }
      let magic = (try? handle.read(upToCount: 4)) ?? Data()
      try? handle.close()
      guard magic == Data([0x7F, 0x45, 0x4C, 0x46]) else {
        throw DataError(
          "\(given): not an ELF image (build one with scripts/firmware-build.sh loop PROFILE)")
      }
      imagePath = given
    } else {
      imagePath = try FirmwareImage.build(
        profilePath: URL(fileURLWithPath: profilePath).path, repository: repositoryRoot(),
        devsim: executablePath()
      ) { _ in }
    }
    let seed = try seed.value(parsed) ?? loaded.profile.seed
    var figures: FirmwareFigures? = nil
    let code = try RunCommand.report(loaded, seed: seed, output: output, console: console) {
      sink throws(KitError) in
      let link = try FirmwareLink(image: imagePath, qemu: qemu)
      let (outcome, measured) = try FirmwareRun.run(
        loaded.profile, seed: seed, link: link, sink: &sink)
      figures = measured
      return outcome
    }
    guard let figures else { return code }
    if !output.quiet { console.write(summaryLine(figures, image: imagePath)) }
    if let divergence = figures.divergence {
      console.writeError("Error: the firmware differs from the host build \(divergence)\n")
      return .checkFailed
    }
    return code
  }

  /// The firmware's figures, one line.
  static func summaryLine(_ figures: FirmwareFigures, image: String) -> String {
    let costs = figures.tickCosts.sorted()
    let median = costs.isEmpty ? 0 : UInt64(costs[costs.count / 2]) * 40
    let maximum = UInt64(costs.last ?? 0) * 40
    return
      "firmware  \(image): \(figures.ticks) ticks in the loop, identical to the host build: \(figures.divergence == nil ? "yes" : "NO"); instructions per tick median \(median), max \(maximum) (SysTick x 40); stack high-water \(figures.stackHighWaterBytes) B; \(DecimalText.string(figures.wallSeconds, decimals: 1)) s wall\n"
  }

  /// The repository holding scripts/firmware-build.sh: the current
  /// directory, else the one this executable was built in (.build/<config>/devsim).
  private static func repositoryRoot() -> String {
    let current = FileManager.default.currentDirectoryPath
    if FileManager.default.fileExists(atPath: current + "/scripts/firmware-build.sh") {
      return current
    }
    return URL(fileURLWithPath: executablePath()).resolvingSymlinksInPath()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().path
  }

  /// This executable's path.
  private static func executablePath() -> String {
    Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? CommandLine.arguments[0]
  }
}
