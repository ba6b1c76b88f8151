#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// A line of a GPIO chip that exists, checked without requesting it:
  /// `/dev/gpiochipN` answers `GPIO_GET_CHIPINFO_IOCTL` with more lines
  /// than `offset`.
  public struct GPIOLineLocation: Sendable, Equatable {
    /// `/dev/gpiochipN`.
    public var chipPath: String
    /// The line's offset on the chip.
    public var offset: UInt32

    /// Checks the chip and the offset.
    public init(io: any BoardIO, chip: String, offset: UInt32) throws(BoardOpenError) {
      chipPath = chip.hasPrefix("/") ? chip : "/dev/\(chip)"
      self.offset = offset
      let descriptor: CInt
      do { descriptor = try io.open(chipPath, flags: O_RDONLY | O_CLOEXEC) } catch {
        throw BoardOpenError(path: chipPath, errno: error, doing: "open")
      }
      defer { io.close(descriptor) }
      var info = [UInt8](repeating: 0, count: GPIOv2.ChipInfo.size)
      let result = io.ioctl(descriptor, request: GPIOv2.getChipInfo, bytes: &info)
      if case .failure(let error) = result {
        throw BoardOpenError(path: chipPath, errno: error, doing: "GPIO_GET_CHIPINFO_IOCTL")
      }
      let lines = info.withUnsafeBytes {
        $0.loadUnaligned(fromByteOffset: GPIOv2.ChipInfo.linesOffset, as: UInt32.self)
      }
      guard offset < lines else {
        throw BoardOpenError(
          path: chipPath, fault: .outOfRange,
          message: "\(chipPath) has \(lines) lines (0 … \(Int(lines) - 1)), not \(offset)")
      }
    }
  }

  extension BoardIO {
    /// `ioctl` with a byte buffer as the argument struct.
    func ioctl(_ descriptor: CInt, request: UInt, bytes: inout [UInt8]) -> Result<Void, BoardErrno>
    {
      bytes.withUnsafeMutableBytes { buffer in
        guard let base = buffer.baseAddress else { return .failure(BoardErrno(EINVAL)) }
        return Result { () throws(BoardErrno) in
          try ioctl(descriptor, request: request, argument: base)
        }
      }
    }
  }

  /// What a requested line is.
  public enum GPIOLineKind: Sendable, Equatable {
    /// An output, driven to `initiallyActive` in the same request (no glitch).
    case output(initiallyActive: Bool)
    /// An input with an optional bias.
    case input(pullUp: Bool, pullDown: Bool)
  }

  /// One requested GPIO line (`GPIO_V2_GET_LINE_IOCTL`); its values are
  /// logical (the kernel applies `activeLow`). Releasing it closes the
  /// request descriptor; the kernel then keeps or drops the level as the
  /// chip does, which is why a bench needs pull-downs (docs/boards.md).
  public final class GPIOLine {
    private let io: any BoardIO
    /// Where it is.
    public let location: GPIOLineLocation
    private var descriptor: CInt

    /// Requests the line.
    public init(
      io: any BoardIO, location: GPIOLineLocation, kind: GPIOLineKind, activeLow: Bool,
      consumer: String = "devsim"
    ) throws(BoardOpenError) {
      self.io = io
      self.location = location
      var request = [UInt8](repeating: 0, count: GPIOv2.LineRequest.size)
      var flags: UInt64 = activeLow ? GPIOv2.flagActiveLow : 0
      var initial = false
      switch kind {
      case .output(let initiallyActive):
        flags |= GPIOv2.flagOutput
        initial = initiallyActive
      case .input(let pullUp, let pullDown):
        flags |= GPIOv2.flagInput
        if pullUp { flags |= GPIOv2.flagBiasPullUp }
        if pullDown { flags |= GPIOv2.flagBiasPullDown }
      }
      let isOutput = flags & GPIOv2.flagOutput != 0
      request.withUnsafeMutableBytes { bytes in
        bytes.storeBytes(
          of: location.offset, toByteOffset: GPIOv2.LineRequest.offsetsOffset, as: UInt32.self)
        for (index, byte) in consumer.utf8.prefix(GPIOv2.nameSize - 1).enumerated() {
          bytes[GPIOv2.LineRequest.consumerOffset + index] = byte
        }
        let config = GPIOv2.LineRequest.configOffset
        bytes.storeBytes(
          of: flags, toByteOffset: config + GPIOv2.LineConfig.flagsOffset, as: UInt64.self)
        if isOutput {
          bytes.storeBytes(
            of: UInt32(1), toByteOffset: config + GPIOv2.LineConfig.attributeCountOffset,
            as: UInt32.self)
          let attribute = config + GPIOv2.LineConfig.attributesOffset
          bytes.storeBytes(
            of: GPIOv2.attributeOutputValues,
            toByteOffset: attribute + GPIOv2.LineAttribute.idOffset, as: UInt32.self)
          bytes.storeBytes(
            of: UInt64(initial ? 1 : 0),
            toByteOffset: attribute + GPIOv2.LineAttribute.valueOffset, as: UInt64.self)
          bytes.storeBytes(
            of: UInt64(1), toByteOffset: attribute + GPIOv2.ConfigAttribute.maskOffset,
            as: UInt64.self)
        }
        bytes.storeBytes(
          of: UInt32(1), toByteOffset: GPIOv2.LineRequest.lineCountOffset, as: UInt32.self)
      }
      let chip: CInt
      do { chip = try io.open(location.chipPath, flags: O_RDONLY | O_CLOEXEC) } catch {
        throw BoardOpenError(path: location.chipPath, errno: error, doing: "open")
      }
      defer { io.close(chip) }
      let result = io.ioctl(chip, request: GPIOv2.getLine, bytes: &request)
      if case .failure(let error) = result {
        throw BoardOpenError(
          path: location.chipPath, fault: error.fault,
          message: "\(location.chipPath) line \(location.offset): request failed: \(error.name)")
      }
      descriptor = request.withUnsafeBytes {
        $0.loadUnaligned(fromByteOffset: GPIOv2.LineRequest.descriptorOffset, as: Int32.self)
      }
    }

    deinit { io.close(descriptor) }

    /// Drives the line (`GPIO_V2_LINE_SET_VALUES_IOCTL`).
    public func set(_ active: Bool) throws(FaultKind) {
      var values = [UInt8](repeating: 0, count: GPIOv2.LineValues.size)
      values.withUnsafeMutableBytes { bytes in
        bytes.storeBytes(
          of: UInt64(active ? 1 : 0), toByteOffset: GPIOv2.LineValues.bitsOffset, as: UInt64.self)
        bytes.storeBytes(
          of: UInt64(1), toByteOffset: GPIOv2.LineValues.maskOffset, as: UInt64.self)
      }
      try exchange(&values, GPIOv2.setValues)
    }

    /// Reads the line (`GPIO_V2_LINE_GET_VALUES_IOCTL`).
    public func get() throws(FaultKind) -> Bool {
      var values = [UInt8](repeating: 0, count: GPIOv2.LineValues.size)
      values.withUnsafeMutableBytes { bytes in
        bytes.storeBytes(
          of: UInt64(1), toByteOffset: GPIOv2.LineValues.maskOffset, as: UInt64.self)
      }
      try exchange(&values, GPIOv2.getValues)
      let bits = values.withUnsafeBytes {
        $0.loadUnaligned(fromByteOffset: GPIOv2.LineValues.bitsOffset, as: UInt64.self)
      }
      return bits & 1 != 0
    }

    private func exchange(_ values: inout [UInt8], _ request: UInt) throws(FaultKind) {
      let result = io.ioctl(descriptor, request: request, bytes: &values)
      if case .failure(let error) = result { throw error.fault }
    }
  }

  /// An enable, direction or heartbeat line.
  public struct GPIOOutputLine: DigitalOutput {
    /// The requested line.
    public let line: GPIOLine
    /// The level last written.
    public private(set) var isActive: Bool

    /// Requests the line as an output, inactive.
    public init(io: any BoardIO, location: GPIOLineLocation, activeLow: Bool) throws(BoardOpenError)
    {
      line = try GPIOLine(
        io: io, location: location, kind: .output(initiallyActive: false), activeLow: activeLow)
      isActive = false
    }

    /// Drives the line.
    public mutating func write(_ active: Bool, nowNanoseconds: UInt64) throws(FaultKind) {
      try line.set(active)
      isActive = active
    }
  }

  /// An interlock input (contact, coolant flow, key switch).
  public struct GPIOInputLine: DigitalInput {
    /// The requested line.
    public let line: GPIOLine

    /// Requests the line as an input.
    public init(
      io: any BoardIO, location: GPIOLineLocation, activeLow: Bool, pullUp: Bool = false,
      pullDown: Bool = false
    ) throws(BoardOpenError) {
      line = try GPIOLine(
        io: io, location: location, kind: .input(pullUp: pullUp, pullDown: pullDown),
        activeLow: activeLow)
    }

    /// Reads the line: `true` is made (asserted).
    public mutating func read(nowNanoseconds: UInt64) throws(FaultKind) -> Bool { try line.get() }
  }
#endif
