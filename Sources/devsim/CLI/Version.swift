/// devsim's version, written into every telemetry file and report.
enum Version {
  static let string = "0.1.0"
}
