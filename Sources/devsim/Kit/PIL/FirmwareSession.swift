import ApplicatorHAL
import ApplicatorSimulation
import ThermalLoop

/// One run's exchange with the firmware, shared by ``FirmwareApplicator``
/// and its ``FirmwareStage``: what the loop read this tick (collected as
/// the host loop reads it), the answers in order, and the figures.
///
/// Each tick, once the readings, interlocks and read-back are in, the
/// stage's last write of the tick sends them as one tick frame and waits
/// for the firmware's answer; the plant's stage then takes the firmware's
/// command and enable, never the host loop's.
package final class FirmwareSession {
  let link: FirmwareLink
  private var sequence: UInt32 = 0
  private var tickNanoseconds: UInt64? = nil
  private var snapshot = SensorSnapshot(count: 0)
  private var interlocks = Interlocks.allOpen
  private var readBackError: Double? = nil
  /// The answers not yet matched with their telemetry records, oldest first.
  private var answers: [FirmwareAnswer] = []
  private var answersHead = 0
  private var ended = false
  /// The first failure of the link or of the lockstep; the run stops on it.
  package private(set) var failure: KitError? = nil
  /// When the firmware first reported a trip, ns.
  package private(set) var firstTripNanoseconds: UInt64? = nil
  /// The first tick whose firmware answer differs from the host build's
  /// record (command, enable, state or trip), described.
  package private(set) var divergence: String? = nil
  /// Each tick's cost in SysTick counts.
  package private(set) var tickCosts: [UInt32] = []
  /// The painted stack's high-water mark, bytes.
  package private(set) var stackHighWaterBytes: UInt32 = 0

  init(link: FirmwareLink) { self.link = link }

  /// A tick starts at `nowNanoseconds`.
  func beginTick(_ nowNanoseconds: UInt64) {
    tickNanoseconds = ended ? nil : nowNanoseconds
    readBackError = nil
  }

  func noteReadings(_ readings: SensorSnapshot) { snapshot = readings }
  func noteInterlocks(_ state: Interlocks) { interlocks = state }
  func noteReadBackError(_ error: Double?) { readBackError = error }

  /// Sends this tick's frame and returns the firmware's answer, once per
  /// tick; `nil` outside a tick, after the end, or after a failure (the
  /// stage then goes safe).
  func exchange() -> FirmwareAnswer? {
    guard failure == nil, let now = tickNanoseconds else { return nil }
    tickNanoseconds = nil
    let frame = FirmwareFrames.tick(
      kind: FirmwareFrames.kindTick, sequence: sequence, timeNanoseconds: now, snapshot: snapshot,
      interlocks: interlocks, readBackError: readBackError)
    do throws(KitError) {
      let answer = try link.exchange(frame)
      guard answer.linkStatus == 0, answer.sequence == sequence, answer.timeNanoseconds == now
      else {
        failure = .device(
          DeviceError(
            "firmware link: tick \(sequence) answered with link status \(answer.linkStatus), sequence \(answer.sequence), time \(answer.timeNanoseconds) ns"
          ))
        return nil
      }
      sequence &+= 1
      record(answer)
      if answer.trip != 0 && firstTripNanoseconds == nil { firstTripNanoseconds = now }
      tickCosts.append(answer.tickCostCounts)
      return answer
    } catch {
      failure = error
      return nil
    }
  }

  /// Sends the end-of-run frame: the firmware finishes its treatment (stage
  /// safe), answers once more and ends QEMU. The answer stands for the
  /// run's last, finished record (at `nowNanoseconds`).
  func end(atNanoseconds nowNanoseconds: UInt64) throws(KitError) {
    if let failure { throw failure }
    ended = true
    let frame = FirmwareFrames.tick(
      kind: FirmwareFrames.kindEnd, sequence: sequence, timeNanoseconds: nowNanoseconds,
      snapshot: SensorSnapshot(count: snapshot.count), interlocks: .allOpen, readBackError: nil)
    let answer = try link.exchange(frame)
    guard answer.loopState == .finished, !answer.enabled, answer.sentCommand == 0 else {
      throw .device(
        DeviceError(
          "firmware link: the end-of-run answer does not show the stage safe and finished"))
    }
    record(answer)
  }

  private func record(_ answer: FirmwareAnswer) {
    answers.append(answer)
    stackHighWaterBytes = max(stackHighWaterBytes, answer.stackHighWaterBytes)
  }

  /// Puts the firmware's decisions into the host loop's `record` (which the
  /// answers match one to one, in order), noting the first difference.
  func apply(to record: inout TelemetryRecord) {
    guard answersHead < answers.count else {
      if failure == nil {
        failure = .device(
          DeviceError("firmware link: a tick at \(record.timeNanoseconds) ns has no answer"))
      }
      return
    }
    let answer = answers[answersHead]
    answersHead += 1
    if answersHead > 256 {
      answers.removeFirst(answersHead)
      answersHead = 0
    }
    let firmware = (
      answer.sentCommand.bitPattern, answer.enabled, answer.controllerCommand.bitPattern,
      answer.loopState, answer.trippedCheck
    )
    let host = (
      record.sentCommand.bitPattern, record.enabled, record.controllerCommand.bitPattern,
      Optional(record.state), record.trippedCheck
    )
    if divergence == nil && (answer.timeNanoseconds != record.timeNanoseconds || firmware != host) {
      divergence =
        "at \(record.timeNanoseconds) ns the firmware answered command \(answer.sentCommand), enable \(answer.enabled), controller \(answer.controllerCommand), state \(answer.state), trip \(answer.trippedCheck?.name ?? "none"); the host build: \(record.sentCommand), \(record.enabled), \(record.controllerCommand), \(record.state.rawValue), \(record.trippedCheck?.name ?? "none")"
    }
    record.sentCommand = answer.sentCommand
    record.enabled = answer.enabled
    record.controllerCommand = answer.controllerCommand
    record.state = answer.loopState ?? .tripped
    record.trippedCheck = answer.trippedCheck
  }
}

/// The telemetry of a firmware run: each host record carries the
/// firmware's command, enable, state and trip (see ``FirmwareSession/apply(to:)``).
struct FirmwareTelemetry<Next: TelemetrySink>: TelemetrySink {
  var next: Next
  let session: FirmwareSession

  mutating func consume(_ record: TelemetryRecord) {
    var patched = record
    session.apply(to: &patched)
    next.consume(patched)
  }
}
