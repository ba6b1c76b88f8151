import ApplicatorHAL

/// A clock that jumps to each deadline at once: simulation as fast as the CPU allows.
public struct VirtualClock: LoopClock, Sendable {
  private var now: UInt64

  /// Creates a clock reading `startNanoseconds`.
  public init(startNanoseconds: UInt64 = 0) { now = startNanoseconds }

  /// The current virtual time.
  public mutating func nowNanoseconds() -> UInt64 { now }

  /// Jumps to the deadline (never backwards).
  public mutating func sleep(untilNanoseconds deadlineNanoseconds: UInt64) -> UInt64 {
    now = max(now, deadlineNanoseconds)
    return now
  }
}
