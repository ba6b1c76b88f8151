// swift-tools-version: 6.2
import PackageDescription

/// Optimised in every configuration: the test suite runs hundreds of
/// full-length treatments, and unoptimised `InlineArray` code is about a
/// hundred times slower (the loop is generic, so it is specialised in the
/// tool's module, which is optimised too).
///
/// Cross-module optimisation serialises the core's bodies so that the tool
/// can specialise `ControlLoop<World>` for its applicator and inline across
/// modules; without it the tick ran unspecialised, every applicator call
/// through a witness table with run-time metadata look-ups
/// (`devsim bench tick`).
let optimisedCore: [SwiftSetting] = [
  .unsafeFlags(["-O"], .when(configuration: .debug)),
  .unsafeFlags(["-cross-module-optimization"]),
]

/// The target graph is the architecture (README, "Architecture"): the core
/// (`ThermalLoop`) sees the HAL contracts alone, so importing a backend into
/// it fails to build; the executable is only the command layer.
let package = Package(
  name: "devsim",
  products: [
    .executable(name: "devsim", targets: ["devsim"]),
    .library(name: "ThermalLoop", targets: ["ThermalLoop"]),
    .library(name: "ApplicatorHAL", targets: ["ApplicatorHAL"]),
  ],
  targets: [
    // HAL contracts and the shared numerics: embedded-clean.
    .target(
      name: "ApplicatorHAL", path: "Sources/ApplicatorHAL/Contracts",
      swiftSettings: optimisedCore),
    // The simulated applicator (tissue, TEC, laser, sensors): embedded-clean.
    .target(
      name: "ApplicatorSimulation", dependencies: ["ApplicatorHAL"],
      path: "Sources/ApplicatorHAL/Simulated", swiftSettings: optimisedCore),
    // The SCPI protocol: parser, formatter, error queue. Platform-free.
    .target(name: "SCPI", path: "Sources/ApplicatorHAL/SCPI", swiftSettings: optimisedCore),
    // Frame codecs of off-the-shelf instruments (MeCom, Modbus RTU, the Arroyo/ILX text
    // set): CRCs, encoders, strict decoders with typed faults. Platform-free.
    .target(
      name: "InstrumentProtocols", dependencies: ["SCPI"],
      path: "Sources/ApplicatorHAL/Instruments",
      swiftSettings: optimisedCore),
    // Linux backends: sysfs, GPIO, watchdog, serial, TCP, clock, RT thread.
    .target(
      name: "ApplicatorLinux", dependencies: ["ApplicatorHAL", "SCPI", "InstrumentProtocols"],
      path: "Sources/ApplicatorHAL/Linux", swiftSettings: optimisedCore),
    // The control core: embedded-clean, contracts only.
    .target(name: "ThermalLoop", dependencies: ["ApplicatorHAL"], swiftSettings: optimisedCore),
    // Profiles, scenarios, runs, suites, campaigns, reports, plots, tuning,
    // the rig emulator and board files.
    .target(
      name: "DevsimKit",
      dependencies: [
        "ThermalLoop", "ApplicatorHAL", "ApplicatorSimulation", "SCPI", "ApplicatorLinux",
        "InstrumentProtocols",
      ],
      path: "Sources/devsim/Kit", swiftSettings: optimisedCore),
    // The command layer.
    .executableTarget(
      name: "devsim",
      dependencies: [
        "DevsimKit", "ThermalLoop", "ApplicatorHAL", "ApplicatorSimulation", "ApplicatorLinux",
        "InstrumentProtocols",
      ],
      path: "Sources/devsim/CLI", swiftSettings: optimisedCore),
    // What the three test targets share: tags, conformance checkers, tool look-ups.
    .target(name: "TestSupport", dependencies: ["ApplicatorHAL"], path: "Tests/Support"),
    .testTarget(
      name: "ApplicatorHALTests",
      dependencies: [
        "ApplicatorHAL", "ApplicatorSimulation", "SCPI", "InstrumentProtocols", "ApplicatorLinux",
        "TestSupport",
      ]),
    .testTarget(
      name: "ThermalLoopTests",
      dependencies: ["ThermalLoop", "ApplicatorHAL", "ApplicatorSimulation", "TestSupport"]),
    .testTarget(
      name: "DevsimTests",
      dependencies: [
        "devsim", "DevsimKit", "ThermalLoop", "ApplicatorHAL", "ApplicatorSimulation", "SCPI",
        "ApplicatorLinux", "InstrumentProtocols", "TestSupport",
      ]),
  ],
  swiftLanguageModes: [.v6]
)
