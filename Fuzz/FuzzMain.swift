// libFuzzer entry of devsim's fuzz binary: one binary, one target per run, chosen by the
// FUZZ_TARGET environment variable (scpi, profile, board, trace, telemetry, mecom, modbus,
// arroyo).
//
// scripts/fuzz.sh compiles the package's library targets module by module with
// `-sanitize=fuzzer,address` and links them with the files of this directory; outside
// Sources so SwiftPM never builds it. A thrown error is a refusal, as designed; a trap, an
// address-sanitizer report, a leak or a hang is a finding.

import Foundation

/// The parsers this binary fuzzes, by name.
let fuzzTargets: [(name: String, run: @Sendable ([UInt8]) -> Void)] = [
  ("scpi", fuzzSCPI), ("profile", fuzzProfile), ("board", fuzzBoard), ("trace", fuzzTrace),
  ("telemetry", fuzzTelemetry), ("mecom", fuzzMeCom), ("modbus", fuzzModbus),
  ("arroyo", fuzzArroyo),
]

/// The target FUZZ_TARGET names; read once.
nonisolated(unsafe) var selectedTarget: (@Sendable ([UInt8]) -> Void)? = nil

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(
  _ argc: UnsafeMutablePointer<CInt>?,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?
) -> CInt {
  let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
  guard let target = fuzzTargets.first(where: { $0.name == name }) else {
    let names = fuzzTargets.map(\.name).joined(separator: ", ")
    FileHandle.standardError.write(Data("FUZZ_TARGET must be one of: \(names)\n".utf8))
    exit(64)
  }
  selectedTarget = target.run
  return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes: [UInt8] =
    if let data, size > 0 { Array(UnsafeBufferPointer(start: data, count: size)) } else { [] }
  selectedTarget?(bytes)
  return 0
}
