import ApplicatorHAL

/// The supervisor's state in a telemetry record.
public enum LoopState: UInt8, Sendable, Equatable {
  /// Controlling.
  case running
  /// Output off for lack of fresh data, not latched.
  case holding
  /// Latched trip: safe state.
  case tripped
  /// The treatment ended: safe state.
  case finished
}

/// Status of one sensor slot in a telemetry record.
public enum SampleStatus: Sendable, Equatable {
  /// A new conversion.
  case new
  /// The device repeated its last sample.
  case repeated
  /// The read failed.
  case failed(FaultKind)
  /// No sensor in this slot.
  case absent

  init(_ reading: SensorReading) {
    switch reading {
    case .sample(let s): self = s.isNew ? .new : .repeated
    case .fault(let kind): self = .failed(kind)
    case .absent: self = .absent
    }
  }
}

/// One tick of telemetry: fixed size, written into a preallocated ring.
public struct TelemetryRecord: Sendable {
  /// Time since the run start, ns.
  public var timeNanoseconds: UInt64 = 0
  /// The running phase's slot.
  public var phaseIndex: Int = 0
  /// The phase's (clamped) setpoint, °C.
  public var targetCelsius: Double = 0
  /// The controller's working setpoint after the ramp limit, °C.
  public var workingSetpointCelsius: Double = 0
  /// Readings per sensor slot, °C (NaN where the read failed).
  public var celsius: InlineArray<8, Double> = InlineArray(repeating: .nan)
  /// Status per sensor slot.
  public var status: InlineArray<8, SampleStatus> = InlineArray(repeating: .absent)
  /// How many sensor slots are in use.
  public var sensorCount: Int = 0
  /// What the controller asked for.
  public var controllerCommand: Double = 0
  /// What was written to the power stage after the supervisor.
  public var sentCommand: Double = 0
  /// Whether the stage's enable was closed after this tick.
  public var enabled: Bool = false
  /// The stage's read-back (delivered output), NaN when it has none.
  public var readBack: Double = .nan
  /// The interlocks as read this tick.
  public var interlocks: Interlocks = .allMade
  /// The loop state after this tick.
  public var state: LoopState = .running
  /// The check of the latched trip, if any.
  public var trippedCheck: SafetyCheck? = nil
  /// How late the loop woke for this tick, ns (0 under a virtual clock).
  public var latenessNanoseconds: UInt64 = 0
  /// Periods skipped just before this tick because the wake-up came a whole
  /// period or more late (0 on time).
  public var skippedPeriods: UInt32 = 0
  /// The dose so far at the dose sensor, minutes: CEM43 for laser lipolysis,
  /// minutes at or below +10 °C for cryolipolysis (``TreatmentMetrics``).
  public var doseMinutes: Double = 0

  /// An empty record.
  public init() {}
}

/// Receives telemetry records drained from the ring, outside the tick.
public protocol TelemetrySink {
  /// Takes one record, in tick order.
  mutating func consume(_ record: TelemetryRecord)
}

/// A sink that keeps nothing: for benchmarks and allocation checks.
public struct DiscardingSink: TelemetrySink {
  /// Records seen.
  public private(set) var count = 0
  /// Creates the sink.
  public init() {}
  /// Counts the record and drops it.
  public mutating func consume(_ record: TelemetryRecord) { count += 1 }
}

/// A fixed-capacity ring of telemetry records, filled by the tick and
/// drained to a sink by the runner.
public struct TelemetryRing: Sendable {
  /// Capacity in records.
  public static let capacity = 128
  private var records: InlineArray<128, TelemetryRecord>
  private var head = 0
  /// Records waiting to be drained.
  public private(set) var count = 0
  /// Records overwritten before they were drained (never, when the runner drains in time).
  public private(set) var dropped = 0

  /// Creates an empty ring.
  public init() { records = InlineArray(repeating: TelemetryRecord()) }

  /// Adds a record; when full, the oldest is overwritten and counted as dropped.
  public mutating func push(_ record: TelemetryRecord) {
    let tail = (head + count) % TelemetryRing.capacity
    records[tail] = record
    if count == TelemetryRing.capacity {
      head = (head + 1) % TelemetryRing.capacity
      dropped += 1
    } else {
      count += 1
    }
  }

  /// Hands every waiting record to `sink`, oldest first.
  public mutating func drain<Sink: TelemetrySink>(into sink: inout Sink) {
    while count > 0 {
      sink.consume(records[head])
      head = (head + 1) % TelemetryRing.capacity
      count -= 1
    }
  }
}
