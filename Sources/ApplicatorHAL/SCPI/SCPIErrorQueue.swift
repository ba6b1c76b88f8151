/// The FIFO error queue read by SYSTem:ERRor?: capacity 16; when full, the newest entry is
/// replaced by −350 (SCPI-99).
///
/// Once the queue is full its last entry becomes ``SCPIError/queueOverflow`` and further
/// errors are discarded until the host reads some (each `pop` frees one place) or clears it
/// (`*CLS`).
///
/// ```swift
/// var queue = SCPIErrorQueue()
/// queue.push(.dataOutOfRange)
/// queue.pop()  // -222,"Data out of range"
/// queue.pop()  // 0,"No error"
/// ```
public struct SCPIErrorQueue: Sendable {
  /// The number of entries the queue holds.
  public static let capacity = 16
  /// The reply when the queue is empty.
  public static let noErrorReply = "0,\"No error\""

  private var entries: [SCPIError] = []

  /// Creates an empty queue.
  public init() {}

  /// Appends an error, or records the overflow when the queue is full.
  public mutating func push(_ error: SCPIError) {
    if entries.count < Self.capacity {
      entries.append(error)
    } else {
      entries[entries.count - 1] = .queueOverflow
    }
  }

  /// The oldest error's reply, or `0,"No error"` when empty.
  public mutating func pop() -> String {
    if entries.isEmpty { return Self.noErrorReply }
    return entries.removeFirst().reply
  }

  /// Removes every entry (`*CLS`).
  public mutating func clear() { entries.removeAll(keepingCapacity: true) }

  /// The number of errors waiting, at most ``capacity``.
  public var count: Int { entries.count }
}
