import ApplicatorHAL
import ThermalLoop
import Foundation

struct Printer: TelemetrySink {
  var n = 0
  mutating func consume(_ r: TelemetryRecord) {
    n += 1
    if n % 300 == 1 { print(String(format: "%7.1f s  sp %6.2f  T %@  cmd %6.3f rb %6.3f %d", Double(r.timeNanoseconds)/1e9, r.workingSetpointCelsius, (0..<r.sensorCount).map{String(format:"%6.2f", r.celsius[$0])}.joined(separator:" "), r.sentCommand, r.readBack, r.state.rawValue)) }
  }
}
let laser = CommandLine.arguments.count > 1
var pc = PlantConfiguration()
var plan: TreatmentPlan
var gains: PIDGains
var limits: OutputLimits
var sensors: [SensorModel]
var desc: [SensorDescriptor]
if laser {
  pc.drive = .laserWithContactCooling(LaserParameters())
  plan = TreatmentPlan(mode: .laserLipolysis, window: .init(lowCelsius: 45, highCelsius: 47), phases: [.init(kind: .treatment, setpointCelsius: 46, durationNanoseconds: 25*60_000_000_000)])
  gains = PIDGains(proportionalPerCelsius: Double(CommandLine.arguments[1])!, integralPerCelsiusSecond: Double(CommandLine.arguments[2])!, derivativeSecondsPerCelsius: 0, derivativeFilterSeconds: 2)
  limits = .init(low: 0, high: 1)
  sensors = [SensorModel(location: .depth(metres: 0.010)), SensorModel(location: .depth(metres: 0.0))]
  desc = [.init(site: .fat, role: .control, periodNanoseconds: 100_000_000), .init(site: .skin, role: .monitor, periodNanoseconds: 100_000_000)]
} else {
  pc.perfusionScale = 0.3
  plan = TreatmentPlan(mode: .cryolipolysis, window: .init(lowCelsius: -13, highCelsius: -11), phases: [.init(kind: .treatment, setpointCelsius: -12, durationNanoseconds: 35*60_000_000_000)])
  gains = PIDGains(proportionalPerCelsius: 0.3, integralPerCelsiusSecond: 0.01, derivativeSecondsPerCelsius: 0, derivativeFilterSeconds: 2)
  limits = .init(low: -1, high: 0.5)
  sensors = [SensorModel(location: .plate), SensorModel(location: .depth(metres: 0.0)), SensorModel(location: .depth(metres: 0.007))]
  desc = [.init(site: .plate, role: .control, periodNanoseconds: 100_000_000), .init(site: .skin, role: .monitor, periodNanoseconds: 100_000_000), .init(site: .fat, role: .monitor, periodNanoseconds: 100_000_000)]
}
let app = SimulatedApplicator(plant: pc, sensors: sensors, faults: [], seed: 1)
let sup = SafetySupervisor(configuration: SafetyConfiguration(mode: plan.mode), plan: plan, sensors: desc, controlIndex: 0)
var loop = ControlLoop(applicator: app, controller: PIDController(gains: gains, limits: limits), supervisor: sup, plan: plan, controlIndex: 0, doseSensorIndex: laser ? 0 : 2)
var runner = LoopRunner(clock: VirtualClock(), periodNanoseconds: 100_000_000)
var p = Printer()
let t0 = Date()
let end = runner.run(&loop, durationNanoseconds: plan.totalNanoseconds, observeAfterTripNanoseconds: 10_000_000_000, sink: &p, stop: NeverStop())
print(end, Date().timeIntervalSince(t0), loop.trip as Any)
let m = loop.metrics.phases[0]
print("tiw", m.timeInWindowFraction as Any, "settle", m.settlingNanoseconds.map{Double($0)/1e9} as Any, "overshoot", m.overshootCelsius, "cem", loop.metrics.cem43Minutes, "cold", loop.metrics.minutesAtOrBelowLipidThreshold)
print((0..<sensors.count).map { (loop.metrics.minimumCelsius[$0], loop.metrics.maximumCelsius[$0]) })
