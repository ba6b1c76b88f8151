import Foundation

/// Where a firmware run's image and emulator come from.
package enum FirmwareImage {
  /// `qemu-system-arm` on the `PATH`, or `nil`.
  package static func qemu(path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
    (path ?? "/usr/bin").split(separator: ":").map { "\($0)/qemu-system-arm" }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  /// Builds the image of `profilePath` with `scripts/firmware-build.sh loop`
  /// in `repository` (the profile's configuration compiled in by this
  /// devsim's `codegen`: one image per profile, rebuilt only when a source
  /// changed) and returns its path; what the build printed goes to `log`.
  package static func build(
    profilePath: String, repository: String, devsim: String, log: (String) -> Void
  ) throws(KitError) -> String {
    let script = repository + "/scripts/firmware-build.sh"
    guard FileManager.default.fileExists(atPath: script) else {
      throw .input(
        InputFileError(
          path: script,
          reason: "is missing: build the image from the repository's root, or give --image"))
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [script, "loop", profilePath]
    process.currentDirectoryURL = URL(fileURLWithPath: repository)
    process.environment = ProcessInfo.processInfo.environment.merging(["DEVSIM": devsim]) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
      throw .system(SystemError("cannot run \(script): \(error.localizedDescription)"))
    }
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw .system(SystemError("building the firmware image failed:\n\(text)"))
    }
    log(text)
    // The script builds in its own checkout (scripts/ may be a link to it).
    let checkout = URL(fileURLWithPath: script).resolvingSymlinksInPath()
      .deletingLastPathComponent().deletingLastPathComponent().path
    let name = URL(fileURLWithPath: profilePath).deletingPathExtension().lastPathComponent
    return checkout + "/.build-firmware/\(name).elf"
  }
}
