#if canImport(Glibc)
  import ApplicatorHAL
  /// What an interlock input guards.
  public enum InterlockRole: UInt8, Sendable, Equatable {
    /// Skin contact or vacuum.
    case contact
    /// Coolant flow.
    case coolantFlow
    /// The operator's key switch: open counts as every interlock open.
    case keySwitch
  }

  /// One interlock input line and what it guards.
  public struct BoardInterlock {
    /// The line; `true` is made.
    public var line: GPIOInputLine
    /// What it guards.
    public let role: InterlockRole

    /// Creates an interlock.
    public init(line: GPIOInputLine, role: InterlockRole) {
      self.line = line
      self.role = role
    }
  }

  /// A Linux board as an ``Applicator``: sysfs sensors, a PWM power stage
  /// with GPIO enable and direction lines, GPIO interlock inputs, and an
  /// optional hardware watchdog or heartbeat line fed once per tick.
  ///
  /// Interlocks not wired on the board are reported made: the supervisor
  /// cannot see them, so the board file must declare each missing contact
  /// or coolant-flow interlock `"absent"` (docs/boards.md; devsim refuses a
  /// board that leaves one out). A line that cannot be read is reported open.
  public struct BoardApplicator: Applicator {
    /// The power stage.
    public var powerStage: BoardPowerStage
    /// The sensors, one per slot.
    public private(set) var sensors: [SysfsTemperatureSensor]
    /// The interlock inputs.
    public private(set) var interlocks: [BoardInterlock]
    /// The hardware watchdog, when the board has one.
    public let watchdog: BoardWatchdog?
    /// A line toggled every tick for an external watchdog.
    public private(set) var heartbeat: GPIOOutputLine?
    /// The first watchdog or heartbeat failure, for the report.
    public private(set) var keepAliveFault: FaultKind? = nil

    /// Assembles a board whose outputs are all open and off.
    public init(
      sensors: [SysfsTemperatureSensor], powerStage: BoardPowerStage,
      interlocks: [BoardInterlock] = [], watchdog: BoardWatchdog? = nil,
      heartbeat: GPIOOutputLine? = nil
    ) {
      self.sensors = Array(sensors.prefix(maximumSensorCount))
      self.powerStage = powerStage
      self.interlocks = interlocks
      self.watchdog = watchdog
      self.heartbeat = heartbeat
    }

    /// How many sensors.
    public var sensorCount: Int { sensors.count }

    /// Feeds the watchdog or toggles the heartbeat: the loop is alive.
    ///
    /// A failure stops the treatment in the same tick: the power stage
    /// refuses every later drive (``BoardPowerStage/refuseDriving(_:)``), so
    /// the loop's next write trips `actuatorFault` and goes safe. A loop that
    /// cannot prove it is alive to the hardware must not keep driving.
    public mutating func advance(toNanoseconds nowNanoseconds: UInt64) {
      do throws(FaultKind) {
        try watchdog?.keepAlive()
        if var line = heartbeat {
          try line.write(!line.isActive, nowNanoseconds: nowNanoseconds)
          heartbeat = line
        }
      } catch {
        if keepAliveFault == nil { keepAliveFault = error }
        powerStage.refuseDriving(error)
      }
    }

    /// Reads every sensor once; a failed read is that slot's typed fault.
    public mutating func readSensors(nowNanoseconds: UInt64, into snapshot: inout SensorSnapshot) {
      snapshot.count = sensors.count
      for index in sensors.indices {
        snapshot.readings[index] = sensors[index].reading(nowNanoseconds: nowNanoseconds)
      }
    }

    /// Reads every interlock line; throws the first failure (the loop
    /// reports it as ``Interlocks/unreadable(_:)``). A key switch that is
    /// off opens every interlock and says so (``Interlocks/keySwitchOff``).
    public mutating func readInterlocks(nowNanoseconds: UInt64) throws(FaultKind) -> Interlocks {
      var state = Interlocks.allMade
      for index in interlocks.indices {
        let made = try interlocks[index].line.read(nowNanoseconds: nowNanoseconds)
        guard !made else { continue }
        switch interlocks[index].role {
        case .contact: state.contactMade = false
        case .coolantFlow: state.coolantFlowing = false
        case .keySwitch: state = .keySwitchOff
        }
      }
      return state
    }

    /// Ends the session: the stage's safe-off again, then the watchdog is
    /// disarmed with the magic close only if every cut succeeded; otherwise
    /// it stays armed and resets the board.
    ///
    /// - Returns: the safe-off's first error, if any.
    public mutating func close(nowNanoseconds: UInt64) -> FaultKind? {
      let failed = powerStage.safeOff(nowNanoseconds: nowNanoseconds)
      if let watchdog {
        if failed == nil { try? watchdog.disarm() } else { watchdog.abandon() }
      }
      if var line = heartbeat {
        try? line.write(false, nowNanoseconds: nowNanoseconds)
        heartbeat = line
      }
      return failed
    }
  }
#endif
