/// devsim's version, written into every telemetry file and report.
package enum Version {
  package static let string = "0.1.0"
}
