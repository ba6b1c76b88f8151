import ApplicatorHAL
import ThermalLoop

// The embedded-parity program (scripts/embedded-parity.sh): the standard
// cryolipolysis loop fed recorded inputs from stdin, one fixed-size row per
// tick, printing one line per tick to stdout. The same source is built
// twice, as normal Swift and as Embedded Swift, and the outputs must match
// byte for byte. No Foundation or Glibc: `read` and `write` come from libc.
//
// Input, little-endian 64-bit words: a header with the sensor count n, then
// per row: time (ns); per sensor: kind (0 fault, 1 sample), celsius (bit
// pattern), isNew (0/1); contact (0/1); coolant (0/1); has read-back error
// (0/1); read-back error (bit pattern).
// Output per tick: `time state command-bits controller-bits trip-check`,
// the numbers in hexadecimal.

@_extern(c, "read")
func cRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int

@_extern(c, "write")
func cWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int

/// Reads exactly `count` words; `false` at the end of the input.
func readWords(_ words: inout [UInt64], count: Int) -> Bool {
  if words.count < count { words = [UInt64](repeating: 0, count: count) }
  let bytes = count * 8
  var done = 0
  while done < bytes {
    let got = words.withUnsafeMutableBytes { buffer in
      guard let base = buffer.baseAddress else { return -1 }
      return cRead(0, base + done, bytes - done)
    }
    if got <= 0 { return false }
    done += got
  }
  return true
}

var output: [UInt8] = []

func emitHex(_ value: UInt64) {
  let digits: StaticString = "0123456789abcdef"
  var started = false
  for shift in stride(from: 60, through: 0, by: -4) {
    let nibble = Int((value >> UInt64(shift)) & 15)
    if nibble != 0 || started || shift == 0 {
      started = true
      output.append(digits.utf8Start[nibble])
    }
  }
}

func flush() {
  output.withUnsafeBytes { _ = cWrite(1, $0.baseAddress, $0.count) }
  output.removeAll(keepingCapacity: true)
}

var words: [UInt64] = []
if readWords(&words, count: 1) {
  let sensorCount = Int(words[0])
  let rowWords = 1 + 3 * sensorCount + 4
  var loop = profileLoop(on: RecordedApplicator(sensorCount: sensorCount))
  var last: UInt64 = 0
  while readWords(&words, count: rowWords) {
    let now = words[0]
    last = now
    var snapshot = SensorSnapshot(count: sensorCount)
    for index in 0..<sensorCount {
      let base = 1 + 3 * index
      snapshot.readings[index] =
        words[base] == 0
        ? .fault(.noData)
        : .sample(
          TemperatureSample(
            celsius: Double(bitPattern: words[base + 1]), timestampNanoseconds: now,
            isNew: words[base + 2] != 0))
    }
    let tail = 1 + 3 * sensorCount
    loop.applicator.row = snapshot
    loop.applicator.interlocks = Interlocks(
      contactMade: words[tail] != 0, coolantFlowing: words[tail + 1] != 0)
    loop.applicator.powerStage.readBackError =
      words[tail + 2] != 0 ? Double(bitPattern: words[tail + 3]) : nil
    let record = loop.tick(nowNanoseconds: now)
    emitHex(record.timeNanoseconds)
    output.append(32)
    emitHex(UInt64(record.state.rawValue))
    output.append(32)
    emitHex(record.sentCommand.bitPattern)
    output.append(32)
    emitHex(record.controllerCommand.bitPattern)
    output.append(32)
    emitHex(record.trippedCheck.map { UInt64($0.rawValue) + 1 } ?? 0)
    output.append(10)
    if output.count > 60_000 { flush() }
  }
  loop.finish(nowNanoseconds: last)
  flush()
}
