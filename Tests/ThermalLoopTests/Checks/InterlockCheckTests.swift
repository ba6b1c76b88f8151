import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

@Suite("InterlockCheck", .tags(.safety))
struct InterlockCheckTests {
  @Test("cryo: contact open for 2 s trips, naming it; no reading; the cause is the open contact")
  func contact() throws {
    var check = InterlockCheck(SafetyConfiguration(mode: .cryolipolysis))
    let open = Interlocks(contactMade: false, coolantFlowing: true)
    let found = runComponent(&check, from: 0, through: 5 * second) { now in
      componentTick(
        .afterSensors, [fresh(-12, at: now)], at: now, interlocks: now >= second ? open : .allMade)
    }
    let trip = try #require(found)
    #expect(trip.subject == .interlock(.contact))
    #expect(trip.detectedNanoseconds == 3 * second)
    #expect(trip.measurement.quantity == .none)
    #expect(trip.reading.isNaN && trip.limit.isNaN)
    #expect(trip.measurement.unit == .none)
    var still = componentTick(.afterSensors, [fresh(-12, at: 0)], at: 4 * second, interlocks: open)
    #expect(check.isCausePresent(of: trip, &still) == true)
    var made = componentTick(
      .afterSensors, [fresh(-12, at: 0)], at: 4 * second, interlocks: .allMade)
    #expect(check.isCausePresent(of: trip, &made) == false)
    #expect(check.persistenceNanoseconds(of: trip) == 2 * second)
  }

  @Test("laser: coolant lost trips at once")
  func coolant() {
    var check = InterlockCheck(SafetyConfiguration(mode: .laserLipolysis))
    var tick = componentTick(
      .afterSensors,
      [fresh(46, at: 0)], at: 0, interlocks: Interlocks(contactMade: true, coolantFlowing: false))
    #expect(check.evaluate(&tick)?.subject == .interlock(.coolant))
  }

  @Test("a key switch turned off trips at once, naming the key switch, not the contact or coolant")
  func keySwitch() throws {
    var check = InterlockCheck(SafetyConfiguration(mode: .cryolipolysis))
    let found = runComponent(&check, from: 0, through: 5 * second) { now in
      componentTick(
        .afterSensors, [fresh(-12, at: now)], at: now,
        interlocks: now >= second ? .keySwitchOff : .allMade)
    }
    let trip = try #require(found)
    #expect(trip.subject == .interlock(.keySwitch))
    #expect(trip.detectedNanoseconds == second)
    #expect(check.persistenceNanoseconds(of: trip) == 0)
    var still = componentTick(
      .afterSensors, [fresh(-12, at: 0)], at: 2 * second, interlocks: .keySwitchOff)
    #expect(check.isCausePresent(of: trip, &still) == true)
    var on = componentTick(.afterSensors, [fresh(-12, at: 0)], at: 2 * second, interlocks: .allMade)
    #expect(check.isCausePresent(of: trip, &on) == false)
  }

  @Test(
    "interlocks that cannot be read trip after the shorter persistence, naming the read fault",
    arguments: [FaultKind.io, .timedOut, .protocolError])
  func unreadable(fault: FaultKind) throws {
    var configuration = SafetyConfiguration(mode: .cryolipolysis)
    configuration.coolantPersistenceNanoseconds = 1500 * millisecond
    var check = InterlockCheck(configuration)
    let found = runComponent(&check, from: 0, through: 5 * second) { now in
      componentTick(
        .afterSensors, [fresh(-12, at: now)], at: now,
        interlocks: now >= second ? .unreadable(fault) : .allMade)
    }
    let trip = try #require(found)
    #expect(trip.check == .interlock)
    #expect(trip.subject == .interlocksUnreadable(fault))
    #expect(trip.conditionSinceNanoseconds == second)
    #expect(trip.detectedNanoseconds == 2500 * millisecond)
    #expect(check.persistenceNanoseconds(of: trip) == 1500 * millisecond)
    var read = componentTick(
      .afterSensors, [fresh(-12, at: 0)], at: 3 * second, interlocks: .allOpen)
    #expect(check.isCausePresent(of: trip, &read) == false, "read again (open is another cause)")
  }
}
