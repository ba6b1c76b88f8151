import ApplicatorHAL
import ApplicatorSimulation

/// The simulated applicator with the firmware in the loop: the plant,
/// sensors, faults and seed of a simulated run, whose power stage takes
/// the firmware's command and enable each tick (see ``FirmwareSession``).
///
/// The host loop that reads this applicator is the host build of the same
/// core: it supplies what the link does not carry (the trip's measurement,
/// the treatment metrics), and its decisions are compared with the
/// firmware's every tick, but never reach the plant.
package struct FirmwareApplicator: Applicator {
  /// The plant; its power stage lives in ``powerStage`` between ticks.
  package private(set) var plant: SimulatedApplicator
  /// The stage the host loop writes; the plant's own stage inside it.
  package var powerStage: FirmwareStage
  private let session: FirmwareSession

  init(plant: SimulatedApplicator, session: FirmwareSession) {
    self.plant = plant
    self.session = session
    powerStage = FirmwareStage(plant: plant.powerStage, session: session)
  }

  package var sensorCount: Int { plant.sensorCount }

  package mutating func advance(toNanoseconds nowNanoseconds: UInt64) {
    plant.powerStage = powerStage.plant
    plant.advance(toNanoseconds: nowNanoseconds)
    powerStage.plant = plant.powerStage
    session.beginTick(nowNanoseconds)
  }

  package mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
    plant.readSensors(nowNanoseconds: nowNanoseconds, into: &snapshot)
    session.noteReadings(snapshot)
  }

  package mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
    do {
      let interlocks = try plant.readInterlocks(nowNanoseconds: nowNanoseconds)
      session.noteInterlocks(interlocks)
      return interlocks
    } catch {
      // The frame carries made/open only: an unreadable interlock is open.
      session.noteInterlocks(.allOpen)
      throw error
    }
  }
}

/// The power stage the host loop drives in a firmware run. Its read-back is
/// the plant stage's; a write or a safe-off (the last stage operation of
/// every tick) exchanges the tick's frame with the firmware and gives the
/// plant's stage the firmware's command and enable. Without an answer (the
/// link failed, or outside a tick) the plant's stage goes safe.
package struct FirmwareStage: PowerStage {
  /// The plant's own stage.
  package internal(set) var plant: SimulatedPowerStage
  private let session: FirmwareSession

  init(plant: SimulatedPowerStage, session: FirmwareSession) {
    self.plant = plant
    self.session = session
  }

  package var commandRange: CommandRange { plant.commandRange }

  package mutating func write(command: Double, nowNanoseconds: UInt64) throws(FaultKind) {
    follow(nowNanoseconds)
  }

  package mutating func setEnabled(_ enabled: Bool, nowNanoseconds: UInt64) throws(FaultKind) {}

  package mutating func safeOff(nowNanoseconds: UInt64) -> FaultKind? {
    follow(nowNanoseconds)
    return nil
  }

  package mutating func readBack(nowNanoseconds: UInt64) throws(FaultKind) -> Double? {
    let measured = try plant.readBack(nowNanoseconds: nowNanoseconds)
    // The firmware's stage adds this to the output it holds (0 while its enable is open).
    let held = plant.received.enabled ? plant.received.command : 0
    session.noteReadBackError(measured.map { $0 - held })
    return measured
  }

  /// The firmware's decision for this tick, on the plant's stage.
  private mutating func follow(_ nowNanoseconds: UInt64) {
    guard let answer = session.exchange(), answer.enabled else {
      _ = plant.safeOff(nowNanoseconds: nowNanoseconds)
      return
    }
    do throws(FaultKind) {
      if !plant.received.enabled { try plant.setEnabled(true, nowNanoseconds: nowNanoseconds) }
      try plant.write(command: answer.sentCommand, nowNanoseconds: nowNanoseconds)
    } catch {
      _ = plant.safeOff(nowNanoseconds: nowNanoseconds)
    }
  }
}
