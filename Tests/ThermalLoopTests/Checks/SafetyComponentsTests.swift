import ApplicatorHAL
import TestSupport
import Testing

@testable import ThermalLoop

/// Records the order in which the registry visits its components.
private struct OrderRecorder: SafetyComponentVisitor {
  var names: [String] = []
  mutating func visit<Component: SafetyComponent>(_ component: inout Component) -> Bool {
    names.append("\(Component.self)")
    return false
  }
}

@Suite("SafetyComponents", .tags(.safety))
struct SafetyComponentsTests {
  @Test("one registration list, in the documented order of evaluation")
  func order() {
    var components = SafetyComponents(
      SafetyConfiguration(mode: .cryolipolysis), plan: cryoPlan(),
      sensors: inlineSensors(cryoSensors), count: 3)
    var recorder = OrderRecorder()
    components.visit(&recorder)
    #expect(
      recorder.names == [
        "StaleDataCheck", "PlausibilityCheck", "HardLimitCheck", "RateOfChangeCheck",
        "StuckSensorCheck", "DisagreementCheck", "OutOfWindowCheck", "MustProgressCheck",
        "WrongDirectionCheck", "FreezeCheck", "ModelMismatchCheck", "ReadBackCheck",
        "InterlockCheck", "TimeCapCheck",
        "DoseCapCheck", "LoopOverrunCheck",
      ])
  }

  @Test("every check that the supervisor can latch from a reading has one owner")
  func owners() {
    var components = SafetyComponents(
      SafetyConfiguration(mode: .cryolipolysis), plan: cryoPlan(),
      sensors: inlineSensors(cryoSensors), count: 3)
    for check in SafetyCheck.allCases where check != .actuatorFault && check != .leaseLapsed {
      let trip = TripRecord(
        check: check, subject: .sensor(0), measurement: .none, conditionSinceNanoseconds: 0,
        detectedNanoseconds: 0)
      var visitor = PersistenceVisitor(trip: trip)
      components.visit(&visitor)
      #expect(visitor.persistenceNanoseconds != nil, "\(check.name)")
    }
  }

  @Test("a persistence timer: onset kept while the condition holds, cleared when it goes")
  func timer() {
    var timer = ConditionTimer()
    #expect(timer.track(true, nowNanoseconds: 10, persistenceNanoseconds: 5) == nil)
    #expect(timer.track(true, nowNanoseconds: 15, persistenceNanoseconds: 5) == 10)
    #expect(timer.track(false, nowNanoseconds: 16, persistenceNanoseconds: 5) == nil)
    #expect(timer.sinceNanoseconds == ConditionTimer.never)
    #expect(timer.track(true, nowNanoseconds: 20, persistenceNanoseconds: 0) == 20)
  }
}
