// swift-tools-version: 6.2
import PackageDescription

/// Optimised in every configuration: the test suite runs hundreds of
/// full-length treatments, and unoptimised `InlineArray` code is about a
/// hundred times slower (the loop is generic, so it is specialised in the
/// tool's module, which is optimised too).
let optimisedCore: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

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
