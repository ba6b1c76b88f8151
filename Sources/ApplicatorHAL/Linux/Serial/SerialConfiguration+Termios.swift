#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  extension SerialConfiguration {
    /// The `Bnnn` code of a standard rate, or nil for a rate that needs `termios2`.
    var standardSpeed: speed_t? {
      let code: Int32? =
        switch baudRate {
        case 50: B50
        case 75: B75
        case 110: B110
        case 134: B134
        case 150: B150
        case 200: B200
        case 300: B300
        case 600: B600
        case 1200: B1200
        case 1800: B1800
        case 2400: B2400
        case 4800: B4800
        case 9600: B9600
        case 19200: B19200
        case 38400: B38400
        case 57600: B57600
        case 115_200: B115200
        case 230_400: B230400
        case 460_800: B460800
        case 500_000: B500000
        case 576_000: B576000
        case 921_600: B921600
        case 1_000_000: B1000000
        case 1_152_000: B1152000
        case 1_500_000: B1500000
        case 2_000_000: B2000000
        case 2_500_000: B2500000
        case 3_000_000: B3000000
        case 3_500_000: B3500000
        case 4_000_000: B4000000
        default: nil
        }
      return code.map { speed_t($0) }
    }

    /// `CS5` … `CS8`.
    private var sizeFlag: tcflag_t {
      switch dataBits {
      case 5: tcflag_t(CS5)
      case 6: tcflag_t(CS6)
      case 7: tcflag_t(CS7)
      default: tcflag_t(CS8)
      }
    }

    /// `c_iflag` bits this configuration decides.
    static let inputMask = tcflag_t(
      IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXOFF | IXANY | INPCK)
    /// `c_oflag` bits this configuration decides.
    static let outputMask = tcflag_t(OPOST)
    /// `c_lflag` bits this configuration decides.
    static let localMask = tcflag_t(ECHO | ECHONL | ICANON | ISIG | IEXTEN)
    /// `c_cflag` bits this configuration decides (speed aside).
    static let controlMask =
      tcflag_t(CSIZE | PARENB | PARODD | CSTOPB | CLOCAL | CREAD) | tcflag_t(CRTSCTS)
      | tcflag_t(CMSPAR)

    /// `current` in raw mode with this configuration's framing: `cfmakeraw`,
    /// `CLOCAL | CREAD`, data bits, parity, stop bits, no software flow
    /// control, RTS/CTS only if asked, `VMIN = VTIME = 0`, and the speed when
    /// it is standard (a custom speed is set afterwards with `termios2`).
    func terminalAttributes(from current: termios) -> termios {
      var attributes = current
      cfmakeraw(&attributes)
      attributes.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY | INPCK)
      if parity != .none { attributes.c_iflag |= tcflag_t(INPCK) }
      attributes.c_cflag &= ~Self.controlMask
      attributes.c_cflag |= tcflag_t(CLOCAL | CREAD) | sizeFlag
      switch parity {
      case .none: break
      case .even: attributes.c_cflag |= tcflag_t(PARENB)
      case .odd: attributes.c_cflag |= tcflag_t(PARENB | PARODD)
      }
      if stopBits == 2 { attributes.c_cflag |= tcflag_t(CSTOPB) }
      if hardwareFlowControl { attributes.c_cflag |= tcflag_t(CRTSCTS) }
      withUnsafeMutableBytes(of: &attributes.c_cc) {
        $0[Int(VMIN)] = 0
        $0[Int(VTIME)] = 0
      }
      if let speed = standardSpeed {
        cfsetispeed(&attributes, speed)
        cfsetospeed(&attributes, speed)
      }
      return attributes
    }

    /// What differs between the attributes asked for and those read back,
    /// in words, or nil when everything this configuration decides stuck.
    func mismatch(wanted: termios, actual: termios) -> String? {
      var differences: [String] = []
      let wantedSize = wanted.c_cflag & tcflag_t(CSIZE)
      let actualSize = actual.c_cflag & tcflag_t(CSIZE)
      if wantedSize != actualSize {
        differences.append(
          "\(Self.dataBits(actualSize)) data bits instead of \(Self.dataBits(wantedSize))")
      }
      let parityBits = tcflag_t(PARENB | PARODD) | tcflag_t(CMSPAR)
      if wanted.c_cflag & parityBits != actual.c_cflag & parityBits {
        differences.append(
          "parity \(Self.parityName(actual.c_cflag)) instead of \(Self.parityName(wanted.c_cflag))")
      }
      let stop = tcflag_t(CSTOPB)
      if wanted.c_cflag & stop != actual.c_cflag & stop {
        differences.append(
          "\(actual.c_cflag & stop == 0 ? 1 : 2) stop bits instead of \(stopBits)")
      }
      let flow = tcflag_t(CRTSCTS)
      if wanted.c_cflag & flow != actual.c_cflag & flow {
        differences.append("RTS/CTS flow control \(actual.c_cflag & flow == 0 ? "off" : "on")")
      }
      let otherControl = Self.controlMask & ~(tcflag_t(CSIZE) | parityBits | stop | flow)
      if wanted.c_cflag & otherControl != actual.c_cflag & otherControl
        || wanted.c_iflag & Self.inputMask != actual.c_iflag & Self.inputMask
        || wanted.c_oflag & Self.outputMask != actual.c_oflag & Self.outputMask
        || wanted.c_lflag & Self.localMask != actual.c_lflag & Self.localMask
        || Self.timing(wanted) != Self.timing(actual)
      {
        differences.append("not in raw mode")
      }
      if let speed = standardSpeed {
        var actual = actual
        if cfgetospeed(&actual) != speed { differences.append("a different speed") }
      }
      return differences.isEmpty ? nil : differences.joined(separator: ", ")
    }

    private static func dataBits(_ size: tcflag_t) -> Int {
      switch size {
      case tcflag_t(CS5): 5
      case tcflag_t(CS6): 6
      case tcflag_t(CS7): 7
      default: 8
      }
    }

    private static func parityName(_ control: tcflag_t) -> String {
      if control & tcflag_t(PARENB) == 0 { return "none" }
      if control & tcflag_t(CMSPAR) != 0 { return "mark/space" }
      return control & tcflag_t(PARODD) == 0 ? "even" : "odd"
    }

    private static func timing(_ attributes: termios) -> [UInt8] {
      withUnsafeBytes(of: attributes.c_cc) { [$0[Int(VMIN)], $0[Int(VTIME)]] }
    }

    /// The name of this configuration, for messages: `115200 8N1`.
    var summary: String {
      let parityLetter =
        switch parity {
        case .none: "N"
        case .even: "E"
        case .odd: "O"
        }
      return "\(baudRate) \(dataBits)\(parityLetter)\(stopBits)"
        + (hardwareFlowControl ? " RTS/CTS" : "")
    }
  }
#endif
