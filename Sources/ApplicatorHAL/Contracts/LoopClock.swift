/// The clock a loop runs on, in nanoseconds since an arbitrary origin.
///
/// A virtual clock steps instantly (simulation as fast as the CPU allows);
/// a monotonic clock sleeps to absolute deadlines. Time never goes backwards.
public protocol LoopClock {
  /// The current time in nanoseconds.
  mutating func nowNanoseconds() -> UInt64

  /// Waits until the clock reads at least `deadlineNanoseconds`.
  ///
  /// - Returns: the time after waking, which may be later than the deadline.
  mutating func sleep(untilNanoseconds deadlineNanoseconds: UInt64) -> UInt64
}
