import ApplicatorHAL

/// Hard limits: a reading at or beyond a rule's threshold for the rule's
/// persistence trips (`hard-high` or `hard-low`). A rule applies to the
/// sensors of one site or to all; some apply only once armed in a treatment
/// phase (the cryo plate's +15 °C).
///
/// Measurement: the reading, °C, against the rule's threshold.
struct HardLimitCheck: SafetyComponent {
  /// The rules in force.
  private var rules: InlineArray<6, LimitRule>
  private let ruleCount: Int
  /// Each slot's site.
  private var sites: InlineArray<8, SensorSite>
  /// One timer per rule and slot (rule × ``maximumSensorCount`` + slot).
  private var crossed: InlineArray<48, ConditionTimer>

  /// Takes the rules of `configuration` for the sensors of `sensors`.
  init(_ configuration: SafetyConfiguration, sensors: InlineArray<8, SensorDescriptor>, count: Int)
  {
    rules = configuration.limitRules
    ruleCount = configuration.limitRuleCount
    sites = InlineArray(repeating: .plate)
    for index in 0..<count { sites[index] = sensors[index].site }
    crossed = InlineArray(repeating: ConditionTimer())
  }

  @inline(__always)
  mutating func checkSensor(_ index: Int, _ tick: inout SafetyTick) -> TripRecord? {
    guard let celsius = tick.sensorCelsius else { return nil }
    let now = tick.nowNanoseconds
    let site = sites[index]
    for ruleIndex in 0..<ruleCount {
      let rule = rules[ruleIndex]
      let slot = ruleIndex * maximumSensorCount + index
      let applies =
        (rule.site == nil || rule.site == site)
        && (!rule.onlyWhenArmed || (tick.isArmed && tick.input.phaseKind == .treatment))
      let beyond =
        rule.tripsAbove ? celsius >= rule.thresholdCelsius : celsius <= rule.thresholdCelsius
      if let since = crossed[slot].track(
        applies && beyond, nowNanoseconds: now, persistenceNanoseconds: rule.persistenceNanoseconds)
      {
        return TripRecord(
          check: rule.check, subject: .sensor(index),
          measurement: .temperature(celsius: celsius, limitCelsius: rule.thresholdCelsius),
          conditionSinceNanoseconds: since, detectedNanoseconds: now)
      }
    }
    return nil
  }

  mutating func reset(nowNanoseconds: UInt64) {
    for slot in 0..<48 { crossed[slot].clear() }
  }

  /// The longest persistence among the rules of the trip's direction and threshold.
  mutating func persistenceNanoseconds(of trip: TripRecord) -> UInt64? {
    guard trip.check == .hardLow || trip.check == .hardHigh else { return nil }
    var longest: UInt64 = 0
    for index in 0..<ruleCount
    where rules[index].check == trip.check && rules[index].thresholdCelsius == trip.limit {
      longest = max(longest, rules[index].persistenceNanoseconds)
    }
    return longest
  }
}
