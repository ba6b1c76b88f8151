import ApplicatorHAL
import ThermalLoop

/// The image's entry point (called by Firmware/Board/startup.c after
/// reset): assembles the profile's loop (compiled in by `devsim codegen`),
/// seals the boot arena, then answers tick frames in lockstep until the
/// host's end-of-run frame. Returns QEMU's exit status (0).
///
/// Safety: the link is judged here, outside the core, and its verdict is
/// final. A corrupt, impossible or dropped frame, or no whole frame for
/// ``LinkProtocol/hostGoneWraps`` SysTick wraps, ends the treatment: the core
/// drives the power stage safe (command 0, enable open) in that moment and
/// never ticks again; every later frame is answered with the fault and the
/// safe stage.
@_cdecl("firmware_main")
public func firmwareMain() -> UInt32 {
  var loop = profileLoop(on: LinkApplicator(sensorCount: profileSensorCount))
  boardArenaSeal()
  var receiver = FrameReceiver()
  var linkFault: LinkFault? = nil
  var lastSequence: UInt32? = nil
  var lastTimeNanoseconds: UInt64 = 0
  var lastState = LoopState.running
  var lastTrip: UInt8 = 0
  var deadline = boardClockWraps() &+ LinkProtocol.hostGoneWraps

  while true {
    let reception = receiver.receive(
      sensorCount: profileSensorCount, deadlineWraps: deadline, hunting: linkFault != nil)
    var answer = AnswerFrame()
    switch reception {
    case .fault(let fault):
      if fault == .hostGone { deadline = boardClockWraps() &+ LinkProtocol.hostGoneWraps }
      if linkFault == nil {
        linkFault = fault
        loop.finish(nowNanoseconds: lastTimeNanoseconds)
      }
      answer.linkStatus = fault.rawValue
      answer.sequence = lastSequence ?? 0
      answer.timeNanoseconds = lastTimeNanoseconds
    case .frame:
      deadline = boardClockWraps() &+ LinkProtocol.hostGoneWraps
      let frame = receiver.buffer.tickFrame(sensorCount: profileSensorCount)
      if frame.kind == LinkProtocol.kindEnd {
        if linkFault == nil { loop.finish(nowNanoseconds: frame.timeNanoseconds) }
        answer.linkStatus = linkFault?.rawValue ?? 0
        answer.state = LoopState.finished.rawValue
        answer.trip = lastTrip
        answer.sequence = frame.sequence
        answer.timeNanoseconds = frame.timeNanoseconds
        answer.stackHighWaterBytes = boardStackHighWaterBytes()
        answer.send()
        return 0
      }
      let expected = lastSequence.map { $0 &+ 1 } ?? 0
      if linkFault == nil, frame.sequence != expected {
        linkFault = .droppedFrame
        loop.finish(nowNanoseconds: lastTimeNanoseconds)
      }
      answer.sequence = frame.sequence
      answer.timeNanoseconds = frame.timeNanoseconds
      lastSequence = frame.sequence
      if linkFault == nil {
        loop.applicator.load(frame)
        let start = boardClockCounts()
        let record = loop.tick(nowNanoseconds: frame.timeNanoseconds)
        let cost = boardClockCounts() &- start
        lastTimeNanoseconds = frame.timeNanoseconds
        lastState = record.state
        lastTrip = record.trippedCheck.map { $0.rawValue &+ 1 } ?? 0
        answer.sentCommand = record.sentCommand
        answer.enabled = record.enabled
        answer.controllerCommand = record.controllerCommand
        answer.tickCostCounts = UInt32(truncatingIfNeeded: cost)
      }
    }
    answer.state = lastState.rawValue
    answer.trip = lastTrip
    if let linkFault {
      answer.linkStatus = linkFault.rawValue
      answer.sentCommand = loop.applicator.powerStage.command
      answer.enabled = loop.applicator.powerStage.enabled
    }
    answer.stackHighWaterBytes = boardStackHighWaterBytes()
    answer.send()
  }
}
