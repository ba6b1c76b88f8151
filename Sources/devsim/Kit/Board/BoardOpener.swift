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

  /// A failed open at `place`, as the error a run ends with.
  package func failure(_ error: BoardOpenError, _ place: BoardPlace) -> KitError {
    BoardDeviceProblem(error, at: place).kitError
  }

  /// The power stage's PWM channels and output lines (direction, enable,
  /// heartbeat), in the board file's order.
  package var outputEntries: (pwms: [BoardPWM], lines: [BoardLine]) {
    var pwms: [BoardPWM] = []
    var lines: [BoardLine] = []
    switch board.stage.kind {
    case .laser(let pwm): pwms = [pwm]
    case .tecDirection(let pwm, let direction):
      pwms = [pwm]
      lines = [direction]
    case .tecDualPWM(let heat, let cool): pwms = [heat, cool]
    }
    if let enable = board.stage.enable { lines.append(enable) }
    if let heartbeat = board.heartbeat { lines.append(heartbeat) }
    return (pwms, lines)
  }

  /// Step 1: sensors opened, PWM chips and channels, GPIO chips and lines
  /// checked, interlock inputs requested. Nothing is written. Stops at the
  /// first problem (`board check` uses the per-device steps and goes on).
  ///
  /// - Parameter only: the sensor names to open, in this order (a profile's); `nil` opens all.
  package func openInputs(only names: [String]? = nil) throws(KitError) -> BoardInputs {
    do throws(BoardDeviceProblem) {
      var sensors: [(BoardSensor, SysfsTemperatureSensor)] = []
      for name in names ?? board.sensors.map(\.name) {
        guard let entry = board.sensors.first(where: { $0.name == name }) else {
          throw BoardDeviceProblem(
            .unusable,
            "\(board.file): the profile's sensor \"\(name)\" is not on the board (board sensors: \(board.sensors.map(\.name).joined(separator: ", ")))"
          )
        }
        sensors.append((entry, try openSensor(entry)))
      }
      if let problem = sharedFiles(sensors).first { throw problem }
      let outputs = outputEntries
      var pwms: [(BoardPWM, PWMLocation)] = []
      for entry in outputs.pwms { pwms.append((entry, try locatePWM(entry))) }
      var lines: [(BoardLine, GPIOLineLocation)] = []
      for entry in outputs.lines { lines.append((entry, try locateLine(entry))) }
      var interlocks: [BoardInterlock] = []
      // Declared absent: nothing to open (the applicator reports it made).
      for interlock in board.interlocks where interlock.line != nil {
        interlocks.append(try openInterlock(interlock))
      }
      if let watchdog = board.watchdog { try checkWatchdog(watchdog) }
      return BoardInputs(sensors: sensors, pwms: pwms, lines: lines, interlocks: interlocks)
    } catch {
      throw error.kitError
    }
  }

  /// Opens one sensor's files.
  package func openSensor(_ entry: BoardSensor) throws(BoardDeviceProblem)
    -> SysfsTemperatureSensor
  {
    do throws(BoardOpenError) {
      return try SysfsSensorLocator(io: io).open(
        entry.spec, calibration: entry.calibration, periodNanoseconds: entry.periodNanoseconds)
    } catch {
      throw BoardDeviceProblem(error, at: entry.place)
    }
  }

  /// Two sensors that read one file are one sensor: a redundant sensor on
  /// its control sensor's file can never disagree with it. One problem per
  /// sensor whose file an earlier one already reads.
  package func sharedFiles(_ sensors: [(BoardSensor, SysfsTemperatureSensor)])
    -> [BoardDeviceProblem]
  {
    var problems: [BoardDeviceProblem] = []
    for (index, (entry, sensor)) in sensors.enumerated() {
      if let (first, _) = sensors.prefix(index).first(where: { $0.1.path == sensor.path }) {
        problems.append(
          BoardDeviceProblem(
            .unusable,
            "\(entry.place.description): sensor \"\(entry.name)\" reads \(sensor.path), the file sensor \"\(first.name)\" (\(first.place.path)) reads: two sensors on one file are one sensor"
          ))
      }
    }
    return problems
  }

  /// Checks that a PWM chip has the channel; writes nothing.
  package func locatePWM(_ entry: BoardPWM) throws(BoardDeviceProblem) -> PWMLocation {
    do throws(BoardOpenError) {
      return try PWMLocation(io: io, chip: entry.chip, channel: entry.channel)
    } catch {
      throw BoardDeviceProblem(error, at: entry.place)
    }
  }

  /// Checks that a GPIO chip path resolves to a character device, then
  /// that the chip has the line; requests nothing.
  package func locateLine(_ entry: BoardLine) throws(BoardDeviceProblem) -> GPIOLineLocation {
    try checkCharacterDevice(entry.chipPath, place: entry.place)
    do throws(BoardOpenError) {
      return try GPIOLineLocation(io: io, chip: entry.chip, offset: entry.offset)
    } catch {
      throw BoardDeviceProblem(error, at: entry.place)
    }
  }

  /// Requests an interlock's input line (an input drives nothing).
  package func openInterlock(_ interlock: BoardInterlockLine) throws(BoardDeviceProblem)
    -> BoardInterlock
  {
    guard let entry = interlock.line else {
      throw BoardDeviceProblem(.unusable, "\(interlock.place.description): declared absent")
    }
    let location = try locateLine(entry)
    do throws(BoardOpenError) {
      let line = try GPIOInputLine(
        io: io, location: location, activeLow: entry.activeLow, pullUp: entry.pullUp,
        pullDown: entry.pullDown)
      return BoardInterlock(line: line, role: interlock.role)
    } catch {
      throw BoardDeviceProblem(error, at: entry.place)
    }
  }

  /// Checks the watchdog without opening it (opening arms it).
  package func checkWatchdog(_ watchdog: BoardWatchdogDevice) throws(BoardDeviceProblem) {
    guard io.exists(watchdog.path) else {
      throw BoardDeviceProblem(
        .absent, "\(watchdog.place.description): \(watchdog.path) does not exist")
    }
    try checkCharacterDevice(watchdog.path, place: watchdog.place)
  }

  /// Refuses a device path whose resolved target (every link followed) is
  /// not a character device: a watchdog keepalive or a GPIO ioctl must
  /// never land in a file. A link that leads nowhere is a device absent.
  private func checkCharacterDevice(_ path: String, place: BoardPlace)
    throws(BoardDeviceProblem)
  {
    let resolved: ResolvedDevice
    do { resolved = try io.resolveDevice(path) } catch {
      throw BoardDeviceProblem(
        error.fault == .notFound ? .absent : .failed,
        "\(place.description): \(path) cannot be resolved (\(error.name))")
    }
    guard resolved.isCharacterDevice else {
      let shown = resolved.path == path ? path : "\(path) (resolved: \(resolved.path))"
      throw BoardDeviceProblem(
        .unusable, "\(place.description): \(shown) is not a character device")
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
