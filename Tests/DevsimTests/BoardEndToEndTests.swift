import Foundation
import TestSupport
import Testing

@testable import DevsimKit
@testable import devsim

/// A kernel-shaped tree for `devsim board` and `devsim run --board`: an RTD
/// amplifier under IIO (plate), a thermistor under hwmon (plate-b), a TEC
/// through a two-input bridge on pwmchip0 (channels exported), a watchdog.
/// A plain tree cannot hold a gpiochip, so these boards have no lines: they
/// declare `"enable": "none"` and both interlocks absent (the escape hatches
/// docs/boards.md documents, each warned about); the lines are tested
/// through the fake seam in ApplicatorHALTests.
private struct BenchTree {
  let root: URL
  var iioRaw: String { "/sys/bus/iio/devices/iio:device0/in_temp_raw" }

  init(plateCelsius: Double = 0) throws {
    root = try scratchDirectory()
    // The watchdog must resolve to a character device: a pseudo-terminal's
    // slave stands in, and its master shows what was written to it.
    var master: Int32 = -1
    var slave: Int32 = -1
    guard openpty(&master, &slave, nil, nil, nil) == 0, let slaveName = ttyname(slave) else {
      throw CocoaError(.fileNoSuchFile)
    }
    let name = String(cString: slaveName)
    var attributes = termios()
    tcgetattr(slave, &attributes)
    cfmakeraw(&attributes)
    tcsetattr(slave, TCSANOW, &attributes)
    _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    watchdogMaster = master
    watchdogSlave = slave
    let millidegrees = Int((plateCelsius * 1000).rounded())
    try write("/sys/bus/iio/devices/iio:device0/name", "max31865")
    try write(iioRaw, String(millidegrees * 32 / 1000))  // scale 31.25 m°C per count
    try write("/sys/bus/iio/devices/iio:device0/in_temp_scale", "31.250000")
    try write("/sys/class/hwmon/hwmon2/name", "ntc_thermistor")
    try write("/sys/class/hwmon/hwmon2/temp1_input", String(millidegrees))
    try write("/sys/class/pwm/pwmchip0/npwm", "2")
    for channel in 0..<2 {
      for (file, value) in [
        ("period", "0"), ("duty_cycle", "0"), ("enable", "0"), ("polarity", "normal"),
      ] {
        try write("/sys/class/pwm/pwmchip0/pwm\(channel)/\(file)", value)
      }
    }
    try FileManager.default.createDirectory(
      at: root.appendingPathComponent("dev"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("dev/watchdog").path,
      withDestinationPath: name)
  }

  /// The pseudo-terminal standing in for the watchdog (both ends kept open).
  let watchdogMaster: Int32
  let watchdogSlave: Int32

  /// What was written to the watchdog since the last call ("" for nothing).
  func watchdogWrites() -> String {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = Glibc.read(watchdogMaster, &buffer, buffer.count)
      guard count > 0 else { break }
      bytes += buffer.prefix(count)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Closes the watchdog's pseudo-terminal and removes the tree.
  func remove() {
    close(watchdogMaster)
    close(watchdogSlave)
    try? FileManager.default.removeItem(at: root)
  }

  func write(_ path: String, _ text: String) throws {
    let url = root.appendingPathComponent(String(path.dropFirst()))
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data((text.isEmpty ? "" : text + "\n").utf8).write(to: url)
  }

  /// Rewrites a file in place (the run keeps it open).
  func overwrite(_ path: String, _ text: String) throws {
    let handle = try FileHandle(forWritingTo: root.appendingPathComponent(String(path.dropFirst())))
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: Data((text + "\n").utf8))
    try handle.close()
  }

  func read(_ path: String) -> String? {
    (try? String(
      contentsOf: root.appendingPathComponent(String(path.dropFirst())), encoding: .utf8))?
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func duty(_ channel: Int) -> String? { read("/sys/class/pwm/pwmchip0/pwm\(channel)/duty_cycle") }

  /// A board file; `edit` changes its text before it is written.
  func board(_ edit: (String) -> String = { $0 }) throws -> String {
    let text = """
      {
        "schemaVersion": 1,
        "name": "test-bench",
        "sensors": [
          { "name": "plate", "iio": { "device": "max31865", "channel": "temp" }, "resolution": 0.03125 },
          { "name": "plate-b", "hwmon": { "chip": "ntc_thermistor", "channel": 1 } }
        ],
        "powerStage": {
          "type": "tec-dual-pwm",
          "heatPwm": { "chip": 0, "channel": 0, "periodNanoseconds": 50000 },
          "coolPwm": { "chip": 0, "channel": 1, "periodNanoseconds": 50000 },
          "enable": "none"
        },
        "interlocks": [
          { "role": "contact", "absent": true },
          { "role": "coolant-flow", "absent": true }
        ],
        "watchdog": { "device": "/dev/watchdog" }
      }
      """
    let path = root.appendingPathComponent("board.json").path
    try Data(edit(text).utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// A 60-second cryo hold on two plate sensors.
  func profile() throws -> String {
    let text = """
      {
        "schemaVersion": 1, "name": "board-hold", "mode": "cryolipolysis", "tickRate": 10,
        "window": { "low": -13, "high": -11 },
        "phases": [ { "name": "hold", "kind": "treatment", "setpoint": -12, "duration": "60s" } ],
        "controller": { "kp": 0.3, "ki": 0.01, "outputLow": -1, "outputHigh": 0.5 },
        "sensors": [
          { "name": "plate", "location": "plate", "role": "control" },
          { "name": "plate-b", "location": "plate", "role": "redundant" }
        ]
      }
      """
    let path = root.appendingPathComponent("profile.json").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Waits until `condition` holds or `seconds` pass.
  func wait(seconds: Double, until condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
      if condition() { return true }
      Thread.sleep(forTimeInterval: 0.02)
    }
    return condition()
  }
}

@Suite(.tags(.io, .safety), .serialized) struct BoardEndToEndTests {
  @Test func boardCheckReadsEverySensorAndDrivesNothing() throws {
    let tree = try BenchTree(plateCelsius: -12)
    defer { tree.remove() }
    let result = devsim(["board", "check", try tree.board(), "--sysfs-root", tree.root.path])
    #expect(result.code == 0, "\(result.errors)")
    #expect(result.output.contains("sensor plate: /sys/bus/iio/devices/iio:device0/in_temp_raw"))
    #expect(result.output.contains("-12.000 °C"))
    #expect(result.output.contains("sensor plate-b: /sys/class/hwmon/hwmon2/temp1_input"))
    #expect(result.output.contains("result OK"))
    #expect(tree.read("/sys/class/pwm/pwmchip0/pwm0/enable") == "0", "nothing driven")
    #expect(tree.read("/sys/class/pwm/pwmchip0/pwm0/period") == "0")
    #expect(tree.watchdogWrites() == "", "the watchdog is not opened")
  }

  /// A malformed board file: 65, a message naming the board file's
  /// entry, and no output touched.
  @Test(arguments: [
    ("\"type\": \"tec-dual-pwm\"", "\"type\": \"tec-bridge\"", "unknown value \"tec-bridge\""),
    ("\"name\": \"test-bench\",", "\"name\": \"test-bench\", \"fan\": 1,", "unknown key \"fan\""),
    // A period or resolution that would switch the stale or stuck check off.
    (
      "\"resolution\": 0.03125 }", "\"resolution\": 0.03125, \"period\": \"2001ms\" }",
      "$.sensors[0].period: a sensor period is at most 2000 ms"
    ),
    (
      "\"resolution\": 0.03125", "\"resolution\": 0.6",
      "$.sensors[0].resolution: 0.6 is outside 0 … 0.5"
    ),
    // Every stage has an enable line, or says "none" on purpose.
    ("\"enable\": \"none\"", "\"deadTime\": \"20ms\"", "missing required key \"enable\""),
    ("\"enable\": \"none\"", "\"enable\": \"off\"", "\"enable\" is a line or \"none\""),
    // Interlocks the supervisor checks are wired or declared absent.
    (
      "{ \"role\": \"coolant-flow\", \"absent\": true }",
      "{ \"role\": \"key-switch\", \"chip\": \"gpiochip0\", \"line\": 4 }",
      "$.interlocks: the board has no coolant-flow interlock"
    ),
    (
      "{ \"role\": \"contact\", \"absent\": true },",
      "{ \"role\": \"contact\", \"absent\": true }, { \"role\": \"contact\", \"chip\": \"gpiochip0\", \"line\": 4 },",
      "$.interlocks[0]: the contact interlock is declared absent and also wired"
    ),
    (
      "{ \"role\": \"contact\", \"absent\": true }", "{ \"role\": \"contact\", \"absent\": false }",
      "\"absent\" is true or left out"
    ),
    // One channel or line for two jobs.
    (
      "\"chip\": 0, \"channel\": 1", "\"chip\": 0, \"channel\": 0",
      "$.powerStage.coolPwm: pwmchip0 channel 0 is already used by $.powerStage.heatPwm"
    ),
    (
      "{ \"role\": \"contact\", \"absent\": true }",
      "{ \"role\": \"contact\", \"chip\": \"gpiochip0\", \"line\": 7 }, { \"role\": \"key-switch\", \"chip\": \"/dev/gpiochip0\", \"line\": 7 }",
      "$.interlocks[1]: /dev/gpiochip0 line 7 is already used by $.interlocks[0]"
    ),
    // Two profile sensors on one channel: the redundant one could never disagree.
    (
      "\"hwmon\": { \"chip\": \"ntc_thermistor\", \"channel\": 1 }",
      "\"iio\": { \"device\": \"max31865\", \"channel\": \"temp\" }",
      "$.sensors[1]: sensor \"plate-b\" reads the channel sensor \"plate\" ($.sensors[0]) reads"
    ),
  ])
  func aBadBoardFileIsRefusedBeforeAnyOutputIsTouched(
    original: String, replacement: String, message: String
  ) throws {
    let tree = try BenchTree()
    defer { tree.remove() }
    let board = try tree.board { $0.replacingOccurrences(of: original, with: replacement) }
    for arguments in [
      ["board", "check", board, "--sysfs-root", tree.root.path],
      ["run", try tree.profile(), "--board", board, "--sysfs-root", tree.root.path],
    ] {
      let result = devsim(arguments)
      #expect(result.code == 65, "\(arguments[0]): \(result.errors)")
      #expect(result.errors.contains(message), "\(result.errors)")
      #expect(result.errors.contains("board.json"), "the message names the board file")
    }
    for channel in 0..<2 {
      #expect(tree.read("/sys/class/pwm/pwmchip0/pwm\(channel)/enable") == "0")
      #expect(tree.read("/sys/class/pwm/pwmchip0/pwm\(channel)/period") == "0")
    }
    #expect(tree.watchdogWrites() == "")
  }

  /// Hardware the board file names but the board lacks (no chip, channel,
  /// PWM chip or channel, watchdog) is a device missing: 74, not a bad
  /// board file, for `board check` and a run alike; nothing is driven.
  @Test(arguments: [
    ("\"chip\": \"ntc_thermistor\"", "\"chip\": \"tmp102\"", "no hwmon chip named \"tmp102\""),
    ("\"channel\": 1 }", "\"channel\": 4 }", "has no channel 4"),
    ("\"chip\": 0, \"channel\": 1", "\"chip\": 0, \"channel\": 2", "has 2 channels (0 … 1), not 2"),
    ("\"chip\": 0, \"channel\": 0", "\"chip\": 7, \"channel\": 0", "pwmchip7"),
    ("\"device\": \"max31865\"", "\"device\": \"max31856\"", "no IIO device named \"max31856\""),
    ("\"/dev/watchdog\"", "\"/dev/watchdog1\"", "/dev/watchdog1 does not exist"),
  ])
  func hardwareTheBoardLacksIsADeviceMissing(
    original: String, replacement: String, message: String
  ) throws {
    let tree = try BenchTree(plateCelsius: -12)
    defer { tree.remove() }
    let board = try tree.board { $0.replacingOccurrences(of: original, with: replacement) }
    for arguments in [
      ["board", "check", board, "--sysfs-root", tree.root.path],
      ["run", try tree.profile(), "--board", board, "--sysfs-root", tree.root.path],
    ] {
      let result = devsim(arguments)
      #expect(result.code == 74, "\(arguments[0]): \(result.errors)")
      #expect(result.errors.contains(message), "\(result.errors)")
      #expect(result.errors.contains("board.json"), "the message names the board file")
    }
    for channel in 0..<2 {
      #expect(tree.read("/sys/class/pwm/pwmchip0/pwm\(channel)/enable") == "0")
      #expect(tree.read("/sys/class/pwm/pwmchip0/pwm\(channel)/period") == "0")
    }
    #expect(tree.watchdogWrites() == "")
  }

  /// `board check` reports every device before it exits: with the plate's
  /// IIO device, the cooling PWM channel and the watchdog all absent, each
  /// is listed MISSING with its JSON path, the devices that are there are
  /// listed found (plate-b with its reading), and the code is 74.
  @Test func boardCheckListsEveryDeviceMissingAndFound() throws {
    let tree = try BenchTree(plateCelsius: -12)
    defer { tree.remove() }
    try FileManager.default.removeItem(
      at: tree.root.appendingPathComponent("sys/bus/iio/devices/iio:device0"))
    try FileManager.default.removeItem(
      at: tree.root.appendingPathComponent("sys/class/pwm/pwmchip0/pwm1"))
    try tree.write("/sys/class/pwm/pwmchip0/npwm", "1")
    try FileManager.default.removeItem(at: tree.root.appendingPathComponent("dev/watchdog"))
    let result = devsim(["board", "check", try tree.board(), "--sysfs-root", tree.root.path])
    #expect(result.code == 74, "\(result.output) \(result.errors)")
    let output = result.output
    #expect(output.contains("sensor plate: MISSING: "), "\(output)")
    #expect(output.contains("$.sensors[0]: no IIO device named \"max31865\""), "\(output)")
    #expect(
      output.contains("sensor plate-b: /sys/class/hwmon/hwmon2/temp1_input: -12.000 °C"),
      "\(output)")
    #expect(output.contains("pwm /sys/class/pwm/pwmchip0/pwm0: found"), "\(output)")
    #expect(output.contains("pwm $.powerStage.coolPwm: MISSING: "), "\(output)")
    #expect(output.contains("watchdog: MISSING: "), "\(output)")
    #expect(output.contains("/dev/watchdog does not exist"), "\(output)")
    #expect(output.contains("result FAIL (3 device problem(s), 3 missing)"), "\(output)")
    for message in ["max31865", "$.powerStage.coolPwm", "/dev/watchdog does not exist"] {
      #expect(result.errors.contains(message), "each problem also on standard error")
    }
    #expect(tree.read("/sys/class/pwm/pwmchip0/pwm0/enable") == "0", "nothing driven")
  }

  /// Two profile sensors that reach one file by different names (an hwmon
  /// channel by number and by its label) are refused when opened (65),
  /// naming both sensors and the file.
  @Test func twoSensorsOnOneFileAreRefused() throws {
    let tree = try BenchTree(plateCelsius: -12)
    defer { tree.remove() }
    try tree.write("/sys/class/hwmon/hwmon2/temp1_label", "ntc")
    let board = try tree.board {
      $0.replacingOccurrences(
        of: "\"iio\": { \"device\": \"max31865\", \"channel\": \"temp\" }",
        with: "\"hwmon\": { \"chip\": \"ntc_thermistor\", \"label\": \"ntc\" }")
    }
    for arguments in [
      ["board", "check", board, "--sysfs-root", tree.root.path],
      ["run", try tree.profile(), "--board", board, "--sysfs-root", tree.root.path],
    ] {
      let result = devsim(arguments)
      #expect(result.code == 65, "\(arguments[0]): \(result.output) \(result.errors)")
      #expect(
        result.errors.contains(
          "$.sensors[1]: sensor \"plate-b\" reads /sys/class/hwmon/hwmon2/temp1_input, the file sensor \"plate\" ($.sensors[0]) reads"
        ), "\(result.errors)")
    }
    #expect(tree.read("/sys/class/pwm/pwmchip0/pwm0/enable") == "0")
  }

  /// Issue 20 item 4 for GPIO chips: a chip path must resolve to a
  /// character device before it is opened. A regular file or a link out of
  /// /dev to one is refused (65), a chip that is not there is missing (74).
  @Test func aGPIOChipPathMustResolveToACharacterDevice() throws {
    let tree = try BenchTree(plateCelsius: -12)
    defer { tree.remove() }
    let board = try tree.board {
      $0.replacingOccurrences(
        of: "{ \"role\": \"contact\", \"absent\": true }",
        with: "{ \"role\": \"contact\", \"chip\": \"gpiochip0\", \"line\": 17 }")
    }
    let profile = try tree.profile()
    func both() -> [(code: Int32, output: String, errors: String)] {
      [
        devsim(["board", "check", board, "--sysfs-root", tree.root.path]),
        devsim(["run", profile, "--board", board, "--sysfs-root", tree.root.path]),
      ]
    }
    for result in both() {
      #expect(result.code == 74, "\(result.output) \(result.errors)")
      #expect(result.errors.contains("$.interlocks[0]: /dev/gpiochip0 cannot be resolved"))
    }
    try tree.write("/victim.txt", "precious")
    try FileManager.default.createSymbolicLink(
      atPath: tree.root.appendingPathComponent("dev/gpiochip0").path,
      withDestinationPath: "../victim.txt")
    for result in both() {
      #expect(result.code == 65, "\(result.output) \(result.errors)")
      #expect(
        result.errors.contains(
          "$.interlocks[0]: /dev/gpiochip0 (resolved: /victim.txt) is not a character device"),
        "\(result.errors)")
    }
    try FileManager.default.removeItem(at: tree.root.appendingPathComponent("dev/gpiochip0"))
    try tree.write("/dev/gpiochip0", "")
    for result in both() {
      #expect(result.code == 65, "\(result.output) \(result.errors)")
      #expect(result.errors.contains("/dev/gpiochip0 is not a character device"))
    }
    #expect(tree.read("/victim.txt") == "precious")
    #expect(tree.read("/sys/class/pwm/pwmchip0/pwm0/enable") == "0")
    #expect(tree.watchdogWrites() == "")
  }

  /// Options a board or rig run cannot honour are refused (64) before
  /// anything is opened: `--seed` (no simulated noise) with `--board` or
  /// `--rig`, and with `--board` any `--speed` but real time.
  @Test(arguments: [
    (["--board", "BOARD", "--speed", "10"], "--speed 10 cannot apply to --board"),
    (["--board", "BOARD", "--speed", "max"], "--speed max cannot apply to --board"),
    (["--board", "BOARD", "--seed", "7"], "--seed applies to simulated runs only: --board"),
    (
      ["--rig", "/dev/ttyDEVSIM-none", "--seed", "7"],
      "--seed applies to simulated runs only: --rig"
    ),
  ])
  func optionsARealTimeRunCannotHonourAreRefused(options: [String], message: String) throws {
    let tree = try BenchTree(plateCelsius: 0)
    defer { tree.remove() }
    let board = try tree.board()
    var arguments = ["run", try tree.profile()] + options.map { $0 == "BOARD" ? board : $0 }
    if options.contains("--board") { arguments += ["--sysfs-root", tree.root.path] }
    let result = devsim(arguments)
    #expect(result.code == 64, "\(result.errors)")
    #expect(result.errors.contains(message), "\(result.errors)")
    #expect(tree.duty(1) == "0")
    #expect(tree.read("/sys/class/pwm/pwmchip0/pwm1/enable") == "0", "the board not opened")
    #expect(tree.watchdogWrites() == "")
  }

  /// The example bench carries every sensor of the standard cryolipolysis
  /// profile and a stage of its mode (the README runs the two together),
  /// and docs/boards.md quotes it as it is.
  @Test func theExampleBenchFitsTheStandardProfileAndTheDocsQuoteIt() throws {
    let board = try BoardDecoder.load(
      repositoryRoot.appendingPathComponent("boards/example-bench.json").path)
    let profile = try loadShipped("Profiles/cryolipolysis-35min.json").profile
    let names = Set(board.sensors.map(\.name))
    for sensor in profile.sensors {
      #expect(names.contains(sensor.name), "\(sensor.name) is not on the example bench")
    }
    #expect(board.stage.kind.commandRange == profile.mode.commandRange)
    #expect(board.warnings.isEmpty, "the example wires every cut and interlock")
    let file = try String(
      contentsOf: repositoryRoot.appendingPathComponent("boards/example-bench.json"),
      encoding: .utf8)
    let docs = try String(
      contentsOf: repositoryRoot.appendingPathComponent("docs/boards.md"), encoding: .utf8)
    #expect(docs.contains("```json\n" + file + "```\n"), "docs/boards.md quotes the example whole")
  }

  /// The tree CI runs the README's board lines on: the script's tree and
  /// the CI copy of the example bench agree (every sensor found and read
  /// at the temperature the script writes, both PWM channels found), and
  /// `board check` drives nothing there.
  @Test(
    .enabled(
      if: toolsRequired || installedTool(["/bin/bash", "/usr/bin/bash"]) != nil,
      "needs bash to run scripts/fake-board-tree.sh"))
  func theCIBenchRunsOnTheScriptsTree() throws {
    let bash = try #require(installedTool(["/bin/bash", "/usr/bin/bash"]), "bash is required")
    let root = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let built = try runProcess(bash, ["scripts/fake-board-tree.sh", root.path])
    #expect(built.status == 0, "\(built.errors)")
    let board = repositoryRoot.appendingPathComponent("boards/ci-bench.json").path
    let result = devsim(["board", "check", board, "--sysfs-root", root.path])
    #expect(result.code == 0, "\(result.output) \(result.errors)")
    for (sensor, celsius) in [
      ("plate", "25.000"), ("plate-b", "25.000"), ("skin", "32.000"), ("fat-7mm", "35.000"),
      ("heatsink", "28.000"),
    ] {
      let lines = result.output.split(separator: "\n")
      #expect(
        lines.contains {
          $0.hasPrefix("  sensor \(sensor): /sys/") && $0.hasSuffix(": \(celsius) °C")
        }, "\(sensor) at \(celsius) °C: \(result.output)")
    }
    #expect(result.output.contains("pwm /sys/class/pwm/pwmchip0/pwm1: found"))
    for channel in 0..<2 {
      let enable = try String(
        contentsOf: root.appendingPathComponent("sys/class/pwm/pwmchip0/pwm\(channel)/enable"),
        encoding: .utf8)
      #expect(enable == "0\n", "nothing driven")
    }
  }

  /// A chip whose `update_interval` is not a number of milliseconds, or
  /// above 2 s, is refused at open naming the file (65), nothing driven.
  @Test(arguments: ["forever", "18446744073709552", "2500"])
  func aBadUpdateIntervalIsRefusedNamingTheFile(text: String) throws {
    let tree = try BenchTree()
    defer { tree.remove() }
    try tree.write("/sys/class/hwmon/hwmon2/update_interval", text)
    let board = try tree.board()
    for arguments in [
      ["board", "check", board, "--sysfs-root", tree.root.path],
      ["run", try tree.profile(), "--board", board, "--sysfs-root", tree.root.path],
    ] {
      let result = devsim(arguments)
      #expect(result.code == 65, "\(arguments[0]): \(result.errors)")
      #expect(result.errors.contains("/sys/class/hwmon/hwmon2/update_interval"), "\(result.errors)")
      #expect(result.errors.contains("$.sensors[1]"), "\(result.errors)")
    }
    #expect(tree.read("/sys/class/pwm/pwmchip0/pwm0/enable") == "0")
  }

  /// `board check` names every escape hatch the board file uses.
  /// Issue 20 item 4: a watchdog path that leaves /dev lexically is
  /// refused by the board file's reader; one that resolves to anything but
  /// a character device is refused before anything is opened for writing.
  @Test func aWatchdogPathMustResolveToACharacterDevice() throws {
    let tree = try BenchTree(plateCelsius: -12)
    defer { tree.remove() }
    try tree.write("/victim.txt", "precious")
    for device in ["/dev/../victim.txt", "/dev/./watchdog", "/dev//watchdog", "dev/watchdog"] {
      let board = try tree.board {
        $0.replacingOccurrences(of: "\"/dev/watchdog\"", with: "\"\(device)\"")
      }
      for arguments in [
        ["board", "check", board, "--sysfs-root", tree.root.path],
        ["run", try tree.profile(), "--board", board, "--sysfs-root", tree.root.path],
      ] {
        let result = devsim(arguments)
        #expect(result.code == 65, "\(device): \(result.errors)")
        #expect(result.errors.contains("$.watchdog.device"), "\(result.errors)")
      }
    }
    // A link out of /dev to a regular file, and a regular file: refused at open.
    let watchdog = tree.root.appendingPathComponent("dev/watchdog").path
    try FileManager.default.removeItem(atPath: watchdog)
    try FileManager.default.createSymbolicLink(
      atPath: watchdog, withDestinationPath: "../victim.txt")
    let linked = devsim([
      "run", try tree.profile(), "--board", try tree.board(), "--sysfs-root", tree.root.path,
    ])
    #expect(linked.code == 65, "\(linked.errors)")
    #expect(
      linked.errors.contains("(resolved: /victim.txt) is not a character device"),
      "\(linked.errors)")
    try FileManager.default.removeItem(atPath: watchdog)
    try tree.write("/dev/watchdog", "")
    let plain = devsim(["board", "check", try tree.board(), "--sysfs-root", tree.root.path])
    #expect(plain.code == 65)
    #expect(plain.errors.contains("/dev/watchdog is not a character device"), "\(plain.errors)")
    #expect(tree.read("/victim.txt") == "precious")
    #expect(tree.watchdogWrites() == "")
    for channel in 0..<2 {
      #expect(tree.read("/sys/class/pwm/pwmchip0/pwm\(channel)/enable") == "0")
    }
  }

  /// Issue 20 item 7: a reading no sensor can give is not "OK".
  @Test func boardCheckReportsAnImplausibleReading() throws {
    let tree = try BenchTree(plateCelsius: -300)
    defer { tree.remove() }
    let result = devsim(["board", "check", try tree.board(), "--sysfs-root", tree.root.path])
    #expect(result.code == 1, "\(result.output) \(result.errors)")
    #expect(result.output.contains("IMPLAUSIBLE -300.000 °C"), "\(result.output)")
    #expect(result.output.contains("result FAIL"))
  }

  @Test func boardCheckWarnsAboutAMissingEnableAndAbsentInterlocks() throws {
    let tree = try BenchTree(plateCelsius: -12)
    defer { tree.remove() }
    let result = devsim(["board", "check", try tree.board(), "--sysfs-root", tree.root.path])
    #expect(result.code == 0, "\(result.errors)")
    #expect(
      result.output.contains(
        "$.powerStage: \"enable\": \"none\": the power stage has NO enable line"))
    #expect(result.output.contains("$.interlocks[0]: the contact interlock is declared ABSENT"))
    #expect(
      result.output.contains("$.interlocks[1]: the coolant-flow interlock is declared ABSENT"))
  }

  /// The watchdog's keepalive fails (`/dev/full`: ENOSPC on every write):
  /// the first tick's drive is refused, the run trips on an actuator
  /// fault at once, and both duty cycles are 0.
  @Test func aFailingWatchdogStopsTheRunInTheSameTick() throws {
    let tree = try BenchTree(plateCelsius: 0)
    defer { tree.remove() }
    let watchdog = tree.root.appendingPathComponent("dev/watchdog").path
    try FileManager.default.removeItem(atPath: watchdog)
    try FileManager.default.createSymbolicLink(atPath: watchdog, withDestinationPath: "/dev/full")
    let started = Date()
    let result = devsim([
      "run", try tree.profile(), "--board", try tree.board(), "--sysfs-root", tree.root.path,
    ])
    #expect(result.code == 1, "\(result.output) \(result.errors)")
    #expect(result.output.contains("actuator-fault"), "\(result.output)")
    #expect(result.errors.contains("the watchdog or heartbeat failed"), "\(result.errors)")
    #expect(Date().timeIntervalSince(started) < 10, "not the 60 s treatment")
    #expect(tree.duty(0) == "0")
    #expect(tree.duty(1) == "0")
  }

  @Test func aMissingBoardFileIs66AndAProfileSensorNotOnTheBoardIs65() throws {
    let tree = try BenchTree()
    defer { tree.remove() }
    let missing = devsim(["board", "check", tree.root.appendingPathComponent("none.json").path])
    #expect(missing.code == 66 && missing.errors.contains("none.json"))
    let board = try tree.board { $0.replacingOccurrences(of: "\"plate-b\"", with: "\"spare\"") }
    let result = devsim([
      "run", try tree.profile(), "--board", board, "--sysfs-root", tree.root.path,
    ])
    #expect(result.code == 65)
    #expect(result.errors.contains("the profile's sensor \"plate-b\" is not on the board"))
  }

  /// The plate reads 0 °C against a −12 °C setpoint, so the loop cools at
  /// full duty; SIGINT, SIGTERM, SIGHUP or SIGQUIT mid-run leaves both duty
  /// cycles at 0, the channels enabled, and the watchdog disarmed with the
  /// magic close, and the run exits 128 + N.
  @Test(arguments: [SIGINT, SIGTERM, SIGHUP, SIGQUIT])
  func aSignalMidRunLeavesTheDutyCycleAtZero(_ signal: Int32) throws {
    let tree = try BenchTree(plateCelsius: 0)
    defer { tree.remove() }
    let run = try DevsimProcess([
      "run", try tree.profile(), "--board", try tree.board(), "--sysfs-root", tree.root.path,
    ])
    defer { run.stop() }
    #expect(tree.wait(seconds: 10) { tree.duty(1) == "50000" }, "cooling at full duty")
    #expect(tree.duty(0) == "0", "the heating side stays off")
    kill(run.process.processIdentifier, signal)
    run.process.waitUntilExit()
    #expect(
      run.process.terminationStatus == 128 + signal, "stopped by a signal, the safe state confirmed"
    )
    // Standard output arrives through the pipe's handler, after the exit.
    #expect(run.wait(for: "stopped by a signal", seconds: 5), "\(run.text)")
    #expect(tree.duty(0) == "0")
    #expect(tree.duty(1) == "0")
    #expect(tree.read("/sys/class/pwm/pwmchip0/pwm1/enable") == "1")
    let watchdog = tree.watchdogWrites()
    #expect(watchdog.hasPrefix("k") && watchdog.hasSuffix("V"), "\(watchdog)")
  }

  /// The control sensor's file starts returning garbage mid-run: the
  /// supervisor sees typed faults, trips on stale data, and the run ends
  /// with the duty cycle at 0.
  @Test func aFailingSensorTripsAndLeavesTheDutyCycleAtZero() throws {
    let tree = try BenchTree(plateCelsius: 0)
    defer { tree.remove() }
    let run = try DevsimProcess([
      "run", try tree.profile(), "--board", try tree.board(), "--sysfs-root", tree.root.path,
    ])
    defer { run.stop() }
    #expect(tree.wait(seconds: 10) { tree.duty(1) == "50000" }, "cooling at full duty")
    try tree.overwrite(tree.iioRaw, "not-a-number")
    run.process.waitUntilExit()
    #expect(run.process.terminationStatus == 1, "\(run.text)")
    #expect(run.wait(for: "stale-data", seconds: 5), "\(run.text)")
    #expect(run.text.contains("trip"))
    #expect(tree.duty(0) == "0")
    #expect(tree.duty(1) == "0")
  }
}
