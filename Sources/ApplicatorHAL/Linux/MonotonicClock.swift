#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// The Linux monotonic clock, for loops that run against the wall clock.
  ///
  /// Sleeps to absolute deadlines with `clock_nanosleep(CLOCK_MONOTONIC,
  /// TIMER_ABSTIME)`, so lateness never accumulates, and retries on `EINTR`.
  /// A `speed` other than 1 paces a simulation at N× real time: loop time
  /// is wall time since creation multiplied by `speed`.
  public struct MonotonicClock: LoopClock {
    private let originNanoseconds: UInt64
    /// Loop seconds per wall second.
    public let speed: Double

    /// Creates a clock reading zero now.
    ///
    /// - Parameter speed: loop time per wall time; must be positive (1 is real time).
    public init(speed: Double = 1) {
      self.speed = speed > 0 && speed.isFinite ? speed : 1
      originNanoseconds = MonotonicClock.rawNanoseconds()
    }

    /// Nanoseconds of `CLOCK_MONOTONIC` since an arbitrary origin.
    public static func rawNanoseconds() -> UInt64 {
      var now = timespec()
      clock_gettime(CLOCK_MONOTONIC, &now)
      return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// Loop time since creation, ns.
    public mutating func nowNanoseconds() -> UInt64 {
      let wall = MonotonicClock.rawNanoseconds() &- originNanoseconds
      return speed == 1 ? wall : UInt64(Double(wall) * speed)
    }

    /// Sleeps until the loop time reaches the deadline.
    public mutating func sleep(untilNanoseconds deadlineNanoseconds: UInt64) -> UInt64 {
      let wallDeadline =
        originNanoseconds
        &+ (speed == 1 ? deadlineNanoseconds : UInt64(Double(deadlineNanoseconds) / speed))
      var target = timespec(
        tv_sec: Int(wallDeadline / 1_000_000_000), tv_nsec: Int(wallDeadline % 1_000_000_000))
      while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
      return nowNanoseconds()
    }
  }
#endif
