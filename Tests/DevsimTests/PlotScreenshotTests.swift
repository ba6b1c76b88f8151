import Foundation
import TestSupport
import Testing

/// Whether Debian's `chromium` is on the PATH.
private let chromium: String? = {
  let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
  return paths.map { "\($0)/chromium" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}()

/// The plot and the report as a person sees them: `scripts/screenshot.sh`
/// has headless Chromium render them to PNG. Skipped without chromium,
/// unless `DEVSIM_REQUIRE_TOOLS=1` (CI installs it), where that fails.
@Suite(.tags(.io)) struct PlotScreenshotTests {
  /// Runs a program to completion; returns its exit status.
  private func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:])
    throws -> Int32
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Width and height from a PNG's IHDR chunk, or `nil` if it is not a PNG.
  private func pngSize(_ path: String) -> (width: Int, height: Int)? {
    guard let data = FileManager.default.contents(atPath: path), data.count > 24 else { return nil }
    let bytes = [UInt8](data.prefix(24))
    guard bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
      bytes[12..<16] == [0x49, 0x48, 0x44, 0x52]
    else { return nil }
    let number = { (at: Int) in bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (number(16), number(20))
  }

  @Test(.enabled(if: chromium != nil || toolsRequired, "chromium is not installed"))
  func chromiumRendersThePlotsAndTheReport() throws {
    let browser = try #require(chromium, "chromium is required (apt-get install chromium)")
    let devsim = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("devsim").path
    try #require(FileManager.default.isExecutableFile(atPath: devsim))
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let script = repositoryRoot.appendingPathComponent("scripts/screenshot.sh").path
    let status = try run(
      "/bin/bash", [script, directory.path], environment: ["DEVSIM": devsim, "CHROMIUM": browser])
    #expect(status == 0)

    // A blank page of the same size, for comparison: a drawing has far more to compress.
    let blankSVG = directory.appendingPathComponent("blank.svg")
    try "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1200 700\"/>".write(
      to: blankSVG, atomically: true, encoding: .utf8)
    let blankPNG = directory.appendingPathComponent("blank.png").path
    _ = try run(
      browser,
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
        "--window-size=1200,700", "--screenshot=\(blankPNG)", blankSVG.absoluteString,
      ])
    let blankBytes = try #require(
      FileManager.default.attributesOfItem(atPath: blankPNG)[.size] as? Int)

    // The plots at their own size (1200 × 800), the report at 1200 × 700.
    for (name, height) in [
      ("plot-cryolipolysis.png", 800), ("plot-cryo-trip.png", 800), ("suite-report.png", 700),
    ] {
      let png = directory.appendingPathComponent(name).path
      let size = try #require(pngSize(png), "\(name) is a PNG")
      #expect(size.width == 1200 && size.height == height, "\(name): \(size)")
      let bytes = try #require(FileManager.default.attributesOfItem(atPath: png)[.size] as? Int)
      #expect(bytes > 5 * blankBytes, "\(name): \(bytes) bytes, a blank page \(blankBytes)")
    }
  }
}
