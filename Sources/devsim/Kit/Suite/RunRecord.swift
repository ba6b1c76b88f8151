import Foundation

/// One file a suite read (or, in a manifest, wrote), with the hash of its bytes.
package struct RecordedInput: Equatable {
  /// What it is: `profile`, `trace`, `catalogue`, or (in a merge) `shard`;
  /// in a manifest's reports, `junit`, `json` or `html`.
  package var kind: String
  package var path: String
  package var sha256: String

  package init(kind: String, path: String, sha256: String) {
    self.kind = kind
    self.path = path
    self.sha256 = sha256
  }
}

/// What a suite run was, for a verification record: the tool (version,
/// executable hash, source commit, compiler, build), the host, who ran it,
/// when, the command line, and every file read with its SHA-256.
///
/// It goes into the reports (JUnit, JSON, HTML) and the manifest, never
/// into telemetry: telemetry stays a function of the profile and the seed.
package struct RunRecord {
  package var tool: String
  /// The SHA-256 of the running executable (`/proc/self/exe`), or why not.
  package var executableSHA256: String
  /// The source commit, and where it was read (`nil`: unknown).
  package var commit: String?
  package var commitSource: String
  package var compiler: String
  package var host: String
  package var system: String
  /// The user, and the CI job when one is recognised.
  package var executor: String
  package var arguments: [String]
  package var workingDirectory: String
  /// UTC, ISO 8601 to the millisecond.
  package var started: String
  package var finished: String = ""
  package var inputs: [RecordedInput] = []
  /// The plan's fingerprint (``SuitePlan/fingerprint(_:)``) and size, every shard's.
  package var planFingerprint = ""
  package var planSize = 0
  /// The shard this run was (0-based), and where it came from.
  package var shard: SuitePlan.Shard? = nil
  package var shardSource: String? = nil
  /// The scenario filter the plan was cut with (``ScenarioFilter``), as
  /// `VARIABLE=text`; `nil` when every scenario found is in the plan.
  package var filter: String? = nil

  /// The largest executable hashed (a test runner can be larger, and is not the tool).
  package static let maximumExecutableBytes = 64 << 20

  /// The record of a run starting now, from the process's environment.
  package static func begin(
    arguments: [String], environment: [String: String], now: Date = Date()
  ) -> RunRecord {
    let (commit, source) = self.commit(environment)
    return RunRecord(
      tool: "devsim \(Version.string)", executableSHA256: executableHash(),
      commit: commit, commitSource: source, compiler: compiler,
      host: ProcessInfo.processInfo.hostName, system: system,
      executor: executor(environment), arguments: arguments,
      workingDirectory: FileManager.default.currentDirectoryPath, started: timestamp(now))
  }

  /// `date` as UTC ISO 8601 with milliseconds: `2026-12-03T16:40:00.123Z`.
  package static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
  }

  /// The record as a JSON object.
  package var json: String {
    "{\"tool\":\(JSONText.quoted(tool)),\"executableSha256\":\(JSONText.quoted(executableSHA256)),"
      + "\"commit\":\(commit.map(JSONText.quoted) ?? "null"),\"commitSource\":\(JSONText.quoted(commitSource)),"
      + "\"compiler\":\(JSONText.quoted(compiler)),\"host\":\(JSONText.quoted(host)),"
      + "\"system\":\(JSONText.quoted(system)),\"executor\":\(JSONText.quoted(executor)),"
      + "\"arguments\":[\(arguments.map(JSONText.quoted).joined(separator: ","))],"
      + "\"workingDirectory\":\(JSONText.quoted(workingDirectory)),"
      + "\"started\":\(JSONText.quoted(started)),\"finished\":\(JSONText.quoted(finished)),"
      + "\"plan\":{\"fingerprint\":\(JSONText.quoted(planFingerprint)),\"scenarios\":\(planSize),\"shard\":"
      + (shard.map {
        "{\"index\":\($0.index + 1),\"count\":\($0.count),\"source\":\(JSONText.quoted(shardSource ?? ""))}"
      } ?? "null") + ",\"filter\":\(filter.map(JSONText.quoted) ?? "null")},"
      + "\"inputs\":[\(inputs.map { "{\"kind\":\(JSONText.quoted($0.kind)),\"path\":\(JSONText.quoted($0.path)),\"sha256\":\(JSONText.quoted($0.sha256))}" }.joined(separator: ","))]}"
  }

  /// The start as JUnit's `timestamp` attribute takes it: UTC, to the
  /// second, without a zone (the Ant schema's form).
  package var junitTimestamp: String {
    String(started.prefix(19))
  }

  /// The record as name–value pairs (JUnit properties, the HTML table);
  /// the inputs are listed one per pair.
  package var pairs: [(String, String)] {
    [
      ("run.tool", tool), ("run.executableSha256", executableSHA256),
      ("run.commit", commit.map { "\($0) (\(commitSource))" } ?? "unknown (\(commitSource))"),
      ("run.compiler", compiler), ("run.host", host), ("run.system", system),
      ("run.executor", executor), ("run.arguments", arguments.joined(separator: " ")),
      ("run.workingDirectory", workingDirectory), ("run.started", started),
      ("run.finished", finished), ("plan.fingerprint", planFingerprint),
      ("plan.scenarios", String(planSize)),
      (
        "plan.shard",
        shard.map { "\($0.index + 1)/\($0.count) (\(shardSource ?? ""))" }
          ?? "none (the whole plan)"
      ),
      ("plan.filter", filter ?? "none"),
    ]
      + inputs.enumerated().map {
        ("input.\($0.offset + 1).\($0.element.kind)", "\($0.element.sha256)  \($0.element.path)")
      }
  }

  /// The compiler that built this tool, and the build configuration.
  private static var compiler: String {
    #if compiler(>=6.4)
      let version = "Swift 6.4 or later"
    #elseif compiler(>=6.3)
      let version = "Swift 6.3"
    #elseif compiler(>=6.2)
      let version = "Swift 6.2"
    #else
      let version = "Swift before 6.2"
    #endif
    #if DEBUG
      return "\(version), debug build"
    #else
      return "\(version), release build"
    #endif
  }

  private static var system: String {
    #if arch(x86_64)
      let machine = "x86_64"
    #elseif arch(arm64)
      let machine = "aarch64"
    #else
      let machine = "other"
    #endif
    return "\(ProcessInfo.processInfo.operatingSystemVersionString) \(machine)"
  }

  /// The source commit: `DEVSIM_COMMIT`, a CI's commit variable, or
  /// `git rev-parse HEAD` in the working directory (marked when the tree
  /// has changes to tracked files).
  private static func commit(_ environment: [String: String]) -> (String?, String) {
    for name in ["DEVSIM_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA", "BUILDKITE_COMMIT", "CIRCLE_SHA1"]
    {
      if let value = environment[name], !value.isEmpty { return (value, name) }
    }
    guard let head = git(["rev-parse", "HEAD"]), !head.isEmpty else {
      return (nil, "no commit variable, and no git work tree here")
    }
    let changes = git(["status", "--porcelain", "--untracked-files=no"]) ?? ""
    return (head, changes.isEmpty ? "git HEAD" : "git HEAD, with uncommitted changes")
  }

  private static func git(_ arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingWhitespace()
  }

  private static func executableHash() -> String {
    do throws(KitError) {
      return SHA256.hex(try InputFile.read("/proc/self/exe", maximumBytes: maximumExecutableBytes))
    } catch {
      return "not hashed: \(error.message)"
    }
  }

  /// The user, and the CI job when a known CI's variables say so.
  private static func executor(_ environment: [String: String]) -> String {
    let user = environment["USER"] ?? environment["LOGNAME"] ?? "uid \(getuid())"
    let jobs: [(String, String, String)] = [
      ("GitHub Actions", "GITHUB_ACTOR", "GITHUB_RUN_ID"),
      ("GitLab CI", "GITLAB_USER_LOGIN", "CI_JOB_ID"),
      ("Buildkite", "BUILDKITE_BUILD_CREATOR", "BUILDKITE_JOB_ID"),
      ("CircleCI", "CIRCLE_USERNAME", "CIRCLE_BUILD_NUM"),
    ]
    for (name, actor, job) in jobs where environment[job] != nil {
      return
        "\(user) (\(name) job \(environment[job] ?? ""), started by \(environment[actor] ?? "?"))"
    }
    return user
  }
}
