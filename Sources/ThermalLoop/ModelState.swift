import ApplicatorHAL

/// The state of a ``PlantModel`` driven by a command, advanced exactly for
/// a piecewise-constant (zero-order-hold) input: y ← u∞ + (y − u∞)·e^(−Δt/τ),
/// u∞ = the steady temperature of the command applied θ earlier.
///
/// The dead time is a FIFO of (time, command) entries of fixed capacity; when
/// θ spans more ticks than the FIFO holds, entries are kept at every
/// θ/``capacity`` (the delayed command is then late by at most that spacing).
/// Nothing allocates.
public struct ModelState: Sendable {
  /// How many commands the dead-time FIFO holds.
  public static let capacity = 256
  /// The model.
  public let model: PlantModel
  /// The modelled temperature, °C.
  public private(set) var celsius: Double
  private var times: InlineArray<256, UInt64>
  private var commands: InlineArray<256, Double>
  private var head = 0
  private var count = 0
  private var delayedCommand: Double
  private var lastNanoseconds: UInt64
  private let deadTimeNanoseconds: UInt64
  private let spacingNanoseconds: UInt64
  private var cachedStepNanoseconds: UInt64 = 0
  private var cachedDecay = 1.0

  /// Starts at `celsius` with `command` applied for all of the past.
  public init(model: PlantModel, celsius: Double, command: Double, nowNanoseconds: UInt64) {
    self.model = model
    self.celsius = celsius
    times = InlineArray(repeating: 0)
    commands = InlineArray(repeating: 0)
    delayedCommand = command
    lastNanoseconds = nowNanoseconds
    let dead = model.deadTimeSeconds * 1e9
    deadTimeNanoseconds = dead > 0 && dead < 1e18 ? UInt64(dead) : 0
    spacingNanoseconds = deadTimeNanoseconds / UInt64(ModelState.capacity)
  }

  /// Restarts at `celsius` with `command` applied for all of the past.
  public mutating func reset(celsius: Double, command: Double, nowNanoseconds: UInt64) {
    self.celsius = celsius
    delayedCommand = command
    lastNanoseconds = nowNanoseconds
    head = 0
    count = 0
  }

  /// Sets the modelled temperature, keeping the commands in the dead time.
  public mutating func anchor(celsius: Double) { self.celsius = celsius }

  /// Advances to `nowNanoseconds` under the commands applied so far; returns the temperature.
  @discardableResult
  public mutating func advance(toNanoseconds now: UInt64) -> Double {
    guard now > lastNanoseconds else { return celsius }
    var time = lastNanoseconds
    // Integrate segment by segment: the delayed command changes when an
    // entry's time plus θ passes.
    while count > 0 {
      let effective = times[head] &+ deadTimeNanoseconds
      guard effective <= now else { break }
      if effective > time {
        relax(over: effective - time)
        time = effective
      }
      delayedCommand = commands[head]
      head = (head + 1) % ModelState.capacity
      count -= 1
    }
    relax(over: now - time)
    lastNanoseconds = now
    return celsius
  }

  /// Applies `command` from `nowNanoseconds` on (after ``advance(toNanoseconds:)`` to the same time).
  public mutating func apply(command: Double, nowNanoseconds now: UInt64) {
    guard deadTimeNanoseconds > 0 else {
      delayedCommand = command
      return
    }
    let newest = (head + count + ModelState.capacity - 1) % ModelState.capacity
    guard (count > 0 ? commands[newest] : delayedCommand) != command else { return }
    // Closer to the newest entry than the FIFO's spacing, or the FIFO full:
    // the newest entry takes the new command.
    if count > 0
      && (now - min(times[newest], now) < spacingNanoseconds || count == ModelState.capacity)
    {
      commands[newest] = command
      return
    }
    let slot = (head + count) % ModelState.capacity
    times[slot] = now
    commands[slot] = command
    count += 1
  }

  private mutating func relax(over nanoseconds: UInt64) {
    guard nanoseconds > 0 else { return }
    if nanoseconds != cachedStepNanoseconds {
      cachedStepNanoseconds = nanoseconds
      cachedDecay = Elementary.exp(-Double(nanoseconds) * 1e-9 / model.timeConstantSeconds)
    }
    let target = model.steadyCelsius(command: delayedCommand)
    celsius = target + (celsius - target) * cachedDecay
  }
}
