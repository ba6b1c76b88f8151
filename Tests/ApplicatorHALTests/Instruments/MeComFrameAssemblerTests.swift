import InstrumentProtocols
import Testing

@Suite("MeCom frame assembler")
struct MeComFrameAssemblerTests {
  /// Feeds `bytes` one by one and collects what they complete.
  private func events(_ bytes: [UInt8], start: UInt8 = MeComFrame.replyStart) -> (
    [MeComFrameAssembler.Event], MeComFrameAssembler
  ) {
    var assembler = MeComFrameAssembler(start: start)
    var found: [MeComFrameAssembler.Event] = []
    for byte in bytes {
      if let event = assembler.take(byte) { found.append(event) }
    }
    return (found, assembler)
  }

  @Test("two replies in one read, with line noise before the first, give the two frames")
  func twoFrames() {
    let stream =
      Array("xx\r".utf8) + MeComReferenceFrames.objectTemperatureReply
      + MeComReferenceFrames.targetTemperatureAcknowledge
    let (found, assembler) = events(stream)
    #expect(
      found == [
        .frame(MeComReferenceFrames.objectTemperatureReply),
        .frame(MeComReferenceFrames.targetTemperatureAcknowledge),
      ])
    #expect(!assembler.hasPartialFrame)
  }

  @Test("a start character inside a frame begins it afresh; a cut frame is left partial")
  func restartAndPartial() {
    let cut = Array(MeComReferenceFrames.objectTemperatureReply.prefix(9))
    let (found, _) = events(cut + MeComReferenceFrames.objectTemperatureReply)
    #expect(found == [.frame(MeComReferenceFrames.objectTemperatureReply)])
    let (none, assembler) = events(cut)
    #expect(none.isEmpty)
    #expect(assembler.hasPartialFrame)
  }

  @Test(
    "a frame without carriage return is dropped as overlong at the limit, then the next is read")
  func overlong() {
    let runaway = [MeComFrame.replyStart] + [UInt8](repeating: 0x30, count: 100)
    let (found, _) = events(runaway + MeComReferenceFrames.objectTemperatureReply)
    #expect(found == [.overlong, .frame(MeComReferenceFrames.objectTemperatureReply)])
  }

  @Test("a device-side assembler takes requests and ignores replies")
  func deviceSide() {
    let (found, _) = events(
      MeComReferenceFrames.objectTemperatureReply + MeComReferenceFrames.readObjectTemperature,
      start: MeComFrame.requestStart)
    #expect(found == [.frame(MeComReferenceFrames.readObjectTemperature)])
  }
}
