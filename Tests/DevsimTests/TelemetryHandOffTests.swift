import Foundation
import TestSupport
import Testing
import ThermalLoop

@testable import DevsimKit

/// A sink that records the tick times it receives and the threads it ran on.
private struct RecordingSink: TelemetrySink {
  var times: [UInt64] = []
  var onFeedingThread = 0
  let feedingThread: Thread

  mutating func consume(_ record: TelemetryRecord) {
    times.append(record.timeNanoseconds)
    if Thread.current == feedingThread { onFeedingThread += 1 }
  }
}

@Suite(.tags(.io)) struct TelemetryHandOffTests {
  @Test(
    "every record reaches the sink, in order, written on the writer thread, past a full buffer"
  )
  func everyRecordArrivesInOrderOffTheFeedingThread() {
    let count = 3 * TelemetryHandOff.capacity + 17
    var sink = RecordingSink(feedingThread: Thread.current)
    let fed = TelemetryHandOff.draining(into: &sink) { feed in
      var record = TelemetryRecord()
      for k in 0..<count {
        record.timeNanoseconds = UInt64(k)
        feed.consume(record)
      }
      return count
    }
    #expect(fed == count)
    #expect(sink.times.count == count)
    #expect(sink.times == (0..<count).map(UInt64.init))
    #expect(sink.onFeedingThread == 0, "formatting and writing stay off the control thread")
  }

  @Test("a body that throws still leaves every record it fed in the sink")
  func aThrowingBodyLosesNothing() {
    struct Failure: Error {}
    var sink = RecordingSink(feedingThread: Thread.current)
    #expect(throws: Failure.self) {
      try TelemetryHandOff.draining(into: &sink) { (feed) throws(Failure) in
        var record = TelemetryRecord()
        for k in 0..<1_000 {
          record.timeNanoseconds = UInt64(k)
          feed.consume(record)
        }
        throw Failure()
      }
    }
    #expect(sink.times.count == 1_000)
  }
}
