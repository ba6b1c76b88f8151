#if canImport(Glibc)
  import ApplicatorHAL
  import InstrumentProtocols

  /// A MeCom TEC's output in host control: the command is written each tick as live current
  /// (``MeComParameter/liveCurrent``, RAM only), the enable is live enable
  /// (``MeComParameter/liveEnable``) under output stage enable 2, the read-back is the
  /// actual current (``MeComParameter/actualCurrent``, fetched with the sensors).
  ///
  /// A command of +1 is full heating: it is sent as `heatingCurrentSign` × full-scale
  /// current, so the loop's sign holds whichever polarity heats on the bench.
  public struct MeComPowerStage: PowerStage {
    private let link: MeComLink
    private let settings: MeComSettings
    /// A TEC: −1 … +1.
    public let commandRange = CommandRange.bipolar
    /// The read-back from the last sensor fetch, fraction of full scale, or why it gave none.
    var measured: Result<Double, FaultKind> = .failure(.noData)
    /// Whether output stage enable is static off (after a safe-off): an enable first puts
    /// it back to live.
    var outputStageOff = false
    /// Whether the instrument acknowledged output stage enable static off since the last
    /// enable: until it has, every safe-off writes it again; after, a safe tick writes only
    /// the live parameters (50000, 50001).
    var outputStageOffAcknowledged = false

    init(link: MeComLink, settings: MeComSettings) {
      self.link = link
      self.settings = settings
    }

    /// The instrument current of `command`, A.
    func amperes(_ command: Double) -> Float {
      Float(
        commandRange.clamp(command) * settings.fullScaleCurrentAmperes * settings.heatingCurrentSign
      )
    }

    /// Live current ← the command in amperes.
    public mutating func write(command: Double, nowNanoseconds: UInt64) throws(FaultKind) {
      try link.set(
        MeComParameter.liveCurrent, instance: settings.outputInstance, .float32(amperes(command)))
    }

    /// Live enable ← 1 or 0. An enable first writes live current 0 (no stale current
    /// drives at the enable's instant; the loop's command follows) and, after a safe-off,
    /// puts output stage enable back to live.
    public mutating func setEnabled(_ enabled: Bool, nowNanoseconds: UInt64) throws(FaultKind) {
      if enabled {
        try link.set(
          MeComParameter.liveCurrent, instance: settings.outputInstance, .float32(0))
      }
      if enabled && outputStageOff {
        try link.set(
          MeComParameter.outputStageEnable, instance: settings.outputInstance,
          .int32(MeComParameter.outputStageLive))
        outputStageOff = false
        outputStageOffAcknowledged = false
      }
      try link.set(
        MeComParameter.liveEnable, instance: settings.outputInstance, .int32(enabled ? 1 : 0))
    }

    /// Live current 0, live enable 0, output stage enable static off: three cuts, each
    /// tried whatever the others gave; the first error is returned. Output stage enable is
    /// written until the instrument acknowledged it once (re-asserted every safe tick are
    /// only the RAM-only live parameters). Should the link be gone, the instrument's
    /// communication watchdog turns its output off.
    public mutating func safeOff(nowNanoseconds: UInt64) -> FaultKind? {
      let instance = settings.outputInstance
      var first: FaultKind? = nil
      for (parameter, value) in [
        (MeComParameter.liveCurrent, MeComValue.float32(0)),
        (MeComParameter.liveEnable, .int32(0)),
      ] {
        do throws(FaultKind) {
          try link.set(parameter, instance: instance, value)
        } catch {
          if first == nil { first = error }
        }
      }
      if !outputStageOffAcknowledged {
        do throws(FaultKind) {
          try link.set(
            MeComParameter.outputStageEnable, instance: instance,
            .int32(MeComParameter.outputStageOff))
          outputStageOffAcknowledged = true
        } catch {
          if first == nil { first = error }
        }
      }
      outputStageOff = true
      return first
    }

    /// The actual current of the last fetch as a fraction of full scale (heating positive);
    /// a failed fetch or an instrument in its error state is a fault of the read-back.
    public mutating func readBack(nowNanoseconds: UInt64) throws(FaultKind) -> Double? {
      try measured.get()
    }
  }
#endif
