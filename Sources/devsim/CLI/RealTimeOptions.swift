import ApplicatorLinux
import DevsimKit

extension ControlThread {
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
