import ApplicatorHAL
import ApplicatorSimulation
import Testing
import ThermalLoop

/// The slope as first written: every kept sample visited twice in ring order
/// (oldest first), those outside the window skipped, the ring index wrapped
/// with `%`. `SampleHistory` keeps only the in-window suffix and converts each
/// time once; this checks that it computes the same number, bit for bit.
private func referenceSlope(
  _ samples: [(time: UInt64, celsius: Double)], nowNanoseconds: UInt64, windowNanoseconds: UInt64
) -> Double? {
  var n = 0.0
  var sumT = 0.0
  var sumV = 0.0
  var oldest = UInt64.max
  for (time, celsius) in samples where time + windowNanoseconds >= nowNanoseconds {
    n += 1
    sumT += Double(nowNanoseconds - time) * -1e-9
    sumV += celsius
    oldest = min(oldest, time)
  }
  guard n >= 3, oldest != .max, nowNanoseconds - oldest >= windowNanoseconds / 10 * 9 else {
    return nil
  }
  let meanT = sumT / n
  let meanV = sumV / n
  var covariance = 0.0
  var variance = 0.0
  for (time, celsius) in samples where time + windowNanoseconds >= nowNanoseconds {
    let t = Double(nowNanoseconds - time) * -1e-9 - meanT
    covariance += t * (celsius - meanV)
    variance += t * t
  }
  return variance > 0 ? covariance / variance : nil
}

/// The rise start as first written: newest kept sample first, stop at the
/// first outside the window, return the first that lies `rise` below at a
/// command no stronger than allowed.
private func referenceRiseStart(
  _ samples: [(time: UInt64, celsius: Double, command: Double)], nowNanoseconds: UInt64,
  windowNanoseconds: UInt64, celsius: Double, command: Double, rise: Double, slack: Double
) -> UInt64? {
  for sample in samples.reversed() {
    guard sample.time + windowNanoseconds >= nowNanoseconds else { return nil }
    if celsius - sample.celsius >= rise && command <= sample.command + slack {
      return sample.time
    }
  }
  return nil
}

@Suite("SampleHistory against the two-pass reference")
struct SampleHistoryReferenceTests {
  @Test(
    "random periods, windows, ramps and noise: the same slope bit for bit, the same rise start",
    arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
  func sameSlopeAsReference(seed: UInt64) {
    var random = SeededRandom(seed: seed)
    var compared = 0
    var fitted = 0
    var planned = 0
    var risesCompared = 0
    var risesFound = 0
    for _ in 0..<20 {
      // Loop periods from 10 ms to 250 ms, windows from 0.5 s to 20 s; three
      // windows' worth of ticks, so that most reads come after the first fit.
      let period = UInt64(10 + random.nextUnit() * 240) * millisecond
      let window = UInt64(500 + random.nextUnit() * 19_500) * millisecond
      let offset = -20 + random.nextUnit() * 70
      let rate = (random.nextUnit() - 0.5) * 6
      let noise = random.nextUnit() * 0.2
      var history = SampleHistory()
      // The kept samples, mirrored: one every twelfth of the window, the newest 16.
      var kept: [(time: UInt64, celsius: Double, command: Double)] = []
      var now: UInt64 = 0
      let ticks = Int(3 * window / period) + 1
      planned += ticks
      for _ in 0..<ticks {
        let celsius = offset + rate * Double(now) * 1e-9 + noise * random.nextGaussian()
        let command = random.nextUnit() * 1.5 - 1
        history.add(
          nowNanoseconds: now, celsius: celsius, command: command, windowNanoseconds: window)
        if kept.isEmpty || now >= kept[kept.count - 1].time + window / 12 {
          kept.append((now, celsius, command))
          if kept.count > 16 { kept.removeFirst() }
        }
        // A read window that differs from the keeping window now and then.
        let readWindow = random.nextUnit() < 0.8 ? window : window / 2 + period
        let expected = referenceSlope(
          kept.map { ($0.time, $0.celsius) }, nowNanoseconds: now, windowNanoseconds: readWindow)
        let actual = history.slope(nowNanoseconds: now, windowNanoseconds: readWindow)
        #expect(actual?.bitPattern == expected?.bitPattern, "t = \(now), window \(readWindow)")
        compared += 1
        if expected != nil { fitted += 1 }
        // The rise search, at a reading up to 2 °C above the current level.
        let reading = celsius + random.nextUnit() * 2
        let rise = random.nextUnit() * 1.5
        let asked = random.nextUnit() * 1.5 - 1
        let expectedStart = referenceRiseStart(
          kept, nowNanoseconds: now, windowNanoseconds: readWindow, celsius: reading,
          command: asked, rise: rise, slack: 0.02)
        let start = history.riseStart(
          nowNanoseconds: now, windowNanoseconds: readWindow, celsius: reading, command: asked,
          rise: rise, slack: 0.02)
        #expect(start == expectedStart, "t = \(now), rise \(rise)")
        risesCompared += 1
        if expectedStart != nil { risesFound += 1 }
        now += period
      }
    }
    #expect(compared == planned)
    #expect(risesCompared == planned)
    // Both answers occur: the search is exercised with and without a find.
    #expect(risesFound > planned / 20 && risesFound < planned - planned / 20)
    // A fit needs nine tenths of a window: most reads of three windows have one.
    #expect(fitted > compared / 2)
  }
}
