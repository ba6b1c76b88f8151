import ApplicatorHAL
import ApplicatorLinux
import ApplicatorSimulation
import SCPI
import ThermalLoop

/// The emulated test rig: the simulated applicator behind the SCPI command
/// table of `docs/rig-protocol.md`, with the rig's own protection, its own
/// lease on the host's power command, and its own temperature mode, as a
/// bench TEC or laser controller has. Transport-agnostic: the server feeds
/// it lines and ticks it.
package struct RigEmulator {
  package enum Function { case power, temperature }

  /// Why the rig's own protection latched.
  package enum Latch: Equatable {
    case sensorFault, overTemperature, underTemperature, interlock
  }

  package private(set) var applicator: SimulatedApplicator
  package let mode: TreatmentMode
  package let channelCount: Int
  /// The channel names, channel 1 first (the profile's sensor names).
  package let channelNames: [String]
  /// Rig time per wall time, as `SYSTem:SPEed?` reports it (set by the server).
  package var speed = 1.0
  private let maximumCurrentAmperes: Double
  private let resistanceOhms: Double
  package private(set) var function = Function.power
  package private(set) var outputOn = false
  package private(set) var powerCommand = 0.0
  package private(set) var leaseNanoseconds: UInt64 = 500_000_000
  private var lastLeaseRefresh: UInt64 = 0
  /// Set when the lease lapsed; cleared only by `OUTPut ON` (status bit 6).
  package private(set) var leaseExpired = false
  /// How many times the lease lapsed since the rig started.
  package private(set) var leaseExpiries = 0
  package private(set) var setpointCelsius: Double
  private var controller: PIDController
  package private(set) var protectionLowCelsius: Double
  package private(set) var protectionHighCelsius: Double
  package private(set) var latch: Latch? = nil
  private var errors = SCPIErrorQueue()
  private var eventStatus: UInt8 = 0
  private var snapshot: SensorSnapshot
  private var interlocks = Interlocks.allMade
  package private(set) var now: UInt64 = 0
  /// Events for the operator's log (lease expiry, trips), drained by the server.
  package var events: [String] = []
  /// Whether a host has sent a power command (`SOURce:POWer`,
  /// `SOURce:FUNCtion`, `SOURce:TEMPerature`, `OUTPut`): the first one is
  /// logged, so a test can tell that a refused handshake drove nothing.
  package private(set) var powerCommandSeen = false
  /// Set by `SIMulate:UNPLug`: the server closes its end of the link.
  package var unplugRequested = false

  /// A rig for `profile`'s plant and probes; `inverted`: its output wired
  /// with the opposite sign (`devsim rig --inverted`).
  package init(profile: Profile, inverted: Bool = false) {
    applicator = SimulatedApplicator(
      plant: profile.plant, sensors: profile.sensors.map(\.model), faults: [],
      seed: profile.seed, stageReadBack: true)
    if inverted { applicator.inject(.stage(.inverted), value: nil, nowNanoseconds: 0) }
    mode = profile.mode
    channelCount = profile.sensors.count
    channelNames = profile.sensors.map(\.name)
    switch profile.plant.drive {
    case .thermoelectric(let tec):
      maximumCurrentAmperes = tec.maximumCurrentAmperes
      resistanceOhms = tec.resistanceOhms
    case .laserWithContactCooling:
      maximumCurrentAmperes = 0
      resistanceOhms = 0
    }
    setpointCelsius = profile.phases.first?.phase.setpointCelsius ?? 0
    controller = PIDController(gains: profile.gains, limits: profile.limits)
    protectionLowCelsius = RigEmulator.protectionDefaults(profile.mode).low
    protectionHighCelsius = RigEmulator.protectionDefaults(profile.mode).high
    snapshot = SensorSnapshot(count: profile.sensors.count)
    _ = applicator.powerStage.safeOff(nowNanoseconds: 0)
  }

  private var commandRange: ClosedRange<Double> { mode == .cryolipolysis ? -1...1 : 0...1 }

  /// The rig's own protection limits as shipped (`DEF`): cryo −16 / +45 °C,
  /// laser 5 / 48.5 °C.
  package static func protectionDefaults(_ mode: TreatmentMode) -> (low: Double, high: Double) {
    mode == .cryolipolysis ? (-16, 45) : (5, 48.5)
  }

  /// The range the protection limits may be set in (`MIN`/`MAX`): a host
  /// may tighten them, never widen them past what the applicator tolerates
  /// (cryo −60 … +45 °C, laser 5 … 48.5 °C; docs/rig-protocol.md).
  package static func protectionRange(_ mode: TreatmentMode) -> ClosedRange<Double> {
    mode == .cryolipolysis ? -60...45 : 5...48.5
  }

  // MARK: - Time

  /// Advances the physics to `now`, then applies the lease, the protection
  /// and (in temperature mode) the rig's own loop, and drives the stage.
  package mutating func tick(nowNanoseconds: UInt64) {
    now = nowNanoseconds
    applicator.advance(toNanoseconds: now)
    applicator.readSensors(nowNanoseconds: now, into: &snapshot)
    interlocks = (try? applicator.readInterlocks(nowNanoseconds: now)) ?? .allOpen
    // One fail-safe lease, in both modes: once it lapses the output is off
    // and stays off until an explicit `OUTPut ON`.
    if outputOn && !leaseExpired && now - min(lastLeaseRefresh, now) > leaseNanoseconds {
      leaseExpired = true
      leaseExpiries += 1
      outputOn = false
      powerCommand = 0
      let refresh = function == .power ? "power" : "setpoint"
      events.append(
        "lease expired: no \(refresh) command for \(Summary.seconds(leaseNanoseconds)), "
          + "output off until OUTP ON")
    }
    protect()
    var command = 0.0
    if outputOn && latch == nil {
      switch function {
      case .power: command = powerCommand
      case .temperature:
        if let celsius = controlCelsius {
          command = controller.update(
            targetCelsius: setpointCelsius, measurementCelsius: celsius, nowNanoseconds: now)
        }
      }
    }
    let enable = outputOn && latch == nil
    try? applicator.powerStage.setEnabled(enable, nowNanoseconds: now)
    try? applicator.powerStage.write(command: enable ? command : 0, nowNanoseconds: now)
  }

  private var controlCelsius: Double? {
    guard channelCount > 0, let sample = snapshot.readings[0].sample,
      sample.celsius >= -40, sample.celsius <= 80
    else { return nil }
    return sample.celsius
  }

  /// The rig's own protection on channel 1 and the interlocks: latches and turns the output off.
  private mutating func protect() {
    guard latch == nil else { return }
    var cause: Latch? = nil
    if !interlocks.contactMade || !interlocks.coolantFlowing {
      cause = .interlock
    } else if let celsius = controlCelsius {
      if celsius > protectionHighCelsius { cause = .overTemperature }
      if celsius < protectionLowCelsius { cause = .underTemperature }
    } else if channelCount > 0 {
      cause = .sensorFault
    }
    guard let cause else { return }
    latch = cause
    outputOn = false
    powerCommand = 0
    events.append("protection tripped (\(cause)): output off and latched")
  }

  private func causeGone(_ cause: Latch) -> Bool {
    switch cause {
    case .interlock: return interlocks.contactMade && interlocks.coolantFlowing
    case .sensorFault: return controlCelsius != nil
    case .overTemperature: return controlCelsius.map { $0 <= protectionHighCelsius } ?? false
    case .underTemperature: return controlCelsius.map { $0 >= protectionLowCelsius } ?? false
    }
  }

  /// The STATus:QUEStionable:CONDition bits.
  package var questionableCondition: Int {
    var bits = 0
    if controlCelsius == nil && channelCount > 0 { bits |= 1 << 0 }
    if latch == .overTemperature { bits |= 1 << 1 }
    if latch == .underTemperature { bits |= 1 << 2 }
    if !interlocks.contactMade || !interlocks.coolantFlowing || latch == .interlock {
      bits |= 1 << 3
    }
    // A stage fault the rig can see; its own wiring (an inverted output) it cannot.
    if let fault = applicator.powerStage.fault, fault != .inverted { bits |= 1 << 4 }
    if function == .temperature, let celsius = controlCelsius, abs(celsius - setpointCelsius) <= 0.5
    {
      bits |= 1 << 5
    }
    if leaseExpired { bits |= 1 << 6 }
    return bits
  }

  /// Moves the command clock without physics, so leases and time stamps
  /// of commands between ticks are exact.
  package mutating func advanceClockOnly(_ nowNanoseconds: UInt64) {
    now = max(now, nowNanoseconds)
  }

  // MARK: - Commands

  /// A line longer than the input buffer.
  package mutating func overrun() { errors.push(.inputBufferOverrun) }

  /// Executes one program message; returns the reply line for its queries, if any.
  package mutating func handle(_ line: [UInt8]) -> String? {
    let commands: [SCPICommand]
    do throws(SCPIError) {
      commands = try SCPIParser.parse(line)
    } catch {
      errors.push(error)
      return nil
    }
    var replies: [String] = []
    for command in commands {
      do throws(SCPIError) {
        if let reply = try execute(command) { replies.append(reply) }
      } catch {
        // Every query answers: a failing one yields SCPI's not-a-number, so
        // the positions of the other answers on the line never shift.
        if command.isQuery { replies.append(SCPIFormat.notANumber) }
        errors.push(error)
        eventStatus |= error == .undefinedHeader || error == .syntax ? 0x20 : 0x10
      }
    }
    return replies.isEmpty ? nil : SCPIFormat.joinReplies(replies)
  }

  private mutating func execute(_ command: SCPICommand) throws(SCPIError) -> String? {
    let query = command.isQuery
    if !query && !powerCommandSeen
      && ["SOURce:POWer", "SOURce:FUNCtion", "SOURce:TEMPerature", "OUTPut"].contains(where: {
        command.matches($0)
      })
    {
      powerCommandSeen = true
      events.append("first power command from the host")
    }
    if command.matches("*IDN?") {
      let model = mode == .cryolipolysis ? "emulated TEC rig" : "emulated laser rig"
      return "devsim,\(model),DS-0001,\(Version.string)"
    }
    if command.matches("*RST") {
      reset()
      return nil
    }
    if command.matches("*CLS") {
      errors.clear()
      eventStatus = 0
      return nil
    }
    if command.matches("*ESR?") {
      defer { eventStatus = 0 }
      return String(eventStatus)
    }
    if command.matches("*OPC?") { return "1" }
    if command.matches("SYSTem:VERSion?") { return RigHandshake.protocolVersion }
    if command.matches("SYSTem:MODE?") { return mode == .cryolipolysis ? "TEC" : "LAS" }
    if command.matches("SYSTem:CHANnel:CATalog?") {
      return channelNames.map { SCPIFormat.quoted($0) }.joined(separator: ",")
    }
    if command.matches("SYSTem:SPEed?") { return SCPIFormat.nr3(speed) }
    if command.matches("SYSTem:ERRor?") || command.matches("SYSTem:ERRor:NEXT?") {
      return errors.pop()
    }
    if command.matches("MEASure:TEMPerature?") {
      let channel =
        command.parameters.isEmpty
        ? 1 : Int(try command.number(at: 0, in: 1...Double(max(channelCount, 1)), defaultValue: 1))
      guard channel >= 1 && channel <= channelCount,
        let sample = snapshot.readings[channel - 1].sample
      else { return SCPIFormat.nr3(.nan) }
      return SCPIFormat.nr3(sample.celsius)
    }
    if command.matches("SOURce:FUNCtion") && !query {
      let chosen = try command.word(at: 0, among: ["POWer", "TEMPerature"])
      function = chosen == 0 ? .power : .temperature
      powerCommand = 0
      lastLeaseRefresh = now
      return nil
    }
    if command.matches("SOURce:FUNCtion?") { return function == .power ? "POW" : "TEMP" }
    if command.matches("SOURce:POWer:LEASe") {
      if query { return SCPIFormat.nr3(Double(leaseNanoseconds) * 1e-9) }
      let seconds = try command.number(at: 0, in: 0.05...60, defaultValue: 0.5)
      leaseNanoseconds = UInt64(seconds * 1e9)
      return nil
    }
    if command.matches("SOURce:POWer") {
      if query { return SCPIFormat.nr3(powerCommand) }
      guard function == .power else { throw .settingsConflict }
      powerCommand = try command.number(at: 0, in: commandRange, defaultValue: 0)
      lastLeaseRefresh = now
      return nil
    }
    if command.matches("SOURce:TEMPerature:PROTection:LOW") {
      if query { return SCPIFormat.nr3(protectionLowCelsius) }
      let range = RigEmulator.protectionRange(mode)
      protectionLowCelsius = try command.number(
        at: 0, in: range.lowerBound...protectionHighCelsius,
        defaultValue: min(RigEmulator.protectionDefaults(mode).low, protectionHighCelsius))
      return nil
    }
    if command.matches("SOURce:TEMPerature:PROTection:HIGH") {
      if query { return SCPIFormat.nr3(protectionHighCelsius) }
      let range = RigEmulator.protectionRange(mode)
      protectionHighCelsius = try command.number(
        at: 0, in: protectionLowCelsius...range.upperBound,
        defaultValue: max(RigEmulator.protectionDefaults(mode).high, protectionLowCelsius))
      return nil
    }
    if command.matches("SOURce:TEMPerature") {
      if query { return SCPIFormat.nr3(setpointCelsius) }
      setpointCelsius = try command.number(
        at: 0, in: protectionLowCelsius...protectionHighCelsius, defaultValue: setpointCelsius)
      if function == .temperature { lastLeaseRefresh = now }
      return nil
    }
    if command.matches("OUTPut") {
      if query { return outputOn ? "1" : "0" }
      let on = try command.bool(at: 0)
      if on && latch != nil { throw .settingsConflict }
      if on != outputOn { events.append(on ? "output on" : "output off by the host") }
      outputOn = on
      if on {
        lastLeaseRefresh = now
        if leaseExpired { events.append("lease re-armed by OUTP ON") }
        leaseExpired = false
      } else {
        powerCommand = 0
      }
      return nil
    }
    if command.matches("MEASure:POWer?") {
      return SCPIFormat.nr3(applicator.powerStage.measuredOutput)
    }
    if command.matches("MEASure:CURRent?") {
      // Signed like the command: positive current heats.
      return SCPIFormat.nr3(applicator.powerStage.measuredOutput * maximumCurrentAmperes)
    }
    if command.matches("MEASure:VOLTage?") {
      return SCPIFormat.nr3(
        applicator.powerStage.measuredOutput * maximumCurrentAmperes * resistanceOhms)
    }
    if command.matches("STATus:QUEStionable:CONDition?") { return String(questionableCondition) }
    if command.matches("SYSTem:INTerlock:RESet") {
      guard let cause = latch else { return nil }
      guard causeGone(cause) else { throw .execution }
      latch = nil
      events.append("protection reset")
      return nil
    }
    if command.matches("SYSTem:INTerlock?") {
      return "\(interlocks.contactMade ? 1 : 0),\(interlocks.coolantFlowing ? 1 : 0)"
    }
    if command.matches("SIMulate:UNPLug") {
      unplugRequested = true
      return nil
    }
    if command.matches("SIMulate:FAULt") && !query {
      try injectFault(command)
      return nil
    }
    throw .undefinedHeader
  }

  private mutating func injectFault(_ command: SCPICommand) throws(SCPIError) {
    // The mnemonics come from the one table of fault kinds (docs/rig-protocol.md).
    let index = try command.word(at: 0, among: ["NONE"] + FaultKinds.all.map(\.scpi))
    let channel =
      command.parameters.count > 1
      ? Int(try command.number(at: 1, in: 1...Double(max(channelCount, 1)), defaultValue: 1)) : 1
    guard index > 0 else {
      applicator.clearFaults()
      events.append("faults cleared")
      return
    }
    let kind = FaultKinds.all[index - 1]
    guard let target = FaultKinds.simulated(kind, sensor: channel - 1) else {
      throw .illegalParameterValue
    }
    applicator.inject(target, value: nil, nowNanoseconds: now)
    events.append(
      "fault injected: \(kind.scpi.uppercased())"
        + (kind.target == .sensor ? " on channel \(channel)" : ""))
  }

  private mutating func reset() {
    function = .power
    outputOn = false
    powerCommand = 0
    leaseNanoseconds = 500_000_000
    lastLeaseRefresh = now
  }
}
