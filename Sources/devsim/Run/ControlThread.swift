import ApplicatorHAL

/// Runs a wall-clock loop on a dedicated control thread under the
/// scheduling and memory policy the command line asked for (`--rt-priority`,
/// `--lock-memory`), printing a one-line note for each request the process
/// lacked the privilege for.
enum ControlThread {
  /// Runs `body` on the control thread and waits for it; returns its
  /// result and the policy it ran under.
  static func run<T>(
    _ request: RealTimeRequest, console: Console, _ body: () throws(CommandError) -> T
  ) throws(CommandError) -> (T, RealTimePolicy) {
    var result: Result<T, CommandError>? = nil
    let policy = RealTimeThread.run(request) {
      result = Result { () throws(CommandError) -> T in try body() }
    }
    for note in policy.notes { console.writeError("note: \(note)\n") }
    guard let result else {
      throw CommandError(code: .ioError, message: "no thread could run the control loop")
    }
    return (try result.get(), policy)
  }

  /// Reads `--rt-priority` and `--lock-memory`.
  static func request(_ parsed: Arguments) throws(CommandError) -> RealTimeRequest {
    var request = RealTimeRequest(lockMemory: parsed.flag("--lock-memory"))
    if let text = parsed.option("--rt-priority") {
      guard let priority = Int32(text), (1...99).contains(priority) else {
        throw CommandError(
          code: .usage,
          message: "--rt-priority takes a SCHED_FIFO priority 1 … 99, found '\(text)'",
          showUsage: true)
      }
      request.priority = priority
    }
    return request
  }
}
