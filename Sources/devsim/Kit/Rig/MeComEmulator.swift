import ApplicatorHAL
import ApplicatorLinux
import ApplicatorSimulation
import InstrumentProtocols
import ThermalLoop

/// An emulated Meerstetter TEC-1091: the simulated applicator behind the TEC family's MeCom
/// parameters, as ``MeComResponder`` serves them (`devsim rig --protocol mecom`).
///
/// What the parameters mean in the simulation: object temperature (1000) is the profile's
/// control sensor, sink temperature (1001) its first hot-side sensor; live current (50001)
/// drives the simulated TEC, clamped to the instrument's own current limit (2030), when
/// input selection (2000) is live current and output stage enable (2010) is static on, or
/// live with live enable (50000) 1; actual current (1020) is the simulated stage's measured
/// output in amperes. The instrument's own protection puts it in its error state (device
/// status 3, output off, latched until the emulator restarts): the object temperature
/// outside its error thresholds (4010/4011), or no frame for it within its communication
/// watchdog (2060, 0 = off). Parameters start at the factory's values: input selection 2
/// (its own temperature controller), output stage static off, no watchdog.
package struct MeComEmulator: MeComParameterTable {
  /// The device type reported (100).
  package static let deviceType: Int32 = 1091
  /// The firmware version reported (103).
  package static let firmwareVersion: Int32 = 5_00
  /// The serial number reported (102).
  package static let serialNumber: Int32 = 4_242
  /// Error number (105) of the communication watchdog's expiry (the emulator's own code).
  package static let watchdogErrorNumber: Int32 = 1
  /// Error number (105) of the object temperature outside its thresholds (the emulator's).
  package static let objectTemperatureErrorNumber: Int32 = 2

  package private(set) var applicator: SimulatedApplicator
  private let objectSlot: Int?
  private let sinkSlot: Int?
  private let maximumCurrentAmperes: Double
  /// +1: a positive current heats the plate; −1 on an inverted (miswired) TEC.
  private let heatingSign: Double
  private var snapshot: SensorSnapshot
  package private(set) var now: UInt64 = 0
  private var lastFrameNanoseconds: UInt64 = 0

  package private(set) var flashSaveOff: Int32 = 0
  package private(set) var inputSelection: Int32 = 2
  package private(set) var outputStageEnable: Int32 = 0
  package private(set) var currentLimitAmperes: Float
  package private(set) var objectLowerThresholdCelsius: Float = -50
  package private(set) var objectUpperThresholdCelsius: Float = 100
  package private(set) var watchdogSeconds: Float = 0
  package private(set) var liveEnable: Int32 = 0
  package private(set) var liveCurrentAmperes: Float = 0
  /// The instrument's error number; non-zero is the error state, output off.
  package private(set) var errorNumber: Int32 = 0
  /// Events for the operator's log, drained by the server.
  package var events: [String] = []

  /// A TEC-1091 on `profile`'s plant and probes; `inverted`: wired so that a positive
  /// current cools.
  package init(profile: Profile, inverted: Bool = false) {
    applicator = SimulatedApplicator(
      plant: profile.plant, sensors: profile.sensors.map(\.model), faults: [],
      seed: profile.seed, stageReadBack: true)
    objectSlot = profile.sensors.firstIndex { $0.descriptor.role == .control }
    sinkSlot = profile.sensors.firstIndex { $0.model.location == .hotSide }
    switch profile.plant.drive {
    case .thermoelectric(let tec): maximumCurrentAmperes = tec.maximumCurrentAmperes
    case .laserWithContactCooling: maximumCurrentAmperes = 0
    }
    heatingSign = inverted ? -1 : 1
    currentLimitAmperes = Float(maximumCurrentAmperes)
    snapshot = SensorSnapshot(count: profile.sensors.count)
    _ = applicator.powerStage.safeOff(nowNanoseconds: 0)
  }

  /// The current the output drives now, A (0 while off).
  package var drivenCurrentAmperes: Double {
    guard outputOn, inputSelection == MeComParameter.inputSelectionLiveCurrent else { return 0 }
    let limit = Double(currentLimitAmperes)
    return min(max(Double(liveCurrentAmperes), -limit), limit)
  }

  /// Whether the output stage is on.
  package var outputOn: Bool {
    errorNumber == 0
      && (outputStageEnable == 1
        || (outputStageEnable == MeComParameter.outputStageLive && liveEnable == 1))
  }

  /// A frame for this device arrived (the communication watchdog restarts).
  package mutating func noteFrame(nowNanoseconds: UInt64) {
    now = max(now, nowNanoseconds)
    lastFrameNanoseconds = now
  }

  /// Advances the physics, applies the instrument's own protection and drives the stage.
  package mutating func tick(nowNanoseconds: UInt64) {
    now = max(now, nowNanoseconds)
    applicator.advance(toNanoseconds: now)
    applicator.readSensors(nowNanoseconds: now, into: &snapshot)
    if errorNumber == 0 && watchdogSeconds > 0
      && now - min(lastFrameNanoseconds, now) > UInt64(Double(watchdogSeconds) * 1e9)
    {
      enterError(
        MeComEmulator.watchdogErrorNumber,
        "communication watchdog: no frame for \(watchdogSeconds) s, output off (error state)")
    }
    if errorNumber == 0, let celsius = objectCelsius,
      celsius < Double(objectLowerThresholdCelsius) || celsius > Double(objectUpperThresholdCelsius)
    {
      enterError(
        MeComEmulator.objectTemperatureErrorNumber,
        "object temperature \(celsius) °C outside its error thresholds, output off (error state)")
    }
    let current = drivenCurrentAmperes
    let command =
      maximumCurrentAmperes > 0
      ? min(max(current * heatingSign / maximumCurrentAmperes, -1), 1) : 0
    try? applicator.powerStage.setEnabled(outputOn, nowNanoseconds: now)
    try? applicator.powerStage.write(command: command, nowNanoseconds: now)
  }

  private mutating func enterError(_ number: Int32, _ event: String) {
    errorNumber = number
    events.append(event)
  }

  private func celsius(_ slot: Int?) -> Double? {
    guard let slot, let sample = snapshot.readings[slot].sample else { return nil }
    return sample.celsius
  }

  private var objectCelsius: Double? { celsius(objectSlot) }

  // MARK: - MeComParameterTable

  private static let notAvailable = MeComServerError(code: 5)
  private static let readOnly = MeComServerError(code: 6)
  private static let outOfRange = MeComServerError(code: 7)
  private static let instanceNotAvailable = MeComServerError(code: 8)

  package func read(parameterID: UInt16, instance: UInt8) -> Result<MeComValue, MeComServerError> {
    guard instance == 1 else {
      return .failure(
        MeComEmulator.isKnown(parameterID)
          ? MeComEmulator.instanceNotAvailable : MeComEmulator.notAvailable)
    }
    switch parameterID {
    case MeComParameter.deviceType: return .success(.int32(MeComEmulator.deviceType))
    case MeComParameter.serialNumber: return .success(.int32(MeComEmulator.serialNumber))
    case MeComParameter.firmwareVersion: return .success(.int32(MeComEmulator.firmwareVersion))
    case MeComParameter.deviceStatus:
      return .success(.int32(errorNumber != 0 ? MeComParameter.statusError : 2))
    case MeComParameter.errorNumber: return .success(.int32(errorNumber))
    case MeComParameter.flashSaveOff: return .success(.int32(flashSaveOff))
    case MeComParameter.objectTemperature:
      guard objectSlot != nil else { return .failure(MeComEmulator.notAvailable) }
      return .success(.float32(objectCelsius.map(Float.init) ?? .nan))
    case MeComParameter.sinkTemperature:
      guard sinkSlot != nil else { return .failure(MeComEmulator.notAvailable) }
      return .success(.float32(celsius(sinkSlot).map(Float.init) ?? .nan))
    case MeComParameter.actualCurrent:
      return .success(
        .float32(Float(applicator.powerStage.measuredOutput * maximumCurrentAmperes * heatingSign)))
    case MeComParameter.inputSelection: return .success(.int32(inputSelection))
    case MeComParameter.outputStageEnable: return .success(.int32(outputStageEnable))
    case MeComParameter.currentLimit: return .success(.float32(currentLimitAmperes))
    case MeComParameter.communicationWatchdog: return .success(.float32(watchdogSeconds))
    case MeComParameter.objectLowerErrorThreshold:
      return .success(.float32(objectLowerThresholdCelsius))
    case MeComParameter.objectUpperErrorThreshold:
      return .success(.float32(objectUpperThresholdCelsius))
    case MeComParameter.liveEnable: return .success(.int32(liveEnable))
    case MeComParameter.liveCurrent: return .success(.float32(liveCurrentAmperes))
    default: return .failure(MeComEmulator.notAvailable)
    }
  }

  package mutating func write(parameterID: UInt16, instance: UInt8, bits: UInt32)
    -> MeComServerError?
  {
    let wasOn = outputOn
    let refusal = store(parameterID: parameterID, instance: instance, bits: bits)
    if outputOn != wasOn { events.append(outputOn ? "output on" : "output off by the host") }
    return refusal
  }

  /// Sets one parameter (``write(parameterID:instance:bits:)`` without the events).
  private mutating func store(parameterID: UInt16, instance: UInt8, bits: UInt32)
    -> MeComServerError?
  {
    guard MeComEmulator.isKnown(parameterID) else { return MeComEmulator.notAvailable }
    guard instance == 1 else { return MeComEmulator.instanceNotAvailable }
    let integer = Int32(bitPattern: bits)
    let float = Float(bitPattern: bits)
    func choice(_ range: ClosedRange<Int32>, _ apply: (inout MeComEmulator) -> Void)
      -> MeComServerError?
    {
      guard range.contains(integer) else { return MeComEmulator.outOfRange }
      apply(&self)
      return nil
    }
    func number(_ range: ClosedRange<Float>, _ apply: (inout MeComEmulator) -> Void)
      -> MeComServerError?
    {
      guard float.isFinite, range.contains(float) else { return MeComEmulator.outOfRange }
      apply(&self)
      return nil
    }
    let maximum = Float(maximumCurrentAmperes)
    switch parameterID {
    case MeComParameter.flashSaveOff: return choice(0...1) { $0.flashSaveOff = integer }
    case MeComParameter.inputSelection: return choice(0...2) { $0.inputSelection = integer }
    case MeComParameter.outputStageEnable: return choice(0...2) { $0.outputStageEnable = integer }
    case MeComParameter.liveEnable: return choice(0...1) { $0.liveEnable = integer }
    case MeComParameter.currentLimit: return number(0...maximum) { $0.currentLimitAmperes = float }
    case MeComParameter.liveCurrent:
      return number(-maximum...maximum) { $0.liveCurrentAmperes = float }
    case MeComParameter.communicationWatchdog:
      return number(0...3_600) { $0.watchdogSeconds = float }
    case MeComParameter.objectLowerErrorThreshold:
      return number(-100...200) { $0.objectLowerThresholdCelsius = float }
    case MeComParameter.objectUpperErrorThreshold:
      return number(-100...200) { $0.objectUpperThresholdCelsius = float }
    default: return MeComEmulator.readOnly
    }
  }

  private static func isKnown(_ parameterID: UInt16) -> Bool {
    [
      MeComParameter.deviceType, MeComParameter.serialNumber, MeComParameter.firmwareVersion,
      MeComParameter.deviceStatus, MeComParameter.errorNumber, MeComParameter.flashSaveOff,
      MeComParameter.objectTemperature, MeComParameter.sinkTemperature,
      MeComParameter.actualCurrent, MeComParameter.inputSelection,
      MeComParameter.outputStageEnable, MeComParameter.currentLimit,
      MeComParameter.communicationWatchdog, MeComParameter.objectLowerErrorThreshold,
      MeComParameter.objectUpperErrorThreshold, MeComParameter.liveEnable,
      MeComParameter.liveCurrent,
    ].contains(parameterID)
  }
}
