import ApplicatorHAL
import Foundation
import Testing

@testable import DevsimKit
@testable import devsim

/// Issue 20, items 3 … 7: outputs that cannot clobber, bounded work, a
/// strict trace reader and text that cannot fake a result.

/// A short cryo profile (60 s at 10 Hz) written to `directory`; `edit`
/// changes its text first.
private func shortProfile(in directory: URL, _ edit: (String) -> String = { $0 }) throws -> String {
  let text = """
    {
      "schemaVersion": 1, "name": "short-hold", "mode": "cryolipolysis", "tickRate": 10,
      "window": { "low": -13, "high": -11 },
      "phases": [ { "name": "hold", "kind": "treatment", "setpoint": -12, "duration": "3m" } ],
      "controller": { "kp": 0.3, "ki": 0.01, "outputLow": -1, "outputHigh": 0.5 },
      "sensors": [
        { "name": "plate", "location": "plate", "role": "control" },
        { "name": "plate-b", "location": "plate", "role": "redundant" }
      ]
    }
    """
  let path = directory.appendingPathComponent("profile.json").path
  try Data(edit(text).utf8).write(to: URL(fileURLWithPath: path))
  return path
}

private func fileKind(_ path: String) -> mode_t? {
  var status = stat()
  guard lstat(path, &status) == 0 else { return nil }
  return status.st_mode & S_IFMT
}

private func partials(in directory: URL) -> [String] {
  ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
    .filter { $0.hasSuffix(".partial") }
}

@Suite("Issue 20 item 3: outputs that cannot clobber", .tags(.io))
struct OutputClobberTests {
  @Test(.enabled(if: fileKind("/dev/full") == S_IFCHR, "this machine has no /dev/full"))
  func devFullIsAnIOErrorAndTheNodeStays() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory)
    let result = devsim(["run", profile, "-o", "/dev/full", "--quiet"])
    #expect(result.code == 74, "\(result.errors)")
    #expect(result.errors.contains("/dev/full"), "\(result.errors)")
    #expect(fileKind("/dev/full") == S_IFCHR, "the device node is intact")
    let plot = devsim(["run", profile, "--plot", "/dev/full", "--quiet"])
    #expect(plot.code == 74, "\(plot.errors)")
    #expect(fileKind("/dev/full") == S_IFCHR)
  }

  @Test func devNullIsWrittenInPlace() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory)
    let result = devsim(["run", profile, "-o", "/dev/null", "--plot", "/dev/stderr", "--quiet"])
    #expect(result.code == 0, "\(result.errors)")
    #expect(fileKind("/dev/null") == S_IFCHR, "the device node is intact")
    #expect(partials(in: URL(fileURLWithPath: "/dev")).isEmpty)
  }

  @Test func aSymbolicLinkIsFollowedAndKept() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory)
    let target = directory.appendingPathComponent("target.csv").path
    let link = directory.appendingPathComponent("link.csv").path
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: target))
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
    let result = devsim(["run", profile, "-o", link, "--quiet"])
    #expect(result.code == 0, "\(result.errors)")
    #expect(fileKind(link) == S_IFLNK, "the link is not replaced by a file")
    let written = try String(contentsOfFile: target, encoding: .utf8)
    #expect(written.hasPrefix("# devsim"), "the link's target holds the telemetry")
    let dangling = directory.appendingPathComponent("dangling.csv").path
    try FileManager.default.createSymbolicLink(
      atPath: dangling, withDestinationPath: directory.appendingPathComponent("none/x").path)
    #expect(devsim(["run", profile, "-o", dangling, "--quiet"]).code == 74)
    #expect(fileKind(dangling) == S_IFLNK)
  }

  @Test func outputsOfOneCommandMustBeDistinct() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory)
    let out = directory.appendingPathComponent("x").path
    try Data("keep\n".utf8).write(to: URL(fileURLWithPath: out))
    let same = devsim(["run", profile, "-o", out, "--plot", out])
    #expect(same.code == 64, "\(same.errors)")
    #expect(same.errors.contains("same file"), "\(same.errors)")
    let dotted = devsim([
      "run", profile, "-o", out, "--plot", directory.appendingPathComponent("./x").path,
    ])
    #expect(dotted.code == 64)
    #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep\n", "nothing written")
    let overInput = devsim(["run", profile, "-o", profile])
    #expect(overInput.code == 64, "\(overInput.errors)")
    let suite = devsim(["suite", profile, "--junit", out, "--json", out])
    #expect(suite.code == 64, "\(suite.errors)")
    #expect(partials(in: directory).isEmpty)
  }

  @Test func aLegal254CharacterNameFits() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory)
    let name = String(repeating: "n", count: 250) + ".csv"
    #expect(name.utf8.count == 254)
    let out = directory.appendingPathComponent(name).path
    let result = devsim(["run", profile, "-o", out, "--quiet"])
    #expect(result.code == 0, "\(result.errors)")
    #expect(fileKind(out) == S_IFREG)
    #expect(partials(in: directory).isEmpty)
  }

  @Test func aWriterStoppedAnyWayLeavesNoTemporaryFile() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out.csv").path
    do {
      let file = try AtomicFile(path: out)
      file.append(Array("partial".utf8))
      #expect(partials(in: directory).count == 1)
    }
    #expect(partials(in: directory).isEmpty, "deinit removes it")
    #expect(fileKind(out) == nil)
  }

  /// SIGINT during a run at maximum speed (no stop handler of its own):
  /// the process dies of the signal and its temporary file goes with it.
  @Test func sigintDuringAMaximumSpeedRunLeavesNoPartialFile() throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("devsim").path
    try #require(
      FileManager.default.isExecutableFile(atPath: binary),
      "swift test builds devsim beside the tests")
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory) {
      $0.replacingOccurrences(of: "\"duration\": \"3m\"", with: "\"duration\": \"4h\"")
    }
    let out = directory.appendingPathComponent("long.csv").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["run", profile, "-o", out, "--plot", out + ".svg"]
    process.standardOutput = Pipe()
    process.standardError = Pipe()
    try process.run()
    // Wait until the temporary files exist (the run is under way), then interrupt.
    let deadline = Date().addingTimeInterval(20)
    while partials(in: directory).count < 2 && Date() < deadline && process.isRunning {
      Thread.sleep(forTimeInterval: 0.02)
    }
    #expect(partials(in: directory).count == 2, "the run started writing")
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    #expect(process.terminationStatus == SIGINT)
    #expect(partials(in: directory).isEmpty, "\(partials(in: directory))")
    #expect(fileKind(out) == nil, "no half-written output")
  }
}

@Suite("Issue 20 item 5: bounded work")
struct BoundedWorkTests {
  /// 340,000 keys in one object, under the 4 MiB limit: the duplicate-key
  /// check was quadratic (150 s); hashed, the document parses at once.
  @Test(.timeLimit(.minutes(1))) func manyKeysParseInLinearTime() throws {
    var text = "{\"schemaVersion\":1,\"x\":{"
    let digits = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    for index in 0..<340_000 {
      var key = ""
      var rest = index
      repeat {
        key.append(digits[rest % 36])
        rest /= 36
      } while rest > 0
      text += (index == 0 ? "" : ",") + "\"\(key)\":0"
    }
    text += "}}"
    let bytes = Array(text.utf8)
    #expect(bytes.count < ProfileLoader.maximumBytes)
    let root = try JSONParser.parse(bytes)
    guard case .object(let members) = root.value, case .object(let keys) = members[1].node.value
    else {
      Issue.record("not an object")
      return
    }
    #expect(keys.count == 340_000)
    // A duplicate at the end is still found.
    let duplicated = Array((text.dropLast(2) + ",\"a\":1}}").utf8)
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(duplicated) }
  }

  /// A 4 GiB sparse file is refused from its size alone (fstat), for every
  /// kind of input; nothing is read.
  @Test func aHugeFileIsRefusedBeforeItIsRead() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let huge = directory.appendingPathComponent("huge.json").path
    let descriptor = open(huge, O_WRONLY | O_CREAT, 0o644)
    #expect(descriptor >= 0)
    #expect(ftruncate(descriptor, 4 << 30) == 0)
    close(descriptor)
    for arguments in [
      ["validate", huge], ["plot", huge, "-o", huge + ".svg"],
      ["board", "check", huge],
      ["replay", huge, "--profile", try shortProfile(in: directory)],
    ] {
      let result = devsim(arguments)
      #expect(result.code == 65, "\(arguments[0]): \(result.errors)")
      #expect(result.errors.contains("4294967296 bytes, larger than the limit"), "\(result.errors)")
    }
    // A stream with no size (a FIFO, a device) is read only up to the limit.
    #expect(throws: KitError.self) { try InputFile.read("/dev/zero", maximumBytes: 1 << 16) }
  }

  @Test func aRunLongerThanTheMaximumIsRefusedWithItsPath() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let long = try shortProfile(in: directory) {
      $0.replacingOccurrences(
        of: "\"tickRate\": 10,", with: "\"tickRate\": 10, \"run\": { \"duration\": 1e7 },")
    }
    let result = devsim(["validate", long])
    #expect(result.code == 65)
    #expect(result.errors.contains("$.run.duration"), "\(result.errors)")
    #expect(result.errors.contains("longer than the maximum of 4 h"), "\(result.errors)")
    let fast = try shortProfile(in: directory) {
      $0.replacingOccurrences(of: "\"tickRate\": 10", with: "\"tickRate\": 1000")
        .replacingOccurrences(of: "\"3m\"", with: "\"35m\"")
    }
    let ticks = devsim(["validate", fast])
    #expect(ticks.code == 65)
    #expect(ticks.errors.contains("$.phases"), "\(ticks.errors)")
    #expect(ticks.errors.contains("2100000 ticks"), "\(ticks.errors)")
  }
}

@Suite("Issue 20 item 6: a strict trace reader")
struct StrictTraceTests {
  private func parse(_ text: String) throws(KitError) -> Trace {
    try Trace.parse(Array(text.utf8), path: "t.csv", sensors: ["plate"])
  }

  private func refusal(_ text: String) -> String {
    do throws(KitError) {
      _ = try parse(text)
      return "accepted"
    } catch {
      return error.message
    }
  }

  @Test func crlfLinesAreRead() throws {
    let trace = try parse("time_s,plate_degC\r\n0.0,-12.0\r\n0.1,-12.5\r\n")
    #expect(trace.rows.count == 2)
  }

  @Test func booleansComeFromTheDocumentedSet() throws {
    let header = "time_s,plate_degC,contact_bool\n"
    let trace = try parse(header + "0,1,1\n1,1,true\n2,1,0\n3,1,false\n")
    #expect(trace.rows.map(\.interlocks.contactMade) == [true, true, false, false])
    for cell in ["no", "0.0", "", "nan", "OPEN", "TRUE"] {
      let message = refusal(header + "0,1,\(cell)\n")
      #expect(
        message.contains("t.csv:2: column 3 (contact_bool): bad boolean"), "\(cell): \(message)")
    }
  }

  @Test func numbersHaveOneDecimalForm() throws {
    let header = "time_s,plate_degC\n"
    let trace = try parse(header + "0,-12.5\n1,3\n2,1.5e1\n")
    #expect(trace.rows.count == 3)
    for cell in ["-12.5\u{0}garbage", "0x10", "+5", "5.", ".5", "1e", "inf", "-", "1,5"] {
      let message = refusal(header + "0,\(cell)\n")
      #expect(
        message.contains("t.csv:2:") && !message.contains("accepted"), "\(cell): \(message)")
    }
    #expect(refusal(header + "+1,5\n").contains("column 1 (time_s): bad time"))
  }

  @Test("a read-back column without a number is a stage without read-back, not a failure")
  func aReadBackColumnWithoutANumberIsNoReadBack() throws {
    let trace = try parse(
      "time_s,plate_degC,sent_command_fraction,readback_fraction\n0,1,0.5,nan\n1,1,0.5,nan\n")
    #expect(trace.rows.allSatisfy { !$0.readBackFailed && $0.readBackError == nil })
    var applicator = TraceApplicator(trace: trace, sensorCount: 1, commandRange: .bipolar)
    applicator.advance(toNanoseconds: 0)
    #expect(try applicator.powerStage.readBack(nowNanoseconds: 0) == nil)
  }

  @Test func aNanReadBackIsAFaultOfTheReadBack() throws {
    let trace = try parse(
      "time_s,plate_degC,sent_command_fraction,readback_fraction\n0,1,0.5,0.5\n1,1,0.5,nan\n")
    #expect(trace.rows[0].readBackFailed == false)
    #expect(trace.rows[1].readBackFailed)
    var applicator = TraceApplicator(
      trace: trace, sensorCount: 1, commandRange: .bipolar)
    applicator.advance(toNanoseconds: 0)
    #expect(try applicator.powerStage.readBack(nowNanoseconds: 0) != nil)
    applicator.advance(toNanoseconds: 1_000_000_000)
    #expect(throws: FaultKind.noData) {
      try applicator.powerStage.readBack(nowNanoseconds: 1_000_000_000)
    }
    #expect(
      refusal("time_s,plate_degC,sent_command_fraction,readback_fraction\n0,1,0.5,x\n")
        .contains("column 4 (readback_fraction): bad read-back"))
  }

  @Test func aStatusOutsideTheDocumentedSetIsRefused() {
    #expect(
      refusal("time_s,plate_degC,plate_status\n0,1,weird\n").contains(
        "column 3 (plate_status): bad status"))
  }

  @Test func shippedTracesStillRead() throws {
    for name in ["plate-sensor-falls-off", "skin-freeze-event"] {
      let loaded = try loadShipped("Profiles/traces/\(name).json")
      let trace = try Trace.load(
        try #require(loaded.profile.replayPath), sensors: loaded.profile.sensors.map(\.name))
      #expect(!trace.rows.isEmpty)
    }
  }
}

@Suite("Issue 20 item 7: text that cannot fake a result")
struct HonestTextTests {
  @Test func controlCharactersInAProfileNameAreRefused() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let profile = try shortProfile(in: directory) {
      $0.replacingOccurrences(
        of: "\"name\": \"short-hold\"", with: "\"name\": \"x\\r\\u001b[2Kresult PASS\"")
    }
    let result = devsim(["validate", profile])
    #expect(result.code == 65)
    #expect(result.errors.contains("$.name: control character U+D"), "\(result.errors)")
    #expect(!result.errors.contains("\u{1B}"), "nothing raw reaches the terminal")
  }

  @Test func theConsoleEscapesControlCharacters() {
    let console = Console.capture()
    console.write("a\u{1B}[2Kb\rc\u{202E}d\n\te")
    #expect(console.output == "a\\u{1B}[2Kb\\u{D}c\\u{202E}d\n\te")
  }

  @Test func byteOrderMarkAndInvalidUTF8AreNamed() throws {
    let bom = [UInt8]([0xEF, 0xBB, 0xBF]) + Array("{}".utf8)
    #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(bom) }
    do { _ = try JSONParser.parse(bom) } catch {
      #expect(error.message.contains("byte order mark"))
    }
    for bad in [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF]] as [[UInt8]] {
      let bytes = Array("{\"name\":\"a".utf8) + bad + Array("b\"}".utf8)
      do {
        _ = try JSONParser.parse(bytes)
        Issue.record("accepted \(bad)")
      } catch {
        #expect(error.message.contains("invalid UTF-8"), "\(error.message)")
      }
    }
    let outside = Array("{\"a\":1}".utf8) + [0xC3, 0xA9]
    do { _ = try JSONParser.parse(outside) } catch {
      #expect(error.message.contains("unexpected"))
    }
    #expect(try JSONParser.parse(Array("{\"a\":\"é ü 温\"}".utf8)).line == 1)
  }

  @Test func theLaserRigsDefaultsAreTheLasers() throws {
    let laser = try loadShipped("Profiles/laser-lipolysis-25min.json").profile
    var rig = RigEmulator(profile: laser)
    _ = rig.handle(Array("SOUR:TEMP:PROT:HIGH DEF".utf8))
    _ = rig.handle(Array("SOUR:TEMP:PROT:LOW DEF".utf8))
    #expect(rig.protectionLowCelsius == 5)
    #expect(rig.protectionHighCelsius == 48.5)
    _ = rig.handle(Array("SOUR:TEMP:PROT:HIGH MAX".utf8))
    _ = rig.handle(Array("SOUR:TEMP:PROT:LOW MIN".utf8))
    #expect(rig.protectionHighCelsius == 48.5)
    #expect(rig.protectionLowCelsius == 5)
    _ = rig.handle(Array("SOUR:TEMP 95".utf8))
    #expect(rig.handle(Array("SYST:ERR?".utf8))?.hasPrefix("-222") == true)
    _ = rig.handle(Array("SOUR:TEMP:PROT:HIGH 95".utf8))
    #expect(rig.protectionHighCelsius == 48.5)
  }

  @Test func validateNeedsTheReplayTrace() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = try String(
      contentsOf: repositoryRoot.appendingPathComponent(
        "Profiles/traces/plate-sensor-falls-off.json"), encoding: .utf8)
    let profile = directory.appendingPathComponent("p.json").path
    try Data(source.utf8).write(to: URL(fileURLWithPath: profile))
    let missing = devsim(["validate", profile])
    #expect(missing.code == 66, "\(missing.output) \(missing.errors)")
    #expect(missing.errors.contains("plate-sensor-falls-off.csv: no such file"))
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("plate-sensor-falls-off.csv"),
      withIntermediateDirectories: true)
    let folder = devsim(["validate", profile])
    #expect(folder.code == 66)
    #expect(folder.errors.contains("is a directory"), "\(folder.errors)")
  }

  @Test func smallerCommandLineRefusals() throws {
    let profile = repositoryRoot.appendingPathComponent("Profiles/cryolipolysis-35min.json").path
    for url in ["tcp://", "tcp://host:1", "tcp://1.2.3.4:99999", "tcp://1.2.3.4", "http://x:1"] {
      let result = devsim(["run", profile, "--rig", url])
      #expect(result.code == 64, "\(url): \(result.errors)")
    }
    #expect(devsim(["rig", "--listen", "tcp://nowhere:1"]).code == 64)
    #expect(devsim(["campaign", profile, "--schedule", ""]).code == 64)
    #expect(devsim(["campaign", profile, "--schedule", ","]).code == 64)
  }
}
