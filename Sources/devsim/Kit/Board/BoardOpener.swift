import ApplicatorLinux

/// A board's inputs, found and opened without touching any output: every
/// sensor file open, every PWM channel and GPIO line checked to exist,
/// interlock inputs requested.
package struct BoardInputs {
  package var sensors: [(entry: BoardSensor, sensor: SysfsTemperatureSensor)]
  package var pwms: [(entry: BoardPWM, location: PWMLocation)]
  package var lines: [(entry: BoardLine, location: GPIOLineLocation)]
  package var interlocks: [BoardInterlock]
}

/// Opens a board description through an I/O seam in two steps: first
/// everything that drives nothing (so a bad board file is refused before
/// any output is touched), then the outputs, each left off.
package struct BoardOpener {
  /// An opener of `board`'s devices through `io`.
  package init(board: BoardDescription, io: any BoardIO) {
    self.board = board
    self.io = io
  }

  package let board: BoardDescription
  package let io: any BoardIO

  /// A failed open: bad data when the board file describes something the
  /// board does not have, a device failure when a device that exists failed.
  package func failure(_ error: BoardOpenError, _ place: BoardPlace) -> KitError {
    let message = "\(place.description): \(error.message)"
    return error.isBadDescription ? .invalid(message) : .deviceFailure(message)
  }

  /// Step 1: sensors opened, PWM chips and channels, GPIO chips and lines
  /// checked, interlock inputs requested. Nothing is written.
  ///
  /// - Parameter only: the sensor names to open, in this order (a profile's); `nil` opens all.
  package func openInputs(only names: [String]? = nil) throws(KitError) -> BoardInputs {
    var sensors: [(BoardSensor, SysfsTemperatureSensor)] = []
    let wanted = names ?? board.sensors.map(\.name)
    for name in wanted {
      guard let entry = board.sensors.first(where: { $0.name == name }) else {
        throw KitError.invalid(
          "\(board.file): the profile's sensor \"\(name)\" is not on the board (board sensors: \(board.sensors.map(\.name).joined(separator: ", ")))"
        )
      }
      do throws(BoardOpenError) {
        let sensor = try SysfsSensorLocator(io: io).open(
          entry.spec, calibration: entry.calibration, periodNanoseconds: entry.periodNanoseconds)
        sensors.append((entry, sensor))
      } catch {
        throw failure(error, entry.place)
      }
    }
    var pwmEntries: [BoardPWM] = []
    var lineEntries: [BoardLine] = []
    switch board.stage.kind {
    case .laser(let pwm): pwmEntries = [pwm]
    case .tecDirection(let pwm, let direction):
      pwmEntries = [pwm]
      lineEntries = [direction]
    case .tecDualPWM(let heat, let cool): pwmEntries = [heat, cool]
    }
    if let enable = board.stage.enable { lineEntries.append(enable) }
    if let heartbeat = board.heartbeat { lineEntries.append(heartbeat) }
    var pwms: [(BoardPWM, PWMLocation)] = []
    for entry in pwmEntries {
      do throws(BoardOpenError) {
        pwms.append(
          (entry, try PWMLocation(io: io, chip: entry.chip, channel: entry.channel)))
      } catch {
        throw failure(error, entry.place)
      }
    }
    var lines: [(BoardLine, GPIOLineLocation)] = []
    for entry in lineEntries {
      do throws(BoardOpenError) {
        lines.append(
          (entry, try GPIOLineLocation(io: io, chip: entry.chip, offset: entry.offset)))
      } catch {
        throw failure(error, entry.place)
      }
    }
    var interlocks: [BoardInterlock] = []
    for interlock in board.interlocks {
      // Declared absent: nothing to open (the applicator reports it made).
      guard let entry = interlock.line else { continue }
      do throws(BoardOpenError) {
        let location = try GPIOLineLocation(io: io, chip: entry.chip, offset: entry.offset)
        let line = try GPIOInputLine(
          io: io, location: location, activeLow: entry.activeLow, pullUp: entry.pullUp,
          pullDown: entry.pullDown)
        interlocks.append(BoardInterlock(line: line, role: interlock.role))
      } catch {
        throw failure(error, entry.place)
      }
    }
    if let watchdog = board.watchdog {
      guard io.exists(watchdog.path) else {
        throw KitError.invalid("\(watchdog.place.description): \(watchdog.path) does not exist")
      }
      try checkCharacterDevice(watchdog.path, place: watchdog.place)
    }
    return BoardInputs(sensors: sensors, pwms: pwms, lines: lines, interlocks: interlocks)
  }

  /// Refuses a device path whose resolved target (every link followed) is
  /// not a character device: a watchdog keepalive must never land in a file.
  private func checkCharacterDevice(_ path: String, place: BoardPlace) throws(KitError) {
    let resolved: ResolvedDevice
    do { resolved = try io.resolveDevice(path) } catch {
      throw KitError.invalid("\(place.description): \(path) cannot be resolved (\(error.name))")
    }
    guard resolved.isCharacterDevice else {
      let shown = resolved.path == path ? path : "\(path) (resolved: \(resolved.path))"
      throw KitError.invalid("\(place.description): \(shown) is not a character device")
    }
  }

  /// Step 2: the enable and direction lines requested inactive, the PWM
  /// channels exported and enabled at duty 0, the heartbeat line, and the
  /// watchdog armed. The stage is off; the loop closes the enable.
  package func openApplicator(_ inputs: BoardInputs) throws(KitError) -> BoardApplicator {
    func line(_ entry: BoardLine) throws(KitError) -> GPIOOutputLine {
      guard let location = inputs.lines.first(where: { $0.entry.place.path == entry.place.path })
      else {
        throw KitError.invalid("\(entry.place.description): not located")
      }
      do throws(BoardOpenError) {
        return try GPIOOutputLine(io: io, location: location.location, activeLow: entry.activeLow)
      } catch {
        throw failure(error, entry.place)
      }
    }
    func pwm(_ entry: BoardPWM) throws(KitError) -> PWMChannel {
      guard let location = inputs.pwms.first(where: { $0.entry.place.path == entry.place.path })
      else {
        throw KitError.invalid("\(entry.place.description): not located")
      }
      do throws(BoardOpenError) {
        return try PWMChannel(
          io: io, location: location.location, periodNanoseconds: entry.periodNanoseconds,
          inversed: entry.inversed)
      } catch {
        throw failure(error, entry.place)
      }
    }
    // The enable line first and inactive: whatever the PWM does while it is
    // set up, the driver is disabled.
    let enable = try board.stage.enable.map { entry throws(KitError) in try line(entry) }
    let drive: BoardDrive
    switch board.stage.kind {
    case .laser(let entry): drive = .single(try pwm(entry))
    case .tecDirection(let entry, let direction):
      let directionLine = try line(direction)
      drive = .directionBridge(magnitude: try pwm(entry), heatDirection: directionLine)
    case .tecDualPWM(let heat, let cool):
      drive = .dualPWM(heat: try pwm(heat), cool: try pwm(cool))
    }
    let stage = BoardPowerStage(
      drive: drive, enableLine: enable, deadTimeNanoseconds: board.stage.deadTimeNanoseconds)
    let heartbeat = try board.heartbeat.map { entry throws(KitError) in try line(entry) }
    var watchdog: BoardWatchdog? = nil
    if let entry = board.watchdog {
      do throws(BoardOpenError) {
        watchdog = try BoardWatchdog(io: io, path: entry.path, timeoutSeconds: entry.timeoutSeconds)
      } catch {
        throw failure(error, entry.place)
      }
    }
    return BoardApplicator(
      sensors: inputs.sensors.map(\.sensor), powerStage: stage, interlocks: inputs.interlocks,
      watchdog: watchdog, heartbeat: heartbeat)
  }
}
