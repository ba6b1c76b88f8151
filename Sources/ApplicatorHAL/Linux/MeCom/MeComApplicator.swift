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
  /// failed read of what it was for, never a value; an instrument in its error state
  /// (status 3: its own limit, its watchdog) makes the read-back a ``FaultKind/faultFlag``.
  /// The instrument has no interlock inputs devsim reads (the rig file declares them
  /// absent), so the interlocks read as made while the fetch succeeds and as the fetch's
  /// fault when it fails.
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
    /// its output off, turns saving to flash off, selects live current, writes the current
    /// limit, the object temperature error thresholds and the communication watchdog and
    /// reads each back (a value not kept refuses the instrument), then sets output stage
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
      let writes: [(UInt16, UInt8, MeComValue, String)] = [
        (MeComParameter.flashSaveOff, 1, .int32(1), "flash save off"),
        (
          MeComParameter.inputSelection, instance, .int32(MeComParameter.inputSelectionLiveCurrent),
          "input selection"
        ),
        (
          MeComParameter.currentLimit, instance, .float32(Float(settings.currentLimitAmperes)),
          "current limit"
        ),
        (
          MeComParameter.objectLowerErrorThreshold, instance,
          .float32(Float(settings.objectLowCelsius)), "object lower error threshold"
        ),
        (
          MeComParameter.objectUpperErrorThreshold, instance,
          .float32(Float(settings.objectHighCelsius)), "object upper error threshold"
        ),
        (
          MeComParameter.communicationWatchdog, instance, .float32(Float(settings.watchdogSeconds)),
          "communication watchdog"
        ),
      ]
      for (parameter, instance, value, name) in writes {
        try MeComApplicator.writeAndReadBack(
          link, parameter, instance: instance, value, name: name, stage: &stage)
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
      powerStage = stage
    }

    /// Writes one parameter and reads it back; a different value refuses the instrument.
    private static func writeAndReadBack(
      _ link: MeComLink, _ parameter: UInt16, instance: UInt8, _ value: MeComValue, name: String,
      stage: inout MeComPowerStage
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
      guard readBack == value.bits else {
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
        if status == MeComParameter.statusError {
          powerStage.measured = .failure(.faultFlag)
        } else {
          powerStage.measured = .success(
            Double(amperes) * settings.heatingCurrentSign / settings.fullScaleCurrentAmperes)
        }
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

    /// Made while the fetch succeeds (the instrument has no interlock inputs: the rig file
    /// declares them absent); the fetch's fault when it failed.
    public mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
      if let lastError { throw lastError }
      return .allMade
    }
  }
#endif
