#if canImport(Glibc)
  import ApplicatorHAL
  import InstrumentProtocols

  /// A Meerstetter TEC in host control as an ``Applicator``: the loop's command goes to the
  /// instrument's live current every tick, its temperatures are the sensors.
  ///
  /// Each tick fetches every mapped temperature, the actual current (the read-back) and
  /// the device status, one request each; a timeout or a hang-up ends the fetch there (every
  /// slot not yet read, the read-back and the interlocks get that fault), so a silent
  /// instrument costs one reply deadline per tick, not one per request. Every refused, late or mismatched reply is a
  /// failed read of what it was for, never a value; an instrument in any status but ready (1)
  /// or run (2) — its error state (3: its own limit, its watchdog), init (0), bootloader
  /// (4), reset (5, the RAM-only limits and watchdog lost) or a value not listed — makes the
  /// read-back a ``FaultKind/faultFlag``.
  /// The instrument has no interlock inputs devsim reads (the rig file declares them
  /// absent), so the interlocks read as made while the fetch succeeds and as the fetch's
  /// fault when it fails (a fault flag when the status is not ready or run).
  public struct MeComApplicator: Applicator {
    /// The instrument's output.
    public var powerStage: MeComPowerStage
    /// The link, for the runner to see a lost device.
    public let link: MeComLink
    /// What drives the instrument.
    public let settings: MeComSettings
    /// What the instrument said about itself at connect.
    public let identity: MeComIdentity
    private var lastError: FaultKind? = .noData

    /// How many sensor slots are read.
    public var sensorCount: Int { min(settings.channels.count, maximumSensorCount) }

    /// Connects: identifies the instrument (its device type must be the rig file's), puts
    /// its output off, refuses it unless its device status is ready or run (naming its
    /// error number), turns saving to flash off, selects live current, writes the current
    /// limit, the object temperature error thresholds and the communication watchdog and
    /// reads each back (a value less strict than written refuses the instrument), then sets output stage
    /// enable to live with live enable 0: the output stays off until the loop enables it.
    ///
    /// - Throws: ``MeComConnectError/noAnswer(_:)`` when the instrument does not answer,
    ///   ``MeComConnectError/mismatch(_:)`` when it is not the rig file's or did not keep a
    ///   value; the output is put in its safe state first (best effort).
    public init(link: MeComLink, settings: MeComSettings) throws(MeComConnectError) {
      self.link = link
      self.settings = settings
      powerStage = MeComPowerStage(link: link, settings: settings)
      identity = try MeComIdentity.read(link)
      guard identity.deviceType == settings.deviceType else {
        throw .mismatch(
          "the instrument is device type \(identity.deviceType) (MeCom parameter 100), the rig file describes a \(settings.deviceType)"
        )
      }
      let instance = settings.outputInstance
      var stage = powerStage
      if let fault = stage.safeOff(nowNanoseconds: 0) {
        throw .noAnswer("the output could not be put off: \(fault.name)")
      }
      try MeComApplicator.requireHealthy(link)
      let writes: [(UInt16, UInt8, MeComValue, String, Strictness)] = [
        (MeComParameter.flashSaveOff, 1, .int32(1), "flash save off", .exact),
        (
          MeComParameter.inputSelection, instance, .int32(MeComParameter.inputSelectionLiveCurrent),
          "input selection", .exact
        ),
        (
          MeComParameter.currentLimit, instance, .float32(Float(settings.currentLimitAmperes)),
          "current limit", .atMost
        ),
        (
          MeComParameter.objectLowerErrorThreshold, instance,
          .float32(Float(settings.objectLowCelsius)), "object lower error threshold", .atLeast
        ),
        (
          MeComParameter.objectUpperErrorThreshold, instance,
          .float32(Float(settings.objectHighCelsius)), "object upper error threshold", .atMost
        ),
        (
          MeComParameter.communicationWatchdog, instance, .float32(Float(settings.watchdogSeconds)),
          "communication watchdog", .positiveAtMost
        ),
      ]
      for (parameter, instance, value, name, strictness) in writes {
        try MeComApplicator.writeAndReadBack(
          link, parameter, instance: instance, value, name: name, strictness: strictness,
          stage: &stage)
      }
      do throws(FaultKind) {
        try link.set(
          MeComParameter.outputStageEnable, instance: instance,
          .int32(MeComParameter.outputStageLive))
      } catch {
        _ = stage.safeOff(nowNanoseconds: 0)
        throw .noAnswer("output stage enable (2010) not set: \(error.name)")
      }
      stage.outputStageOff = false
      stage.outputStageOffAcknowledged = false
      powerStage = stage
    }

    /// Reads device status (104) and refuses an instrument that is not ready or running,
    /// naming its error number (105): in its error state it has cut its output for a reason
    /// of its own (a limit, its watchdog) that a person must clear on the instrument; in
    /// init, bootloader or reset nothing written to it can be trusted to stay.
    static func requireHealthy(_ link: MeComLink) throws(MeComConnectError) {
      let status: Int32
      do throws(FaultKind) {
        status = try link.readInt(MeComParameter.deviceStatus)
      } catch {
        throw .noAnswer("device status (104) not read: \(error.name)")
      }
      guard MeComParameter.isHealthy(status: status) else {
        let number: String
        do throws(FaultKind) {
          number = String(try link.readInt(MeComParameter.errorNumber))
        } catch {
          number = "not read, \(error.name)"
        }
        throw .mismatch(
          "the instrument is in device status \(status) (MeCom 104; 1 ready and 2 run are driven), error number \(number) (105): clear it on the instrument (reset it) and connect again; nothing was driven"
        )
      }
    }

    /// What read-back of a written value the instrument is kept with: the same, or one at
    /// least as strict (an instrument may round a float, or hold a tighter limit of its own).
    enum Strictness {
      /// The same bits.
      case exact
      /// A finite float no greater than written (a current limit, an upper threshold).
      case atMost
      /// A finite float no less than written (a lower threshold).
      case atLeast
      /// A finite float above 0 and no greater than written (a watchdog: 0 is off).
      case positiveAtMost

      /// Whether `bits` read back keeps `value` written.
      func keeps(_ bits: UInt32, written value: MeComValue) -> Bool {
        guard case .float32(let written) = value, self != .exact else { return bits == value.bits }
        let read = Float(bitPattern: bits)
        guard read.isFinite else { return false }
        switch self {
        case .exact: return bits == value.bits
        case .atMost: return read <= written
        case .atLeast: return read >= written
        case .positiveAtMost: return read > 0 && read <= written
        }
      }
    }

    /// Writes one parameter and reads it back; a value less strict than written refuses the
    /// instrument.
    private static func writeAndReadBack(
      _ link: MeComLink, _ parameter: UInt16, instance: UInt8, _ value: MeComValue, name: String,
      strictness: Strictness, stage: inout MeComPowerStage
    ) throws(MeComConnectError) {
      let readBack: UInt32
      do throws(FaultKind) {
        try link.set(parameter, instance: instance, value)
        guard
          case .value(let bits) = try link.exchange(
            .read(parameterID: parameter, instance: instance))
        else { throw FaultKind.protocolError }
        readBack = bits
      } catch {
        _ = stage.safeOff(nowNanoseconds: 0)
        let reason = link.lastError.map { ", \($0)" } ?? ""
        if error == .invalidValue {
          throw .mismatch(
            "the instrument refused \(name) (\(parameter)) = \(MeComApplicator.text(value))\(reason); nothing was driven"
          )
        }
        throw .noAnswer("\(name) (\(parameter)) not written: \(error.name)\(reason)")
      }
      guard strictness.keeps(readBack, written: value) else {
        _ = stage.safeOff(nowNanoseconds: 0)
        let shown: MeComValue =
          if case .float32 = value { .float32(Float(bitPattern: readBack)) } else {
            .int32(Int32(bitPattern: readBack))
          }
        throw .mismatch(
          "\(name) (\(parameter)) written \(MeComApplicator.text(value)), read back \(MeComApplicator.text(shown)); nothing was driven"
        )
      }
    }

    /// A value as text: an integer, or a float with its digits.
    static func text(_ value: MeComValue) -> String {
      switch value {
      case .int32(let number): String(number)
      case .float32(let number): "\(number)"
      }
    }

    /// Hardware: nothing to integrate.
    public mutating func advance(toNanoseconds nowNanoseconds: UInt64) {}

    /// Reads every mapped temperature, the actual current and the device status.
    public mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
      snapshot.count = sensorCount
      for slot in 0..<sensorCount {
        let channel = settings.channels[slot]
        do throws(FaultKind) {
          let celsius = try link.readFloat(channel.parameterID, instance: channel.instance)
          snapshot.readings[slot] = .sample(
            TemperatureSample(celsius: Double(celsius), timestampNanoseconds: nowNanoseconds))
        } catch {
          snapshot.readings[slot] = .fault(error)
          // An instrument that stopped answering (or went away) fails the whole fetch: the
          // rest would only wait out the same deadline again, past the tick.
          if error == .timedOut || error == .disconnected {
            let first = error == .disconnected ? 0 : slot
            for rest in first..<sensorCount { snapshot.readings[rest] = .fault(error) }
            powerStage.measured = .failure(error)
            lastError = error
            return
          }
        }
      }
      do throws(FaultKind) {
        let amperes = try link.readFloat(
          MeComParameter.actualCurrent, instance: settings.outputInstance)
        let status = try link.readInt(MeComParameter.deviceStatus)
        if !MeComParameter.isHealthy(status: status) {
          // Error, init, bootloader, reset or unknown: after a reset the RAM-only limits
          // and watchdog are gone, so nothing the instrument reports can be trusted.
          powerStage.measured = .failure(.faultFlag)
          lastError = .faultFlag
          return
        }
        powerStage.measured = .success(
          Double(amperes) * settings.heatingCurrentSign / settings.fullScaleCurrentAmperes)
        // One temperature's refused read is that slot's fault (the supervisor judges it);
        // the interlocks follow the instrument's own answers.
        lastError = nil
      } catch {
        powerStage.measured = .failure(error)
        lastError = error
        if error == .disconnected {
          for slot in 0..<sensorCount { snapshot.readings[slot] = .fault(.disconnected) }
        }
      }
    }

    /// Ends a run: puts the output off once more (live current 0, live enable 0, output
    /// stage enable static off) and reads back that it is: live enable (50000) 0, output
    /// stage enable (2010) static off and the actual current (1020) within
    /// ``closedCurrentFraction`` of full scale (within ``closeSettleNanoseconds``); then disarms the communication watchdog
    /// (2060 ← 0), the output being off.
    ///
    /// - Returns: nil when the output is confirmed off; else why not (a failed write or
    ///   read, or ``FaultKind/faultFlag`` for a read-back that is not off). Then only the
    ///   instrument's communication watchdog cuts the output.
    public mutating func close(nowNanoseconds: UInt64) -> FaultKind? {
      if let fault = powerStage.safeOff(nowNanoseconds: nowNanoseconds) { return fault }
      let instance = settings.outputInstance
      do throws(FaultKind) {
        let liveEnable = try link.readInt(MeComParameter.liveEnable, instance: instance)
        let stageEnable = try link.readInt(MeComParameter.outputStageEnable, instance: instance)
        guard liveEnable == 0, stageEnable == MeComParameter.outputStageOff else {
          return .faultFlag
        }
        // The actual current is measured: it may take the instrument a moment to fall.
        let settled = MonotonicClock.rawNanoseconds() + MeComApplicator.closeSettleNanoseconds
        while true {
          let amperes = try link.readFloat(MeComParameter.actualCurrent, instance: instance)
          if Double(abs(amperes))
            <= MeComApplicator.closedCurrentFraction * settings.fullScaleCurrentAmperes
          {
            break
          }
          guard MonotonicClock.rawNanoseconds() < settled else { return .faultFlag }
        }
      } catch {
        return error
      }
      // The output is confirmed off: the watchdog is disarmed so that the instrument does
      // not enter its error state once the host has gone (a next run would find it there).
      // Best effort: should the write fail, the next connect names the error state.
      try? link.set(MeComParameter.communicationWatchdog, instance: instance, .float32(0))
      return nil
    }

    /// How long the actual current may take to fall after the close's safe-off, ns (read
    /// again and again until then).
    public static let closeSettleNanoseconds: UInt64 = 1_000_000_000

    /// The actual current an output confirmed off may still read (its monitor's offset), as
    /// a fraction of full scale.
    public static let closedCurrentFraction = 0.02

    /// Made while the fetch succeeds and the instrument is ready or running (it has no
    /// interlock inputs: the rig file declares them absent); the fetch's fault when it
    /// failed, ``FaultKind/faultFlag`` in any other device status.
    public mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
      if let lastError { throw lastError }
      return .allMade
    }
  }
#endif
