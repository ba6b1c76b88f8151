// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "devsim",
  products: [
    .executable(name: "devsim", targets: ["devsim"]),
    .library(name: "ThermalLoop", targets: ["ThermalLoop"]),
    .library(name: "ApplicatorHAL", targets: ["ApplicatorHAL"]),
  ],
  targets: [
    .target(
      name: "ApplicatorHAL",
      swiftSettings: [.enableExperimentalFeature("Extern")]
    ),
    .target(
      name: "ThermalLoop",
      dependencies: ["ApplicatorHAL"],
      swiftSettings: [.enableExperimentalFeature("Extern")]
    ),
    .executableTarget(
      name: "devsim",
      dependencies: ["ThermalLoop", "ApplicatorHAL"]
    ),
    .testTarget(name: "ApplicatorHALTests", dependencies: ["ApplicatorHAL"]),
    .testTarget(name: "ThermalLoopTests", dependencies: ["ThermalLoop", "ApplicatorHAL"]),
    .testTarget(name: "DevsimTests", dependencies: ["devsim", "ThermalLoop", "ApplicatorHAL"]),
  ],
  swiftLanguageModes: [.v6]
)
