import ApplicatorLinux

/// Runs a wall-clock loop on a dedicated control thread under the
/// scheduling and memory policy the command line asked for (`--rt-priority`,
/// `--lock-memory`), printing a one-line note for each request the process
/// lacked the privilege for.
package enum ControlThread {
  /// Runs `body` on the control thread and waits for it; returns its
  /// result and the policy it ran under.
  package static func run<T>(
    _ request: RealTimeRequest, console: Console, _ body: () throws(KitError) -> T
  ) throws(KitError) -> (T, RealTimePolicy) {
    var result: Result<T, KitError>? = nil
    let policy = RealTimeThread.run(request) {
      result = Result { () throws(KitError) -> T in try body() }
    }
    for note in policy.notes { console.writeError("note: \(note)\n") }
    guard let result else {
      throw KitError.system(SystemError("no thread could run the control loop"))
    }
    return (try result.get(), policy)
  }
}
