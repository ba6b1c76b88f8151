#if canImport(Glibc)
  import ApplicatorHAL
  import Glibc

  /// The kernel's `struct termios2` (include/uapi/asm-generic/termbits.h),
  /// declared by hand because glibc 2.36 does not export it.
  ///
  /// Unlike glibc's `termios`, it carries the line speed as a number
  /// (`c_ispeed`, `c_ospeed`), which with `BOTHER` in `c_cflag` sets a rate
  /// that has no `Bnnn` constant. 44 bytes on x86_64 and arm64, laid out as
  /// in C (the layout is checked by a test):
  ///
  /// | offset | field |
  /// |---|---|
  /// | 0, 4, 8, 12 | `c_iflag`, `c_oflag`, `c_cflag`, `c_lflag` (`tcflag_t`) |
  /// | 16 | `c_line` |
  /// | 17 | `c_cc[19]` |
  /// | 36, 40 | `c_ispeed`, `c_ospeed` (`speed_t`) |
  struct Termios2 {
    /// Input modes.
    var inputFlags: UInt32 = 0
    /// Output modes.
    var outputFlags: UInt32 = 0
    /// Control modes; the low `CBAUD` bits hold `BOTHER` for a numeric speed.
    var controlFlags: UInt32 = 0
    /// Local modes.
    var localFlags: UInt32 = 0
    /// The line discipline.
    var lineDiscipline: UInt8 = 0
    /// Control characters (`NCCS` = 19 in the kernel's structure).
    var controlCharacters = InlineArray<19, UInt8>(repeating: 0)
    /// Input speed, bits per second.
    var inputSpeed: UInt32 = 0
    /// Output speed, bits per second.
    var outputSpeed: UInt32 = 0

    /// `TCGETS2` = `_IOR('T', 0x2A, struct termios2)`.
    static let getRequest: UInt = 0x802C_542A
    /// `TCSETS2` = `_IOW('T', 0x2B, struct termios2)`.
    static let setRequest: UInt = 0x402C_542B
    /// `BOTHER`: the speed is in `c_ispeed`/`c_ospeed`, not a `Bnnn` code.
    static let otherSpeed: UInt32 = 0o010000
    /// `CBAUD`: the speed-code bits of `c_cflag`.
    static let speedMask = UInt32(CBAUD)
    /// `IBSHIFT`: `CIBAUD` (the input speed code) is `CBAUD` shifted by this.
    static let inputSpeedShift: UInt32 = 16
  }

  extension SerialSystemCalls {
    /// `ioctl(fd, TCGETS2)`.
    func getAttributes2(_ descriptor: CInt) throws(Errno) -> Termios2 {
      var attributes = Termios2()
      try ioctl(descriptor, Termios2.getRequest, &attributes)
      return attributes
    }

    /// `ioctl(fd, TCSETS2)`, effective now.
    func setAttributes2(_ descriptor: CInt, _ attributes: Termios2) throws(Errno) {
      var attributes = attributes
      try ioctl(descriptor, Termios2.setRequest, &attributes)
    }
  }
#endif
