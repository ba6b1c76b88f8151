import Foundation
import ThermalLoop

/// Telemetry handed from the control thread to a writer thread, so that a
/// real-time run formats and writes its files off the control thread.
///
/// The control thread's side (``Feed``) only copies fixed-size records into
/// a buffer reserved up front and signals; the writer thread takes the
/// whole buffer at once (swapping it for an empty one of the same capacity)
/// and hands each record to the real sink, in tick order. Nothing is
/// dropped: should the writer fall a whole buffer behind, the control
/// thread waits for it (the buffer holds ``capacity`` records, 65 s at
/// 1 kHz), which the runner then sees as lateness, never as lost telemetry.
package final class TelemetryHandOff: @unchecked Sendable {
  /// Records the buffer holds before the control thread waits for the writer.
  package static let capacity = 65_536

  private let condition = NSCondition()
  private var pending: [TelemetryRecord] = []
  private var closed = false

  private init() {
    pending.reserveCapacity(Self.capacity)
  }

  /// The control thread's sink: copies each record into the hand-off.
  package struct Feed: TelemetrySink {
    fileprivate let handOff: TelemetryHandOff

    /// Queues `record` for the writer thread.
    package mutating func consume(_ record: TelemetryRecord) { handOff.put(record) }
  }

  /// Runs `body` with a ``Feed`` while a writer thread drains it into
  /// `sink`; returns once every record has reached `sink` and the writer
  /// has ended. The writer thread is started from the calling thread, so it
  /// has the caller's (normal) scheduling policy, not the control thread's.
  package static func draining<Sink: TelemetrySink, T, Failure: Error>(
    into sink: inout Sink, _ body: (inout Feed) throws(Failure) -> T
  ) throws(Failure) -> T {
    let handOff = TelemetryHandOff()
    return try withUnsafeMutablePointer(to: &sink) { (target) throws(Failure) -> T in
      let finished = DispatchSemaphore(value: 0)
      let job = WriterJob { handOff.write(into: target) }
      let writer = Thread {
        job.run()
        finished.signal()
      }
      writer.name = "devsim telemetry writer"
      writer.start()
      defer {
        handOff.close()
        finished.wait()
      }
      var feed = Feed(handOff: handOff)
      return try body(&feed)
    }
  }

  private func put(_ record: TelemetryRecord) {
    condition.lock()
    while pending.count >= Self.capacity && !closed { condition.wait() }
    pending.append(record)
    condition.signal()
    condition.unlock()
  }

  private func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }

  /// The writer thread: takes whatever is pending, writes it, until closed and empty.
  private func write<Sink: TelemetrySink>(into sink: UnsafeMutablePointer<Sink>) {
    var batch: [TelemetryRecord] = []
    batch.reserveCapacity(Self.capacity)
    while true {
      condition.lock()
      while pending.isEmpty && !closed { condition.wait() }
      let done = closed && pending.isEmpty
      swap(&batch, &pending)
      condition.broadcast()
      condition.unlock()
      for record in batch { sink.pointee.consume(record) }
      batch.removeAll(keepingCapacity: true)
      if done { return }
    }
  }
}

/// The writer thread's work: it touches the caller's sink alone while
/// ``TelemetryHandOff/draining(into:_:)`` waits for it.
private struct WriterJob: @unchecked Sendable {
  let run: () -> Void
}
