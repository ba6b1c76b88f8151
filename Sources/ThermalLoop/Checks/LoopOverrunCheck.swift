import ApplicatorHAL

/// Loop overrun watchdog: more overruns (wake-ups a whole period or more
/// late) than the limit within the window trips, and so does one wake-up
/// as late as the stall limit. Checked only in a tick that noted an
/// overrun, before any sensor: the count is the filter.
///
/// Measurement: the overruns within the window against the limit, or a
/// stall's lateness, s, against the stall limit.
struct LoopOverrunCheck: SafetyComponent {
  /// A single wake-up this late trips at once, ns.
  let stallNanoseconds: UInt64
  private var overruns: OverrunWatchdog
  private var noted = false
  private var worstStallNanoseconds: UInt64 = 0

  /// Takes the thresholds of `configuration`.
  init(_ configuration: SafetyConfiguration) {
    stallNanoseconds = configuration.overrunStallNanoseconds
    overruns = OverrunWatchdog(
      limit: configuration.overrunLimit, windowNanoseconds: configuration.overrunWindowNanoseconds)
  }

  /// Notes a wake-up a whole period or more late, `latenessNanoseconds` late.
  mutating func note(nowNanoseconds: UInt64, latenessNanoseconds: UInt64) {
    _ = overruns.noteOverrun(nowNanoseconds: nowNanoseconds)
    noted = true
    worstStallNanoseconds = max(worstStallNanoseconds, latenessNanoseconds)
  }

  @inline(__always)
  mutating func beforeSensors(_ tick: inout SafetyTick) -> TripRecord? {
    guard noted else { return nil }
    let now = tick.nowNanoseconds
    noted = false
    let stall = worstStallNanoseconds
    worstStallNanoseconds = 0
    if stall >= stallNanoseconds {
      // The loop could not see anything while it stalled: detection is now.
      return TripRecord(
        check: .loopOverrun, subject: .none,
        measurement: .seconds(
          .lateness, seconds: asSeconds(stall), limitSeconds: asSeconds(stallNanoseconds)),
        conditionSinceNanoseconds: now, detectedNanoseconds: now)
    }
    let within = overruns.countWithinWindow(endingAt: now)
    guard within > overruns.limit else { return nil }
    return TripRecord(
      check: .loopOverrun, subject: .none,
      measurement: .overruns(
        count: within, limit: overruns.limit, spanSeconds: asSeconds(overruns.windowNanoseconds)),
      conditionSinceNanoseconds: overruns.oldestWithinWindow(endingAt: now) ?? now,
      detectedNanoseconds: now)
  }

  mutating func reset(nowNanoseconds: UInt64) {
    overruns.clear()
    noted = false
    worstStallNanoseconds = 0
  }

  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    trip.check == .loopOverrun ? 0 : nil
  }
}
