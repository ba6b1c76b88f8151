#if hasFeature(Embedded)
  import ApplicatorSimulation
  import ThermalLoop

  // C entry points for the Embedded Swift build only (no SwiftPM target holds
  // this file; the embedded check compiles it as the module `Firmware`). They
  // give the embedded check (`scripts/embedded-check.sh`) a root to link from: everything `ld.lld --gc-sections` keeps from
  // `thermal_loop_tick` is the closure of one tick (controller, supervisor,
  // treatment metrics, simulated applicator), and whatever stays undefined
  // is what that closure needs from the platform. No globals: the caller
  // owns the state and passes it in by pointer.

  /// Runs one tick of a simulated-applicator loop.
  ///
  /// - Parameters:
  ///   - loop: an initialised `ControlLoop<SimulatedApplicator>`, updated in place.
  ///   - nowNanoseconds: the loop clock, ns since the run start.
  ///   - record: storage for one `TelemetryRecord`, initialised with this tick's record.
  @_cdecl("thermal_loop_tick")
  public func thermalLoopTick(
    _ loop: UnsafeMutableRawPointer, _ nowNanoseconds: UInt64,
    _ record: UnsafeMutableRawPointer
  ) {
    let state = loop.assumingMemoryBound(to: ControlLoop<SimulatedApplicator>.self)
    let output = record.bindMemory(to: TelemetryRecord.self, capacity: 1)
    output.initialize(to: state.pointee.tick(nowNanoseconds: nowNanoseconds))
  }

  /// Pushes one record into a telemetry ring.
  ///
  /// - Parameters:
  ///   - ring: an initialised `TelemetryRing`, updated in place.
  ///   - record: an initialised `TelemetryRecord`, copied into the ring.
  @_cdecl("thermal_loop_telemetry_push")
  public func thermalLoopTelemetryPush(
    _ ring: UnsafeMutableRawPointer, _ record: UnsafeRawPointer
  ) {
    let target = ring.assumingMemoryBound(to: TelemetryRing.self)
    target.pointee.push(record.assumingMemoryBound(to: TelemetryRecord.self).pointee)
  }
#endif
