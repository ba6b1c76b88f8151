import ApplicatorHAL
import Testing

/// A whole applicator of a backend as the conformance suite drives it: the
/// bench sets what the devices report and observes the power stage from
/// outside; the suite calls the applicator as the loop does.
public protocol ApplicatorBench {
  /// The applicator under test.
  associatedtype World: Applicator
  /// The applicator, driven in place.
  var applicator: World { get set }
  /// The sensors' resolution, °C.
  var resolutionCelsius: Double { get }
  /// Makes each sensor's device report `celsius[slot]` where the bench can
  /// set it (a simulation's plant decides its own temperatures).
  mutating func present(celsius: [Double]) throws
  /// The temperature each sensor's device reported at the last fetch.
  mutating func truth() -> [Double]
  /// Sets the interlock inputs; `false` when this backend has none to set.
  mutating func present(interlocks: Interlocks) throws -> Bool
  /// Makes the interlocks unreadable; `false` when the bench cannot.
  mutating func breakInterlockRead() throws -> Bool
  /// Takes the device away (an unplug); the ``FaultKind`` the contract
  /// gives for it, or `nil` when this backend cannot lose its device.
  mutating func unplug() throws -> FaultKind?
  /// What the power stage delivers, seen from outside.
  mutating func observeStage() -> StageObservation
}

/// The ``Applicator`` contract (with ``SensorSnapshot`` and ``Interlocks``),
/// checked the same way on every backend, each tick in the loop's order
/// (advance, sensors, interlocks, then the stage):
///
/// - one reading per sensor slot, a sample or a fault, the count set, at most
///   ``maximumSensorCount``, unused slots left `.absent`;
/// - each sample within resolution of what its device reported;
/// - interlocks read as they are; one that cannot be read is reported open
///   (or its read throws): an unknown interlock is not a made one;
/// - the power stage is the device's: what is written is what it delivers,
///   and safe-off reaches command zero with the enable open;
/// - a device that went away gives the contract's fault in every slot, no
///   made interlock, and a safe-off that does not claim success.
public enum ApplicatorConformance {
  /// Tick spacing, ns.
  public static let tickNanoseconds: UInt64 = 100_000_000

  /// Runs every case on a fresh bench from `make`.
  public static func check<Bench: ApplicatorBench>(_ make: () throws -> Bench) throws {
    var bench = try make()
    try readingsAndInterlocks(&bench)
    try stageIsTheDevices(&bench)
    var lost = try make()
    try aLostDeviceFailsClosed(&lost)
  }

  /// One tick's reads in the loop's order.
  private static func fetch<Bench: ApplicatorBench>(
    _ bench: inout Bench, _ now: UInt64
  ) -> (SensorSnapshot, Result<Interlocks, FaultKind>) {
    var snapshot = SensorSnapshot(count: 0)
    bench.applicator.advance(toNanoseconds: now)
    bench.applicator.readSensors(nowNanoseconds: now, into: &snapshot)
    let interlocks: Result<Interlocks, FaultKind>
    do throws(FaultKind) {
      interlocks = .success(try bench.applicator.readInterlocks(nowNanoseconds: now))
    } catch {
      interlocks = .failure(error)
    }
    return (snapshot, interlocks)
  }

  private static func readingsAndInterlocks<Bench: ApplicatorBench>(_ bench: inout Bench) throws {
    let count = bench.applicator.sensorCount
    #expect(count >= 1 && count <= maximumSensorCount)
    var now = tickNanoseconds
    for step in 0..<4 {
      let wanted = (0..<count).map { -12.5 + Double($0) * 7.25 + Double(step) * 1.5 }
      try bench.present(celsius: wanted)
      let (snapshot, interlocks) = fetch(&bench, now)
      let truth = bench.truth()
      #expect(snapshot.count == count)
      for slot in 0..<count {
        guard case .sample(let sample) = snapshot.readings[slot] else {
          Issue.record("slot \(slot): \(snapshot.readings[slot])")
          continue
        }
        #expect(
          abs(sample.celsius - truth[slot]) <= bench.resolutionCelsius + 1e-9,
          "slot \(slot): device \(truth[slot]) °C, read \(sample.celsius) °C")
        #expect(sample.timestampNanoseconds <= now)
      }
      for slot in count..<maximumSensorCount {
        #expect(snapshot.readings[slot] == .absent, "slot \(slot) is not configured")
      }
      #expect(interlocks.isSuccess, "interlocks read: \(interlocks)")
      now += tickNanoseconds
    }
    for state in [
      Interlocks.allMade, Interlocks(contactMade: false, coolantFlowing: true),
      Interlocks(contactMade: true, coolantFlowing: false), .allOpen,
    ] {
      guard try bench.present(interlocks: state) else { break }
      let (_, read) = fetch(&bench, now)
      #expect((try? read.get()) == state, "interlocks set \(state), read \(read)")
      now += tickNanoseconds
    }
    if try bench.breakInterlockRead() {
      let (_, read) = fetch(&bench, now)
      if case .success(let state) = read {
        #expect(
          !state.contactMade && !state.coolantFlowing,
          "an unreadable interlock is not made: \(state)")
      }
    }
  }

  private static func stageIsTheDevices<Bench: ApplicatorBench>(_ bench: inout Bench) throws {
    let range = bench.applicator.powerStage.commandRange
    var now = 10 * tickNanoseconds
    try bench.applicator.powerStage.setEnabled(true, nowNanoseconds: now)
    // A command the loop writes every tick is delivered by the next tick (a
    // bridge's direction change first holds zero for its dead time).
    for command in [range.upperBound * 0.5, range.lowerBound * 0.25 + 0.1, range.upperBound] {
      for _ in 0..<2 {
        try bench.applicator.powerStage.write(command: command, nowNanoseconds: now)
        now += tickNanoseconds
      }
      let seen = bench.observeStage()
      #expect(seen.enabled && abs(seen.command - command) <= 1e-3, "wrote \(command), saw \(seen)")
    }
    #expect(bench.applicator.powerStage.safeOff(nowNanoseconds: now) == nil)
    let off = bench.observeStage()
    #expect(off.command == 0 && !off.enabled, "safe-off: \(off)")
  }

  private static func aLostDeviceFailsClosed<Bench: ApplicatorBench>(_ bench: inout Bench) throws {
    let count = bench.applicator.sensorCount
    try bench.present(celsius: Array(repeating: 20, count: count))
    _ = fetch(&bench, tickNanoseconds)
    try bench.applicator.powerStage.setEnabled(true, nowNanoseconds: tickNanoseconds)
    guard let expected = try bench.unplug() else { return }
    let (snapshot, interlocks) = fetch(&bench, 2 * tickNanoseconds)
    for slot in 0..<count {
      #expect(
        snapshot.readings[slot] == .fault(expected), "slot \(slot): \(snapshot.readings[slot])")
    }
    if case .success(let state) = interlocks {
      #expect(!state.contactMade && !state.coolantFlowing, "a lost device's interlocks: \(state)")
    }
    #expect(
      bench.applicator.powerStage.safeOff(nowNanoseconds: 3 * tickNanoseconds) != nil,
      "a safe-off that could not reach the device does not claim success")
  }
}

extension Result {
  fileprivate var isSuccess: Bool {
    if case .success = self { return true }
    return false
  }
}
