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

/// Ticks a loop on a clock at a fixed period, to absolute deadlines: the
/// one loop driver of every run (simulated, rig, board, tuning, campaign).
///
/// Deadlines are `start + k·period`. A tick that wakes a whole period or
/// more late skips the missed periods and counts them, rather than bursting
/// catch-up ticks that would feed the controller wrong time steps (as
/// cyclictest does). Telemetry goes into a preallocated ring and is drained
/// to the sink between ticks, never inside one. Every wake-up's lateness
/// goes into a histogram and the tick's record; each overrun is reported to
/// the supervisor's overrun watchdog before that tick runs. A stop request
/// ends the run before another driven tick, and ``finish(_:sink:)`` puts
/// the stage in its safe state.
///
/// ``run(_:durationNanoseconds:observeAfterTripNanoseconds:resetsAt:sink:stop:)``
/// drives a whole treatment. A caller with its own experiment (tuning) or
/// its own watcher (a campaign) drives the same schedule one tick at a time:
/// ``begin()``, then ``step(_:untilNanoseconds:resetsAt:sink:stop:)`` until
/// it returns `nil` or the caller is done, then ``finish(_:sink:)``. A
/// replay, whose ticks are a recording's rows rather than the period's grid,
/// is driven by ``run(_:tickTimes:observeAfterTripNanoseconds:sink:stop:)``.
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
  /// Why the run ended: set when ``step(_:untilNanoseconds:resetsAt:sink:stop:)``
  /// returns `nil` (the duration elapsed, or a stop request), or by
  /// ``run(_:durationNanoseconds:observeAfterTripNanoseconds:resetsAt:sink:stop:)``.
  public private(set) var end: RunEnd? = nil
  /// Loop time of the last tick, ns since ``begin()``.
  public private(set) var nowNanoseconds: UInt64 = 0
  private var ring = TelemetryRing()
  private var startNanoseconds: UInt64 = 0
  private var k: UInt64 = 0
  private var nextReset = 0
  private var stopAfterTick = false

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
    begin()
    while step(
      &loop, untilNanoseconds: durationNanoseconds, resetsAt: resetsAt, sink: &sink, stop: stop)
      != nil
    {
      if let trip = loop.trip, nextReset == resetsAt.count,
        nowNanoseconds >= trip.detectedNanoseconds + observeAfterTripNanoseconds
      {
        end = .tripped
        break
      }
    }
    finish(&loop, sink: &sink)
    return end ?? .completed
  }

  /// Runs one tick at each of `tickTimes` (loop time, ns, ascending): until
  /// they run out, a trip plus `observeAfterTripNanoseconds`, or a stop
  /// request; then, as the treatment's run does, puts the stage in its safe
  /// state, records one last tick in the finished state, and drains the
  /// telemetry.
  ///
  /// A replay ticks at its recorded rows' times: a recording's rows need not
  /// lie on this runner's period grid (another tool's trace, a wall-clock
  /// run's jittered times), and a row between two grid points must be
  /// neither dropped nor counted as an overrun of this loop.
  public mutating func run<
    World: Applicator, Times: Sequence<UInt64>, Sink: TelemetrySink, Stop: StopRequest
  >(
    _ loop: inout ControlLoop<World>, tickTimes: Times, observeAfterTripNanoseconds: UInt64,
    sink: inout Sink, stop: Stop
  ) -> RunEnd {
    begin()
    for time in tickTimes {
      guard step(&loop, atNanoseconds: time, sink: &sink, stop: stop) != nil else { break }
      if let trip = loop.trip,
        nowNanoseconds >= trip.detectedNanoseconds + observeAfterTripNanoseconds
      {
        end = .tripped
        break
      }
    }
    finish(&loop, sink: &sink)
    return end ?? .completed
  }

  /// Starts the schedule: the first deadline is now.
  public mutating func begin() {
    startNanoseconds = clock.nowNanoseconds()
    k = 0
    end = nil
    stopAfterTick = false
  }

  /// Sleeps to the next deadline and runs one tick there; returns its
  /// record, or `nil` when the run is over: the next deadline lies past
  /// `untilNanoseconds` (``end`` is `.completed`) or a stop was requested,
  /// during the sleep or the tick before (``end`` is `.stopped`). After
  /// `nil`, call ``finish(_:sink:)``.
  ///
  /// - Parameter resetsAt: loop times at which an operator presses reset,
  ///   ascending; the same array on every call.
  public mutating func step<World: Applicator, Sink: TelemetrySink, Stop: StopRequest>(
    _ loop: inout ControlLoop<World>, untilNanoseconds: UInt64, resetsAt: [UInt64] = [],
    sink: inout Sink, stop: Stop
  ) -> TelemetryRecord? {
    tick(
      &loop, deadline: startNanoseconds + k * periodNanoseconds, untilNanoseconds: untilNanoseconds,
      resetsAt: resetsAt, sink: &sink, stop: stop)
  }

  /// Sleeps to `nowNanoseconds` of loop time (a recorded row's time, at or
  /// after the last tick's) and runs one tick there, off the period's grid;
  /// returns its record, or `nil` when a stop was requested (``end`` is
  /// `.stopped`). After `nil`, call ``finish(_:sink:)``.
  public mutating func step<World: Applicator, Sink: TelemetrySink, Stop: StopRequest>(
    _ loop: inout ControlLoop<World>, atNanoseconds nowNanoseconds: UInt64, sink: inout Sink,
    stop: Stop
  ) -> TelemetryRecord? {
    let (deadline, overflow) = startNanoseconds.addingReportingOverflow(nowNanoseconds)
    return tick(
      &loop, deadline: overflow ? .max : deadline, untilNanoseconds: .max, resetsAt: [],
      sink: &sink, stop: stop)
  }

  /// One tick at `deadline` (clock time): the body of both steps.
  private mutating func tick<World: Applicator, Sink: TelemetrySink, Stop: StopRequest>(
    _ loop: inout ControlLoop<World>, deadline: UInt64, untilNanoseconds: UInt64,
    resetsAt: [UInt64], sink: inout Sink, stop: Stop
  ) -> TelemetryRecord? {
    guard end == nil else { return nil }
    if stopAfterTick {
      end = .stopped
      return nil
    }
    let woke = max(clock.sleep(untilNanoseconds: deadline), deadline)
    let late = woke - deadline
    lateness.record(late)
    let now = woke - startNanoseconds
    if now > untilNanoseconds {
      end = .completed
      return nil
    }
    // A stop that came during the sleep ends the run before another driven tick.
    if stop.isStopRequested() {
      end = .stopped
      return nil
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
    nowNanoseconds = now
    if ring.count >= TelemetryRing.capacity / 2 { ring.drain(into: &sink) }
    if stop.isStopRequested() { stopAfterTick = true }
    k += 1
    return record
  }

  /// Ends the run: puts the stage in its safe state, records one last tick
  /// in the finished state, and drains the telemetry.
  public mutating func finish<World: Applicator, Sink: TelemetrySink>(
    _ loop: inout ControlLoop<World>, sink: inout Sink
  ) {
    let finalNow = clock.nowNanoseconds() - startNanoseconds
    loop.finish(nowNanoseconds: finalNow)
    ring.push(loop.tick(nowNanoseconds: finalNow))
    ring.drain(into: &sink)
    if end == nil { end = .completed }
  }
}
