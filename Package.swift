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

let package = Package(
  name: "devsim",
  products: [
    .executable(name: "devsim", targets: ["devsim"]),
    .library(name: "ThermalLoop", targets: ["ThermalLoop"]),
    .library(name: "ApplicatorHAL", targets: ["ApplicatorHAL"]),
  ],
  targets: [
    .target(name: "ApplicatorHAL", swiftSettings: optimisedCore),
    .target(name: "ThermalLoop", dependencies: ["ApplicatorHAL"], swiftSettings: optimisedCore),
    .executableTarget(
      name: "devsim", dependencies: ["ThermalLoop", "ApplicatorHAL"], swiftSettings: optimisedCore),
    .testTarget(name: "ApplicatorHALTests", dependencies: ["ApplicatorHAL"]),
    .testTarget(name: "ThermalLoopTests", dependencies: ["ThermalLoop", "ApplicatorHAL"]),
    .testTarget(name: "DevsimTests", dependencies: ["devsim", "ThermalLoop", "ApplicatorHAL"]),
  ],
  swiftLanguageModes: [.v6]
)
