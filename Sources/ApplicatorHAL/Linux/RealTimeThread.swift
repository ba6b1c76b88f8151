#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// What a wall-clock run asks of the scheduler and the memory manager.
  public struct RealTimeRequest: Sendable, Equatable {
    /// SCHED_FIFO priority for the control thread (1 … 99), `nil` for the
    /// normal time-sharing policy. A real-time run also holds the CPUs out
    /// of deep idle states for its length (a PM QoS request of 0 µs on
    /// `/dev/cpu_dma_latency`, as cyclictest does): waking from them is
    /// most of a periodic loop's lateness on an idle machine.
    public var priority: Int32?
    /// Lock every current and future page in RAM (`mlockall`), so that no
    /// page fault stalls the loop.
    public var lockMemory: Bool

    /// Creates a request.
    public init(priority: Int32? = nil, lockMemory: Bool = false) {
      self.priority = priority
      self.lockMemory = lockMemory
    }
  }

  /// What the control thread actually ran under; a request the process
  /// lacked the privilege for falls back and says why.
  public struct RealTimePolicy: Sendable, Equatable {
    /// The scheduling policy the control thread ran under, as read back
    /// from the thread itself (`SCHED_FIFO`, `SCHED_OTHER`, …).
    public var schedulingPolicy: Int32 = SCHED_OTHER
    /// Its priority (0 under SCHED_OTHER).
    public var priority: Int32 = 0
    /// Whether memory was locked.
    public var memoryLocked = false
    /// Whether the CPUs were held out of deep idle states (`/dev/cpu_dma_latency` at 0).
    public var idleLatencyHeld = false
    /// One line per request that could not be granted.
    public var notes: [String] = []

    /// The policy in one line, e.g. `SCHED_FIFO 80, memory locked`.
    public var description: String {
      let policy: String
      switch schedulingPolicy {
      case SCHED_FIFO: policy = "SCHED_FIFO \(priority)"
      case SCHED_RR: policy = "SCHED_RR \(priority)"
      default: policy = "SCHED_OTHER"
      }
      return policy + (memoryLocked ? ", memory locked" : ", memory not locked")
        + (idleLatencyHeld ? ", CPU idle latency held at 0 µs" : "")
    }
  }

  /// Runs a loop on a dedicated control thread with the scheduling and
  /// memory policy a ``RealTimeRequest`` asks for, falling back to the
  /// normal policy (with a note) when the process lacks the privilege.
  public enum RealTimeThread {
    /// Runs `body` on a new thread created with an explicit SCHED_FIFO
    /// policy (`pthread_attr_setinheritsched(PTHREAD_EXPLICIT_SCHED)`), after
    /// `mlockall(MCL_CURRENT | MCL_FUTURE)` when asked, and waits for it.
    /// Memory stays locked until the process ends. Returns the policy in
    /// effect, read back from the thread.
    public static func run(_ request: RealTimeRequest, _ body: () -> Void) -> RealTimePolicy {
      var policy = RealTimePolicy()
      if request.lockMemory {
        // MCL_FUTURE under a finite RLIMIT_MEMLOCK would make every later
        // allocation (the control thread's stack, a buffer) fail once the
        // limit is reached: a crash mid-run. Lock the future only when
        // nothing limits it.
        let future = mayLockWithoutLimit()
        if mlockall(future ? MCL_CURRENT | MCL_FUTURE : MCL_CURRENT) == 0 {
          policy.memoryLocked = true
          if !future {
            policy.notes.append(
              "memory locked as it is now, not later allocations (RLIMIT_MEMLOCK is finite and no CAP_IPC_LOCK)"
            )
          }
        } else {
          policy.notes.append("memory not locked: mlockall failed (\(errnoName(errno)))")
        }
      }
      // The PM QoS request lasts while the file stays open.
      var idleLatency: Int32 = -1
      if request.priority != nil {
        idleLatency = open("/dev/cpu_dma_latency", O_WRONLY | O_CLOEXEC)
        var zero: Int32 = 0
        if idleLatency >= 0 && write(idleLatency, &zero, 4) == 4 {
          policy.idleLatencyHeld = true
        } else {
          policy.notes.append(
            "CPU idle states not held off: /dev/cpu_dma_latency (\(errnoName(errno)))")
        }
      }
      defer { if idleLatency >= 0 { close(idleLatency) } }
      withoutActuallyEscaping(body) { escapable in
        let task = ControlTask(body: escapable)
        if let priority = request.priority {
          let error = task.start(priority: priority)
          if error != 0 {
            policy.notes.append(
              "SCHED_FIFO \(priority) refused (\(errnoName(error))): the loop runs under SCHED_OTHER"
            )
          }
        }
        if !task.started, task.start(priority: nil) != 0 {
          // No thread at all (out of resources): run on the caller's thread.
          task.runHere()
        }
        task.join()
        policy.schedulingPolicy = task.policy
        policy.priority = task.priority
      }
      return policy
    }

    /// Whether locking future pages cannot run into a limit: RLIMIT_MEMLOCK
    /// is unlimited, or the process holds CAP_IPC_LOCK (which bypasses it).
    static func mayLockWithoutLimit() -> Bool {
      var limit = rlimit()
      if getrlimit(__rlimit_resource_t(__RLIMIT_MEMLOCK.rawValue), &limit) == 0
        && limit.rlim_cur == rlim_t.max
      {
        return true
      }
      guard let file = fopen("/proc/self/status", "r") else { return false }
      defer { fclose(file) }
      var line = [CChar](repeating: 0, count: 256)
      while fgets(&line, Int32(line.count), file) != nil {
        let text = String(
          decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard text.hasPrefix("CapEff:") else { continue }
        let hex = text.dropFirst("CapEff:".count).filter { !$0.isWhitespace }
        guard let mask = UInt64(hex, radix: 16) else { return false }
        return mask & (1 << 14) != 0  // CAP_IPC_LOCK
      }
      return false
    }

    static func errnoName(_ code: Int32) -> String {
      switch code {
      case EPERM: "EPERM"
      case ENOMEM: "ENOMEM"
      case EINVAL: "EINVAL"
      case EAGAIN: "EAGAIN"
      case EACCES: "EACCES"
      case ENOENT: "ENOENT"
      default: "errno \(code)"
      }
    }
  }

  /// The thread that runs the loop, and what it found itself running under.
  private final class ControlTask: @unchecked Sendable {
    let body: () -> Void
    var thread = pthread_t()
    var started = false
    var policy: Int32 = SCHED_OTHER
    var priority: Int32 = 0

    init(body: @escaping () -> Void) { self.body = body }

    /// Starts the thread; returns 0 or the error of `pthread_create`.
    func start(priority requested: Int32?) -> Int32 {
      var attributes = pthread_attr_t()
      pthread_attr_init(&attributes)
      defer { pthread_attr_destroy(&attributes) }
      if let requested {
        var parameters = sched_param()
        parameters.sched_priority = requested
        pthread_attr_setinheritsched(&attributes, Int32(PTHREAD_EXPLICIT_SCHED))
        pthread_attr_setschedpolicy(&attributes, SCHED_FIFO)
        let invalid = pthread_attr_setschedparam(&attributes, &parameters)
        if invalid != 0 { return invalid }
      }
      let context = Unmanaged.passRetained(self).toOpaque()
      let error = pthread_create(
        &thread, &attributes,
        { context in
          guard let context else { return nil }
          let task = Unmanaged<ControlTask>.fromOpaque(context).takeRetainedValue()
          task.runHere()
          return nil
        }, context)
      if error != 0 {
        Unmanaged<ControlTask>.fromOpaque(context).release()
        return error
      }
      started = true
      return 0
    }

    /// Runs the body on the calling thread, noting its policy first.
    func runHere() {
      var parameters = sched_param()
      var current: Int32 = SCHED_OTHER
      if pthread_getschedparam(pthread_self(), &current, &parameters) == 0 {
        policy = current
        priority = parameters.sched_priority
      }
      body()
    }

    func join() {
      guard started else { return }
      pthread_join(thread, nil)
    }
  }
#endif
