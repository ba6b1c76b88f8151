import Testing
import ThermalLoop
import ApplicatorHAL
@testable import devsim

@Test func debugResidual() throws {
  for path in ["Profiles/cryolipolysis-35min.json", "Profiles/laser-lipolysis-25min.json"] {
   for adaptation in [60.0, 120.0, 300.0] {
    var profile = try loadShipped(path).profile
    let result = try Tuning.simulate(profile, settings: TuneSettings(), seed: 1)
    let tuning = try #require(Tuning.outcome(result, rule: .simc, profile: profile))
    profile.gains = tuning.gains
    profile.modelControl = ModelControlSettings(model: tuning.model, adaptationSeconds: adaptation)
    profile.safety.modelMismatchCelsius = .infinity
    var loop = Simulation.makeLoop(profile, seed: 1)
    var worst = 0.0
    var worstAt: UInt64 = 0
    var lockAt: UInt64? = nil
    var t: UInt64 = 0
    while t < profile.durationNanoseconds {
      let r = loop.tick(nowNanoseconds: t)
      if let p = loop.modelControl?.predictor.predictionCelsius {
        if lockAt == nil { lockAt = t }
        let e = abs(r.celsius[profile.controlIndex] - p)
        if e > worst { worst = e; worstAt = t / 1_000_000_000 }
      }
      t += profile.tickNanoseconds
    }
    print("RESID", adaptation, path, worst, worstAt, (lockAt ?? 0) / 1_000_000_000, loop.metrics.phases[0].timeInWindowFraction ?? -1, loop.trip as Any)
  }
}
}
