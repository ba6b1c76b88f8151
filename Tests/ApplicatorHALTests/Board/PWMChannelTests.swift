import Glibc
import TestSupport
import Testing

@testable import ApplicatorHAL
@testable import ApplicatorLinux

@Suite(.tags(.io, .safety)) struct PWMChannelTests {
  private let channelPath = "/sys/class/pwm/pwmchip0/pwm1"

  private func fake(channels: Int = 2) -> FakeBoardIO {
    let fake = FakeBoardIO()
    fake.addPWMChip(0, channels: channels)
    return fake
  }

  private func open(_ fake: FakeBoardIO, period: UInt64 = 50_000, inversed: Bool = false) throws
    -> PWMChannel
  {
    let location = try PWMLocation(io: fake, chip: 0, channel: 1)
    return try PWMChannel(
      io: fake, location: location, periodNanoseconds: period, inversed: inversed)
  }

  /// Export, then the period before the enable, and the channel enabled at duty 0.
  @Test func openingExportsAndLeavesTheOutputOffOnAnEnabledChannel() throws {
    let fake = fake()
    _ = try open(fake)
    #expect(
      fake.log == [
        "/sys/class/pwm/pwmchip0/export=1", "\(channelPath)/period=50000",
        "\(channelPath)/duty_cycle=0", "\(channelPath)/enable=1",
      ])
    #expect(fake.value("\(channelPath)/duty_cycle") == "0")
    #expect(fake.value("\(channelPath)/enable") == "1")
  }

  @Test func aChannelBeyondNpwmIsOutOfRangeAndNothingIsWritten() {
    let fake = fake(channels: 1)
    let error = #expect(throws: BoardOpenError.self) {
      _ = try PWMLocation(io: fake, chip: 0, channel: 1)
    }
    #expect(error?.fault == .outOfRange)
    #expect(error?.message.contains("has 1 channels") == true)
    #expect(fake.log.isEmpty)
    let missing = #expect(throws: BoardOpenError.self) {
      _ = try PWMLocation(io: fake, chip: 3, channel: 0)
    }
    #expect(missing?.fault == .notFound)
  }

  /// Exporting twice gives EBUSY: a second open finds the files and does not export again.
  @Test func aSecondExportIsBusyAndNotNeeded() throws {
    let fake = fake()
    _ = try open(fake)
    #expect(throws: BoardErrno(EBUSY)) { try fake.writeText("/sys/class/pwm/pwmchip0/export", "1") }
    let before = fake.log.filter { $0.hasSuffix("export=1") }.count
    _ = try open(fake)
    #expect(fake.log.filter { $0.hasSuffix("export=1") }.count == before)
  }

  /// The kernel creates the files during the export write, root-owned
  /// and readable at once; writes get EACCES until udev fixes the
  /// permissions: the first setup write is retried, three 100 ms waits.
  @Test func aDelayedExportIsRetried() throws {
    let fake = fake()
    fake.exportDelay = 3
    var channel = try open(fake)
    #expect(fake.sleeps == [100_000_000, 100_000_000, 100_000_000])
    #expect(fake.value("\(channelPath)/period") == "50000")
    #expect(fake.value("\(channelPath)/enable") == "1")
    try channel.setDuty(fraction: 0.25)
    #expect(fake.value("\(channelPath)/duty_cycle") == "12500")
  }

  @Test func anExportThatNeverAppearsGivesUpAfterTenAttempts() {
    let fake = fake()
    fake.exportDelay = 50
    let error = #expect(throws: BoardOpenError.self) { _ = try open(fake) }
    #expect(error?.fault == .permissionDenied)
    #expect(error?.message.contains("EACCES") == true, "\(String(describing: error))")
    #expect(fake.sleeps.count == 9)
  }

  /// A channel a kernel driver holds: EBUSY on export and no `pwmM`
  /// directory; the message says so instead of "did not become usable".
  @Test func aChannelHeldByAKernelDriverIsInUse() {
    let fake = fake()
    fake.claimedChannels = [channelPath]
    let error = #expect(throws: BoardOpenError.self) { _ = try open(fake) }
    #expect(error?.fault == .busy)
    #expect(error?.message.contains("in use by another driver") == true)
    #expect(fake.sleeps.isEmpty)
  }

  /// Channel files that do not parse are an error, not 0.
  @Test(arguments: ["period", "duty_cycle", "enable", "polarity"])
  func unparsableChannelFilesAreRefused(file: String) {
    let fake = fake()
    for (name, value) in [
      ("period", "50000"), ("duty_cycle", "0"), ("enable", "1"), ("polarity", "normal"),
    ] {
      fake.add("\(channelPath)/\(name)", name == file ? "garbage" : value)
    }
    let error = #expect(throws: BoardOpenError.self) { _ = try open(fake) }
    #expect(error?.fault == .invalidValue)
    #expect(error?.message.contains("\(channelPath)/\(file)") == true)
    #expect(fake.log.isEmpty, "nothing written")
  }

  /// Duty 0 is written at open even when the files already say 0.
  @Test func dutyZeroIsAlwaysWrittenAtOpen() throws {
    let fake = fake()
    for (file, value) in [
      ("period", "50000"), ("duty_cycle", "0"), ("enable", "1"), ("polarity", "normal"),
    ] {
      fake.add("\(channelPath)/\(file)", value)
    }
    _ = try open(fake)
    #expect(fake.log == ["\(channelPath)/duty_cycle=0"])
  }

  /// A channel left at period 1 ms, duty 0.8 ms: shrinking to 50 µs writes
  /// the duty first (else EINVAL: duty > period).
  @Test func shrinkingThePeriodWritesTheDutyFirst() throws {
    let fake = fake()
    for (file, value) in [
      ("period", "1000000"), ("duty_cycle", "800000"), ("enable", "1"), ("polarity", "normal"),
    ] {
      fake.add("\(channelPath)/\(file)", value)
    }
    _ = try open(fake)
    #expect(fake.log == ["\(channelPath)/duty_cycle=0", "\(channelPath)/period=50000"])
  }

  /// The kernel refuses a polarity change on an enabled channel (EBUSY in
  /// the fake): it is disabled at duty 0, changed, then enabled again.
  @Test func polarityIsChangedWhileDisabled() throws {
    let fake = fake()
    for (file, value) in [
      ("period", "50000"), ("duty_cycle", "0"), ("enable", "1"), ("polarity", "normal"),
    ] {
      fake.add("\(channelPath)/\(file)", value)
    }
    _ = try open(fake, inversed: true)
    #expect(
      fake.log == [
        "\(channelPath)/enable=0", "\(channelPath)/polarity=inversed",
        "\(channelPath)/duty_cycle=0", "\(channelPath)/enable=1",
      ])
  }

  /// Left `inversed` at 40 % and enabled: duty 0 on an inversed channel is
  /// 100 % active, so the channel is disabled before anything else.
  @Test func anInversedChannelIsDisabledBeforeItsDutyIsTouched() throws {
    let fake = fake()
    for (file, value) in [
      ("period", "50000"), ("duty_cycle", "20000"), ("enable", "1"), ("polarity", "inversed"),
    ] {
      fake.add("\(channelPath)/\(file)", value)
    }
    _ = try open(fake, inversed: false)
    #expect(
      fake.log == [
        "\(channelPath)/enable=0", "\(channelPath)/polarity=normal",
        "\(channelPath)/duty_cycle=0", "\(channelPath)/enable=1",
      ])
  }

  @Test func dutyFractionsAreClampedAndARefusedDutyIsInvalidValue() throws {
    let fake = fake()
    var channel = try open(fake)
    try channel.setDuty(fraction: 0.5)
    #expect(fake.value("\(channelPath)/duty_cycle") == "25000")
    try channel.setDuty(fraction: 7)
    #expect(fake.value("\(channelPath)/duty_cycle") == "50000")
    try channel.setDuty(fraction: .nan)
    #expect(fake.value("\(channelPath)/duty_cycle") == "0")
    fake.writeErrors["\(channelPath)/duty_cycle"] = [EINVAL]
    #expect(throws: FaultKind.invalidValue) { try channel.setDuty(fraction: 0.3) }
  }
}
