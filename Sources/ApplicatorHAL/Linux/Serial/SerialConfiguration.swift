#if canImport(Glibc)
  import ApplicatorHAL
  /// Line settings for a ``SerialPort``: speed, framing and flow control.
  ///
  /// The defaults are 115 200 baud, 8N1, no flow control, DTR left as the
  /// kernel sets it on open (raised).
  public struct SerialConfiguration: Sendable, Equatable {
    /// Bits per second. Standard rates (50 … 4 000 000) are set with
    /// `cfsetspeed`; any other positive rate goes through `termios2` with
    /// `BOTHER`, which the driver may refuse (``FaultKind/invalidValue``).
    public var baudRate: Int = 115_200
    /// Data bits per character, 5...8 (`CS5` … `CS8`).
    public var dataBits: Int = 8
    /// The parity bit.
    public enum Parity: Sendable {
      /// No parity bit (`PARENB` clear).
      case none
      /// Even parity (`PARENB`); input parity is checked (`INPCK`).
      case even
      /// Odd parity (`PARENB | PARODD`); input parity is checked (`INPCK`).
      case odd
    }
    /// The parity bit; ``Parity/none`` by default.
    public var parity: Parity = .none
    /// Stop bits, 1 or 2 (`CSTOPB`).
    public var stopBits: Int = 1
    /// RTS/CTS hardware flow control (`CRTSCTS`); software flow control
    /// (XON/XOFF) is always off, so every byte value passes through.
    public var hardwareFlowControl: Bool = false
    /// Linux raises DTR on open, which resets Arduino-class rigs; `true`
    /// lowers it right after open (`TIOCMBIC`). Ports without modem lines
    /// (ptys answer `ENOTTY`) are accepted as they are.
    public var dropDTROnOpen: Bool = false

    /// 115 200 baud, 8N1, no flow control, DTR untouched.
    public init() {}

    /// Why the configuration cannot be applied, or nil when it can.
    var problem: String? {
      if baudRate <= 0 || baudRate > Int(UInt32.max) {
        return "baud rate \(baudRate) is not a positive 32-bit rate"
      }
      if !(5...8).contains(dataBits) { return "data bits \(dataBits) is not 5, 6, 7 or 8" }
      if stopBits != 1 && stopBits != 2 { return "stop bits \(stopBits) is not 1 or 2" }
      return nil
    }
  }
#endif
