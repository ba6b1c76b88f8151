import Foundation
import TestSupport
import Testing

@testable import DevsimKit

/// The fuzzers' committed seeds (`Fuzz/corpus/<target>/`, scripts/fuzz.sh) read by the
/// same readers here, so an input that once crashed one stays a test. A seed named
/// `regression-*` only has to be read without a trap; the others are valid files.
@Suite(.tags(.io)) struct FuzzCorpusTests {
  private static func seeds(_ target: String) -> [(name: String, bytes: [UInt8])] {
    let directory = repositoryRoot.appendingPathComponent("Fuzz/corpus/\(target)")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.sorted().compactMap { name in
      FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
        .map { (name, Array($0)) }
    }
  }

  private static func isRegression(_ name: String) -> Bool { name.hasPrefix("regression-") }

  @Test func profileSeedsDecode() {
    let seeds = Self.seeds("profile")
    #expect(seeds.count >= 5)
    for (name, bytes) in seeds {
      let decoded = (try? ProfileDecoder.decode(bytes, file: name)) != nil
      #expect(decoded || Self.isRegression(name), "\(name)")
    }
  }

  @Test func boardSeedsDecode() {
    let seeds = Self.seeds("board")
    #expect(!seeds.isEmpty)
    for (name, bytes) in seeds {
      let decoded = (try? BoardDecoder.decode(bytes, file: name)) != nil
      #expect(decoded || Self.isRegression(name), "\(name)")
    }
  }

  @Test func traceSeedsParse() {
    let seeds = Self.seeds("trace")
    #expect(seeds.count >= 3)
    let sensors = ["plate", "plate-b", "skin", "fat-7mm", "heatsink"]
    for (name, bytes) in seeds {
      do throws(KitError) {
        _ = try Trace.parse(bytes, path: name, sensors: sensors)
      } catch {
        #expect(Self.isRegression(name), "\(error)")
      }
    }
  }

  @Test func telemetrySeedsParseAndPlot() {
    let seeds = Self.seeds("telemetry")
    #expect(seeds.count >= 4)
    for (name, bytes) in seeds {
      let series = try? TelemetryFile.parse(bytes, path: name)
      #expect(series != nil || Self.isRegression(name), "\(name)")
      if let series { #expect(RunPlot.svg(series).contains("<svg")) }
    }
  }

  /// `parse` on a file's bytes is what `load` of the file reads.
  @Test func telemetryParseReadsWhatLoadReads() throws {
    let file = repositoryRoot.appendingPathComponent("Fuzz/corpus/telemetry/trip.csv").path
    let loaded = try TelemetryFile.load(file)
    let bytes = try #require(FileManager.default.contents(atPath: file))
    let parsed = try TelemetryFile.parse(Array(bytes), path: file)
    #expect(parsed.count == loaded.count && parsed.count == 4)
    #expect(parsed.sensors.map(\.name) == loaded.sensors.map(\.name))
    #expect(parsed.trips == loaded.trips && !parsed.trips.isEmpty)
    #expect(throws: KitError.self) { try TelemetryFile.parse(Array("x\n".utf8), path: "x.csv") }
  }

  /// Found by the fuzzer: a trip at a time beyond UInt64's nanoseconds
  /// trapped the plot's clock (and a clock near UInt64.max overflowed).
  @Test func clocksSaturateInsteadOfTrapping() throws {
    #expect(RunPlot.clock(1e300) == Summary.clock(.max))
    #expect(Summary.clock(.max) == "307445734:33.7", "18,446,744,073.7 s")
    #expect(RunPlot.clock(61.25) == "1:01.3")
    #expect(Summary.clock(59_949_999_999) == "0:59.9")
    #expect(Summary.clock(59_950_000_000) == "1:00.0")
    let file = try #require(Self.seeds("telemetry").first { $0.name.contains("trip-time") })
    let series = try TelemetryFile.parse(file.bytes, path: file.name)
    #expect(RunPlot.svg(series).contains("<svg"))
  }

  /// Found by the fuzzer: a JSON Lines header whose seed does not fit a
  /// UInt64 trapped the conversion; it is refused, naming the line.
  @Test(arguments: ["1e30", "-1", "2.5", "18446744073709551616"])
  func aSeedOutsideUInt64IsRefused(seed: String) throws {
    let bytes = Self.seeds("telemetry").first { $0.name == "run.jsonl" }?.bytes ?? []
    var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    try #require(lines.count > 1 && lines[0].contains("\"seed\":"))
    lines[0] = lines[0].replacingOccurrences(
      of: #""seed":\d+"#, with: "\"seed\":\(seed)", options: .regularExpression)
    #expect(lines[0].contains("\"seed\":\(seed),"))
    do {
      _ = try TelemetryFile.parse(
        Array((lines.joined(separator: "\n") + "\n").utf8), path: "x.jsonl")
      Issue.record("a seed of \(seed) was accepted")
    } catch {
      #expect("\(error)".contains("x.jsonl:1: the seed is not a whole number"), "\(error)")
    }
  }
}
