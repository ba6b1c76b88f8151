/// Counts loop overruns (wake-ups a whole period or more late) in a sliding
/// window and says when there were too many: a loop that keeps missing its
/// deadlines no longer controls what it thinks it controls, so the
/// supervisor trips (`SafetyCheck.loopOverrun`).
///
/// Fixed size: the times of the last ``capacity`` overruns are kept in a ring.
public struct OverrunWatchdog: Sendable {
  /// The most overruns a window may hold without a trip is `capacity - 1`.
  public static let capacity = 16
  /// Trips when more than this many overruns fall within the window.
  public let limit: Int
  /// The window, ns.
  public let windowNanoseconds: UInt64
  private var times: InlineArray<16, UInt64> = InlineArray(repeating: 0)
  private var stored = 0
  private var head = 0

  /// Creates a watchdog; `limit` is clamped to `0 ..< capacity`.
  public init(limit: Int, windowNanoseconds: UInt64) {
    self.limit = min(max(limit, 0), Self.capacity - 1)
    self.windowNanoseconds = windowNanoseconds
  }

  /// Notes an overrun at `nowNanoseconds` (non-decreasing) and returns how
  /// many overruns, this one included, lie within the window ending now.
  public mutating func noteOverrun(nowNanoseconds now: UInt64) -> Int {
    times[head] = now
    head = (head + 1) % Self.capacity
    stored = min(stored + 1, Self.capacity)
    return countWithinWindow(endingAt: now)
  }

  /// How many of the kept overruns lie within the window ending at `now`.
  public func countWithinWindow(endingAt now: UInt64) -> Int {
    var within = 0
    for offset in 0..<stored {
      let time = times[(head + Self.capacity - 1 - offset) % Self.capacity]
      if now - min(time, now) < windowNanoseconds { within += 1 }
    }
    return within
  }

  /// The time of the oldest kept overrun within the window ending at `now`.
  public func oldestWithinWindow(endingAt now: UInt64) -> UInt64? {
    var oldest: UInt64? = nil
    for offset in 0..<stored {
      let time = times[(head + Self.capacity - 1 - offset) % Self.capacity]
      if now - min(time, now) < windowNanoseconds { oldest = time }
    }
    return oldest
  }

  /// Forgets every overrun (an operator reset).
  public mutating func clear() {
    stored = 0
    head = 0
  }
}
