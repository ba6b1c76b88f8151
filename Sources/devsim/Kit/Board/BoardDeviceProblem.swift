import ApplicatorLinux

/// Why one device of a board file cannot be used, with the board file's
/// place in the message. `board check` reports one per device and goes on;
/// a run stops at the first.
package struct BoardDeviceProblem: Error {
  /// The three ways a well-formed board file and a board disagree.
  package enum Kind: Sendable {
    /// The device is not there: no such chip, file, channel or line, or a
    /// link that leads nowhere (the board is not wired as described).
    case absent
    /// The device is there but failed (EIO, EACCES, held by a kernel driver).
    case failed
    /// The device is there but what it reports or is cannot be used: a
    /// value that is not a number, a path that is not a character device,
    /// two sensors on one file.
    case unusable
  }

  package var kind: Kind
  /// What is wrong, naming the board file's entry and the kernel path.
  package var message: String

  package init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  /// The problem of an open that failed at `place`.
  package init(_ error: BoardOpenError, at place: BoardPlace) {
    let kind: Kind = error.isAbsent ? .absent : error.isBadDescription ? .unusable : .failed
    self.init(kind, "\(place.description): \(error.message)")
  }

  /// The word `board check` shows for it.
  package var label: String {
    switch kind {
    case .absent: "MISSING"
    case .failed: "FAULT"
    case .unusable: "REFUSED"
    }
  }

  /// The error a run ends with: a device absent or failed is an I/O
  /// failure (74), like any device that cannot be opened; a device that
  /// reports something unusable is bad data (65).
  package var kitError: KitError {
    kind == .unusable ? .invalid(message) : .deviceFailure(message)
  }
}
