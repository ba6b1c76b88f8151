/// The closed set of device failures every backend maps its errors to.
///
/// Generic code (the supervisor, the loop runner) reacts to a `FaultKind`
/// without knowing which backend produced it, as embedded-hal's `ErrorKind`
/// does. A sysfs backend maps errno values, a serial backend maps protocol
/// and transport errors, the simulator maps its injected faults.
public enum FaultKind: UInt8, Error, Sendable, Equatable, CaseIterable {
  /// The device, file or channel does not exist (`ENOENT`, `ENODEV`).
  case notFound
  /// The process may not use the device (`EACCES`, `EPERM`).
  case permissionDenied
  /// The device is not ready yet; a later read may succeed (`EAGAIN`).
  case temporarilyUnavailable
  /// The channel exists but has no data (`ENODATA`, a disabled channel).
  case noData
  /// A low-level input/output error (`EIO`, `EREMOTEIO`).
  case io
  /// The device returned or refused a value it should not have (`EINVAL`, unparsable text).
  case invalidValue
  /// The device is held by another user (`EBUSY`, a failed lock).
  case busy
  /// The device did not answer within its deadline.
  case timedOut
  /// The device went away (hang-up, unplug, closed connection).
  case disconnected
  /// The device answered, but not in the expected protocol.
  case protocolError
  /// The device itself flagged the reading as untrustworthy (`tempN_fault`, a rig error bit).
  case faultFlag
  /// The value is outside what the device can represent or accept.
  case outOfRange
  /// The device's fail-safe lease lapsed (a rig that heard no power command
  /// for its lease turned its output off by itself): the output stays off,
  /// and this host never enables it again.
  case leaseExpired
}

extension FaultKind {
  /// A short, stable, lower-case name used in telemetry and reports.
  public var name: StaticString {
    switch self {
    case .notFound: "not-found"
    case .permissionDenied: "permission-denied"
    case .temporarilyUnavailable: "temporarily-unavailable"
    case .noData: "no-data"
    case .io: "io"
    case .invalidValue: "invalid-value"
    case .busy: "busy"
    case .timedOut: "timed-out"
    case .disconnected: "disconnected"
    case .protocolError: "protocol"
    case .faultFlag: "fault-flag"
    case .outOfRange: "out-of-range"
    case .leaseExpired: "lease-expired"
    }
  }
}
