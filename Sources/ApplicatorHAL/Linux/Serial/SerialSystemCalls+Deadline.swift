#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  extension SerialSystemCalls {
    /// Waits with `poll` until `descriptor` reports one of `events` (or a
    /// hang-up or error, which `poll` always reports), or the deadline passes.
    ///
    /// Retries `EINTR` with the time that is left. A deadline already in the
    /// past still polls once with a zero timeout, so what the kernel holds now
    /// is seen.
    ///
    /// - Returns: the non-zero `revents`.
    /// - Throws: ``FaultKind/timedOut`` at the deadline, ``FaultKind/io`` if
    ///   `poll` itself fails.
    func waitFor(
      _ events: Int16, on descriptor: CInt, deadlineNanoseconds: UInt64
    ) throws(FaultKind) -> Int16 {
      while true {
        let now = monotonicNanoseconds()
        let remaining = deadlineNanoseconds > now ? deadlineNanoseconds - now : 0
        // Round up, so the deadline has passed when a poll times out.
        let milliseconds = remaining / 1_000_000 + (remaining % 1_000_000 == 0 ? 0 : 1)
        do {
          let revents = try poll(descriptor, events, CInt(clamping: milliseconds))
          if revents != 0 { return revents }
        } catch {
          if error.rawValue == EINTR { continue }
          throw .io
        }
        if remaining == 0 || monotonicNanoseconds() >= deadlineNanoseconds { throw .timedOut }
      }
    }
  }
#endif
