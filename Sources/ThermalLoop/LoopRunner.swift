import ApplicatorHAL

/// Asks a running loop to stop (a signal, an operator): checked once per tick.
public protocol StopRequest {
  /// Whether the loop should stop now.
  func isStopRequested() -> Bool
}

/// A stop request that never comes.
public struct NeverStop: StopRequest {
  /// Creates it.
  public init() {}
  /// Always `false`.
  public func isStopRequested() -> Bool { false }
}

/// Why a run ended.
public enum RunEnd: UInt8, Sendable, Equatable {
  /// The planned duration elapsed.
  case completed
  /// A trip latched and the observation time after it elapsed.
  case tripped
  /// A stop was requested (SIGINT, SIGTERM).
  case stopped
}

/// Ticks a loop on a clock at a fixed period, to absolute deadlines.
///
/// Deadlines are `start + k·period`. A tick that wakes a whole period or
/// more late skips the missed periods and counts them, rather than bursting
/// catch-up ticks that would feed the controller wrong time steps (as
/// cyclictest does). Telemetry goes into a preallocated ring and is drained
/// to the sink between ticks, never inside one. Every wake-up's lateness
/// goes into a histogram and the tick's record; each overrun is reported to
/// the supervisor's overrun watchdog before that tick runs.
public struct LoopRunner<Clock: LoopClock> {
  /// The clock.
  public var clock: Clock
  /// The tick period, ns.
  public let periodNanoseconds: UInt64
  /// Ticks run.
  public private(set) var ticks: UInt64 = 0
  /// Wake-ups that came a whole period or more late.
  public private(set) var overruns: UInt64 = 0
  /// Periods skipped after overruns.
  public private(set) var skippedPeriods: UInt64 = 0
  /// The lateness of every wake-up, ns.
  public private(set) var lateness = LatenessHistogram()
  /// The largest wake-up lateness seen, ns.
  public var maximumLatenessNanoseconds: UInt64 { lateness.maximumNanoseconds }
  private var ring = TelemetryRing()

  /// Creates a runner; a zero period is taken as 1 ns.
  public init(clock: Clock, periodNanoseconds: UInt64) {
    self.clock = clock
    self.periodNanoseconds = max(periodNanoseconds, 1)
  }

  /// Operator resets attempted, in order: when, and whether the latch cleared.
  public private(set) var resetAttempts: InlineArray<4, (nanoseconds: UInt64, accepted: Bool)> =
    InlineArray(repeating: (0, false))
  /// How many resets were attempted (the first four are kept).
  public private(set) var resetCount = 0

  /// Runs until `durationNanoseconds` of loop time, a trip plus
  /// `observeAfterTripNanoseconds` (unless an operator reset is still to
  /// come), or a stop request; then puts the stage in its safe state,
  /// records one last tick in the finished state, and drains the telemetry.
  ///
  /// - Parameter resetsAt: loop times at which an operator presses reset, ascending.
  public mutating func run<World: Applicator, Sink: TelemetrySink, Stop: StopRequest>(
    _ loop: inout ControlLoop<World>, durationNanoseconds: UInt64,
    observeAfterTripNanoseconds: UInt64, resetsAt: [UInt64] = [], sink: inout Sink, stop: Stop
  ) -> RunEnd {
    let start = clock.nowNanoseconds()
    var k: UInt64 = 0
    var end = RunEnd.completed
    var nextReset = 0
    while true {
      let deadline = start + k * periodNanoseconds
      let woke = max(clock.sleep(untilNanoseconds: deadline), deadline)
      let late = woke - deadline
      lateness.record(late)
      let now = woke - start
      if now > durationNanoseconds { break }
      // A stop that came during the sleep ends the run before another driven tick.
      if stop.isStopRequested() {
        end = .stopped
        break
      }
      if late >= periodNanoseconds {
        let missed = late / periodNanoseconds
        overruns += 1
        skippedPeriods += missed
        k += missed
        loop.noteOverrun(nowNanoseconds: now, latenessNanoseconds: late)
      }
      while nextReset < resetsAt.count && resetsAt[nextReset] <= now {
        let accepted = loop.reset(nowNanoseconds: now)
        if resetCount < 4 { resetAttempts[resetCount] = (now, accepted) }
        resetCount += 1
        nextReset += 1
      }
      var record = loop.tick(nowNanoseconds: now)
      record.latenessNanoseconds = late
      record.skippedPeriods = UInt32(truncatingIfNeeded: late / periodNanoseconds)
      ring.push(record)
      ticks += 1
      if ring.count >= TelemetryRing.capacity / 2 { ring.drain(into: &sink) }
      if let trip = loop.trip, nextReset == resetsAt.count,
        now >= trip.detectedNanoseconds + observeAfterTripNanoseconds
      {
        end = .tripped
        break
      }
      if stop.isStopRequested() {
        end = .stopped
        break
      }
      k += 1
    }
    // The safe end goes into the telemetry too: one last record in the finished state.
    let finalNow = clock.nowNanoseconds() - start
    loop.finish(nowNanoseconds: finalNow)
    ring.push(loop.tick(nowNanoseconds: finalNow))
    ring.drain(into: &sink)
    return end
  }
}
