import ApplicatorHAL
import ApplicatorSimulation
import TestSupport
import Testing

private let millisecond: UInt64 = 1_000_000
private let second: UInt64 = 1_000_000_000
private let tick = 100 * millisecond

/// The default cryo plant with three probes: 0 plate, 1 skin surface, 2 TEC hot side.
private func cryoApplicator(
  faults: [ScheduledFault] = [], seed: UInt64 = 1, stageReadBack: Bool = true
) -> SimulatedApplicator {
  SimulatedApplicator(
    plant: PlantConfiguration(),
    sensors: [
      SensorModel(location: .plate), SensorModel(location: .depth(metres: 0)),
      SensorModel(location: .hotSide),
    ],
    faults: faults, seed: seed, stageReadBack: stageReadBack)
}

/// The default laser plant with a fat probe at 10 mm and a skin probe.
private func laserApplicator(faults: [ScheduledFault] = []) -> SimulatedApplicator {
  var plant = PlantConfiguration()
  plant.drive = .laserWithContactCooling(LaserParameters())
  return SimulatedApplicator(
    plant: plant,
    sensors: [
      SensorModel(location: .depth(metres: 0.01)), SensorModel(location: .depth(metres: 0)),
    ],
    faults: faults, seed: 1)
}

/// Enables the stage at a fixed command (−1: full cooling on a TEC).
private func drive(_ applicator: inout SimulatedApplicator, _ command: Double) throws {
  try applicator.powerStage.setEnabled(true, nowNanoseconds: 0)
  try applicator.powerStage.write(command: command, nowNanoseconds: 0)
}

/// One tick: advance, then read every probe.
private func step(_ applicator: inout SimulatedApplicator, to now: UInt64) -> SensorSnapshot {
  applicator.advance(toNanoseconds: now)
  var snapshot = SensorSnapshot(count: applicator.sensorCount)
  applicator.readSensors(nowNanoseconds: now, into: &snapshot)
  return snapshot
}

private func interlocks(_ applicator: inout SimulatedApplicator) throws -> Interlocks {
  try applicator.readInterlocks(nowNanoseconds: 0)
}

@Suite("SimulatedApplicator")
struct SimulatedApplicatorTests {
  @Test("a timed sensor fault ends after its duration; stage faults last for good", .tags(.safety))
  func timedFault() throws {
    var applicator = cryoApplicator(faults: [
      ScheduledFault(
        trigger: .at(nanoseconds: 2 * second), target: .sensor(index: 0, .open),
        durationNanoseconds: second),
      ScheduledFault(
        trigger: .at(nanoseconds: 2 * second), target: .stage(.outputOpen),
        durationNanoseconds: second),
    ])
    let open = SensorModel(location: .plate).openReadsCelsius
    for k in 0...60 {
      let now = UInt64(k) * tick
      let snapshot = step(&applicator, to: now)
      let celsius = try #require(snapshot.readings[0].sample).celsius
      if now >= 2 * second && now < 3 * second {
        #expect(celsius == open, "t = \(now)")
        #expect(applicator.sensor(0).activeFault == .open)
      } else {
        // The probe reads the plate again: lag and noise (≤ 6·0.02 °C) only.
        #expect(abs(celsius - applicator.plant.plateCelsius) < 0.2, "t = \(now)")
        #expect(applicator.sensor(0).activeFault == nil)
      }
    }
    #expect(applicator.faultInjectionTimes == [2 * second, 2 * second])
    #expect(applicator.powerStage.fault == .outputOpen)
  }

  @Test(
    "a condition trigger fires when the true temperature first crosses, plus its delay",
    .tags(.safety))
  func conditionTrigger() throws {
    // Full cooling: the plate falls from 25 °C and the TEC's hot side warms.
    // The faults act on probes only, so a twin without them has the same
    // plant, tick by tick: the crossings are read off the twin.
    let delay = 1_500 * millisecond
    let faults = [
      ScheduledFault(
        trigger: .whenSensor(index: 0, reachesCelsius: 10, falling: true, delayNanoseconds: delay),
        target: .sensor(index: 1, .stuck)),
      ScheduledFault(
        trigger: .whenSensor(index: 2, reachesCelsius: 21, falling: false, delayNanoseconds: 0),
        target: .sensor(index: 2, .drift)),
      ScheduledFault(
        trigger: .whenSensor(index: 0, reachesCelsius: -30, falling: true, delayNanoseconds: 0),
        target: .sensor(index: 1, .open)),
    ]
    var applicator = cryoApplicator(faults: faults)
    var twin = cryoApplicator()
    try drive(&applicator, -1)
    try drive(&twin, -1)
    var plateCrossing: UInt64? = nil
    var hotCrossing: UInt64? = nil
    for k in 0...1200 {
      let now = UInt64(k) * tick
      _ = step(&applicator, to: now)
      _ = step(&twin, to: now)
      #expect(applicator.plant.plateCelsius == twin.plant.plateCelsius)
      if plateCrossing == nil && twin.plant.plateCelsius <= 10 { plateCrossing = now }
      if hotCrossing == nil && twin.plant.hotSideCelsius >= 21 { hotCrossing = now }
      if let plateCrossing, now < plateCrossing + delay {
        #expect(applicator.sensor(1).activeFault == nil)
      }
    }
    let plate = try #require(plateCrossing)
    let hot = try #require(hotCrossing)
    #expect(plate > 0 && hot > 0)
    #expect(applicator.faultInjectionTimes == [plate + delay, hot, nil])
    #expect(applicator.firstInjectionNanoseconds == min(plate + delay, hot))
    #expect(applicator.sensor(1).activeFault == .stuck)
    #expect(applicator.sensor(2).activeFault == .drift)
  }

  @Test(
    "contact lost: the contact interlock opens and the plate–skin conductance drops to 5 W/(m²·K)",
    .tags(.safety, .physics))
  func contactLost() throws {
    let at = 20 * second
    var applicator = cryoApplicator(faults: [
      ScheduledFault(atNanoseconds: at, target: .plant(.contactLost))
    ])
    var twin = cryoApplicator()
    try drive(&applicator, -1)
    try drive(&twin, -1)
    // The skin surface lies where the contact and the top skin half-cell
    // meet: (h·T_plate + g·T_skin)/(h + g), g = k_skin / (depth of the top
    // cell's centre), h the contact conductance.
    let g =
      PlantConfiguration().skin.conductivityWattsPerMetreKelvin
      / applicator.plant.centreMetres(TissueColumn.firstTissueNode)
    func surface(_ plant: TissueColumn, contact h: Double) -> Double {
      (h * plant.plateCelsius + g * plant.celsius(ofNode: TissueColumn.firstTissueNode)) / (h + g)
    }
    for k in 0...600 {
      let now = UInt64(k) * tick
      _ = step(&applicator, to: now)
      _ = step(&twin, to: now)
      let made = try interlocks(&applicator)
      let contact = now >= at ? 5.0 : 300.0
      #expect(
        abs(applicator.plant.surfaceCelsius - surface(applicator.plant, contact: contact)) < 1e-9)
      #expect(made.contactMade == (now < at))
      #expect(made.coolantFlowing)
    }
    #expect(applicator.faultInjectionTimes == [at])
    // Cut off from the plate, the skin stays warmer than with contact.
    let top = TissueColumn.firstTissueNode
    #expect(applicator.plant.celsius(ofNode: top) > twin.plant.celsius(ofNode: top) + 1)
    #expect(try interlocks(&twin) == .allMade)
  }

  @Test(
    "coolant lost (TEC): the coolant interlock opens and the hot side runs warmer",
    .tags(.safety, .physics))
  func coolantLostTEC() throws {
    let at = 10 * second
    var applicator = cryoApplicator(faults: [
      ScheduledFault(atNanoseconds: at, target: .plant(.coolantLost))
    ])
    var twin = cryoApplicator()
    try drive(&applicator, -1)
    try drive(&twin, -1)
    for k in 0...400 {
      let now = UInt64(k) * tick
      _ = step(&applicator, to: now)
      _ = step(&twin, to: now)
      let made = try interlocks(&applicator)
      #expect(made.coolantFlowing == (now < at))
      #expect(made.contactMade)
      if now <= at {
        #expect(applicator.plant.hotSideCelsius == twin.plant.hotSideCelsius)
      }
    }
    #expect(applicator.plant.hotSideCelsius > twin.plant.hotSideCelsius + 1)
  }

  @Test(
    "coolant lost (laser): the contact-cooling plate warms to the tissue 1 mm down",
    .tags(.safety, .physics))
  func coolantLostLaser() throws {
    let at = 5 * second
    var applicator = laserApplicator(faults: [
      ScheduledFault(atNanoseconds: at, target: .plant(.coolantLost))
    ])
    var twin = laserApplicator()
    let held = LaserParameters().coolingPlateCelsius
    for k in 0...Int(at / tick) {
      let now = UInt64(k) * tick
      _ = step(&applicator, to: now)
      _ = step(&twin, to: now)
      if now < at { #expect(applicator.plant.plateCelsius == held) }
    }
    // Both columns are the same up to the fault, applied after the step.
    let expected = twin.plant.temperature(at: .depth(metres: 0.001))
    #expect(expected > held + 1)
    #expect(applicator.plant.plateCelsius == expected)
    #expect(twin.plant.plateCelsius == held)
    #expect(try interlocks(&applicator) == Interlocks(contactMade: true, coolantFlowing: false))
  }

  @Test(
    "heatsink fouled: no interlock sees it, the hot side runs warmer than without",
    .tags(.safety, .physics))
  func heatsinkFouled() throws {
    let at = 10 * second
    var applicator = cryoApplicator(faults: [
      ScheduledFault(atNanoseconds: at, target: .plant(.heatsinkFouled))
    ])
    var twin = cryoApplicator()
    try drive(&applicator, -1)
    try drive(&twin, -1)
    for k in 0...400 {
      let now = UInt64(k) * tick
      _ = step(&applicator, to: now)
      _ = step(&twin, to: now)
      #expect(try interlocks(&applicator) == .allMade)
      if now > at + second {
        #expect(applicator.plant.hotSideCelsius > twin.plant.hotSideCelsius)
      }
    }
    #expect(applicator.plant.hotSideCelsius > twin.plant.hotSideCelsius + 1)
    #expect(applicator.faultInjectionTimes == [at])
  }

  @Test("stageReadBack: false gives a stage whose read-back is nil")
  func stageWithoutReadBack() throws {
    var blind = cryoApplicator(stageReadBack: false)
    try drive(&blind, -0.6)
    #expect(try blind.powerStage.readBack(nowNanoseconds: 0) == nil)
    var measured = cryoApplicator()
    try drive(&measured, -0.6)
    #expect(try measured.powerStage.readBack(nowNanoseconds: 0) == -0.6)
  }
}
