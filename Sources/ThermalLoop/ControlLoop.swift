import ApplicatorHAL

/// One applicator's control loop: controller, supervisor and treatment,
/// ticked once per period. Generic over the world it runs against.
///
/// A tick: advance the applicator, read every sensor once, let the
/// supervisor decide, let the controller compute, let the supervisor have
/// the last word, write the power stage, fold the metrics, return one
/// fixed-size record. A trip reaches the power stage's safe-off **in the
/// same tick** it is detected. Nothing in a tick allocates.
public struct ControlLoop<World: Applicator> {
  /// The applicator driven.
  public var applicator: World
  /// The controller.
  public private(set) var controller: PIDController
  /// The supervisor.
  public private(set) var supervisor: SafetySupervisor
  /// The treatment.
  public let plan: TreatmentPlan
  /// The running metrics.
  public private(set) var metrics: TreatmentMetrics
  /// The slot of the controlled sensor.
  public let controlIndex: Int
  /// `false` for an open-loop run (a fixed boundary drives the plant): the
  /// controller is not run and the power stage is held at zero.
  public let isClosedLoop: Bool
  /// The model-based controller's feedforward and prediction; `nil` for plain PID.
  ///
  /// With a model, the PID works to the model's nominal response with the
  /// model's feedforward added (see ``ModelFeedforward``), and the
  /// supervisor checks the measurement against the model's prediction from
  /// the applied commands (``SafetyCheck/modelMismatch``).
  public private(set) var modelControl: ModelControl?
  /// Whether a model is in use. Every test of `modelControl` goes through
  /// this flag first: comparing the optional with `nil`, or calling through
  /// it, copied all 4 KB of it on this toolchain, every tick, even when empty.
  private let usesModel: Bool
  /// A command that replaces the controller's while set (a tuning
  /// experiment: relay, step). The supervisor still has the last word; the
  /// PID follows it in manual, so clearing it resumes without a bump.
  public var commandOverride: Double? = nil
  private var snapshot: SensorSnapshot
  private var lastNanoseconds: UInt64? = nil
  private var lastCommand = 0.0
  private var lastPhase = -1
  /// The running phase as last looked up: its slot, when it began and
  /// ended (ns since the start; `UInt64.max` for the last phase, which runs
  /// on), the phase and its clamped setpoint. A tick inside that span reuses
  /// them instead of scanning the plan and clamping again (see ``tick(nowNanoseconds:)``).
  private var cachedPhase = (
    index: -1, startNanoseconds: UInt64(0), endNanoseconds: UInt64(0),
    phase: TreatmentPhase(kind: .transition, setpointCelsius: 0, durationNanoseconds: 0),
    targetCelsius: 0.0
  )
  private var lastPhaseKind = PhaseKind.transition
  private var enabled = false
  private var finished = false
  private var lastSafeOffFault: FaultKind? = nil
  /// Time spent in treatment phases, ns.
  public private(set) var treatmentElapsedNanoseconds: UInt64 = 0
  /// The first trips of the run in order (a reset lets a later one latch).
  public private(set) var tripLog: InlineArray<4, TripRecord>
  /// How many trips latched in the run (the log keeps the first four).
  public private(set) var tripCount = 0

  /// Assembles a loop. The power stage is put in its safe state at once.
  public init(
    applicator: World, controller: PIDController, supervisor: SafetySupervisor,
    plan: TreatmentPlan, controlIndex: Int, doseSensorIndex: Int, isClosedLoop: Bool = true,
    modelControl: ModelControl? = nil
  ) {
    self.isClosedLoop = isClosedLoop
    self.modelControl = modelControl
    usesModel = modelControl != nil
    self.applicator = applicator
    self.controller = controller
    self.supervisor = supervisor
    // One dose probe: the supervisor's accumulator counts at the loop's
    // dose sensor, for the dose cap and for telemetry alike.
    if supervisor.doseIndex != doseSensorIndex {
      self.supervisor.countDose(atSensor: doseSensorIndex)
    }
    self.plan = plan
    self.controlIndex = controlIndex
    metrics = TreatmentMetrics(doseSensorIndex: doseSensorIndex)
    snapshot = SensorSnapshot(count: applicator.sensorCount)
    tripLog = InlineArray(
      repeating: TripRecord(
        check: .actuatorFault, subject: .none, measurement: .none, conditionSinceNanoseconds: 0,
        detectedNanoseconds: 0))
    _ = self.applicator.powerStage.safeOff(nowNanoseconds: 0)
  }

  /// The latched trip, if any.
  public var trip: TripRecord? { supervisor.trip }

  /// Runs one tick at `nowNanoseconds` (time since the run start).
  ///
  /// Performance notes (`devsim bench tick`): once specialised for its
  /// applicator the loop is a large value, and on this toolchain a
  /// non-mutating method called from here copies its receiver (the plan,
  /// the 8 KB supervisor, or the whole loop for a method of the loop's own).
  /// So the loop's own helpers are `mutating`, and the running phase, its
  /// span and its clamped setpoint are looked up once per phase
  /// (``TreatmentPlan/phaseIndex(atElapsed:)`` gives the same slot for every
  /// time inside that span) rather than once per tick.
  public mutating func tick(nowNanoseconds now: UInt64) -> TelemetryRecord {
    let dt = lastNanoseconds.map { now - min($0, now) } ?? 0
    lastNanoseconds = now
    if lastPhaseKind == .treatment { treatmentElapsedNanoseconds += dt }
    if !(now >= cachedPhase.startNanoseconds && now < cachedPhase.endNanoseconds) {
      lookUpPhase(now)
    }
    let phaseIndex = cachedPhase.index
    let phaseStart = cachedPhase.startNanoseconds
    let phase = cachedPhase.phase
    if phaseIndex != lastPhase {
      lastPhase = phaseIndex
      // With a model, the ramp shapes the model's reference instead.
      controller.setpointRampCelsiusPerSecond =
        usesModel ? .infinity : phase.rampCelsiusPerSecond
    }
    lastPhaseKind = phase.kind

    applicator.advance(toNanoseconds: now)
    applicator.readSensors(nowNanoseconds: now, into: &snapshot)
    var interlocks = Interlocks.allOpen
    do { interlocks = try applicator.readInterlocks(nowNanoseconds: now) } catch {
      interlocks = .unreadable(error)
    }
    // Read-back once per tick, before supervision: the supervisor judges
    // this value and telemetry records it.
    var measured: Double? = nil
    var readBackFault: FaultKind? = nil
    do { measured = try applicator.powerStage.readBack(nowNanoseconds: now) } catch {
      readBackFault = error
      // A device whose fail-safe lease lapsed has turned its output off by
      // itself: a trip of its own, latched before the supervisor runs.
      if error == .leaseExpired && !finished {
        _ = supervisor.tripNow(.leaseLapsed, nowNanoseconds: now)
      }
    }

    let target = cachedPhase.targetCelsius
    let prediction = usesModel ? modelControl?.predictor.predict(nowNanoseconds: now) : nil
    let input = SupervisorInput(
      nowNanoseconds: now, phaseIndex: phaseIndex, phaseKind: phase.kind, targetCelsius: target,
      lastCommand: lastCommand, outputLimits: controller.limits,
      treatmentElapsedNanoseconds: treatmentElapsedNanoseconds, interlocks: interlocks,
      readBack: measured, readBackFault: readBackFault, modelPredictionCelsius: prediction)
    var verdict = finished ? .run : supervisor.evaluate(snapshot, input)
    let control = controlReading()
    if usesModel {
      if let control, case .run = verdict {
        modelControl?.predictor.observe(
          measurementCelsius: control, holding: supervisor.isArmed && phase.kind == .treatment,
          command: lastCommand, nowNanoseconds: now)
      } else {
        modelControl?.predictor.unlock()
      }
    }

    var record = TelemetryRecord()
    if case .run = verdict, control == nil { verdict = .holdOff }
    if finished {
      driveSafe(now)
      record.state = .finished
    } else {
      switch verdict {
      case .run where !isClosedLoop:
        record.state = drive(0, now) ? .running : .tripped
      case .run:
        if let manual = commandOverride {
          controller.setManual(output: manual)
        } else if controller.isManual {
          controller.setAutomatic()
        }
        var setpoint = target
        var feedforward = 0.0
        if usesModel, commandOverride == nil,
          let planned = modelControl?.feedforward.update(
            targetCelsius: target, measurementCelsius: control ?? target,
            limits: controller.limits, rampCelsiusPerSecond: phase.rampCelsiusPerSecond,
            nowNanoseconds: now)
        {
          (setpoint, feedforward) = planned
        }
        let command = controller.update(
          targetCelsius: setpoint, measurementCelsius: control ?? target, feedforward: feedforward,
          nowNanoseconds: now)
        record.controllerCommand = command
        record.state =
          drive(applicator.powerStage.commandRange.clamp(command), now) ? .running : .tripped
      case .holdOff:
        controller.setManual(output: 0)
        if usesModel { modelControl?.feedforward.restart() }
        if let control {
          record.controllerCommand = controller.update(
            targetCelsius: target, measurementCelsius: control, nowNanoseconds: now)
        }
        record.state = drive(0, now) ? .holding : .tripped
      case .tripped:
        controller.setManual(output: 0)
        if usesModel { modelControl?.feedforward.restart() }
        driveSafe(now)
        record.state = .tripped
      }
    }
    if usesModel { modelControl?.predictor.apply(command: lastCommand, nowNanoseconds: now) }
    if record.state == .tripped, let trip = supervisor.trip, trip.detectedNanoseconds == now {
      supervisor.noteSafeState(atNanoseconds: now, fault: lastSafeOffFault)
      if let noted = supervisor.trip {
        if tripCount < 4 { tripLog[tripCount] = noted }
        tripCount += 1
      }
    }
    if !finished {
      metrics.record(
        snapshot: snapshot, controlCelsius: control, phaseIndex: phaseIndex,
        phaseStart: phaseStart, phaseKind: phase.kind, setpoint: target, window: plan.window,
        plausible: supervisor.configuration.plausibleRange, dose: supervisor.dose, now: now)
    }

    record.timeNanoseconds = now
    record.phaseIndex = phaseIndex
    record.targetCelsius = target
    record.workingSetpointCelsius = controller.workingSetpointCelsius
    record.sensorCount = snapshot.count
    for index in 0..<snapshot.count {
      let reading = snapshot.readings.span[index]
      record.celsius[index] = reading.sample?.celsius ?? .nan
      record.status[index] = SampleStatus(reading)
    }
    record.sentCommand = lastCommand
    record.enabled = enabled
    // The read-back the supervisor judged this tick (read once, before supervision).
    record.readBack = measured ?? .nan
    record.trippedCheck = supervisor.trip?.check
    record.interlocks = interlocks
    record.doseMinutes =
      plan.mode == .cryolipolysis ? metrics.minutesAtOrBelowLipidThreshold : metrics.cem43Minutes
    return record
  }

  /// Tells the supervisor the loop woke a whole period or more late; call
  /// before this tick's ``tick(nowNanoseconds:)``, which trips if that makes
  /// too many overruns within the watchdog's window.
  public mutating func noteOverrun(nowNanoseconds: UInt64, latenessNanoseconds: UInt64 = 0) {
    supervisor.noteOverrun(nowNanoseconds: nowNanoseconds, latenessNanoseconds: latenessNanoseconds)
  }

  /// Ends the treatment: the power stage goes to its safe state now and in
  /// every later tick.
  public mutating func finish(nowNanoseconds: UInt64) {
    finished = true
    driveSafe(nowNanoseconds)
  }

  /// Clears a latched trip if the supervisor allows it; the controller
  /// resumes bumplessly from zero output.
  public mutating func reset(nowNanoseconds: UInt64) -> Bool {
    supervisor.reset(nowNanoseconds: nowNanoseconds)
  }

  /// Looks up the phase running at `now` and caches it with its span and
  /// clamped setpoint.
  private mutating func lookUpPhase(_ now: UInt64) {
    let (index, start) = plan.phaseIndex(atElapsed: now)
    let phase = plan.phase(index)
    let isLast = index == plan.phaseCount - 1
    cachedPhase = (
      index, start, isLast ? UInt64.max : start + phase.durationNanoseconds, phase,
      supervisor.clampSetpoint(phase.setpointCelsius)
    )
  }

  /// The controlled reading if it is a plausible sample (`mutating` only so
  /// that it does not copy the loop; it changes nothing).
  private mutating func controlReading() -> Double? {
    guard controlIndex < snapshot.count, let sample = snapshot.readings.span[controlIndex].sample,
      supervisor.configuration.plausibleRange.contains(sample.celsius)
    else { return nil }
    return sample.celsius
  }

  /// Writes a command with the enable closed; a refused write trips and
  /// goes safe in the same tick. Returns `false` on a trip.
  private mutating func drive(_ command: Double, _ now: UInt64) -> Bool {
    do throws(FaultKind) {
      if !enabled {
        try applicator.powerStage.setEnabled(true, nowNanoseconds: now)
        enabled = true
      }
      try applicator.powerStage.write(command: command, nowNanoseconds: now)
      lastCommand = command
      return true
    } catch {
      _ = supervisor.tripNow(
        error == .leaseExpired ? .leaseLapsed : .actuatorFault, nowNanoseconds: now)
      driveSafe(now)
      return false
    }
  }

  /// Command zero and enable open, re-asserted every tick while safe; the
  /// fault a safe-off reports is kept for the trip record.
  private mutating func driveSafe(_ now: UInt64) {
    lastSafeOffFault = applicator.powerStage.safeOff(nowNanoseconds: now)
    enabled = false
    lastCommand = 0
  }
}
