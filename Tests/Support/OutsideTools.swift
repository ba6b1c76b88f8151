import Foundation

/// Whether `DEVSIM_REQUIRE_TOOLS=1`: CI installs every outside tool and
/// sets it, so there a missing tool fails the test that needs it instead of
/// skipping it.
public let toolsRequired = ProcessInfo.processInfo.environment["DEVSIM_REQUIRE_TOOLS"] == "1"

/// The path of an executable file among `candidates`, if one exists.
public func installedTool(_ candidates: [String]) -> String? {
  candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}
